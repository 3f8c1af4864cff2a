/** How phones and trunks reach the server: over TLS (phones by default) or plain UDP, each on its own port. */
import { kindOf } from "../trunks";
import type { Office, Phone, ServerSettings, Trunk } from "./types";

/** Whether any phone uses SIP over TLS: its port is then open to the phones' networks. */
export function hasTlsPhones(office: Office): boolean {
    return office.phones.some((phone) => phone.transport === "tls");
}

/** Whether any phone (an SPA3102's line, or one the stack puts on `transport: udp`) uses plain SIP. */
export function hasUdpPhones(office: Office): boolean {
    return office.phones.some((phone) => phone.transport === "udp");
}

/** The trunks whose SIP goes over TLS (a Twilio trunk with Secure Trunking). */
export function tlsTrunks(office: Office): Trunk[] {
    return office.trunks.filter((trunk) => kindOf(trunk).overTls?.(trunk) ?? false);
}

/** Whether the office has a TLS transport: for its TLS phones, or as a TLS client and server for a trunk. */
export function needsTlsTransport(office: Office): boolean {
    return hasTlsPhones(office) || tlsTrunks(office).length > 0;
}

/** The server's port for the phone's transport: its tlsPort or its sipPort. */
export function portOf(server: ServerSettings, phone: Phone): number {
    return phone.transport === "tls" ? server.tlsPort : server.sipPort;
}
