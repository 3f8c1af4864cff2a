/**
 * A small SMTP server on loopback that accepts mail the way a relay does (EHLO, AUTH PLAIN/LOGIN,
 * MAIL, RCPT, DATA, and STARTTLS when given a certificate) and keeps every message, so a test can see
 * what the voicemail's mail command really sent.
 */
import { createServer, type Server, type Socket } from "node:net";
import { TLSSocket } from "node:tls";

export interface ReceivedMail {
    /** Envelope sender (MAIL FROM). */
    from: string;
    /** Envelope recipients (RCPT TO). */
    to: string[];
    /** The user the client authenticated as, if it did. */
    authenticatedAs?: string;
    /** Whether the session had switched to TLS (STARTTLS) when the message came. */
    overTls: boolean;
    /** The message as sent (headers and body, dot-unstuffed, CRLF line ends). */
    data: string;
}

export interface SmtpServerOptions {
    host: string;
    port: number;
    /** When given, mail is taken only after AUTH with exactly these credentials (535 otherwise). */
    credentials?: { username: string; password: string };
    /** When given, STARTTLS is offered with this key and certificate (PEM). */
    tls?: { key: string; cert: string };
    /** Called with each message as it arrives. */
    onMail?: (mail: ReceivedMail) => void;
}

export interface SmtpServer {
    readonly messages: ReceivedMail[];
    /** Every command line received, for failure output. */
    readonly transcript: string[];
    /** Resolves with the first message (after `since` of them) that arrives within `timeoutMs`. */
    waitForMail(timeoutMs: number, since?: number): Promise<ReceivedMail>;
    close(): Promise<void>;
}

export async function startSmtpServer(options: SmtpServerOptions): Promise<SmtpServer> {
    const messages: ReceivedMail[] = [];
    const transcript: string[] = [];
    const sockets = new Set<Socket>();
    const waiters = new Set<() => void>();

    const server: Server = createServer((socket) => {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
        socket.on("error", () => socket.destroy());
        new SmtpSession(socket, options, transcript, (mail) => {
            messages.push(mail);
            options.onMail?.(mail);
            for (const wake of waiters) wake();
        }).start();
    });
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(options.port, options.host, () => resolve());
    });

    return {
        messages,
        transcript,
        waitForMail(timeoutMs, since = 0) {
            return new Promise((resolve, reject) => {
                const check = () => {
                    if (messages.length <= since) return false;
                    finish();
                    resolve(messages[since]);
                    return true;
                };
                const timer = setTimeout(() => {
                    finish();
                    reject(
                        new Error(
                            `no mail reached the SMTP server on ${options.host}:${options.port} within ${timeoutMs} ms; it heard:\n${transcript.join("\n") || "(nothing)"}`,
                        ),
                    );
                }, timeoutMs);
                const finish = () => {
                    clearTimeout(timer);
                    waiters.delete(check);
                };
                if (!check()) waiters.add(check);
            });
        },
        close() {
            for (const socket of sockets) socket.destroy();
            return new Promise((resolve) => server.close(() => resolve()));
        },
    };
}

/** One SMTP session: a line-driven state machine, one method per command. */
class SmtpSession {
    private socket: Socket;
    private overTls = false;
    private buffer = "";
    private mode: "command" | "data" | "auth-plain" | "auth-login-user" | "auth-login-password" = "command";
    private authenticatedAs: string | undefined;
    private pendingUser = "";
    private from: string | undefined;
    private to: string[] = [];
    private data: string[] = [];

    constructor(
        private readonly plainSocket: Socket,
        private readonly options: SmtpServerOptions,
        private readonly transcript: string[],
        private readonly deliver: (mail: ReceivedMail) => void,
    ) {
        this.socket = plainSocket;
    }

    /** Listens for commands and greets the client. */
    start(): void {
        this.listen();
        this.reply("220 deskphone-test ESMTP");
    }

    private listen(): void {
        this.socket.setEncoding("utf8");
        this.socket.on("data", (chunk: string) => {
            this.buffer += chunk;
            for (let end = this.buffer.indexOf("\n"); end >= 0; end = this.buffer.indexOf("\n")) {
                const line = this.buffer.slice(0, end).replace(/\r$/, "");
                this.buffer = this.buffer.slice(end + 1);
                this.onLine(line);
            }
        });
    }

    private reply(line: string): void {
        this.socket.write(`${line}\r\n`);
    }

    private onLine(line: string): void {
        if (this.mode === "data") return this.dataLine(line);
        this.transcript.push(this.mode === "command" ? line : "(credentials)");
        if (this.mode === "auth-plain") return this.plain(line);
        if (this.mode === "auth-login-user") {
            this.pendingUser = Buffer.from(line, "base64").toString("utf8");
            this.mode = "auth-login-password";
            return this.reply("334 UGFzc3dvcmQ6");
        }
        if (this.mode === "auth-login-password")
            return this.checkLogin(this.pendingUser, Buffer.from(line, "base64").toString("utf8"));
        this.command(line);
    }

    private command(line: string): void {
        const [verb = "", ...rest] = line.split(" ");
        const arg = rest.join(" ");
        switch (verb.toUpperCase()) {
            case "EHLO":
                return this.ehlo();
            case "STARTTLS":
                return this.startTls();
            case "HELO":
                return this.reply("250 deskphone-test");
            case "AUTH":
                return this.auth(arg);
            case "MAIL":
                return this.mail(arg);
            case "RCPT":
                return this.rcpt(arg);
            case "DATA":
                return this.dataCommand();
            case "RSET":
                return this.rset();
            case "NOOP":
                return this.reply("250 2.0.0 ok");
            case "QUIT":
                this.reply("221 2.0.0 bye");
                return void this.socket.end();
            default:
                return this.reply("502 5.5.2 command not recognized");
        }
    }

    /** A line of the message, or the lone dot that ends it. */
    private dataLine(line: string): void {
        if (line === ".") {
            this.mode = "command";
            const { from, to, authenticatedAs, overTls, data } = this;
            this.deliver({ from: from ?? "", to, authenticatedAs, overTls, data: data.join("\r\n") });
            this.from = undefined;
            this.to = [];
            this.data = [];
            this.reply("250 2.0.0 queued");
        } else {
            this.data.push(line.startsWith(".") ? line.slice(1) : line);
        }
    }

    private ehlo(): void {
        this.reply(
            [
                "250-deskphone-test",
                "250-8BITMIME",
                ...(this.options.tls && !this.overTls ? ["250-STARTTLS"] : []),
                "250-AUTH PLAIN LOGIN",
                "250 SIZE 10485760",
            ].join("\r\n"),
        );
    }

    private startTls(): void {
        const tls = this.options.tls;
        if (!tls || this.overTls) return this.reply("502 5.5.1 STARTTLS not offered");
        this.reply("220 2.0.0 ready to start TLS");
        // A fresh session over TLS (RFC 3207): nothing said before it counts.
        this.socket.removeAllListeners("data");
        this.socket = new TLSSocket(this.plainSocket, { isServer: true, key: tls.key, cert: tls.cert });
        this.socket.on("error", () => this.plainSocket.destroy());
        this.overTls = true;
        this.authenticatedAs = undefined;
        this.from = undefined;
        this.to = [];
        this.buffer = "";
        this.listen();
    }

    private auth(arg: string): void {
        const [mechanism = "", initial] = arg.split(" ");
        if (mechanism.toUpperCase() === "PLAIN") {
            if (initial) return this.plain(initial);
            this.mode = "auth-plain";
            return this.reply("334 ");
        }
        if (mechanism.toUpperCase() === "LOGIN") {
            this.mode = "auth-login-user";
            return this.reply("334 VXNlcm5hbWU6");
        }
        this.reply("504 5.5.4 mechanism not supported");
    }

    /** AUTH PLAIN's base64 of authorization id, user and password, NUL-separated. */
    private plain(encoded: string): void {
        const [, username = "", password = ""] = Buffer.from(encoded, "base64").toString("utf8").split("\0");
        this.checkLogin(username, password);
    }

    private checkLogin(username: string, password: string): void {
        const wanted = this.options.credentials;
        if (!wanted || (username === wanted.username && password === wanted.password)) {
            this.authenticatedAs = username;
            this.reply("235 2.7.0 Authentication successful");
        } else {
            this.reply("535 5.7.8 Authentication credentials invalid");
        }
        this.mode = "command";
    }

    private mail(arg: string): void {
        if (this.options.credentials && !this.authenticatedAs) return this.reply("530 5.7.0 Authentication required");
        this.from = arg.replace(/^FROM:\s*/i, "").replace(/^<|>.*$/g, "");
        this.reply("250 2.1.0 ok");
    }

    private rcpt(arg: string): void {
        if (this.from === undefined) return this.reply("503 5.5.1 MAIL first");
        this.to.push(arg.replace(/^TO:\s*/i, "").replace(/^<|>.*$/g, ""));
        this.reply("250 2.1.5 ok");
    }

    private dataCommand(): void {
        if (!this.to.length) return this.reply("503 5.5.1 RCPT first");
        this.mode = "data";
        this.reply("354 end data with <CR><LF>.<CR><LF>");
    }

    private rset(): void {
        this.from = undefined;
        this.to = [];
        this.reply("250 2.0.0 ok");
    }
}

export interface MailPart {
    headers: Record<string, string>;
    /** The part's body, decoded from base64 or quoted-printable where the part says so. */
    body: Buffer;
    /** The filename from Content-Disposition or Content-Type, if any. */
    filename?: string;
}

/** The leaf parts of a MIME message (a single-part message is one part). */
export function mailParts(message: string): MailPart[] {
    const { headers, body } = splitHeaders(message);
    const boundary = headers["content-type"]?.match(/boundary="?([^";]+)"?/i)?.[1];
    if (boundary && /^multipart\//i.test(headers["content-type"] ?? "")) {
        const chunks = body.split(`--${boundary}`).slice(1);
        return chunks.filter((c) => !c.startsWith("--")).flatMap((c) => mailParts(c.replace(/^\r?\n/, "")));
    }
    const encoding = (headers["content-transfer-encoding"] ?? "").toLowerCase();
    const decoded =
        encoding === "base64"
            ? Buffer.from(body.replace(/\s+/g, ""), "base64")
            : encoding === "quoted-printable"
              ? decodeQuotedPrintable(body)
              : Buffer.from(body, "utf8");
    const filename =
        (headers["content-disposition"] ?? "").match(/filename="?([^";]+)"?/i)?.[1] ??
        (headers["content-type"] ?? "").match(/name="?([^";]+)"?/i)?.[1];
    return [{ headers, body: decoded, filename }];
}

/** Header fields (names lower-cased, folded lines joined) and the body of a message or part. */
export function splitHeaders(message: string): { headers: Record<string, string>; body: string } {
    const text = message.replace(/\r\n/g, "\n");
    const end = text.indexOf("\n\n");
    const head = end < 0 ? text : text.slice(0, end);
    const body = end < 0 ? "" : text.slice(end + 2);
    const headers: Record<string, string> = {};
    let last = "";
    for (const line of head.split("\n")) {
        if (/^\s/.test(line) && last) {
            headers[last] += ` ${line.trim()}`;
            continue;
        }
        const colon = line.indexOf(":");
        if (colon < 0) continue;
        last = line.slice(0, colon).trim().toLowerCase();
        headers[last] = line.slice(colon + 1).trim();
    }
    return { headers, body };
}

/** A header value with its RFC 2047 encoded words (`=?ISO-8859-1?Q?Voicemail_from?=`) decoded. */
export function decodeHeader(value: string): string {
    return value.replace(
        /=\?([^?]+)\?([QqBb])\?([^?]*)\?=\s*/g,
        (_, charset: string, encoding: string, text: string) => {
            const bytes =
                encoding.toUpperCase() === "B"
                    ? Buffer.from(text, "base64")
                    : decodeQuotedPrintable(text.replace(/_/g, " "));
            return new TextDecoder(charset.toLowerCase() === "iso-8859-1" ? "latin1" : charset).decode(bytes);
        },
    );
}

function decodeQuotedPrintable(text: string): Buffer {
    const bytes: number[] = [];
    const unfolded = text.replace(/=\r?\n/g, "");
    for (let i = 0; i < unfolded.length; i++) {
        const hex = unfolded.slice(i + 1, i + 3);
        if (unfolded[i] === "=" && /^[0-9A-F]{2}$/i.test(hex)) {
            bytes.push(parseInt(hex, 16));
            i += 2;
        } else {
            bytes.push(...Buffer.from(unfolded[i], "utf8"));
        }
    }
    return Buffer.from(bytes);
}
