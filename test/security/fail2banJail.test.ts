/**
 * The fail2ban jail as the install script writes it, read by the real fail2ban-client of the Debian
 * sid server chroot (`-d`: parse the configuration and print it, no server, no firewall), on a copy
 * of the package's /etc/fail2ban with the jail's log moved to a scratch directory.
 */
import { strict as assert } from "assert";
import { cpSync, existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderInstallScript } from "../../components/render/serverFiles";
import { inScratch, inServerRoot, serverRoot } from "./fail2ban";
import { installedJail, installedJailText } from "./installedFilter";

describe("the fail2ban jail the install script writes", function () {
    this.timeout(60_000);
    const { text, next } = installedJailText();
    const logpath = installedJail().logpath;

    /** fail2ban-client's parsed configuration with the jail installed and its log at `log` (a path inside the chroot). */
    function parsedJail(dir: string, inner: string, log: string): string {
        cpSync(join(serverRoot(), "etc/fail2ban"), join(dir, "conf"), { recursive: true });
        writeFileSync(join(dir, "conf/jail.d/asterisk.conf"), text.replaceAll(logpath, log));
        return inServerRoot(["fail2ban-client", "-c", `${inner}/conf`, "-d"]);
    }

    it("watches nothing when security.log does not exist yet as fail2ban starts (why the script creates it)", () => {
        inScratch((dir, inner) => {
            const parsed = parsedJail(dir, inner, `${inner}/log/security.log`);
            assert.match(parsed, /Have not found any log file for 'asterisk' jail/);
            assert.doesNotMatch(parsed, /'addlogpath'/);
        });
    });

    it("watches security.log once the script has created it, before fail2ban is (re)started", () => {
        const script = renderInstallScript();
        const created = next ? script.indexOf(next) : -1;
        assert.ok(created >= 0 && created < script.indexOf("systemctl restart fail2ban"), "the log is created right after the jail, before fail2ban restarts");
        inScratch((dir, inner) => {
            // What the script runs after writing the jail, with the log moved to the scratch directory.
            inServerRoot(["sh", "-euc", `mkdir -p ${inner}/log\n${next.replaceAll(logpath, `${inner}/log/security.log`)}`]);
            assert.ok(existsSync(join(dir, "log/security.log")), next);
            const parsed = parsedJail(dir, inner, `${inner}/log/security.log`);
            assert.ok(parsed.includes(`['set', 'asterisk', 'addlogpath', '${inner}/log/security.log', 'head']`), parsed.slice(-3000));
            assert.ok(parsed.includes("['add', 'asterisk', 'auto']"), "reads the file, not the journal");
            assert.ok(parsed.includes(`['set', 'asterisk', 'maxretry', ${installedJail().maxretry}]`), "the script's maxretry");
        });
    });

    it("bans the source from every port, so a stack's own SIP port and RTP are covered, not just 5060/5061", () => {
        inScratch((dir, inner) => {
            inServerRoot(["sh", "-euc", `mkdir -p ${inner}/log && touch ${inner}/log/security.log`]);
            const parsed = parsedJail(dir, inner, `${inner}/log/security.log`);
            // One action per protocol; each one's rules (actionstart) and its type, as fail2ban resolved them.
            const actions = parsed.split("\n").filter((line) => line.startsWith("['multi-set', 'asterisk', 'action'"));
            assert.equal(actions.length, 2, parsed.slice(-3000));
            for (const action of actions) {
                assert.match(action, /\['type', 'allports'\]/);
                const rules = action.match(/\['actionstart', '((?:[^'\\]|\\.)*)'\]/)?.[1] ?? "";
                assert.match(rules, /saddr @<addr_set> reject/);
                assert.doesNotMatch(rules, /dport/, "a ban limited to some ports");
            }
        });
    });
});
