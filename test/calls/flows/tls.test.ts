import { strict as assert } from "assert";
import { roles } from "../../../lab/loopback";
import { asteriskBuilds } from "../../../lab/asteriskBuilds";
import { Baresip } from "../../../lab/baresip";
import { chrootPath } from "../../../lab/asterisk";
import { serverCertificate } from "../../../lab/serverCertificate";
import { captureUdp, Datagram, rtpPayload } from "../../../lab/udpCapture";
import { g711Wav } from "../../../lab/g711";
import { callInBackground } from "./calls";
import { assertCompleted, audioFlowsBothWays, didAsSent, noCallsUp, peakAmplitude, toneIn } from "./officeFlows";
import { CallLab, reportFailures, waitFor } from "../../../lab/callLab";

/** The tone baresip sends as its voice (ausine). */
const phoneToneHz = 440;
/** The authentication tag SDES-SRTP adds to every packet (AES_CM_128_HMAC_SHA1_80: 80 bits). */
const srtpTagBytes = 10;

/** The G.711 payloads of the RTP packets from one address to another, with their payload type. */
function rtpFrom(datagrams: Datagram[], src: string, dst: string) {
    return datagrams
        .filter((d) => d.src === src && d.dst === dst)
        .map((d) => rtpPayload(d.payload))
        .filter((p) => p !== undefined && (p.payloadType === 0 || p.payloadType === 8))
        .map((p) => p!);
}

/** What a stream sounds like decoded as the G.711 its packets say they carry. */
function heardAs(packets: { payloadType: number; payload: Buffer }[]): Buffer {
    return g711Wav(
        packets.map((p) => p.payload),
        packets[0].payloadType as 0 | 8,
    );
}

// The office's default for phones, with a real softphone: SIP over TLS to the server's certificate, and SRTP
// audio. The freelancer's desk phone is baresip, on its own loopback address; the provider is SIPp, in the clear.
for (const build of asteriskBuilds) {
    describe(`a phone over TLS with SRTP (baresip) through a real Asterisk ${build.version}`, function () {
        this.timeout(60_000);
        let lab: CallLab;
        let phone: Baresip | undefined;
        before(async function () {
            this.timeout(90_000);
            lab = await CallLab.start(
                "freelancer",
                (office) => {
                    for (const p of office.phones) p.transport = "tls";
                },
                { build },
            );
        });
        afterEach(async function () {
            if (this.currentTest?.state === "failed" && phone)
                console.error(`---- baresip printed ----\n${phone.log()}`);
            await phone?.stop();
            phone = undefined;
            await waitFor("baresip to unregister as it quits", 5_000, async () =>
                (await lab.registeredContact("desk")) === undefined ? true : undefined,
            );
        });
        after(async () => {
            await lab?.stop();
        });
        reportFailures(() => lab);

        const deskPhone = (password?: string) => {
            const desk = lab.phone("desk");
            return Baresip.start({
                user: desk.name,
                password: password ?? desk.secret!,
                address: desk.address,
                server: `${roles.asterisk}:${lab.office.server.tlsPort}`,
                tls: { caFile: serverCertificate(chrootPath(build)).certificate },
            });
        };

        it("registers over TLS on the server's TLS port with the printed user and password; its contact is a TLS one", async () => {
            phone = await deskPhone();
            assert.equal(await phone.registration(), "200 OK");
            assert.match((await lab.registeredContact("desk")) ?? "", /^sips?:desk@127\.0\.0\.3:\d+;transport=tls\b/i);
        });

        it("with a wrong password it is refused over TLS too, and Asterisk keeps no contact for it", async () => {
            phone = await deskPhone("not-the-password");
            assert.match(await phone.registration(), /^(401|403) /);
            assert.equal(await lab.registeredContact("desk"), undefined);
        });

        it("a call from the provider rings it over TLS; answered, audio flows both ways in SRTP: on the wire the phone's leg does not decode as its tone, which reaches the provider in the clear", async () => {
            phone = await deskPhone();
            assert.equal(await phone.registration(), "200 OK");
            const desk = lab.phone("desk").address;
            const capture = await captureUdp([desk, roles.itsp]);
            let datagrams: Datagram[];
            try {
                const did = lab.office.numbers[0].e164;
                const incoming = callInBackground(lab.trunkOf(did), didAsSent(lab.office, did), "flow-uac-call.xml", {
                    from: "12125550147",
                });
                await phone.waitForOutput(
                    "the phone to answer",
                    /answering call on line \d+ from sip:12125550147@/,
                    10_000,
                );
                await audioFlowsBothWays(lab);
                assertCompleted(await incoming.done, "the provider's caller, who hangs up");
            } finally {
                datagrams = await capture.stop();
            }
            await noCallsUp(lab);

            const fromPhone = rtpFrom(datagrams, desk, roles.asterisk);
            const toPhone = rtpFrom(datagrams, roles.asterisk, desk);
            const toProvider = rtpFrom(datagrams, roles.asterisk, roles.itsp);
            for (const [leg, packets] of Object.entries({ fromPhone, toPhone, toProvider }))
                assert.ok(packets.length >= 50, `${leg}: ${packets.length} RTP packets captured`);
            assert.ok(toneIn(heardAs(toProvider), phoneToneHz), "the phone's tone reaches the provider, in the clear");
            assert.equal(
                toneIn(heardAs(fromPhone), phoneToneHz),
                undefined,
                "the phone's leg is not its tone in the clear",
            );
            for (const [leg, packets] of Object.entries({ fromPhone, toPhone }))
                assert.deepEqual(
                    [...new Set(packets.map((p) => p.payload.length))],
                    [160 + srtpTagBytes],
                    `${leg}: 20 ms of G.711 and SRTP's authentication tag in every packet`,
                );
            const heard = await waitFor("baresip's recording of the call", 5_000, () =>
                phone!.heard().length ? phone!.heard() : undefined,
            );
            assert.ok(peakAmplitude(heard[0]) > 1_000, "the phone decrypted the caller's voice: not silence");
        });
    });
}
