/**
 * SIPVicious (svmap, svwar, svcrack: the scanner toll fraudsters run first) against the freelancer
 * office in a real Asterisk 22, from an address that is neither a phone nor a provider. The scans
 * find a SIP server but no extension and no password, and fail2ban's filter, run on the security
 * log lines each scan left, bans the scanner.
 */
import { strict as assert } from "assert";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { attackerAddress, CallLab, reportFailures, waitFor } from "../../lab/callLab";
import { asteriskBuilds } from "../../lab/asteriskBuilds";
import { runFilter } from "../../lab/fail2ban";
import { runSipvicious } from "./sipvicious";
import { installedFilter, installedJail } from "./installedFilter";

/** Failures within findtime after which the installed jail bans an address. */
const maxretry = Number(installedJail().maxretry);
/** Extensions and user names svwar tries: the office's own (desk, 100) among made-up and usual ones. */
const guessedUsers = [
    "desk",
    "100",
    "101",
    "admin",
    "office",
    "reception",
    "front-desk",
    "1000",
    "2000",
    "guest",
    "test",
    "sip",
];
/** svcrack's guesses at desk's password: a usual wordlist's head, then the numbers 1000–1299. */
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
const guessedNumbers = "1000-1299";

interface Scan {
    /** What each run of the tool printed. */
    outputs: string[];
    /** Failed logins from the scanner that fail2ban's filter found in the security log lines the scan left. */
    failures: number;
    /** Addresses other than the scanner's that the filter matched (none may be). */
    others: string[];
}

for (const build of asteriskBuilds)
    describe(`SIPVicious scans of the freelancer office from a stranger's address, through a real Asterisk ${build.version}`, function () {
        this.timeout(60_000);
        let lab: CallLab | undefined;
        let scratch: string;
        const filter = installedFilter();

        before(async function () {
            this.timeout(90_000);
            scratch = mkdtempSync(join(tmpdir(), "deskphone-sipvicious-"));
            lab = await CallLab.start("freelancer", undefined, { build });
        });
        after(async () => {
            await lab?.stop();
            rmSync(scratch, { recursive: true, force: true });
        });
        reportFailures(() => lab);

        const securityLog = () => {
            const path = join(lab!.asterisk.logDir, "security.log");
            return existsSync(path) ? readFileSync(path, "utf8") : "";
        };

        /**
         * Runs a SIPVicious tool from the scanner's address, at once for each set of arguments, then reads the
         * security log lines the runs left through fail2ban's filter (after waiting for `expectFailures`).
         */
        async function scan(tool: string, runs: string[][], expectFailures: number): Promise<Scan> {
            const mark = Buffer.byteLength(securityLog());
            const outputs = await Promise.all(
                runs.map((args) => runSipvicious(attackerAddress, tool, ["-x", attackerAddress, ...args, "127.0.0.1"])),
            );
            const leftSince = () => Buffer.from(securityLog()).subarray(mark).toString("utf8");
            const failuresIn = (text: string) =>
                text
                    .split("\n")
                    .filter(
                        (l) =>
                            l.includes(`/${attackerAddress}/`) &&
                            /InvalidAccountID|ChallengeResponseFailed|InvalidPassword/.test(l),
                    ).length;
            await waitFor(
                `${expectFailures} failures from ${attackerAddress} in security.log after ${tool}`,
                5_000,
                () => failuresIn(leftSince()) >= expectFailures || undefined,
            );
            const filtered = runFilter(leftSince(), filter);
            assert.equal(filtered.dated, filtered.lines, `fail2ban dates every security.log line:\n${filtered.report}`);
            const others = [...filtered.byAddress.keys()].filter((ip) => ip !== attackerAddress);
            return { outputs, failures: filtered.byAddress.get(attackerAddress) ?? 0, others };
        }

        const wordlist = (name: string, words: string[]) => {
            const path = join(scratch, name);
            writeFileSync(path, `${words.join("\n")}\n`);
            return path;
        };

        it("svmap finds a SIP server, which names itself only deskphone", async () => {
            const result = await scan("svmap", [["-P", "5066"]], 0);
            const userAgent = result.outputs[0].match(/127\.0\.0\.1:5060\s*\|\s*([^|]*?)\s*\|/)?.[1];
            assert.equal(
                userAgent,
                "deskphone",
                `svmap's table names the server deskphone, no product or version:\n${result.outputs[0]}`,
            );
            assert.deepEqual(result.others, []);
        });

        for (const method of ["REGISTER", "INVITE"]) {
            it(`svwar by ${method} finds no extension: every user, real or not, gets the same 401, and the scanner is banned`, async () => {
                // Unforced, svwar stops at its first probe: a random user is challenged, so answers cannot tell users apart.
                const checked = await scan("svwar", [["-m", method, "-P", "5067", "-e", "100"]], 1);
                assert.match(
                    checked.outputs[0],
                    /SIP server replied with an authentication request for an unknown extension/,
                    checked.outputs[0],
                );

                // Forced, it takes a random user's 401 as "no such user", and gives up at the first user that gets the same:
                // so it is run once for each name, real or made up.
                const unknown = guessedUsers.filter(
                    (u) => !lab!.office.phones.some((p) => p.name === u || p.extension === u),
                );
                const forced = await scan(
                    "svwar",
                    guessedUsers.map((user, i) => [
                        "-m",
                        method,
                        "-P",
                        String(5100 + i),
                        "--force",
                        "-d",
                        wordlist(`user-${user}`, [user]),
                    ]),
                    unknown.length,
                );
                for (const [i, output] of forced.outputs.entries()) {
                    assert.match(output, /found nothing/, `${guessedUsers[i]}: ${output}`);
                    assert.doesNotMatch(
                        output,
                        /extension '[^']*' (exists|probably exists)/,
                        `${guessedUsers[i]}: ${output}`,
                    );
                }
                assert.equal(await lab!.registeredContact("desk"), undefined, "nothing registered as desk");
                assert.ok(
                    forced.failures >= maxretry,
                    `fail2ban's filter finds ${forced.failures} failures from ${attackerAddress} (bans at ${maxretry})`,
                );
                assert.deepEqual(forced.others, [], "only the scanner is matched");
            });
        }

        it(`svcrack's ${guessedPasswords.length + 300} guesses at desk's password find nothing, and the scanner is banned`, async () => {
            const words = await scan(
                "svcrack",
                [["-u", "desk", "-P", "5069", "-d", wordlist("passwords", guessedPasswords)]],
                maxretry,
            );
            const numbers = await scan("svcrack", [["-u", "desk", "-P", "5070", "-r", guessedNumbers]], maxretry);
            for (const result of [words, numbers]) {
                const [output] = result.outputs;
                assert.match(output, /found nothing/, output);
                assert.doesNotMatch(output, /\| desk\s+\||Does not seem to require authentication/, output);
                assert.ok(
                    result.failures >= maxretry,
                    `fail2ban's filter finds ${result.failures} failures from ${attackerAddress} (bans at ${maxretry})`,
                );
                assert.deepEqual(result.others, []);
            }
            assert.equal(await lab!.registeredContact("desk"), undefined, "nothing registered as desk");
        });

        it("svcrack, given desk's real password among its guesses, finds it (the scans above could have found one)", async () => {
            const password = lab!.phone("desk").secret!;
            const result = await scan(
                "svcrack",
                [
                    [
                        "-u",
                        "desk",
                        "-P",
                        "5071",
                        "-d",
                        wordlist("with-the-password", [...guessedPasswords.slice(0, 3), password]),
                    ],
                ],
                3,
            );
            assert.ok(
                new RegExp(`\\| desk\\s+\\| ${password} \\|`).test(result.outputs[0]),
                "svcrack's table gives desk's password",
            );
        });
    });
