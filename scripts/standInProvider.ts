/**
 * `npm run local`'s stand-in provider on 127.0.0.2, where every trunk of the local office points: SIPp answers each
 * outbound call with a tone and reports what the office sent (Request-URI, From, P-Asserted-Identity), and places
 * an inbound call to one of the office's numbers when asked, as the number's provider would send it.
 */
import {
    mkdtempSync,
    readFileSync,
    rmSync,
    statSync,
    writeFileSync,
    openSync,
    readSync,
    closeSync,
    existsSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Office } from "../components";
import { SippProcess, SippRun, startSipp } from "../lab/sipp";
import { inboundCallScenario, numberAsProviderSends, outsideCaller } from "./clientSetup";

const answerScenario = join(__dirname, "..", "lab", "scenarios", "standin-provider-answer.xml");

/** An outbound call as it reached the provider. */
export interface ReceivedCall {
    requestUri: string;
    from: string;
    /** The P-Asserted-Identity header's value; undefined when the office sent none. */
    pai?: string;
}

export interface StandInProviderOptions {
    /** Where the provider answers: the address and port every trunk points at (127.0.0.2:5060). */
    address: string;
    port: number;
    /** The office's Asterisk, host:port, where inbound calls are sent. */
    server: string;
    /** First local port inbound calls are placed from (each call its own, so several can ring at once). */
    callPort?: number;
    /** Seconds an answered inbound call stays up (20). */
    holdSeconds?: number;
    /** Told of each outbound call as it arrives. */
    onCall?: (call: ReceivedCall) => void;
    /** A network namespace of the caller's own to run SIPp in. */
    netns?: string;
}

export interface InboundCall {
    /** The number as the provider put it in the Request-URI. */
    dialed: string;
    done: Promise<SippRun>;
}

export interface StandInProvider {
    /** Outbound calls received so far. */
    calls: ReceivedCall[];
    /** Calls one of the office's numbers (an E.164 number of the office) from the provider's address. */
    call(e164: string): InboundCall;
    stop(): Promise<void>;
}

/** Starts the provider's answering side; it answers until stop(). */
export function startStandInProvider(office: Office, options: StandInProviderOptions): StandInProvider {
    const dir = mkdtempSync(join(tmpdir(), "deskphone-standin-"));
    const scenario = writeAnswerScenario(dir);
    const log = join(dir, "calls.log");
    const answering = startSipp({
        scenario,
        local: options.address,
        localPort: options.port,
        remote: options.server,
        calls: 1_000_000,
        timeoutSeconds: 7 * 24 * 3600,
        extraArgs: ["-trace_logs", "-log_file", log],
        netns: options.netns,
    });
    const calls: ReceivedCall[] = [];
    const tail = new LogTail(log);
    const poll = setInterval(() => {
        for (const line of tail.readNew()) {
            const call = parseLoggedCall(line);
            if (!call) continue;
            calls.push(call);
            options.onCall?.(call);
        }
    }, 200);

    const placing = new Set<SippProcess>();
    return {
        calls,
        call: inboundCaller(office, options, placing),
        async stop() {
            clearInterval(poll);
            await Promise.all([answering.stop(), ...[...placing].map((p) => p.stop())]);
            rmSync(dir, { recursive: true, force: true });
        },
    };
}

/** Writes the answering scenario into `dir`, playing a tone written beside it; returns its path. */
function writeAnswerScenario(dir: string): string {
    const tone = join(dir, "tone.alaw");
    writeFileSync(tone, aLawTone(440, 8000));
    const scenario = join(dir, "standin-provider-answer.xml");
    writeFileSync(scenario, readFileSync(answerScenario, "utf8").replaceAll("@TONE@", tone));
    return scenario;
}

/** The whole lines a growing log file has gained since the last read. */
class LogTail {
    private offset = 0;
    private partial = "";

    constructor(private readonly file: string) {}

    readNew(): string[] {
        if (!existsSync(this.file)) return [];
        const size = statSync(this.file).size;
        if (size <= this.offset) return [];
        const buffer = Buffer.alloc(size - this.offset);
        const fd = openSync(this.file, "r");
        try {
            readSync(fd, buffer, 0, buffer.length, this.offset);
        } finally {
            closeSync(fd);
        }
        this.offset = size;
        const lines = (this.partial + buffer.toString("latin1")).split("\n");
        this.partial = lines.pop() ?? "";
        return lines;
    }
}

/** Places inbound calls, each from the next of 21 local ports in turn, keeping each in `placing` until it ends. */
function inboundCaller(
    office: Office,
    options: StandInProviderOptions,
    placing: Set<SippProcess>,
): (e164: string) => InboundCall {
    let nextPort = options.callPort ?? 5070;
    return (e164) => {
        const dialed = numberAsProviderSends(office, e164);
        const port = nextPort;
        nextPort = nextPort >= (options.callPort ?? 5070) + 40 ? (options.callPort ?? 5070) : nextPort + 2;
        const sipp = startSipp({
            scenario: join(__dirname, "..", inboundCallScenario),
            local: options.address,
            localPort: port,
            mediaPort: 16000 + port,
            remote: options.server,
            service: dialed,
            vars: { from: outsideCaller },
            extraArgs: ["-d", String((options.holdSeconds ?? 20) * 1000)],
            timeoutSeconds: (options.holdSeconds ?? 20) + 120,
            netns: options.netns,
        });
        placing.add(sipp);
        void sipp.done.then(() => placing.delete(sipp));
        return { dialed, done: sipp.done };
    };
}

/** One line the answering scenario logged for an INVITE: `call N|Request-URI|From: …|P-Asserted-Identity: …`. */
export function parseLoggedCall(line: string): ReceivedCall | undefined {
    const m = line.match(/^call \d+\|([^|]*)\|(?:From:\s*)?([^|]*)\|(.*)$/);
    if (!m) return undefined;
    const pai = m[3].replace(/^P-Asserted-Identity:\s*/i, "").trim();
    return { requestUri: m[1].trim(), from: m[2].trim(), pai: pai || undefined };
}

/** What an outbound call looks like on screen. */
export function describeCall(call: ReceivedCall): string {
    return `stand-in provider: call to ${call.requestUri}, From ${call.from}, P-Asserted-Identity ${call.pai ?? "(none)"}; answered with a tone`;
}

/** What an inbound call's SIPp run came to, for the screen. */
export function describeInbound(e164: string, run: SippRun): string {
    const finals = [...run.messages.matchAll(/^SIP\/2\.0 ([2-6]\d\d) ([^\r\n]*)/gm)].map((m) => `${m[1]} ${m[2]}`);
    const invite = finals.filter((f) => !f.startsWith("401") && !f.startsWith("407")).pop();
    if (!invite)
        return `stand-in provider: the call to ${e164} got no answer (${run.killed ? "stopped" : `SIPp exit ${run.exitCode}`})`;
    return invite.startsWith("200")
        ? `stand-in provider: the call to ${e164} was answered and has ended`
        : `stand-in provider: the call to ${e164} was refused: ${invite}`;
}

/**
 * `seconds` of a sine tone at `hz` as G.711 A-law samples (8 kHz), at about -10 dBm0: a whole number of cycles,
 * so that it loops without a click. A-law as ITU-T G.711 defines it (segment, mantissa, even bits inverted).
 */
export function aLawTone(hz: number, samples: number): Buffer {
    const out = Buffer.alloc(samples);
    for (let i = 0; i < samples; i++) out[i] = linearToALaw(Math.round(8000 * Math.sin((2 * Math.PI * hz * i) / 8000)));
    return out;
}

function linearToALaw(sample: number): number {
    const sign = sample >= 0 ? 0x80 : 0x00;
    let magnitude = Math.min(Math.abs(sample), 32767) >> 3; // 13-bit magnitude
    let segment = 0;
    if (magnitude >= 32) {
        segment = 1;
        while (magnitude >= 64 && segment < 7) {
            magnitude >>= 1;
            segment++;
        }
        magnitude &= 0x1f;
        magnitude >>= 1;
    } else magnitude >>= 1;
    return (sign | (segment << 4) | (magnitude & 0x0f)) ^ 0x55;
}
