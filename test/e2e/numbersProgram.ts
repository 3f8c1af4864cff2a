// A Pulumi program for the end-to-end test of the number providers inside the real engine: one
// Twilio trunk with a bought number, one bought Flowroute number, both pointing at serverAddress.
import * as pulumi from "@pulumi/pulumi";
import { FlowrouteNumber, TwilioNumber, TwilioTrunk } from "../../components/providers";

const config = new pulumi.Config("e2e");
const serverAddress = config.require("serverAddress");
const releaseOnDelete = config.getBoolean("release") ?? false;
const fast = { baseDelayMs: 10, maxDelayMs: 50, timeoutMs: 5000 };

const trunk = new TwilioTrunk("office-trunk", {
    office: "E2E",
    serverAddress,
    terminationDomain: "e2e-office.pstn.twilio.com",
    username: "e2e-office",
    password: pulumi.secret("Trunk-Passw0rd-e2e"),
    retry: fast,
});
const twilioNumber = new TwilioNumber("office-twilio", { office: "E2E", name: "main", mode: "buy", country: "US", areaCode: "323", trunkSid: trunk.trunkSid, releaseOnDelete, retry: fast });
const flowrouteNumber = new FlowrouteNumber("office-flowroute", { office: "E2E", name: "main", mode: "buy", areaCode: "206", serverAddress, releaseOnDelete, retry: fast });

export const twilio = twilioNumber.phoneNumber;
export const flowroute = flowrouteNumber.phoneNumber;
export const flowrouteRoute = flowrouteNumber.primaryRoute;
