/**
 * A real baresip given one accounts line, and a registrar of a few lines on the server's address
 * that challenges its REGISTER as Asterisk does (digest, MD5, qop=auth) and checks the answer
 * against the password the line should carry. Proves the line parses and logs in, no Asterisk needed.
 */
import { ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { createSocket, RemoteInfo } from "node:dgram";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Where baresip itself listens: the call tests' first phone address. */
const phoneAddress = "127.0.0.3";

export interface BaresipLogin {
    /** The Request-URI and From URI of baresip's REGISTER. */
    requestUri: string;
    from: string;
    /** The Authorization header's parameters. */
    digest: Record<string, string>;
    /** Whether the digest response is the one `password` gives. */
    digestMatches: boolean;
}

/** Runs baresip with `accountsLine` until it answers the registrar's challenge; resolves with what it sent. */
export async function baresipLogsIn(
    accountsLine: string,
    registrar: { address: string; port: number; realm: string },
    password: string,
    timeoutMs = 10_000,
): Promise<BaresipLogin> {
    const dir = mkdtempSync(join(tmpdir(), "deskphone-baresip-"));
    writeFileSync(join(dir, "accounts"), `${accountsLine}\n`);
    writeFileSync(
        join(dir, "config"),
        [
            "module_path\t/usr/lib/baresip/modules",
            "module\t\taccount.so",
            "module\t\tg711.so",
            `sip_listen\t${phoneAddress}:5060`,
            `net_interface\t${phoneAddress}`,
            "",
        ].join("\n"),
    );
    const socket = createSocket("udp4");
    let baresip: ChildProcess | undefined;
    let output = "";
    try {
        await new Promise<void>((resolve, reject) =>
            socket.once("error", reject).bind(registrar.port, registrar.address, resolve),
        );
        const answered = new Promise<BaresipLogin>((resolve) => {
            const nonce = createHash("md5").update(String(Date.now())).digest("hex");
            socket.on("message", (data, peer) => {
                const request = parseRequest(data.toString("utf8"));
                if (request.method !== "REGISTER") return;
                const authorization = request.headers.get("authorization");
                if (!authorization)
                    return reply(
                        socket,
                        peer,
                        request,
                        `401 Unauthorized\r\nWWW-Authenticate: Digest realm="${registrar.realm}",nonce="${nonce}",qop="auth",algorithm=MD5`,
                    );
                reply(socket, peer, request, "200 OK");
                const digest = digestParams(authorization);
                const from = request.headers.get("from")?.match(/<([^>]*)>/)?.[1] ?? "";
                resolve({
                    requestUri: request.uri,
                    from,
                    digest,
                    digestMatches:
                        digest.response === expectedResponse(digest, "REGISTER", password) && digest.nonce === nonce,
                });
            });
        });
        baresip = spawn("baresip", ["-f", dir], { stdio: ["ignore", "pipe", "pipe"] });
        baresip.stdout!.on("data", (d) => (output += d));
        baresip.stderr!.on("data", (d) => (output += d));
        const exited = new Promise<never>((_, reject) =>
            baresip!.once("exit", (code) =>
                reject(new Error(`baresip exited (${code}) before logging in:\n${output}`)),
            ),
        );
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<never>(
            (_, reject) =>
                (timer = setTimeout(
                    () => reject(new Error(`baresip sent no answered REGISTER in ${timeoutMs} ms:\n${output}`)),
                    timeoutMs,
                )),
        );
        try {
            return await Promise.race([answered, exited, timedOut]);
        } finally {
            clearTimeout(timer);
        }
    } finally {
        if (baresip && baresip.exitCode === null) {
            const gone = new Promise((r) => baresip!.once("exit", r));
            baresip.kill("SIGKILL");
            await gone;
        }
        socket.close();
        rmSync(dir, { recursive: true, force: true });
    }
}

interface SipRequest {
    method: string;
    uri: string;
    headers: Map<string, string>;
}

function parseRequest(text: string): SipRequest {
    const [start, ...lines] = text.split("\r\n\r\n")[0].split("\r\n");
    const [method, uri] = start.split(" ");
    const headers = new Map<string, string>();
    for (const line of lines) {
        const colon = line.indexOf(":");
        if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    return { method, uri, headers };
}

function reply(
    socket: ReturnType<typeof createSocket>,
    peer: RemoteInfo,
    request: SipRequest,
    statusAndHeaders: string,
): void {
    const h = request.headers;
    const to = h.get("to")!.includes(";tag=") ? h.get("to") : `${h.get("to")};tag=registrar`;
    const text = [
        `SIP/2.0 ${statusAndHeaders}`,
        `Via: ${h.get("via")}`,
        `From: ${h.get("from")}`,
        `To: ${to}`,
        `Call-ID: ${h.get("call-id")}`,
        `CSeq: ${h.get("cseq")}`,
        "Content-Length: 0",
        "",
        "",
    ].join("\r\n");
    socket.send(text, peer.port, peer.address);
}

/** Parameters of a Digest Authorization header. */
export function digestParams(header: string): Record<string, string> {
    return Object.fromEntries(
        [...header.replace(/^Digest\s+/i, "").matchAll(/(\w+)=("([^"]*)"|[^,\s]+)/g)].map((m) => [m[1], m[3] ?? m[2]]),
    );
}

/** RFC 2617's digest response for qop=auth (or none). */
function expectedResponse(d: Record<string, string>, method: string, password: string): string {
    const md5 = (s: string) => createHash("md5").update(s).digest("hex");
    const ha1 = md5(`${d.username}:${d.realm}:${password}`);
    const ha2 = md5(`${method}:${d.uri}`);
    return md5(d.qop ? `${ha1}:${d.nonce}:${d.nc}:${d.cnonce}:${d.qop}:${ha2}` : `${ha1}:${d.nonce}:${ha2}`);
}
