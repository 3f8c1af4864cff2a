/** How phones reach the server: over TLS (the default) or plain UDP, each on its own port. */
import type { Office, Phone, ServerSettings } from "./types";

/** Whether any phone uses SIP over TLS: the office then has a TLS transport, its port open to the phones. */
export function hasTlsPhones(office: Office): boolean {
    return office.phones.some((phone) => phone.transport === "tls");
}

/** Whether any phone (an SPA3102's line, or one the stack puts on `transport: udp`) uses plain SIP. */
export function hasUdpPhones(office: Office): boolean {
    return office.phones.some((phone) => phone.transport === "udp");
}

/** The server's port for the phone's transport: its tlsPort or its sipPort. */
export function portOf(server: ServerSettings, phone: Phone): number {
    return phone.transport === "tls" ? server.tlsPort : server.sipPort;
}
