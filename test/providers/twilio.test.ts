import { strict as assert } from "assert";
import { twilioNumberProvider, twilioTrunkProvider } from "../../components/providers";
import { diffTwilioTrunk, checkTwilioTrunkInputs, TwilioTrunkOutputs } from "../../components/providers/twilioTrunk";
import {
    checkTwilioNumberInputs,
    diffTwilioNumber,
    TwilioNumberOutputs,
} from "../../components/providers/twilioNumber";
import { EngineResource, serializedProvider } from "./support/engine";
import { FakeTwilio } from "./support/fakeTwilio";

/** Short waits, so that retries and timeouts cost milliseconds. */
const fast = { baseDelayMs: 2, maxDelayMs: 10, timeoutMs: 300 };
const purchases = /\/IncomingPhoneNumbers\.json$/;

describe("Twilio trunk and numbers", function () {
    this.timeout(20000);
    let trunkProvider: typeof twilioTrunkProvider;
    let numberProvider: typeof twilioNumberProvider;
    let fake: FakeTwilio;

    before(async () => {
        // As the engine runs them: serialized, then evaluated from text.
        trunkProvider = (await serializedProvider(twilioTrunkProvider)).provider;
        numberProvider = (await serializedProvider(twilioNumberProvider)).provider;
    });

    beforeEach(async () => {
        fake = await new FakeTwilio().start();
        fake.offer("US", "Local", ["+13235550100", "+13235550101", "+13235550102", "+12135550177"]);
    });

    afterEach(async function () {
        await fake.stop();
        if (this.currentTest?.state === "passed") {
            assert.deepEqual(fake.violations, [], "requests Twilio's API description rejects");
            assert.deepEqual([...new Set(fake.undeclared)], [], "parameters Twilio's API description does not declare");
        }
    });

    const credentials = () => ({ accountSid: fake.accountSid, authToken: fake.authToken });
    const trunkArgs = (over: Record<string, unknown> = {}) => ({
        office: "Acme",
        stack: "dev",
        name: "twilio",
        serverAddress: "203.0.113.7",
        terminationDomain: "acme-dev.pstn.twilio.com",
        username: "acme-pbx",
        password: "Correct-Horse-9-battery",
        credentials: credentials(),
        apiUrl: fake.url,
        retry: fast,
        ...over,
    });
    const numberArgs = (trunkSid: string, over: Record<string, unknown> = {}) => ({
        office: "Acme",
        stack: "dev",
        name: "main",
        mode: "buy",
        areaCode: "323",
        trunkSid,
        credentials: credentials(),
        apiUrl: fake.url,
        retry: fast,
        ...over,
    });

    it("a bought number keeps ringing the server through a move and console drift, and a destroy keeps it, detached", async () => {
        const trunk = new EngineResource(trunkProvider);
        assert.equal(await trunk.up(trunkArgs()), "create");
        const made = fake.trunks.get(trunk.id!)!;
        assert.equal(made.friendlyName, "deskphone:dev:Acme:twilio");
        assert.equal(made.domainName, "acme-dev.pstn.twilio.com");
        const [url] = [...fake.originationUrls.values()];
        assert.deepEqual(
            {
                sipUrl: url.sipUrl,
                priority: url.priority,
                weight: url.weight,
                enabled: url.enabled,
                trunkSid: url.trunkSid,
            },
            { sipUrl: "sip:203.0.113.7", priority: 10, weight: 10, enabled: true, trunkSid: made.sid },
        );
        const [credentialList] = [...fake.credentialLists.values()];
        assert.deepEqual(
            [...credentialList.credentials.values()].map((c) => [c.username, c.password]),
            [["acme-pbx", "Correct-Horse-9-battery"]],
        );
        const [ipList] = [...fake.ipLists.values()];
        assert.deepEqual(
            [...ipList.addresses.values()].map((a) => a.ipAddress),
            ["203.0.113.7"],
        );
        assert.deepEqual([...made.credentialLists, ...made.ipAccessControlLists], [credentialList.sid, ipList.sid]);

        const number = new EngineResource(numberProvider);
        assert.equal(await number.up(numberArgs(trunk.id!)), "create");
        const bought = fake.numbers.get(number.id!)!;
        assert.deepEqual(
            { ...bought },
            {
                sid: number.id,
                phoneNumber: "+13235550100",
                friendlyName: "deskphone:dev:Acme:main",
                trunkSid: made.sid,
                emergencyAddressSid: null,
            },
        );
        assert.equal(number.outputs!.purchased, true);

        // Nothing changed: nothing to do.
        assert.equal(await trunk.up(trunkArgs()), "same");
        assert.equal(await number.up(numberArgs(trunk.id!)), "same");

        // The server moves: the origination URL and the allowed address are edited in place.
        assert.equal(await trunk.up(trunkArgs({ serverAddress: "198.51.100.20" })), "update");
        assert.equal(fake.trunks.size, 1);
        assert.deepEqual(
            [...fake.originationUrls.values()].map((u) => [u.sid, u.sipUrl]),
            [[url.sid, "sip:198.51.100.20"]],
        );
        assert.deepEqual(
            [...ipList.addresses.values()].map((a) => a.ipAddress),
            ["198.51.100.20"],
        );
        assert.equal(await number.up(numberArgs(trunk.id!)), "same");

        // Someone edits the console: refresh sees it, and the next up puts it back.
        fake.originationUrls.get(url.sid)!.sipUrl = "sip:192.0.2.99";
        bought.trunkSid = null;
        await trunk.refresh();
        await number.refresh();
        assert.equal(trunk.outputs!.serverAddress, "192.0.2.99");
        assert.equal(number.outputs!.attachedTrunkSid, "");
        assert.equal(await trunk.up(trunkArgs({ serverAddress: "198.51.100.20" })), "update");
        assert.equal(await number.up(numberArgs(trunk.id!)), "update");
        assert.equal(fake.originationUrls.get(url.sid)!.sipUrl, "sip:198.51.100.20");
        assert.equal(bought.trunkSid, made.sid);

        // Destroy: the number leaves the trunk and stays on the account; the trunk and its lists go.
        await number.destroy();
        await trunk.destroy();
        assert.deepEqual(fake.numbers.get(bought.sid), { ...bought, trunkSid: null });
        assert.equal(fake.trunks.size + fake.originationUrls.size + fake.credentialLists.size + fake.ipLists.size, 0);
        assert.equal(fake.count("POST", purchases), 1, "one purchase in the whole life");
        assert.equal(fake.count("DELETE", /IncomingPhoneNumbers\//), 0, "never released");
    });

    it("a kept number comes back to the same stack without a second purchase, and is released only when asked", async () => {
        const trunk = new EngineResource(trunkProvider);
        await trunk.up(trunkArgs());
        const number = new EngineResource(numberProvider);
        await number.up(numberArgs(trunk.id!));
        const sid = number.id!;
        await number.destroy();
        await trunk.destroy();

        const again = new EngineResource(trunkProvider);
        await again.up(trunkArgs());
        const same = new EngineResource(numberProvider);
        assert.equal(await same.up(numberArgs(again.id!)), "create");
        assert.equal(same.id, sid);
        assert.equal(fake.numbers.get(sid)!.trunkSid, again.id);
        assert.equal(fake.count("POST", purchases), 1);

        assert.equal(await same.up(numberArgs(again.id!, { releaseOnDelete: true })), "update");
        await same.destroy();
        assert.equal(fake.numbers.has(sid), false);
        assert.equal(fake.count("DELETE", /IncomingPhoneNumbers\//), 1);
    });

    it("a number released on delete has its emergency address taken off first, which Twilio requires", async () => {
        const trunk = new EngineResource(trunkProvider);
        await trunk.up(trunkArgs());
        const number = new EngineResource(numberProvider);
        await number.up(numberArgs(trunk.id!, { releaseOnDelete: true }));
        const sid = number.id!;
        // Registered in the Twilio console, as the validation asks for US 911 calls through Twilio.
        fake.numbers.get(sid)!.emergencyAddressSid = "AD" + "c3".repeat(16);

        await number.destroy();
        assert.equal(fake.numbers.has(sid), false);
        const toNumber = fake.requests.filter(
            (r) => r.path.endsWith(`/IncomingPhoneNumbers/${sid}.json`) && r.method !== "GET",
        );
        assert.deepEqual(
            toNumber.map((r) => [r.method, r.form?.EmergencyAddressSid, r.status]),
            [
                ["POST", "", 200],
                ["DELETE", undefined, 204],
            ],
        );
    });

    it("a number released on delete without an emergency address is released in one request", async () => {
        const trunk = new EngineResource(trunkProvider);
        await trunk.up(trunkArgs());
        const number = new EngineResource(numberProvider);
        await number.up(numberArgs(trunk.id!, { releaseOnDelete: true }));
        const sid = number.id!;
        const before = fake.count("POST", new RegExp(`/IncomingPhoneNumbers/${sid}\\.json$`));
        await number.destroy();
        assert.equal(fake.numbers.has(sid), false);
        assert.equal(fake.count("POST", new RegExp(`/IncomingPhoneNumbers/${sid}\\.json$`)), before);
        assert.equal(fake.count("DELETE", /IncomingPhoneNumbers\//), 1);
    });

    it("a bought number given a new name is renamed at Twilio in an update, not bought again", async () => {
        const trunk = new EngineResource(trunkProvider);
        await trunk.up(trunkArgs());
        const number = new EngineResource(numberProvider);
        await number.up(numberArgs(trunk.id!));
        const sid = number.id!;
        assert.equal(await number.up(numberArgs(trunk.id!, { name: "reception" })), "update");
        assert.equal(number.id, sid);
        assert.equal(fake.numbers.get(sid)!.friendlyName, "deskphone:dev:Acme:reception");
        assert.equal(fake.numbers.get(sid)!.trunkSid, trunk.id);
        assert.equal(fake.count("POST", purchases), 1);
    });

    it("changing what to buy buys another number and keeps the first, detached", async () => {
        const trunk = new EngineResource(trunkProvider);
        await trunk.up(trunkArgs());
        const number = new EngineResource(numberProvider);
        await number.up(numberArgs(trunk.id!));
        const first = number.id!;
        assert.equal(await number.up(numberArgs(trunk.id!, { areaCode: "213" })), "replace");
        assert.equal(fake.numbers.get(number.id!)!.phoneNumber, "+12135550177");
        assert.equal(fake.numbers.get(number.id!)!.trunkSid, trunk.id);
        assert.equal(fake.numbers.get(first)!.trunkSid, null, "the first number stays on the account, off the trunk");
    });

    it("adopts a number the account already has, by E.164 or by SID, and never releases it", async () => {
        const owned = fake.own("+14155550123", "front desk line");
        const trunk = new EngineResource(trunkProvider);
        await trunk.up(trunkArgs());
        const number = new EngineResource(numberProvider);
        assert.equal(
            await number.up(numberArgs(trunk.id!, { mode: "adopt", areaCode: undefined, e164: "+1 (415) 555-0123" })),
            "create",
        );
        assert.equal(number.id, owned.sid);
        assert.equal(number.outputs!.purchased, false);
        assert.deepEqual(
            fake.numbers.get(owned.sid),
            { ...owned, trunkSid: trunk.id },
            "attached, its name left alone",
        );
        // Naming the same number by its SID is no change of number.
        assert.equal(
            await number.up(numberArgs(trunk.id!, { mode: "adopt", areaCode: undefined, sid: owned.sid })),
            "update",
        );
        await number.destroy();
        assert.deepEqual(fake.numbers.get(owned.sid), { ...owned, trunkSid: null });
        assert.equal(fake.count("POST", purchases), 0);

        const missing = new EngineResource(numberProvider);
        await assert.rejects(
            missing.up(numberArgs(trunk.id!, { mode: "adopt", areaCode: undefined, e164: "+14155550999" })),
            (error: Error) => {
                assert.match(error.message, /no number \+14155550999 to adopt/);
                assert.match(error.message, /mode "buy"/);
                return true;
            },
        );
    });

    it("a purchase whose answer never came is found on the account and adopted, not bought again", async () => {
        const trunk = new EngineResource(trunkProvider);
        await trunk.up(trunkArgs());
        fake.inject({ method: "POST", path: purchases, fault: "hang-after" });
        const number = new EngineResource(numberProvider);
        assert.equal(await number.up(numberArgs(trunk.id!)), "create");
        assert.equal(fake.count("POST", purchases), 1);
        assert.equal(fake.numbers.size, 1);
        assert.equal(fake.numbers.get(number.id!)!.trunkSid, trunk.id);
    });

    it("a purchase that went through only after deskphone looked for it is adopted when the retry is refused, not a second number bought", async () => {
        const trunk = new EngineResource(trunkProvider);
        await trunk.up(trunkArgs());
        fake.inject({ method: "POST", path: purchases, fault: "hang-late" });
        const number = new EngineResource(numberProvider);
        assert.equal(await number.up(numberArgs(trunk.id!)), "create");
        assert.equal(fake.count("POST", purchases), 2, "the lost purchase and its refused retry");
        assert.deepEqual(
            [...fake.numbers.values()].map((n) => [n.phoneNumber, n.friendlyName, n.trunkSid]),
            [["+13235550100", "deskphone:dev:Acme:main", trunk.id]],
        );
        assert.equal(number.outputs!.phoneNumber, "+13235550100");
    });

    it("a number another stack of the account bought is not taken for the lost purchase: the next one is bought", async () => {
        const trunk = new EngineResource(trunkProvider);
        await trunk.up(trunkArgs());
        // The first purchase never answers; meanwhile someone else on the account buys that number.
        fake.inject({ method: "POST", path: purchases, fault: "hang-before" });
        const number = new EngineResource(numberProvider);
        const buying = number.up(numberArgs(trunk.id!));
        await new Promise((resolve) => setTimeout(resolve, 50));
        const other = [...fake.available.get("US/Local")!].findIndex((n) => n.phoneNumber === "+13235550100");
        fake.available.get("US/Local")!.splice(other, 1);
        fake.own("+13235550100", "deskphone:other:Shop:main");
        assert.equal(await buying, "create");
        assert.equal(number.outputs!.phoneNumber, "+13235550101");
        assert.equal(fake.numbers.size, 2);
    });

    it("a number lookup by E.164 keeps only that number, though Twilio matches PhoneNumber partially", async () => {
        fake.own("+13235550100");
        const wanted = fake.own("+1323555010");
        const trunk = new EngineResource(trunkProvider);
        await trunk.up(trunkArgs());
        const number = new EngineResource(numberProvider);
        await number.up(numberArgs(trunk.id!, { mode: "adopt", areaCode: undefined, e164: "+1323555010" }));
        assert.equal(number.id, wanted.sid);
    });

    it("a purchase answered with 500 after it happened is adopted, not bought again", async () => {
        const trunk = new EngineResource(trunkProvider);
        await trunk.up(trunkArgs());
        fake.inject({ method: "POST", path: purchases, fault: "500-after" });
        const number = new EngineResource(numberProvider);
        assert.equal(await number.up(numberArgs(trunk.id!)), "create");
        assert.equal(fake.count("POST", purchases), 1);
        assert.deepEqual(
            [...fake.numbers.values()].map((n) => n.phoneNumber),
            ["+13235550100"],
        );
    });

    it("a trunk whose creation answer was lost is found by its name, not made twice", async () => {
        fake.inject({ method: "POST", path: /^\/v1\/Trunks$/, fault: "500-after" });
        fake.inject({ method: "POST", path: /OriginationUrls$/, fault: "hang-after" });
        const trunk = new EngineResource(trunkProvider);
        assert.equal(await trunk.up(trunkArgs()), "create");
        assert.equal(fake.trunks.size, 1);
        assert.equal(fake.originationUrls.size, 1);
    });

    /** Every piece of the office's Twilio setup, by SID, and what each holds. */
    const twilioPieces = () => ({
        trunks: [...fake.trunks.values()].map((t) => [
            t.sid,
            t.friendlyName,
            t.domainName,
            [...t.credentialLists],
            [...t.ipAccessControlLists],
        ]),
        originationUrls: [...fake.originationUrls.values()].map((u) => [u.trunkSid, u.sipUrl]),
        credentialLists: [...fake.credentialLists.values()].map((l) => [
            l.sid,
            [...l.credentials.values()].map((c) => c.username),
        ]),
        ipLists: [...fake.ipLists.values()].map((l) => [l.sid, [...l.addresses.values()].map((a) => a.ipAddress)]),
    });

    it("each edge gets its origination URL with ;edge=, tried in order, and changing the edges edits the URLs in place", async () => {
        const trunk = new EngineResource(trunkProvider);
        await trunk.up(trunkArgs({ edges: ["ashburn", "umatilla"] }));
        const urls = () => [...fake.originationUrls.values()].map((u) => [u.sipUrl, u.priority]);
        assert.deepEqual(urls(), [
            ["sip:203.0.113.7;edge=ashburn", 10],
            ["sip:203.0.113.7;edge=umatilla", 20],
        ]);
        assert.equal(await trunk.up(trunkArgs({ edges: ["ashburn", "umatilla"] })), "same");
        await trunk.refresh();
        assert.equal(
            await trunk.up(trunkArgs({ edges: ["ashburn", "umatilla"] })),
            "same",
            "a refresh reads the same edges back",
        );
        const [first] = [...fake.originationUrls.keys()];
        assert.equal(await trunk.up(trunkArgs({ edges: ["sao-paulo"] })), "update");
        assert.deepEqual(urls(), [["sip:203.0.113.7;edge=sao-paulo", 10]]);
        assert.deepEqual([...fake.originationUrls.keys()], [first], "the URL is edited, not replaced");
        assert.equal(await trunk.up(trunkArgs({ serverAddress: "198.51.100.20", edges: ["sao-paulo"] })), "update");
        assert.deepEqual(urls(), [["sip:198.51.100.20;edge=sao-paulo", 10]]);
    });

    it("Secure Trunking sets Secure=true and sends calls over TLS to the server's name and TLS port; switching it is an update in place", async () => {
        const trunk = new EngineResource(trunkProvider);
        const secure = { secure: true, tlsPort: 5061, serverName: "pbx.acme.example", edges: ["ashburn"] };
        await trunk.up(trunkArgs(secure));
        const twilioTrunk = fake.trunks.get(trunk.id!)!;
        assert.equal(twilioTrunk.secure, true);
        assert.deepEqual(fake.originationTargets(twilioTrunk.sid), [
            "sip:pbx.acme.example:5061;transport=tls;edge=ashburn",
        ]);
        assert.deepEqual(fake.terminationCall(twilioTrunk.sid, { transport: "tls", media: "srtp" }), {
            accepted: true,
        });
        assert.equal(await trunk.up(trunkArgs(secure)), "same");
        await trunk.refresh();
        assert.equal(await trunk.up(trunkArgs(secure)), "same", "a refresh reads the same trunk and URL back");

        const [url] = [...fake.originationUrls.keys()];
        assert.equal(await trunk.up(trunkArgs({ edges: ["ashburn"] })), "update");
        assert.equal(fake.trunks.get(trunk.id!), twilioTrunk, "the same trunk, not a new one");
        assert.equal(twilioTrunk.secure, false);
        assert.deepEqual(fake.originationTargets(twilioTrunk.sid), ["sip:203.0.113.7;edge=ashburn"]);
        assert.deepEqual([...fake.originationUrls.keys()], [url], "the URL is edited, not replaced");
        assert.equal(await trunk.up(trunkArgs(secure)), "update");
        assert.equal(twilioTrunk.secure, true);
    });

    it("a secure trunk refuses calls without TLS or SRTP, and sends none to a URL without TLS; a plain trunk refuses SRTP", async () => {
        const trunk = new EngineResource(trunkProvider);
        await trunk.up(trunkArgs({ secure: true }));
        const sid = trunk.id!;
        assert.deepEqual(fake.terminationCall(sid, { transport: "udp", media: "srtp" }), {
            accepted: false,
            error: 32209,
        });
        assert.deepEqual(fake.terminationCall(sid, { transport: "tls", media: "rtp" }), {
            accepted: false,
            error: 32208,
            sipStatus: 488,
        });
        assert.deepEqual(fake.originationTargets(sid), ["sip:203.0.113.7:5061;transport=tls"]);
        fake.trunks.get(sid)!.secure = false;
        assert.deepEqual(fake.terminationCall(sid, { transport: "tls", media: "srtp" }), {
            accepted: false,
            error: 32207,
        });
        fake.trunks.get(sid)!.secure = true;
        [...fake.originationUrls.values()][0].sipUrl = "sip:203.0.113.7";
        assert.deepEqual(fake.originationTargets(sid), [], "no plain origination URL gets a secure trunk's calls");
        assert.equal(await trunk.up(trunkArgs({ secure: true })), "same", "in the state the URL is still deskphone's");
        await trunk.refresh();
        assert.equal(await trunk.up(trunkArgs({ secure: true })), "update", "a refresh sees the edit");
        assert.deepEqual(fake.originationTargets(sid), ["sip:203.0.113.7:5061;transport=tls"]);
    });

    it("a termination host in edge form names the trunk's own domain: Twilio gets x.pstn.twilio.com, and nothing changes on the next up", async () => {
        const trunk = new EngineResource(trunkProvider);
        await trunk.up(trunkArgs({ terminationDomain: "acme-dev.pstn.sao-paulo.twilio.com" }));
        assert.equal(fake.trunks.get(trunk.id!)!.domainName, "acme-dev.pstn.twilio.com");
        assert.equal(await trunk.up(trunkArgs({ terminationDomain: "acme-dev.pstn.sao-paulo.twilio.com" })), "same");
        assert.equal(
            await trunk.up(trunkArgs({ terminationDomain: "acme-dev.pstn.twilio.com" })),
            "same",
            "both forms name the same trunk",
        );
    });

    it("an adopted number moves off another trunk in one TrunkSid update, and destroy puts it back there", async () => {
        const trunk = new EngineResource(trunkProvider);
        await trunk.up(trunkArgs());
        await new EngineResource(trunkProvider).up(
            trunkArgs({ office: "Shop", terminationDomain: "shop.pstn.twilio.com" }),
        );
        const other = [...fake.trunks.values()].find((t) => t.friendlyName.includes("Shop"))!;
        const owned = fake.own("+14155550142", "front desk");
        owned.trunkSid = other.sid;
        const number = new EngineResource(numberProvider);
        await number.up(numberArgs(trunk.id!, { mode: "adopt", areaCode: undefined, e164: "+14155550142" }));
        assert.equal(owned.trunkSid, trunk.id);
        assert.equal(
            fake.count("DELETE", /\/PhoneNumbers\//),
            0,
            "never detached on the way: it rang one trunk or the other",
        );
        await number.destroy();
        assert.equal(owned.trunkSid, other.sid, "back where it was before deskphone");
    });

    it("destroy leaves a number a person moved to another trunk where it is, even after a refresh", async () => {
        const trunk = new EngineResource(trunkProvider);
        await trunk.up(trunkArgs());
        const number = new EngineResource(numberProvider);
        await number.up(numberArgs(trunk.id!));
        await new EngineResource(trunkProvider).up(
            trunkArgs({ office: "Shop", terminationDomain: "shop.pstn.twilio.com" }),
        );
        const other = [...fake.trunks.values()].find((t) => t.friendlyName.includes("Shop"))!;
        const moved = fake.numbers.get(number.id!)!;
        moved.trunkSid = other.sid;
        await number.refresh();
        await number.destroy();
        assert.equal(moved.trunkSid, other.sid);
    });

    it("a number Twilio sells only with an address is refused before any purchase, naming the setting, and bought with the address given", async () => {
        fake.offer("GB", "Local", ["+442071838750"], "London", "local");
        const trunk = new EngineResource(trunkProvider);
        await trunk.up(trunkArgs());
        const number = new EngineResource(numberProvider);
        const inLondon = numberArgs(trunk.id!, { country: "GB", areaCode: undefined });
        await assert.rejects(
            number.up(inLondon),
            /only to a buyer with an address \(address requirement "local"\): give the number's buy\.addressSid .* or buy\.bundleSid/,
        );
        assert.equal(fake.count("POST", purchases), 0, "no purchase tried");
        const addressSid = "AD" + "c3".repeat(16);
        assert.equal(await number.up({ ...inLondon, addressSid }), "create");
        assert.equal(number.outputs!.phoneNumber, "+442071838750");
        assert.equal(
            fake.requests.find((r) => r.method === "POST" && purchases.test(r.path))!.form!.AddressSid,
            addressSid,
        );
    });

    it("a trunk renamed in the stack keeps its Twilio trunk and numbers: the new name takes it over, the old name deletes only its own pieces", async () => {
        const before = new EngineResource(trunkProvider);
        await before.up(trunkArgs());
        const number = new EngineResource(numberProvider);
        await number.up(numberArgs(before.id!));

        // As the engine runs a rename without an alias: create the new resource, then delete the old.
        const after = new EngineResource(trunkProvider);
        assert.equal(await after.up(trunkArgs({ name: "main" })), "create");
        const trunkSid = before.id;
        assert.equal(after.id, trunkSid, "the same Twilio trunk");
        await before.destroy();

        const pieces = twilioPieces();
        assert.equal(pieces.trunks.length, 1);
        const [[sid, friendlyName, domainName, credentialLists, ipLists]] = pieces.trunks;
        assert.deepEqual(
            [sid, friendlyName, domainName],
            [trunkSid, "deskphone:dev:Acme:main", "acme-dev.pstn.twilio.com"],
        );
        assert.deepEqual(
            pieces.originationUrls,
            [[sid, "sip:203.0.113.7"]],
            "incoming calls still reach the server, once",
        );
        assert.deepEqual(pieces.credentialLists, [[after.outputs!.credentialListSid, ["acme-pbx"]]]);
        assert.deepEqual(credentialLists, [after.outputs!.credentialListSid], "outgoing calls still authenticate");
        assert.deepEqual(pieces.ipLists, [[after.outputs!.ipAccessControlListSid, ["203.0.113.7"]]]);
        assert.deepEqual(ipLists, [after.outputs!.ipAccessControlListSid]);
        assert.equal(fake.numbers.get(number.id!)!.trunkSid, sid, "the number stays on the trunk");
        assert.equal(await after.up(trunkArgs({ name: "main" })), "same");
        assert.equal(await number.up(numberArgs(after.id!)), "same");
    });

    it("a trunk renamed with an alias is an update: the trunk and its pieces keep their SIDs, renamed", async () => {
        const trunk = new EngineResource(trunkProvider);
        await trunk.up(trunkArgs());
        const sids = { ...trunk.outputs };
        assert.equal(await trunk.up(trunkArgs({ name: "main" })), "update");
        assert.equal(fake.trunks.get(trunk.id!)!.friendlyName, "deskphone:dev:Acme:main");
        for (const key of [
            "trunkSid",
            "originationUrlSid",
            "credentialListSid",
            "credentialSid",
            "ipAccessControlListSid",
            "ipAddressSid",
        ])
            assert.equal(trunk.outputs![key], sids[key], key);
        assert.equal(fake.count("DELETE", /./), 0, "nothing deleted");
    });

    it("two Twilio trunks of one office are two trunks, each with its own lists, and destroying one leaves the other whole", async () => {
        const main = new EngineResource(trunkProvider);
        const backup = new EngineResource(trunkProvider);
        await main.up(trunkArgs());
        await backup.up(
            trunkArgs({ name: "backup", terminationDomain: "acme-backup.pstn.twilio.com", username: "acme-backup" }),
        );
        assert.notEqual(main.id, backup.id);
        assert.deepEqual(
            twilioPieces().trunks.map(([, friendlyName, domainName]) => [friendlyName, domainName]),
            [
                ["deskphone:dev:Acme:twilio", "acme-dev.pstn.twilio.com"],
                ["deskphone:dev:Acme:backup", "acme-backup.pstn.twilio.com"],
            ],
        );
        assert.equal(fake.credentialLists.size, 2);
        assert.equal(fake.ipLists.size, 2);
        const mainPieces = JSON.stringify(twilioPieces().trunks[0]);
        await backup.destroy();
        assert.deepEqual(
            twilioPieces().trunks.map((t) => JSON.stringify(t)),
            [mainPieces],
        );
        assert.deepEqual(twilioPieces().originationUrls, [[main.id, "sip:203.0.113.7"]]);
        assert.deepEqual(twilioPieces().credentialLists, [[main.outputs!.credentialListSid, ["acme-pbx"]]]);
    });

    it("a bought number that could not join the trunk stays in the state, and the next up attaches it without buying again", async () => {
        const trunk = new EngineResource(trunkProvider);
        await trunk.up(trunkArgs());
        fake.inject({ method: "POST", path: /\/PhoneNumbers$/, fault: "500-before", times: 5 });
        const number = new EngineResource(numberProvider);
        await assert.rejects(
            number.up(numberArgs(trunk.id!)),
            /HTTP 500[\s\S]*bought \+13235550100 is not on the trunk yet/,
        );
        assert.ok(number.id, "the engine keeps the bought number");
        assert.equal(await number.up(numberArgs(trunk.id!)), "update");
        assert.equal(fake.numbers.get(number.id!)!.trunkSid, trunk.id);
        assert.equal(fake.count("POST", purchases), 1);
    });

    it("429 answers are retried with backoff until Twilio answers", async () => {
        const trunk = new EngineResource(trunkProvider);
        await trunk.up(trunkArgs());
        fake.inject({ method: "GET", path: /AvailablePhoneNumbers/, fault: "429", times: 2 });
        const number = new EngineResource(numberProvider);
        assert.equal(await number.up(numberArgs(trunk.id!)), "create");
        assert.equal(fake.count("GET", /AvailablePhoneNumbers/), 3);
    });

    it("a rejected auth token ends with Twilio's message and what to set, never the token", async () => {
        const number = new EngineResource(numberProvider);
        const badToken = "wrong-token-5f4dcc3b5aa765d61d8327deb882cf99";
        const args = numberArgs("TK" + "0".repeat(32), {
            credentials: { accountSid: fake.accountSid, authToken: badToken },
        });
        await assert.rejects(number.up(args), (error: Error) => {
            assert.equal(error.name, "ProviderError");
            assert.match(
                error.message,
                /^Twilio could not list the account's numbers: Authenticate \(HTTP 401, Twilio error 20003\)/,
            );
            assert.match(error.message, /TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN/);
            const everything = `${error.message}\n${error.stack}\n${JSON.stringify(error)}`;
            assert.ok(!everything.includes(badToken), "the token appears in the error");
            assert.ok(
                !everything.includes(Buffer.from(`${fake.accountSid}:${badToken}`).toString("base64")),
                "the Basic header appears in the error",
            );
            return true;
        });
        assert.equal(fake.count("GET", purchases), 1, "401 is not retried");
    });

    it("takes an API key and the API URL from the environment", async () => {
        const saved = { ...process.env };
        Object.assign(process.env, {
            TWILIO_ACCOUNT_SID: fake.accountSid,
            TWILIO_API_KEY: fake.apiKey,
            TWILIO_API_SECRET: fake.apiSecret,
            DESKPHONE_TWILIO_API_URL: fake.url,
        });
        try {
            const trunk = new EngineResource(trunkProvider);
            assert.equal(await trunk.up(trunkArgs({ credentials: undefined, apiUrl: undefined })), "create");
            assert.ok(
                !JSON.stringify(trunk.outputs).includes(fake.apiSecret),
                "no secret from the environment in the state",
            );
            const [user] = Buffer.from(fake.requests[0].authorization!.replace(/^Basic /, ""), "base64")
                .toString()
                .split(":");
            assert.equal(user, fake.apiKey);
        } finally {
            for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
            Object.assign(process.env, saved);
        }
    });
});

describe("Twilio diff and check", () => {
    const trunk = checkTwilioTrunkInputs({
        office: "Acme",
        stack: "dev",
        name: "twilio",
        serverAddress: "203.0.113.7",
        username: "acme",
        password: "Correct-Horse-9-battery",
    }).inputs;
    const trunkState: TwilioTrunkOutputs = {
        ...trunk,
        trunkSid: "TK1",
        sipUrl: "sip:203.0.113.7",
        originationUrlSid: "OU1",
        sipUrls: ["sip:203.0.113.7"],
        originationUrlSids: ["OU1"],
        credentialListSid: "CL1",
        credentialSid: "CR1",
        ipAccessControlListSid: "AL1",
        ipAddressSid: "IP1",
        allowedAddress: "203.0.113.7",
    };

    it("the same trunk written differently is no change", () => {
        const news = checkTwilioTrunkInputs({
            ...trunk,
            serverAddress: " 203.0.113.7 ",
            sipPort: 5060,
            apiUrl: "http://elsewhere",
            retry: { attempts: 2 },
        }).inputs;
        assert.deepEqual(diffTwilioTrunk(trunkState, news), {
            changes: false,
            replaces: [],
            deleteBeforeReplace: false,
        });
    });

    it("a new server address is an update in place, and so is an unknown one in a preview", () => {
        assert.deepEqual(diffTwilioTrunk(trunkState, { ...trunk, serverAddress: "198.51.100.1" }).replaces, []);
        assert.equal(diffTwilioTrunk(trunkState, { ...trunk, serverAddress: "198.51.100.1" }).changes, true);
        assert.deepEqual(
            diffTwilioTrunk(trunkState, { ...trunk, serverAddress: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" }),
            { changes: true, replaces: [], deleteBeforeReplace: false },
        );
    });

    it("turning Secure Trunking on is an update in place, not a replacement; a state from before the setting is not secure", () => {
        const secure = checkTwilioTrunkInputs({ ...trunk, secure: true }).inputs;
        const diff = diffTwilioTrunk(trunkState, secure);
        assert.deepEqual(diff.replaces, []);
        assert.equal(diff.changes, true);
        assert.deepEqual(diffTwilioTrunk({ ...trunkState, secure: false }, trunk).changes, false);
        const url = checkTwilioTrunkInputs({ ...trunk, secure: true, tlsPort: 5062 }).inputs;
        assert.equal(
            diffTwilioTrunk({ ...trunkState, secure: true, sipUrls: ["sip:203.0.113.7:5061;transport=tls"] }, url)
                .changes,
            true,
            "a new TLS port is a new origination URL",
        );
    });

    it("check refuses a Secure Trunking switch that is not true or false, a bad TLS port and a server name that is not one", () => {
        const { failures } = checkTwilioTrunkInputs({
            ...trunk,
            secure: "yes" as unknown as boolean,
            tlsPort: 70000,
            serverName: "pbx example",
        });
        assert.deepEqual(
            failures.map((f) => f.property),
            ["secure", "tlsPort", "serverName"],
        );
        assert.match(failures[0].reason, /"yes" is not true or false/);
    });

    it("check names what to fix, without showing the password", () => {
        const { failures } = checkTwilioTrunkInputs({
            office: "Acme",
            stack: "dev",
            serverAddress: "pbx.example",
            username: "acme",
            password: "short-secret",
        });
        assert.deepEqual(
            failures.map((f) => f.property),
            ["name", "serverAddress", "password"],
        );
        assert.ok(failures.every((f) => !f.reason.includes("short-secret")));
    });

    const number = checkTwilioNumberInputs({
        office: "Acme",
        stack: "dev",
        name: "main",
        mode: "buy",
        areaCode: "323",
        trunkSid: "TK" + "1".repeat(32),
    }).inputs;
    const numberState: TwilioNumberOutputs = {
        ...number,
        phoneNumber: "+13235550100",
        numberSid: "PN" + "2".repeat(32),
        purchased: true,
        attachedTrunkSid: number.trunkSid,
        friendlyName: number.tag,
        formerTrunkSid: "",
    };

    it("only a different number replaces a number", () => {
        assert.deepEqual(diffTwilioNumber(numberState, number), {
            changes: false,
            replaces: [],
            deleteBeforeReplace: false,
        });
        assert.deepEqual(diffTwilioNumber(numberState, { ...number, areaCode: "213" }).replaces, ["areaCode"]);
        assert.deepEqual(diffTwilioNumber(numberState, { ...number, trunkSid: "TK" + "3".repeat(32) }).replaces, []);
        assert.deepEqual(diffTwilioNumber(numberState, { ...number, releaseOnDelete: true }), {
            changes: true,
            replaces: [],
            deleteBeforeReplace: false,
        });
        // Pinning a bought number by its own E.164 is no change of number.
        assert.deepEqual(
            diffTwilioNumber(numberState, { ...number, mode: "adopt", areaCode: "", e164: "+13235550100" }).replaces,
            [],
        );
        assert.deepEqual(
            diffTwilioNumber(numberState, { ...number, mode: "adopt", areaCode: "", e164: "+13235550199" }).replaces,
            ["e164"],
        );
    });

    it("a rotated auth token is an update in place; another account replaces", () => {
        const account = `AC${"a".repeat(32)}`;
        const withToken = { ...trunkState, credentials: { accountSid: account, authToken: "old-token" } };
        assert.deepEqual(
            diffTwilioTrunk(withToken, { ...trunk, credentials: { accountSid: account, authToken: "new-token" } }),
            { changes: true, replaces: [], deleteBeforeReplace: false },
        );
        assert.deepEqual(
            diffTwilioTrunk(withToken, {
                ...trunk,
                credentials: { accountSid: `AC${"b".repeat(32)}`, authToken: "new-token" },
            }).replaces,
            ["credentials"],
        );
        const numberWithToken = { ...numberState, credentials: { accountSid: account, authToken: "old-token" } };
        assert.deepEqual(
            diffTwilioNumber(numberWithToken, {
                ...number,
                credentials: { accountSid: account, authToken: "new-token" },
            }),
            { changes: true, replaces: [], deleteBeforeReplace: false },
        );
    });
});
