/**
 * Runs SIPp scenarios against the test Asterisk: one call to completion (runSipp), or a UAS kept
 * running in the background while another call is placed (startSipp). Every run is bounded and killed
 * if it overstays; trace files are collected into the result.
 */
import { ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export interface SippOptions {
    /** Path of the scenario XML. */
    scenario: string;
    /** Local address to bind SIP and media to; must be in 127.0.0.0/8. */
    local: string;
    /** Local SIP port (5060). */
    localPort?: number;
    /** host:port calls are sent to (127.0.0.1:5060, the test Asterisk). */
    remote?: string;
    /** Calls to place before exiting, -m (1). */
    calls?: number;
    /** Calls per second, -r. */
    rate?: number;
    /** Request-URI user, -s. */
    service?: string;
    /** Scenario variables, each passed as -set name value. */
    vars?: Record<string, string>;
    /** Injection CSV file, -inf. */
    inf?: string;
    /** SIPp's own global timeout (-timeout, with -timeout_error); the process is killed 5 s after it. */
    timeoutSeconds: number;
    /** Echo RTP received on the media port back to its sender, -rtp_echo. */
    rtpEcho?: boolean;
    /** Local media port, -mp (SIPp's default 6000). */
    mediaPort?: number;
    /** Anything else for the SIPp command line. */
    extraArgs?: string[];
    /**
     * A network namespace of the test's own to run in (`ip netns`). There, and only there, SIPp may use
     * the documentation ranges of RFC 5737 too: a modelled network with no way out of the machine.
     */
    netns?: string;
}

const loopbackAddress = /^127\.\d+\.\d+\.\d+$/;
/** RFC 5737's documentation ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24): never routed on the internet. */
const documentationAddress = /^(192\.0\.2|198\.51\.100|203\.0\.113)\.\d+$/;

/** Whether SIPp may use `address`: loopback, or in a modelled network a documentation address. */
function allowedAddress(address: string, netns: string | undefined): boolean {
    return loopbackAddress.test(address) || (netns !== undefined && documentationAddress.test(address));
}

export interface SippRun {
    /** SIPp's exit code: 0 every call succeeded, 1 some failed, 97/99 other normal exits, 255 fatal or its -timeout struck, 254 cannot bind; -1 if killed. */
    exitCode: number;
    /** True when the process overstayed timeoutSeconds and was killed (or was stopped by stop()). */
    killed: boolean;
    /** The full command line, for error messages. */
    command: string;
    stdout: string;
    stderr: string;
    /** Every SIP message sent and received (-trace_msg). */
    messages: string;
    /** Unexpected messages and other errors (-trace_err). */
    errors: string;
    /** The statistics CSV (-trace_stat), when SIPp wrote one. */
    stats?: string;
}

export interface SippProcess {
    pid: number;
    /** Resolves when SIPp has exited, with everything it traced. */
    done: Promise<SippRun>;
    /** Ends SIPp (SIGTERM, then SIGKILL after 3 s) and waits for it; idempotent. */
    stop(): Promise<void>;
}

/** Grace after SIPp's own timeout before we kill it. */
const killGraceMs = 5_000;
/** PIDs of SIPp processes not yet reaped (safe to signal), and how to stop each run still going. */
const live = new Set<number>();
const running = new Map<number, () => Promise<void>>();
let checked = false;

/** Runs one SIPp scenario to completion. */
export async function runSipp(opts: SippOptions): Promise<SippRun> {
    return startSipp(opts).done;
}

/** Starts SIPp in the background (e.g. a UAS waiting for a call) and returns at once. */
export function startSipp(opts: SippOptions): SippProcess {
    const remote = checkedRemote(opts);
    // SIPp runs in its own folder (it drops stat files for -oocsf scenarios in its working directory).
    const dir = mkdtempSync(join(tmpdir(), "deskphone-sipp-"));
    const args = sippArgs(opts, remote, (name) => join(dir, name));
    const command = ["sipp", ...args].join(" ");
    const child = spawnSipp(args, opts.netns, dir);
    if (child.pid === undefined) throw new Error(`could not start ${command}`);
    const pid = child.pid;
    live.add(pid);
    const state: RunState = { stdout: "", stderr: "", killed: false };
    child.stdout?.setEncoding("utf8").on("data", (d: string) => (state.stdout = keepTail(state.stdout + d)));
    child.stderr?.setEncoding("utf8").on("data", (d: string) => (state.stderr = keepTail(state.stderr + d)));

    const kill = () => {
        if (!live.has(pid)) return;
        state.killed = true;
        signal(-pid, "SIGKILL");
    };
    const timer = setTimeout(kill, opts.timeoutSeconds * 1000 + killGraceMs);
    const done = whenClosed(child, pid, state, { timer, command, dir });
    const stop = stopper(pid, done, kill, state);
    running.set(pid, stop);
    void done.then(() => running.delete(pid));
    return { pid, done, stop };
}

/** What a SIPp process has printed so far, and whether it was killed. */
interface RunState {
    stdout: string;
    stderr: string;
    killed: boolean;
}

/** `opts.remote` or the test Asterisk, once the options are checked (and SIPp is known to be installed). */
function checkedRemote(opts: SippOptions): string {
    requireSipp();
    if (!allowedAddress(opts.local, opts.netns)) throw new Error(`SIPp must bind to 127.0.0.0/8, not ${opts.local}`);
    const remote = opts.remote ?? "127.0.0.1:5060";
    if (!allowedAddress(remote.replace(/:\d+$/, ""), opts.netns))
        throw new Error(`SIPp may only send to 127.0.0.0/8, not ${remote}`);
    if (!(opts.timeoutSeconds > 0)) throw new Error("runSipp needs a positive timeoutSeconds");
    if (!existsSync(opts.scenario)) throw new Error(`no SIPp scenario at ${opts.scenario}`);
    return remote;
}

/** SIPp's command line after `sipp`, its trace files at `file(name)`. */
function sippArgs(opts: SippOptions, remote: string, file: (name: string) => string): string[] {
    const args = [
        remote,
        "-sf",
        resolve(opts.scenario),
        "-i",
        opts.local,
        "-p",
        String(opts.localPort ?? 5060),
        "-mi",
        opts.local,
    ];
    args.push("-m", String(opts.calls ?? 1), "-timeout", `${opts.timeoutSeconds}s`, "-timeout_error", "-nostdin");
    args.push("-trace_msg", "-message_file", file("messages.log"), "-trace_err", "-error_file", file("errors.log"));
    args.push("-trace_stat", "-stf", file("stats.csv"));
    if (opts.rate !== undefined) args.push("-r", String(opts.rate));
    if (opts.service !== undefined) args.push("-s", opts.service);
    for (const [name, value] of Object.entries(opts.vars ?? {})) args.push("-set", name, value);
    if (opts.inf !== undefined) args.push("-inf", resolve(opts.inf));
    if (opts.rtpEcho) args.push("-rtp_echo");
    if (opts.mediaPort !== undefined) args.push("-mp", String(opts.mediaPort));
    args.push(...(opts.extraArgs ?? []));
    return args;
}

function spawnSipp(args: string[], netns: string | undefined, dir: string): ChildProcess {
    // setpriv: SIPp is SIGKILLed if this process dies; it then execs sipp, so the PID is SIPp's own
    // (ip netns exec execs too).
    const launcher = ["setpriv", "--pdeathsig", "KILL", "--", "sipp", ...args];
    const [program, ...rest] = netns ? ["ip", "netns", "exec", netns, ...launcher] : launcher;
    return spawn(program, rest, { cwd: dir, detached: true, stdio: ["ignore", "pipe", "pipe"] });
}

/** Resolves once SIPp has exited and its output is closed, with everything it traced; then removes `dir`. */
function whenClosed(
    child: ChildProcess,
    pid: number,
    state: RunState,
    { timer, command, dir }: { timer: NodeJS.Timeout; command: string; dir: string },
): Promise<SippRun> {
    const file = (name: string) => join(dir, name);
    return new Promise<SippRun>((resolve) => {
        child.once("error", (e) => (state.stderr += `\n${e.message}`));
        child.once("exit", () => live.delete(pid)); // reaped: the PID is no longer ours
        child.once("close", (code, sig) => {
            live.delete(pid);
            clearTimeout(timer);
            const read = (name: string) => (existsSync(file(name)) ? readFileSync(file(name), "utf8") : undefined);
            const run: SippRun = {
                exitCode: code ?? -1,
                killed: state.killed || sig !== null,
                command,
                stdout: state.stdout,
                stderr: state.stderr,
                messages: read("messages.log") ?? "",
                errors: read("errors.log") ?? "",
                stats: read("stats.csv"),
            };
            rmSync(dir, { recursive: true, force: true });
            resolve(run);
        });
    });
}

/** SippProcess.stop for the run `pid`: SIGTERM, `kill` after 3 s, and the wait for `done`; once, however often called. */
function stopper(pid: number, done: Promise<SippRun>, kill: () => void, state: RunState): () => Promise<void> {
    let stopping: Promise<void> | undefined;
    return () =>
        (stopping ??= (async () => {
            if (live.has(pid)) {
                state.killed = true;
                signal(pid, "SIGTERM");
                const late = setTimeout(kill, 3_000);
                await done;
                clearTimeout(late);
            }
            await done;
        })());
}

/** Stops every SIPp still running. */
export async function stopAllSipp(): Promise<void> {
    await Promise.all([...running.values()].map((stop) => stop()));
}

/** Throws unless sipp and setpriv are installed. */
function requireSipp(): void {
    if (checked) return;
    for (const tool of ["sipp", "setpriv"]) {
        try {
            execFileSync("sh", ["-c", `command -v "$1"`, "sh", tool], { stdio: "ignore" });
        } catch {
            throw new Error(`${tool} is missing: the call tests cannot run without it (see test/setup.sh)`);
        }
    }
    checked = true;
}

/** The last 1 MB of a growing output (SIPp redraws its screen every second). */
function keepTail(text: string): string {
    return text.length > 1_000_000 ? text.slice(-1_000_000) : text;
}

function signal(pid: number, sig: NodeJS.Signals): void {
    try {
        process.kill(pid, sig);
    } catch {
        // already gone
    }
}

// A crashed or interrupted run still kills every SIPp it started (pids are only in `live` until reaped).
process.once("exit", () => {
    for (const pid of live) signal(-pid, "SIGKILL");
});
const mochaAfter = (globalThis as { after?: (fn: () => Promise<void>) => void }).after;
if (typeof mochaAfter === "function") mochaAfter(stopAllSipp);
