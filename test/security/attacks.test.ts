/**
 * The attack suite (issue 7): the freelancer office in a real Asterisk (22 and 20.6.0), attacked with SIPp from an
 * address that is neither a phone nor a provider (127.0.0.66), from the trunk's own address, and from
 * the office's phones (desk, and a second phone den added for the office-wide limit). For every attack:
 * no INVITE reaches the trunk (beyond the call limits), Asterisk answers as specified, and fail2ban's
 * filter, run on the security log lines the attack left, bans the attacker and never the provider or a
 * phone. Prints a table at the end.
 */
import { strict as assert } from "assert";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { SippProcess, SippRun } from "../../lab/sipp";
import { CallLab, listening, reportFailures, scenario, sipp, sippInBackground, waitFor } from "../../lab/callLab";
import { asteriskBuilds } from "../../lab/asteriskBuilds";
import { finalResponses, header, received, sipMessages } from "../calls/flows/sipTrace";
import { installedFilter, installedJail } from "./installedFilter";
import { runFilter } from "../../lab/fail2ban";

const attacker = "127.0.0.66";
/** The trunk's provider listens on 127.0.0.2:5060; an attacker spoofing its address sends from another port. */
const spoofedTrunkPort = 5070;
/** A US number outside the office, and destinations the freelancer stack does not allow. */
const outsideNumber = "12125550147";
const blocked = ["011442079460958", "19005550147", "19765550147", "8095550147"];
/** Failures within findtime after which the installed jail bans an address. */
const maxretry = Number(installedJail().maxretry);
/** The attacked office's limit on simultaneous outbound calls (each phone keeps its default of 2). */
const officeLimit = 3;

interface Outcome {
    attack: string;
    attempts: number;
    /** INVITEs that reached the trunk's provider. */
    placed: number;
    /** The last final response to each attempt, counted, e.g. "401×6". */
    answers: string;
    /** Failures fail2ban's filter found in the security log lines the attack left, per address. */
    matched: Map<string, number>;
}

for (const build of asteriskBuilds)
    describe(`attacks on the freelancer office (toll fraud and intrusion) through a real Asterisk ${build.version}`, function () {
        this.timeout(60_000);
        let lab: CallLab | undefined;
        const outcomes: Outcome[] = [];
        const filter = installedFilter();

        before(async function () {
            this.timeout(90_000);
            lab = await CallLab.start(
                "freelancer",
                (office) => {
                    // A second phone and an office-wide limit below the two phones' together, so both limits can be exceeded.
                    office.phones.push({
                        ...structuredClone(office.phones[0]),
                        name: "den",
                        extension: "101",
                        secret: { path: "deskphone:phones[1].secret" },
                    });
                    office.routes.maxOutboundCalls = officeLimit;
                },
                { build },
            );
        });
        after(async () => {
            if (outcomes.length) console.log(`\n${table(outcomes)}\n`);
            await lab?.stop();
        });
        reportFailures(() => lab);

        const phone = () => lab!.phone("desk");
        const securityLog = () => {
            const path = join(lab!.asterisk.logDir, "security.log");
            return existsSync(path) ? readFileSync(path, "utf8") : "";
        };

        /**
         * Runs an attack with the trunk's provider answering every INVITE that reaches it, then reads the
         * security log lines the attack left through fail2ban's filter (after waiting for `expectFailures`
         * failed logins from the attacker to be logged).
         */
        async function underAttack(
            attack: string,
            attempts: number,
            run: () => Promise<SippRun[]>,
            expectFailures = 0,
        ): Promise<Outcome & { runs: SippRun[] }> {
            const provider: SippProcess = sippInBackground("the trunk's provider", {
                scenario: scenario("attack-trunk-answer.xml"),
                local: "127.0.0.2",
                localPort: 5060,
                calls: 100,
                timeoutSeconds: 45,
            });
            await listening("127.0.0.2", 5060);
            await lab!.reachable("flowroute");
            const mark = Buffer.byteLength(securityLog());
            const runs = await run();
            const failuresFrom = (text: string) =>
                text
                    .split("\n")
                    .filter(
                        (l) =>
                            l.includes(`/${attacker}/`) &&
                            /InvalidAccountID|ChallengeResponseFailed|InvalidPassword|FailedACL/.test(l),
                    ).length;
            const leftSince = () => Buffer.from(securityLog()).subarray(mark).toString("utf8");
            if (expectFailures)
                await waitFor(
                    `${expectFailures} failures from ${attacker} in security.log`,
                    5_000,
                    () => failuresFrom(leftSince()) >= expectFailures || undefined,
                );
            await provider.stop();
            const placed = received((await provider.done).messages, "INVITE").length;
            const filtered = runFilter(leftSince(), filter);
            assert.equal(filtered.dated, filtered.lines, `fail2ban dates every security.log line:\n${filtered.report}`);
            const answers = summarize(runs.flatMap((r) => lastAnswers(r.messages)));
            const outcome = { attack, attempts, placed, answers, matched: filtered.byAddress };
            outcomes.push(outcome);
            return { ...outcome, runs };
        }

        it("REGISTER password guessing gets 401 every time, registers nothing, and is banned", async () => {
            const guesses = 6;
            const result = await underAttack(
                "REGISTER password guessing (desk)",
                guesses,
                async () => [
                    await sipp("an attacker guesses desk's password", {
                        scenario: scenario("flow-register.xml"),
                        local: attacker,
                        service: "desk",
                        calls: guesses,
                        rate: 20,
                        vars: { expires: "3600" },
                        extraArgs: ["-au", "desk", "-ap", "password123"],
                        timeoutSeconds: 15,
                    }),
                ],
                guesses,
            );
            assert.equal(result.placed, 0);
            assert.equal(result.answers, `401×${guesses}`, "each guess is challenged again, never accepted");
            assert.equal(await lab!.registeredContact("desk"), undefined, "no contact registered for desk");
            assert.ok(
                (result.matched.get(attacker) ?? 0) >= maxretry,
                `fail2ban's filter finds ${guesses} failures from ${attacker}: ${[...result.matched]}`,
            );
        });

        it("an INVITE with no credentials, from a user no phone has, is challenged, goes nowhere, and is banned", async () => {
            const froms = ["anonymous", "guest", "100", "admin", "1000", "sipvicious"];
            const result = await underAttack(
                "INVITE without auth",
                froms.length,
                () =>
                    Promise.all(
                        froms.map((from, i) =>
                            sipp(`an attacker calls ${outsideNumber} as ${from}`, {
                                scenario: scenario("attack-invite.xml"),
                                local: attacker,
                                localPort: 5080 + i,
                                service: outsideNumber,
                                vars: { from },
                                timeoutSeconds: 10,
                            }),
                        ),
                    ),
                froms.length,
            );
            assert.equal(result.placed, 0);
            assert.equal(result.answers, `401×${froms.length}`);
            assert.ok(
                (result.matched.get(attacker) ?? 0) >= maxretry,
                `fail2ban's filter finds the unknown users: ${[...result.matched]}`,
            );
        });

        it("an INVITE as a real phone with a wrong password is refused, goes nowhere, and is banned", async () => {
            const attempts = 5;
            const result = await underAttack(
                "INVITE as desk, wrong secret",
                attempts,
                async () => [
                    await sipp("an attacker calls out as desk with a guessed password", {
                        scenario: scenario("flow-uac-call.xml"),
                        local: attacker,
                        service: outsideNumber,
                        calls: attempts,
                        rate: 20,
                        vars: { from: "desk" },
                        extraArgs: ["-au", "desk", "-ap", "desk", "-d", "1000"],
                        timeoutSeconds: 15,
                    }),
                ],
                attempts,
            );
            assert.equal(result.placed, 0);
            assert.equal(result.answers, `401×${attempts}`, "each wrong answer to the challenge is challenged again");
            assert.ok(
                (result.matched.get(attacker) ?? 0) >= maxretry,
                `fail2ban's filter finds the failed logins: ${[...result.matched]}`,
            );
        });

        it("REGISTER, OPTIONS and INVITE get the same answers for a real user and a made-up one (no enumeration)", async () => {
            const users = ["desk", "nosuchuser7"];
            const probe = (method: string, user: string, port: number) => {
                const scenarioFile = {
                    REGISTER: "flow-register.xml",
                    OPTIONS: "attack-options.xml",
                    INVITE: "flow-uac-call.xml",
                }[method]!;
                return sipp(`${method} probe for ${user}`, {
                    scenario: scenario(scenarioFile),
                    local: attacker,
                    localPort: port,
                    service: user,
                    vars: { REGISTER: { expires: "3600" }, OPTIONS: {}, INVITE: { from: user } }[method],
                    extraArgs: ["-au", user, "-ap", "guess", ...(method === "INVITE" ? ["-d", "1000"] : [])],
                    timeoutSeconds: 10,
                });
            };
            const methods = ["REGISTER", "OPTIONS", "INVITE"];
            const result = await underAttack(
                "enumeration by REGISTER/OPTIONS/INVITE",
                methods.length * users.length,
                () =>
                    Promise.all(
                        methods.flatMap((method, m) => users.map((user, u) => probe(method, user, 5090 + 2 * m + u))),
                    ),
                methods.length * users.length,
            );
            for (const [m, method] of methods.entries()) {
                const [real, madeUp] = [result.runs[2 * m], result.runs[2 * m + 1]];
                assert.deepEqual(
                    answersOf(madeUp),
                    answersOf(real),
                    `${method}: the same responses and challenges for desk and for a user that does not exist`,
                );
                const statuses = finalResponses(real.messages);
                assert.ok(
                    statuses.length > 0 && statuses.every((s) => s === 401),
                    `${method} is challenged, never answered: ${statuses}`,
                );
            }
            assert.equal(result.placed, 0);
            assert.ok(
                (result.matched.get(attacker) ?? 0) >= maxretry,
                `fail2ban's filter bans the prober: ${[...result.matched]}`,
            );
        });

        it("a REGISTER from the trunk's address, as a phone or as the trunk, registers nothing", async () => {
            const names = ["desk", "flowroute"];
            const result = await underAttack("REGISTER from the trunk's address", names.length, () =>
                Promise.all(
                    names.map((name, i) =>
                        sipp(`the trunk's address registers as ${name}`, {
                            scenario: scenario("attack-register.xml"),
                            local: "127.0.0.2",
                            localPort: spoofedTrunkPort + 10 + i,
                            service: name,
                            extraArgs: ["-au", name, "-ap", "guess"],
                            timeoutSeconds: 10,
                        }),
                    ),
                ),
            );
            assert.equal(result.placed, 0);
            assert.ok(!/\b200×/.test(result.answers), `never accepted: ${result.answers}`);
            assert.deepEqual([...result.matched], [], "the provider's address is never banned");
            const contacts = await lab!.asterisk.cli("pjsip show contacts");
            for (const i of names.keys())
                assert.ok(!contacts.includes(`127.0.0.2:${spoofedTrunkPort + 10 + i}`), contacts);
            assert.equal(await lab!.registeredContact("desk"), undefined);
        });

        it("an INVITE from the trunk's address reaches only the office's numbers: international, premium and outside numbers are unallocated", async () => {
            const targets = [...blocked, outsideNumber];
            const result = await underAttack("trunk-address INVITE to intl/premium", targets.length, () =>
                Promise.all(
                    targets.map((to, i) =>
                        sipp(`the trunk's address calls ${to}`, {
                            scenario: scenario("attack-invite.xml"),
                            local: "127.0.0.2",
                            localPort: spoofedTrunkPort + i,
                            service: to,
                            vars: { from: "12125550199" },
                            timeoutSeconds: 10,
                        }),
                    ),
                ),
            );
            assert.equal(result.placed, 0, "nothing a trunk sends goes back out");
            assert.equal(result.answers, `404×${targets.length}`, "no such number in this office");
            assert.deepEqual([...result.matched], [], "the provider's address is never banned");
        });

        it("the office's phone dialing international and premium prefixes is refused and nothing reaches the trunk", async () => {
            const result = await underAttack("phone dials blocked prefix", blocked.length, () =>
                Promise.all(
                    blocked.map((to, i) =>
                        sipp(`desk dials ${to}`, {
                            scenario: scenario("flow-uac-call.xml"),
                            local: phone().address,
                            localPort: 5061 + i,
                            service: to,
                            vars: { from: "desk" },
                            extraArgs: ["-au", "desk", "-ap", phone().secret!, "-d", "1000"],
                            timeoutSeconds: 20,
                        }),
                    ),
                ),
            );
            assert.equal(result.placed, 0);
            assert.equal(
                result.answers,
                `603×${blocked.length}`,
                "refused: declined, not 403, which phones read as a bad password",
            );
            assert.deepEqual([...result.matched], [], "the phone's address is not banned for dialing");
            for (const [digits, kind] of [
                ["442079460958", "international"],
                ["19005550147", "premium"],
                ["19765550147", "premium"],
                ["18095550147", "international"],
            ])
                assert.match(
                    lab!.testLog(),
                    new RegExp(`Refused desk calling ${digits}: ${kind} destinations are not allowed`),
                );
        });

        it("a phone placing more simultaneous outbound calls than its limit gets only the limit through", async () => {
            const limit = lab!.office.phones[0].maxOutboundCalls;
            const attempts = limit + 2;
            const result = await underAttack(`more calls than a phone's limit (${limit})`, attempts, async () => [
                await sipp(`desk places ${attempts} calls at once`, {
                    scenario: scenario("flow-uac-call.xml"),
                    local: phone().address,
                    service: "2125550147",
                    calls: attempts,
                    rate: 10,
                    vars: { from: "desk" },
                    extraArgs: ["-au", "desk", "-ap", phone().secret!, "-d", "3000", "-l", String(attempts)],
                    timeoutSeconds: 20,
                }),
            ]);
            assert.equal(result.placed, limit, `only ${limit} calls reach the trunk`);
            assert.equal(
                result.answers,
                `200×${limit}, 503×${attempts - limit}`,
                "the calls over the limit get congestion",
            );
            assert.match(lab!.testLog(), /Refused desk: too many simultaneous outbound calls/);
            assert.deepEqual([...result.matched], [], "a busy phone is not banned");
        });

        it("two phones placing more simultaneous outbound calls than the office's limit get only the office's limit through", async () => {
            const each = 2;
            const [desk, den] = ["desk", "den"].map((name) => lab!.phone(name));
            const calls = (p: typeof desk) =>
                sipp(`${p.name} places ${each} calls at once`, {
                    scenario: scenario("flow-uac-call.xml"),
                    local: p.address,
                    service: "2125550147",
                    calls: each,
                    rate: 10,
                    vars: { from: p.name },
                    extraArgs: ["-au", p.name, "-ap", p.secret!, "-d", "4000", "-l", String(each)],
                    timeoutSeconds: 20,
                });
            const result = await underAttack(
                `more calls than the office limit (${officeLimit})`,
                each * 2,
                async () => {
                    // desk's calls are up before den's are placed: two calls counted in the same instant would both be refused.
                    const first = calls(desk);
                    await waitFor(
                        "desk's calls to be up",
                        5_000,
                        async () =>
                            ((await lab!.asterisk.cli("group show channels")).match(/\boffice\s+outbound\b/g)?.length ??
                                0) >= each || undefined,
                    );
                    return Promise.all([first, calls(den)]);
                },
            );
            assert.equal(result.placed, officeLimit, `only ${officeLimit} calls reach the trunk`);
            assert.equal(result.answers, `200×${officeLimit}, 503×${each * 2 - officeLimit}`);
            assert.match(lab!.testLog(), /Refused den: too many simultaneous outbound calls/);
            assert.deepEqual([...result.matched], [], "busy phones are not banned");
        });

        it("911 still goes out when the phone is at its call limit", async () => {
            const limit = lab!.office.phones[0].maxOutboundCalls;
            const runs: Promise<SippRun>[] = [];
            const dial = (to: string, port: number, calls = 1) =>
                sipp(`desk dials ${to}`, {
                    scenario: scenario("flow-uac-call.xml"),
                    local: phone().address,
                    localPort: port,
                    service: to,
                    calls,
                    rate: 10,
                    vars: { from: "desk" },
                    extraArgs: ["-au", "desk", "-ap", phone().secret!, "-d", "4000", "-l", String(calls)],
                    timeoutSeconds: 20,
                });
            const result = await underAttack("911 with the phone at its limit", limit + 1, async () => {
                runs.push(dial("2125550147", 5060, limit));
                await waitFor(
                    "desk's calls to be up",
                    5_000,
                    async () =>
                        ((await lab!.asterisk.cli("group show channels")).match(/\bdesk\s+outbound-phone\b/g)?.length ??
                            0) >= limit || undefined,
                );
                runs.push(dial("911", 5069));
                return Promise.all(runs);
            });
            assert.equal(result.placed, limit + 1, "the emergency call is placed on top of the limit");
            assert.equal(result.answers, `200×${limit + 1}`);
        });

        it("malformed SIP is dropped unanswered by the parser, goes nowhere, and Asterisk keeps serving", async () => {
            const attempts = 5;
            const result = await underAttack("malformed SIP", attempts, async () => [
                await sipp("an attacker sends malformed INVITEs", {
                    scenario: scenario("attack-malformed.xml"),
                    local: attacker,
                    service: outsideNumber,
                    calls: attempts,
                    rate: 20,
                    timeoutSeconds: 10,
                }),
            ]);
            assert.equal(result.placed, 0);
            assert.equal(result.answers, "-", "no answer at all");
            const dropped =
                lab!.testLog().match(/Dropping \d+ bytes packet from UDP 127\.0\.0\.66:5060 : PJSIP syntax error/g) ??
                [];
            assert.equal(
                dropped.length,
                attempts,
                "each one dropped by PJSIP's parser, before any endpoint or dialplan sees it",
            );
            assert.ok(lab!.asterisk.running(), "Asterisk is still running");
            assert.match(await lab!.asterisk.cli("pjsip show endpoint desk"), /Endpoint:\s+desk/);
        });
    });

/** Final responses, counted: "401×6, 403×1". */
function summarize(statuses: number[]): string {
    if (!statuses.length) return "-";
    const counts = new Map<number, number>();
    for (const s of statuses) counts.set(s, (counts.get(s) ?? 0) + 1);
    return [...counts]
        .sort(([a], [b]) => a - b)
        .map(([s, n]) => `${s}×${n}`)
        .join(", ");
}

/** The last final response to each attempt (an attempt is a Call-ID; a BYE's 200 is not an answer to it). */
function lastAnswers(trace: string): number[] {
    const last = new Map<string, number>();
    for (const m of sipMessages(trace)) {
        if (m.direction !== "received" || m.status === undefined || m.status < 200 || /\bBYE$/.test(header(m, "cseq")))
            continue;
        last.set(header(m, "call-id"), m.status);
    }
    return [...last.values()];
}

/** What a probe learned: each final response, with its challenge's realm and algorithm (never the nonce). */
function answersOf(run: SippRun): string[] {
    return sipMessages(run.messages)
        .filter((m) => m.direction === "received" && m.status !== undefined && m.status >= 200)
        .map((m) => {
            const challenge = header(m, "www-authenticate") || header(m, "proxy-authenticate");
            const realm = challenge.match(/realm="([^"]*)"/)?.[1];
            const algorithm = challenge.match(/algorithm=([\w-]+)/)?.[1];
            return `${m.status}${challenge ? ` realm=${realm} algorithm=${algorithm} headers=${challenge.split(",").length}` : ""}`;
        });
}

function table(outcomes: Outcome[]): string {
    const rows = [["attack", "attempts", "calls placed", "answers", "banned-by-filter"]];
    for (const o of outcomes) {
        const banned = [...o.matched].filter(([, n]) => n >= maxretry).map(([ip, n]) => `yes: ${ip} (${n} failures)`);
        const below = [...o.matched].filter(([, n]) => n < maxretry).map(([ip, n]) => `${ip} ${n} < ${maxretry}`);
        rows.push([
            o.attack,
            String(o.attempts),
            String(o.placed),
            o.answers,
            [...banned, ...below].join("; ") || "no (no failure logged)",
        ]);
    }
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
    return [line(rows[0]), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.slice(1).map(line)].join(
        "\n",
    );
}
