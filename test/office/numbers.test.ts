import { strict as assert } from "assert";
import { isOldPrice } from "../../components/costEstimate";
import {
    estimateMonthlyCost,
    renderConfigFiles,
    renderSecretFiles,
    resolveSecrets,
    standInNumbers,
    validateOffice,
    withNumbers,
} from "../../components";
import { problems } from "../support/problems";

/** A freelancer who has no number yet: deskphone buys one in area code 323 at Flowroute. */
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
        numbers: [{ name: "main", buy: { areaCode: "323" }, mailboxPin: "1234" }],
        phones: [{ name: "desk", extension: "100", callerId: "main", secret: "a-long-phone-secret" }],
        server: { droplet: { sshPublicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExampleExampleExample me@laptop" } },
    };
}

describe("numbers to buy, in the stack file", () => {
    it("a named number with buy: is bought in the office's country; the phone that names it rings for it and calls out as it", () => {
        const result = validateOffice(office());
        const [number] = result.numbers;
        assert.deepEqual(
            { name: number.name, e164: number.e164, acquire: number.acquire, buy: number.buy, rings: number.rings },
            {
                name: "main",
                e164: "",
                acquire: "buy",
                buy: { country: "US", areaCode: "323", numberType: "local" },
                rings: ["desk"],
            },
        );
        assert.equal(result.phones[0].number, "main");
    });

    it("a number you have is named after its digits unless named, and a phone may give it by E.164 or by name", () => {
        const raw = office();
        raw.numbers = [{ e164: "+13235550100" }, { name: "fax", e164: "+13235550199", rings: ["desk"] }];
        raw.phones.push({ name: "den", extension: "101", callerId: "fax" });
        raw.phones[0].callerId = "+13235550100";
        const result = validateOffice(raw);
        assert.deepEqual(
            result.numbers.map((n) => n.name),
            ["13235550100", "fax"],
        );
        assert.deepEqual(
            result.phones.map((p) => [p.number, p.callerId]),
            [
                ["13235550100", "+13235550100"],
                ["fax", "+13235550199"],
            ],
        );
    });

    it("a number to buy needs a name, and cannot also give an E.164 or SID", () => {
        const raw = office();
        raw.numbers[0] = { buy: {}, e164: "+13235550100", sid: "PN0123456789abcdef0123456789abcdef", rings: ["desk"] };
        raw.phones[0].callerId = "+13235550100";
        assert.deepEqual(problems(raw), [
            "deskphone:numbers[0].e164: is set, but this number is to be bought (remove e164 to buy a number, or remove buy/acquire to use the number you have)",
            "deskphone:numbers[0].sid: is set, but this number is to be bought (a sid adopts a Twilio number you have: remove buy/acquire)",
            "deskphone:numbers[0].name: is required for a number to buy (e.g. name: main; phones give it as their callerId)",
            `deskphone:phones[0].callerId: "+13235550100" is not one of the office's numbers (providers refuse a caller ID the office does not own; use one of the office's numbers (none listed), by E.164 or name)`,
        ]);
    });

    it("a number without e164 or buy says how to give either", () => {
        const raw = office();
        raw.numbers[0] = { name: "main" };
        assert.deepEqual(problems(raw), [
            'deskphone:numbers[0].e164: is required: the number\'s E.164, e.g. +13235550100 (or buy: { areaCode: "323" } to have deskphone buy one)',
        ]);
    });

    it("a misspelt number name in a phone's callerId gets a suggestion", () => {
        const raw = office();
        raw.phones[0].callerId = "mian";
        assert.deepEqual(problems(raw), [
            "deskphone:numbers[0].rings: no phone rings for main (list phone names in rings, or give a phone callerId: main)",
            `deskphone:phones[0].callerId: "mian" is not one of the office's numbers (did you mean "main"?)`,
        ]);
    });

    it("a North American area code is three digits, the first 2 to 9", () => {
        const raw = office();
        raw.numbers[0].buy.areaCode = "123";
        assert.deepEqual(problems(raw), [
            'deskphone:numbers[0].buy.areaCode: "123" is not a North American area code (three digits, the first 2 to 9, e.g. "323")',
        ]);
    });

    it("Flowroute sells local US and Canadian numbers only", () => {
        const raw = office();
        raw.numbers[0].buy = { country: "GB", numberType: "mobile", contains: "CAFE" };
        assert.deepEqual(problems(raw), [
            'deskphone:numbers[0].buy.country: Flowroute sells US and Canadian numbers, not GB (use "US" or "CA", or a Twilio number)',
            'deskphone:numbers[0].buy.contains: Flowroute searches by digits, not "CAFE" (digits only, at most 7)',
            "deskphone:numbers[0].buy.numberType: deskphone buys Flowroute local numbers only (remove numberType)",
        ]);
    });

    it("numbers are bought at Twilio or Flowroute only, not from a registration ITSP", () => {
        const raw = office();
        raw.trunks = [
            {
                name: "voipms",
                kind: "registration",
                server: "sip.voip.example",
                username: "1234",
                contactUser: "13235550100",
                inboundAddresses: ["192.0.2.80"],
                secret: "s3cret-itsp",
            },
        ];
        delete raw.office.emergencyAddress;
        assert.deepEqual(problems(raw), [
            'deskphone:numbers[0].buy: trunk "voipms" is a registration ITSP: deskphone buys numbers at Twilio or Flowroute only (get the number from your ITSP and give its e164)',
        ]);
    });

    it("an unknown purchase setting is refused with a suggestion", () => {
        const raw = office();
        raw.numbers[0].buy = { areacode: "323" };
        assert.deepEqual(problems(raw), [
            'deskphone:numbers[0].buy.areacode: unknown setting "areacode" (did you mean "areaCode"?)',
        ]);
    });

    it("two numbers cannot share a name", () => {
        const raw = office();
        raw.numbers.push({ name: "main", buy: {}, rings: ["desk"] });
        assert.deepEqual(problems(raw), [
            'deskphone:numbers[1].name: name "main" is already used by deskphone:numbers[0] (give each number its own name)',
        ]);
    });
});

describe("rendering an office with a number to buy", () => {
    it("is refused until the number is bought: the files are written with its E.164", () => {
        const result = validateOffice(office());
        assert.throws(() => renderConfigFiles(result), /numbers main have no E\.164 yet/);
        assert.throws(() => renderSecretFiles(result, resolveSecrets(result)), /numbers main have no E\.164 yet/);
    });

    it("once bought, the number is the phone's caller ID, its mailbox and a destination from the trunk", () => {
        const bought = withNumbers(validateOffice(office()), { main: "+13235550142" });
        assert.equal(bought.phones[0].callerId, "+13235550142");
        const files = Object.fromEntries(renderConfigFiles(bought).map((f) => [f.name, f.text]));
        assert.match(files["extensions.conf"], /^exten => 13235550142,1,Goto\(number-13235550142,/m);
        assert.match(files["pjsip.conf"], /^set_var=LINE_NUMBER=13235550142$/m);
    });

    it("before it is bought, stand-ins in the fictional 555-01xx range render it (npm start, local mode)", () => {
        const raw = office();
        raw.numbers.push({ name: "spare", buy: {}, rings: ["desk"] });
        const result = validateOffice(raw);
        assert.deepEqual(standInNumbers(result), { main: "+13235550101", spare: "+15555550102" });
        assert.ok(renderConfigFiles(withNumbers(result, standInNumbers(result))).length > 0);
    });

    it("the cost estimate prices it as a number to buy", () => {
        const estimate = estimateMonthlyCost(validateOffice(office()));
        assert.ok(
            estimate.lines.some((l) => l.item === 'number "main" (to buy: area code 323) (flowroute)'),
            estimate.lines.map((l) => l.item).join("\n"),
        );
        assert.ok(
            estimate.lines.some(
                (l) =>
                    l.item === 'flowroute fee for "main" (to buy: area code 323)' &&
                    l.usd === 0.5 &&
                    /Admin Fee/.test(l.source),
            ),
            "Flowroute's per-number admin fee",
        );
    });

    it("the cost estimate names each price older than two years, once, with where to check it", () => {
        const estimate = estimateMonthlyCost(validateOffice(office()));
        const old = estimate.notes.filter((n) => /^the price for /.test(n));
        assert.equal(estimate.pricesAsOf, "2013");
        assert.ok(
            old.some((n) => /outbound minutes \(flowroute\) is from 2013.*Billing → Outbound rates/.test(n)),
            old.join("\n"),
        );
        assert.ok(
            old.some((n) => /^the price for number "main".* is from 2020-09-23.*GET \/v2\/numbers\/available/.test(n)),
            old.join("\n"),
        );
        assert.equal(
            old.length,
            new Set(estimate.lines.filter((l) => isOldPrice(l.asOf)).map((l) => l.source)).size,
            "one note per old price",
        );
        assert.ok(!old.some((n) => /fee for/.test(n)), "a fee read this year is not old");
    });
});
