/**
 * The shapes a setting's value may take, each checked in one place: the office's validation and the
 * trunk kinds read with these.
 */

import { isAddressOrNetwork } from "../net";
import { child, ConfigPath, ConfigReader } from "./configReader";

export const e164 = /^\+[1-9]\d{6,14}$/;
/** A SIP user and PJSIP section name: phones', trunks' and the landline's. */
export const endpointName = /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/;
export { hostName, ipv4, isAddressOrNetwork } from "../net";
export const digits = /^\d+$/;
/** A North American E.164: area code and exchange start with 2-9 (+1 NXX NXX XXXX). */
export const nanpE164 = /^\+1[2-9]\d{2}[2-9]\d{6}$/;
/** A number's name: what phones give as their callerId and what its mailbox is called. */
export const numberName = /^[A-Za-z0-9][A-Za-z0-9_-]{0,23}$/;
/** A name Let's Encrypt can issue for: two labels at least, no port, not an address. */
export const domainName =
    /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]([A-Za-z0-9-]*[A-Za-z0-9])?$/;
export const emailAddress = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

/** Twilio's Credentials API: a Username "can be up to 32 characters long" (twilio_api_v2010.json); phones' SIP users keep to the same. */
export const maxSipUserLength = 32;

/** The host of a `host[:port]`. */
export function hostOf(hostPort: string): string {
    return hostPort.split(":")[0];
}

/** A list of IPv4 addresses or networks (CIDR). */
export function readAddresses(r: ConfigReader, p: ConfigPath, raw: unknown): string[] {
    return r.array(p, raw).map((value, i) => {
        const address = r.string(child(p, i), value, { required: true }) ?? "";
        if (address && !isAddressOrNetwork(address))
            r.problem(
                child(p, i),
                `"${address}" is not an IPv4 address or network`,
                "e.g. 203.0.113.10 or 203.0.113.0/24",
            );
        return address;
    });
}

/** A SIP user over 32 characters is refused here, before any provider is called. */
export function checkSipUserLength(r: ConfigReader, at: ConfigPath, user: string | undefined, why: string): void {
    if (user && user.length > maxSipUserLength)
        r.problem(at, `"${user}" is ${user.length} characters, over ${maxSipUserLength}`, `use a shorter name: ${why}`);
}
