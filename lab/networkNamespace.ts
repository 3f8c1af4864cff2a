import { spawn, type ChildProcess } from "child_process";

/**
 * A network namespace with only loopback, up, that several commands join one after another (a local ACME
 * server and the clients it talks to), so they meet on 127.0.0.x without touching this machine's ports.
 * It lasts while its holder process lives: stop() ends it.
 */
export class NetworkNamespace {
    private constructor(private readonly holder: ChildProcess) {}

    static async create(): Promise<NetworkNamespace> {
        const holder = spawn(
            "setpriv",
            [
                "--pdeathsig",
                "KILL",
                "--",
                "unshare",
                "--net",
                "--",
                "sh",
                "-c",
                "ip link set lo up && echo up && exec sleep 3600",
            ],
            {
                stdio: ["ignore", "pipe", "pipe"],
            },
        );
        let stderr = "";
        holder.stderr!.on("data", (d) => (stderr += d));
        await new Promise<void>((resolve, reject) => {
            holder.stdout!.once("data", () => resolve());
            holder.once("exit", (code) =>
                reject(new Error(`the network namespace could not be made (unshare exited ${code}): ${stderr.trim()}`)),
            );
        });
        return new NetworkNamespace(holder);
    }

    /** The namespace's path, for nsenter --net= and ChrootOptions.networkNamespace. */
    get path(): string {
        return `/proc/${this.holder.pid}/ns/net`;
    }

    stop(): void {
        this.holder.kill("SIGKILL");
    }
}
