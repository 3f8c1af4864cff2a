import { strict as assert } from "assert";
import {
    dialTargets,
    extensionSteps,
    gosubCall,
    parseDialplan,
    pjsipObject,
    reachableContexts,
} from "../support/asteriskConf";
import { officeSummary } from "../../components";
import { exampleOffice, exampleStacks, renderOffice } from "../../lab/stacks";

describe("rendered configuration", () => {
    it("there are the three example stacks of the seeds", () => {
        assert.deepEqual(exampleStacks().sort(), ["freelancer", "montevideo", "quebec"]);
    });

    for (const stack of exampleStacks()) {
        describe(`the ${stack} example`, () => {
            const rendered = renderOffice(exampleOffice(stack));
            const dialplan = parseDialplan(rendered.text("extensions.conf"));

            it("calls from trunks can never reach a trunk", () => {
                const reachable = reachableContexts(dialplan, "from-trunks");
                assert.ok(!reachable.has("outbound"), [...reachable].join(", "));
                const dialed = dialTargets(dialplan, reachable);
                assert.ok(dialed.length > 0);
                for (const target of dialed)
                    assert.match(target, /^PJSIP\/[\w-]+(&PJSIP\/[\w-]+)*$/, `from-trunks dials ${target}`);
                const phones = new Set(rendered.office.phones.map((p) => p.name));
                for (const target of dialed)
                    for (const part of target.split("&"))
                        assert.ok(phones.has(part.slice(6)), `${part} is not a phone`);
            });

            it("every trunk and the landline enter a context that only rings the office", () => {
                const pjsip = rendered.text("pjsip.conf");
                for (const trunk of rendered.office.trunks) {
                    assert.deepEqual(pjsipObject(pjsip, trunk.name, "endpoint")?.context, ["from-trunks"], trunk.name);
                }
                const landline = rendered.office.spa3102?.landline;
                if (landline) {
                    assert.deepEqual(pjsipObject(pjsip, landline.name, "endpoint")?.context, ["from-landline"]);
                    const reachable = reachableContexts(dialplan, "from-landline");
                    assert.ok(!reachable.has("outbound"));
                }
            });

            it("trunks send the line's number on each call but no connected-line updates (under load they became a re-INVITE per call)", () => {
                const pjsip = rendered.text("pjsip.conf");
                for (const trunk of rendered.office.trunks) {
                    const endpoint = pjsipObject(pjsip, trunk.name, "endpoint");
                    assert.deepEqual(
                        [endpoint?.send_pai, endpoint?.send_connected_line],
                        [["yes"], ["no"]],
                        trunk.name,
                    );
                }
            });

            it("each phone enters from-phones (over TLS only, for a TLS phone) with its own line number and mailbox", () => {
                const pjsip = rendered.text("pjsip.conf");
                for (const phone of rendered.office.phones) {
                    const endpoint = pjsipObject(pjsip, phone.name, "endpoint")!;
                    // The template's own context, then the one a TLS phone's template sets over it.
                    assert.deepEqual(
                        endpoint.context,
                        phone.transport === "tls" ? ["from-phones", "from-tls-phones"] : ["from-phones"],
                    );
                    assert.ok(endpoint.set_var.includes(`LINE_NUMBER=${phone.callerId.slice(1)}`));
                    assert.deepEqual(endpoint.direct_media, ["no"]);
                    assert.deepEqual(endpoint.rtp_symmetric, ["yes"]);
                    assert.deepEqual(endpoint.force_rport, ["yes"]);
                    assert.deepEqual(endpoint.rewrite_contact, ["yes"]);
                    assert.deepEqual(pjsipObject(pjsip, `${phone.name}-auth`, "auth")?.username, [phone.name]);
                }
            });

            it("each number rings its phones for its ring time, then its mailbox, through the one ring-then-voicemail subroutine", () => {
                for (const number of rendered.office.numbers) {
                    const digits = number.e164.slice(1);
                    const [jump] = extensionSteps(dialplan, "from-trunks", digits);
                    assert.equal(jump.args, `number-${digits},s,1`);
                    const [ring] = extensionSteps(dialplan, `number-${digits}`, "s");
                    assert.deepEqual(gosubCall(ring), {
                        context: "ring-then-voicemail",
                        args: [
                            number.rings.map((p) => `PJSIP/${p}`).join("&"),
                            String(number.ringSeconds),
                            digits,
                            "vm-nobodyavail",
                        ],
                    });
                }
                const subroutine = extensionSteps(dialplan, "ring-then-voicemail", "s");
                assert.deepEqual(
                    subroutine
                        .filter((s) => ["Dial", "Playback", "VoiceMail"].includes(s.app))
                        .map((s) => `${s.app}(${s.args})`),
                    [
                        "Dial(${ARG1},${ARG2})",
                        "Playback(${ARG4})",
                        "VoiceMail(${ARG3}@default,s)",
                        'VoiceMail(${ARG3}@default,${IF($["${kind}" = "busy"]?b:u)}s)',
                    ],
                );
            });

            it("ring-then-voicemail is the only place that dials a phone or leaves a message", () => {
                for (const [context, steps] of dialplan) {
                    if (context === "ring-then-voicemail") continue;
                    assert.deepEqual(
                        steps.filter((s) => s.app === "VoiceMail" || (s.app === "Dial" && !s.args.includes("@"))),
                        [],
                        context,
                    );
                }
            });

            it("dialing 1 opens the caller's own mailbox without a PIN", () => {
                const steps = extensionSteps(dialplan, "from-phones", "1");
                assert.ok(steps.some((s) => s.app === "VoiceMailMain" && s.args === "${LINE_MAILBOX},s"));
            });

            it("no secret appears in a file that is not marked secret", () => {
                const values = Object.values(rendered.secrets);
                assert.ok(values.length > 0);
                for (const file of rendered.files.filter((f) => !f.secret)) {
                    for (const value of values) assert.ok(!file.text.includes(value), `${file.name} contains a secret`);
                }
                const secretText = rendered.files
                    .filter((f) => f.secret)
                    .map((f) => f.text)
                    .join("\n");
                for (const value of values)
                    assert.ok(secretText.includes(value), "a secret is missing from the secret files");
            });

            it("loads only the modules it needs and never the ODBC or IMAP voicemail", () => {
                const modules = rendered.text("modules.conf");
                assert.match(modules, /^autoload=no/m);
                assert.match(modules, /^noload => app_voicemail_odbc\.so$/m);
                assert.match(modules, /^noload => app_voicemail_imap\.so$/m);
                assert.match(modules, /^load => app_voicemail\.so$/m);
                assert.match(modules, /^load => res_security_log\.so$/m);
            });

            it("logs security events to their own file", () => {
                assert.match(rendered.text("logger.conf"), /^security\.log => security/m);
            });

            it("uses the office's country tones and time zone", () => {
                const zone = rendered.office.office.country.toLowerCase();
                assert.match(rendered.text("indications.conf"), new RegExp(`^country=${zone}$`, "m"));
                assert.match(
                    rendered.text("voicemail.conf"),
                    new RegExp(`^office=${rendered.office.office.timezone}\\|`, "m"),
                );
            });
        });
    }

    describe("outbound dialing in a North American office (seed 001)", () => {
        const rendered = renderOffice(exampleOffice("freelancer"));
        const dialplan = parseDialplan(rendered.text("extensions.conf"));

        it("a 10-digit number gets a leading 1", () => {
            assert.deepEqual(extensionSteps(dialplan, "from-phones", "_NXXNXXXXXX")[0], {
                exten: "_NXXNXXXXXX",
                app: "Goto",
                args: "outbound,1${EXTEN},1",
            });
        });

        it("a + is stripped", () => {
            assert.equal(extensionSteps(dialplan, "from-phones", "_+X.")[0].args, "outbound,${EXTEN:1},1");
        });

        it("national numbers go to the default trunk with the line's number as caller ID", () => {
            assert.equal(extensionSteps(dialplan, "outbound", "_1NXXNXXXXXX")[0].args, "routes,${EXTEN},1");
            assert.equal(extensionSteps(dialplan, "routes", "_X.")[0].args, "trunk-flowroute,${EXTEN},1");
            const trunk = extensionSteps(dialplan, "trunk-flowroute", "_X.");
            assert.ok(trunk.some((s) => s.app === "Set" && s.args === "CALLERID(num)=${LINE_NUMBER}"));
            assert.ok(trunk.some((s) => s.app === "Dial" && s.args === "PJSIP/${EXTEN}@flowroute"));
        });

        it("a prefix route cannot reach a refused range: classification comes first", () => {
            const reachable = reachableContexts(dialplan, "routes");
            assert.ok(!reachable.has("outbound"));
            for (const exten of ["_1900NXXXXXX", "_1NXX976XXXX"]) {
                assert.ok(
                    extensionSteps(dialplan, "outbound", exten).some((s) => s.args === "refused,${EXTEN},1"),
                    exten,
                );
            }
        });

        it("premium, Caribbean and international numbers are refused", () => {
            for (const exten of ["_1900NXXXXXX", "_1976NXXXXXX", "_1876NXXXXXX", "_X."]) {
                const steps = extensionSteps(dialplan, "outbound", exten);
                assert.ok(
                    steps.some((s) => s.app === "Goto" && s.args === "refused,${EXTEN},1"),
                    exten,
                );
            }
        });

        it("911 goes out through the emergency trunk with the line's number; unreachable, an announcement", () => {
            assert.deepEqual(
                extensionSteps(dialplan, "from-phones", "911").map((s) => `${s.app}(${s.args})`),
                ["Goto(emergency,${EXTEN},1)"],
            );
            const steps = extensionSteps(dialplan, "emergency", "_X.").map((s) => `${s.app}(${s.args})`);
            assert.deepEqual(
                steps.filter((s) => /^(Set|Dial|Playback|Hangup)/.test(s)),
                [
                    "Set(CALLERID(num)=${LINE_NUMBER})",
                    "Dial(PJSIP/${EXTEN}@flowroute)",
                    "Playback(all-circuits-busy-now&please-try-again,noanswer)",
                    "Hangup(NORMAL_CIRCUIT_CONGESTION)",
                    "Hangup()",
                ],
            );
            assert.match(
                officeSummary(rendered.office, rendered.files),
                /emergency via flowroute; an announcement when it is unreachable/,
            );
        });

        it("dialing your own number opens your mailbox; another office number rings here", () => {
            const steps = extensionSteps(dialplan, "outbound", "13235550100");
            assert.equal(steps[0].args, '$["${EXTEN}" = "${LINE_NUMBER}"]?from-phones,1,1');
            assert.equal(steps[1].args, "number-13235550100,s,1");
        });

        it("the Flowroute trunk authenticates with the tech prefix and is identified by Flowroute's addresses", () => {
            const pjsip = rendered.text("pjsip.conf");
            assert.deepEqual(pjsipObject(pjsip, "flowroute-auth", "auth")?.username, ["12345678"]);
            assert.ok((pjsipObject(pjsip, "flowroute-identify", "identify")?.match ?? []).length > 0);
            assert.deepEqual(pjsipObject(pjsip, "flowroute", "aor")?.contact, ["sip:us-west-or.sip.flowroute.com"]);
        });

        it("voicemail is emailed with the recording attached through msmtp", () => {
            const voicemail = rendered.text("voicemail.conf");
            assert.match(voicemail, /^attach=yes/m);
            assert.match(voicemail, /^mailcmd=\/usr\/bin\/msmtp -t/m);
            assert.match(
                rendered.text("voicemail.mailboxes.conf"),
                /^13235550100 => \d{6},Freelancer \+13235550100,me@freelancer\.example,,attach=yes\|tz=office$/m,
            );
            assert.match(rendered.text("msmtprc"), /^port 2525$/m);
        });
    });

    describe("two ITSPs and a prefix route (seeds 003 and 004)", () => {
        const rendered = renderOffice(exampleOffice("quebec"));
        const dialplan = parseDialplan(rendered.text("extensions.conf"));
        const pjsip = rendered.text("pjsip.conf");

        it("numbers in area code 418 go out through the registration ITSP, others through the peers ITSP", () => {
            assert.equal(extensionSteps(dialplan, "routes", "_1418X.")[0].args, "trunk-provider,${EXTEN},1");
            assert.equal(extensionSteps(dialplan, "routes", "_X.")[0].args, "trunk-theitsp,${EXTEN},1");
        });

        it("the registration ITSP is registered to with its user and the DID as contact", () => {
            const registration = pjsipObject(pjsip, "provider-registration", "registration")!;
            assert.deepEqual(registration.server_uri, ["sip:voip.provider.example"]);
            assert.deepEqual(registration.client_uri, ["sip:provider_username@voip.provider.example"]);
            assert.deepEqual(registration.contact_user, ["4185550142"]);
            assert.deepEqual(registration.outbound_auth, ["provider-auth"]);
        });

        it("the peers ITSP is matched by address and sends its fromuser", () => {
            assert.deepEqual(pjsipObject(pjsip, "theitsp-identify", "identify")?.match, ["203.0.113.10"]);
            assert.deepEqual(pjsipObject(pjsip, "theitsp", "endpoint")?.from_user, ["5145550199"]);
            assert.deepEqual(pjsipObject(pjsip, "theitsp", "aor")?.contact, ["sip:out.theitsp.example"]);
        });

        it("a DID sent as 10 digits (seed 003) rings the same phone", () => {
            assert.equal(extensionSteps(dialplan, "from-trunks", "4185550142")[0].args, "number-14185550142,s,1");
        });
    });

    describe("a Montevideo office with an SPA3102 (seed 000)", () => {
        const rendered = renderOffice(exampleOffice("montevideo"));
        const dialplan = parseDialplan(rendered.text("extensions.conf"));

        it("landline calls ring the chosen phone, then its voicemail", () => {
            const [ring] = extensionSteps(dialplan, "from-landline", "s");
            assert.deepEqual(gosubCall(ring), {
                context: "ring-then-voicemail",
                args: ["PJSIP/casa", "20", "59829001234", "vm-nobodyavail"],
            });
        });

        it("9 + number goes out through the landline; 911 too, and through Twilio when the landline cannot be reached", () => {
            assert.equal(extensionSteps(dialplan, "from-phones", "_9X.")[0].args, "PJSIP/${EXTEN:1}@landline");
            const dials = extensionSteps(dialplan, "emergency", "_X.")
                .filter((s) => s.app === "Dial")
                .map((s) => s.args);
            assert.deepEqual(dials, ["PJSIP/${EXTEN}@landline", "PJSIP/${EXTEN}@twilio"]);
        });

        it("the summary says where emergency calls go when the landline is down", () => {
            assert.match(
                officeSummary(rendered.office, rendered.files),
                /emergency via landline, or twilio when landline is unreachable/,
            );
        });

        it("Uruguayan numbers become E.164 and go out through Twilio with a +", () => {
            assert.equal(extensionSteps(dialplan, "from-phones", "_[24]XXXXXXX")[0].args, "outbound,598${EXTEN},1");
            assert.equal(extensionSteps(dialplan, "from-phones", "_09XXXXXXX")[0].args, "outbound,598${EXTEN:1},1");
            assert.ok(
                extensionSteps(dialplan, "trunk-twilio", "_X.").some(
                    (s) => s.app === "Dial" && s.args === "PJSIP/+${EXTEN}@twilio",
                ),
            );
        });

        it("Twilio calls are identified by the chosen edge's signalling addresses", () => {
            const matches = pjsipObject(rendered.text("pjsip.conf"), "twilio-identify", "identify")?.match ?? [];
            assert.ok(matches.length > 0);
            for (const m of matches) assert.match(m, /^\d+\.\d+\.\d+\.\d+\/\d+$/);
        });
    });

    describe("phones over TLS with SRTP, the default", () => {
        const rendered = renderOffice(exampleOffice("montevideo"));
        const pjsip = rendered.text("pjsip.conf");

        it("a TLS transport on the server's TLS port reads the certificate deskphone-certificate installs", () => {
            const tls = pjsipObject(rendered.text("pjsip.transport.conf"), "transport-tls", "transport")!;
            assert.deepEqual(tls.protocol, ["tls"]);
            assert.deepEqual(tls.bind, ["0.0.0.0:5061"]);
            assert.deepEqual(tls.cert_file, ["/etc/deskphone/tls/deskphone.crt"]);
            assert.deepEqual(tls.priv_key_file, ["/etc/deskphone/tls/deskphone.key"]);
        });

        it("a TLS phone is called over TLS with SRTP required; the SPA3102's line stays on UDP", () => {
            assert.match(
                pjsip,
                /^\[secure-phone\]\(!,phone\)\n(?:.*\n)*?transport=transport-tls\b.*\nmedia_encryption=sdes\b/m,
            );
            assert.match(pjsip, /^\[laptop\]\(secure-phone\)$/m);
            assert.match(pjsip, /^\[casa\]\(phone\)$/m);
            const summary = officeSummary(rendered.office, rendered.files);
            assert.match(summary, /^ {2}201 {2}laptop +softphone +TLS 5061, SRTP +caller ID/m);
            assert.match(summary, /^ {2}200 {2}casa +spa3102-line +UDP 5060 +caller ID/m);
        });

        it("a TLS phone's calls go on to from-phones only when they came over TLS; otherwise they are declined", () => {
            const dialplan = parseDialplan(rendered.text("extensions.conf"));
            const [check, log, hangup] = extensionSteps(dialplan, "from-tls-phones", "_[0-9*#+]!");
            assert.equal(check.args, "$[${CHANNEL(pjsip,secure)}]?from-phones,${EXTEN},1");
            assert.match(log.args, /over plain SIP/);
            assert.equal(hangup.args, "50");
        });

        it("an office whose phones all use UDP has no TLS transport and no secure-phone template", () => {
            const office = exampleOffice("freelancer");
            for (const phone of office.phones) phone.transport = "udp";
            const udp = renderOffice(office);
            assert.equal(pjsipObject(udp.text("pjsip.transport.conf"), "transport-tls", "transport"), undefined);
            assert.doesNotMatch(udp.text("pjsip.conf"), /secure-phone|media_encryption/);
            assert.doesNotMatch(udp.text("extensions.conf"), /from-tls-phones/);
            assert.doesNotMatch(udp.text("deskphone.nft"), /5061|tls_sources/);
        });

        it("the host firewall opens the TLS port to the phones' networks only", () => {
            const office = exampleOffice("freelancer");
            office.server.phoneNetworks = ["198.51.100.0/24"];
            const nft = renderOffice(office).text("deskphone.nft");
            assert.match(nft, /set tls_sources \{[^}]*elements = \{ 198\.51\.100\.0\/24 \}/);
            assert.match(nft, /^\s*tcp dport 5061 ip saddr != @tls_sources drop$/m);
        });
    });

    describe("a Twilio trunk with Secure Trunking (a fixture: the montevideo office, its phones all on UDP)", () => {
        const secureOffice = () => {
            const office = exampleOffice("montevideo");
            for (const phone of office.phones) phone.transport = "udp";
            office.server.domain = "pbx.casa-montevideo.example";
            const twilio = office.trunks.find((t) => t.kind === "twilio")!;
            if (twilio.kind === "twilio") twilio.secureTrunking = true;
            return office;
        };
        const rendered = renderOffice(secureOffice());
        const pjsip = rendered.text("pjsip.conf");

        it("the trunk's calls go out over TLS to the termination host's port 5061, with SRTP required", () => {
            const endpoint = pjsipObject(pjsip, "twilio", "endpoint")!;
            assert.deepEqual(endpoint.transport, ["transport-tls"]);
            assert.deepEqual(endpoint.media_encryption, ["sdes"]);
            assert.deepEqual(endpoint.identify_by, ["ip"], "Twilio is still known by its addresses");
            assert.deepEqual(pjsipObject(pjsip, "twilio", "aor")!.contact, [
                "sip:casa-montevideo.pstn.twilio.com:5061\\;transport=tls",
            ]);
            assert.doesNotMatch(pjsip, /secure-phone/, "no phone uses TLS");
        });

        it("the TLS transport exists without a TLS phone, and checks the provider's certificate against the system's CAs", () => {
            const tls = pjsipObject(rendered.text("pjsip.transport.conf"), "transport-tls", "transport")!;
            assert.deepEqual(tls.bind, ["0.0.0.0:5061"]);
            assert.deepEqual(
                [tls.verify_server, tls.ca_list_file, tls.allow_wildcard_certs],
                [["yes"], ["/etc/ssl/certs/ca-certificates.crt"], ["yes"]],
            );
        });

        it("an office without a secure trunk keeps its TLS transport for phones only, with no client checks", () => {
            const tls = pjsipObject(
                renderOffice(exampleOffice("montevideo")).text("pjsip.transport.conf"),
                "transport-tls",
                "transport",
            )!;
            assert.equal(tls.verify_server, undefined);
            assert.equal(tls.ca_list_file, undefined);
        });

        it("the TLS port admits the trunk's edge signalling addresses, and the phones' networks only with a TLS phone", () => {
            const nft = rendered.text("deskphone.nft");
            assert.match(nft, /set tls_sources \{[^}]*elements = \{ 177\.71\.206\.192\/30 \}/);
            assert.match(nft, /^\s*tcp dport 5061 ip saddr != @tls_sources drop$/m);
            const withPhone = secureOffice();
            withPhone.phones.find((p) => p.name === "laptop")!.transport = "tls";
            withPhone.server.phoneNetworks = ["198.51.100.0/24"];
            assert.match(
                renderOffice(withPhone).text("deskphone.nft"),
                /set tls_sources \{[^}]*elements = \{ 177\.71\.206\.192\/30, 198\.51\.100\.0\/24 \}/,
            );
            assert.match(
                renderOffice(withPhone).text("deskphone.nft"),
                /set sip_sources \{[^}]*elements = \{ 198\.51\.100\.0\/24 \}/,
                "plain SIP is the adapter's line's alone: the secure trunk calls in over TLS",
            );
        });

        it("the summary says the trunk is TLS + SRTP", () => {
            const summary = officeSummary(rendered.office, rendered.files);
            assert.match(summary, /^ {2}twilio: twilio, TLS \+ SRTP$/m);
            assert.match(officeSummary(exampleOffice("quebec"), []), /^ {2}\S+: registration$/m);
        });

        it("the summary names the server's certificate and says whose its A record is: deskphone's with dnsZone, else yours", () => {
            const office = exampleOffice("freelancer");
            const summary = () => officeSummary(office, renderOffice(office).files);
            assert.doesNotMatch(summary(), /^Server$/m, "no name, nothing to say");
            office.server.domain = "pbx.freelancer.example";
            assert.match(
                summary(),
                /^Server\n {2}pbx\.freelancer\.example: a Let's Encrypt certificate; its A record is yours to point at the server$/m,
            );
            office.server.dnsZone = "freelancer.example";
            assert.match(
                summary(),
                /^ {2}pbx\.freelancer\.example: a Let's Encrypt certificate; its A record is deskphone's, in the DigitalOcean domain freelancer\.example, at the reserved IP$/m,
            );
        });
    });
});
