/**
 * fail2ban's view of Asterisk's security log: the real fail2ban-regex from the Debian sid server
 * chroot (the package the install script installs) run on a copy of the log. Nothing here starts
 * fail2ban-server or touches this machine's firewall.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** The server chroot's package list: what the install script installs on Debian sid, e2fsprogs as on Ubuntu, and sshd for the e2e tests. */
export const serverPackages =
    "asterisk,asterisk-moh-opsound-gsm,msmtp,ca-certificates,openssh-server,fail2ban,nftables,python3-pyasyncore,python3-systemd,e2fsprogs";

/** A fail2ban release the jail is tested with, in a cached Debian chroot of its own. */
export interface Fail2banRelease {
    label: string;
    /** The chroot's cache name, package list and Debian suite (lab/debian-chroot.sh). */
    chroot: { name: string; packages: string; suite: string };
}

/**
 * Ubuntu 24.04 ships fail2ban 1.0.2 (Debian 12 has the same upstream release; its Python is 3.11, not
 * Ubuntu's 3.12) and the droplets run it; Debian sid has 1.1. python3-systemd is there because the
 * install script installs it by name, for the sshd jail Ubuntu enables on the journal.
 */
export const fail2banReleases: Fail2banRelease[] = [
    {
        label: "fail2ban 1.0.2 (Debian 12's package, Ubuntu 24.04's release)",
        chroot: { name: "fail2ban-bookworm", packages: "fail2ban,nftables,python3-systemd", suite: "bookworm" },
    },
    {
        label: "fail2ban 1.1 (Debian sid)",
        chroot: { name: "deskphone-server", packages: serverPackages, suite: "sid" },
    },
];

/**
 * Ubuntu 24.04's /etc/fail2ban/jail.d/defaults-debian.conf (fail2ban 1.0.2-3ubuntu0.1): the journal for
 * every jail, nftables bans, sshd on. As quoted in deskphone issues 16 and 18 from the Ubuntu package;
 * Debian made the same move in 1.1.0-3 ("Restore the use of nftables and, for some jails, the systemd
 * backend", fail2ban/fail2ban#3292), with the backend on the sshd jail only.
 */
export const ubuntuJailDefaults = [
    "[DEFAULT]",
    "banaction = nftables",
    "banaction_allports = nftables[type=allports]",
    "backend = systemd",
    "",
    "[sshd]",
    "enabled = true",
    "",
].join("\n");

const roots = new Map<string, string>();

/** The cached chroot of a release (built on first use; never modified but for temp dirs in its /tmp). */
export function releaseRoot(release: Fail2banRelease = fail2banReleases[1]): string {
    const { name, packages, suite } = release.chroot;
    let root = roots.get(name);
    if (!root) {
        root = execFileSync("sh", [join(__dirname, "debian-chroot.sh"), name, packages, suite], {
            encoding: "utf8",
            stdio: ["ignore", "pipe", "inherit"],
        })
            .trim()
            .split("\n")
            .pop()!;
        roots.set(name, root);
    }
    return root;
}

/** The cached Debian sid chroot with fail2ban installed, the one the install script's server is. */
export function serverRoot(): string {
    return releaseRoot(fail2banReleases[1]);
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
 * /etc/fail2ban/filter.d/asterisk.conf), or the text of a filter file of our own; in the server's
 * chroot unless another release's is given.
 */
export function runFilter(log: string, filter: { path: string } | { text: string }, root = serverRoot()): FilterResult {
    return inScratch((dir, inner) => {
        writeFileSync(join(dir, "security.log"), log);
        let filterPath: string;
        if ("path" in filter) filterPath = filter.path;
        else {
            writeFileSync(join(dir, "filter.conf"), filter.text);
            filterPath = `${inner}/filter.conf`;
        }
        const ips = inServerRoot(["fail2ban-regex", "--out", "ip", `${inner}/security.log`, filterPath], root);
        const report = inServerRoot(["fail2ban-regex", `${inner}/security.log`, filterPath], root);
        const byAddress = new Map<string, number>();
        for (const ip of ips
            .split("\n")
            .map((l) => l.trim())
            .filter((l) => /^[\d.:a-f]+$/i.test(l)))
            byAddress.set(ip, (byAddress.get(ip) ?? 0) + 1);
        const lines = Number(report.match(/^Lines: (\d+) lines/m)?.[1] ?? 0);
        const hits = report.match(/^Date template hits:\n([\s\S]*?)^`-/m)?.[1] ?? "";
        const dated = [...hits.matchAll(/^\|\s+\[(\d+)\]/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
        return { byAddress, lines, dated, report };
    }, root);
}

/** A scratch directory in the chroot's /tmp for `use`, removed afterwards; `use` gets its host path and its path inside the chroot. */
export function inScratch<T>(use: (dir: string, inner: string) => T, base = serverRoot()): T {
    const dir = mkdtempSync(join(base, "tmp", "deskphone-f2b-"));
    try {
        return use(dir, dir.slice(base.length));
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

/** Runs a command inside a chroot (the server's by default) and returns its output (stdout and stderr). */
export function inServerRoot(command: string[], root = serverRoot()): string {
    const result = spawnSync("chroot", [root, ...command], { encoding: "utf8", timeout: 30_000 });
    if (result.status !== 0)
        throw new Error(
            `chroot ${command.join(" ")} failed (${result.status ?? result.signal}): ${result.stdout}${result.stderr}`,
        );
    return result.stdout + result.stderr;
}
