import { strict as assert } from "assert";
import { toneWav } from "../../../lab/wav";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { greeting as defaultGreeting } from "../../../components/defaults";
import { answer, call, callInBackground, register } from "./calls";
import { CallLab } from "../../../lab/callLab";
import { assertCompleted, describeOfficeFlows, didAsSent, itspAnswering, secondsFromInviteToBeep } from "./officeFlows";
import { header, received, uriUser } from "./sipTrace";

/** A stack's own greeting, as a person would record it: a 440 Hz tone. */
const greetingWav = (seconds: number) => toneWav(440, seconds);

/** With no phone registered, voicemail answers at once: the time to the beep is the greeting's. */
async function unregister(lab: CallLab, phones: string[]): Promise<void> {
    for (const name of phones) await register(lab.phone(name), { expires: 0 });
    for (const name of phones) assert.equal(await lab.registeredContact(name), undefined, `${name} is unregistered`);
}

// Seed 000's home office in Montevideo: a Twilio number ringing the SPA3102's phone and a softphone,
// emergency calls out through the landline. Uruguayan numbers, so the North American flows become
// their Uruguayan equivalents: 8-digit national numbers and 09X mobiles reach Twilio in E.164 with
// its leading "+", 00 is the international prefix, 0900 numbers are premium.
describeOfficeFlows(
    {
        stack: "montevideo",
        title: "Twilio office",
        outsideCaller: "+59824001234",
        dialing: [
            { dialed: "24001234", sent: "+59824001234" },
            { dialed: "+59824001234", sent: "+59824001234" },
            { dialed: "099123456", sent: "+59899123456" },
        ],
        ownNumberDialed: "29001234",
        emergency: { dialed: "911", sent: "911", via: "landline" },
        outsideNumber: "+59824001234",
        refused: [
            { dialed: "0014155550100", kind: "international" },
            { dialed: "090012345", kind: "premium" },
        ],
    },
    (current) => {
        it("a stack's own greeting file plays instead of the stock one, and the beep follows it", async () => {
            const lab = current();
            const number = lab.office.numbers[0];
            const mailbox = number.e164.slice(1);
            await unregister(lab, number.rings);
            const greetingSeconds = 1.5;
            writeFileSync(join(lab.asterisk.spoolDir, "casa-greeting.wav"), greetingWav(greetingSeconds));
            const greeting = lab.spoolPathInChroot("casa-greeting");
            await lab.reconfigure((office) => (office.numbers[0].greeting = greeting));
            try {
                lab.emptyMailbox(mailbox);
                const secondsToBeep = await secondsFromInviteToBeep(lab, mailbox, () =>
                    callInBackground(
                        lab.trunkOf(number.e164),
                        didAsSent(lab.office, number.e164),
                        "flow-uac-call.xml",
                        { from: "+59824001234", holdMs: 5_000 },
                    ),
                );
                assert.ok(lab.testLog().includes(`Playing '${greeting}.`), "the stack's greeting played");
                assert.doesNotMatch(lab.testLog(), /Playing 'vm-nobodyavail\./);
                assert.ok(
                    secondsToBeep >= greetingSeconds && secondsToBeep <= greetingSeconds + 3,
                    `no phone registered: the beep follows the ${greetingSeconds} s greeting, not ${secondsToBeep.toFixed(1)} s after the INVITE`,
                );
            } finally {
                await lab.reconfigure((office) => (office.numbers[0].greeting = defaultGreeting));
            }
        });

        it("a greeting the mailbox's owner recorded (VoiceMailMain's unavailable message) plays before the stack's", async () => {
            const lab = current();
            const number = lab.office.numbers[0];
            const mailbox = number.e164.slice(1);
            lab.emptyMailbox(mailbox);
            await unregister(lab, number.rings);
            const recordedSeconds = 1;
            // Where VoiceMailMain's "record your unavailable message" saves it (format=wav49|wav writes both).
            mkdirSync(join(lab.asterisk.spoolDir, "voicemail", "default", mailbox), { recursive: true });
            writeFileSync(
                join(lab.asterisk.spoolDir, "voicemail", "default", mailbox, "unavail.wav"),
                greetingWav(recordedSeconds),
            );
            const secondsToBeep = await secondsFromInviteToBeep(lab, mailbox, () =>
                callInBackground(lab.trunkOf(number.e164), didAsSent(lab.office, number.e164), "flow-uac-call.xml", {
                    from: "+59824001234",
                    holdMs: 5_000,
                }),
            );
            assert.match(
                lab.testLog(),
                new RegExp(`Playing '[^']*/voicemail/default/${mailbox}/unavail\\.\\w+'`),
                "the owner's greeting played",
            );
            assert.doesNotMatch(
                lab.testLog(),
                /Playing 'vm-(nobodyavail|theperson|intro)\./,
                "and nothing else before the beep",
            );
            assert.ok(
                secondsToBeep <= recordedSeconds + 3,
                `no phone registered: the beep follows the recorded greeting, not ${secondsToBeep.toFixed(1)} s after the INVITE`,
            );
            lab.emptyMailbox(mailbox);
        });

        it("with the landline unreachable (the SPA3102 offline), 911 goes out through twilio with the line's caller ID", async () => {
            const lab = current();
            const landline = lab.landline();
            await register(landline, { expires: 0 });
            assert.equal(await lab.registeredContact(landline.name), undefined, "the landline port is not registered");
            const caller = lab.office.phones[0];
            const trunk = lab.trunk("twilio");
            const itsp = await answer(lab, trunk, trunk.name, itspAnswering(trunk));
            const run = await call(lab.phone(caller.name), "911", "flow-uac-call.xml", { holdMs: 1_000 });
            assertCompleted(run, caller.name);
            const itspRun = await itsp.done;
            assertCompleted(itspRun, "twilio, the fallback");
            const invite = received(itspRun.messages, "INVITE").pop()!;
            assert.equal(uriUser(invite.uri ?? ""), "911");
            assert.equal(
                uriUser(header(invite, "P-Asserted-Identity")),
                caller.callerId,
                "Twilio gets the line's number in E.164",
            );
            assert.match(
                lab.testLog(),
                new RegExp(`Emergency call to 911 from ${caller.name}: landline unreachable \\(CHANUNAVAIL\\)`),
            );
        });
    },
);
