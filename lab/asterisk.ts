/**
 * Runs a real Asterisk from a Debian sid chroot (Debian's 22, or upstream 20.6.0 beside it: asteriskBuilds.ts) with
 * a given set of config files, one private directory tree per instance, and stops it again whatever happens.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from "node:child_process";
import {
    closeSync,
    cpSync,
    existsSync,
    mkdirSync,
    openSync,
    readFileSync,
    readdirSync,
    realpathSync,
    rmSync,
    writeFileSync,
} from "node:fs";
import { basename, join } from "node:path";
import { asterisk22, AsteriskBuild, buildRoot } from "./asteriskBuilds";
import { serverCertificate } from "./serverCertificate";

export interface AsteriskOptions {
    /** Which Asterisk to run (Debian sid's 22). */
    build?: AsteriskBuild;
    /** Label for this instance's directories and error messages (letters, digits, - and _). */
    name?: string;
    /** Start from the build's stock configuration (Debian's /etc/asterisk, 20.6.0's `make samples`), as an install does, less the files in `omit`, and write `files` over it (default: only `files`). */
    stockConfig?: boolean | { omit: string[] };
    /** Verbosity (`-v` flags): 3 shows each dialplan step in the logs of a failing test; 0 runs Asterisk as its systemd unit does. Default 3. */
    verbosity?: number;
    /** How long to wait for `core waitfullybooted`, in ms (30 000). */
    bootTimeoutMs?: number;
    /** A network namespace of the test's own (`ip netns`) to run in; default this machine's. */
    netns?: string;
}

export interface RunningAsterisk {
    /** The Asterisk this instance runs. */
    build: AsteriskBuild;
    /** Host path of the chroot. */
    root: string;
    /** Host path of this instance's directory tree (etc/, spool/, log/, run/, db/, cache/). */
    dir: string;
    /** Host paths of this instance's config, spool and log directories. */
    etcDir: string;
    spoolDir: string;
    logDir: string;
    /** Path of this instance's asterisk.conf as seen inside the chroot (for `asterisk -C`). */
    confPath: string;
    /** Host PIDs of the launcher (unshare, leader of a process group of our own) and of Asterisk itself. */
    pids: number[];
    /** Runs `asterisk -rx <command>` against this instance and returns its output. */
    cli(command: string): Promise<string>;
    /** messages.log (or `messages`) followed by the captured stdout/stderr of the Asterisk process. */
    logText(): string;
    /** Every WARNING or ERROR line logged so far (a problem logged to both file and console counts once). */
    problems(): string[];
    /** True until the Asterisk process has exited. */
    running(): boolean;
    /** `core stop now`, then SIGKILL to our process group if it lingers; idempotent. */
    stop(): Promise<void>;
}

/** Where instances live inside the chroot. */
const instancesDir = "/run/deskphone";
/** The captured stdout/stderr of the Asterisk process, in logDir. */
const captureFile = "asterisk.out";
/** Log files a logger.conf may name: ours (messages.log) and Asterisk's default (messages). */
const messageFiles = ["messages.log", "messages"];
/** Spool subdirectories Asterisk expects to exist. */
const spoolDirs = ["voicemail", "tmp", "outgoing", "monitor", "recording", "meetme", "dictate", "system"];

let instanceCount = 0;
const live = new Set<Instance>();

/**
 * How long an outbound registration may take to be Registered, from Asterisk's start or `pjsip send register`:
 * Asterisk waits 1 to 10 s at random before it registers (res_pjsip_outbound_registration.c,
 * sip_outbound_registration_perform: `(ast_random() % 10) + 1`), then the challenge takes a round trip.
 */
export const outboundRegistrationWithinMs = 15_000;

/** The chroot of an Asterisk build (Debian's 22 by default), made on first use; throws loudly when it cannot be made. */
export function chrootPath(build: AsteriskBuild = asterisk22): string {
    if (process.getuid?.() !== 0) throw new Error("the Asterisk call tests run a chroot and must run as root");
    for (const tool of ["unshare", "setpriv", "chroot", "mount"]) requireTool(tool);
    return buildRoot(build);
}

/** Throws unless `tool` is on the PATH. */
export function requireTool(tool: string): void {
    try {
        execFileSync("sh", ["-c", `command -v "$1"`, "sh", tool], { stdio: "ignore" });
    } catch {
        throw new Error(`${tool} is missing: the call tests cannot run without it (see test/setup.sh)`);
    }
}

/** Writes `files` into a fresh instance directory in the chroot, starts Asterisk on them and waits until it has fully booted. */
export async function startAsterisk(
    files: Record<string, string>,
    opts: AsteriskOptions = {},
): Promise<RunningAsterisk> {
    if ("asterisk.conf" in files) throw new Error("startAsterisk writes its own asterisk.conf; do not pass one");
    for (const name of Object.keys(files))
        if (!/^[\w.-]+$/.test(name) || name.startsWith(".")) throw new Error(`bad config file name "${name}"`);
    const label = opts.name ?? "asterisk";
    if (!/^[\w-]+$/.test(label)) throw new Error(`bad instance name "${label}"`);
    const build = opts.build ?? asterisk22;
    const root = chrootPath(build);
    const inner = `${instancesDir}/${label}-${++instanceCount}`;
    const dir = join(root, inner);
    rmSync(dir, { recursive: true, force: true });
    for (const sub of ["etc", "log", "run", "db", "cache", ...spoolDirs.map((d) => `spool/${d}`)])
        mkdirSync(join(dir, sub), { recursive: true });
    if (opts.stockConfig) {
        const omit = new Set(opts.stockConfig === true ? [] : opts.stockConfig.omit);
        cpSync(join(root, build.stockEtcDir), join(dir, "etc"), {
            recursive: true,
            filter: (src) => !omit.has(basename(src)),
        });
    }
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, "etc", name), text);
    serverCertificate(root);
    writeFileSync(join(dir, "etc/asterisk.conf"), asteriskConf(build.directories(root), inner));
    const instance = new Instance(build, root, dir, inner, label);
    live.add(instance);
    try {
        await instance.boot(opts.bootTimeoutMs ?? 30_000, opts.verbosity ?? 3, opts.netns);
    } catch (e) {
        await instance.stop();
        throw e;
    }
    return instance;
}

/** Stops every instance still running. */
export async function stopAll(): Promise<void> {
    await Promise.all([...live].map((i) => i.stop()));
}

/** Our asterisk.conf: the build's module, data and key directories, everything writable in the instance's tree. */
function asteriskConf(readOnly: ReturnType<AsteriskBuild["directories"]>, inner: string): string {
    return [
        "; written by lab/asterisk.ts for one test instance",
        "[directories]",
        `astetcdir => ${inner}/etc`,
        ...Object.entries(readOnly).map(([name, dir]) => `${name} => ${dir}`),
        `astdbdir => ${inner}/db`,
        `astspooldir => ${inner}/spool`,
        `astrundir => ${inner}/run`,
        `astlogdir => ${inner}/log`,
        `astcachedir => ${inner}/cache`,
        "",
        "[options]",
        "documentation_language = en_US",
        "",
    ].join("\n");
}

class Instance implements RunningAsterisk {
    readonly etcDir: string;
    readonly spoolDir: string;
    readonly logDir: string;
    readonly confPath: string;
    readonly pids: number[] = [];
    private child?: ChildProcess;
    private alive = false;
    private exited?: Promise<void>;
    private stopping?: Promise<void>;

    constructor(
        readonly build: AsteriskBuild,
        readonly root: string,
        readonly dir: string,
        inner: string,
        private readonly label: string,
    ) {
        this.etcDir = join(dir, "etc");
        this.spoolDir = join(dir, "spool");
        this.logDir = join(dir, "log");
        this.confPath = `${inner}/etc/asterisk.conf`;
    }

    /** Starts Asterisk in a private mount namespace (its /proc and /dev mounts die with it) and waits for it. */
    async boot(timeoutMs: number, verbosity: number, netns?: string): Promise<void> {
        const out = openSync(join(this.logDir, captureFile), "a");
        const verbose = verbosity > 0 ? ` -${"v".repeat(verbosity)}` : "";
        const script = `mount -t proc proc "$1/proc" && mount --rbind /dev "$1/dev" && exec chroot "$1" "$2" -f -n${verbose} -C "$3"`;
        // setpriv: SIGKILL the launcher if we die; --kill-child: SIGKILL Asterisk if the launcher dies.
        const args = [
            "--pdeathsig",
            "KILL",
            "--",
            "unshare",
            "--mount",
            "--propagation",
            "private",
            "--kill-child=KILL",
            "--",
            "sh",
            "-c",
            script,
            "sh",
            this.root,
            this.build.binary,
            this.confPath,
        ];
        // ip netns exec execs setpriv, so the launcher's PID stays the one we know.
        const child = netns
            ? spawn("ip", ["netns", "exec", netns, "setpriv", ...args], { detached: true, stdio: ["ignore", out, out] })
            : spawn("setpriv", args, { detached: true, stdio: ["ignore", out, out] });
        closeSync(out);
        this.child = child;
        this.alive = child.pid !== undefined;
        this.exited = new Promise((resolve) => child.once("close", () => resolve()));
        child.once("exit", () => (this.alive = false));
        child.once("error", () => (this.alive = false));
        if (child.pid === undefined)
            throw new Error(`Asterisk ${this.label} could not be started (is setpriv installed?)`);
        this.pids.push(child.pid);

        const deadline = Date.now() + timeoutMs;
        for (;;) {
            if (!this.running()) throw new Error(`Asterisk ${this.label} exited while starting:\n${this.logText()}`);
            const reply = await this.tryCli("core waitfullybooted", Math.max(1000, deadline - Date.now()));
            if (reply?.includes("fully booted")) break;
            if (Date.now() > deadline)
                throw new Error(`Asterisk ${this.label} did not boot within ${timeoutMs} ms:\n${this.logText()}`);
            await new Promise((r) => setTimeout(r, 100));
        }
        const pid = Number(readFileSync(join(this.dir, "run/asterisk.pid"), "utf8").trim());
        if (pid > 0) this.pids.push(pid);
    }

    running(): boolean {
        return this.alive;
    }

    async cli(command: string): Promise<string> {
        if (!this.running()) throw new Error(`Asterisk ${this.label} is not running; cannot run "${command}"`);
        return new Promise((resolve, reject) => {
            execFile(
                "chroot",
                [this.root, this.build.binary, "-C", this.confPath, "-rx", command],
                { timeout: 15_000, killSignal: "SIGKILL", encoding: "utf8" },
                (err, stdout, stderr) => {
                    if (err)
                        reject(
                            new Error(`asterisk -rx "${command}" failed (${err.message.trim()}): ${stdout}${stderr}`),
                        );
                    else resolve(stdout);
                },
            );
        });
    }

    /** cli(), but undefined instead of an error (used while waiting for boot). */
    private tryCli(command: string, timeoutMs: number): Promise<string | undefined> {
        return new Promise((resolve) => {
            execFile(
                "chroot",
                [this.root, this.build.binary, "-C", this.confPath, "-rx", command],
                { timeout: timeoutMs, killSignal: "SIGKILL", encoding: "utf8" },
                (err, stdout) => resolve(err ? undefined : stdout),
            );
        });
    }

    logText(): string {
        return [...messageFiles, captureFile]
            .map((f) => readIfExists(join(this.logDir, f)))
            .filter(Boolean)
            .join("\n");
    }

    problems(): string[] {
        const fromFiles = messageFiles.flatMap((f) => readIfExists(join(this.logDir, f)).split("\n")).filter(isProblem);
        const seen = new Set(fromFiles.map(problemKey));
        const fromConsole = readIfExists(join(this.logDir, captureFile))
            .split("\n")
            .filter((l) => isProblem(l) && !seen.has(problemKey(l)));
        return [...fromFiles, ...fromConsole];
    }

    stop(): Promise<void> {
        this.stopping ??= this.shutdown();
        return this.stopping;
    }

    private async shutdown(): Promise<void> {
        try {
            if (this.running()) {
                await this.tryCli("core stop now", 10_000);
                if (!(await this.waitExit(10_000))) {
                    this.killNow();
                    if (!(await this.waitExit(5_000)))
                        throw new Error(`Asterisk ${this.label} (pids ${this.pids.join(", ")}) survived SIGKILL`);
                }
            }
            this.killNow(); // anything Asterisk forked that outlived it
        } finally {
            live.delete(this);
        }
    }

    private async waitExit(ms: number): Promise<boolean> {
        if (!this.exited || !this.child?.pid) return true;
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)));
        const done = await Promise.race([this.exited.then(() => true), timeout]);
        clearTimeout(timer);
        return done;
    }

    /** SIGKILLs, synchronously, our process group while its leader lives, and any process of our session left in the chroot. */
    killNow(): void {
        const leader = this.child?.pid;
        if (!leader) return;
        if (this.alive) signal(-leader); // not yet reaped, so the group id is still ours
        for (const pid of sessionLeftovers(leader, this.root)) signal(pid);
    }
}

/** Processes in session `sid` (our detached launcher's) whose root is the chroot: only ours can be both. */
function sessionLeftovers(sid: number, root: string): number[] {
    const found: number[] = [];
    for (const entry of readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) continue;
        try {
            const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
            const session = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[3]);
            if (session === sid && realpathSync(`/proc/${entry}/root`) === realpathSync(root))
                found.push(Number(entry));
        } catch {
            // exited meanwhile
        }
    }
    return found;
}

/** SIGKILL, ignoring a process that is already gone. */
function signal(pid: number): void {
    try {
        process.kill(pid, "SIGKILL");
    } catch {
        // already gone
    }
}

function readIfExists(path: string): string {
    return existsSync(path) ? readFileSync(path, "utf8") : "";
}

/** A log line at WARNING or ERROR level, as written to a log file or to the console. */
const problemLine = /^\[[^\]]+\] (WARNING|ERROR)\[\d+\](?:\[[^\]]*\])?:? (\S+?)(?::\d+ \S+)?: (.*)$/;

function isProblem(line: string): boolean {
    return problemLine.test(line);
}

/** Level, source file and message: the same for a problem in messages.log and on the console. */
function problemKey(line: string): string {
    const m = line.match(problemLine);
    return m ? `${m[1]} ${m[2]} ${m[3]}` : line;
}

// A crashed or interrupted test run still stops every Asterisk it started.
process.once("exit", () => {
    for (const instance of live) instance.killNow();
});
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(sig, () => {
        for (const instance of live) instance.killNow();
        if (process.listenerCount(sig) === 0) process.kill(process.pid, sig); // nobody else handles it: die of it as before
    });
}
// Under mocha, also a root-level after hook, so the next run starts clean even when a test forgot stop().
const mochaAfter = (globalThis as { after?: (fn: () => Promise<void>) => void }).after;
if (typeof mochaAfter === "function") mochaAfter(stopAll);
