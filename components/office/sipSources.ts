/**
 * Where plain SIP (the server's sipPort, UDP and TCP) may come from, for the host and cloud firewalls.
 * Asterisk's registrar takes a REGISTER on any transport (res_pjsip_registrar checks no transport, and an
 * endpoint's `transport` only picks how Asterisk sends), so the firewalls are what keep a TLS phone's
 * password from registering over plain SIP: the phones' networks reach the plain port only when a phone uses it.
 */
import { kindOf } from "../trunks";
import { hasUdpPhones } from "./transports";
import type { Office } from "./types";

const everywhere = "0.0.0.0/0";

/** Addresses trunks send SIP from, by provider data or the stack's own addresses. */
export function trunkSignallingSources(office: Office): string[] {
    return [...new Set(office.trunks.flatMap((trunk) => kindOf(trunk).signallingSources(trunk)))];
}

/** The trunks' addresses, and the networks phones register from when a phone uses plain SIP. */
export function sipSources(office: Office): string[] {
    const phoneNetworks = hasUdpPhones(office) ? office.server.phoneNetworks : [];
    if (phoneNetworks.includes(everywhere)) return [everywhere];
    return [...new Set([...trunkSignallingSources(office), ...phoneNetworks])];
}

/** Whether plain SIP is open to every address, so a trunk known by name only can still call in. */
export function plainSipFromEverywhere(office: Office): boolean {
    return sipSources(office).includes(everywhere);
}
