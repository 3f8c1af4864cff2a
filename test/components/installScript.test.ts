import { strict as assert } from "assert";
import { spawn, type ChildProcess } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { renderInstallScript } from "../../components/render/serverFiles";
import { freshServerRoot, removeServerRoot, runInChroot } from "../../lab/chroot";

/** dpkg's and apt's locks, as unattended-upgrades holds them at a new Ubuntu server's first boot. */
const aptLocks = ["var/lib/dpkg/lock-frontend", "var/lib/dpkg/lock", "var/lib/apt/lists/lock"];

/**
 * Holds the chroot's apt and dpkg locks the way apt does (fcntl write locks, which apt-get tests
 * before it waits) from another process, until released.
 */
function holdAptLocks(root: string): { held: Promise<void>; release: () => Promise<void> } {
    const paths = aptLocks.map((lock) => path.join(root, lock));
    const holder: ChildProcess = spawn(
        "python3",
        [
            "-c",
            "import fcntl, sys\nfiles = [open(p, 'a') for p in sys.argv[1:]]\nfor f in files: fcntl.lockf(f, fcntl.LOCK_EX)\nprint('held', flush=True)\nsys.stdin.read()",
            ...paths,
        ],
        { stdio: ["pipe", "pipe", "inherit"] },
    );
    const held = new Promise<void>((resolve, reject) => {
        holder.stdout!.once("data", () => resolve());
        holder.once("exit", (code) => reject(new Error(`the lock holder exited (${code}) before holding the locks`)));
    });
    const release = () =>
        new Promise<void>((resolve) => {
            holder.once("exit", () => resolve());
            holder.stdin!.end();
        });
    return { held, release };
}

describe("the server install script", function () {
    this.timeout(15 * 60_000);
    let root = "";

    before(() => {
        root = freshServerRoot("debian-sid-base");
        fs.writeFileSync(path.join(root, "root/deskphone-install"), renderInstallScript(), { mode: 0o755 });
        fs.writeFileSync(path.join(root, "etc/nftables.conf"), "#!/usr/sbin/nft -f\nflush ruleset\n");
    });

    after(() => {
        if (root) removeServerRoot(root);
    });

    it("waits while another apt holds the package locks (unattended-upgrades at first boot), then installs Asterisk and ends with it answering", async () => {
        const locks = holdAptLocks(root);
        await locks.held;
        const started = Date.now();
        const install = runInChroot(root, "sh /root/deskphone-install", 12 * 60_000);
        await new Promise((r) => setTimeout(r, 8_000));
        await locks.release();
        const { code, output } = await install;
        const seconds = ((Date.now() - started) / 1000).toFixed(0);
        console.log(
            `      install script: ${seconds} s from a fresh Debian sid chroot to Asterisk answering, 8 s of it waiting for apt's locks`,
        );
        assert.equal(code, 0, output.slice(-4000));
        assert.ok(Date.now() - started > 8_000, "it waited for the locks");
        assert.match(output, /Asterisk 2\d\.\d+/);
        assert.ok(fs.existsSync(path.join(root, "etc/fail2ban/jail.d/asterisk.conf")));
        const installed = fs.readFileSync(path.join(root, "var/lib/dpkg/status"), "utf8");
        for (const name of ["python3-pyasyncore", "python3-systemd"]) {
            assert.match(
                installed,
                new RegExp(`^Package: ${name}\nStatus: install ok installed$`, "m"),
                `${name}: installed by name, as --no-install-recommends would leave it out`,
            );
        }
        assert.ok(
            fs.existsSync(path.join(root, "etc/asterisk/users.conf")),
            "left to the configuration step, which keeps the server's own files first",
        );
        assert.equal(
            fs.readFileSync(path.join(root, "etc/nftables.conf"), "utf8"),
            "#!/usr/sbin/nft -f\nflush ruleset\n",
            "the server's own ruleset file is left as it was",
        );
    });

    it("gives up, naming the lock and who may hold it, when the package locks stay held past its bound", async () => {
        const locks = holdAptLocks(root);
        await locks.held;
        try {
            const started = Date.now();
            const { code, output } = await runInChroot(
                root,
                "DESKPHONE_APT_LOCK_TIMEOUT=6 sh /root/deskphone-install",
                120_000,
            );
            assert.equal(code, 1, output.slice(-4000));
            assert.ok(Date.now() - started >= 6_000, "it waited its bound first");
            assert.match(
                output,
                /deskphone: apt-get update gave up after 6 s waiting for the package manager's lock, held by another apt or dpkg \(unattended-upgrades/,
            );
            assert.match(output, /Could not get lock \/var\/lib\/apt\/lists\/lock/);
        } finally {
            await locks.release();
        }
    });
});
