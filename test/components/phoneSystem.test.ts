import { trunkSignallingSources } from "../../components/office/sipSources";
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { Office, PhoneSystem, validateOffice } from "../../components";
import { Declared, inputValue, MockEngine, mockFingerprint, settled } from "../support/pulumiMocks";
import { exampleOffice, exampleSettings, exampleStacks } from "../../lab/stacks";

async function declare(office: Office): Promise<{ engine: MockEngine; system: PhoneSystem }> {
    const engine = new MockEngine();
    await engine.install();
    const system = new PhoneSystem("office", { office }, engine.recordChildren("office"));
    await settled(pulumi.all([system.publicAddress, system.phones, system.numbers]));
    // Let the children's registrations reach the mock engine.
    await new Promise((resolve) => setImmediate(resolve));
    return { engine, system };
}

const serverTypes = [
    "digitalocean:index/droplet:Droplet",
    "digitalocean:index/volume:Volume",
    "digitalocean:index/reservedIp:ReservedIp",
    "digitalocean:index/reservedIpAssignment:ReservedIpAssignment",
    "digitalocean:index/sshKey:SshKey",
    "digitalocean:index/volumeAttachment:VolumeAttachment",
];

/**
 * A domain record as DigitalOcean's API accepts it (digitalocean/openapi, specification/resources/domains/:
 * models/domain_record_types.yml, DomainRecord-A requires type, name and data, Pulumi's `value`; models/domain_record.yml:
 * name is the host name within the domain, "@" for the domain itself, data an A record's IPv4 address, ttl an integer
 * of seconds), with a TTL of 30 s at least ("All DNS records require a minimum TTL value of 30 seconds",
 * docs.digitalocean.com/glossary/ttl).
 */
function assertValidDomainRecord(inputs: Record<string, any>): void {
    for (const required of ["type", "name", "value"]) assert.ok(inputs[required], `${required} is required`);
    assert.equal(inputs.type, "A");
    assert.match(inputs.value, /^\d{1,3}(\.\d{1,3}){3}$/, "an A record's data is an IPv4 address");
    const label = "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?";
    assert.match(inputs.name, new RegExp(`^(@|${label}(\\.${label})*)$`), "a name within the domain, or @");
    assert.ok(!inputs.name.endsWith(inputs.domain), "the name is relative to the domain, not the full name");
    assert.ok(Number.isInteger(inputs.ttl) && inputs.ttl >= 30, `ttl ${inputs.ttl} is an integer of 30 s or more`);
}

function inputsOf(declared: Declared[], types: string[]): Record<string, unknown> {
    return Object.fromEntries(
        declared.filter((d) => types.includes(d.type)).map((d) => [`${d.type} ${d.name}`, d.inputs]),
    );
}

describe("PhoneSystem under Pulumi mocks", function () {
    this.timeout(20000);

    for (const stack of exampleStacks()) {
        it(`the ${stack} example declares a server and one config resource per rendered file`, async () => {
            const office = exampleOffice(stack);
            const { engine } = await declare(office);
            const commands = engine.ofType("command:remote:Command");
            const fileNames = commands.map((c) => c.name.replace(/^office-config-/, ""));
            for (const file of [
                "pjsip.conf",
                "pjsip.secrets.conf",
                "extensions.conf",
                "voicemail.conf",
                "voicemail.mailboxes.conf",
                "modules.conf",
                "deskphone.nft",
                "apply",
            ]) {
                assert.ok(fileNames.includes(file), `${file} missing from ${fileNames.join(", ")}`);
            }
            for (const c of commands.filter((c) => c.name.startsWith("office-config-")))
                assert.equal(c.parent, "office-config");
            assert.equal(engine.one("deskphone:index:AsteriskConfig").parent, "office");
            if (office.server.host.kind === "droplet") {
                assert.equal(engine.one("deskphone:index:DropletServer").parent, "office");
                for (const type of serverTypes) {
                    assert.ok(engine.ofType(type).length > 0, type);
                    for (const child of engine.ofType(type)) assert.equal(child.parent, "office-server", type);
                }
                assert.equal(
                    engine.ofType("digitalocean:index/sshKey:SshKey").length,
                    2,
                    "the administrator's key and deskphone's deploy key",
                );
            } else {
                assert.equal(engine.one("deskphone:index:ExistingServer").parent, "office");
                assert.equal(engine.ofType("digitalocean:index/droplet:Droplet").length, 0);
            }
        });
    }

    it("the droplet runs Ubuntu 24.04 on the smallest size, with cloud-init that installs Asterisk and mounts the volume", async () => {
        const { engine } = await declare(exampleOffice("freelancer"));
        const droplet = engine.one("digitalocean:index/droplet:Droplet").inputs;
        assert.equal(droplet.image, "ubuntu-24-04-x64");
        assert.equal(droplet.size, "s-1vcpu-512mb-10gb");
        assert.equal(droplet.region, "sfo3");
        assert.match(droplet.userData, /^#cloud-config/);
        assert.match(droplet.userData, /apt_get install -y --no-install-recommends [^\n]*asterisk /);
        assert.match(droplet.userData, /device=\/dev\/disk\/by-id\/scsi-0DO_Volume_office-server-voicemail$/m);
        assert.match(droplet.userData, /"\$device \$folder ext4 defaults,nofail,discard 0 2"/);
        assert.match(droplet.userData, /core waitfullybooted/);
        const volume = engine.one("digitalocean:index/volume:Volume").inputs;
        assert.equal(volume.size, 1);
        assert.equal(volume.region, "sfo3");
    });

    it("the ready step waits for the volume and the reserved IP to be attached, then mounts the one and sends from the other", async () => {
        const { engine } = await declare(exampleOffice("freelancer"));
        const ready = engine.declared.find((d) => d.name === "office-server-ready")!;
        assert.deepEqual([...ready.dependsOn].sort(), ["office-server-address", "office-server-voicemail"].sort());
        assert.ok(
            engine
                .ofType("digitalocean:index/volumeAttachment:VolumeAttachment")
                .some((a) => a.name === "office-server-voicemail"),
        );
        for (const step of [ready.inputs.create, ready.inputs.stdin]) {
            assert.match(step, /^\/usr\/local\/sbin\/deskphone-droplet-ready$/m);
            assert.ok(step.indexOf("deskphone-droplet-ready\n") < step.indexOf("core waitfullybooted"));
        }
        assert.match(ready.inputs.create, /cloud-init status --wait/);
    });

    it("a replacement droplet gets the same voicemail volume: nothing in the volume's inputs names the droplet", async () => {
        const { engine } = await declare(exampleOffice("freelancer"));
        const volume = engine.one("digitalocean:index/volume:Volume");
        assert.deepEqual(Object.keys(volume.inputs).sort(), [
            "description",
            "initialFilesystemType",
            "name",
            "region",
            "size",
        ]);
    });

    it("a newer install script reaches a running droplet over SSH: a change of user data never replaces the droplet", async () => {
        const { engine } = await declare(exampleOffice("freelancer"));
        assert.deepEqual(engine.one("digitalocean:index/droplet:Droplet").ignoreChanges, ["userData"]);
        const ready = engine.declared.find((d) => d.name === "office-server-ready")!.inputs;
        assert.equal(ready.update, "sh -s # deskphone-install");
        assert.match(ready.stdin, /^#!\/bin\/sh/);
        assert.match(
            ready.stdin,
            /device=\/dev\/disk\/by-id\/scsi-0DO_Volume_office-server-voicemail$/m,
            "the same script as the user data",
        );
    });

    it("a replacement droplet is waited for and gets every file written again", async () => {
        const { engine } = await declare(exampleOffice("freelancer"));
        const commands = engine.ofType("command:remote:Command");
        assert.ok(commands.filter((c) => c.name.startsWith("office-config-")).length > 10);
        for (const c of commands) assert.deepEqual(c.inputs.triggers, ["office-server-droplet-id"], c.name);
    });

    it("the cloud firewall admits plain SIP only from Flowroute's addresses, TLS from the phones' networks, RTP from anywhere, SSH from the admin networks", async () => {
        const office = exampleOffice("freelancer");
        office.server.phoneNetworks = ["198.51.100.0/24"];
        const rulesOf = async (o: typeof office) =>
            (await declare(o)).engine.one("digitalocean:index/firewall:Firewall").inputs.inboundRules as {
                protocol: string;
                portRange?: string;
                sourceAddresses: string[];
            }[];
        const rules = await rulesOf(office);
        const sip = rules.find((r) => r.protocol === "udp" && r.portRange === "5060")!;
        assert.ok(
            !sip.sourceAddresses.includes("198.51.100.0/24"),
            "no phone uses plain SIP: the phones are not let in",
        );
        assert.ok(!sip.sourceAddresses.includes("0.0.0.0/0"));
        assert.deepEqual(sip.sourceAddresses, trunkSignallingSources(office), "Flowroute's signalling ranges");
        assert.deepEqual(rules.find((r) => r.portRange === "10000-20000")!.sourceAddresses, ["0.0.0.0/0", "::/0"]);
        assert.ok(rules.some((r) => r.protocol === "tcp" && r.portRange === "22"));
        assert.deepEqual(
            rules.find((r) => r.protocol === "tcp" && r.portRange === "5061")!.sourceAddresses,
            ["198.51.100.0/24"],
            "SIP over TLS from the phones' networks only",
        );
        office.phones[0].transport = "udp";
        const plain = (await rulesOf(office)).filter((r) => r.portRange === "5060");
        assert.equal(plain.length, 2);
        for (const rule of plain)
            assert.ok(
                rule.sourceAddresses.includes("198.51.100.0/24"),
                "a phone on plain SIP: its networks are let in",
            );
    });

    it("a phone over TLS is given the server's DNS name when it has one (its certificate is for it), else the address and the self-signed certificate's fingerprint", async () => {
        const named = exampleOffice("freelancer");
        named.server.domain = "pbx.freelancer.example";
        const [withName] = await settled((await declare(named)).system.phones);
        assert.equal(withName.server, "pbx.freelancer.example");
        assert.equal(withName.certificateFingerprint, undefined);
        const [withoutName] = await settled((await declare(exampleOffice("freelancer"))).system.phones);
        assert.equal(withoutName.server, "203.0.113.7");
        assert.equal(withoutName.certificateFingerprint, mockFingerprint, "read on the server once it is ready");
    });

    describe("the server's A record in a DigitalOcean domain (server.dnsZone)", () => {
        const recordType = "digitalocean:index/dnsRecord:DnsRecord";
        const named = (domain: string, dnsZone?: string) => {
            const office = exampleOffice("freelancer");
            office.server.domain = domain;
            if (dnsZone) office.server.dnsZone = dnsZone;
            return office;
        };

        it("is created in the account's domain, named without the domain, at the reserved IP, for 5 minutes, under the droplet", async () => {
            const { engine } = await declare(named("pbx.freelancer.example", "freelancer.example"));
            const record = engine.one(recordType);
            assert.deepEqual(record.inputs, {
                domain: "freelancer.example",
                type: "A",
                name: "pbx",
                value: "203.0.113.7",
                ttl: 300,
            });
            assert.equal(record.parent, "office-server");
            assertValidDomainRecord(record.inputs);
        });

        it("the domain is looked up, never declared: destroying the office leaves the account's domain and its other records", async () => {
            const { engine } = await declare(named("pbx.freelancer.example", "freelancer.example"));
            assert.equal(engine.ofType("digitalocean:index/domain:Domain").length, 0);
            assert.deepEqual(
                engine.invoked.filter((i) => i.token === "digitalocean:index/getDomain:getDomain").map((i) => i.inputs),
                [{ name: "freelancer.example" }],
            );
        });

        it("a name that is the domain itself is its apex record, @", async () => {
            const { engine } = await declare(named("freelancer.example", "freelancer.example"));
            assert.equal(engine.one(recordType).inputs.name, "@");
            assertValidDomainRecord(engine.one(recordType).inputs);
        });

        it("a name several labels deep keeps every label before the domain", async () => {
            const { engine } = await declare(named("pbx.office.freelancer.example", "freelancer.example"));
            assert.equal(engine.one(recordType).inputs.name, "pbx.office");
            assertValidDomainRecord(engine.one(recordType).inputs);
        });

        it("certbot runs after the record exists: the ready step, which gets the certificate, waits for it", async () => {
            const { engine } = await declare(named("pbx.freelancer.example", "freelancer.example"));
            const ready = engine.declared.find((d) => d.name === "office-server-ready")!;
            assert.deepEqual(
                [...ready.dependsOn].sort(),
                ["office-server-address", "office-server-dns", "office-server-voicemail"].sort(),
            );
            assert.match(ready.inputs.create, /^\/usr\/local\/sbin\/deskphone-droplet-ready$/m);
            assert.match(ready.inputs.create, /cloud-init status --wait/);
            const certificate = engine.declared.find((d) => d.name === "office-server-certificate")!;
            assert.deepEqual(certificate.dependsOn, ["office-server-ready"]);
        });

        it("without dnsZone there is no record, whether or not the server has a name", async () => {
            for (const office of [named("pbx.freelancer.example"), exampleOffice("freelancer")]) {
                const { engine } = await declare(office);
                assert.equal(engine.ofType(recordType).length, 0);
                assert.equal(engine.invoked.filter((i) => i.token.includes("getDomain")).length, 0);
                const ready = engine.declared.find((d) => d.name === "office-server-ready")!;
                assert.ok(!ready.dependsOn.includes("office-server-dns"));
            }
        });
    });

    it("a trunk change leaves the droplet, volume and reserved IP inputs identical", async () => {
        const before = await declare(exampleOffice("freelancer"));
        const changed = exampleOffice("freelancer");
        changed.trunks = [{ kind: "flowroute", name: "flowroute", pop: "us-east-va", techPrefix: "87654321" }];
        const after = await declare(changed);
        assert.deepEqual(inputsOf(after.engine.declared, serverTypes), inputsOf(before.engine.declared, serverTypes));
        const pjsip = (e: MockEngine) => e.declared.find((d) => d.name === "office-config-pjsip.conf")!.inputs.stdin;
        assert.notEqual(pjsip(after.engine), pjsip(before.engine));
    });

    it("exports the public address, each phone's setup with its password, and numbers pointing at the server", async () => {
        const { system } = await declare(exampleOffice("freelancer"));
        assert.equal(await settled(system.publicAddress), "203.0.113.7");
        const phones = await settled(system.phones);
        assert.deepEqual(
            phones.map((p) => ({ ...p, password: typeof p.password })),
            [
                {
                    name: "desk",
                    extension: "100",
                    server: "203.0.113.7",
                    transport: "tls",
                    port: 5061,
                    user: "desk",
                    password: "string",
                    certificateFingerprint: mockFingerprint,
                },
            ],
        );
        assert.deepEqual(await settled(system.numbers), [
            {
                name: "13235550100",
                e164: "+13235550100",
                rings: ["desk"],
                trunk: "flowroute",
                pointsAt: "Flowroute route 203.0.113.7:5060",
                emergencyAddress: "Pat Freelancer, 100 Main St, Los Angeles CA 90012, US",
            },
        ]);
        assert.ok(system.monthlyCost.lines.some((l) => l.item === "droplet s-1vcpu-512mb-10gb" && l.usd === 4));
        assert.ok(system.monthlyCost.lines.some((l) => l.item === "911 for +13235550100" && l.usd === 1.5));
        assert.ok(
            system.monthlyCost.lines.every((l) => l.asOf),
            "every price says when it was read",
        );
        assert.equal(system.monthlyCost.pricesAsOf, "2013", "and the estimate says how old its oldest price is");
    });

    it("a Flowroute number is adopted and routed to the server's reserved IP, kept on destroy by default", async () => {
        const { engine } = await declare(exampleOffice("freelancer"));
        const number = engine.one("pulumi-nodejs:dynamic/deskphone:FlowrouteNumber");
        assert.equal(number.parent, "office");
        assert.equal(number.inputs.mode, "adopt");
        assert.equal(number.inputs.e164, "+13235550100");
        assert.equal(number.inputs.serverAddress, "203.0.113.7");
        assert.equal(
            number.inputs.pop,
            exampleOffice("freelancer").trunks.find((t) => t.kind === "flowroute")!.pop,
            "its routes get the trunk's PoP",
        );
        assert.equal(number.inputs.releaseOnDelete, false);
        assert.equal(number.inputs.e911.streetName, "Main St", "the office's emergency address is registered with it");
    });

    it("a Twilio office gets one Elastic SIP Trunk pointing at the server, with its number attached", async () => {
        const { engine, system } = await declare(exampleOffice("montevideo"));
        const trunk = engine.one("pulumi-nodejs:dynamic/deskphone:TwilioTrunk");
        assert.equal(trunk.inputs.serverAddress, "203.0.113.7");
        assert.equal(trunk.inputs.terminationDomain, "casa-montevideo.pstn.twilio.com");
        assert.deepEqual(
            trunk.inputs.edges,
            ["sao-paulo"],
            "the stack's edges reach the origination URLs, not only the match= lines",
        );
        assert.equal(trunk.inputs.username, "casa-montevideo");
        const number = engine.one("pulumi-nodejs:dynamic/deskphone:TwilioNumber");
        assert.equal(number.inputs.e164, "+59829001234");
        assert.equal(number.inputs.trunkSid, "TK00000000000000000000000000000001");
        assert.deepEqual(
            (await settled(system.numbers)).map((n) => n.pointsAt),
            ["Twilio trunk TK00000000000000000000000000000001 → sip:203.0.113.7"],
        );
    });

    it("a Twilio trunk with Secure Trunking asks for Secure=true and origination over TLS to the server's name, whose TLS port the cloud firewall opens to Twilio", async () => {
        const office = exampleOffice("montevideo");
        for (const phone of office.phones) phone.transport = "udp";
        office.server.domain = "pbx.casa-montevideo.example";
        const twilio = office.trunks.find((t) => t.kind === "twilio")!;
        if (twilio.kind === "twilio") twilio.secureTrunking = true;
        const { engine, system } = await declare(office);
        const trunk = engine.one("pulumi-nodejs:dynamic/deskphone:TwilioTrunk");
        assert.deepEqual(
            [trunk.inputs.secure, trunk.inputs.tlsPort, trunk.inputs.serverName],
            [true, 5061, "pbx.casa-montevideo.example"],
        );
        assert.deepEqual(
            (await settled(system.numbers)).map((n) => n.pointsAt),
            ["Twilio trunk TK00000000000000000000000000000001 → sip:pbx.casa-montevideo.example:5061;transport=tls"],
        );
        const rules = engine.one("digitalocean:index/firewall:Firewall").inputs.inboundRules as {
            protocol: string;
            portRange?: string;
            sourceAddresses: string[];
        }[];
        assert.deepEqual(
            rules.find((r) => r.protocol === "tcp" && r.portRange === "5061")!.sourceAddresses,
            ["177.71.206.192/30"],
            "SIP over TLS from the São Paulo edge's signalling addresses, no phone using it",
        );
    });

    it("a Twilio trunk is named after its trunk in the stack, and a trunk renamed with renamedFrom keeps its resource through an alias", async () => {
        const settings = exampleSettings("montevideo");
        const trunk = (settings.trunks as any[]).find((t) => t.kind === "twilio");
        const { engine } = await declare(validateOffice(settings));
        assert.deepEqual(
            [
                engine.one("pulumi-nodejs:dynamic/deskphone:TwilioTrunk").inputs.name,
                engine.one("pulumi-nodejs:dynamic/deskphone:TwilioTrunk").aliases,
            ],
            [trunk.name, []],
        );
        const formerName = trunk.name;
        trunk.renamedFrom = formerName;
        trunk.name = "main-line";
        for (const n of settings.numbers as any[]) if (n.trunk === formerName) n.trunk = "main-line";
        if ((settings.routes as any)?.defaultTrunk === formerName) (settings.routes as any).defaultTrunk = "main-line";
        if ((settings.routes as any)?.emergencyTrunk === formerName)
            (settings.routes as any).emergencyTrunk = "main-line";
        const renamed = (await declare(validateOffice(settings))).engine.one(
            "pulumi-nodejs:dynamic/deskphone:TwilioTrunk",
        );
        assert.deepEqual(
            [renamed.name, renamed.inputs.name, renamed.aliases],
            ["office-main-line", "main-line", [`office-${formerName}`]],
        );
    });

    it("a number to buy is bought by area code, and the bought number is written into the dialplan, mailboxes and caller ID", async () => {
        const settings = exampleSettings("freelancer");
        settings.numbers = [{ name: "main", buy: { areaCode: "323" }, email: "me@freelancer.example" }];
        (settings.phones as any[])[0].callerId = "main";
        const { engine, system } = await declare(validateOffice(settings));
        const number = engine.one("pulumi-nodejs:dynamic/deskphone:FlowrouteNumber");
        assert.equal(number.name, "office-main");
        assert.deepEqual(
            [number.inputs.mode, number.inputs.name, number.inputs.country, number.inputs.areaCode, number.inputs.e164],
            ["buy", "main", "US", "323", undefined],
        );
        const bought = "+13235550142";
        assert.deepEqual(await settled(system.numbers), [
            {
                name: "main",
                e164: bought,
                rings: ["desk"],
                trunk: "flowroute",
                pointsAt: "Flowroute route 203.0.113.7:5060",
                emergencyAddress: "Pat Freelancer, 100 Main St, Los Angeles CA 90012, US",
            },
        ]);
        const stdin = (file: string) =>
            String(inputValue(engine.declared.find((d) => d.name === `office-config-${file}`)!.inputs.stdin));
        const dialplan = stdin("extensions.conf");
        assert.match(dialplan, /^\[number-13235550142\]/m, "the bought number's context");
        assert.match(dialplan, /^exten => 13235550142,1,Goto\(number-13235550142,/m, "calls to it from the trunk");
        assert.match(stdin("pjsip.conf"), /^set_var=LINE_NUMBER=13235550142$/m, "the desk phone calls out as it");
        assert.match(stdin("voicemail.mailboxes.conf"), /^13235550142 => /m, "its mailbox");
        assert.ok(
            engine.declared.some((d) => d.name === "office-pin-main"),
            "its PIN is generated under the number's name",
        );
    });

    it("naming a number you have keeps its resource: the name it had (its digits) becomes an alias", async () => {
        const settings = exampleSettings("freelancer");
        (settings.numbers as any[])[0].name = "main";
        const { engine } = await declare(validateOffice(settings));
        const number = engine.one("pulumi-nodejs:dynamic/deskphone:FlowrouteNumber");
        assert.deepEqual([number.name, number.aliases], ["office-main", ["office-13235550100"]]);
    });

    it("a bought number renamed with renamedFrom keeps its resource and its voicemail PIN through aliases: nothing is bought again", async () => {
        const settings = exampleSettings("freelancer");
        settings.numbers = [{ name: "reception", renamedFrom: "main", buy: { areaCode: "323" } }];
        (settings.phones as any[])[0].callerId = "reception";
        const { engine } = await declare(validateOffice(settings));
        const number = engine.one("pulumi-nodejs:dynamic/deskphone:FlowrouteNumber");
        assert.deepEqual(
            [number.name, number.inputs.name, number.aliases],
            ["office-reception", "reception", ["office-main"]],
        );
        const pin = engine.declared.find((d) => d.name === "office-pin-reception")!;
        assert.deepEqual(pin.aliases, ["office-pin-main"]);
    });

    it("a Twilio number to buy passes its kind and pattern, and is attached to the office's trunk", async () => {
        const settings = exampleSettings("montevideo");
        settings.numbers = [
            {
                ...(settings.numbers as any[])[0],
                e164: undefined,
                name: "oficina",
                buy: { numberType: "mobile", contains: "99" },
            },
        ];
        for (const phone of settings.phones as any[]) if (phone.callerId) phone.callerId = "oficina";
        const { engine } = await declare(validateOffice(settings));
        const number = engine.one("pulumi-nodejs:dynamic/deskphone:TwilioNumber");
        assert.deepEqual(
            [
                number.inputs.mode,
                number.inputs.name,
                number.inputs.country,
                number.inputs.numberType,
                number.inputs.contains,
                number.inputs.trunkSid,
            ],
            ["buy", "oficina", "UY", "mobile", "99", "TK00000000000000000000000000000001"],
        );
    });

    it("API credentials the stack gives reach the trunk and every number as secrets; without them the providers use the environment's", async () => {
        const secretSig = "4dabf18193072939515e22adb298388d";
        const isSecret = (value: unknown) => !!value && typeof value === "object" && secretSig in value;
        const twilio = exampleSettings("montevideo");
        const accountSid = `AC${"1".repeat(32)}`;
        Object.assign((twilio.trunks as any[])[0], { accountSid, authToken: "example-twilio-auth-token" });
        const { engine } = await declare(validateOffice(twilio));
        for (const type of [
            "pulumi-nodejs:dynamic/deskphone:TwilioTrunk",
            "pulumi-nodejs:dynamic/deskphone:TwilioNumber",
        ]) {
            const credentials = engine.one(type).inputs.credentials;
            assert.ok(isSecret(credentials), `${type} gets its credentials as a secret`);
            assert.deepEqual(inputValue(credentials), { accountSid, authToken: "example-twilio-auth-token" });
        }

        const flowroute = exampleSettings("freelancer");
        Object.assign((flowroute.trunks as any[])[0], {
            accessKey: "12345678",
            secretKey: "example-flowroute-api-secret",
        });
        const withKeys = (await declare(validateOffice(flowroute))).engine.one(
            "pulumi-nodejs:dynamic/deskphone:FlowrouteNumber",
        ).inputs.credentials;
        assert.ok(isSecret(withKeys));
        assert.deepEqual(inputValue(withKeys), { accessKey: "12345678", secretKey: "example-flowroute-api-secret" });

        const fromEnvironment = (await declare(exampleOffice("freelancer"))).engine.one(
            "pulumi-nodejs:dynamic/deskphone:FlowrouteNumber",
        ).inputs.credentials;
        assert.equal(fromEnvironment, undefined);
    });

    it("a number set to acquire: manual gets no provider resource", async () => {
        const office = exampleOffice("freelancer");
        office.numbers[0].acquire = "manual";
        const { engine } = await declare(office);
        assert.equal(engine.ofType("pulumi-nodejs:dynamic/deskphone:FlowrouteNumber").length, 0);
    });

    it("an existing server behind NAT writes its address into pjsip.transport.conf once the address is known", async () => {
        const office = exampleOffice("freelancer");
        office.server.host = {
            kind: "existing",
            host: "192.168.1.20",
            port: 22,
            user: "root",
            privateKey: { path: "deskphone:server.existing.privateKey", value: "key" },
        };
        office.server.publicAddress = "203.0.113.7";
        office.server.behindNat = true;
        office.server.localNetworks = ["192.168.1.0/24"];
        const { engine } = await declare(office);
        const transport = String(
            engine.declared.find((d) => d.name === "office-config-pjsip.transport.conf")!.inputs.stdin,
        );
        assert.match(transport, /^external_signaling_address=203\.0\.113\.7/m);
        assert.match(transport, /^external_media_address=203\.0\.113\.7/m);
        assert.match(transport, /^local_net=192\.168\.1\.0\/24$/m);
    });

    it("an existing server's publicAddress, not its SSH host, is what phones, trunks and the SPA3102 are given", async () => {
        const office = exampleOffice("montevideo");
        office.server.host = {
            kind: "existing",
            host: "192.168.1.20",
            port: 22,
            user: "root",
            privateKey: { path: "deskphone:server.existing.privateKey", value: "key" },
        };
        office.server.publicAddress = "198.51.100.20";
        const { engine, system } = await declare(office);
        assert.equal(await settled(system.publicAddress), "198.51.100.20");
        for (const phone of await settled(system.phones)) assert.equal(phone.server, "198.51.100.20", phone.name);
        assert.match((await settled(system.spa3102!)).profileXml, /198\.51\.100\.20/);
        assert.doesNotMatch((await settled(system.spa3102!)).profileXml, /192\.168\.1\.20/);
        const trunk = engine.one("pulumi-nodejs:dynamic/deskphone:TwilioTrunk").inputs;
        assert.equal(trunk.serverAddress, "198.51.100.20", "Twilio's origination URL and ACL");
    });

    it("a droplet advertises its reserved IP, with the anchor network as local, and pjsip.conf does not wait for the address", async () => {
        const { engine } = await declare(exampleOffice("freelancer"));
        const stdin = (name: string) => engine.declared.find((d) => d.name === `office-config-${name}`)!.inputs.stdin;
        const transport = String(stdin("pjsip.transport.conf"));
        assert.match(transport, /^external_signaling_address=203\.0\.113\.7 /m);
        assert.match(transport, /^external_media_address=203\.0\.113\.7 /m);
        assert.match(transport, /^local_net=10\.0\.0\.0\/8 /m);
        assert.equal(typeof stdin("pjsip.conf"), "string", "known at preview time: it names no address");
        assert.match(String(stdin("pjsip.conf")), /^#include pjsip\.transport\.conf$/m);
    });

    it("each number's mailbox and its voicemail PIN, generated or the stack's own, are a secret output", async () => {
        const { system } = await declare(exampleOffice("freelancer"));
        assert.ok(await pulumi.isSecret(system.mailboxes));
        const [main] = await settled(system.mailboxes);
        assert.equal(main.mailbox, "13235550100");
        assert.equal(main.pin, "generated-office-pin-13235550100", "the generated PIN (the mocks name it)");
        assert.equal(main.email, "me@freelancer.example");
    });

    it("secret files reach the server as secrets; other files as plain text", async () => {
        const { engine } = await declare(exampleOffice("freelancer"));
        const stdin = (name: string) => engine.declared.find((d) => d.name === `office-config-${name}`)!.inputs.stdin;
        assert.equal(typeof stdin("pjsip.conf"), "string");
        assert.ok(!String(stdin("pjsip.conf")).includes("example-flowroute-sip-password"));
    });
});
