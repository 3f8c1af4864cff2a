import { strict as assert } from "assert";
import { ApiFailure, isProviderError, redact, retryPolicy, withRetry } from "../../components/providers/retry";

const fast = retryPolicy({ attempts: 4, baseDelayMs: 1, maxDelayMs: 4 });

/** A call that fails with the given failures in turn, then succeeds. */
function flaky(failures: ApiFailure[]) {
    let calls = 0;
    return {
        get calls() {
            return calls;
        },
        call: async () => {
            const failure = failures[calls++];
            if (failure) throw { failure };
            return "done";
        },
        toFailure: (error: unknown) => (error as { failure: ApiFailure }).failure,
    };
}

describe("provider retries", () => {
    it("429, 5xx and lost answers are tried again", async () => {
        const f = flaky([
            { status: 429, message: "slow down" },
            { status: 503, message: "busy" },
            { message: "no answer within 300 ms" },
        ]);
        assert.equal(
            await withRetry({
                provider: "Twilio",
                action: "list numbers",
                policy: fast,
                secrets: [],
                call: f.call,
                toFailure: f.toFailure,
            }),
            "done",
        );
        assert.equal(f.calls, 4);
    });

    it("a 4xx ends at once with the provider's message and a hint", async () => {
        const f = flaky([{ status: 400, code: 21422, message: "The phone number +13235550100 is not available" }]);
        await assert.rejects(
            withRetry({
                provider: "Twilio",
                action: "buy +13235550100",
                policy: fast,
                secrets: [],
                call: f.call,
                toFailure: f.toFailure,
                hint: () => "pick another",
            }),
            (error: unknown) => {
                assert.ok(isProviderError(error));
                assert.equal(
                    error.message,
                    "Twilio could not buy +13235550100: The phone number +13235550100 is not available (HTTP 400, Twilio error 21422). pick another",
                );
                return true;
            },
        );
        assert.equal(f.calls, 1);
    });

    it("before a retry, recover can find what a lost answer did, and nothing is done twice", async () => {
        const f = flaky([{ status: 500, message: "oops" }]);
        const result = await withRetry({
            provider: "Flowroute",
            action: "buy",
            policy: fast,
            secrets: [],
            call: f.call,
            toFailure: f.toFailure,
            recover: async () => "found it",
        });
        assert.equal(result, "found it");
        assert.equal(f.calls, 1);
    });

    it("a 4xx after a lost answer looks once more: what the lost try did is found and kept; a 4xx with no lost answer before it does not look", async () => {
        let looks = 0;
        const lateRecover = async () => (++looks >= 2 ? "bought late" : undefined);
        const lost = flaky([{ message: "no answer within 300 ms" }, { status: 400, message: "not available" }]);
        assert.equal(
            await withRetry({
                provider: "Twilio",
                action: "buy",
                policy: fast,
                secrets: [],
                call: lost.call,
                toFailure: lost.toFailure,
                recover: lateRecover,
            }),
            "bought late",
        );
        assert.deepEqual([lost.calls, looks], [2, 2]);

        looks = 0;
        const refused = flaky([
            { status: 429, message: "slow down" },
            { status: 400, message: "not available" },
        ]);
        await assert.rejects(
            withRetry({
                provider: "Twilio",
                action: "buy",
                policy: fast,
                secrets: [],
                call: refused.call,
                toFailure: refused.toFailure,
                recover: lateRecover,
            }),
            /HTTP 400/,
        );
        assert.equal(looks, 1, "a rate limit loses no answer: only the look before the retry");
    });

    it("gives up after the last attempt with what to do next", async () => {
        const f = flaky(Array(9).fill({ status: 502, message: "bad gateway" }));
        await assert.rejects(
            withRetry({
                provider: "Flowroute",
                action: "list routes",
                policy: fast,
                secrets: [],
                call: f.call,
                toFailure: f.toFailure,
            }),
            /HTTP 502\)\. Flowroute kept failing/,
        );
        assert.equal(f.calls, 4);
    });

    it("secrets and their Basic-auth forms are redacted from messages", () => {
        const header = Buffer.from("AC123:tok3n-value").toString("base64");
        assert.equal(
            redact(`token tok3n-value, header Basic ${header}`, ["AC123", "tok3n-value"]),
            "token [redacted], header Basic [redacted]",
        );
    });
});
