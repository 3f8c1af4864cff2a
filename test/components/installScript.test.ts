import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { renderInstallScript } from "../../components/render/serverFiles";
import { freshServerRoot, removeServerRoot, runInChroot } from "../support/chroot";

describe("the server install script", function () {
    this.timeout(15 * 60_000);
    let root = "";

    before(() => {
        root = freshServerRoot("debian-sid-base");
    });

    after(() => {
        if (root) removeServerRoot(root);
    });

    it("installs Asterisk on a fresh Debian chroot from the mirror and ends with Asterisk answering", async () => {
        fs.writeFileSync(path.join(root, "root/deskphone-install"), renderInstallScript(), { mode: 0o755 });
        const started = Date.now();
        const { code, output } = await runInChroot(root, "sh /root/deskphone-install", 12 * 60_000);
        const seconds = ((Date.now() - started) / 1000).toFixed(0);
        console.log(`      install script: ${seconds} s from a fresh Debian sid chroot to Asterisk answering`);
        assert.equal(code, 0, output.slice(-4000));
        assert.match(output, /Asterisk 2\d\.\d+/);
        assert.ok(fs.existsSync(path.join(root, "etc/fail2ban/jail.d/asterisk.conf")));
        assert.ok(!fs.existsSync(path.join(root, "etc/asterisk/users.conf")));
        assert.ok(fs.readFileSync(path.join(root, "etc/nftables.conf"), "utf8").includes('include "/etc/nftables.d/*.nft"'));
    });
});
