/**
 * fail2ban's view of Asterisk's security log: the real fail2ban-regex from the Debian sid server
 * chroot (the package the install script installs) run on a copy of the log. Nothing here starts
 * fail2ban-server or touches this machine's firewall.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** The server chroot's package list (the same as the e2e tests' and the install script's). */
export const serverPackages = "asterisk,asterisk-moh-opsound-gsm,msmtp,ca-certificates,openssh-server,fail2ban,nftables";

let root: string | undefined;

/** The cached Debian sid chroot with fail2ban installed (built on first use; never modified but for a temp dir in its /tmp). */
export function serverRoot(): string {
    root ??= execFileSync("sh", [join(__dirname, "..", "calls", "debian-chroot.sh"), "deskphone-server", serverPackages], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "inherit"],
    })
        .trim()
        .split("\n")
        .pop()!;
    return root;
}

export interface FilterResult {
    /** Matched failures per address. */
    byAddress: Map<string, number>;
    /** Lines fail2ban-regex read. */
    lines: number;
    /** Lines whose date fail2ban recognised (a failure fail2ban cannot date bans no one). */
    dated: number;
    /** fail2ban-regex's full report, for failure messages. */
    report: string;
}

/**
 * Runs fail2ban-regex on `log` with a filter: a path inside the chroot (the stock
 * /etc/fail2ban/filter.d/asterisk.conf), or the text of a filter file of our own.
 */
export function runFilter(log: string, filter: { path: string } | { text: string }): FilterResult {
    return inScratch((dir, inner) => {
        writeFileSync(join(dir, "security.log"), log);
        let filterPath: string;
        if ("path" in filter) filterPath = filter.path;
        else {
            writeFileSync(join(dir, "filter.conf"), filter.text);
            filterPath = `${inner}/filter.conf`;
        }
        const ips = inServerRoot(["fail2ban-regex", "--out", "ip", `${inner}/security.log`, filterPath]);
        const report = inServerRoot(["fail2ban-regex", `${inner}/security.log`, filterPath]);
        const byAddress = new Map<string, number>();
        for (const ip of ips.split("\n").map((l) => l.trim()).filter((l) => /^[\d.:a-f]+$/i.test(l))) byAddress.set(ip, (byAddress.get(ip) ?? 0) + 1);
        const lines = Number(report.match(/^Lines: (\d+) lines/m)?.[1] ?? 0);
        const hits = report.match(/^Date template hits:\n([\s\S]*?)^`-/m)?.[1] ?? "";
        const dated = [...hits.matchAll(/^\|\s+\[(\d+)\]/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
        return { byAddress, lines, dated, report };
    });
}

/** A scratch directory in the chroot's /tmp for `use`, removed afterwards; `use` gets its host path and its path inside the chroot. */
export function inScratch<T>(use: (dir: string, inner: string) => T): T {
    const base = serverRoot();
    const dir = mkdtempSync(join(base, "tmp", "deskphone-f2b-"));
    try {
        return use(dir, dir.slice(base.length));
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

/** Runs a command inside the server chroot and returns its output (stdout and stderr). */
export function inServerRoot(command: string[]): string {
    const result = spawnSync("chroot", [serverRoot(), ...command], { encoding: "utf8", timeout: 30_000 });
    if (result.status !== 0) throw new Error(`chroot ${command.join(" ")} failed (${result.status ?? result.signal}): ${result.stdout}${result.stderr}`);
    return result.stdout + result.stderr;
}
