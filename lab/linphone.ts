/**
 * A real softphone as a desk phone: linphone's console client, linphonec (Debian's linphone-cli, installed by
 * test/setup.sh), logged in with the `register` command `npm run local` prints, answering every call by itself
 * (-a), sending a 440 Hz tone as its voice and recording what it hears ("soundcard use files"). Killed whatever
 * happens.
 *
 * linphonec 5.1.65 opens no SIP socket at all when liblinphone cannot open its database: it looks for
 * $HOME/.local/share/linphone/linphone.db, which only the desktop app creates, and a failed open aborts
 * linphone_core_start() (CorePrivate::DatabaseConnectionFailure, coreapi/linphonecore.c) before any transport is
 * set up. Each phone gets a HOME of its own with that directory; it then listens on loopback, netns or not
 * (with network monitoring off, see linphoneConfig).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { linphonecRegister } from "../scripts/clientSetup";
import { requireTool } from "./asterisk";
import { selfSignedCertificate } from "./serverCertificate";
import { toneWav } from "./wav";
import { waitFor } from "./callLab";

export interface LinphoneOptions {
    /** SIP user and digest user: the phone's name. */
    user: string;
    password: string;
    /** The loopback address it binds (SIP on port 5060 and RTP). */
    address: string;
    /** The office's SIP server it registers with; none for a line that only places calls, as a provider's does. */
    server?: { address: string; port: number };
    /** Answer every call by itself (linphonec -a); true unless a test lets it ring. */
    autoAnswer?: boolean;
    /** Register over TLS (the server is then its TLS port), verifying the server by this CA, with SRTP required on every call. */
    tls?: { caFile: string };
}

const live = new Set<ChildProcess>();

export class Linphone {
    private output = "";
    private readonly exited: Promise<void>;

    private constructor(
        readonly options: LinphoneOptions,
        private readonly dir: string,
        private readonly child: ChildProcess,
    ) {
        child.stdout!.on("data", (d) => (this.output += d));
        child.stderr!.on("data", (d) => (this.output += d));
        this.exited = new Promise((resolve) => child.once("close", () => resolve()));
    }

    /** Starts linphonec with a config and a HOME of its own, switches it to sound files and, given a server, types the printed register command. */
    static async start(options: LinphoneOptions): Promise<Linphone> {
        requireTool("linphonec");
        const dir = mkdtempSync(join(tmpdir(), `deskphone-linphone-${options.user}-`));
        mkdirSync(join(dir, ".local", "share", "linphone"), { recursive: true });
        writeFileSync(join(dir, "linphonerc"), linphoneConfig(options, dir));
        if (options.tls)
            selfSignedCertificate(join(dir, "client.crt"), join(dir, "client.key"), {
                subject: "/CN=deskphone-test-phone",
                days: 2,
            });
        writeFileSync(join(dir, "voice.wav"), toneWav(440, 30));
        const args = [
            "-c",
            join(dir, "linphonerc"),
            "-d",
            "6",
            "-l",
            join(dir, "linphone.log"),
            ...(options.autoAnswer === false ? [] : ["-a"]),
        ];
        // setpriv: linphonec dies with this process, even when it is killed. Commands go in on stdin, as typed.
        const child = spawn("setpriv", ["--pdeathsig", "KILL", "--", "linphonec", ...args], {
            stdio: ["pipe", "pipe", "pipe"],
            env: { ...process.env, HOME: dir },
        });
        live.add(child);
        child.once("close", () => live.delete(child));
        const phone = new Linphone(options, dir, child);
        await phone.waitForOutput("linphonec's prompt", /linphonec> /, 10_000);
        await phone.waitForLog(
            "its SIP socket",
            new RegExp(
                `Creating listening point \\S+ on \\[sip:${options.address.replace(/\./g, "\\.")}:5060;transport=UDP\\]`,
            ),
            10_000,
        );
        phone.type("soundcard use files");
        phone.type(`play ${join(dir, "voice.wav")}`);
        phone.type(`record ${join(dir, "heard.wav")}`);
        if (options.server)
            phone.type(
                linphonecRegister(
                    { user: options.user, password: options.password, about: "" },
                    { ...options.server, transport: options.tls ? "tls" : "udp" },
                ),
            );
        return phone;
    }

    /** What linphonec printed on its console so far, with the password masked wherever it was echoed. */
    log(): string {
        const { password } = this.options;
        return masked(this.output, password);
    }

    /** liblinphone's own log (-d 6): every SIP message it sent and received, in full. */
    sipLog(): string {
        const path = join(this.dir, "linphone.log");
        return existsSync(path) ? masked(readFileSync(path, "utf8"), this.options.password) : "";
    }

    /** Types a line at linphonec's prompt: `call 2125550147`, `terminate`, a DTMF digit. */
    type(line: string): void {
        this.child.stdin!.write(`${line}\n`);
    }

    /** Resolves with the first match of `pattern` in linphonec's console output, or fails with that output. */
    waitForOutput(what: string, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
        return waitFor(
            () => `${what}; linphonec printed:\n${this.log()}`,
            timeoutMs,
            () => {
                if (this.child.exitCode !== null)
                    throw new Error(`linphonec exited (${this.child.exitCode}) before ${what}:\n${this.log()}`);
                return this.output.match(pattern) ?? undefined;
            },
        );
    }

    /** Resolves with the first match of `pattern` in liblinphone's log. */
    waitForLog(what: string, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
        return waitFor(
            () => `${what}; linphonec printed:\n${this.log()}\nits log ends:\n${this.sipLog().slice(-6000)}`,
            timeoutMs,
            () => {
                if (this.child.exitCode !== null)
                    throw new Error(`linphonec exited (${this.child.exitCode}) before ${what}:\n${this.log()}`);
                return this.sipLog().match(pattern) ?? undefined;
            },
        );
    }

    /** The status of the registrar's final answer to its REGISTER ("200 OK", "401 Unauthorized"; "no answer"), once liblinphone settles. */
    async registration(): Promise<string> {
        await this.waitForLog(
            "the registration to succeed or fail",
            /moving from state \[\w+\] to \[LinphoneRegistration(Ok|Failed)\]/,
            10_000,
        );
        const answers = this.received().filter((m) => /^SIP\/2\.0 \d{3} /.test(m) && /^CSeq: \d+ REGISTER$/m.test(m));
        // No answer at all: the request never reached the registrar (a TLS connection refused, say).
        return answers.pop()?.match(/^SIP\/2\.0 (\d{3} [^\n]*)/)?.[1] ?? "no answer";
    }

    /** SIP requests of this method linphone sent, each in full as its log shows it. */
    sent(method: string): string[] {
        return sipMessagesIn(this.sipLog(), "sent to").filter((m) => m.startsWith(`${method} `));
    }

    /** SIP requests and responses linphone received, each in full. */
    received(): string[] {
        return sipMessagesIn(this.sipLog(), "received from");
    }

    /** What the phone heard on its last call (a 16-bit PCM WAV), if it recorded any. */
    heard(): Buffer | undefined {
        const path = join(this.dir, "heard.wav");
        return existsSync(path) ? readFileSync(path) : undefined;
    }

    /** The addresses its SDP offers and answers named for media (`c=` lines). */
    mediaAddresses(): string[] {
        return sipMessagesIn(this.sipLog(), "sent to").flatMap((m) =>
            [...m.matchAll(/^c=IN IP[46] (\S+)/gm)].map((c) => c[1]),
        );
    }

    /**
     * Stops linphonec as a person quits it (`unregister`, then `quit`), SIGKILL if it lingers; removes its files.
     * Fails if it ever offered media off loopback: test traffic stays on 127.0.0.0/8.
     */
    async stop(): Promise<void> {
        const offLoopback = this.mediaAddresses().filter((a) => !a.startsWith("127."));
        if (this.child.exitCode === null && this.child.signalCode === null) {
            if (/to \[LinphoneRegistrationOk\]/.test(this.sipLog())) {
                this.type("unregister");
                await this.waitForLog("it to unregister", /to \[LinphoneRegistrationCleared\]/, 5_000).catch(
                    () => undefined,
                );
            }
            this.type("quit");
            const lingering = setTimeout(() => this.child.kill("SIGKILL"), 5_000);
            await this.exited;
            clearTimeout(lingering);
        }
        rmSync(this.dir, { recursive: true, force: true });
        if (offLoopback.length)
            throw new Error(
                `linphonec on ${this.options.address} offered media at ${offLoopback.join(", ")}, off loopback`,
            );
    }
}

/**
 * The SIP messages in a liblinphone log: belle-sip logs each after a line "channel [..]: message sent to [UDP://…],
 * size: [N] bytes" (or "received [N] new bytes from [UDP://…]:"), up to the next timestamped log line.
 */
function sipMessagesIn(log: string, direction: "sent to" | "received from"): string[] {
    const header =
        direction === "sent to"
            ? String.raw`message sent to \[[^\]]*\], size: \[\d+\] bytes`
            : String.raw`received \[\d+\] new bytes from \[[^\]]*\]:`;
    const pattern = new RegExp(String.raw`${header}\n([\s\S]*?)(?=\n\d{4}-\d\d-\d\d \d\d:\d\d:\d\d:\d{3} |$)`, "g");
    return [...log.matchAll(pattern)].map((m) => m[1].replace(/\r/g, "").trim());
}

/** A desk phone with no sound card, SIP on its own loopback address, G.711 first. */
function linphoneConfig({ user, address, tls }: LinphoneOptions, dir: string): string {
    return [
        "[sip]",
        "sip_port=5060",
        "sip_tcp_port=0",
        `sip_tls_port=${tls ? 5061 : 0}`,
        ...(tls
            ? [
                  `root_ca=${tls.caFile}`,
                  // pjproject asks every TLS client for a certificate, and linphonec, holding none, then stops at a
                  // console prompt for "(null)"'s password. Asterisk does not check it (verify_client=no): any will do.
                  `client_cert_chain=${dir}/client.crt`,
                  `client_cert_key=${dir}/client.key`,
                  "verify_server_certs=1",
                  "verify_server_cn=1",
                  "media_encryption=srtp",
                  "media_encryption_mandatory=1",
              ]
            : []),
        `bind_address=${address}`,
        // liblinphone checks every 5 s for a route off this machine and, finding none (a loopback-only network
        // namespace), calls the network down and drops its registration without a word. The office is on loopback.
        "auto_net_state_mon=0",
        "register_only_when_network_is_up=0",
        // Contact and Via carry the phone's own address, not a guess at a hostname.
        "guess_hostname=0",
        `contact=sip:${user}@${address}`,
        "[rtp]",
        "audio_rtp_port=7078",
        // Media on the phone's own address too: otherwise a line that registers nowhere offers the host's own
        // (IPv6) address in its SDP, and Asterisk sends it RTP off loopback.
        `bind_address=${address}`,
        "[sound]",
        "echocancellation=0",
        "[net]",
        "firewall_policy=0",
        "[misc]",
        "uuid=0",
        "[audio_codec_0]",
        "mime=PCMU",
        "rate=8000",
        "enabled=1",
        "[audio_codec_1]",
        "mime=PCMA",
        "rate=8000",
        "enabled=1",
        "",
    ].join("\n");
}

process.once("exit", () => {
    for (const child of live) child.kill("SIGKILL");
});

/** The text with every copy of the password replaced, so that failure output never shows it. */
function masked(text: string, password: string): string {
    return password ? text.split(password).join("(password)") : text;
}
