// A Pulumi program for the end-to-end test of the number providers inside the real engine: one
// Twilio trunk with a bought number (and, when asked, a second trunk), one bought Flowroute number,
// all pointing at serverAddress.
import * as pulumi from "@pulumi/pulumi";
import { FlowrouteNumber, TwilioNumber, TwilioTrunk } from "../../components/providers";

const config = new pulumi.Config("e2e");
const serverAddress = config.require("serverAddress");
const releaseOnDelete = config.getBoolean("release") ?? false;
const fast = { baseDelayMs: 10, maxDelayMs: 50, timeoutMs: 5000 };

// The trunk's name in the office; `renamedFrom` is the name it had, given as a Pulumi alias.
const trunkName = config.get("trunkName") ?? "trunk";
const renamedFrom = config.get("renamedFrom");
const trunk = new TwilioTrunk(
    `office-${trunkName}`,
    {
        office: "E2E",
        name: trunkName,
        serverAddress,
        terminationDomain: "e2e-office.pstn.twilio.com",
        username: "e2e-office",
        password: pulumi.secret("Trunk-Passw0rd-e2e"),
        retry: fast,
    },
    { aliases: renamedFrom ? [{ name: `office-${renamedFrom}` }] : [] },
);
// A second Twilio trunk in the same office, when asked for.
if (config.getBoolean("backupTrunk")) {
    new TwilioTrunk("office-backup", {
        office: "E2E",
        name: "backup",
        serverAddress,
        terminationDomain: "e2e-backup.pstn.twilio.com",
        username: "e2e-backup",
        password: pulumi.secret("Trunk-Passw0rd-e2e"),
        retry: fast,
    });
}
const twilioNumber = new TwilioNumber("office-twilio", {
    office: "E2E",
    name: "main",
    mode: "buy",
    country: "US",
    areaCode: "323",
    trunkSid: trunk.trunkSid,
    releaseOnDelete,
    retry: fast,
});
const flowrouteNumber = new FlowrouteNumber("office-flowroute", {
    office: "E2E",
    name: "main",
    mode: "buy",
    areaCode: "206",
    serverAddress,
    releaseOnDelete,
    retry: fast,
});

export const twilio = twilioNumber.phoneNumber;
export const flowroute = flowrouteNumber.phoneNumber;
export const flowrouteRoute = flowrouteNumber.primaryRoute;
