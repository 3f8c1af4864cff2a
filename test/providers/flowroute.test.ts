import { strict as assert } from "assert";
import { flowrouteNumberProvider } from "../../components/providers";
import {
    checkFlowrouteNumberInputs,
    diffFlowrouteNumber,
    FlowrouteNumberOutputs,
} from "../../components/providers/flowrouteNumber";
import { EngineResource, serializedProvider } from "./support/engine";
import { FakeFlowroute } from "./support/fakeFlowroute";

/** Short waits, so that retries and timeouts cost milliseconds. */
const fast = { baseDelayMs: 2, maxDelayMs: 10, timeoutMs: 300 };
const purchase = /^\/v2\/numbers\/\d+$/;
const e911 = {
    firstName: "Ada",
    lastName: "Lovelace",
    streetNumber: "1218",
    streetName: "3rd Ave",
    city: "Seattle",
    state: "WA",
    zip: "98101",
    country: "US",
};

describe("Flowroute numbers", function () {
    this.timeout(20000);
    let provider: typeof flowrouteNumberProvider;
    let fake: FakeFlowroute;

    before(async () => {
        // As the engine runs it: serialized, then evaluated from text.
        provider = (await serializedProvider(flowrouteNumberProvider)).provider;
    });

    beforeEach(async () => {
        fake = await new FakeFlowroute().start();
        fake.offer(["12065550100", "12065550101", "14255550142"]);
    });

    afterEach(async function () {
        await fake.stop();
        if (this.currentTest?.state === "passed") {
            assert.deepEqual(fake.violations, [], "requests Flowroute's API description rejects");
            assert.deepEqual(
                [...new Set(fake.undeclared)],
                [],
                "parameters Flowroute's API description does not declare",
            );
        }
    });

    const args = (over: Record<string, unknown> = {}) => ({
        office: "Acme",
        stack: "dev",
        name: "main",
        mode: "buy",
        areaCode: "206",
        serverAddress: "203.0.113.7",
        credentials: { accessKey: fake.accessKey, secretKey: fake.secretKey },
        apiUrl: fake.url,
        retry: fast,
        ...over,
    });

    const routesOf = () =>
        [...fake.routes.values()]
            .filter((r) => r.routeType !== "sip-reg")
            .map((r) => [r.routeType, r.value, r.alias, r.edgeStrategy]);

    it("a bought number follows the server, is put back after console drift, and a destroy parks it and keeps it", async () => {
        const number = new EngineResource(provider);
        assert.equal(
            await number.up(args({ e911, failoverRoute: { type: "number", value: "12065550199" } })),
            "create",
        );
        const bought = fake.numbers.get("12065550100")!;
        assert.equal(number.id, "12065550100");
        assert.equal(bought.alias, "deskphone:dev:Acme:main");
        assert.deepEqual(fake.routeOf(bought.id), {
            id: bought.primaryRouteId,
            routeType: "host",
            value: "203.0.113.7:5060",
            alias: "deskphone:dev:Acme:host:203.0.113.7:5060",
        });
        assert.deepEqual(fake.routes.get(bought.failoverRouteId!)!.value, "12065550199");
        assert.deepEqual(fake.e911s.get(bought.e911Id!), {
            label: "deskphone:dev:Acme:main",
            first_name: "Ada",
            last_name: "Lovelace",
            street_name: "3rd Ave",
            street_number: "1218",
            city: "Seattle",
            state: "WA",
            country: "USA",
            zip: "98101",
        });
        assert.equal(fake.count("POST", /^\/v2\/e911s\/validate$/), 1, "the address is validated before it is created");

        const current = args({ e911, failoverRoute: { type: "number", value: "12065550199" } });
        assert.equal(await number.up(current), "same");

        // The server moves: a route to the new address becomes the primary route; nothing is bought.
        const moved = { ...current, serverAddress: "198.51.100.20" };
        assert.equal(await number.up(moved), "update");
        assert.equal(fake.routeOf(bought.id)!.value, "198.51.100.20:5060");
        assert.equal(await number.up(moved), "same");

        // Someone points the number elsewhere in the console: refresh sees it, up puts it back.
        bought.primaryRouteId = "1";
        await number.refresh();
        assert.equal(number.outputs!.primaryRoute, "sip-reg:");
        assert.equal(await number.up(moved), "update");
        assert.equal(fake.routeOf(bought.id)!.value, "198.51.100.20:5060");

        // Destroy keeps the number, parked on the registration route, with its alias and E911 address.
        await number.destroy();
        assert.equal(fake.numbers.get(bought.id)!.primaryRouteId, "1");
        assert.equal(fake.numbers.get(bought.id)!.alias, "deskphone:dev:Acme:main");
        assert.equal(fake.count("POST", purchase), 1);
        assert.equal(fake.count("DELETE", purchase), 0);
    });

    it("a kept number comes back to the same stack without a second purchase, and is released only when asked", async () => {
        const number = new EngineResource(provider);
        await number.up(args({ e911 }));
        await number.destroy();
        const again = new EngineResource(provider);
        assert.equal(await again.up(args({ e911 })), "create");
        assert.equal(again.id, "12065550100");
        assert.equal(fake.routeOf("12065550100")!.value, "203.0.113.7:5060");
        assert.equal(fake.count("POST", purchase), 1);

        assert.equal(await again.up(args({ e911, releaseOnDelete: true })), "update");
        await again.destroy();
        assert.equal(fake.numbers.has("12065550100"), false);
        assert.deepEqual(routesOf(), [], "and the route deskphone made for it");
        assert.equal(fake.e911s.size, 0, "its E911 record went with it");
    });

    it("a bought number given a new name gets the new alias in an update, keeping its route, not bought again", async () => {
        const number = new EngineResource(provider);
        await number.up(args({ e911 }));
        const bought = fake.numbers.get("12065550100")!;
        const route = bought.primaryRouteId;
        assert.equal(await number.up(args({ e911, name: "reception" })), "update");
        assert.equal(number.id, "12065550100");
        assert.equal(bought.alias, "deskphone:dev:Acme:reception");
        assert.equal(bought.primaryRouteId, route);
        assert.equal(fake.e911s.get(bought.e911Id!)!.label, "deskphone:dev:Acme:reception");
        assert.equal(fake.e911s.size, 1, "one emergency address record, not one per name");
        assert.equal(fake.count("POST", purchase), 1);
    });

    it("routes deskphone creates carry the edge strategy of the trunk's PoP and an alias of their own each", async () => {
        const number = new EngineResource(provider);
        await number.up(args({ pop: "us-west-or", failoverRoute: { type: "number", value: "12065550199" } }));
        assert.deepEqual(routesOf(), [
            ["host", "203.0.113.7:5060", "deskphone:dev:Acme:host:203.0.113.7:5060", "5"],
            ["number", "12065550199", "deskphone:dev:Acme:number:12065550199", "5"],
        ]);
        assert.equal(
            fake.count("GET", /^\/v2\/routes\/edge_strategies$/) > 0,
            true,
            "the id is looked up, not guessed",
        );
    });

    it("a route the account already has is used, not created again (Flowroute refuses a second with 403)", async () => {
        fake.routes.set("50", { id: "50", routeType: "host", value: "203.0.113.7:5060", alias: "pbx made by hand" });
        const number = new EngineResource(provider);
        assert.equal(await number.up(args({ pop: "us-east-va" })), "create");
        assert.equal(fake.numbers.get("12065550100")!.primaryRouteId, "50");
        assert.equal(fake.count("POST", /^\/v2\/routes$/), 0);
        await number.destroy();
        assert.ok(fake.routes.has("50"), "a route deskphone did not make stays on destroy");
    });

    it("two numbers share the office's route; after a server move the old route goes once no number uses it, and destroy removes the last", async () => {
        const main = new EngineResource(provider);
        const fax = new EngineResource(provider);
        await main.up(args());
        await fax.up(args({ name: "fax" }));
        assert.equal(
            fake.numbers.get(main.id!)!.primaryRouteId,
            fake.numbers.get(fax.id!)!.primaryRouteId,
            "one route, reused",
        );
        const moved = { serverAddress: "198.51.100.20" };
        await main.up(args(moved));
        assert.deepEqual(
            routesOf().map(([, value]) => value),
            ["203.0.113.7:5060", "198.51.100.20:5060"],
            "the old route still rings the fax number",
        );
        await fax.up(args({ name: "fax", ...moved }));
        assert.deepEqual(
            routesOf().map(([, value]) => value),
            ["198.51.100.20:5060"],
            "the old route is gone once no number uses it",
        );
        await main.destroy();
        assert.deepEqual(
            routesOf().map(([, value]) => value),
            ["198.51.100.20:5060"],
            "still in use by the fax number",
        );
        await fax.destroy();
        assert.deepEqual(routesOf(), [], "destroy leaves no route deskphone made");
    });

    it("a 403 on a new route says which route Flowroute refused and what to do, not to check permissions", async () => {
        fake.routes.set("60", {
            id: "60",
            routeType: "host",
            value: "198.51.100.1:5060",
            alias: "deskphone:dev:Acme:host:203.0.113.7:5060",
        });
        const number = new EngineResource(provider);
        await assert.rejects(number.up(args()), (error: Error) => {
            assert.match(error.message, /HTTP 403/);
            assert.match(
                error.message,
                /route "deskphone:dev:Acme:host:203\.0\.113\.7:5060" must be taken: rename or remove it in the Flowroute console/,
            );
            assert.doesNotMatch(error.message, /permissions/);
            return true;
        });
    });

    it("a PoP Flowroute lists no edge strategy for ends with the ones it lists, naming the setting", async () => {
        const number = new EngineResource(provider);
        await assert.rejects(
            number.up(args({ pop: "eu-west-ie" })),
            /no edge strategy for the PoP "eu-west-ie" \(it lists: US-East-VA, US-West-OR\): set the trunk's pop in deskphone:trunks/,
        );
    });

    it("adopts a number already on the account and never releases it", async () => {
        fake.own("14255550142", "front desk");
        const number = new EngineResource(provider);
        assert.equal(await number.up(args({ mode: "adopt", areaCode: undefined, e164: "+1 425 555 0142" })), "create");
        assert.equal(number.outputs!.purchased, false);
        assert.equal(fake.numbers.get("14255550142")!.alias, "front desk", "an adopted number keeps its alias");
        assert.equal(fake.routeOf("14255550142")!.value, "203.0.113.7:5060");
        await number.destroy();
        assert.equal(fake.numbers.has("14255550142"), true);
        assert.equal(fake.count("POST", purchase), 0);
    });

    it("removing the emergency address takes it off the number and deletes the record deskphone made", async () => {
        const number = new EngineResource(provider);
        await number.up(args({ e911 }));
        assert.equal(fake.e911s.size, 1);
        assert.equal(await number.up(args()), "update");
        assert.equal(fake.numbers.get(number.id!)!.e911Id, null);
        assert.equal(fake.e911s.size, 0);
    });

    it("an adopted number's calls go back to the routes it had before deskphone on destroy, and deskphone's route goes", async () => {
        fake.routes.set("70", { id: "70", routeType: "uri", value: "sip:desk@old-pbx.example", alias: "old pbx" });
        fake.routes.set("71", { id: "71", routeType: "number", value: "12065550111", alias: "old cell" });
        const owned = fake.own("14255550142", "front desk");
        owned.primaryRouteId = "70";
        owned.failoverRouteId = "71";
        const number = new EngineResource(provider);
        await number.up(
            args({
                mode: "adopt",
                areaCode: undefined,
                e164: "+14255550142",
                failoverRoute: { type: "number", value: "12065550199" },
            }),
        );
        assert.deepEqual(
            [fake.routeOf("14255550142")!.value, fake.routes.get(owned.failoverRouteId!)!.value],
            ["203.0.113.7:5060", "12065550199"],
        );
        await number.destroy();
        assert.deepEqual(
            [owned.primaryRouteId, owned.failoverRouteId],
            ["70", "71"],
            "back where its calls went before",
        );
        assert.deepEqual(
            routesOf().map(([, value]) => value),
            ["sip:desk@old-pbx.example", "12065550111"],
            "the routes deskphone made are gone",
        );
    });

    it("an emergency address registered in the Flowroute console stays when the stack registers none", async () => {
        const owned = fake.own("14255550142", "front desk");
        fake.e911s.set("77", {
            label: "front desk",
            first_name: "Ada",
            last_name: "Lovelace",
            street_name: "3rd Ave",
            street_number: "1218",
            city: "Seattle",
            state: "WA",
            country: "USA",
            zip: "98101",
        });
        owned.e911Id = "77";
        const number = new EngineResource(provider);
        const adopt = args({ mode: "adopt", areaCode: undefined, e164: "+14255550142" });
        assert.equal(await number.up(adopt), "create");
        assert.equal(number.outputs!.e911Id, "77", "the number's address is in the outputs");
        await number.refresh();
        assert.equal(await number.up(adopt), "same", "no change: deskphone does not manage this address");
        await number.destroy();
        assert.equal(fake.numbers.get("14255550142")!.e911Id, "77");
        assert.equal(fake.e911s.has("77"), true);
    });

    it("an address Flowroute cannot validate ends with its reason and where to fix it, and the bought number is kept in the state", async () => {
        const number = new EngineResource(provider);
        await assert.rejects(number.up(args({ e911: { ...e911, streetName: "Nowhere Rd" } })), (error: Error) => {
            assert.match(
                error.message,
                /Flowroute could not validate the E911 address .*: Address could not be validated: check the street and ZIP code \(HTTP 422\)/,
            );
            assert.match(error.message, /deskphone:numbers\[\]\.e911/);
            return true;
        });
        assert.equal(number.id, "12065550100");
        assert.equal(await number.up(args({ e911 })), "update");
        assert.equal(fake.count("POST", purchase), 1);
    });

    it("a purchase whose answer never came is found on the account and adopted, not bought again", async () => {
        fake.inject({ method: "POST", path: purchase, fault: "hang-after" });
        const number = new EngineResource(provider);
        assert.equal(await number.up(args()), "create");
        assert.equal(fake.count("POST", purchase), 1);
        assert.deepEqual([...fake.numbers.keys()], ["12065550100"]);
        assert.equal(fake.numbers.get("12065550100")!.alias, "deskphone:dev:Acme:main");
    });

    it("a purchase that went through only after deskphone looked for it is adopted when the retry is refused, not a second number bought", async () => {
        fake.inject({ method: "POST", path: purchase, fault: "hang-late" });
        const number = new EngineResource(provider);
        assert.equal(await number.up(args()), "create");
        assert.equal(fake.count("POST", purchase), 2, "the lost purchase and its refused retry");
        assert.deepEqual(
            [...fake.numbers.values()].map((n) => [n.id, n.alias]),
            [["12065550100", "deskphone:dev:Acme:main"]],
        );
        assert.equal(fake.routeOf("12065550100")!.value, "203.0.113.7:5060");
    });

    it("a purchase answered with 500 after it happened is adopted, not bought again", async () => {
        fake.inject({ method: "POST", path: purchase, fault: "500-after" });
        const number = new EngineResource(provider);
        assert.equal(await number.up(args()), "create");
        assert.equal(fake.count("POST", purchase), 1);
        assert.deepEqual([...fake.numbers.keys()], ["12065550100"]);
    });

    it("429 answers are retried with backoff until Flowroute answers", async () => {
        fake.inject({ method: "GET", path: /^\/v2\/numbers\/available$/, fault: "429", times: 3 });
        const number = new EngineResource(provider);
        assert.equal(await number.up(args()), "create");
        assert.equal(fake.count("GET", /^\/v2\/numbers\/available$/), 4);
    });

    it("a rejected secret key ends with Flowroute's message and what to set, never the key", async () => {
        const badSecret = "not-the-secret-0f8e7d6c5b4a";
        const number = new EngineResource(provider);
        await assert.rejects(
            number.up(args({ credentials: { accessKey: fake.accessKey, secretKey: badSecret } })),
            (error: Error) => {
                assert.match(
                    error.message,
                    /^Flowroute could not list the account's numbers: Authentication failed: check your API credentials \(HTTP 401\)/,
                );
                assert.match(error.message, /FLOWROUTE_ACCESS_KEY and FLOWROUTE_SECRET_KEY/);
                const everything = `${error.message}\n${error.stack}\n${JSON.stringify(error)}`;
                assert.ok(!everything.includes(badSecret));
                assert.ok(!everything.includes(Buffer.from(`${fake.accessKey}:${badSecret}`).toString("base64")));
                return true;
            },
        );
        assert.equal(fake.requests.length, 1, "401 is not retried");
    });

    it("takes credentials and the API URL from the environment", async () => {
        const saved = { ...process.env };
        Object.assign(process.env, {
            FLOWROUTE_ACCESS_KEY: fake.accessKey,
            FLOWROUTE_SECRET_KEY: fake.secretKey,
            DESKPHONE_FLOWROUTE_API_URL: fake.url,
        });
        try {
            const number = new EngineResource(provider);
            assert.equal(await number.up(args({ credentials: undefined, apiUrl: undefined })), "create");
            assert.ok(
                !JSON.stringify(number.outputs).includes(fake.secretKey),
                "no secret from the environment in the state",
            );
        } finally {
            for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
            Object.assign(process.env, saved);
        }
    });
});

describe("Flowroute diff and check", () => {
    const inputs = checkFlowrouteNumberInputs({
        office: "Acme",
        stack: "dev",
        name: "main",
        mode: "buy",
        areaCode: "206",
        serverAddress: "203.0.113.7",
    }).inputs;
    const state: FlowrouteNumberOutputs = {
        ...inputs,
        numberId: "12065550100",
        phoneNumber: "+12065550100",
        purchased: true,
        alias: inputs.tag,
        primaryRouteId: "100",
        primaryRoute: "203.0.113.7:5060",
        failoverRouteId: "",
        failoverRouteValue: "",
        e911Id: "",
        e911Address: null,
        formerPrimaryRouteId: "",
        formerFailoverRouteId: "",
    };

    it("the same number written differently is no change", () => {
        const news = checkFlowrouteNumberInputs({
            ...inputs,
            serverAddress: "203.0.113.7 ",
            sipPort: 5060,
            apiUrl: "http://elsewhere",
            retry: { attempts: 2 },
        }).inputs;
        assert.deepEqual(diffFlowrouteNumber(state, news), {
            changes: false,
            replaces: [],
            deleteBeforeReplace: false,
        });
    });

    it("the server moving changes the route in place; only another number replaces", () => {
        assert.deepEqual(diffFlowrouteNumber(state, { ...inputs, serverAddress: "198.51.100.1" }), {
            changes: true,
            replaces: [],
            deleteBeforeReplace: false,
        });
        assert.deepEqual(diffFlowrouteNumber(state, { ...inputs, sipPort: 5080 }).replaces, []);
        assert.deepEqual(diffFlowrouteNumber(state, { ...inputs, areaCode: "425" }), {
            changes: true,
            replaces: ["areaCode"],
            deleteBeforeReplace: true,
        });
        assert.deepEqual(
            diffFlowrouteNumber(state, { ...inputs, mode: "adopt", areaCode: "", e164: "+12065550100" }).replaces,
            [],
        );
    });

    it("rotated API keys are an update in place; another account replaces", () => {
        const withKeys = { ...state, credentials: { accessKey: "12345678", secretKey: "old-secret" } };
        assert.deepEqual(
            diffFlowrouteNumber(withKeys, {
                ...inputs,
                credentials: { accessKey: "12345678", secretKey: "new-secret" },
            }),
            { changes: true, replaces: [], deleteBeforeReplace: false },
        );
        assert.deepEqual(
            diffFlowrouteNumber(withKeys, {
                ...inputs,
                credentials: { accessKey: "87654321", secretKey: "new-secret" },
            }).replaces,
            ["credentials"],
        );
    });

    it("check names what to fix", () => {
        const { failures } = checkFlowrouteNumberInputs({
            office: "Acme",
            stack: "dev",
            name: "main",
            mode: "buy",
            country: "MX",
            contains: "CAFE",
            serverAddress: "203.0.113.7",
            e911: { ...e911, state: "Washington" } as never,
        });
        assert.deepEqual(
            failures.map((f) => f.property),
            ["country", "contains", "e911"],
        );
        assert.match(failures[2].reason, /e911\.state/);
    });
});
