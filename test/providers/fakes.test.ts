import { strict as assert } from "assert";
import { FakeFlowroute } from "./support/fakeFlowroute";
import { FakeTwilio } from "./support/fakeTwilio";

/**
 * The fakes are only as good as their refusals: each request below breaks the published API
 * description in one way, and the fake must refuse it (and count it as a violation), while the
 * same request written correctly is served.
 */
describe("the fake providers check requests against the API descriptions", function () {
    this.timeout(10000);

    describe("Twilio", () => {
        let fake: FakeTwilio;
        beforeEach(async () => (fake = await new FakeTwilio().start()));
        afterEach(async () => fake.stop());

        const send = (
            method: string,
            path: string,
            form?: Record<string, string>,
            host = "api.twilio.com",
            auth = `${fake.accountSid}:${fake.authToken}`,
        ) =>
            fetch(fake.url + path, {
                method,
                headers: {
                    authorization: "Basic " + Buffer.from(auth).toString("base64"),
                    "x-forwarded-host": host,
                    ...(form ? { "content-type": "application/x-www-form-urlencoded" } : {}),
                },
                body: form ? new URLSearchParams(form).toString() : undefined,
            });
        const trunk = async () => {
            const answer = await send("POST", "/v1/Trunks", { FriendlyName: "t" }, "trunking.twilio.com");
            return ((await answer.json()) as { sid: string }).sid;
        };

        it("serves a request written as the description says", async () => {
            const sid = await trunk();
            const answer = await send(
                "POST",
                `/v1/Trunks/${sid}/OriginationUrls`,
                { FriendlyName: "pbx", SipUrl: "sip:203.0.113.7", Priority: "10", Weight: "10", Enabled: "true" },
                "trunking.twilio.com",
            );
            assert.equal(answer.status, 201);
            assert.deepEqual(fake.violations, []);
        });

        it("refuses a missing required form parameter", async () => {
            const sid = await trunk();
            const answer = await send(
                "POST",
                `/v1/Trunks/${sid}/OriginationUrls`,
                { FriendlyName: "pbx", SipUrl: "sip:203.0.113.7", Priority: "10", Weight: "10" },
                "trunking.twilio.com",
            );
            assert.equal(answer.status, 400);
            assert.match(fake.violations.join("\n"), /form parameter Enabled is required/);
        });

        it("refuses a value of the wrong type, outside an enum, or off a pattern", async () => {
            const sid = await trunk();
            await send(
                "POST",
                `/v1/Trunks/${sid}/OriginationUrls`,
                { FriendlyName: "pbx", SipUrl: "sip:203.0.113.7", Priority: "high", Weight: "10", Enabled: "yes" },
                "trunking.twilio.com",
            );
            await send("POST", `/v1/Trunks/${sid}`, { TransferMode: "sometimes" }, "trunking.twilio.com");
            await send("GET", `/2010-04-01/Accounts/${fake.accountSid}/IncomingPhoneNumbers/XX123.json`);
            const all = fake.violations.join("\n");
            assert.match(all, /Priority "high" is not an integer/);
            assert.match(all, /Enabled "yes" is not true or false/);
            assert.match(all, /TransferMode "sometimes" is not one of disable-all, enable-all, sip-only/);
            assert.match(all, /path parameter Sid "XX123" does not match/);
        });

        it("refuses an unknown path or method, and a request sent for the wrong Twilio host", async () => {
            assert.equal((await send("GET", "/v1/Trunkz")).status, 404);
            assert.equal((await send("PUT", "/v1/Trunks", {}, "trunking.twilio.com")).status, 404);
            assert.equal((await send("GET", "/v1/Trunks", undefined, "api.twilio.com")).status, 400);
            const all = fake.violations.join("\n");
            assert.match(all, /\/v1\/Trunkz is not a path/);
            assert.match(all, /PUT is not an operation of \/v1\/Trunks/);
            assert.match(all, /served by trunking\.twilio\.com/);
        });

        it("refuses what the descriptions' prose rules out: a Username over 32, a Contains outside 2-16 characters, a DomainName off pstn.twilio.com", async () => {
            const A = `/2010-04-01/Accounts/${fake.accountSid}`;
            const list = (
                (await (await send("POST", `${A}/SIP/CredentialLists.json`, { FriendlyName: "l" })).json()) as {
                    sid: string;
                }
            ).sid;
            const credential = (username: string) =>
                send("POST", `${A}/SIP/CredentialLists/${list}/Credentials.json`, {
                    Username: username,
                    Password: "Correct-Horse-9-battery",
                });
            assert.equal((await credential("u".repeat(33))).status, 400);
            assert.equal((await credential("u".repeat(32))).status, 201);
            assert.equal((await send("GET", `${A}/AvailablePhoneNumbers/US/Local.json?Contains=5`)).status, 400);
            assert.equal(
                (await send("GET", `${A}/AvailablePhoneNumbers/US/Local.json?Contains=${"5".repeat(17)}`)).status,
                400,
            );
            assert.equal((await send("GET", `${A}/AvailablePhoneNumbers/US/Local.json?Contains=55`)).status, 200);
            assert.equal(
                (
                    await send(
                        "POST",
                        "/v1/Trunks",
                        { FriendlyName: "t", DomainName: "acme.pstn.ashburn.twilio.com" },
                        "trunking.twilio.com",
                    )
                ).status,
                400,
            );
            assert.equal(
                (
                    await send(
                        "POST",
                        "/v1/Trunks",
                        { FriendlyName: "t", DomainName: "acme.pstn.twilio.com" },
                        "trunking.twilio.com",
                    )
                ).status,
                201,
            );
        });

        it("matches a PhoneNumber lookup partially, as Twilio documents", async () => {
            fake.own("+13235550100");
            fake.own("+13235550101");
            const answer = await send(
                "GET",
                `/2010-04-01/Accounts/${fake.accountSid}/IncomingPhoneNumbers.json?PhoneNumber=${encodeURIComponent("+1323555010")}`,
            );
            const found = (
                (await answer.json()) as { incoming_phone_numbers: { phone_number: string }[] }
            ).incoming_phone_numbers.map((n) => n.phone_number);
            assert.deepEqual(found, ["+13235550100", "+13235550101"]);
        });

        it("answers 401 to a wrong token, and notes parameters the description does not declare", async () => {
            assert.equal(
                (await send("GET", "/v1/Trunks", undefined, "trunking.twilio.com", `${fake.accountSid}:wrong`)).status,
                401,
            );
            assert.equal((await send("GET", `/v1/Trunks?Colour=blue`, undefined, "trunking.twilio.com")).status, 200);
            assert.deepEqual(fake.undeclared, ["GET /v1/Trunks: query parameter Colour"]);
        });
    });

    describe("Flowroute", () => {
        let fake: FakeFlowroute;
        beforeEach(async () => (fake = await new FakeFlowroute().start()));
        afterEach(async () => fake.stop());

        const send = (
            method: string,
            path: string,
            body?: unknown,
            contentType = "application/vnd.api+json",
            accept = "application/vnd.api+json",
        ) =>
            fetch(fake.url + path, {
                method,
                headers: {
                    authorization: "Basic " + Buffer.from(`${fake.accessKey}:${fake.secretKey}`).toString("base64"),
                    accept,
                    ...(body !== undefined ? { "content-type": contentType } : {}),
                },
                body: body !== undefined ? JSON.stringify(body) : undefined,
            });
        const route = (attributes: Record<string, unknown>) => ({ data: { type: "route", attributes } });

        it("serves a request written as the description says", async () => {
            assert.equal(
                (
                    await send(
                        "POST",
                        "/v2/routes",
                        route({ route_type: "host", value: "203.0.113.7:5060", alias: "pbx" }),
                    )
                ).status,
                201,
            );
            assert.deepEqual(fake.violations, []);
        });

        it("refuses a JSON body missing a required attribute or with a value outside an enum", async () => {
            assert.equal(
                (await send("POST", "/v2/routes", route({ route_type: "host", value: "203.0.113.7" }))).status,
                400,
            );
            assert.equal(
                (await send("POST", "/v2/routes", route({ route_type: "carrier-pigeon", value: "x", alias: "a" })))
                    .status,
                400,
            );
            const all = fake.violations.join("\n");
            assert.match(all, /body\.data\.attributes\.alias is required/);
            assert.match(all, /route_type "carrier-pigeon" is not one of/);
        });

        it("checks the endpoints the description omits as strictly, from their fragment", async () => {
            const address = {
                label: "l",
                first_name: "A",
                last_name: "B",
                street_name: "3rd Ave",
                street_number: "1",
                city: "Seattle",
                state: "Washington",
                country: "USA",
                zip: "98101",
            };
            assert.equal(
                (await send("POST", "/v2/e911s/validate", { data: { type: "e911", attributes: address } })).status,
                400,
            );
            assert.equal(
                (
                    await send("POST", "/v2/e911s", {
                        data: { type: "e911", attributes: { ...address, state: "WA", country: "US" } },
                    })
                ).status,
                400,
            );
            const all = fake.violations.join("\n");
            assert.match(all, /state "Washington" does not match/);
            assert.match(all, /country "US" is not one of USA, Canada/);
        });

        it("refuses a second route with the same value or alias (403), and removing a route a number still uses (403)", async () => {
            assert.equal(
                (
                    await send(
                        "POST",
                        "/v2/routes",
                        route({ route_type: "host", value: "203.0.113.7:5060", alias: "pbx" }),
                    )
                ).status,
                201,
            );
            assert.equal(
                (
                    await send(
                        "POST",
                        "/v2/routes",
                        route({ route_type: "host", value: "203.0.113.7:5060", alias: "other" }),
                    )
                ).status,
                403,
            );
            assert.equal(
                (
                    await send(
                        "POST",
                        "/v2/routes",
                        route({ route_type: "host", value: "198.51.100.1:5060", alias: "pbx" }),
                    )
                ).status,
                403,
            );
            const [made] = [...fake.routes.values()].filter((r) => r.alias === "pbx");
            fake.own("12065550100").primaryRouteId = made.id;
            assert.equal((await send("DELETE", `/v2/routes/${made.id}`)).status, 403);
            fake.numbers.get("12065550100")!.primaryRouteId = "1";
            assert.equal((await send("DELETE", `/v2/routes/${made.id}`)).status, 204);
            assert.deepEqual(fake.violations, []);
        });

        it("takes a number's alias as the flat body Flowroute's SDKs send, and refuses the JSON:API form", async () => {
            fake.own("12065550100");
            assert.equal(
                (await send("PATCH", "/v2/numbers/12065550100", { type: "number", alias: "front desk" })).status,
                200,
            );
            assert.equal(fake.numbers.get("12065550100")!.alias, "front desk");
            assert.deepEqual(fake.violations, []);
            assert.equal(
                (
                    await send("PATCH", "/v2/numbers/12065550100", {
                        data: { type: "number", attributes: { alias: "x" } },
                    })
                ).status,
                400,
            );
            assert.match(fake.violations.join("\n"), /body\.alias is required/);
            assert.equal(fake.numbers.get("12065550100")!.alias, "front desk");
        });

        it("refuses a wrong content type or accept header, a non-integer number id, and an unknown query value", async () => {
            assert.equal(
                (
                    await send(
                        "POST",
                        "/v2/routes",
                        route({ route_type: "host", value: "h", alias: "a" }),
                        "application/json",
                    )
                ).status,
                400,
            );
            assert.equal((await send("GET", "/v2/routes", undefined, undefined, "application/json")).status, 400);
            assert.equal((await send("GET", "/v2/numbers/+12065550100")).status, 400);
            assert.equal((await send("GET", "/v2/routes?route_type=fax")).status, 400);
            const all = fake.violations.join("\n");
            assert.match(all, /content type application\/json is not one of application\/vnd\.api\+json/);
            assert.match(all, /accept is application\/json/);
            assert.match(all, /path parameter id "\+12065550100" is not an integer/);
            assert.match(all, /route_type "fax" is not one of/);
        });
    });
});
