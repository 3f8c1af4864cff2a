/**
 * The systemd units the install script writes on a droplet (the egress route at boot and every minute,
 * deskphone's firewall table at boot), checked by the real systemd-analyze of the server chroot.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { renderEgressScript, renderInstallScript } from "../../components/render/serverFiles";
import { serverPackages } from "../../lab/fail2ban";
import { freshServerRoot, removeServerRoot, runInChroot } from "../../lab/chroot";

/** Each unit file the script writes: name and text. */
function unitsWritten(script: string): Map<string, string> {
    const units = new Map<string, string>();
    for (const m of script.matchAll(/cat > \/etc\/systemd\/system\/([\w.-]+) <<'UNIT'\n([\s\S]*?)\nUNIT\n/g))
        units.set(m[1], `${m[2]}\n`);
    return units;
}

describe("the systemd units a droplet's install script writes", function () {
    this.timeout(120_000);
    let root = "";
    before(() => {
        root = freshServerRoot("deskphone-server", serverPackages, { copy: "units" });
    });
    after(() => {
        if (root) removeServerRoot(root);
    });

    it("are valid units, keep the egress route at boot and every minute, and load the firewall table at boot", async () => {
        const units = unitsWritten(renderInstallScript({ droplet: { voicemailDevice: "/dev/sda" } }));
        assert.deepEqual([...units.keys()].sort(), [
            "deskphone-egress.service",
            "deskphone-egress.timer",
            "deskphone-firewall.service",
        ]);
        for (const [name, text] of units) fs.writeFileSync(path.join(root, "etc/systemd/system", name), text);
        fs.writeFileSync(path.join(root, "usr/local/sbin/deskphone-egress"), renderEgressScript(), { mode: 0o755 });
        const { code, output } = await runInChroot(
            root,
            `systemd-analyze verify ${[...units.keys()].map((u) => `/etc/systemd/system/${u}`).join(" ")} 2>&1 | grep -v -e 'Failed to ' -e 'Cannot' || true; echo verified`,
            60_000,
        );
        assert.equal(code, 0, output);
        assert.doesNotMatch(
            output,
            /deskphone-(egress|firewall)\.(service|timer):/,
            `systemd-analyze found a problem:\n${output}`,
        );
        assert.match(units.get("deskphone-egress.timer")!, /^OnBootSec=\d+s$/m);
        assert.match(units.get("deskphone-egress.timer")!, /^OnUnitActiveSec=1min$/m);
        assert.match(units.get("deskphone-firewall.service")!, /^WantedBy=multi-user\.target$/m);
    });
});
