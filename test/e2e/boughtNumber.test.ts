import { strict as assert } from "assert";
import * as fs from "fs";
import * as YAML from "yaml";
import { FakeFlowroute, fakeEdgeStrategies } from "../providers/support/fakeFlowroute";
import { PulumiProject } from "../../lab/pulumiCli";
import { SshServer, startSshServer } from "../../lab/sshServer";

// Loopback addresses of its own, apart from the other engine suite's server and the call tests.
const server = "127.0.0.21";
const sshPort = 2222;
const stack = "buy";

/** A freelancer with no number yet: one to buy in area code 206 at Flowroute, rung by the desk phone it is the caller ID of. */
function buyingStack(): Record<string, unknown> {
    return {
        config: {
            "deskphone:office": {
                name: "Buyer",
                country: "US",
                timezone: "America/Los_Angeles",
                voicemailFrom: "vm@buyer.example",
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
            // The API keys live in the stack: the access key here, the secret key set with --secret below.
            "deskphone:trunks": [
                {
                    name: "flowroute",
                    kind: "flowroute",
                    pop: "us-west-or",
                    techPrefix: "12345678",
                    accessKey: "12345678",
                },
            ],
            "deskphone:numbers": [{ name: "main", buy: { areaCode: "206" } }],
            "deskphone:phones": [{ name: "desk", extension: "100", callerId: "main" }],
            "deskphone:server": { bindAddress: server, existing: { host: server, port: sshPort } },
        },
    };
}

describe("a number bought by `pulumi up` with the real engine, against the fake Flowroute API and a server on this machine", function () {
    this.timeout(10 * 60_000);
    let flowroute: FakeFlowroute;
    let host: SshServer;
    let project: PulumiProject;
    let env: NodeJS.ProcessEnv;
    const purchases = () => flowroute.count("POST", /^\/v2\/numbers\/\d+$/);

    before(async () => {
        flowroute = await new FakeFlowroute().start();
        flowroute.offer(["13125550100", "12065550142", "12065550143"]);
        env = { DESKPHONE_FLOWROUTE_API_URL: flowroute.url, FLOWROUTE_ACCESS_KEY: "", FLOWROUTE_SECRET_KEY: "" };
        host = await startSshServer(server, sshPort);
        project = new PulumiProject("buy");
        await project.ok(["stack", "init", stack, "--secrets-provider", "passphrase"], undefined, env);
        fs.writeFileSync(
            project.stackFile(stack),
            YAML.stringify({ ...YAML.parse(fs.readFileSync(project.stackFile(stack), "utf8")), ...buyingStack() }),
        );
        await project.ok(
            [
                "config",
                "set",
                "--stack",
                stack,
                "--secret",
                "--path",
                "deskphone:server.existing.privateKey",
                "--",
                host.privateKey,
            ],
            undefined,
            env,
        );
        await project.ok(
            [
                "config",
                "set",
                "--stack",
                stack,
                "--secret",
                "--path",
                "deskphone:trunks[0].secretKey",
                "--",
                flowroute.secretKey,
            ],
            undefined,
            env,
        );
    });

    after(async () => {
        await host?.stop();
        project?.remove();
        await flowroute?.stop();
    });

    afterEach(function () {
        if (this.currentTest?.state !== "passed") return;
        assert.deepEqual(flowroute.violations, [], "requests Flowroute's API description rejects");
    });

    it("preview shows the number to buy and buys nothing; up buys one in 206 and Asterisk answers it for the desk phone", async () => {
        const preview = await project.ok(["preview", "--stack", stack, "--diff"], undefined, env);
        const step = (resource: string) =>
            preview.stdout.split(/\n(?=\s*[+~-] \S+: \()/).find((s) => s.includes(`::${resource}]`)) ?? "";
        assert.match(
            step("buy-main"),
            /\(create\)[\s\S]*areaCode\s*: "206"[\s\S]*mode\s*: "buy"/,
            "the number to buy is in the preview",
        );
        assert.match(step("buy-main"), /streetName\s*: "3rd Ave"/, "and the emergency address to register with it");
        assert.match(step("buy-config-extensions.conf"), /stdin\s*: \[unknown\]/, "the dialplan waits for the number");
        assert.match(step("buy-config-rtp.conf"), /stdin\s*: "/, "files without the number are shown");
        assert.equal(purchases(), 0, "a preview buys nothing");

        const up = await project.ok(["up", "--stack", stack, "--yes", "--skip-preview"], undefined, env);
        console.log(`      up (buy a number, install, configure): ${up.seconds.toFixed(1)} s`);
        const state = (await project.ok(["stack", "export", "--stack", stack], undefined, env)).stdout;
        for (const [where, text] of Object.entries({
            preview: preview.stdout + preview.stderr,
            up: up.stdout + up.stderr,
            state,
        })) {
            assert.ok(
                !text.includes(flowroute.secretKey),
                `the Flowroute secret key from the stack is in the ${where}`,
            );
        }
        assert.equal(purchases(), 1);
        const bought = flowroute.numbers.get("12065550142");
        assert.ok(bought, "a 206 number was bought");
        assert.equal(
            bought.alias,
            `deskphone:${stack}:Buyer:main`,
            "tagged, so a retry finds it instead of buying another",
        );
        assert.equal(flowroute.routeOf("12065550142")?.value, `${server}:5060`, "its calls go to the server");
        assert.equal(
            flowroute.routeOf("12065550142")?.edgeStrategy,
            String(fakeEdgeStrategies.find((e) => e.name === "US-West-OR")!.id),
            "from the trunk's PoP",
        );
        assert.equal(
            flowroute.e911s.get(bought.e911Id ?? "")?.street_name,
            "3rd Ave",
            "911 calls from it send responders to the office",
        );
        const numbers = JSON.parse(
            (await project.ok(["stack", "output", "numbers", "--json", "--stack", stack], undefined, env)).stdout,
        );
        assert.deepEqual(
            numbers.map((n: { name: string; e164: string }) => [n.name, n.e164]),
            [["main", "+12065550142"]],
        );

        // What the running Asterisk made of the files written with the bought number.
        assert.match(host.run("asterisk -rx 'dialplan show 12065550142@from-trunks'"), /Goto\(number-12065550142,/);
        assert.match(
            host.run("asterisk -rx 'dialplan show s@number-12065550142'"),
            /ring-then-voicemail,s,1\(PJSIP\/desk,20,12065550142,/,
            "it rings the desk phone 20 s, then the number's mailbox",
        );
        const desk = host.run("asterisk -rx 'pjsip show endpoint desk'");
        assert.match(desk, /^ callerid\s*: \+12065550142$/m, "the desk phone calls out as the bought number");
        assert.match(desk, /^ mailboxes\s*: 12065550142@/m, "and its mailbox is the number's");
        assert.match(host.run("asterisk -rx 'voicemail show users'"), /12065550142/);
    });

    it("a second up keeps the bought number and changes nothing", async () => {
        await project.ok(["up", "--stack", stack, "--yes", "--expect-no-changes"], undefined, env);
        assert.equal(purchases(), 1, "nothing bought twice");
    });

    it("pinning the bought number by its E.164, keeping its name, changes no number and no file", async () => {
        const file = YAML.parse(fs.readFileSync(project.stackFile(stack), "utf8"));
        file.config["deskphone:numbers"] = [{ name: "main", e164: "+12065550142" }];
        fs.writeFileSync(project.stackFile(stack), YAML.stringify(file));
        const preview = await project.ok(["preview", "--stack", stack, "--diff"], undefined, env);
        assert.match(
            preview.stdout,
            /~ pulumi-nodejs:dynamic\/deskphone:FlowrouteNumber: \(update\)/,
            "the number resource is updated in place",
        );
        assert.doesNotMatch(preview.stdout, /\((replace|delete|create-replacement)\)/);
        assert.doesNotMatch(preview.stdout, /command:remote:Command: \(update\)/, "no file changes");
        await project.ok(["up", "--stack", stack, "--yes", "--skip-preview"], undefined, env);
        assert.equal(purchases(), 1, "nothing bought");
        assert.equal(flowroute.routeOf("12065550142")?.value, `${server}:5060`, "still ringing the server");
    });

    it("destroy keeps the bought number on the account, parked so it stops ringing the server", async () => {
        await project.ok(["destroy", "--stack", stack, "--yes"], undefined, env);
        assert.ok(flowroute.numbers.has("12065550142"), "kept");
        assert.equal(
            flowroute.routeOf("12065550142")?.routeType,
            "sip-reg",
            "parked on the account's registration route",
        );
    });
});
