import { strict as assert } from "assert";
import { call } from "./calls";
import { waitFor } from "../../../lab/callLab";
import { describeOfficeFlows } from "./officeFlows";
import { finalResponses, sipMessages } from "./sipTrace";

// Seed 001's freelancer: one US number on Flowroute, one desk phone, voicemail by email, 911.
describeOfficeFlows(
    {
        stack: "freelancer",
        title: "Flowroute office",
        outsideCaller: "12125550147",
        dialing: [
            { dialed: "2125550147", sent: "12125550147" },
            { dialed: "+12125550147", sent: "12125550147" },
            { dialed: "12125550147", sent: "12125550147" },
        ],
        ownNumberDialed: "3235550100",
        emergency: { dialed: "911", sent: "911", via: "trunk" },
        outsideNumber: "12125550147",
        refused: [
            { dialed: "011442079460958", kind: "international" },
            { dialed: "8095550147", kind: "international" },
            { dialed: "19005550147", kind: "premium" },
        ],
    },
    (current) => {
        it("with its only trunk unreachable, 911 hears an announcement, then 503: no silent 404", async () => {
            const lab = current();
            // Nothing answers at Flowroute's address: its qualify marks the contact unreachable.
            await lab.asterisk.cli("pjsip qualify flowroute");
            await waitFor("flowroute's contact to be unreachable", 10_000, async () =>
                /Contact:\s+flowroute\/\S+\s+\S+\s+Unavail\b/.test(await lab.asterisk.cli("pjsip show contacts"))
                    ? true
                    : undefined,
            );
            const caller = lab.office.phones[0];
            const run = await call(lab.phone(caller.name), "911", "flow-uac-call.xml", { holdMs: 1_000 });
            assert.equal(finalResponses(run.messages).pop(), 503);
            const early = sipMessages(run.messages).find((m) => m.direction === "received" && m.status === 183);
            assert.ok(early && /m=audio/.test(early.body), "the announcement came as early media (183 with SDP)");
            const log = lab.testLog();
            assert.match(
                log,
                new RegExp(`Emergency call to 911 from ${caller.name}: flowroute unreachable \\(CHANUNAVAIL\\)`),
            );
            assert.match(log, /Playing 'all-circuits-busy-now\./);
        });
    },
);
