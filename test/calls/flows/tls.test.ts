import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { strict as assert } from "assert";
import { roles } from "../../../lab/loopback";
import { asteriskBuilds } from "../../../lab/asteriskBuilds";
import { Baresip } from "../../../lab/baresip";
import { Linphone } from "../../../lab/linphone";
import { chrootPath } from "../../../lab/asterisk";
import { selfSignedCertificate, serverCertificate } from "../../../lab/serverCertificate";
import { captureUdp, Datagram, rtpPayload } from "../../../lab/udpCapture";
import { g711Wav } from "../../../lab/g711";
import { answer, call, callInBackground, watchTrunks } from "./calls";
import { finalResponses, header, received, uriUser } from "./sipTrace";
import {
    assertCompleted,
    audioFlowsBothWays,
    callerIdAsSent,
    didAsSent,
    itspAnswering,
    noCallsUp,
    peakAmplitude,
    toneIn,
} from "./officeFlows";
import { CallLab, reportFailures, Role, waitFor } from "../../../lab/callLab";
import { configProblemsFilter } from "../../../components/asteriskConfig";

/** The tone baresip sends as its voice (ausine). */
const phoneToneHz = 440;
/** The authentication tag SDES-SRTP adds to every packet (AES_CM_128_HMAC_SHA1_80: 80 bits). */
const srtpTagBytes = 10;
/** G.711 is a byte a sample at 8 kHz. */
const g711BytesPer10ms = 80;

/** The G.711 payloads of the RTP datagrams that match, with their payload type. */
function rtpOf(datagrams: Datagram[], matches: (d: Datagram) => boolean) {
    return datagrams
        .filter(matches)
        .map((d) => rtpPayload(d.payload))
        .filter((p) => p !== undefined && (p.payloadType === 0 || p.payloadType === 8))
        .map((p) => p!);
}

/**
 * The phone's leg, by Asterisk's RTP port for it: the port Asterisk first sends to the phone's address from.
 * The phone may send from another loopback address than the one its SDP names (baresip's TLS connection and
 * its media leave from 127.0.0.1); rtp_symmetric answers it there.
 */
function phoneLeg(datagrams: Datagram[], phone: string) {
    const port = datagrams.find((d) => d.src === roles.asterisk && d.dst === phone && rtpPayload(d.payload))?.sport;
    return {
        fromPhone: rtpOf(datagrams, (d) => d.dst === roles.asterisk && d.dport === port),
        toPhone: rtpOf(datagrams, (d) => d.src === roles.asterisk && d.sport === port),
    };
}

/** A certificate of no one Asterisk knows, for a phone to trust instead of the server's. */
function strangerCertificate(): string {
    const dir = mkdtempSync(join(tmpdir(), "deskphone-stranger-ca-"));
    selfSignedCertificate(join(dir, "ca.pem"), join(dir, "key.pem"), { subject: "/CN=someone-else", days: 2 });
    return join(dir, "ca.pem");
}

/** The datagrams' flows, for a failure message: "127.0.0.3:7078 > 127.0.0.1:10002 (412)". */
function flows(datagrams: Datagram[]): string {
    const counts = new Map<string, number>();
    for (const d of datagrams) {
        const flow = `${d.src}:${d.sport} > ${d.dst}:${d.dport}`;
        counts.set(flow, (counts.get(flow) ?? 0) + 1);
    }
    return [...counts].map(([flow, n]) => `${flow} (${n})`).join(", ");
}

/** What a stream sounds like decoded as the G.711 its packets say they carry. */
function heardAs(packets: { payloadType: number; payload: Buffer }[]): Buffer {
    return g711Wav(
        packets.map((p) => p.payload),
        packets[0].payloadType as 0 | 8,
    );
}

/** A softphone over TLS as the tests drive it, whichever client it is. */
interface TlsPhone {
    /** The registrar's final answer to its REGISTER ("200 OK"). */
    registration(): Promise<string>;
    /** Resolves once it has answered a call from this caller (it answers by itself). */
    answered(caller: string): Promise<void>;
    /** What it heard on its last call, once it has written the recording. */
    heard(): Promise<Buffer>;
    /** Dials a number as typed on its keypad and resolves once the call is answered. */
    dial(number: string): Promise<void>;
    hangUp(): Promise<void>;
    log(): string;
    stop(): Promise<void>;
}

const clients: {
    client: string;
    /** Whether it refuses a server whose certificate its CA did not sign: linphonec does; baresip 1.0.0 never checks. */
    verifiesServer: boolean;
    start(desk: Role, password: string, server: string, caFile: string): Promise<TlsPhone>;
}[] = [
    {
        client: "baresip",
        verifiesServer: false,
        async start(desk, password, server, caFile) {
            const phone = await Baresip.start({
                user: desk.name,
                password,
                address: desk.address,
                server,
                tls: { caFile },
            });
            return {
                registration: () => phone.registration(),
                answered: async (caller) =>
                    void (await phone.waitForOutput(
                        "the phone to answer",
                        new RegExp(`answering call on line \\d+ from sip:${caller}@`),
                        10_000,
                    )),
                heard: async () =>
                    (
                        await waitFor("baresip's recording of the call", 5_000, () =>
                            phone.heard().length ? phone.heard() : undefined,
                        )
                    )[0],
                dial: async (number) => {
                    await phone.command("dial", number);
                    await phone.waitForOutput("the call to be answered", /Call established/i, 10_000);
                },
                hangUp: () => phone.command("hangup"),
                log: () => phone.log(),
                stop: () => phone.stop(),
            };
        },
    },
    {
        client: "linphonec",
        verifiesServer: true,
        async start(desk, password, server, caFile) {
            const [address, port] = server.split(":");
            const phone = await Linphone.start({
                user: desk.name,
                password,
                address: desk.address,
                server: { address, port: Number(port) },
                tls: { caFile },
            });
            return {
                registration: () => phone.registration(),
                answered: async (caller) =>
                    void (await phone.waitForOutput(
                        "the phone to answer",
                        new RegExp(`Call \\d+ with sip:${caller}@\\S+ connected`),
                        10_000,
                    )),
                heard: async () => {
                    await phone.waitForOutput("the call to end", /Call \d+ with \S+ ended/, 10_000);
                    return waitFor("linphonec's recording of the call", 5_000, () => phone.heard());
                },
                dial: async (number) => {
                    phone.type(`call ${number}`);
                    await phone.waitForOutput("the call to be answered", /Call \d+ with \S+ connected/, 10_000);
                },
                hangUp: async () => phone.type("terminate"),
                log: () => `${phone.log()}\n---- its SIP log ----\n${phone.sipLog().slice(-20_000)}`,
                stop: () => phone.stop(),
            };
        },
    },
];

// The office's default for phones, with real softphones: SIP over TLS to the server's certificate, and SRTP
// audio. The freelancer's desk phone is baresip or linphonec on its own loopback address; the provider is SIPp,
// in the clear, as a provider's trunk is.
for (const build of asteriskBuilds) {
    describe(`a phone over TLS with SRTP through a real Asterisk ${build.version}`, function () {
        this.timeout(60_000);
        let lab: CallLab;
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
        after(async () => {
            await lab?.stop();
        });
        reportFailures(() => lab);

        it("the TLS phone's user and password over plain SIP call nothing: an SRTP offer is declined (603), a plain one refused (488), and no INVITE reaches a trunk", async () => {
            const desk = lab.phone("desk");
            const trunks = await watchTrunks(lab);
            const sdes = await call(desk, "2125550147", "flow-uac-call-sdes.xml", { holdMs: 1_000 });
            const plain = await call(desk, "2125550147", "flow-uac-call.xml", { holdMs: 1_000 });
            assert.equal(
                finalResponses(sdes.messages).pop(),
                603,
                "SRTP offered over plain SIP: the dialplan declines it",
            );
            assert.equal(
                finalResponses(plain.messages).pop(),
                488,
                "plain RTP: media_encryption=sdes refuses the offer",
            );
            assert.deepEqual(await trunks.invites(), []);
        });

        it("a TLS peer that connects and hangs up leaves no line the apply step takes for a refused configuration (20.6.0 logs an ERROR and a WARNING for each)", async () => {
            const server = `${roles.asterisk}:${lab.office.server.tlsPort}`;
            for (let i = 0; i < 3; i++) {
                const probe = spawnSync("openssl", ["s_client", "-connect", server, "-brief"], {
                    input: "",
                    encoding: "utf8",
                    timeout: 10_000,
                });
                assert.match(probe.stderr, /CONNECTION ESTABLISHED/, probe.stderr);
            }
            // pjproject before 2.16 logs these for each connection (pjsip/pjproject#4291); 22's 2.17 logs nothing.
            const logged = build.version.startsWith("20.")
                ? await waitFor("Asterisk 20.6.0's lines about the connections", 5_000, () => {
                      const log = lab.testLog();
                      return /Error reading CA certificates from buffer[^]*SSL_ERROR_ZERO_RETURN\] \(Read\)/.test(log)
                          ? log
                          : undefined;
                  })
                : await new Promise<string>((r) => setTimeout(() => r(lab.testLog()), 1_000));
            const refused = spawnSync("sh", ["-c", configProblemsFilter], { input: logged, encoding: "utf8" });
            assert.equal(refused.stdout, "", `the apply step's filter kept these of:\n${logged}`);
        });

        for (const { client, start, verifiesServer } of clients)
            describe(client, () => {
                let phone: TlsPhone | undefined;
                afterEach(async function () {
                    if (this.currentTest?.state === "failed" && phone)
                        console.error(`---- ${client} printed ----\n${phone.log()}`);
                    await phone?.stop();
                    phone = undefined;
                    await waitFor(`${client} to unregister as it quits`, 5_000, async () =>
                        (await lab.registeredContact("desk")) === undefined ? true : undefined,
                    );
                });

                const deskPhone = async (password?: string) => {
                    const desk = lab.phone("desk");
                    const server = `${roles.asterisk}:${lab.office.server.tlsPort}`;
                    phone = await start(
                        desk,
                        password ?? desk.secret!,
                        server,
                        serverCertificate(chrootPath(build)).certificate,
                    );
                    return phone;
                };

                it("registers over TLS on the server's TLS port with the printed user and password; its contact is a TLS one", async () => {
                    const desk = await deskPhone();
                    assert.equal(await desk.registration(), "200 OK");
                    // pjsip show contacts cuts a long contact short; the AOR shows it whole.
                    const aor = await lab.asterisk.cli("pjsip show aor desk");
                    assert.match(aor, /^\s*contact\s*:\s*sips?:desk\S*@127\.0\.0\.\d+:\d+;transport=tls\b/im, aor);
                });

                if (verifiesServer)
                    it("a phone that does not trust the server's certificate does not register, and its log says why", async () => {
                        const desk = lab.phone("desk");
                        const server = `${roles.asterisk}:${lab.office.server.tlsPort}`;
                        phone = await start(desk, desk.secret!, server, strangerCertificate());
                        assert.equal(await phone.registration(), "no answer");
                        assert.equal(await lab.registeredContact("desk"), undefined);
                        assert.match(phone.log(), /SSL handshake failed : X509 - Certificate verification failed/);
                    });
                else
                    it(`${client} does not check the server's certificate: it registers even trusting another CA (the README says so)`, async () => {
                        const desk = lab.phone("desk");
                        const server = `${roles.asterisk}:${lab.office.server.tlsPort}`;
                        phone = await start(desk, desk.secret!, server, strangerCertificate());
                        assert.equal(await phone.registration(), "200 OK");
                    });

                it("dialing 2125550147 over TLS, the call reaches flowroute as 12125550147 with the line's number, and hanging up ends it", async () => {
                    const desk = await deskPhone();
                    assert.equal(await desk.registration(), "200 OK");
                    const trunk = lab.trunk("flowroute");
                    const itsp = await answer(lab, trunk, trunk.name, itspAnswering(trunk));
                    await desk.dial("2125550147");
                    await desk.hangUp();
                    const run = await itsp.done;
                    assertCompleted(run, "flowroute, which the phone's hangup reached as a BYE");
                    const invite = received(run.messages, "INVITE").pop()!;
                    assert.equal(uriUser(invite.uri ?? ""), "12125550147");
                    assert.equal(
                        uriUser(header(invite, "P-Asserted-Identity")),
                        callerIdAsSent(lab.office, trunk.name, "desk"),
                    );
                    await noCallsUp(lab);
                });

                it("with a wrong password it is refused over TLS too, and Asterisk keeps no contact for it", async () => {
                    const desk = await deskPhone("not-the-password");
                    assert.match(await desk.registration(), /^(401|403) /);
                    assert.equal(await lab.registeredContact("desk"), undefined);
                });

                it("a call from the provider rings it over TLS; answered, audio flows both ways in SRTP: on the wire the phone's leg does not decode as its tone, which reaches the provider in the clear", async () => {
                    const desk = await deskPhone();
                    assert.equal(await desk.registration(), "200 OK");
                    const address = lab.phone("desk").address;
                    const capture = await captureUdp([roles.asterisk, address, roles.itsp]);
                    let datagrams: Datagram[];
                    try {
                        const did = lab.office.numbers[0].e164;
                        const incoming = callInBackground(
                            lab.trunkOf(did),
                            didAsSent(lab.office, did),
                            "flow-uac-call.xml",
                            {
                                from: "12125550147",
                            },
                        );
                        await desk.answered("12125550147");
                        await audioFlowsBothWays(lab);
                        assertCompleted(await incoming.done, "the provider's caller, who hangs up");
                    } finally {
                        datagrams = await capture.stop();
                    }
                    await noCallsUp(lab);

                    const { fromPhone, toPhone } = phoneLeg(datagrams, address);
                    const toProvider = rtpOf(datagrams, (d) => d.src === roles.asterisk && d.dst === roles.itsp);
                    for (const [leg, packets] of Object.entries({ fromPhone, toPhone, toProvider }))
                        assert.ok(
                            packets.length >= 50,
                            `${leg}: ${packets.length} RTP packets captured; flows seen: ${flows(datagrams)}`,
                        );
                    assert.ok(
                        toneIn(heardAs(toProvider), phoneToneHz),
                        "the phone's tone reaches the provider, in the clear",
                    );
                    assert.equal(
                        toneIn(heardAs(fromPhone), phoneToneHz),
                        undefined,
                        "the phone's leg is not its tone in the clear",
                    );
                    for (const [leg, packets] of Object.entries({ fromPhone, toPhone }))
                        for (const { payload } of packets)
                            assert.equal(
                                (payload.length - srtpTagBytes) % g711BytesPer10ms,
                                0,
                                `${leg}: whole 10 ms of G.711 and SRTP's ${srtpTagBytes}-byte authentication tag in a ${payload.length}-byte payload`,
                            );
                    assert.ok(
                        peakAmplitude(await desk.heard()) > 1_000,
                        "the phone decrypted the caller's voice: not silence",
                    );
                });
            });
    });
}
