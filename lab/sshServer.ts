/**
 * A server on this machine for the real-engine tests: a Debian sid chroot with Asterisk and sshd,
 * sshd listening on a loopback address, a key pair made for the test. Commands that deskphone runs
 * over SSH run inside the chroot, so the chroot is the office's server.
 */
import { execFileSync, spawn, type ChildProcess } from "child_process";
import { serverPackages } from "./fail2ban";
import { freshServerRoot, inChrootCommand, removeServerRoot } from "./chroot";
import { generateKeyPairSync } from "crypto";
import * as fs from "fs";
import * as path from "path";

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
    const root = freshServerRoot("deskphone-server", serverPackages);
    const keys = sshKeyPair();
    fs.mkdirSync(path.join(root, "root/.ssh"), { recursive: true, mode: 0o700 });
    fs.writeFileSync(path.join(root, "root/.ssh/authorized_keys"), `${keys.publicKey}\n`, { mode: 0o600 });
    fs.mkdirSync(path.join(root, "run/sshd"), { recursive: true });
    execFileSync("chroot", [root, "ssh-keygen", "-A"], { stdio: "ignore" });
    const [command, args] = inChrootCommand(
        root,
        `exec /usr/sbin/sshd -D -e -p ${port} -o ListenAddress=${host} -o PermitRootLogin=prohibit-password -o PasswordAuthentication=no -o UseDNS=no`,
    );
    const sshd: ChildProcess = spawn(command, args, { stdio: ["ignore", "ignore", "pipe"], detached: true });
    let log = "";
    sshd.stderr?.on("data", (d) => (log += d));
    const deadline = Date.now() + 15_000;
    while (!log.includes("Server listening")) {
        if (sshd.exitCode !== null || Date.now() > deadline) throw new Error(`sshd did not start: ${log}`);
        await new Promise((r) => setTimeout(r, 100));
    }
    const run = (command: string) =>
        execFileSync("chroot", [root, "sh", "-c", command], { encoding: "utf8", timeout: 30_000 });
    return {
        root,
        host,
        port,
        privateKey: keys.privateKey,
        run,
        async stop() {
            if (sshd.pid && sshd.exitCode === null) process.kill(-sshd.pid, "SIGKILL");
            removeServerRoot(root);
        },
    };
}
