/**
 * deskphone's office (the freelancer example) with its desk phone over TLS and SRTP beside the same
 * office with the phone over plain SIP and RTP, under the same load in the same run: resident memory
 * idle and with calls up, the most simultaneous calls with zero failures and Asterisk's CPU there, and
 * call setups per second.
 *   npm run bench:tls
 *   npm run bench:tls -- --quick    # two load levels and one rate: checks the benchmark itself runs
 * Debian's SIPp 3.6.1 is built without TLS, so the phone is a second Asterisk on 127.0.0.3 in both runs:
 * it registers as the desk phone, answers each call and echoes its audio (in SRTP over TLS, in RTP over
 * UDP). Calls come from SIPp as the ITSP on 127.0.0.2, in plain SIP and RTP as trunks do; the figures are
 * the office's Asterisk's. Runs in a private network namespace, on each Asterisk the tests run.
 */
import { CallLab } from "../lab/callLab";
import { RunningAsterisk } from "../lab/asterisk";
import { startPeerAsterisk } from "../lab/peerAsterisk";
import { AsteriskBuild, asteriskBuilds } from "../lab/asteriskBuilds";
import { roles } from "../lab/loopback";
import type { PhoneTransport } from "../components/office/types";
import { Comparison, comparisonTable, machineFacts } from "./support/report";
import { inPrivateNetwork } from "./support/privateNetwork";
import {
    asteriskPid,
    did,
    fastestSetupRate,
    LoadPlan,
    mostSimultaneousCalls,
    phoneAddress,
    statusKb,
} from "./support/callLoad";

const quick = process.argv.includes("--quick");
const plan: LoadPlan = {
    levels: quick ? [25, 50] : [25, 50, 100, 200, 300, 400, 600, 800],
    holdMs: 10_000,
    memoryLevel: quick ? 50 : 200,
    rates: quick ? [25] : [25, 50, 100, 200],
    setupSeconds: 4,
};
const officePorts: Record<PhoneTransport, number> = { udp: 5060, tls: 5061 };

interface Measured {
    idleRssMb: number;
    loadedRssMb: number;
    peakRssMb: number;
    maxCalls: number;
    cpuAtMax: number;
    achievedCps: number;
}

/** A second Asterisk as the desk phone, answering with Echo(). */
function startPhone(build: AsteriskBuild, transport: PhoneTransport, password: string): Promise<RunningAsterisk> {
    const port = officePorts[transport];
    return startPeerAsterisk(
        `bench-phone-${transport}-${process.pid}`,
        build,
        {
            transport,
            bind: `${phoneAddress}:${port}`,
            office: `sip:${roles.asterisk}:${port}${transport === "tls" ? ";transport=tls" : ""}`,
            context: "answer",
            mediaEncryption: transport === "tls" ? "sdes" : "no",
            registration: { user: "desk", password },
        },
        "[answer]\nexten => desk,1,Answer()\n same => n,Echo()\n",
        0,
    );
}

async function waitForRegistration(office: RunningAsterisk, transport: PhoneTransport): Promise<void> {
    const deadline = Date.now() + 20_000;
    while (!(await office.cli("pjsip show contacts")).includes(`desk/sip:desk@${phoneAddress}`)) {
        if (Date.now() > deadline) throw new Error(`the desk phone did not register over ${transport}`);
        await new Promise((r) => setTimeout(r, 250));
    }
}

/** The office with its desk phone on `transport`, under the plan's load. */
async function measure(build: AsteriskBuild, transport: PhoneTransport): Promise<Measured> {
    const lab = await CallLab.start(
        "freelancer",
        (office) => {
            office.numbers.forEach((n) => (n.ringSeconds = 20));
            office.phones.find((p) => p.name === "desk")!.transport = transport;
        },
        { verbosity: 0, build },
    );
    const phone = await startPhone(build, transport, lab.phone("desk").secret!);
    try {
        await waitForRegistration(lab.asterisk, transport);
        const office = {
            label: transport,
            asterisk: lab.asterisk,
            takeVoicemailCalls: () => {
                const count = lab.inbox(did).length;
                lab.emptyMailbox(did);
                return count;
            },
        };
        const pid = asteriskPid(lab.asterisk);
        await new Promise((r) => setTimeout(r, 3000));
        const idleRssMb = statusKb(pid, "VmRSS") / 1024;
        const { maxCalls, cpuAtMax, loadedRssMb } = await mostSimultaneousCalls(office, pid, plan);
        const { achievedCps } = await fastestSetupRate(office, plan);
        return { idleRssMb, loadedRssMb, peakRssMb: statusKb(pid, "VmHWM") / 1024, maxCalls, cpuAtMax, achievedCps };
    } finally {
        await phone.stop();
        await lab.stop();
    }
}

function rows(tls: Measured, udp: Measured): Comparison[] {
    const plainIs = "the same office, its desk phone over plain SIP (UDP) and RTP";
    const row = (what: string, pick: (m: Measured) => number, unit: string, higherIsBetter = false) => ({
        what,
        deskphone: pick(tls),
        plain: pick(udp),
        unit,
        plainIs,
        higherIsBetter,
    });
    return [
        row("resident memory, idle, phone registered", (m) => m.idleRssMb, "MB"),
        row(`resident memory, ${plan.memoryLevel} calls up`, (m) => m.loadedRssMb, "MB"),
        row("resident memory per simultaneous call", (m) => (m.loadedRssMb - m.idleRssMb) / plan.memoryLevel, "MB"),
        row("resident memory, peak of the whole run", (m) => m.peakRssMb, "MB"),
        row("simultaneous calls to the phone, zero failures", (m) => m.maxCalls, "calls", true),
        row("Asterisk CPU at that level (of one core)", (m) => m.cpuAtMax, "%"),
        row("call setups per second to the phone, zero failures", (m) => m.achievedCps, "calls/s", true),
    ];
}

async function main(): Promise<void> {
    inPrivateNetwork();
    for (const build of asteriskBuilds) {
        console.error(
            `Asterisk ${build.version}: the desk phone over UDP, then over TLS${quick ? " (quick run)" : ""}`,
        );
        const udp = await measure(build, "udp");
        const tls = await measure(build, "tls");
        console.log(
            comparisonTable(
                `Asterisk ${build.version}: the desk phone over TLS + SRTP ("deskphone") and over UDP + RTP`,
                rows(tls, udp),
            ),
        );
        console.log("");
    }
    console.log(
        machineFacts({
            levels: `${plan.levels.join(", ")} simultaneous calls (ramped up in 8 s, held ${plan.holdMs / 1000} s); ${plan.rates.join(", ")} calls/s for ${plan.setupSeconds} s`,
            phone: "a second Asterisk of the same build on 127.0.0.3, answering with Echo()",
        }),
    );
}

main().catch((error) => {
    console.error(error);
    process.exit(1);
});
