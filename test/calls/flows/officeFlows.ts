/**
 * The call flows of the reference documents, as real SIP calls through a real Asterisk loaded with
 * an example office: each flow is its own test, run for each example office by its test file, on every
 * Asterisk version of the matrix (asteriskBuilds.ts).
 */
import { strict as assert } from "assert";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Office } from "../../../components";
import { decodeHeader, mailParts, splitHeaders } from "../../../lab/smtpServer";
import { asteriskBuilds } from "../../../lab/asteriskBuilds";
import { SippProcess, SippRun } from "../../../lab/sipp";
import { answer, call, callInBackground, register, voiceMs, watchTrunks } from "./calls";
import {
    attackerAddress,
    CallLab,
    callTestOffice,
    reportFailures,
    Role,
    TrunkRole,
    waitFor,
} from "../../../lab/callLab";
import {
    channelStats,
    digestAnswersWith,
    digestParams,
    finalResponses,
    header,
    received,
    sipMessages,
    uriUser,
} from "./sipTrace";

export interface OfficeFlowSpec {
    /** The example stack. */
    stack: string;
    /** What kind of office it is, for the test titles. */
    title: string;
    /** A caller outside the office, as its provider presents it in From. */
    outsideCaller: string;
    /** Numbers as a phone dials them, and as the trunk must receive them. */
    dialing: { dialed: string; sent: string }[];
    /** The office's own number as its people dial it. */
    ownNumberDialed: string;
    /** The emergency number, and who must receive it: a trunk, or the SPA3102's landline. */
    emergency: { dialed: string; sent: string; via: "trunk" | "landline" };
    /** A number outside the office a trunk might try to reach through it. */
    outsideNumber: string;
    /** Destinations the stack does not allow, as a phone dials them. */
    refused: { dialed: string; kind: "international" | "premium" }[];
}

/** How a provider addresses a DID: Twilio in E.164, a registration ITSP to the registered contact user, others as digits. */
export function didAsSent(office: Office, e164: string): string {
    const number = office.numbers.find((n) => n.e164 === e164)!;
    const trunk = office.trunks.find((t) => t.name === number.trunk)!;
    if (trunk.kind === "twilio") return e164;
    if (trunk.kind === "registration" && trunk.contactUser === e164.slice(-trunk.contactUser.length))
        return trunk.contactUser;
    return e164.slice(1);
}

/** The caller ID a trunk must see for a phone: Twilio takes E.164, the others digits. */
export function callerIdAsSent(office: Office, trunkName: string, phoneName: string): string {
    const phone = office.phones.find((p) => p.name === phoneName)!;
    const trunk = office.trunks.find((t) => t.name === trunkName);
    return trunk?.kind === "twilio" ? phone.callerId : phone.callerId.slice(1);
}

/** The user a trunk's From must carry: the stack's fromUser when the ITSP needs one (seed 003), else the caller ID. */
export function fromUserAsSent(office: Office, trunkName: string, phoneName: string): string {
    const trunk = office.trunks.find((t) => t.name === trunkName);
    if (trunk && (trunk.kind === "registration" || trunk.kind === "peers") && trunk.fromUser) return trunk.fromUser;
    return callerIdAsSent(office, trunkName, phoneName);
}

/** The trunk a phone's outbound call to these E.164 digits takes: the first prefix route that matches, else the default trunk. */
export function routeFor(office: Office, digits: string): string {
    const route = office.routes.prefixes.find((r) => patternMatches(r.pattern, digits));
    return route?.trunk ?? office.routes.defaultTrunk;
}

function patternMatches(pattern: string, digits: string): boolean {
    const classes: Record<string, string> = { X: "[0-9]", Z: "[1-9]", N: "[2-9]", ".": "[0-9]+", "!": "[0-9]*" };
    const regex = pattern.replace(
        /\[[^\]]+\]|./g,
        (c) => classes[c] ?? (c.startsWith("[") ? c : c.replace(/[^0-9]/g, "\\$&")),
    );
    return new RegExp(`^${regex}$`).test(digits);
}

/** The scenario the ITSP answers an outbound call with: a challenge when Asterisk has credentials for it. */
export function itspAnswering(trunk: TrunkRole): string {
    return trunk.credentials ? "flow-itsp-answer.xml" : "flow-uas-answer.xml";
}

/** Every SIPp run of a call ended as it should; otherwise a message with its command and errors. */
export function assertCompleted(run: SippRun, role: string): void {
    assert.equal(
        run.exitCode,
        0,
        `${role}: SIPp exited ${run.exitCode}${run.killed ? " (killed)" : ""}\n${run.command}\n${run.errors}`,
    );
}

/** Waits until both legs of the one bridged call have received and sent RTP, and returns the counters. */
export async function audioFlowsBothWays(lab: CallLab, packets = 60) {
    let shown = "";
    return waitFor(
        () => `RTP both ways on both legs (${packets} packets each); pjsip show channelstats last said:\n${shown}`,
        15_000,
        async () => {
            shown = await lab.asterisk.cli("pjsip show channelstats");
            const rows = channelStats(shown);
            const bridged = rows.filter((r) => r.bridge && rows.filter((o) => o.bridge === r.bridge).length === 2);
            return bridged.length === 2 && bridged.every((r) => r.received >= packets && r.sent >= packets)
                ? bridged
                : undefined;
        },
    );
}

/** Waits until Asterisk has no channel up. */
export async function noCallsUp(lab: CallLab): Promise<void> {
    await waitFor("every channel to hang up", 10_000, async () =>
        /^0 active channels?/m.test(await lab.asterisk.cli("core show channels count")) ? true : undefined,
    );
}

/** The peak amplitude of a 16-bit PCM WAV recording: silence stays near 0, a voice reaches thousands. */
export function peakAmplitude(wav: Buffer): number {
    const data = wav.indexOf("data") + 8;
    let peak = 0;
    for (let i = data; i + 1 < wav.length; i += 2) peak = Math.max(peak, Math.abs(wav.readInt16LE(i)));
    return peak;
}

/** The samples of a 16-bit PCM WAV (its first channel) and their rate; a recording still being written reads to its end. */
function pcm(wav: Buffer): { rate: number; samples: Int16Array } {
    const channels = wav.readUInt16LE(22);
    const rate = wav.readUInt32LE(24);
    const data = wav.indexOf("data") + 8;
    const count = Math.floor((wav.length - data) / 2 / channels);
    const samples = new Int16Array(count);
    for (let i = 0; i < count; i++) samples[i] = wav.readInt16LE(data + 2 * channels * i);
    return { rate, samples };
}

/** Asterisk's beep (sounds/<lang>/beep), as callers hear it: a 700 Hz tone, about half a second (measured from what baresip and linphonec recorded). */
export const beepHz = 700;

/** 20 ms steps of 100 ms windows over a recording, with each window's mean power and the share of it at `hz` (Goertzel). */
function windows(wav: Buffer, hz: number): { seconds: number; power: number; share: number }[] {
    const { rate, samples } = pcm(wav);
    const length = rate / 10;
    const step = rate / 50;
    const k = 2 * Math.cos((2 * Math.PI * hz) / rate);
    const out: { seconds: number; power: number; share: number }[] = [];
    for (let start = 0; start + length <= samples.length; start += step) {
        let s1 = 0;
        let s2 = 0;
        let energy = 0;
        for (let i = start; i < start + length; i++) {
            const s = samples[i] + k * s1 - s2;
            s2 = s1;
            s1 = s;
            energy += samples[i] * samples[i];
        }
        const atHz = ((s1 * s1 + s2 * s2 - k * s1 * s2) * 2) / length;
        out.push({ seconds: start / rate, power: energy / length, share: energy ? atHz / energy : 0 });
    }
    return out;
}

/** An audible window: louder than line noise (RMS 300 of 32 767). */
const audiblePower = 300 ** 2;

/** Where a tone of `hz` first sounds in a recording and for how long, in seconds; undefined if it never does. */
export function toneIn(wav: Buffer, hz: number): { start: number; seconds: number } | undefined {
    const all = windows(wav, hz);
    const holds = (w: { power: number; share: number }) => w.power > audiblePower && w.share > 0.9;
    const first = all.findIndex(holds);
    if (first < 0) return undefined;
    const after = all.slice(first).findIndex((w) => !holds(w));
    return { start: all[first].seconds, seconds: (after < 0 ? all.length - first : after) / 50 };
}

/** Seconds of audible sound in a recording before `until` seconds (20 ms steps). */
export function audibleSecondsBefore(wav: Buffer, until: number): number {
    return windows(wav, beepHz).filter((w) => w.seconds < until && w.power > audiblePower).length / 50;
}

/** Seconds from the INVITE to the beep a greeting may take beyond the ring time: vm-nobodyavail is 2.8 s, the beep 0.4 s. */
export const greetingAllowanceSeconds = 5;

/** Places a call that voicemail will take and returns the seconds from its INVITE until voicemail starts recording; the call then runs to its end. */
export async function secondsFromInviteToBeep(
    lab: CallLab,
    mailbox: string,
    place: () => SippProcess,
): Promise<number> {
    const invited = Date.now();
    const caller = place();
    const beep = await waitFor(`voicemail to record into ${mailbox}`, 40_000, () =>
        lab.recording(mailbox) ? Date.now() : undefined,
    );
    assertCompleted(await caller.done, "the caller waiting for the beep");
    return (beep - invited) / 1000;
}

export function describeOfficeFlows(spec: OfficeFlowSpec, more?: (lab: () => CallLab) => void): void {
    // Titles are built from the office as the test stack renders it.
    const office = callTestOffice(spec.stack).office;
    const number = office.numbers[0];
    const did = number.e164;
    const mailbox = did.slice(1);
    const rings = number.rings;
    const caller = office.phones.find((p) => p.callerId === did) ?? office.phones[0];
    const defaultTrunk = office.routes.defaultTrunk;

    for (const build of asteriskBuilds)
        describe(`call flows of the ${spec.title} (${spec.stack}) through a real Asterisk ${build.version}`, function () {
            this.timeout(60_000);
            let lab: CallLab;
            before(async function () {
                this.timeout(90_000);
                lab = await CallLab.start(spec.stack, undefined, { build });
            });
            after(async () => {
                await lab?.stop();
            });
            reportFailures(() => lab);

            const registerPhones = async (names: string[]) => {
                for (const name of names)
                    assert.equal((await register(lab.phone(name))).status, 200, `${name} registers`);
            };
            const unregisterPhones = async (names: string[]) => {
                for (const name of names) await register(lab.phone(name), { expires: 0 });
                for (const name of names)
                    assert.equal(await lab.registeredContact(name), undefined, `${name} is unregistered`);
            };

            it(`${caller.name} registers with digest auth; a wrong password is refused`, async () => {
                const phone = lab.phone(caller.name);
                await unregisterPhones([caller.name]);

                const wrong = await register(phone, { password: "not-the-password" });
                assert.ok(
                    wrong.status === 401 || wrong.status === 403,
                    `a wrong password gets 401/403, not ${wrong.status}`,
                );
                assert.equal(await lab.registeredContact(phone.name), undefined);

                const right = await register(phone);
                assert.deepEqual(finalResponses(right.run.messages), [401, 200], "challenged, then registered");
                const authorization = header(
                    sipMessages(right.run.messages).filter((m) => m.method === "REGISTER")[1],
                    "Authorization",
                );
                assert.equal(digestParams(authorization).username, phone.name);
                assert.equal(await lab.registeredContact(phone.name), `sip:${phone.name}@${phone.address}:5060`);
            });

            it(`a call from ${number.trunk}'s address to ${did} rings ${rings.join(" and ")}; answered, audio flows both ways and the caller's BYE ends it`, async () => {
                await registerPhones(rings);
                const [answering, ...others] = rings;
                const phone = await answer(lab, lab.phone(answering), answering, "flow-uas-answer.xml");
                const ringing = await Promise.all(
                    others.map((name) => answer(lab, lab.phone(name), name, "flow-uas-no-answer.xml")),
                );

                const itsp = lab.trunkOf(did);
                const incoming = callInBackground(itsp, didAsSent(lab.office, did), "flow-uac-call.xml", {
                    from: spec.outsideCaller,
                });
                const legs = await audioFlowsBothWays(lab);
                const [callerRun, phoneRun, ...ringingRuns] = await Promise.all([
                    incoming.done,
                    phone.done,
                    ...ringing.map((r) => r.done),
                ]);
                assertCompleted(callerRun, "the ITSP's caller");
                assertCompleted(phoneRun, answering);
                ringingRuns.forEach((run, i) =>
                    assertCompleted(run, `${others[i]} (rang, then cancelled when ${answering} answered)`),
                );

                const invite = received(phoneRun.messages, "INVITE")[0];
                assert.equal(uriUser(header(invite, "From")), spec.outsideCaller, "the phone shows who calls");
                assert.ok(
                    legs.some((l) => l.channel.startsWith(`${itsp.name}-`)) &&
                        legs.some((l) => l.channel.startsWith(`${answering}-`)),
                    JSON.stringify(legs),
                );
                assert.deepEqual(
                    [...received(callerRun.messages, "INVITE"), ...received(callerRun.messages, "UPDATE")],
                    [],
                    "the provider gets no re-INVITE or UPDATE when the phone answers",
                );
                assert.equal(
                    sipMessages(callerRun.messages).filter((m) => m.direction === "sent" && m.method === "BYE").length,
                    1,
                    "the caller hung up",
                );
                assert.equal(received(phoneRun.messages, "BYE").length, 1, "and the phone heard it");
                await noCallsUp(lab);
            });

            it(`answered at ${rings[0]}, the phone's BYE ends the call`, async () => {
                await registerPhones([rings[0]]);
                const phone = await answer(lab, lab.phone(rings[0]), rings[0], "flow-uas-answer-hangup.xml", {
                    holdMs: 3_000,
                });
                const incoming = callInBackground(
                    lab.trunkOf(did),
                    didAsSent(lab.office, did),
                    "flow-uac-call-held.xml",
                    { from: spec.outsideCaller },
                );
                await audioFlowsBothWays(lab, 30);
                const [callerRun, phoneRun] = await Promise.all([incoming.done, phone.done]);
                assertCompleted(phoneRun, rings[0]);
                assertCompleted(callerRun, "the ITSP's caller");
                assert.equal(received(callerRun.messages, "BYE").length, 1, "the caller heard the phone hang up");
                await noCallsUp(lab);
            });

            const leavesMessage = async (itsp: Role) => {
                const mailsBefore = lab.smtp.messages.length;
                const run = await call(itsp, didAsSent(lab.office, did), "flow-uac-leave-message.xml", {
                    from: spec.outsideCaller,
                });
                assertCompleted(run, "the caller leaving a message");
                assert.ok(finalResponses(run.messages).includes(200), "voicemail answered");

                const [message] = await waitFor(`a message in ${mailbox}'s INBOX`, 10_000, () => {
                    const inbox = lab.inbox(mailbox);
                    return inbox.length ? inbox : undefined;
                });
                const base = join(lab.inboxDir(mailbox), message.replace(/\.txt$/, ""));
                assert.match(
                    readFileSync(`${base}.txt`, "utf8"),
                    new RegExp(`callerid=.*${spec.outsideCaller.replace("+", "\\+")}`),
                );
                assert.ok(
                    peakAmplitude(readFileSync(`${base}.wav`)) > 1_000,
                    "the recording holds the caller's voice, not silence",
                );

                const mail = await lab.smtp.waitForMail(15_000, mailsBefore);
                assert.deepEqual(mail.to, [number.email]);
                assert.equal(mail.from, lab.office.office.voicemailFrom);
                assert.equal(
                    mail.overTls,
                    lab.office.mail?.tls === "starttls",
                    `msmtp used the stack's TLS setting (${lab.office.mail?.tls})`,
                );
                if (lab.office.mail?.username)
                    assert.equal(mail.authenticatedAs, lab.office.mail.username, "msmtp logged in to the relay");
                const { headers } = splitHeaders(mail.data);
                assert.match(
                    decodeHeader(headers.subject ?? ""),
                    new RegExp(`^Voicemail from ${spec.outsideCaller.replace("+", "\\+")} `),
                    `the email's headers: ${JSON.stringify(headers)}`,
                );
                const recording = mailParts(mail.data).find((p) => /\.wav$/i.test(p.filename ?? ""));
                assert.ok(
                    recording,
                    `the email has the recording attached: ${mailParts(mail.data)
                        .map((p) => p.headers["content-type"])
                        .join(", ")}`,
                );
                assert.match(recording.headers["content-transfer-encoding"] ?? "", /base64/i);
                assert.equal(recording.body.subarray(0, 4).toString("latin1"), "RIFF");
                assert.equal(recording.body.subarray(8, 12).toString("latin1"), "WAVE");
                assert.ok(
                    recording.body.length > 4_000,
                    `a recording of a few seconds, not ${recording.body.length} bytes`,
                );
            };

            it(`unanswered for ${number.ringSeconds} s, voicemail records the message and emails it with the recording to ${number.email}`, async () => {
                lab.emptyMailbox(mailbox);
                await registerPhones(rings);
                const phones = await Promise.all(
                    rings.map((name) => answer(lab, lab.phone(name), name, "flow-uas-no-answer.xml")),
                );
                await leavesMessage(lab.trunkOf(did));
                for (const [i, run] of (await Promise.all(phones.map((p) => p.done))).entries()) {
                    assertCompleted(run, `${rings[i]} (rang, unanswered)`);
                    assert.equal(
                        received(run.messages, "CANCEL").length,
                        1,
                        `${rings[i]} rang until the ring time was up`,
                    );
                }
            });

            it(`unanswered, the caller hears a short greeting, not the mailbox's digits: the beep comes at most ${greetingAllowanceSeconds} s after the ${number.ringSeconds} s of ringing`, async () => {
                lab.emptyMailbox(mailbox);
                await registerPhones(rings);
                const phones = await Promise.all(
                    rings.map((name) => answer(lab, lab.phone(name), name, "flow-uas-no-answer.xml")),
                );
                const secondsToBeep = await secondsFromInviteToBeep(lab, mailbox, () =>
                    callInBackground(lab.trunkOf(did), didAsSent(lab.office, did), "flow-uac-call.xml", {
                        from: spec.outsideCaller,
                        holdMs: 6_000,
                    }),
                );
                console.log(
                    `      (${spec.stack}, Asterisk ${build.version}: the beep came ${secondsToBeep.toFixed(1)} s after the INVITE, ${number.ringSeconds} s of them ringing)`,
                );
                assert.ok(
                    secondsToBeep >= number.ringSeconds,
                    `the phones rang the whole ${number.ringSeconds} s first, not ${secondsToBeep} s`,
                );
                assert.ok(
                    secondsToBeep <= number.ringSeconds + greetingAllowanceSeconds,
                    `the beep came ${secondsToBeep.toFixed(1)} s after the INVITE`,
                );
                assert.match(lab.testLog(), /Playing 'vm-nobodyavail\./, "the short stock greeting played");
                assert.doesNotMatch(
                    lab.testLog(),
                    /Playing 'vm-theperson\./,
                    "not VoiceMail's own, which reads out the mailbox number",
                );
                await Promise.all(phones.map((p) => p.done));
            });

            it("with no phone registered, voicemail answers at once and emails the message", async () => {
                lab.emptyMailbox(mailbox);
                await unregisterPhones(rings);
                await leavesMessage(lab.trunkOf(did));
            });

            for (const { dialed, sent } of spec.dialing) {
                const route = office.trunks.find((t) => t.name === routeFor(office, sent.replace(/^\+/, "")))!;
                const authenticated =
                    route.kind === "twilio" ||
                    Boolean(route.kind === "flowroute" ? route.secret : route.username && route.secret);
                const identity =
                    fromUserAsSent(office, route.name, caller.name) === callerIdAsSent(office, route.name, caller.name)
                        ? "From and P-Asserted-Identity"
                        : "P-Asserted-Identity (From: the stack's fromUser)";
                it(`${dialed} reaches ${route.name} as ${sent}, with the line's number in ${identity}${authenticated ? ", answering its challenge with the trunk's credentials" : ""}`, async () => {
                    const trunk = lab.trunk(route.name);
                    const itsp = await answer(lab, trunk, trunk.name, itspAnswering(trunk));
                    const run = await call(lab.phone(caller.name), dialed, "flow-uac-call.xml", { holdMs: 1_000 });
                    assertCompleted(run, caller.name);
                    const itspRun = await itsp.done;
                    assertCompleted(itspRun, `the ITSP for ${trunk.name}`);

                    const invites = received(itspRun.messages, "INVITE");
                    assert.ok(invites.length >= 1, "the call reached the trunk");
                    for (const invite of invites) assert.equal(uriUser(invite.uri ?? ""), sent);
                    const last = invites[invites.length - 1];
                    assert.equal(uriUser(header(last, "From")), fromUserAsSent(lab.office, trunk.name, caller.name));
                    assert.equal(
                        uriUser(header(last, "P-Asserted-Identity")),
                        callerIdAsSent(lab.office, trunk.name, caller.name),
                    );
                    if (trunk.credentials) {
                        const answer = header(last, "Proxy-Authorization");
                        assert.equal(digestParams(answer).username, trunk.credentials.username);
                        assert.ok(
                            digestAnswersWith(answer, "INVITE", trunk.credentials.password),
                            "the digest was computed with the trunk's secret",
                        );
                    }
                });
            }

            for (const dialed of [spec.ownNumberDialed, "1"]) {
                it(`dialing ${dialed === "1" ? "1" : `its own number (${dialed})`} answers with VoiceMailMain and sends nothing to a trunk`, async () => {
                    const trunks = await watchTrunks(lab);
                    const run = await call(lab.phone(caller.name), dialed, "flow-uac-call.xml", { holdMs: 2_000 });
                    assertCompleted(run, caller.name);
                    assert.ok(finalResponses(run.messages).includes(200), "answered");
                    assert.match(
                        lab.testLog(),
                        new RegExp(`VoiceMailMain\\("PJSIP/${caller.name}-[0-9a-f]+", "${mailbox}@default,s"\\)`),
                    );
                    assert.deepEqual(await trunks.invites(), []);
                });
            }

            it(`${spec.emergency.dialed} reaches the emergency route (${office.routes.emergencyTrunk}) with the line's caller ID`, async () => {
                const route =
                    spec.emergency.via === "landline" ? lab.landline() : lab.trunk(office.routes.emergencyTrunk);
                if (spec.emergency.via === "landline")
                    assert.equal((await register(route)).status, 200, "the SPA3102's landline port registers");
                const scenarioName =
                    spec.emergency.via === "landline" ? "flow-uas-answer.xml" : itspAnswering(route as TrunkRole);
                const far = await answer(lab, route, route.name, scenarioName);
                const run = await call(lab.phone(caller.name), spec.emergency.dialed, "flow-uac-call.xml", {
                    holdMs: 1_000,
                });
                assertCompleted(run, caller.name);
                const farRun = await far.done;
                assertCompleted(farRun, route.name);
                const invite = received(farRun.messages, "INVITE").pop()!;
                assert.equal(uriUser(invite.uri ?? ""), spec.emergency.sent);
                const callerId =
                    spec.emergency.via === "landline"
                        ? caller.callerId.slice(1)
                        : callerIdAsSent(lab.office, route.name, caller.name);
                const shown = header(invite, "P-Asserted-Identity") || header(invite, "From");
                assert.equal(uriUser(shown), callerId);
            });

            it(`a call from ${defaultTrunk}'s address to an outside number (${spec.outsideNumber}) is refused: inbound can never dial out`, async () => {
                const itsp = lab.trunk(defaultTrunk);
                const trunks = await watchTrunks(lab, [itsp]);
                const run = await call(itsp, spec.outsideNumber, "flow-uac-call.xml", {
                    from: spec.outsideCaller,
                    holdMs: 1_000,
                });
                const final = finalResponses(run.messages).pop();
                assert.ok(final !== undefined && final >= 400, `refused, not ${final}`);
                assert.deepEqual(
                    [...(await trunks.invites()), ...received(run.messages, "INVITE")],
                    [],
                    "no INVITE reached any trunk",
                );
            });

            it(`an INVITE from an unknown address (${attackerAddress}) is refused, even with a trunk's or a phone's name in From`, async () => {
                const trunks = await watchTrunks(lab);
                const attacker = (name: string): Role => ({ name, address: attackerAddress, port: 5060 });
                const posingAsTrunk = await call(
                    attacker(defaultTrunk),
                    didAsSent(lab.office, did),
                    "flow-uac-call.xml",
                    { credentials: { username: defaultTrunk, password: "guessed" }, holdMs: 1_000 },
                );
                const posingAsPhone = await call(attacker(caller.name), spec.outsideNumber, "flow-uac-call.xml", {
                    credentials: { username: caller.name, password: "guessed" },
                    holdMs: 1_000,
                });
                for (const run of [posingAsTrunk, posingAsPhone]) {
                    const responses = finalResponses(run.messages);
                    assert.ok(
                        !responses.includes(200) && responses.every((s) => s === 401 || s === 403 || s === 407),
                        `refused, not ${responses}`,
                    );
                }
                assert.deepEqual(await trunks.invites(), []);
            });

            it(`a REGISTER from an unknown address is refused, for a phone's name and a trunk's`, async () => {
                for (const name of [caller.name, defaultTrunk]) {
                    const { status } = await register(
                        { name, address: attackerAddress, port: 5060 },
                        { password: "guessed" },
                    );
                    assert.ok(status === 401 || status === 403, `REGISTER as ${name}: ${status}`);
                    const contact = await lab.registeredContact(name);
                    assert.ok(
                        !contact?.includes(attackerAddress),
                        `no contact for ${name} at ${attackerAddress}: ${contact}`,
                    );
                }
            });

            for (const { dialed, kind } of spec.refused) {
                it(`${caller.name} dialing ${dialed} (${kind}, not allowed by the stack) is refused and nothing reaches a trunk`, async () => {
                    const trunks = await watchTrunks(lab);
                    const run = await call(lab.phone(caller.name), dialed, "flow-uac-call.xml", { holdMs: 1_000 });
                    const final = finalResponses(run.messages).pop();
                    assert.ok(final !== undefined && final >= 400, `refused, not ${final}`);
                    assert.match(
                        lab.testLog(),
                        new RegExp(`Refused ${caller.name} calling \\d+: ${kind} destinations are not allowed`),
                    );
                    assert.deepEqual(await trunks.invites(), []);
                });
            }

            it("a configuration reload while a call is up leaves the call up: audio continues and BYE ends it", async () => {
                await registerPhones([rings[0]]);
                const phone = await answer(lab, lab.phone(rings[0]), rings[0], "flow-uas-answer.xml");
                const incoming = callInBackground(lab.trunkOf(did), didAsSent(lab.office, did), "flow-uac-call.xml", {
                    from: spec.outsideCaller,
                    holdMs: voiceMs,
                });
                const before = await audioFlowsBothWays(lab, 30);

                // What a deploy does: write the changed files, then run each one's reload (modules.conf's restart waits for no call).
                const reloads = new Set<string>();
                for (const file of lab.files.filter((f) => f.path.startsWith("/etc/asterisk/"))) {
                    const command = file.apply.match(/^asterisk -rx '(.+)'$/)?.[1];
                    if (!command || command.startsWith("core restart")) continue;
                    writeFileSync(
                        join(lab.asterisk.etcDir, file.name),
                        `${file.text}\n; changed for a reload during a call\n`,
                    );
                    reloads.add(command);
                }
                assert.ok(
                    reloads.has("module reload res_pjsip.so") && reloads.has("dialplan reload"),
                    [...reloads].join(", "),
                );
                const logBefore = lab.testLog().length;
                for (const command of reloads) await lab.asterisk.cli(command);

                const problems = lab
                    .testLog()
                    .slice(logBefore)
                    .split("\n")
                    .filter((line) => /\] (WARNING|ERROR)\[/.test(line));
                assert.deepEqual(
                    problems,
                    [],
                    "the reloads logged no warning or error (a deploy would roll them back)",
                );
                const after = await audioFlowsBothWays(lab, Math.max(...before.map((l) => l.received)) + 30);
                assert.deepEqual(
                    after.map((l) => l.channel).sort(),
                    before.map((l) => l.channel).sort(),
                    "the same call, still up",
                );
                const [callerRun, phoneRun] = await Promise.all([incoming.done, phone.done]);
                assertCompleted(callerRun, "the caller, who hangs up after the reload");
                assertCompleted(phoneRun, rings[0]);
                await noCallsUp(lab);
            });

            more?.(() => lab);
        });
}
