import { strict as assert } from "assert";
import { roles } from "../../support/loopback";
import { asteriskBuilds } from "../asteriskBuilds";
import { Baresip } from "../baresip";
import { answer, callInBackground } from "./calls";
import { assertCompleted, audioFlowsBothWays, callerIdAsSent, didAsSent, itspAnswering, noCallsUp, peakAmplitude } from "./officeFlows";
import { CallLab, reportFailures, waitFor } from "./lab";
import { header, received, uriUser } from "./sipTrace";

// The freelancer's desk phone played by a real softphone instead of SIPp: what a person does with the
// credentials `npm run local` prints.
for (const build of asteriskBuilds) {
    describe(`baresip as the freelancer's desk phone through a real Asterisk ${build.version}`, function () {
        this.timeout(60_000);
        let lab: CallLab;
        let phone: Baresip | undefined;
        before(async function () {
            this.timeout(90_000);
            lab = await CallLab.start("freelancer", undefined, { build });
        });
        afterEach(async function () {
            if (this.currentTest?.state === "failed" && phone) console.error(`---- what baresip printed ----\n${phone.log()}`);
            await phone?.stop();
            phone = undefined;
            await waitFor("baresip to unregister as it quits", 5_000, async () => (await lab.registeredContact("desk")) === undefined);
        });
        after(async () => {
            await lab?.stop();
        });
        reportFailures(() => lab);

        const deskPhone = async (password?: string) => {
            const desk = lab.phone("desk");
            phone = await Baresip.start({ user: desk.name, password: password ?? desk.secret!, address: desk.address, server: `${roles.asterisk}:5060` });
            return phone;
        };

        it("registers with the user and password the office prints for the desk phone", async () => {
            const desk = await deskPhone();
            assert.equal(await desk.registration(), "200 OK");
            assert.match((await lab.registeredContact("desk")) ?? "", /^sip:desk\S*@127\.0\.0\.3:5060\b/, "baresip's contact, at the desk phone's address");
        });

        it("with a wrong password it is refused and Asterisk keeps no contact for it", async () => {
            const desk = await deskPhone("not-the-password");
            assert.match(await desk.registration(), /^(401|403) /);
            assert.equal(await lab.registeredContact("desk"), undefined);
        });

        it("a call from flowroute's address to the office's number rings it; it answers, audio flows both ways and it hears the caller", async () => {
            const desk = await deskPhone();
            assert.equal(await desk.registration(), "200 OK");
            const did = lab.office.numbers[0].e164;
            const incoming = callInBackground(lab.trunkOf(did), didAsSent(lab.office, did), "flow-uac-call.xml", { from: "12125550147" });
            await desk.waitForOutput("the phone to answer the caller", /answering call on line \d+ from sip:12125550147@/, 10_000);
            const legs = await audioFlowsBothWays(lab);
            assert.ok(legs.some((l) => l.channel.startsWith("desk-")), JSON.stringify(legs));
            assertCompleted(await incoming.done, "the provider's caller, who hangs up");
            await noCallsUp(lab);
            const [heard] = await waitFor("baresip's recording of the call", 5_000, () => (desk.heard().length ? desk.heard() : undefined));
            assert.ok(peakAmplitude(heard) > 1_000, "the phone heard the caller's voice, not silence");
        });

        for (const { dialed, sent } of [{ dialed: "2125550147", sent: "12125550147" }, { dialed: "911", sent: "911" }]) {
            it(`dialing ${dialed}, the call reaches flowroute as ${sent} with the line's number, and hanging up ends it`, async () => {
                const desk = await deskPhone();
                assert.equal(await desk.registration(), "200 OK");
                const trunk = lab.trunk("flowroute");
                const itsp = await answer(lab, trunk, trunk.name, itspAnswering(trunk));
                await desk.command("dial", dialed);
                await desk.waitForOutput("the call to be answered", /Call established/i, 10_000);
                await desk.command("hangup");
                const run = await itsp.done;
                assertCompleted(run, "flowroute, which the phone's hangup reached as a BYE");
                const invite = received(run.messages, "INVITE").pop()!;
                assert.equal(uriUser(invite.uri ?? ""), sent);
                assert.equal(uriUser(header(invite, "P-Asserted-Identity")), callerIdAsSent(lab.office, trunk.name, "desk"));
                await noCallsUp(lab);
            });
        }
    });
}
