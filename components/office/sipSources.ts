/**
 * Where plain SIP (the server's sipPort, UDP and TCP) may come from, for the host and cloud firewalls.
 * Asterisk's registrar takes a REGISTER on any transport (res_pjsip_registrar checks no transport, and an
 * endpoint's `transport` only picks how Asterisk sends), so the firewalls are what keep a TLS phone's
 * password from registering over plain SIP: the phones' networks reach the plain port only when a phone uses it.
 */
import { kindOf } from "../trunks";
import { hasTlsPhones, hasUdpPhones, tlsTrunks } from "./transports";
import type { Office } from "./types";

const everywhere = "0.0.0.0/0";

/** Addresses trunks send SIP from, by provider data or the stack's own addresses. */
export function trunkSignallingSources(office: Office): string[] {
    return [...new Set(office.trunks.flatMap((trunk) => kindOf(trunk).signallingSources(trunk)))];
}

/** The addresses of the trunks on plain SIP, and the networks phones register from when a phone uses it. */
export function sipSources(office: Office): string[] {
    const phoneNetworks = hasUdpPhones(office) ? office.server.phoneNetworks : [];
    if (phoneNetworks.includes(everywhere)) return [everywhere];
    const overTls = new Set(tlsTrunks(office));
    const trunks = office.trunks.filter((trunk) => !overTls.has(trunk));
    return [...new Set([...trunks.flatMap((trunk) => kindOf(trunk).signallingSources(trunk)), ...phoneNetworks])];
}

/**
 * Where SIP over TLS may come from: the phones' networks, when a phone uses it, and the signalling
 * addresses of a trunk that calls in over TLS (Twilio's Secure Trunking); undefined when nothing does.
 */
export function tlsSources(office: Office): string[] | undefined {
    const phones = hasTlsPhones(office) ? office.server.phoneNetworks : [];
    const trunks = tlsTrunks(office).flatMap((trunk) => kindOf(trunk).signallingSources(trunk));
    if (phones.length + trunks.length === 0) return undefined;
    if (phones.includes(everywhere)) return [everywhere];
    return [...new Set([...trunks, ...phones])];
}

/** Whether plain SIP is open to every address, so a trunk known by name only can still call in. */
export function plainSipFromEverywhere(office: Office): boolean {
    return sipSources(office).includes(everywhere);
}
