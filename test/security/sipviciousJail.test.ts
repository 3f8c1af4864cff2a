/**
 * SIPVicious against the freelancer office with the jail live: in the server's own network namespace, a real
 * Asterisk running the office (writing security.log), and fail2ban-server running the asterisk jail as the install
 * script writes it (polling backend, its filter, the trunks never banned) under Ubuntu 24.04's jail defaults, with
 * the host firewall as installed. Scanners on addresses of their own scan it: they find no user and no password,
 * and are banned, so that what they send next is dropped; a trunk's address failing the same way is not banned.
 *
 * The scanners are not on 127.0.0.0/8, nor on the server itself: the installed jail ignores 127.0.0.1/8 (fail2ban's
 * own default, kept) and fail2ban 1.1 ignores the server's own addresses (ignoreself). The server and the scanners
 * get namespaces of their own joined by one veth pair, with RFC 5737 documentation addresses (and one address of
 * Flowroute's range): neither namespace has any other link, so nothing sent here can leave the machine.
 */
import { strict as assert } from "assert";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderConfigFiles, renderSecretFiles, resolveSecrets } from "../../components";
import { renderFail2banTrunks, renderHostFirewall } from "../../components/render/serverFiles";
import { RunningAsterisk, startAsterisk } from "../../lab/asterisk";
import { asterisk20, asterisk22, AsteriskBuild } from "../../lab/asteriskBuilds";
import { waitFor } from "../../lab/callLab";
import { freshServerRoot, removeServerRoot } from "../../lab/chroot";
import { onLoopback } from "../../lab/loopback";
import { exampleOffice } from "../../lab/stacks";
import { Fail2banRelease, fail2banReleases, inServerRoot, ubuntuJailDefaults } from "../../lab/fail2ban";
import { installedJail, installedJailText } from "./installedFilter";
import { runSipvicious } from "./sipvicious";

/** The server's address on the modelled network, where Asterisk listens. */
const serverAddress = "198.51.100.10";
/** One scanner address per tool, so each scan runs unbanned until its own failures ban it. */
const scanners = {
    svwarRegister: "198.51.100.66",
    svwarInvite: "198.51.100.67",
    svcrack: "198.51.100.68",
    afterTrunk: "198.51.100.69",
} as const;
/** A stranger that never fails a login: still answered while the scanners are banned. */
const bystander = "198.51.100.99";
/** An address in Flowroute's published us-west-or range (the freelancer's trunk), in the jail's ignoreip. */
const trunkAddress = "34.210.91.115";
const guessedUsers = ["desk", "100", "101", "admin", "office", "reception", "1000", "2000", "guest", "test"];
const guessedPasswords = [
    "desk",
    "100",
    "password",
    "123456",
    "1234",
    "12345678",
    "admin",
    "secret",
    "freelancer",
    "voip",
    "asterisk",
    "sip",
    "qwerty",
    "letmein",
    "changeme",
];
/** svcrack's numeric guesses after the wordlist: a few hundred in all. */
const guessedNumbers = "1000-1299";
const maxretry = Number(installedJail().maxretry);

/** Ubuntu 24.04 pairs Asterisk 20.6.0 with fail2ban 1.0.2; Debian sid, Asterisk 22 with fail2ban 1.1. */
const pairings: { build: AsteriskBuild; release: Fail2banRelease }[] = [
    { build: asterisk20, release: fail2banReleases[0] },
    { build: asterisk22, release: fail2banReleases[1] },
];

for (const { build, release } of pairings) {
    describe(`SIPVicious against the freelancer office on Asterisk ${build.version}, banned by the live jail of ${release.label}`, function () {
        this.timeout(120_000);
        const tag = `${process.pid}-${build.version.replace(/\W/g, "")}`;
        /** The server's namespace (Asterisk, fail2ban, nftables) and the outside's (every scanner and the trunk). */
        const netns = `deskphone-jail-${tag}`;
        const outside = `deskphone-scan-${tag}`;
        let asterisk: RunningAsterisk | undefined;
        let jailRoot = "";
        let jail: ChildProcess | undefined;
        let jailOutput = "";
        let scratch = "";
        /** A wordlist file for svwar or svcrack (which run on this machine, in the namespace). */
        const wordlist = (name: string, words: string[]) => {
            const path = join(scratch, name);
            writeFileSync(path, `${words.join("\n")}\n`);
            return path;
        };
        const { office, options } = onLoopback(exampleOffice("freelancer"));
        // The desk phone on plain SIP, so the host firewall lets every address reach it and the jail is the
        // defence: with TLS phones only, plain SIP is the trunk's alone (dropletNetwork.test.ts).
        for (const phone of office.phones) phone.transport = "udp";
        office.server.bindAddress = serverAddress;
        options.publicAddress = serverAddress;
        const inNetns = (command: string[]) =>
            execFileSync("ip", ["netns", "exec", netns, ...command], { encoding: "utf8" });
        const status = () => inServerRoot(["fail2ban-client", "status", "asterisk"], jailRoot);
        /** The jail's status and the end of fail2ban's own log, for a failure message. */
        const jailReport = () =>
            `${status()}\n--- fail2ban.log:\n${readFileSync(join(jailRoot, "var/log/fail2ban.log"), "utf8").split("\n").slice(-40).join("\n")}`;
        const banned = () =>
            status()
                .match(/Banned IP list:\s*(.*)$/m)?.[1]
                .trim()
                .split(/\s+/)
                .filter(Boolean) ?? [];
        const scan = (from: string, tool: string, args: string[]) =>
            runSipvicious(from, tool, ["-x", from, ...args, serverAddress], { netns: outside });

        /** svmap's OPTIONS from `from`: the server's row when it answered, undefined when nothing came back. */
        async function answeredOptions(from: string, port: number): Promise<string | undefined> {
            const output = await scan(from, "svmap", ["-P", String(port)]);
            return output.match(new RegExp(`${serverAddress.replaceAll(".", "\\.")}:5060\\s*\\|\\s*[^|\\n]*\\|`))?.[0];
        }

        before(async function () {
            this.timeout(240_000);
            scratch = mkdtempSync(join(tmpdir(), "deskphone-jail-"));
            const ip = (...args: string[]) => execFileSync("ip", args, { encoding: "utf8" });
            for (const ns of [netns, outside]) {
                ip("netns", "add", ns);
                ip("-n", ns, "link", "set", "lo", "up");
            }
            ip(
                "link",
                "add",
                `djs${tag}`.slice(0, 15),
                "netns",
                netns,
                "type",
                "veth",
                "peer",
                "name",
                `djo${tag}`.slice(0, 15),
                "netns",
                outside,
            );
            ip("-n", netns, "link", "set", `djs${tag}`.slice(0, 15), "name", "toScanners");
            ip("-n", outside, "link", "set", `djo${tag}`.slice(0, 15), "name", "toServer");
            ip("-n", netns, "addr", "add", `${serverAddress}/24`, "dev", "toScanners");
            ip("-n", netns, "link", "set", "toScanners", "up");
            ip("-n", netns, "route", "add", `${trunkAddress}/32`, "dev", "toScanners");
            for (const address of [...Object.values(scanners), bystander])
                ip("-n", outside, "addr", "add", `${address}/24`, "dev", "toServer");
            ip("-n", outside, "addr", "add", `${trunkAddress}/32`, "dev", "toServer");
            ip("-n", outside, "link", "set", "toServer", "up");
            for (const [ns, link] of [
                [netns, "toScanners"],
                [outside, "toServer"],
            ]) {
                const links = ip("-n", ns, "-o", "link")
                    .trim()
                    .split("\n")
                    .map((l) => l.split(":")[1].trim().replace(/@.*/, ""));
                assert.deepEqual(links, ["lo", link], `${ns} has no way out but the other namespace`);
            }

            const secrets = resolveSecrets(office);
            const files = [...renderConfigFiles(office, options), ...renderSecretFiles(office, secrets)];
            const etc = Object.fromEntries(
                files.filter((f) => f.path.startsWith("/etc/asterisk/")).map((f) => [f.name, f.text]),
            );
            asterisk = await startAsterisk(etc, {
                build,
                name: `jail-${process.pid}`,
                stockConfig: { omit: ["users.conf"] },
                netns,
                verbosity: 0,
            });

            // The server as the install script leaves it: the host firewall, the jail and its trunks, Ubuntu's defaults.
            jailRoot = freshServerRoot(release.chroot.name, release.chroot.packages, {
                suite: release.chroot.suite,
                copy: "live-jail",
            });
            writeFileSync(join(jailRoot, "etc/fail2ban/jail.d/defaults-debian.conf"), ubuntuJailDefaults);
            writeFileSync(join(jailRoot, "etc/fail2ban/jail.d/asterisk.conf"), installedJailText().text);
            writeFileSync(join(jailRoot, "etc/fail2ban/jail.d/deskphone-trunks.local"), renderFail2banTrunks(office));
            writeFileSync(join(jailRoot, "root/deskphone.nft"), renderHostFirewall(office));
            mkdirSync(join(jailRoot, "var/log/asterisk"), { recursive: true });
            // Asterisk's own log directory is the server's /var/log/asterisk; fail2ban-server runs in the foreground,
            // as its systemd unit does, and dies with its PID namespace.
            const script = ["set -eu", "nft -f /root/deskphone.nft", "exec fail2ban-server -xf start"].join("\n");
            const launch = `mount -t proc proc "$1/proc" && mount --rbind /dev "$1/dev" && mount --bind "$3" "$1/var/log/asterisk" && exec chroot "$1" sh -c "$2"`;
            jail = spawn(
                "ip",
                [
                    "netns",
                    "exec",
                    netns,
                    "setpriv",
                    "--pdeathsig",
                    "KILL",
                    "--",
                    "unshare",
                    "--mount",
                    "--pid",
                    "--propagation",
                    "private",
                    "--fork",
                    "--kill-child=KILL",
                    "--",
                    "sh",
                    "-c",
                    launch,
                    "sh",
                    jailRoot,
                    script,
                    asterisk.logDir,
                ],
                {
                    stdio: ["ignore", "pipe", "pipe"],
                },
            );
            jail.stdout!.on("data", (d) => (jailOutput += d));
            jail.stderr!.on("data", (d) => (jailOutput += d));
            await waitFor(
                () => `fail2ban's asterisk jail watching security.log:\n${jailOutput}`,
                60_000,
                () => {
                    try {
                        return status().includes("/var/log/asterisk/security.log") || undefined;
                    } catch {
                        return undefined;
                    }
                },
            );
        });

        after(async () => {
            try {
                if (jailRoot) inServerRoot(["fail2ban-client", "stop"], jailRoot);
            } catch {
                // not running
            }
            if (jail?.pid && jail.exitCode === null) jail.kill("SIGKILL");
            await asterisk?.stop();
            if (jailRoot) removeServerRoot(jailRoot);
            if (scratch) rmSync(scratch, { recursive: true, force: true });
            for (const ns of [netns, outside]) {
                try {
                    execFileSync("ip", ["netns", "del", ns], { stdio: "ignore" });
                } catch {
                    // never made
                }
            }
        });

        it("a stranger that has failed no login is answered (the bans below are the scanners' own)", async () => {
            assert.ok(await answeredOptions(bystander, 5066), "svmap's OPTIONS from a bystander is answered");
            assert.deepEqual(banned(), []);
        });

        for (const [method, scanner] of [
            ["REGISTER", scanners.svwarRegister],
            ["INVITE", scanners.svwarInvite],
        ] as const) {
            it(`svwar by ${method} finds no extension, its address is banned and its next OPTIONS gets no answer`, async () => {
                // Forced, svwar stops at the first user that gets a random user's answer: run once for each name.
                const outputs = await Promise.all(
                    guessedUsers.map((user, i) =>
                        scan(scanner, "svwar", [
                            "-m",
                            method,
                            "-P",
                            String(5100 + i),
                            "--force",
                            "-d",
                            wordlist(`${method}-${user}`, [user]),
                        ]),
                    ),
                );
                for (const [i, output] of outputs.entries())
                    assert.doesNotMatch(
                        output,
                        /extension '[^']*' (exists|probably exists)|\|\s*reqauth\s*\|/,
                        `${guessedUsers[i]}: ${output}`,
                    );
                await waitFor(
                    () => `fail2ban to ban ${scanner}:\n${jailReport()}`,
                    30_000,
                    () => banned().includes(scanner) || undefined,
                );
                assert.equal(
                    await answeredOptions(scanner, 5080),
                    undefined,
                    "the banned scanner's OPTIONS is dropped",
                );
                assert.ok(await answeredOptions(bystander, 5081), "the bystander is still answered");
                assert.match(
                    inNetns(["chroot", jailRoot, "nft", "list", "ruleset"]),
                    new RegExp(`\\b${scanner.replaceAll(".", "\\.")}\\b`),
                    "the ban is in nftables",
                );
            });
        }

        it(`svcrack's ${guessedPasswords.length + 300} guesses at desk's password find nothing, and its address is banned`, async () => {
            const byWord = await scan(scanners.svcrack, "svcrack", [
                "-u",
                "desk",
                "-P",
                "5090",
                "-d",
                wordlist("passwords", guessedPasswords),
            ]);
            await waitFor(
                () => `fail2ban to ban ${scanners.svcrack}:\n${jailReport()}`,
                30_000,
                () => banned().includes(scanners.svcrack) || undefined,
            );
            const byNumber = await scan(scanners.svcrack, "svcrack", [
                "-u",
                "desk",
                "-P",
                "5091",
                "-r",
                guessedNumbers,
            ]);
            for (const output of [byWord, byNumber])
                assert.doesNotMatch(output, /\| desk\s+\|\s*\S+\s*\||Does not seem to require authentication/, output);
            assert.equal(
                await answeredOptions(scanners.svcrack, 5092),
                undefined,
                "the banned scanner's OPTIONS is dropped",
            );
        });

        it("a trunk's address guessing the same passwords is never banned, and is still answered", async () => {
            const output = await scan(trunkAddress, "svcrack", [
                "-u",
                "desk",
                "-P",
                "5093",
                "-d",
                wordlist("trunk-passwords", guessedPasswords),
            ]);
            assert.doesNotMatch(output, /\| desk\s+\|\s*\S+\s*\|/, output);
            assert.ok(
                securityFailuresFrom(asterisk!, trunkAddress) >= maxretry,
                `the trunk failed ${maxretry} times or more in security.log`,
            );
            // fail2ban reads the log in order: once a scanner that failed after the trunk is banned, it has read the trunk's lines.
            await scan(scanners.afterTrunk, "svcrack", [
                "-u",
                "desk",
                "-P",
                "5095",
                "-d",
                wordlist("after-trunk", guessedPasswords),
            ]);
            await waitFor(
                () => `fail2ban to ban ${scanners.afterTrunk}:\n${jailReport()}`,
                30_000,
                () => banned().includes(scanners.afterTrunk) || undefined,
            );
            assert.ok(!banned().includes(trunkAddress), `the trunk was banned:\n${status()}`);
            assert.ok(await answeredOptions(trunkAddress, 5094), "the trunk's OPTIONS is answered");
        });
    });
}

/** Failed logins from `address` in the instance's security.log. */
function securityFailuresFrom(asterisk: RunningAsterisk, address: string): number {
    const log = readFileSync(join(asterisk.logDir, "security.log"), "utf8");
    return log
        .split("\n")
        .filter((l) => l.includes(`/${address}/`) && /InvalidAccountID|ChallengeResponseFailed|InvalidPassword/.test(l))
        .length;
}
