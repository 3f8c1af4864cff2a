import { strict as assert } from "assert";
import * as digitalocean from "@pulumi/digitalocean";
import * as pulumi from "@pulumi/pulumi";
import { OfficeConfigError, PhoneSystem, PhoneSystemArgs } from "../../components";
import { checkOfficeInput } from "../../components/office/input";
import { inputValue, MockEngine, mockFingerprint, settled } from "../support/pulumiMocks";

/** An office written in a program, as a Pulumi user would: no stack file, the server's address another resource's output. */
function programOffice(host: pulumi.Input<string>, overrides: Partial<PhoneSystemArgs> = {}): PhoneSystemArgs {
    return {
        office: {
            name: "Program Office",
            country: "US",
            timezone: "America/Los_Angeles",
            voicemailFrom: "voicemail@office.example",
        },
        trunks: [
            {
                kind: "flowroute",
                name: "flowroute",
                techPrefix: "12345678",
                secret: pulumi.secret("flowroute-sip-password"),
            },
        ],
        numbers: [{ name: "main", e164: "+13235550100", mailboxPin: pulumi.secret("4321"), e911: false }],
        phones: [{ name: "desk", extension: "100", callerId: "main", secret: pulumi.secret("desk-sip-password") }],
        server: { existing: { host, privateKey: pulumi.secret("-----BEGIN OPENSSH PRIVATE KEY-----") } },
        ...overrides,
    };
}

/** The value an output settles to, or the error it fails with. */
function outcome<T>(output: pulumi.Output<T>): Promise<T> {
    return (output as unknown as { promise(): Promise<T> }).promise();
}

describe("PhoneSystem from a plain Pulumi program", function () {
    this.timeout(20000);
    let engine: MockEngine;

    beforeEach(async () => {
        engine = new MockEngine();
        await engine.install();
    });

    it("takes the office as typed args, with the server's address and the secrets as other resources' outputs", async () => {
        const address = new digitalocean.ReservedIp("address", { region: "sfo3" });
        const system = new PhoneSystem("office", programOffice(address.ipAddress), engine.recordChildren("office"));
        const [publicAddress, phones, mailboxes, numbers] = await settled(
            pulumi.all([system.publicAddress, system.phones, system.mailboxes, system.numbers]),
        );
        await new Promise((resolve) => setImmediate(resolve));

        assert.equal(publicAddress, "203.0.113.7", "the reserved IP's address");
        assert.deepEqual(phones, [
            {
                name: "desk",
                extension: "100",
                server: "203.0.113.7",
                transport: "tls",
                port: 5061,
                user: "desk",
                password: "desk-sip-password",
                certificateFingerprint: mockFingerprint,
            },
        ]);
        assert.deepEqual(mailboxes, [{ number: "main", mailbox: "13235550100", pin: "4321", email: "" }]);
        assert.deepEqual(
            numbers.map((n) => [n.name, n.e164, n.pointsAt]),
            [["main", "+13235550100", "Flowroute route 203.0.113.7:5060"]],
        );
        const install = engine.ofType("command:remote:Command").find((c) => c.name === "office-server-install")!;
        assert.equal(
            (inputValue(install.inputs.connection) as { host: string }).host,
            "203.0.113.7",
            "deskphone logs in at the output's address",
        );
        assert.equal(
            engine.ofType("pulumi-nodejs:dynamic/deskphone:GeneratedSecret").length,
            0,
            "every secret came from the program: none generated",
        );
    });

    it("reports every mistake in the args at once, each with its setting's path, before declaring anything", () => {
        const args = programOffice("192.0.2.10", {
            numbers: [{ e164: "+1555", mailboxPin: "4321" }],
            routes: { defaultTrunk: "nowhere" },
        });
        assert.throws(
            () => new PhoneSystem("office", args, engine.recordChildren("office")),
            (error: unknown) => {
                assert.ok(error instanceof OfficeConfigError);
                const paths = error.problems.map((p) => p.path);
                for (const path of [
                    "deskphone:numbers[0].e164",
                    "deskphone:routes.defaultTrunk",
                    "deskphone:phones[0].callerId",
                ])
                    assert.ok(paths.includes(path), `${path} in ${paths.join(", ")}`);
                return true;
            },
        );
        assert.equal(engine.declared.length, 0);
    });

    it("a program's server.dnsZone for an existing server is refused, naming the setting, before anything is declared", () => {
        const args = programOffice("192.0.2.10");
        args.server = { ...args.server, domain: "pbx.office.example", dnsZone: "office.example" };
        assert.throws(
            () => new PhoneSystem("office", args, engine.recordChildren("office")),
            (error: unknown) => {
                assert.ok(error instanceof OfficeConfigError);
                assert.deepEqual(
                    error.problems.map((p) => p.path),
                    ["deskphone:server.dnsZone"],
                );
                return true;
            },
        );
        assert.equal(engine.declared.length, 0);
    });

    it("checks an output's value once it is known, with the message a stack file would get", async () => {
        const { checked } = checkOfficeInput(
            programOffice("192.0.2.10", {
                numbers: [{ name: "main", e164: "+13235550100", mailboxPin: pulumi.secret("12ab"), e911: false }],
            }),
        );
        await assert.rejects(outcome(checked), (error: unknown) => {
            assert.ok(error instanceof OfficeConfigError);
            assert.deepEqual(error.problems, [
                {
                    path: "deskphone:numbers[0].mailboxPin",
                    message: "is not 4 to 10 digits",
                    hint: "a voicemail PIN is typed on a phone keypad",
                },
            ]);
            return true;
        });
    });
});
