import { strict as assert } from "assert";
import { problems } from "../support/problems";
import { validateOffice } from "../../components";

/** A small valid US office; each test breaks one thing in it. */
function office(): Record<string, any> {
    return {
        office: {
            name: "Test",
            country: "US",
            timezone: "America/New_York",
            voicemailFrom: "vm@test.example",
            emergencyAddress: {
                firstName: "Ada",
                lastName: "Lovelace",
                streetNumber: "1218",
                streetName: "3rd Ave",
                city: "Seattle",
                state: "WA",
                zip: "98101",
                country: "US",
            },
        },
        trunks: [{ name: "flowroute", kind: "flowroute", techPrefix: "12345678", secret: "s3cret-flowroute" }],
        numbers: [{ e164: "+13235550100", mailboxPin: "1234" }],
        phones: [{ name: "desk", extension: "100", callerId: "+13235550100", secret: "a-long-phone-secret" }],
        server: { droplet: { sshPublicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExampleExampleExample me@laptop" } },
    };
}

describe("office config validation", () => {
    it("accepts a complete small office and fills in the defaults", () => {
        const result = validateOffice(office());
        assert.equal(result.numbers[0].ringSeconds, 20);
        assert.deepEqual(result.numbers[0].rings, ["desk"]);
        assert.equal(result.numbers[0].trunk, "flowroute");
        assert.equal(result.routes.defaultTrunk, "flowroute");
        assert.equal(result.routes.emergencyTrunk, "flowroute");
        assert.deepEqual(result.routes.allow, []);
        assert.equal(result.phones[0].kind, "sip-phone");
        assert.deepEqual(result.server.rtpPorts, { start: 10000, end: 20000 });
    });

    it("a number's voicemail greeting defaults to the short stock prompt and may be the stack's own sound", () => {
        assert.equal(validateOffice(office()).numbers[0].greeting, "vm-nobodyavail");
        for (const greeting of ["custom/main-greeting", "/var/lib/asterisk/sounds/custom/main_greeting"]) {
            const raw = office();
            raw.numbers[0].greeting = greeting;
            assert.equal(validateOffice(raw).numbers[0].greeting, greeting);
        }
    });

    it("a greeting is a sound name without extension, never dialplan syntax", () => {
        const raw = office();
        raw.numbers[0].greeting = "custom/main-greeting.wav";
        assert.deepEqual(problems(raw), [
            'deskphone:numbers[0].greeting: "custom/main-greeting.wav" names a file with its extension (leave it out ("custom/main-greeting"): Asterisk picks the format)',
        ]);
        for (const greeting of ["beep,noanswer)", "../../etc/passwd", "tt-monkeys&beep"]) {
            raw.numbers[0].greeting = greeting;
            assert.match(
                problems(raw).join("\n"),
                /^deskphone:numbers\[0\]\.greeting: .* is not a sound name/,
                greeting,
            );
        }
    });

    it("reports every problem at once, each with its config path", () => {
        const raw = office();
        raw.numbers[0].e164 = "+1555";
        raw.phones[0].extension = "x";
        const found = problems(raw);
        assert.ok(found.includes('deskphone:numbers[0].e164: "+1555" is not an E.164 number'), found.join("\n"));
        assert.ok(
            found.some((p) => p.startsWith('deskphone:phones[0].extension: "x" is not an extension of 2 to 6 digits')),
            found.join("\n"),
        );
    });

    it("a North American number must have an area code and exchange starting 2-9", () => {
        const raw = office();
        raw.numbers[0].e164 = "+15551234567";
        assert.deepEqual(
            problems(raw).filter((p) => p.startsWith("deskphone:numbers[0].e164")),
            [
                'deskphone:numbers[0].e164: "+15551234567" is not a North American number (area code and exchange start with 2-9: +1 NXX NXX XXXX)',
            ],
        );
    });

    it("duplicate extensions are refused", () => {
        const raw = office();
        raw.phones.push({ name: "den", extension: "100", callerId: "+13235550100" });
        assert.deepEqual(problems(raw), [
            "deskphone:phones[1].extension: extension 100 is already used by deskphone:phones[0].extension (give each phone its own extension)",
        ]);
    });

    it("an extension may not be an emergency number or 1", () => {
        const raw = office();
        raw.phones[0].extension = "911";
        assert.deepEqual(problems(raw), [
            "deskphone:phones[0].extension: extension 911 is an emergency number (pick another extension)",
        ]);
    });

    it("a number that rings a missing phone is refused", () => {
        const raw = office();
        raw.numbers[0].rings = ["desk", "kitchen"];
        assert.deepEqual(problems(raw), ['deskphone:numbers[0].rings[1]: no phone is named "kitchen" (phones: desk)']);
    });

    it("a route to a missing trunk is refused", () => {
        const raw = office();
        raw.routes = { prefixes: [{ prefix: "1418", trunk: "voipms" }] };
        assert.deepEqual(problems(raw), [
            'deskphone:routes.prefixes[0].trunk: no trunk is named "voipms" (trunks: flowroute)',
        ]);
    });

    it("a default trunk that does not exist is refused", () => {
        const raw = office();
        raw.routes = { defaultTrunk: "twilio" };
        assert.deepEqual(problems(raw), [
            'deskphone:routes.defaultTrunk: no trunk is named "twilio" (trunks: flowroute)',
            'deskphone:routes.emergencyTrunk: no trunk is named "twilio" (trunks: flowroute)',
        ]);
    });

    it("a secret given in plain text is refused, with the command that stores it properly", () => {
        assert.deepEqual(problems(office(), ["deskphone:trunks[0].secret"]), [
            "deskphone:trunks[0].secret: is a secret but is stored in plain text (store it with: pulumi config set --secret --path 'deskphone:trunks[0].secret' -- <value>)",
        ]);
    });

    it("an unknown key is reported as a likely typo", () => {
        const raw = office();
        raw.numbers[0].ringSecond = 30;
        assert.deepEqual(problems(raw), [
            'deskphone:numbers[0].ringSecond: unknown setting "ringSecond" (did you mean "ringSeconds"?)',
        ]);
    });

    it("an unknown top-level key is reported too", () => {
        const raw = office();
        raw.phone = [];
        assert.deepEqual(problems(raw), ['deskphone:phone: unknown setting "phone" (did you mean "phones"?)']);
    });

    it("a bad country is refused with the countries deskphone knows", () => {
        const raw = office();
        raw.office.country = "XX";
        assert.deepEqual(problems(raw), [
            'deskphone:office.country: "XX" is not a country deskphone knows (use one of: US, CA, UY, GB, DE, ES, AR, BR, MX)',
        ]);
    });

    it("a bad time zone is refused", () => {
        const raw = office();
        raw.office.timezone = "Pacific Time";
        assert.deepEqual(problems(raw), [
            'deskphone:office.timezone: "Pacific Time" is not an IANA time zone (e.g. America/Montevideo, Europe/London)',
        ]);
    });

    it("a phone's caller ID must be one of the office's numbers", () => {
        const raw = office();
        raw.phones[0].callerId = "+12125550147";
        const found = problems(raw);
        assert.ok(
            found.includes(
                `deskphone:phones[0].callerId: "+12125550147" is not one of the office's numbers (providers refuse a caller ID the office does not own; use one of the office's numbers (+13235550100), by E.164 or name)`,
            ),
            found.join("\n"),
        );
    });

    it("a phone and a trunk cannot share a name", () => {
        const raw = office();
        raw.phones[0].name = "flowroute";
        raw.numbers[0].rings = ["flowroute"];
        assert.deepEqual(problems(raw), [
            'deskphone:trunks[0].name: name "flowroute" is already used by deskphone:phones[0].name (phone, trunk and landline names must all differ)',
        ]);
    });

    it("a prefix route abroad is refused unless international calls are allowed", () => {
        const raw = office();
        raw.routes = { prefixes: [{ prefix: "44", trunk: "flowroute" }] };
        assert.deepEqual(problems(raw), [
            'deskphone:routes.prefixes[0]: 44X. only matches numbers outside country code +1, which are refused (route E.164 digits of your own country, or add "international" to deskphone:routes.allow)',
        ]);
        raw.routes.allow = ["international"];
        assert.deepEqual(problems(raw), []);
    });

    it("an unknown destination class in routes.allow is refused", () => {
        const raw = office();
        raw.routes = { allow: ["everything"] };
        assert.deepEqual(problems(raw), [
            'deskphone:routes.allow[0]: "everything" is not allowed (use one of: international, premium)',
        ]);
    });

    it("a registrar known by name needs the addresses it calls from, unless plain SIP is open to every address", () => {
        const raw = office();
        raw.trunks.push({
            name: "itsp",
            kind: "registration",
            server: "sip.itsp.example:5080",
            username: "u",
            contactUser: "3235550100",
            secret: "s3cret-itsp",
        });
        raw.numbers[0].trunk = "flowroute";
        const needed = (why: string) =>
            `deskphone:trunks[1].inboundAddresses: is needed: the registrar sip.itsp.example is a name, and the firewalls let plain SIP in only from the trunks' addresses (${why}) (list the addresses sip.itsp.example sends calls from, as the ITSP publishes them, or give the server by address)`;
        assert.deepEqual(problems(raw), [needed("every phone uses TLS")]);
        raw.phones[0].transport = "udp";
        assert.deepEqual(problems(raw), [], "a phone on plain SIP from anywhere lets the ITSP in too");
        raw.server = { ...raw.server, phoneNetworks: ["198.51.100.0/24"] };
        assert.deepEqual(problems(raw), [needed("server.phoneNetworks is narrowed")]);
        raw.trunks[1].inboundAddresses = ["192.0.2.80"];
        assert.deepEqual(problems(raw), []);
    });

    it("a registration trunk needs its password", () => {
        const raw = office();
        raw.trunks.push({
            name: "itsp",
            kind: "registration",
            server: "sip.itsp.example",
            username: "u",
            contactUser: "3235550100",
            inboundAddresses: ["192.0.2.80"],
        });
        raw.numbers[0].trunk = "flowroute";
        assert.deepEqual(problems(raw), [
            "deskphone:trunks[1].secret: is required: the account's SIP password (store it with: pulumi config set --secret --path 'deskphone:trunks[1].secret' -- <value>)",
        ]);
    });

    it("a number needs its trunk named when there are several", () => {
        const raw = office();
        raw.trunks.push({
            name: "theitsp",
            kind: "peers",
            inboundAddresses: ["203.0.113.10"],
            outboundHost: "out.itsp.example",
        });
        assert.deepEqual(problems(raw), [
            "deskphone:numbers[0].trunk: is required when the office has several trunks (one of: flowroute, theitsp)",
        ]);
    });

    it("an unknown trunk kind is refused", () => {
        const raw = office();
        raw.trunks[0].kind = "vonage";
        assert.ok(
            problems(raw).includes(
                'deskphone:trunks[0].kind: "vonage" is not allowed (use one of: twilio, flowroute, registration, peers)',
            ),
        );
    });

    it("peer addresses must be IPv4 addresses or networks", () => {
        const raw = office();
        raw.trunks.push({
            name: "theitsp",
            kind: "peers",
            inboundAddresses: ["203.0.113.300"],
            outboundHost: "out.itsp.example",
        });
        raw.numbers[0].trunk = "flowroute";
        assert.deepEqual(problems(raw), [
            'deskphone:trunks[1].inboundAddresses[0]: "203.0.113.300" is not an IPv4 address or network (e.g. 203.0.113.10 or 203.0.113.0/24)',
        ]);
    });

    it("voicemail email needs a mail relay", () => {
        const raw = office();
        raw.numbers[0].email = "me@test.example";
        assert.deepEqual(problems(raw), [
            "deskphone:numbers[0].email: voicemail email needs a mail relay (add deskphone:mail with host and port)",
        ]);
    });

    it("a voicemail PIN is digits", () => {
        const raw = office();
        raw.numbers[0].mailboxPin = "abcd";
        assert.deepEqual(problems(raw), [
            "deskphone:numbers[0].mailboxPin: is not 4 to 10 digits (a voicemail PIN is typed on a phone keypad)",
        ]);
    });

    it("an SPA3102 line phone must be the adapter's line", () => {
        const raw = office();
        raw.phones[0].kind = "spa3102-line";
        assert.deepEqual(problems(raw), [
            'deskphone:phones[0].kind: phone "desk" is an spa3102-line but deskphone:spa3102.linePhone is not "desk" (add deskphone:spa3102 with linePhone)',
        ]);
    });

    it("the landline dial-out prefix may not clash with national dialing", () => {
        const raw = office();
        raw.phones[0].kind = "spa3102-line";
        raw.spa3102 = { linePhone: "desk", landline: { rings: ["desk"], dialOutPrefix: "9" } };
        assert.deepEqual(problems(raw), [
            'deskphone:spa3102.landline.dialOutPrefix: "9" clashes with dialing national numbers (they can start with 9) (start it with * or #, e.g. *9)',
        ]);
    });

    it("a number renamed in the stack names its former name, which no other number may hold", () => {
        const raw = office();
        raw.numbers[0] = { name: "reception", renamedFrom: "main", buy: { areaCode: "323" }, mailboxPin: "1234" };
        raw.phones[0].callerId = "reception";
        assert.deepEqual(problems(raw), []);
        assert.equal(validateOffice(raw).numbers[0].renamedFrom, "main");
        raw.numbers.push({ name: "main", buy: { areaCode: "213" }, rings: ["desk"], mailboxPin: "4321" });
        assert.deepEqual(problems(raw), [
            'deskphone:numbers[0].renamedFrom: "main" is the name of numbers[1] (remove renamedFrom once the renamed number is up, before giving its old name to another number)',
        ]);
    });

    it("a bad RTP range is refused", () => {
        const raw = office();
        raw.server.rtpPorts = { start: 20000, end: 10000 };
        assert.deepEqual(problems(raw), [
            "deskphone:server.rtpPorts: 20000-10000 is too small a range (end must be at least start + 10)",
        ]);
    });

    it("phones use SIP over TLS by default on port 5061; the SPA3102's line, which has no TLS, uses UDP", () => {
        const raw = office();
        raw.phones.push({ name: "fax", extension: "101", kind: "spa3102-line", callerId: "+13235550100" });
        raw.phones.push({ name: "old", extension: "102", transport: "udp", callerId: "+13235550100" });
        raw.spa3102 = { linePhone: "fax" };
        const result = validateOffice(raw);
        assert.deepEqual(
            result.phones.map((p) => p.transport),
            ["tls", "udp", "udp"],
        );
        assert.equal(result.server.tlsPort, 5061);
        raw.phones[1].transport = "tls";
        raw.phones[2].transport = "wss";
        raw.server.tlsPort = 5060;
        assert.deepEqual(problems(raw), [
            "deskphone:phones[1].transport: is tls, but the SPA3102 has no SIP over TLS (leave transport out: its line registers over UDP)",
            'deskphone:phones[2].transport: "wss" is not allowed (use one of: tls, udp)',
            "deskphone:server.tlsPort: is 5060, sipPort's too (SIP over TLS needs a port of its own: 5061)",
        ]);
    });

    it("a server's DNS name is kept in lower case; an address, a port or a single label is refused", () => {
        const raw = office();
        raw.server.domain = "PBX.Example.com";
        assert.equal(validateOffice(raw).server.domain, "pbx.example.com");
        assert.equal(validateOffice(office()).server.domain, undefined, "no name unless the stack gives one");
        for (const bad of ["203.0.113.7", "pbx.example.com:5061", "pbx", "-pbx.example.com", "pbx..example.com"]) {
            raw.server.domain = bad;
            assert.deepEqual(problems(raw), [
                `deskphone:server.domain: "${bad}" is not a DNS name such as pbx.example.com, with no port`,
            ]);
        }
    });

    describe("the server's record in a DigitalOcean domain (server.dnsZone)", () => {
        const named = (domain: string | undefined, dnsZone: string) => {
            const raw = office();
            if (domain) raw.server.domain = domain;
            raw.server.dnsZone = dnsZone;
            return raw;
        };

        it("is the domain the server's name is in, or the name itself, kept in lower case", () => {
            assert.equal(validateOffice(named("pbx.example.com", "Example.COM")).server.dnsZone, "example.com");
            assert.equal(validateOffice(named("example.com", "example.com")).server.dnsZone, "example.com");
            assert.equal(validateOffice(named("pbx.office.example.com", "example.com")).server.dnsZone, "example.com");
            assert.equal(validateOffice(office()).server.dnsZone, undefined, "no record unless the stack asks for one");
        });

        it("a domain the server's name is not in is refused, a mere common ending too", () => {
            for (const zone of ["example.org", "ample.com", "pbx.example.com.au", "office.example.com"]) {
                assert.deepEqual(problems(named("pbx.example.com", zone)), [
                    `deskphone:server.dnsZone: "${zone}" does not hold server.domain pbx.example.com (give the domain the name ends in, e.g. example.com for pbx.example.com, or the name itself for its apex record)`,
                ]);
            }
        });

        it("needs the server's name", () => {
            assert.deepEqual(problems(named(undefined, "example.com")), [
                "deskphone:server.dnsZone: is set but server.domain is not (give the name the record is for, e.g. pbx.example.com)",
            ]);
        });

        it("is for a droplet only: an existing server's address is not deskphone's to publish", () => {
            const raw = named("pbx.example.com", "example.com");
            raw.server = {
                existing: { host: "203.0.113.9", privateKey: "key" },
                domain: "pbx.example.com",
                dnsZone: "example.com",
            };
            assert.deepEqual(problems(raw), [
                "deskphone:server.dnsZone: is set, but the server is an existing one (server.existing), not a droplet (deskphone creates the record only for its droplet, at the reserved IP it knows: point server.domain at your server yourself and leave dnsZone out)",
            ]);
        });

        it("is a domain name; a bad one is reported once, and a bad server name is not blamed on it", () => {
            assert.deepEqual(problems(named("pbx.example.com", "example.com.")), [
                'deskphone:server.dnsZone: "example.com." is not a domain your DigitalOcean account manages, such as example.com',
            ]);
            assert.deepEqual(problems(named("pbx.example.com:5061", "example.com")), [
                'deskphone:server.domain: "pbx.example.com:5061" is not a DNS name such as pbx.example.com, with no port',
            ]);
        });
    });

    describe("emergency addresses (E911)", () => {
        it("the office's address is registered for the Flowroute number 911 calls go out with", () => {
            const result = validateOffice(office());
            assert.equal(result.numbers[0].e911?.streetName, "3rd Ave");
        });

        it("a Flowroute number that 911 calls go out with needs an address, or e911: false when it is registered by hand", () => {
            const raw = office();
            delete raw.office.emergencyAddress;
            assert.deepEqual(problems(raw), [
                "deskphone:numbers[0].e911: 911 calls go out through Flowroute with +13235550100, but no emergency address is registered for it: responders would not know where to go " +
                    "(give the office's street address in deskphone:office.emergencyAddress (firstName, lastName, streetNumber, streetName, city, state, zip, country), " +
                    "or this number's own e911; write e911: false if you registered it in the Flowroute console)",
            ]);
            raw.numbers[0].e911 = false;
            assert.equal(
                validateOffice(raw).numbers[0].e911,
                undefined,
                "deskphone leaves the number's address as Flowroute has it",
            );
        });

        it("a number's own address wins over the office's", () => {
            const raw = office();
            raw.numbers[0].e911 = {
                ...raw.office.emergencyAddress,
                streetNumber: "1220",
                addressType: "Suite",
                addressTypeNumber: "200",
            };
            assert.equal(validateOffice(raw).numbers[0].e911?.streetNumber, "1220");
        });

        it("numbers 911 calls do not go out with get no address, and an address nothing registers is reported", () => {
            const raw = office();
            raw.trunks.push({
                name: "theitsp",
                kind: "peers",
                inboundAddresses: ["198.51.100.10"],
                outboundHost: "sip.itsp.example",
            });
            raw.numbers[0].trunk = "flowroute";
            raw.routes = { defaultTrunk: "flowroute", emergencyTrunk: "theitsp" };
            assert.deepEqual(problems(raw), [
                "deskphone:office.emergencyAddress: is set, but no number registers it: deskphone registers emergency addresses for the Flowroute numbers that 911 calls go out with " +
                    "(register it with your provider (theitsp), and remove it here)",
            ]);
            delete raw.office.emergencyAddress;
            assert.equal(validateOffice(raw).numbers[0].e911, undefined);
        });

        it("each mistake in the address names its field", () => {
            const raw = office();
            raw.office.emergencyAddress = { ...raw.office.emergencyAddress, state: "Washington", zip: "", floor: "2" };
            assert.deepEqual(problems(raw), [
                'deskphone:office.emergencyAddress.floor: unknown setting "floor" (known settings: label, firstName, lastName, streetNumber, streetName, city, state, zip, country, addressType, addressTypeNumber)',
                "deskphone:office.emergencyAddress.zip: is required for an emergency address",
                'deskphone:office.emergencyAddress.state: "Washington" is not a state or province (two capital letters, e.g. "WA")',
            ]);
        });
    });

    describe("provider API credentials in the stack", () => {
        const twilioOffice = () => {
            const raw = office();
            raw.trunks = [
                {
                    name: "twilio",
                    kind: "twilio",
                    terminationHost: "test.pstn.twilio.com",
                    username: "test",
                    password: "a-long-trunk-password",
                },
            ];
            raw.routes = { defaultTrunk: "twilio" };
            delete raw.office.emergencyAddress;
            // Registered in the Twilio console: deskphone registers none there.
            raw.numbers[0].e911 = false;
            return raw;
        };

        it("a Twilio trunk takes the account SID with its auth token, or an API key with its secret", () => {
            const raw = twilioOffice();
            Object.assign(raw.trunks[0], { accountSid: `AC${"a".repeat(32)}`, authToken: "the-auth-token" });
            assert.deepEqual(validateOffice(raw).trunks[0], {
                ...validateOffice(raw).trunks[0],
                api: {
                    accountSid: `AC${"a".repeat(32)}`,
                    authToken: { path: "deskphone:trunks[0].authToken", value: "the-auth-token" },
                },
            });
            delete raw.trunks[0].authToken;
            Object.assign(raw.trunks[0], { apiKey: `SK${"b".repeat(32)}`, apiSecret: "the-api-secret" });
            assert.equal((validateOffice(raw).trunks[0] as any).api.apiSecret.value, "the-api-secret");
        });

        it("a phone or trunk SIP user over 32 characters is refused before any provider is called, naming the setting", () => {
            const raw = twilioOffice();
            raw.trunks[0].username = "u".repeat(33);
            raw.phones[0].name = "p".repeat(33);
            assert.deepEqual(problems(raw), [
                `deskphone:trunks[0].username: "${"u".repeat(33)}" is 33 characters, over 32 (use a shorter name: Twilio takes credential user names of at most 32 characters)`,
                `deskphone:phones[0].name: "${"p".repeat(33)}" is 33 characters, over 32 (use a shorter name: it is the phone's SIP user, and deskphone keeps SIP users to Twilio's 32)`,
            ]);
            raw.trunks[0].username = "u".repeat(32);
            raw.phones[0].name = "p".repeat(32);
            assert.deepEqual(problems(raw), []);
        });

        it("Secure Trunking is true or false, and needs the server's DNS name (Twilio checks its certificate)", () => {
            const raw = twilioOffice();
            raw.trunks[0].secureTrunking = "on";
            raw.server.domain = "pbx.test.example";
            assert.deepEqual(problems(raw), ['deskphone:trunks[0].secureTrunking: "on" is not true or false']);
            raw.trunks[0].secureTrunking = true;
            delete raw.server.domain;
            assert.deepEqual(problems(raw), [
                "deskphone:trunks[0].secureTrunking: needs server.domain: Twilio calls the server over TLS at its DNS name and checks its certificate, and a self-signed one is refused (give server.domain (an A record pointing at the server: it gets a Let's Encrypt certificate), or leave secureTrunking out)",
            ]);
            raw.server.domain = "pbx.test.example";
            assert.deepEqual(problems(raw), []);
            assert.equal((validateOffice(raw).trunks[0] as any).secureTrunking, true);
            delete raw.trunks[0].secureTrunking;
            assert.equal((validateOffice(raw).trunks[0] as any).secureTrunking, false, "off by default");
        });

        it("a US number that 911 calls go out with through Twilio must say its address is registered there (e911: false)", () => {
            const raw = twilioOffice();
            delete raw.numbers[0].e911;
            assert.deepEqual(problems(raw), [
                "deskphone:numbers[0].e911: 911 calls go out through Twilio with +13235550100, which deskphone registers no emergency address for: Twilio charges $75 for each 911 call from a number without one, and responders get no address (register its address in the Twilio console (Emergency Calling for Elastic SIP Trunking), then write e911: false; or send 911 through a Flowroute trunk with routes.emergencyTrunk)",
            ]);
            raw.numbers[0].e911 = false;
            assert.deepEqual(problems(raw), []);
        });

        it("a German number to buy at Twilio needs its regulatory bundle, named before anything is called", () => {
            const raw = twilioOffice();
            raw.numbers = [{ name: "berlin", buy: { country: "DE", areaCode: "30" }, mailboxPin: "1234" }];
            raw.phones[0].callerId = "berlin";
            assert.deepEqual(problems(raw), [
                "deskphone:numbers[0].buy.bundleSid: is required: Twilio sells DE local numbers only with an approved regulatory bundle (the end user's address and proof of it) (create the bundle in the Twilio console (Phone Numbers, Regulatory Compliance) and give its SID (BU…), or adopt a number you already have)",
            ]);
            raw.numbers[0].buy.bundleSid = "BU" + "d4".repeat(16);
            assert.deepEqual(problems(raw), []);
            assert.equal(validateOffice(raw).numbers[0].buy!.bundleSid, "BU" + "d4".repeat(16));
        });

        it("two Twilio trunks may not name the same trunk, in edge form or not", () => {
            const raw = twilioOffice();
            raw.trunks.push({
                ...raw.trunks[0],
                name: "backup",
                terminationHost: "test.pstn.sao-paulo.twilio.com",
                username: "backup",
            });
            raw.numbers[0].trunk = "twilio";
            assert.deepEqual(problems(raw), [
                "deskphone:trunks[1].terminationHost: names the same Twilio trunk (test.pstn.twilio.com) as trunks[0] (give each Twilio trunk its own termination host)",
            ]);
        });

        it("a Twilio trunk renamed in the stack names its former name, which no other trunk may hold", () => {
            const raw = twilioOffice();
            raw.trunks[0].renamedFrom = "old-twilio";
            assert.equal((validateOffice(raw).trunks[0] as any).renamedFrom, "old-twilio");
            raw.trunks.push({
                name: "old-twilio",
                kind: "peers",
                inboundAddresses: ["198.51.100.1"],
                outboundHost: "198.51.100.1",
            });
            assert.ok(
                problems(raw).some((p) =>
                    p.startsWith('deskphone:trunks[0].renamedFrom: "old-twilio" is the name of trunks[1]'),
                ),
            );
        });

        it("each missing, malformed or plain-text credential names its setting", () => {
            const raw = twilioOffice();
            Object.assign(raw.trunks[0], {
                accountSid: "ACnot-a-sid",
                authToken: "the-auth-token",
                apiKey: `SK${"b".repeat(32)}`,
            });
            assert.deepEqual(problems(raw, ["deskphone:trunks[0].authToken"]), [
                'deskphone:trunks[0].accountSid: "ACnot-a-sid" is not the Twilio account SID (AC followed by 32 hex digits)',
                "deskphone:trunks[0].authToken: is set beside apiKey (give the auth token or an API key with its secret, not both)",
                "deskphone:trunks[0].apiSecret: is required: the API key's secret (store it with: pulumi config set --secret --path 'deskphone:trunks[0].apiSecret' -- <value>)",
            ]);
            const flowroute = office();
            flowroute.trunks[0].secretKey = "the-secret-key";
            assert.deepEqual(problems(flowroute, ["deskphone:trunks[0].secretKey"]), [
                "deskphone:trunks[0].accessKey: is required: the Flowroute API access key (Preferences → API Control)",
                "deskphone:trunks[0].secretKey: is a secret but is stored in plain text (store it with: pulumi config set --secret --path 'deskphone:trunks[0].secretKey' -- <value>)",
            ]);
        });
    });
});
