import { strict as assert } from "assert";
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { renderInstallScript } from "../../components/render/serverFiles";
import { freshServerRoot, inChrootCommand } from "../support/chroot";

/** Runs a script as root inside `root`; resolves with its exit code and output. */
function inChroot(root: string, script: string, timeoutMs: number): Promise<{ code: number; output: string }> {
    return new Promise((resolve) => {
        const [command, args] = inChrootCommand(root, script);
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

describe("the server install script", function () {
    this.timeout(15 * 60_000);
    let root = "";

    before(() => {
        root = freshServerRoot("debian-sid-base");
    });

    after(() => {
        if (!root) return;
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
    });

    it("installs Asterisk on a fresh Debian chroot from the mirror and ends with Asterisk answering", async () => {
        fs.writeFileSync(path.join(root, "root/deskphone-install"), renderInstallScript(), { mode: 0o755 });
        const started = Date.now();
        const { code, output } = await inChroot(root, "sh /root/deskphone-install", 12 * 60_000);
        const seconds = ((Date.now() - started) / 1000).toFixed(0);
        console.log(`      install script: ${seconds} s from a fresh Debian sid chroot to Asterisk answering`);
        assert.equal(code, 0, output.slice(-4000));
        assert.match(output, /Asterisk 2\d\.\d+/);
        assert.ok(fs.existsSync(path.join(root, "etc/fail2ban/jail.d/asterisk.conf")));
        assert.ok(!fs.existsSync(path.join(root, "etc/asterisk/users.conf")));
        assert.ok(fs.readFileSync(path.join(root, "etc/nftables.conf"), "utf8").includes('include "/etc/nftables.d/*.nft"'));
    });
});
