import { strict as assert } from "assert";
import {
    checkNumberAcquisition,
    NumberAcquisition,
    normalizeE164,
    numberMatches,
} from "../../components/providers/numberSettings";

const buy: NumberAcquisition = {
    provider: "twilio",
    mode: "buy",
    country: "US",
    areaCode: "323",
    releaseOnDelete: false,
};

describe("number acquisition settings", () => {
    it("a plain purchase or adoption has no problems", () => {
        assert.deepEqual(checkNumberAcquisition(buy, "deskphone:numbers[0]"), []);
        assert.deepEqual(
            checkNumberAcquisition(
                { ...buy, mode: "adopt", areaCode: undefined, e164: "+13235550100" },
                "deskphone:numbers[0]",
            ),
            [],
        );
    });

    it("every problem comes with its config path and a hint", () => {
        const problems = checkNumberAcquisition(
            {
                provider: "flowroute",
                mode: "adopt",
                country: "GB",
                contains: "CAFE",
                releaseOnDelete: false,
                sid: "PN123",
            },
            "deskphone:numbers[2]",
        );
        assert.deepEqual(
            problems.map((p) => p.path),
            [
                "deskphone:numbers[2].e164",
                "deskphone:numbers[2].mode",
                "deskphone:numbers[2].country",
                "deskphone:numbers[2].contains",
                "deskphone:numbers[2].sid",
            ],
        );
        assert.ok(problems.every((p) => p.hint));
    });

    it("E.164 numbers are normalized, and purchase criteria matched, the way providers list them", () => {
        assert.equal(normalizeE164("+1 (323) 555-0100"), "+13235550100");
        assert.equal(normalizeE164("call me"), undefined);
        assert.ok(numberMatches("+13235550100", { areaCode: "323", contains: "555" }));
        assert.ok(numberMatches("+13235552233", { contains: "CAFE" }));
        assert.ok(!numberMatches("+12135550100", { areaCode: "323" }));
    });
});
