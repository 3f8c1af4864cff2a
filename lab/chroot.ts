import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";

const chrootScript = path.join(__dirname, "debian-chroot.sh");

/**
 * A fresh copy of a cached Debian chroot, made ready to play a server on this machine: package
 * scripts may not start daemons here (fail2ban would touch this machine's firewall), and apt accepts
 * this machine's mirror, a dated snapshot whose Release files it would call expired. The copy is this
 * process's own (test runs of two checkouts at once never share one); removeServerRoot removes it.
 */
export function freshServerRoot(name: string, packages = "", { suite = "sid", copy = "fresh" } = {}): string {
    const base = execFileSync("sh", [chrootScript, name, packages, suite], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "inherit"],
    }).trim();
    const root = `${base}-${copy}-${process.pid}`;
    fs.rmSync(root, { recursive: true, force: true });
    execFileSync("cp", ["-a", base, root]);
    fs.writeFileSync(path.join(root, "usr/sbin/policy-rc.d"), "#!/bin/sh\nexit 101\n", { mode: 0o755 });
    fs.writeFileSync(path.join(root, "etc/apt/apt.conf.d/99snapshot-mirror"), 'Acquire::Check-Valid-Until "false";\n');
    return root;
}

/** How a chroot's commands see the network: this machine's, or a private one (only loopback, its own process tree). */
export interface ChrootOptions {
    /** A network namespace of its own, up but for loopback, and a PID namespace: daemons started inside die with it. Default false. */
    privateNetwork?: boolean;
    /** An empty /dev of its own (tmpfs) instead of this machine's, for device nodes the script makes. Default false. */
    privateDev?: boolean;
    /** A network namespace to join (its /proc/PID/ns/net path), shared with other commands, instead of this machine's. Default none. */
    networkNamespace?: string;
}

/**
 * The command line that runs `script` as root inside `root` with its own /proc and /dev, mounted in
 * a private namespace so that they vanish with it, and killed if this process dies.
 */
export function inChrootCommand(root: string, script: string, options: ChrootOptions = {}): [string, string[]] {
    const isolation = options.privateNetwork ? ["--net", "--pid"] : [];
    const network = options.privateNetwork ? "ip link set lo up && " : "";
    const dev = options.privateDev ? 'mount -t tmpfs -o mode=755 dev "$1/dev"' : 'mount --rbind /dev "$1/dev"';
    const join = options.networkNamespace ? ["nsenter", `--net=${options.networkNamespace}`, "--"] : [];
    return [
        "setpriv",
        [
            "--pdeathsig",
            "KILL",
            "--",
            ...join,
            "unshare",
            "--mount",
            ...isolation,
            "--propagation",
            "private",
            "--fork",
            "--kill-child=KILL",
            "--",
            "sh",
            "-c",
            `${network}mount -t proc proc "$1/proc" && ${dev} && exec chroot "$1" sh -c "$2"`,
            "sh",
            root,
            script,
        ],
    ];
}

/** Runs a script as root inside `root`; resolves with its exit code and output (killed after timeoutMs). */
export function runInChroot(
    root: string,
    script: string,
    timeoutMs: number,
    options: ChrootOptions = {},
): Promise<{ code: number; output: string }> {
    return new Promise((resolve) => {
        const [command, args] = inChrootCommand(root, script, options);
        const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
        let output = "";
        child.stdout.on("data", (d) => (output += d));
        child.stderr.on("data", (d) => (output += d));
        const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
        child.on("close", (code) => {
            clearTimeout(timer);
            resolve({ code: code ?? -1, output });
        });
    });
}

/** Stops an Asterisk started inside `root` (by its own CLI, else by the PID it wrote) and removes the chroot. */
export function removeServerRoot(root: string): void {
    try {
        execFileSync("chroot", [root, "asterisk", "-rx", "core stop now"], { stdio: "ignore", timeout: 10_000 });
    } catch {
        // not running
    }
    const pidFile = path.join(root, "var/run/asterisk/asterisk.pid");
    if (fs.existsSync(pidFile)) {
        const pid = Number(fs.readFileSync(pidFile, "utf8"));
        try {
            process.kill(pid, 0);
            process.kill(pid, "SIGKILL");
        } catch {
            // already gone
        }
    }
    fs.rmSync(root, { recursive: true, force: true });
}
