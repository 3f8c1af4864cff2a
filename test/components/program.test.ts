import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { deskphoneProgram } from "../../components";
import { MockEngine, settled } from "../support/pulumiMocks";
import { readStackFile } from "../../components";
import { examplePassphrase, stacksDir } from "../../lab/stacks";
import * as path from "path";

/** Sets the stack config the way the engine hands it over: one JSON value per key, secret keys listed. */
function setStackConfig(stack: string, edit: (raw: Record<string, any>) => void = () => undefined): void {
    const { raw } = readStackFile(path.join(stacksDir, `Pulumi.${stack}.yaml`), examplePassphrase);
    edit(raw);
    const config = Object.fromEntries(Object.entries(raw).map(([k, v]) => [`deskphone:${k}`, JSON.stringify(v)]));
    pulumi.runtime.setAllConfig(config, ["deskphone:trunks", "deskphone:mail"]);
}

describe("the Pulumi program", () => {
    afterEach(() => pulumi.runtime.setAllConfig({}, []));

    it("declares one PhoneSystem for a valid stack and exports its outputs", async () => {
        const engine = new MockEngine();
        await engine.install();
        setStackConfig("freelancer");
        const outputs = deskphoneProgram(engine.recordChildren("test"));
        assert.equal(await settled(outputs.publicAddress), "203.0.113.7");
        assert.ok(engine.declared.length > 10);
    });

    it("an office with an SPA3102 exports its profile and sheet, and the copies with passwords as secrets", async () => {
        const engine = new MockEngine();
        await engine.install();
        setStackConfig("montevideo");
        const outputs = deskphoneProgram(engine.recordChildren("test")) as unknown as Record<
            string,
            pulumi.Output<string>
        >;
        const profile = await settled(outputs.spa3102Profile);
        assert.match(profile, /<flat-profile>/);
        assert.match(profile, /<Proxy_1_ ua="na">203\.0\.113\.7/);
        assert.match(await settled(outputs.spa3102Sheet), /Disconnect/);
        assert.ok(await pulumi.isSecret(outputs.spa3102ProfileWithSecrets));
    });

    it("a bad stack stops with every validation error, naming each setting, and declares nothing", async () => {
        const engine = new MockEngine();
        await engine.install();
        setStackConfig("freelancer", (raw) => {
            raw.numbers[0].e164 = "+1555";
            raw.phones[0].extenson = "100";
        });
        assert.throws(
            () => deskphoneProgram(engine.recordChildren("test")),
            (error: Error) => {
                assert.ok(error instanceof pulumi.RunError);
                assert.match(error.message, /deskphone:numbers\[0\]\.e164: "\+1555" is not an E\.164 number/);
                assert.match(
                    error.message,
                    /deskphone:phones\[0\]\.extenson: unknown setting "extenson" \(did you mean "extension"\?\)/,
                );
                return true;
            },
        );
        assert.deepEqual(engine.declared, []);
    });

    it("a secret in a key the engine does not mark secret was written in plain text", async () => {
        const engine = new MockEngine();
        await engine.install();
        const { raw } = readStackFile(path.join(stacksDir, "Pulumi.freelancer.yaml"), examplePassphrase);
        pulumi.runtime.setAllConfig(
            Object.fromEntries(Object.entries(raw).map(([k, v]) => [`deskphone:${k}`, JSON.stringify(v)])),
            ["deskphone:mail"],
        );
        assert.throws(
            () => deskphoneProgram(),
            /deskphone:trunks\[0\]\.secret: is a secret but is stored in plain text/,
        );
        assert.deepEqual(engine.declared, []);
    });
});
