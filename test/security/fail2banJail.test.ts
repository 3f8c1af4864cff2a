/**
 * The fail2ban jail as the install script writes it, with fail2ban 1.0.2 (Ubuntu 24.04's release) and
 * 1.1, each under Ubuntu 24.04's jail defaults: read by the real fail2ban-client (`-d`: parse the
 * configuration and print it), and run for real by fail2ban-server in a private network namespace
 * (its nftables bans touch nothing of this machine's) on the security log lines of a real attack.
 */
import { strict as assert } from "assert";
import { cpSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderFail2banTrunks, renderInstallScript } from "../../components/render/serverFiles";
import { freshServerRoot, removeServerRoot, runInChroot } from "../../lab/chroot";
import { exampleOffice } from "../../lab/stacks";
import {
    fail2banReleases,
    inScratch,
    inServerRoot,
    releaseRoot,
    runFilter,
    ubuntuJailDefaults,
} from "../../lab/fail2ban";
import { installedFilter, installedJail, installedJailText } from "./installedFilter";

/** Security log lines Asterisk 22 wrote while the attack suite guessed passwords and users from 127.0.0.66. */
const attackLines = readFileSync(join(__dirname, "fixtures", "attack-security.log"), "utf8")
    .trim()
    .split("\n");
const stranger = "198.51.100.66";
/** An address in Flowroute's published us-west-or range, the freelancer example's trunk. */
const trunkAddress = "34.210.91.115";

/** The attack's lines as if they came now from `address` (fail2ban counts only failures inside findtime). */
function attackFrom(address: string): string {
    const now = new Date().toISOString().replace("T", " ").slice(0, 23);
    return (
        attackLines
            .map((line) => line.replace(/^\[[^\]]+\]/, `[${now}]`).replaceAll("127.0.0.66", address))
            .join("\n") + "\n"
    );
}

for (const release of fail2banReleases) {
    describe(`the install script's fail2ban jail with ${release.label} and Ubuntu 24.04's jail defaults`, function () {
        this.timeout(120_000);
        const { text, next } = installedJailText();
        const logpath = installedJail().logpath;
        const trunks = renderFail2banTrunks(exampleOffice("freelancer"));

        /** fail2ban-client's parsed configuration: the release's own /etc/fail2ban, Ubuntu's defaults, `jail` as asterisk.conf, its log at `log`. */
        function parsedJail(dir: string, inner: string, log: string, jail = text): string {
            cpSync(join(releaseRoot(release), "etc/fail2ban"), join(dir, "conf"), { recursive: true });
            writeFileSync(join(dir, "conf/jail.d/defaults-debian.conf"), ubuntuJailDefaults);
            writeFileSync(join(dir, "conf/jail.d/asterisk.conf"), jail.replaceAll(logpath, log));
            writeFileSync(join(dir, "conf/jail.d/deskphone-trunks.local"), trunks);
            return inServerRoot(["fail2ban-client", "-c", `${inner}/conf`, "-d"], releaseRoot(release));
        }

        const withLog = <T>(use: (dir: string, inner: string, log: string) => T): T =>
            inScratch((dir, inner) => {
                inServerRoot(
                    ["sh", "-euc", `mkdir -p ${inner}/log && touch ${inner}/log/security.log`],
                    releaseRoot(release),
                );
                return use(dir, inner, `${inner}/log/security.log`);
            }, releaseRoot(release));

        it("a jail that names no backend is turned to the journal by Ubuntu's defaults (why the jail names its own)", () => {
            withLog((dir, inner, log) => {
                const parsed = parsedJail(dir, inner, log, text.replace(/^backend\s*=.*\n/m, ""));
                assert.ok(parsed.includes("['add', 'asterisk', 'systemd']"), parsed.slice(-3000));
                assert.doesNotMatch(parsed, /\['set', 'asterisk', 'addlogpath'/);
            });
        });

        it("reads Asterisk's security.log with its own backend, not the journal", () => {
            withLog((dir, inner, log) => {
                const parsed = parsedJail(dir, inner, log);
                assert.ok(parsed.includes("['add', 'asterisk', 'polling']"), parsed.slice(-3000));
                assert.ok(parsed.includes(`['set', 'asterisk', 'addlogpath', '${log}', 'head']`), parsed.slice(-3000));
                assert.ok(
                    parsed.includes(`['set', 'asterisk', 'maxretry', ${installedJail().maxretry}]`),
                    "the script's maxretry",
                );
            });
        });

        it("watches nothing when security.log does not exist yet as fail2ban starts (why the script creates it)", () => {
            inScratch((dir, inner) => {
                const parsed = parsedJail(dir, inner, `${inner}/log/security.log`);
                assert.doesNotMatch(parsed, /\['set', 'asterisk', 'addlogpath'/);
            }, releaseRoot(release));
        });

        it("bans the source from every port, so a stack's own SIP port and RTP are covered, not just 5060/5061", () => {
            withLog((dir, inner, log) => {
                const parsed = parsedJail(dir, inner, log);
                // One action per protocol; each one's rules (actionstart) and its type, as fail2ban resolved them.
                const actions = parsed
                    .split("\n")
                    .filter((line) => line.startsWith("['multi-set', 'asterisk', 'action'"));
                assert.equal(actions.length, 2, parsed.slice(-3000));
                for (const action of actions) {
                    assert.match(action, /\['type', 'allports'\]/);
                    const rules = action.match(/\['actionstart', '((?:[^'\\]|\\.)*)'\]/)?.[1] ?? "";
                    assert.match(rules, /saddr @<addr_set> reject/);
                    assert.doesNotMatch(rules, /dport/, "a ban limited to some ports");
                }
            });
        });

        it("fail2ban-regex finds every failure of the attack, dated, with the jail's filter", () => {
            const filtered = runFilter(attackFrom(stranger), installedFilter(), releaseRoot(release));
            assert.equal(filtered.dated, filtered.lines, filtered.report);
            const failures = attackLines.filter((l) =>
                /SecurityEvent="(ChallengeResponseFailed|InvalidAccountID)"/.test(l),
            ).length;
            assert.equal(filtered.byAddress.get(stranger), failures, filtered.report);
            assert.ok(failures >= Number(installedJail().maxretry), "enough to ban");
        });

        it("never bans the trunks' published addresses", () => {
            withLog((dir, inner, log) => {
                const parsed = parsedJail(dir, inner, log);
                const ignored = parsed.match(/^\['set', 'asterisk', 'addignoreip', (.*)\]$/m)?.[1] ?? "";
                assert.ok(ignored.includes("'34.210.91.112/28'"), parsed.slice(-3000));
            });
        });

        describe("fail2ban-server running the jail in a private network", () => {
            let root = "";
            before(() => {
                root = freshServerRoot(release.chroot.name, release.chroot.packages, {
                    suite: release.chroot.suite,
                    copy: "jail",
                });
                writeFileSync(join(root, "etc/fail2ban/jail.d/defaults-debian.conf"), ubuntuJailDefaults);
                writeFileSync(join(root, "etc/fail2ban/jail.d/asterisk.conf"), text);
                writeFileSync(join(root, "etc/fail2ban/jail.d/deskphone-trunks.local"), trunks);
            });
            after(() => {
                if (root) removeServerRoot(root);
            });

            it("bans a stranger guessing passwords from every port, and never the trunk failing the same way", async () => {
                // What the install script runs after writing the jail: the log exists before fail2ban starts.
                writeFileSync(join(root, "root/attack.log"), attackFrom(stranger) + attackFrom(trunkAddress));
                const script = [
                    "set -eu",
                    "mkdir -p /var/log/asterisk && getent passwd asterisk >/dev/null || useradd -r asterisk",
                    next,
                    "fail2ban-client -x start >/dev/null",
                    "i=0; until fail2ban-client ping >/dev/null 2>&1; do i=$((i+1)); [ $i -lt 100 ] || exit 3; sleep 0.1; done",
                    `cat /root/attack.log >> ${logpath}`,
                    `i=0; until fail2ban-client status asterisk | grep -q '${stranger}'; do i=$((i+1)); [ $i -lt 150 ] || break; sleep 0.1; done`,
                    "fail2ban-client status asterisk",
                    "echo '--- nft'",
                    "nft list ruleset",
                    "fail2ban-client stop >/dev/null",
                ].join("\n");
                const { code, output } = await runInChroot(root, script, 60_000, { privateNetwork: true });
                assert.equal(code, 0, output.slice(-3000));
                const [status, ruleset] = output.split("--- nft");
                assert.match(
                    status,
                    new RegExp(`Banned IP list:\\s*${stranger.replaceAll(".", "\\.")}\\s*$`, "m"),
                    status,
                );
                assert.ok(!status.includes(trunkAddress), `the trunk was banned:\n${status}`);
                assert.match(ruleset, new RegExp(`elements = \\{ ${stranger.replaceAll(".", "\\.")} \\}`), ruleset);
                assert.doesNotMatch(ruleset, /dport/, "banned from every port");
                assert.ok(existsSync(join(root, logpath.slice(1))));
            });
        });
    });
}

describe("the install script's check that fail2ban runs", function () {
    this.timeout(60_000);

    it("fails the install loudly, naming fail2ban, when it is not running", () => {
        const script = renderInstallScript();
        const check = script.match(/^require_fail2ban\(\) \{\n[\s\S]*?\n\}$/m)?.[0];
        assert.ok(check, "the install script defines require_fail2ban");
        assert.ok(
            script.indexOf("  require_fail2ban\n") > script.indexOf("systemctl restart fail2ban"),
            "checked after fail2ban (re)starts",
        );
        const run = () =>
            inServerRoot([
                "sh",
                "-c",
                `systemctl() { echo "(systemctl $*)"; }\nsleep() { :; }\n${check}\nrequire_fail2ban`,
            ]);
        assert.throws(
            run,
            /failed \(1\)[\s\S]*deskphone: fail2ban is not running after 30 s, so nothing bans password guessers/,
        );
    });
});
