/**
 * Benchmarks that run Asterisk and SIPp on loopback run in a network namespace of their own, so
 * they never collide with a test run on this machine's 127.0.0.1:5060 (and nothing can leave it).
 */
import { spawnSync } from "node:child_process";

const marker = "DESKPHONE_BENCH_PRIVATE_NETWORK";

/** Re-runs this script inside `unshare --net` (as root) unless it already runs there; returns only inside. */
export function inPrivateNetwork(): void {
    if (process.env[marker] === "1") return;
    if (process.getuid?.() !== 0)
        throw new Error("this benchmark runs Asterisk in a chroot and a private network namespace: run it as root");
    const result = spawnSync(
        "unshare",
        [
            "--net",
            "sh",
            "-c",
            'ip link set lo up && exec "$@"',
            "sh",
            process.execPath,
            ...process.execArgv,
            ...process.argv.slice(1),
        ],
        {
            stdio: "inherit",
            env: { ...process.env, [marker]: "1" },
        },
    );
    process.exit(result.status ?? 1);
}
