/**
 * A server on this machine for the real-engine tests: a Debian sid chroot with Asterisk and sshd,
 * sshd listening on a loopback address, a key pair made for the test. Commands that deskphone runs
 * over SSH run inside the chroot, so the chroot is the office's server.
 */
import { execFileSync, spawn, type ChildProcess } from "child_process";
import { generateKeyPairSync } from "crypto";
import * as fs from "fs";
import * as path from "path";

const chrootScript = path.join(__dirname, "..", "calls", "debian-chroot.sh");
const serverPackages = "asterisk,asterisk-moh-opsound-gsm,msmtp,ca-certificates,openssh-server,fail2ban,nftables";

export interface SshServer {
    root: string;
    host: string;
    port: number;
    /** PKCS#8 PEM private key deskphone logs in with. */
    privateKey: string;
    /** Runs a command inside the server (as root) and returns its output. */
    run(command: string): string;
    stop(): Promise<void>;
}

/** An OpenSSH ed25519 key pair: PKCS#8 PEM private key, `ssh-ed25519 …` public key. */
export function sshKeyPair(): { privateKey: string; publicKey: string } {
    const pair = generateKeyPairSync("ed25519");
    const raw = pair.publicKey.export({ type: "spki", format: "der" }).subarray(-32);
    const field = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
    return {
        privateKey: pair.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
        publicKey: `ssh-ed25519 ${Buffer.concat([field(Buffer.from("ssh-ed25519")), field(raw)]).toString("base64")} deskphone-e2e`,
    };
}

/** Builds (cached) and copies a fresh server chroot, authorises a new key and starts sshd on host:port. */
export async function startSshServer(host: string, port: number): Promise<SshServer> {
    const base = execFileSync("sh", [chrootScript, "deskphone-server", serverPackages], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
    const root = `${base}-e2e`;
    fs.rmSync(root, { recursive: true, force: true });
    execFileSync("cp", ["-a", base, root]);
    // Package scripts must not start daemons on this machine; the snapshot mirror's Release files look expired.
    fs.writeFileSync(path.join(root, "usr/sbin/policy-rc.d"), "#!/bin/sh\nexit 101\n", { mode: 0o755 });
    fs.writeFileSync(path.join(root, "etc/apt/apt.conf.d/99snapshot-mirror"), 'Acquire::Check-Valid-Until "false";\n');
    const keys = sshKeyPair();
    fs.mkdirSync(path.join(root, "root/.ssh"), { recursive: true, mode: 0o700 });
    fs.writeFileSync(path.join(root, "root/.ssh/authorized_keys"), `${keys.publicKey}\n`, { mode: 0o600 });
    fs.mkdirSync(path.join(root, "run/sshd"), { recursive: true });
    execFileSync("chroot", [root, "ssh-keygen", "-A"], { stdio: "ignore" });
    const sshd: ChildProcess = spawn(
        "setpriv",
        ["--pdeathsig", "KILL", "--", "unshare", "--mount", "--propagation", "private", "--fork", "--kill-child=KILL", "--", "sh", "-c",
            'mount -t proc proc "$1/proc" && mount --rbind /dev "$1/dev" && exec chroot "$1" /usr/sbin/sshd -D -e -p "$3" -o ListenAddress="$2" -o PermitRootLogin=prohibit-password -o PasswordAuthentication=no -o UseDNS=no',
            "sh", root, host, String(port)],
        { stdio: ["ignore", "ignore", "pipe"], detached: true },
    );
    let log = "";
    sshd.stderr?.on("data", (d) => (log += d));
    const deadline = Date.now() + 15_000;
    while (!log.includes("Server listening")) {
        if (sshd.exitCode !== null || Date.now() > deadline) throw new Error(`sshd did not start: ${log}`);
        await new Promise((r) => setTimeout(r, 100));
    }
    const run = (command: string) => execFileSync("chroot", [root, "sh", "-c", command], { encoding: "utf8", timeout: 30_000 });
    return {
        root,
        host,
        port,
        privateKey: keys.privateKey,
        run,
        async stop() {
            try {
                run("asterisk -rx 'core stop now' >/dev/null 2>&1 || true");
            } catch {
                // not running
            }
            const pidFile = path.join(root, "var/run/asterisk/asterisk.pid");
            if (fs.existsSync(pidFile)) {
                try {
                    process.kill(Number(fs.readFileSync(pidFile, "utf8")), "SIGKILL");
                } catch {
                    // already gone
                }
            }
            if (sshd.pid && sshd.exitCode === null) process.kill(-sshd.pid, "SIGKILL");
            await new Promise((r) => setTimeout(r, 200));
        },
    };
}
