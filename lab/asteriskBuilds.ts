/**
 * The Asterisk versions the call tests run on: Debian sid's packaged Asterisk 22, and upstream 20.6.0, the
 * version Ubuntu 24.04 droplets run, built from source (../shared/tools/asterisk20) and unpacked into a copy of
 * the same chroot. Each says where its chroot comes from and where its files live inside it.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

export interface AsteriskBuild {
    /** The version as `core show version` prints it after "Asterisk " (a prefix of it for 22). */
    version: string;
    /** The script that builds (once) and prints the chroot's host path. */
    chrootScript: string;
    /** The asterisk binary inside the chroot, for starting and for `-rx`. */
    binary: string;
    /** Where the stock configuration lives inside the chroot (what `make samples` or the package installed). */
    stockEtcDir: string;
    /** asterisk.conf's read-only directories for this build, given the chroot (22's module directory is the package's choice). */
    directories(
        root: string,
    ): Record<"astmoddir" | "astvarlibdir" | "astkeydir" | "astdatadir" | "astagidir" | "astsbindir", string>;
    /**
     * `pjsip send register` on a registration that already ran re-registers with no Expires header, so the ITSP
     * applies its own default (asterisk/asterisk#1859, fixed upstream in April 2026). deskphone never sends it:
     * a registration made at boot or by a config reload has the header on every version.
     */
    cliRegisterOmitsExpires: boolean;
}

export const asterisk22: AsteriskBuild = {
    version: "22",
    chrootScript: join(__dirname, "asterisk-chroot.sh"),
    binary: "/usr/sbin/asterisk",
    stockEtcDir: "/etc/asterisk",
    cliRegisterOmitsExpires: false,
    directories(root) {
        const stock = readFileSync(join(root, "etc/asterisk/asterisk.conf"), "utf8");
        return {
            astmoddir: stock.match(/^\s*astmoddir\s*=>?\s*(\S+)/m)?.[1] ?? "/usr/lib/asterisk/modules",
            astvarlibdir: "/var/lib/asterisk",
            astkeydir: "/var/lib/asterisk",
            astdatadir: "/usr/share/asterisk",
            astagidir: "/usr/share/asterisk/agi-bin",
            astsbindir: "/usr/sbin",
        };
    },
};

const prefix20 = "/opt/asterisk-20.6.0";

export const asterisk20: AsteriskBuild = {
    version: "20.6.0",
    chrootScript: join(__dirname, "asterisk20-chroot.sh"),
    binary: `${prefix20}/sbin/asterisk`,
    stockEtcDir: `${prefix20}/etc/asterisk`,
    cliRegisterOmitsExpires: true,
    directories() {
        // Its data directory holds 20.6.0's own documentation XML; sounds and moh there link to Debian's.
        const data = `${prefix20}/var/lib/asterisk`;
        return {
            astmoddir: `${prefix20}/lib/asterisk/modules`,
            astvarlibdir: data,
            astkeydir: data,
            astdatadir: data,
            astagidir: `${data}/agi-bin`,
            astsbindir: `${prefix20}/sbin`,
        };
    },
};

/** Every version the call flows and the config load run on. */
export const asteriskBuilds: readonly AsteriskBuild[] = [asterisk22, asterisk20];

const roots = new Map<AsteriskBuild, string>();

/** The build's chroot, made on first use; throws loudly when it cannot be made (no debootstrap, no 20.6.0 tarball). */
export function buildRoot(build: AsteriskBuild): string {
    const cached = roots.get(build);
    if (cached) return cached;
    let out: string;
    try {
        out = execFileSync("sh", [build.chrootScript], {
            encoding: "utf8",
            stdio: ["ignore", "pipe", "pipe"],
            maxBuffer: 64 << 20,
        });
    } catch (e) {
        const stderr = (e as { stderr?: string }).stderr?.trim();
        throw new Error(
            `could not make the Asterisk ${build.version} chroot with ${build.chrootScript}: ${stderr || (e as Error).message}`,
            { cause: e },
        );
    }
    const root = out.trim().split("\n").pop() ?? "";
    if (!existsSync(join(root, build.binary)))
        throw new Error(`${build.chrootScript} printed "${root}", which holds no ${build.binary}`);
    roots.set(build, root);
    return root;
}
