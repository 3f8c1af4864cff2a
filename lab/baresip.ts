/**
 * A real softphone as a desk phone: baresip (Debian's baresip-core, installed by test/setup.sh), logged in with
 * the user and password `npm run local` prints, answering every call by itself, sending a 440 Hz tone as its
 * voice and recording what it hears (sndfile). Killed whatever happens.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { connect } from "node:net";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { requireTool } from "./asterisk";
import { waitFor } from "./callLab";

export interface BaresipOptions {
    /** SIP user and digest user: the phone's name. */
    user: string;
    password: string;
    /** The loopback address it binds (SIP on port 5060 and RTP). */
    address: string;
    /** The office's SIP server it registers with, host:port; none for a line that only places calls, as a provider's does. */
    server?: string;
    /** Answer every call by itself (answermode=auto); true unless a test lets it ring. */
    autoAnswer?: boolean;
    /** Register over TLS (the server is then its TLS port) with SRTP required on every call (mediaenc=srtp-mand); a CA to verify the server by. */
    tls?: { caFile: string };
    /** Subscribe to message-summary once registered (the mwi module, as baresip's default config loads it); off unless asked. */
    subscribeToMessageWaiting?: boolean;
}

const live = new Set<ChildProcess>();
/** baresip's TCP control port (ctrl_tcp), on the phone's own address. */
const controlPort = 4444;

export class Baresip {
    private output = "";
    private readonly exited: Promise<void>;

    private constructor(
        readonly options: BaresipOptions,
        private readonly dir: string,
        private readonly child: ChildProcess,
    ) {
        child.stdout!.on("data", (d) => (this.output += d));
        child.stderr!.on("data", (d) => (this.output += d));
        this.exited = new Promise((resolve) => child.once("close", () => resolve()));
    }

    /** Starts baresip with a config of its own and resolves once it says it is ready (it registers at once). */
    static async start(options: BaresipOptions): Promise<Baresip> {
        requireTool("baresip");
        const dir = mkdtempSync(join(tmpdir(), `deskphone-baresip-${options.user}-`));
        mkdirSync(join(dir, "heard"));
        writeFileSync(join(dir, "config"), baresipConfig(options, join(dir, "heard")));
        const answermode = `answermode=${options.autoAnswer === false ? "manual" : "auto"}`;
        // Without a server the address of record is its own address and regint=0: it never registers.
        const secure = options.tls ? ";transport=tls" : "";
        const account = options.server
            ? `<sip:${options.user}@${options.server}${secure}>;auth_pass=${options.password};${answermode};regint=3600` +
              (options.tls ? ";mediaenc=srtp-mand" : "")
            : `<sip:${options.user}@${options.address}>;${answermode};regint=0`;
        // With the mwi module the account is added once baresip runs (below), not read at start: see baresipConfig.
        writeFileSync(join(dir, "accounts"), options.subscribeToMessageWaiting ? "" : `${account}\n`);
        // setpriv: baresip dies with this process, even when it is killed.
        const child = spawn("setpriv", ["--pdeathsig", "KILL", "--", "baresip", "-f", dir, "-v"], {
            stdio: ["ignore", "pipe", "pipe"],
        });
        live.add(child);
        child.once("close", () => live.delete(child));
        const phone = new Baresip(options, dir, child);
        await phone.waitForOutput("baresip to be ready", /baresip is ready\./, 10_000);
        if (options.subscribeToMessageWaiting) await phone.command("uanew", account);
        return phone;
    }

    /** Everything baresip printed so far. */
    log(): string {
        return this.output;
    }

    /** Resolves with the first match of `pattern` in baresip's output, or fails with that output. */
    waitForOutput(what: string, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
        return waitFor(
            () => `${what}; baresip printed:\n${this.output}`,
            timeoutMs,
            () => {
                if (this.child.exitCode !== null)
                    throw new Error(`baresip exited (${this.child.exitCode}) before ${what}:\n${this.output}`);
                return this.output.match(pattern) ?? undefined;
            },
        );
    }

    /** The status of the registrar's final answer to its REGISTER, as baresip reports it ("200 OK", "401 Unauthorized"). */
    async registration(): Promise<string> {
        // "desk@127.0.0.1: {0/UDP/v4} 200 OK (deskphone) [1 binding]" ({0/TLS/v4} over TLS), or "reg: sip:desk@127.0.0.1:5060: 401 Unauthorized (deskphone)".
        const [, status] = await this.waitForOutput(
            "the registrar's answer",
            /(?:\{\d+\/(?:UDP|TLS)\/v4\}|reg: sip:\S+:) (\d{3} [A-Za-z ]*?)\s*[([\n]/,
            10_000,
        );
        return status;
    }

    /** Runs a baresip command (`dial 2125550147`, `hangup`) through its TCP control port, as a person would press keys. */
    async command(command: string, params = ""): Promise<void> {
        const reply = await new Promise<string>((resolve, reject) => {
            const socket = connect({ host: this.options.address, port: controlPort });
            const json = JSON.stringify({ command, params, token: command });
            let received = Buffer.alloc(0);
            socket.setTimeout(5_000, () => socket.destroy(new Error(`baresip did not answer "${command}"`)));
            socket.once("connect", () => socket.write(`${Buffer.byteLength(json)}:${json},`));
            socket.on("data", (d: Buffer) => {
                received = Buffer.concat([received, d]);
                // Netstrings (length:JSON,); events about registrations and calls come the same way as the reply.
                for (;;) {
                    const colon = received.indexOf(":");
                    const length = Number(received.subarray(0, colon).toString());
                    if (colon < 0 || received.length < colon + 2 + length) break;
                    const body = received.subarray(colon + 1, colon + 1 + length).toString();
                    received = received.subarray(colon + 2 + length);
                    if (JSON.parse(body).response) {
                        socket.end();
                        resolve(body);
                    }
                }
            });
            socket.once("error", reject);
        });
        if (!JSON.parse(reply).ok) throw new Error(`baresip refused "${command} ${params}": ${reply}`);
    }

    /** The recordings of what the phone heard, one per call (sndfile's decoded stream). */
    heard(): Buffer[] {
        const dir = join(this.dir, "heard");
        return readdirSync(dir)
            .filter((f) => /-dec\.wav$/.test(f))
            .sort()
            .map((f) => readFileSync(join(dir, f)));
    }

    /** Stops baresip as a person quits it (SIGTERM: it unregisters first), SIGKILL if it lingers; removes its files. */
    async stop(): Promise<void> {
        if (this.child.exitCode === null && this.child.signalCode === null) {
            this.child.kill("SIGTERM");
            const lingering = setTimeout(() => this.child.kill("SIGKILL"), 5_000);
            await this.exited;
            clearTimeout(lingering);
        }
        rmSync(this.dir, { recursive: true, force: true });
    }
}

/** A desk phone with no sound card: a tone for a voice, a bridge to nowhere for a speaker, what it hears on file. */
function baresipConfig({ address, subscribeToMessageWaiting, tls }: BaresipOptions, heardDir: string): string {
    return [
        "poll_method epoll",
        `sip_listen ${address}:5060`,
        "sip_trans_def udp",
        `net_interface ${address}`,
        "audio_source ausine,440",
        // ausine makes only 48 kHz stereo; baresip resamples it for G.711.
        "ausrc_srate 48000",
        "ausrc_channels 2",
        "audio_player aubridge,nowhere",
        "audio_alert aubridge,nowhere",
        "module_path /usr/lib/baresip/modules",
        "module g711.so",
        "module ausine.so",
        "module aubridge.so",
        "module sndfile.so",
        ...(tls ? ["module srtp.so", `sip_cafile ${tls.caFile}`] : []),
        "module_app account.so",
        "module_app menu.so",
        // Only where a test asks. baresip 1.0.0's mwi module subscribes for every account on its list from a timer
        // 1 ms after it loads, appending to the list it walks (modules/mwi/mwi.c, tmr_handler): when a loopback
        // registration has already put the account there, it subscribes thousands of times a second, for ever.
        // A real network is slower than 1 ms; here the account is added (uanew) once that timer has run.
        ...(subscribeToMessageWaiting ? ["module_app mwi.so"] : []),
        "module_app ctrl_tcp.so",
        `ctrl_tcp_listen ${address}:${controlPort}`,
        `snd_path ${heardDir}`,
        "",
    ].join("\n");
}

process.once("exit", () => {
    for (const child of live) child.kill("SIGKILL");
});
