/** Reading what a SIPp role saw: its message trace as SIP messages, digest answers, Asterisk's RTP counters. */
import { createHash } from "node:crypto";

export interface SipMessage {
    /** Sent by this SIPp role, or received by it. */
    direction: "sent" | "received";
    /** Request method, or undefined for a response. */
    method?: string;
    /** Response status, or undefined for a request. */
    status?: number;
    /** The request line or status line. */
    startLine: string;
    /** Request-URI of a request. */
    uri?: string;
    /** Header values by lower-case name (compact forms expanded), in order. */
    headers: Record<string, string[]>;
    body: string;
}

const compactHeaders: Record<string, string> = {
    f: "from",
    t: "to",
    m: "contact",
    i: "call-id",
    v: "via",
    l: "content-length",
    c: "content-type",
};

/** Every SIP message in a SIPp -trace_msg file, in order (the repeat SIPp logs of an unexpected one is left out). */
export function sipMessages(trace: string): SipMessage[] {
    const messages: SipMessage[] = [];
    for (const block of trace.split(/^-{20,} .*$/m)) {
        const head = block.match(/^\s*(\w+) message (sent|received)[^\n]*\n\n/);
        if (!head) continue;
        const text = block.slice(head[0].length).replace(/\r\n/g, "\n");
        const end = text.indexOf("\n\n");
        const lines = (end < 0 ? text : text.slice(0, end)).split("\n");
        const startLine = lines[0].trim();
        const headers: Record<string, string[]> = {};
        for (const line of lines.slice(1)) {
            const colon = line.indexOf(":");
            if (colon < 0) continue;
            const raw = line.slice(0, colon).trim().toLowerCase();
            (headers[compactHeaders[raw] ?? raw] ??= []).push(line.slice(colon + 1).trim());
        }
        const length = Number(headers["content-length"]?.[0] ?? 0);
        const body = end < 0 ? "" : text.slice(end + 2, end + 2 + length);
        const status = startLine.match(/^SIP\/2\.0 (\d{3})/)?.[1];
        const request = startLine.match(/^([A-Z]+) (\S+) SIP\/2\.0$/);
        messages.push({
            direction: head[2] as "sent" | "received",
            method: request?.[1],
            uri: request?.[2],
            status: status ? Number(status) : undefined,
            startLine,
            headers,
            body,
        });
    }
    return messages;
}

/** Requests of a method this role received. */
export function received(trace: string, method: string): SipMessage[] {
    return sipMessages(trace).filter((m) => m.direction === "received" && m.method === method);
}

/** Final responses (>= 200) this role received, in order. */
export function finalResponses(trace: string): number[] {
    return sipMessages(trace)
        .filter((m) => m.direction === "received" && m.status !== undefined && m.status >= 200)
        .map((m) => m.status!);
}

/** The first value of a header, or "" when absent. */
export function header(message: SipMessage, name: string): string {
    return message.headers[name.toLowerCase()]?.[0] ?? "";
}

/** The user part of the first SIP URI in a header value or URI: `<sip:13235550100@host>;tag=x` → "13235550100". */
export function uriUser(value: string): string {
    return value.match(/sips?:([^@;>]+)@/)?.[1] ?? "";
}

/** The host[:port] part of the first SIP URI in a value. */
export function uriHost(value: string): string {
    return value.match(/sips?:(?:[^@;>]+@)?([^;>\s]+)/)?.[1] ?? "";
}

/** The parameters of a Digest Authorization or Proxy-Authorization header. */
export function digestParams(value: string): Record<string, string> {
    const params: Record<string, string> = {};
    for (const m of value.replace(/^Digest\s+/i, "").matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g))
        params[m[1].toLowerCase()] = m[2] ?? m[3];
    return params;
}

/** True when a Digest answer was computed with this password (RFC 2617, MD5, with or without qop=auth). */
export function digestAnswersWith(value: string, method: string, password: string): boolean {
    const p = digestParams(value);
    const md5 = (s: string) => createHash("md5").update(s).digest("hex");
    const ha1 = md5(`${p.username}:${p.realm}:${password}`);
    const ha2 = md5(`${method}:${p.uri}`);
    const expected = p.qop
        ? md5(`${ha1}:${p.nonce}:${p.nc}:${p.cnonce}:${p.qop}:${ha2}`)
        : md5(`${ha1}:${p.nonce}:${ha2}`);
    return expected === p.response?.toLowerCase();
}

export interface ChannelRtp {
    bridge: string;
    /** The channel's name, as the table shows it: cut to 18 characters. */
    channel: string;
    received: number;
    sent: number;
}

/** Rows of `pjsip show channelstats`: RTP packets Asterisk received from and sent to each channel's far end. */
export function channelStats(text: string): ChannelRtp[] {
    const rows: ChannelRtp[] = [];
    for (const line of text.split("\n")) {
        // The channel column is cut to 18 characters: "front-desk-0000000".
        const m = line.match(
            /^\s*(?:([0-9a-f]{8})\s+)?(\S+)\s+\d\d:\d\d:\d\d\s+\S+\s+(\d+)\s+\d+\s+\d+\s+[\d.]+\s+(\d+)\s/,
        );
        if (m) rows.push({ bridge: m[1] ?? "", channel: m[2], received: Number(m[3]), sent: Number(m[4]) });
    }
    return rows;
}
