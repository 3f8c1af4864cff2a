import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { FlowrouteNumber, TwilioNumber, TwilioTrunk } from "../../components/providers";

/** The key @pulumi/pulumi marks a secret value with on the wire. */
const secretSignature = "4dabf18193072939515e22adb298388d";

interface Registered {
    type: string;
    name: string;
    inputs: Record<string, unknown>;
}

describe("number provider resources", () => {
    const registered: Registered[] = [];

    before(() => {
        pulumi.runtime.setMocks(
            {
                newResource: (args) => {
                    registered.push({ type: args.type, name: args.name, inputs: args.inputs });
                    const computed = args.type.endsWith(":TwilioTrunk") ? { trunkSid: "TK" + "1".repeat(32) } : {};
                    return { id: `${args.name}-id`, state: { ...args.inputs, ...computed } };
                },
                call: (args) => args.inputs,
            },
            "deskphone",
            "dev",
            false,
        );
    });

    it("register as deskphone dynamic resources with their serialized provider, the stack, the trunk's SID and a secret password", async () => {
        const trunk = new TwilioTrunk("office-trunk", {
            office: "Acme",
            serverAddress: "203.0.113.7",
            username: "acme",
            password: "Correct-Horse-9-battery",
        });
        const number = new TwilioNumber("main", {
            office: "Acme",
            mode: "buy",
            areaCode: "323",
            trunkSid: trunk.trunkSid,
        });
        const fax = new FlowrouteNumber("fax", {
            office: "Acme",
            mode: "adopt",
            e164: "+12065550100",
            serverAddress: "203.0.113.7",
        });
        await Promise.all([trunk, number, fax].map((r) => new Promise((resolve) => r.id.apply(resolve))));
        registered.sort((a, b) => a.name.localeCompare(b.name));
        assert.deepEqual(
            registered.map((r) => [r.type, r.name]),
            [
                ["pulumi-nodejs:dynamic/deskphone:FlowrouteNumber", "fax"],
                ["pulumi-nodejs:dynamic/deskphone:TwilioNumber", "main"],
                ["pulumi-nodejs:dynamic/deskphone:TwilioTrunk", "office-trunk"],
            ],
        );
        for (const r of registered) {
            assert.equal(r.inputs.stack, "dev");
            assert.match(String(r.inputs.__provider), /^exports\.handler = /);
        }
        assert.equal(registered[1].inputs.name, "main", "a number's name defaults to its resource name");
        assert.equal(registered[1].inputs.trunkSid, "TK" + "1".repeat(32), "the number follows the trunk");
        // The SIP password travels as a Pulumi secret (the engine's secret signature wraps it).
        assert.deepEqual(
            Object.keys(registered[2].inputs.password as object).sort(),
            [secretSignature, "value"].sort(),
        );
    });
});
