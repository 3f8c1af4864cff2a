/**
 * A Twilio trunk on Secure Trunking, with a real Asterisk playing Twilio's edge on 127.0.0.2 over TLS:
 * its call to the office's number arrives over TLS with SRTP keys in the SDP and rings the phone, and
 * the office will not send a call to a TLS server whose certificate the system's CAs did not sign (the
 * stand-in's is the lab's self-signed one), so an impostor on the termination host's address hears nothing.
 */
import { strict as assert } from "assert";
import { RunningAsterisk } from "../../../lab/asterisk";
import { startPeerAsterisk } from "../../../lab/peerAsterisk";
import { asteriskBuilds } from "../../../lab/asteriskBuilds";
import { CallLab, itspAddress, reportFailures, waitFor } from "../../../lab/callLab";
import { roles } from "../../../lab/loopback";
import { answer, call, register } from "./calls";
import { finalResponses } from "./sipTrace";

const standInTlsPort = 5061;
const number = "+59829001234";
/** Where each SIP message the PJSIP logger wrote begins. */
const sipLogMessage = /(?=<--- (?:Received|Transmitting) SIP (?:request|response))/;

for (const build of asteriskBuilds)
    describe(`a Twilio trunk on Secure Trunking, Twilio played by Asterisk over TLS (montevideo, Asterisk ${build.version})`, function () {
        this.timeout(120_000);
        let lab: CallLab | undefined;
        let twilio: RunningAsterisk | undefined;
        reportFailures(() => lab);

        before(async () => {
            lab = await CallLab.start(
                "montevideo",
                (office, options) => {
                    office.server.domain = "pbx.casa-montevideo.example";
                    for (const trunk of office.trunks) if (trunk.kind === "twilio") trunk.secureTrunking = true;
                    options.trunkAddresses = {
                        twilio: { host: `${itspAddress}:${standInTlsPort}`, matches: [itspAddress] },
                    };
                },
                { build },
            );
            // Twilio's edge: TLS both ways, SRTP required, the office known by its address.
            twilio = await startPeerAsterisk(
                `twilio-tls-${process.pid}`,
                build,
                {
                    transport: "tls",
                    bind: `${itspAddress}:${standInTlsPort}`,
                    office: `sip:${roles.asterisk}:${lab.office.server.tlsPort};transport=tls`,
                    context: "from-office",
                    mediaEncryption: "sdes",
                },
                "[from-office]\nexten => _X.,1,NoOp(the stand-in took a call)\n same => n,Answer()\n same => n,Echo()\n",
            );
            await lab.asterisk.cli("pjsip set logger on");
            await twilio.cli("pjsip set logger on");
        });
        after(async () => {
            await twilio?.stop();
            await lab?.stop();
        });

        it("Twilio's call arrives over TLS with SRTP keys, and rings the phone", async () => {
            const laptop = lab!.phone("laptop");
            assert.equal((await register(laptop)).status, 200);
            const answering = await answer(lab!, laptop, "laptop", "flow-uas-answer.xml", { holdMs: 2_000 });
            await twilio!.cli(`channel originate PJSIP/${number}@office application Wait 4`);
            const answered = await answering.done;
            assert.equal(answered.exitCode, 0, `the phone answered:\n${answered.errors}`);
            const log = lab!.testLog();
            const invite = log
                .split(sipLogMessage)
                .find((m) => /^<--- Received SIP request[^\n]* from TLS:127\.0\.0\.2:/.test(m) && /^INVITE /m.test(m));
            assert.ok(invite, `an INVITE from the stand-in over TLS:\n${log.slice(-4000)}`);
            assert.match(invite, /^m=audio \d+ RTP\/SAVP /m, "SRTP offered");
            assert.match(invite, /^a=crypto:/m, "its keys in the SDP");
            const ok = log
                .split(sipLogMessage)
                .find(
                    (m) =>
                        /^<--- Transmitting SIP response[^\n]* to TLS:127\.0\.0\.2:/.test(m) &&
                        /^SIP\/2\.0 200 /m.test(m),
                );
            assert.ok(ok, "the office answers over TLS");
            assert.match(ok, /^m=audio \d+ RTP\/SAVP /m, "with SRTP");
            assert.match(ok, /^a=crypto:/m, "and its own keys");
        });

        it("a call out goes nowhere when the TLS server on the termination address shows a certificate the system's CAs did not sign", async () => {
            const before = twilio!.logText().length;
            const run = await call(lab!.phone("laptop"), "099123456", "flow-uac-call.xml", { holdMs: 1_000 });
            const statuses = finalResponses(run.messages);
            assert.equal(statuses.pop(), 503, "the phone is told the way out failed");
            await waitFor("the office to refuse the impostor's certificate", 5_000, async () =>
                /Transport 'transport-tls' to remote '127\.0\.0\.2'.*The certificate is untrusted/.test(lab!.testLog())
                    ? true
                    : undefined,
            );
            const standIn = twilio!.logText().slice(before);
            assert.doesNotMatch(standIn, /Received SIP request[^\n]*\n\s*INVITE /, "no INVITE reached the stand-in");
            assert.doesNotMatch(standIn, /the stand-in took a call/);
        });
    });
