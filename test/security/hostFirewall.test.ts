/**
 * deskphone's host firewall on a server that has rules of its own (ufw, Docker, fail2ban's tables):
 * the real nft of the server chroot, in a private network namespace, loads deskphone's table the way
 * the server does at boot and on each configuration change, and leaves every other table alone.
 * Debian's and Ubuntu's /etc/nftables.conf begins with `flush ruleset`, so starting nftables.service
 * would wipe them: the install script must never do that.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { renderInstallScript } from "../../components/render/serverFiles";
import { freshServerRoot, removeServerRoot, runInChroot } from "../../lab/chroot";
import { exampleOffice, renderOffice } from "../../lab/stacks";
import { serverPackages } from "../../lab/fail2ban";

/** Rules a server had before deskphone: a ufw-like filter and Docker-like NAT. */
const otherRules = `
table inet filter {
  chain input {
    type filter hook input priority 0; policy accept;
    tcp dport 22 accept comment "the server's own ssh rule"
  }
}
table ip nat {
  chain postrouting {
    type nat hook postrouting priority 100;
    ip saddr 172.17.0.0/16 masquerade comment "docker"
  }
}
`;

describe("deskphone's host firewall on a server with rules of its own", function () {
    this.timeout(120_000);
    let root = "";
    before(() => {
        root = freshServerRoot("deskphone-server", serverPackages, { copy: "firewall" });
    });
    after(() => {
        if (root) removeServerRoot(root);
    });

    it("the install script never starts nftables.service, whose ruleset file flushes everything", () => {
        const script = renderInstallScript({ droplet: { voicemailDevice: "/dev/sda" } });
        assert.doesNotMatch(script, /systemctl [^\n]*\bnftables(\.service)?(\s|$)/m);
        assert.doesNotMatch(script, /nft -f \/etc\/nftables\.conf/);
    });

    it("loads only its own table, at boot and on every change, and leaves the other tables and rules as they were", async () => {
        const script = renderInstallScript();
        const atBoot = script.match(/^ExecStart=(.*deskphone\.nft)$/m)?.[1];
        assert.ok(atBoot, "the deskphone-firewall unit loads deskphone.nft");
        const rendered = renderOffice(exampleOffice("quebec"));
        const nft = rendered.files.find((f) => f.name === "deskphone.nft")!;
        assert.equal(
            nft.apply,
            `if [ -d /run/systemd/system ]; then ${atBoot}; fi`,
            "a change applies it the same way",
        );
        fs.mkdirSync(path.join(root, "etc/nftables.d"), { recursive: true });
        fs.writeFileSync(path.join(root, "etc/nftables.d/deskphone.nft"), nft.text);
        fs.writeFileSync(path.join(root, "root/other.nft"), otherRules);
        const { code, output } = await runInChroot(
            root,
            [
                "set -eu",
                "nft -f /root/other.nft",
                "nft list ruleset > /root/before.nft",
                atBoot,
                atBoot,
                "echo '--- after'",
                "nft list ruleset",
            ].join("\n"),
            30_000,
            { privateNetwork: true },
        );
        assert.equal(code, 0, output);
        const after = output.split("--- after\n")[1];
        const before = fs.readFileSync(path.join(root, "root/before.nft"), "utf8");
        for (const table of before.split(/^(?=table )/m).filter((t) => t.startsWith("table ")))
            assert.ok(after.includes(table), `kept as it was:\n${table}\nin:\n${after}`);
        assert.match(after, /^table inet deskphone \{/m);
        assert.match(after, /set sip_sources \{/);
        assert.equal(after.match(/^table inet deskphone/gm)?.length, 1, "loaded twice, there once");
    });
});
