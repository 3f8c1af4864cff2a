import { strict as assert } from "assert";
import { FakeFlowroute } from "../providers/support/fakeFlowroute";
import { FakeTwilio } from "../providers/support/fakeTwilio";
import { PulumiProject } from "../../lab/pulumiCli";

describe("the number providers inside the real Pulumi engine, against the fake Twilio and Flowroute APIs", function () {
    this.timeout(5 * 60_000);
    let twilio: FakeTwilio;
    let flowroute: FakeFlowroute;
    let project: PulumiProject;
    let env: NodeJS.ProcessEnv;

    before(async () => {
        twilio = await new FakeTwilio().start();
        flowroute = await new FakeFlowroute().start();
        twilio.offer("US", "Local", ["+13235550111", "+13235550112", "+13235550113", "+13235550114"]);
        flowroute.offer(["12065550100", "12065550101", "12065550102", "12065550103"]);
        env = {
            DESKPHONE_TWILIO_API_URL: twilio.url,
            DESKPHONE_FLOWROUTE_API_URL: flowroute.url,
            TWILIO_ACCOUNT_SID: twilio.accountSid,
            TWILIO_AUTH_TOKEN: twilio.authToken,
            FLOWROUTE_ACCESS_KEY: flowroute.accessKey,
            FLOWROUTE_SECRET_KEY: flowroute.secretKey,
        };
        project = new PulumiProject("numbers", "test/e2e/numbersProgram.ts");
    });

    after(async () => {
        project?.remove();
        await twilio?.stop();
        await flowroute?.stop();
    });

    afterEach(function () {
        if (this.currentTest?.state !== "passed") return;
        assert.deepEqual(
            [...twilio.violations, ...flowroute.violations],
            [],
            "requests the providers' API descriptions reject",
        );
    });

    async function stackUp(stack: string, release: boolean, settings: Record<string, string> = {}): Promise<void> {
        await project.ok(["stack", "init", stack, "--secrets-provider", "passphrase"], undefined, env);
        await project.ok(["config", "set", "--stack", stack, "e2e:serverAddress", "203.0.113.7"], undefined, env);
        await project.ok(["config", "set", "--stack", stack, "e2e:release", String(release)], undefined, env);
        for (const [key, value] of Object.entries(settings))
            await project.ok(["config", "set", "--stack", stack, `e2e:${key}`, value], undefined, env);
        await up(stack);
    }

    async function up(stack: string): Promise<void> {
        const result = await project.ok(["up", "--stack", stack, "--yes", "--skip-preview"], undefined, env);
        console.log(`      up (${stack}): ${result.seconds.toFixed(1)} s`);
    }

    const trunksOf = (stack: string) =>
        [...twilio.trunks.values()].filter((t) => t.friendlyName.startsWith(`deskphone:${stack}:`));

    it("4. buys, points and attaches; refresh sees console drift; destroy keeps the numbers, detached", async () => {
        await stackUp("keep", false);
        const outputs = JSON.parse(
            (await project.ok(["stack", "output", "--json", "--stack", "keep"], undefined, env)).stdout,
        );
        assert.equal(outputs.twilio, "+13235550111");
        assert.equal(outputs.flowroute, "+12065550100");
        assert.equal(flowroute.routeOf("12065550100")?.value, "203.0.113.7:5060");
        const bought = [...twilio.numbers.values()].find((n) => n.phoneNumber === "+13235550111")!;
        assert.ok(bought.trunkSid, "the Twilio number is attached to the trunk");

        // Someone points the Flowroute number elsewhere in the console; refresh records it, up puts it back.
        flowroute.numbers.get("12065550100")!.primaryRouteId = "1";
        const refresh = await project.ok(["refresh", "--stack", "keep", "--yes"], undefined, env);
        assert.match(refresh.stdout, /office-flowroute[\s\S]*update|~ .*office-flowroute/);
        await project.ok(["up", "--stack", "keep", "--yes", "--skip-preview"], undefined, env);
        assert.equal(flowroute.routeOf("12065550100")?.value, "203.0.113.7:5060");

        const purchases = flowroute.count("POST", /^\/v2\/numbers\/\d+$/);
        await project.ok(["destroy", "--stack", "keep", "--yes"], undefined, env);
        assert.ok(flowroute.numbers.has("12065550100"), "the Flowroute number is kept");
        assert.equal(flowroute.routeOf("12065550100")?.routeType, "sip-reg", "and no longer rings the deleted server");
        assert.ok(twilio.numbers.has(bought.sid), "the Twilio number is kept");
        assert.equal(twilio.numbers.get(bought.sid)!.trunkSid, null, "and detached from the trunk");
        assert.equal(flowroute.count("POST", /^\/v2\/numbers\/\d+$/), purchases, "nothing bought twice");
    });

    it("1. a renamed trunk keeps its Twilio trunk, as an alias or without one, and a second trunk of the office stays a second trunk", async () => {
        await stackUp("rename", true, { trunkName: "twilio", backupTrunk: "true" });
        assert.deepEqual(
            trunksOf("rename")
                .map((t) => t.friendlyName)
                .sort(),
            ["deskphone:rename:E2E:backup", "deskphone:rename:E2E:twilio"],
        );
        const trunk = trunksOf("rename").find((t) => t.friendlyName.endsWith(":twilio"))!;
        const attached = () =>
            [...twilio.numbers.values()].filter((n) => n.trunkSid === trunk.sid).map((n) => n.phoneNumber);
        const [number] = attached();
        assert.ok(number, "the bought number is on the trunk");
        const trunkDeletes = twilio.count("DELETE", /^\/v1\/Trunks\/TK[0-9a-f]+$/);

        // Renamed with renamedFrom (an alias): the same resource, updated in place.
        await project.ok(["config", "set", "--stack", "rename", "e2e:trunkName", "main"], undefined, env);
        await project.ok(["config", "set", "--stack", "rename", "e2e:renamedFrom", "twilio"], undefined, env);
        const preview = await project.ok(["preview", "--stack", "rename", "--diff"], undefined, env);
        assert.doesNotMatch(preview.stdout, /\((create|delete|replace)\)/, "no trunk made or deleted");
        await up("rename");
        assert.equal(twilio.trunks.get(trunk.sid)?.friendlyName, "deskphone:rename:E2E:main");

        // Renamed without an alias: the new name takes the trunk over; the old one deletes only its own pieces.
        await project.ok(["config", "set", "--stack", "rename", "e2e:trunkName", "front"], undefined, env);
        await project.ok(["config", "rm", "--stack", "rename", "e2e:renamedFrom"], undefined, env);
        await up("rename");
        assert.equal(
            twilio.trunks.get(trunk.sid)?.friendlyName,
            "deskphone:rename:E2E:front",
            "the same Twilio trunk, renamed",
        );
        assert.equal(trunksOf("rename").length, 2);
        assert.deepEqual(attached(), [number], "its number still on it");
        assert.deepEqual(
            [...twilio.originationUrls.values()].filter((u) => u.trunkSid === trunk.sid).map((u) => u.sipUrl),
            ["sip:203.0.113.7"],
            "one way in for calls",
        );
        assert.equal(twilio.trunks.get(trunk.sid)!.credentialLists.size, 1, "one credential list");
        assert.equal(twilio.count("DELETE", /^\/v1\/Trunks\/TK[0-9a-f]+$/), trunkDeletes, "no trunk deleted");
        await project.ok(["up", "--stack", "rename", "--yes", "--expect-no-changes"], undefined, env);

        await project.ok(["destroy", "--stack", "rename", "--yes"], undefined, env);
        assert.equal(trunksOf("rename").length, 0, "destroy deletes both trunks");
    });

    it("4, 7. with releaseOnDelete, destroy gives the numbers back, a Twilio number with an emergency address too", async () => {
        await stackUp("release", true);
        const outputs = JSON.parse(
            (await project.ok(["stack", "output", "--json", "--stack", "release"], undefined, env)).stdout,
        );
        const number = [...twilio.numbers.values()].find((n) => n.phoneNumber === outputs.twilio)!;
        const sid = number.sid;
        // Registered in the Twilio console: Twilio releases the number only once it is taken off.
        number.emergencyAddressSid = "AD" + "c3".repeat(16);
        await project.ok(["destroy", "--stack", "release", "--yes"], undefined, env);
        assert.ok(!flowroute.numbers.has(outputs.flowroute.slice(1)), "the Flowroute number is released");
        assert.ok(!twilio.numbers.has(sid), "the Twilio number is released");
    });

    it("2, 3. a purchase that went through only after the lookup is adopted, not bought twice; destroy and up find both numbers again by their tags", async () => {
        const bought = () => [
            twilio.count("POST", /\/IncomingPhoneNumbers\.json$/),
            flowroute.count("POST", /^\/v2\/numbers\/\d+$/),
        ];
        const [twilioBefore, flowrouteBefore] = bought();
        twilio.inject({ method: "POST", path: /\/IncomingPhoneNumbers\.json$/, fault: "hang-late" });
        flowroute.inject({ method: "POST", path: /^\/v2\/numbers\/\d+$/, fault: "hang-late" });
        await stackUp("late", false);
        const outputs = JSON.parse(
            (await project.ok(["stack", "output", "--json", "--stack", "late"], undefined, env)).stdout,
        );
        const ofStack = () => ({
            twilio: [...twilio.numbers.values()]
                .filter((n) => n.friendlyName === "deskphone:late:E2E:main")
                .map((n) => n.phoneNumber),
            flowroute: [...flowroute.numbers.values()]
                .filter((n) => n.alias === "deskphone:late:E2E:main")
                .map((n) => `+${n.id}`),
        });
        assert.deepEqual(
            ofStack(),
            { twilio: [outputs.twilio], flowroute: [outputs.flowroute] },
            "one number each, tagged",
        );
        assert.deepEqual(
            bought(),
            [twilioBefore + 2, flowrouteBefore + 2],
            "the lost purchase and its refused retry, nothing more",
        );
        const twilioHeld = twilio.numbers.size;
        const flowrouteHeld = flowroute.numbers.size;

        await project.ok(["destroy", "--stack", "late", "--yes"], undefined, env);
        await up("late");
        const again = JSON.parse(
            (await project.ok(["stack", "output", "--json", "--stack", "late"], undefined, env)).stdout,
        );
        assert.deepEqual(
            [again.twilio, again.flowroute],
            [outputs.twilio, outputs.flowroute],
            "the kept numbers come back",
        );
        assert.deepEqual(bought(), [twilioBefore + 2, flowrouteBefore + 2], "nothing bought again");
        assert.deepEqual([twilio.numbers.size, flowroute.numbers.size], [twilioHeld, flowrouteHeld]);
        await project.ok(["destroy", "--stack", "late", "--yes"], undefined, env);
    });
});
