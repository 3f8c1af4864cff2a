import { strict as assert } from "assert";
import { join } from "node:path";
import { Office, renderConfigFiles, renderSecretFiles, resolveSecrets } from "../../components";
import { spa3102Records } from "../../components/spa3102";
import { RunningAsterisk, startAsterisk } from "../../lab/asterisk";
import { asteriskBuilds } from "../../lab/asteriskBuilds";
import { runSipp, SippRun, startSipp } from "../../lab/sipp";
import { onLoopback, phoneAddress, roles } from "../../lab/loopback";
import { exampleOffice } from "../../lab/stacks";
import { readFlatProfile } from "./records";

const scenario = (name: string) => join(__dirname, "..", "..", "lab", "scenarios", `${name}.xml`);

/** Every SIP message of a SIPp run, for assertion messages. */
const trace = (run: SippRun) => `${run.command}\n${run.stderr}\n${run.errors}\n${run.messages}`;

/** The requests SIPp received, as their first lines ("INVITE sip:casa@127.0.0.3:5060 SIP/2.0"). */
const received = (run: SippRun, method: string) =>
    run.messages
        .split(/\n(?=-{5,} )/)
        .filter((block) => /message received/.test(block))
        .map((block) => block.split(/\r?\n/).find((line) => line.startsWith(`${method} `)))
        .filter((line): line is string => Boolean(line));

/**
 * The Montevideo office (seed 000) on loopback, and its SPA3102 profile with the passwords: SIPp plays the
 * adapter with the profile's own accounts, proxy and dial plans, so the test proves the profile and the
 * office's Asterisk work together.
 */
function montevideo(): { office: Office; files: Record<string, string>; profile: Record<string, string> } {
    const base = exampleOffice("montevideo");
    base.spa3102!.landline!.ringSeconds = 3; // voicemail sooner; the flow is the same
    const { office, options } = onLoopback(base);
    const secrets = resolveSecrets(office);
    const rendered = [...renderConfigFiles(office, options), ...renderSecretFiles(office, secrets)];
    const files = Object.fromEntries(
        rendered.filter((f) => f.path.startsWith("/etc/asterisk/")).map((f) => [f.name, f.text]),
    );
    const { profileXml } = spa3102Records(office, { publicAddress: options.publicAddress!, secrets });
    const profile = Object.fromEntries(readFlatProfile(profileXml).entries.map((e) => [e.parameter, e.value]));
    return { office, files, profile };
}

for (const build of asteriskBuilds)
    describe(`the SPA3102 on loopback, played by SIPp, through a real Asterisk ${build.version}`, function () {
        this.timeout(120_000);

        const { office, files, profile } = montevideo();
        const landline = office.spa3102!.landline!;
        const target = office.phones.find((p) => p.name === landline.rings[0])!;
        // Each port of the adapter is a SIP account from its own address, as the one box behind NAT would be to the office.
        const lineAddress = phoneAddress(0);
        const landlineAddress = phoneAddress(1);
        const lineUser = profile.User_ID_1_;
        const landlineUser = profile.User_ID_2_;
        const proxy = (p: string) => (p.includes(":") ? p : `${p}:5060`);
        const account = (n: 1 | 2) => ({
            remote: proxy(profile[`Proxy_${n}_`]),
            extraArgs: ["-au", profile[`User_ID_${n}_`], "-ap", profile[`Password_${n}_`], "-aa"],
        });
        let asterisk: RunningAsterisk;

        before(async () => {
            asterisk = await startAsterisk(files, { build, name: "spa3102", stockConfig: { omit: ["users.conf"] } });
            for (const [n, address] of [
                [1, lineAddress],
                [2, landlineAddress],
            ] as const) {
                assert.equal(profile[`Register_${n}_`], "yes");
                const run = await runSipp({
                    scenario: scenario("spa-register"),
                    local: address,
                    service: profile[`User_ID_${n}_`],
                    ...account(n),
                    timeoutSeconds: 15,
                });
                assert.equal(run.exitCode, 0, trace(run));
            }
        });
        after(async () => {
            await asterisk?.stop();
        });

        it("line 1 and the landline register as the office's phone and landline endpoints", async () => {
            const contacts = await asterisk.cli("pjsip show contacts");
            assert.match(
                contacts,
                new RegExp(`Contact:\\s+${lineUser}/sip:${lineUser}@${lineAddress.replace(/\./g, "\\.")}:5060`),
                contacts,
            );
            assert.match(
                contacts,
                new RegExp(
                    `Contact:\\s+${landlineUser}/sip:${landlineUser}@${landlineAddress.replace(/\./g, "\\.")}:5060`,
                ),
                contacts,
            );
        });

        /** Line 1 places a call, as its phone's user dialed it. */
        const lineCalls = (dialed: string) =>
            runSipp({
                scenario: scenario("spa-call"),
                local: lineAddress,
                service: dialed,
                vars: { caller: lineUser, user: lineUser },
                ...account(1),
                timeoutSeconds: 30,
            });

        it("a landline call rings the target extension with the caller's number, then the target's voicemail answers it", async () => {
            // PSTN Caller Default DP picks the dial plan that forwards every landline caller, e.g. (S0<:200>).
            const forwardTo =
                profile[`Dial_Plan_${profile.PSTN_Caller_Default_DP_2_}_2_`].match(/^\(S0<:(\d+)>\)$/)?.[1];
            assert.equal(forwardTo, target.extension);
            // PSTN CID For VoIP CID: the landline caller's number is the From of the forwarded call.
            assert.equal(profile.PSTN_CID_for_VoIP_CID_2_, "yes");
            const phone = startSipp({
                scenario: scenario("spa-ring-no-answer"),
                local: lineAddress,
                extraArgs: ["-aa"],
                timeoutSeconds: 30,
            });
            const call = await runSipp({
                scenario: scenario("spa-call"),
                local: landlineAddress,
                service: forwardTo,
                vars: { caller: "099123456", user: landlineUser },
                ...account(2),
                timeoutSeconds: 30,
            });
            const rang = await phone.done;
            assert.equal(
                call.exitCode,
                0,
                `the forwarded call was not answered:\n${trace(call)}\n${asterisk.logText()}`,
            );
            assert.equal(received(rang, "INVITE").length, 1, trace(rang));
            assert.match(rang.messages, /^From: .*099123456/m, "the phone shows the landline caller's number");
            assert.equal(
                received(rang, "CANCEL").length,
                1,
                `the office stops ringing after ${landline.ringSeconds} s:\n${trace(rang)}`,
            );
            const mailbox = office.numbers.find((n) => n.e164 === target.callerId)!.e164.slice(1);
            // The call hangs up 2 s after it is answered, during the greeting: it reached the target's mailbox.
            assert.match(
                asterisk.logText(),
                new RegExp(
                    `Gosub\\("PJSIP/${landlineUser}-[0-9a-f]+", "ring-then-voicemail,s,1\\(PJSIP/${target.name},\\d+,${mailbox},`,
                ),
                asterisk.logText(),
            );
            assert.match(
                asterisk.logText(),
                new RegExp(`Playback\\("PJSIP/${landlineUser}-[0-9a-f]+", "vm-nobodyavail"\\)`),
                "the voicemail greeting plays",
            );
        });

        it("line 1 calls a national number out through the office's trunk, with the line's number", async () => {
            const itsp = startSipp({ scenario: scenario("spa-answer"), local: roles.itsp, timeoutSeconds: 30 });
            const call = await lineCalls("29005678"); // a Montevideo number as dialed on the analog phone
            const answered = await itsp.done;
            assert.equal(call.exitCode, 0, `${trace(call)}\n${asterisk.logText()}`);
            assert.deepEqual(
                received(answered, "INVITE"),
                [`INVITE sip:+59829005678@${roles.itsp}:5060 SIP/2.0`],
                `${trace(answered)}\n${trace(call)}`,
            );
            assert.match(answered.messages, /^From: <sip:\+59829001234@/m, "the line's own number is the caller ID");
        });

        for (const [what, dialed, number] of [
            [`${landline.dialOutPrefix} + number`, `${landline.dialOutPrefix}29005678`, "29005678"],
            ["an emergency number", "911", "911"],
        ]) {
            it(`line 1 dials ${what}: the landline gets the number, from the address the adapter lets through`, async () => {
                assert.equal(profile["VoIP-To-PSTN_Gateway_Enable_2_"], "yes");
                const gateway = startSipp({
                    scenario: scenario("spa-answer"),
                    local: landlineAddress,
                    timeoutSeconds: 30,
                });
                const call = await lineCalls(dialed);
                const dialedOut = await gateway.done;
                assert.equal(call.exitCode, 0, `${trace(call)}\n${asterisk.logText()}`);
                assert.deepEqual(
                    received(dialedOut, "INVITE"),
                    [`INVITE sip:${number}@${landlineAddress}:5060 SIP/2.0`],
                    `${trace(dialedOut)}\n${trace(call)}`,
                );
                // VoIP Access List: the office's calls are dialed without a password only from that address.
                assert.match(
                    dialedOut.messages,
                    new RegExp(`^Via: SIP/2.0/UDP ${profile.VoIP_Access_List_2_.replace(/\./g, "\\.")}:`, "m"),
                );
            });
        }

        it("logs no warning or error", () => {
            assert.deepEqual(asterisk.problems(), [], asterisk.logText());
        });
    });
