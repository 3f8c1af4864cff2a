/**
 * The copy of an existing server's own files, made and put back by the scripts AsteriskConfig runs,
 * on a server chroot with Asterisk running (in a private network, so its SIP port is its own). The
 * plain case (a fresh server, then destroy) runs with the real engine in test/e2e/engine.test.ts.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { keepPreviousScript, restorePreviousScript } from "../../components/previousFiles";
import { serverPackages } from "../../lab/fail2ban";
import { freshServerRoot, removeServerRoot, runInChroot } from "../../lab/chroot";

const paths = ["/etc/asterisk/pjsip.conf", "/etc/asterisk/extensions.conf", "/etc/nftables.d/deskphone.nft"];

describe("an existing server's own files, kept and put back", function () {
    this.timeout(120_000);
    let root = "";
    before(() => {
        root = freshServerRoot("deskphone-server", serverPackages, { copy: "previous" });
        fs.writeFileSync(path.join(root, "root/keep.sh"), keepPreviousScript(paths));
        for (const owner of ["office-a", "office-b"])
            fs.writeFileSync(path.join(root, `root/restore-${owner}.sh`), restorePreviousScript(owner, paths));
    });
    after(() => {
        if (root) removeServerRoot(root);
    });

    const run = (script: string) =>
        runInChroot(
            root,
            [
                "set -eu",
                "asterisk -U asterisk -G asterisk",
                "i=0; until asterisk -rx 'core waitfullybooted' >/dev/null 2>&1; do i=$((i+1)); [ $i -lt 100 ] || exit 3; sleep 0.1; done",
                script,
                "asterisk -rx 'core stop now' >/dev/null",
            ].join("\n"),
            90_000,
            { privateNetwork: true },
        );

    it("a replacement office takes the copy over: only the last office's destroy puts it back", async () => {
        const { code, output } = await run(
            [
                "echo 'the server'\"'\"'s own' > /etc/asterisk/custom.conf",
                "sh /root/keep.sh office-a",
                "printf '; written by deskphone\\n' > /etc/asterisk/pjsip.conf",
                "sh /root/keep.sh office-b", // the replacement is created before the office it replaces is deleted
                "sh /root/restore-office-a.sh",
                'echo "after a: $(head -c 30 /etc/asterisk/pjsip.conf)"',
                "sh /root/restore-office-b.sh",
                'echo "after b: $(head -c 30 /etc/asterisk/pjsip.conf)"',
                "ls /var/lib",
            ].join("\n"),
        );
        assert.equal(code, 0, output);
        assert.match(output, /the configuration is still deskphone's \(office-b\): nothing put back/);
        assert.match(output, /^after a: ; written by deskphone/m, "office-a's destroy left the replacement's files");
        assert.doesNotMatch(
            output,
            /^after b: ; written by deskphone/m,
            "the last destroy put the server's own pjsip.conf back",
        );
        assert.equal(fs.readFileSync(path.join(root, "etc/asterisk/custom.conf"), "utf8"), "the server's own\n");
        assert.ok(!fs.existsSync(path.join(root, "var/lib/deskphone")), "no copy or state left");
    });

    it("an office an earlier deskphone set up, with no copy kept: destroy removes only deskphone's files", async () => {
        const { code, output } = await run(
            [
                "printf '; PJSIP for Legacy, written by deskphone from the stack\\n' > /etc/asterisk/pjsip.conf",
                "printf '; Dialplan for Legacy, written by deskphone from the stack\\n' > /etc/asterisk/extensions.conf",
                "echo 'the server'\"'\"'s own' > /etc/asterisk/custom.conf",
                "sh /root/keep.sh office-a",
                "cat /var/lib/deskphone/backup/manifest",
                "sh /root/restore-office-a.sh",
            ].join("\n"),
        );
        assert.equal(code, 0, output);
        assert.match(output, /^deskphone \/etc\/asterisk$/m);
        assert.match(output, /the server's own files are back/);
        for (const name of ["pjsip.conf", "extensions.conf"])
            assert.ok(!fs.existsSync(path.join(root, "etc/asterisk", name)), `deskphone's ${name} is gone`);
        assert.equal(fs.readFileSync(path.join(root, "etc/asterisk/custom.conf"), "utf8"), "the server's own\n");
        assert.ok(fs.existsSync(path.join(root, "etc/asterisk/modules.conf")), "the distribution's own files stay");
    });
});
