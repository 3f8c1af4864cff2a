/**
 * Asterisk with deskphone's rendered office (the freelancer example) against Debian's stock
 * configuration (every module it autoloads) with an equivalent minimal PJSIP trunk, phone and
 * dialplan: resident memory idle and under load, the most simultaneous calls with RTP and zero
 * failures, call setups per second, and a configuration reload during load.
 *   npm run bench:asterisk
 * A call counts when the phone answered it: one voicemail took failed. Both run without -v, as
 * Asterisk's systemd unit does (with -vvv, deskphone's messages.log writes each call's steps).
 * Calls: SIPp as the ITSP on 127.0.0.2 delivers calls to the office's number; a SIPp desk phone on
 * 127.0.0.3, registered with its password, answers each and echoes its audio. Runs in a private
 * network namespace; every SIPp run is bounded in calls and time. Both run on each Asterisk the tests
 * run (Debian's 22 and 20.6.0, Ubuntu 24.04's): a table per version, then every figure side by side.
 *   npm run bench:asterisk -- --quick    # two load levels and one rate: checks the benchmark itself runs
 */
import { join } from "node:path";
import { CallLab } from "../lab/callLab";
import { startAsterisk } from "../lab/asterisk";
import { AsteriskBuild, asteriskBuilds } from "../lab/asteriskBuilds";
import { SippProcess, startSipp } from "../lab/sipp";
import { repoRoot } from "../lab/stacks";
import { Comparison, comparisonTable, formatNumber, machineFacts } from "./support/report";
import { inPrivateNetwork } from "./support/privateNetwork";
import {
    asteriskPid,
    did,
    fastestSetupRate,
    itsp,
    LoadedOffice,
    mostSimultaneousCalls,
    phoneAddress,
    placeOfficeCalls,
    statusKb,
} from "./support/callLoad";

const scenarios = join(repoRoot, "lab", "scenarios");
/** Simultaneous-call levels tried in turn, up to the first with a failed call; each ramps up in 8 s. */
const quick = process.argv.includes("--quick");
const levels = quick ? [25, 50] : [25, 50, 100, 200, 300, 400, 600, 800, 1000, 1200, 1600, 2000];
/** Both run as Asterisk's systemd unit runs it: no -v, so no per-call verbose lines (the tests use -vvv). */
const verbosity = 0;
/** Call setup rates tried in turn (calls per second), each for `setupSeconds` seconds of calls. */
const rates = quick ? [25] : [25, 50, 100, 200, 400];
const setupSeconds = 4;
const holdMs = 10_000;
/** Memory is compared with this many calls up, a level both configurations carry. */
const memoryLevel = quick ? 50 : 400;
const plan = { levels, holdMs, memoryLevel, rates, setupSeconds };

interface Office extends LoadedOffice {
    phonePassword: string;
    bootMs: number;
    stop(): Promise<void>;
}

interface Results {
    bootMs: number;
    modules: number;
    idleRssMb: number;
    /** Resident memory with `memoryLevel` calls up. */
    loadedRssMb: number;
    peakRssMb: number;
    maxCalls: number;
    cpuAtMax: number;
    maxRate: number;
    achievedCps: number;
    reloadMs: number;
    droppedDuringReload: number;
    reloadCalls: number;
    version: string;
}

/**
 * deskphone: the freelancer example rendered for loopback as the call-flow tests load it, but ringing
 * 20 s (the stack's default, and the stock dialplan's) instead of the tests' short ring.
 */
async function deskphoneOffice(build: AsteriskBuild): Promise<Office> {
    const started = Date.now();
    const lab = await CallLab.start("freelancer", (office) => office.numbers.forEach((n) => (n.ringSeconds = 20)), {
        verbosity,
        build,
    });
    return {
        label: "deskphone",
        asterisk: lab.asterisk,
        phonePassword: lab.phone("desk").secret!,
        bootMs: Date.now() - started,
        takeVoicemailCalls: () => {
            const count = lab.inbox(did).length;
            lab.emptyMailbox(did);
            return count;
        },
        stop: () => lab.stop(),
    };
}

/** The plain alternative: the build's stock /etc/asterisk (Debian's, or 20.6.0's `make samples`; autoload=yes) plus the smallest PJSIP and dialplan that do the same call. */
async function stockOffice(build: AsteriskBuild): Promise<Office> {
    const password = "bench-desk-password-0123456789";
    const pjsip = [
        "[udp]",
        "type=transport",
        "protocol=udp",
        "bind=127.0.0.1:5060",
        "",
        "[desk]",
        "type=endpoint",
        "context=from-phones",
        "disallow=all",
        "allow=ulaw,alaw",
        "auth=desk",
        "aors=desk",
        "",
        "[desk]",
        "type=auth",
        "auth_type=userpass",
        "username=desk",
        `password=${password}`,
        "",
        "[desk]",
        "type=aor",
        "max_contacts=1",
        "",
        "[itsp]",
        "type=endpoint",
        "context=from-trunk",
        "disallow=all",
        "allow=ulaw,alaw",
        "",
        "[itsp]",
        "type=identify",
        "endpoint=itsp",
        `match=${itsp}`,
        "",
    ].join("\n");
    const extensions = [
        "[from-trunk]",
        `exten => ${did},1,Dial(PJSIP/desk,20)`,
        " same => n,Hangup()",
        "",
        "[from-phones]",
        "",
    ].join("\n");
    const started = Date.now();
    const asterisk = await startAsterisk(
        { "pjsip.conf": pjsip, "extensions.conf": extensions },
        { build, name: `bench-stock-${process.pid}`, stockConfig: true, bootTimeoutMs: 60_000, verbosity },
    );
    // No voicemail: a call the phone does not answer fails at the ITSP.
    return {
        label: "stock",
        asterisk,
        phonePassword: password,
        bootMs: Date.now() - started,
        takeVoicemailCalls: () => 0,
        stop: () => asterisk.stop(),
    };
}

/** The desk phone: registers with its password, answers every call and echoes its audio back. */
async function registerPhone(office: Office): Promise<SippProcess> {
    const phone = startSipp({
        scenario: join(scenarios, "e2e-phone.xml"),
        local: phoneAddress,
        service: "desk",
        timeoutSeconds: 900,
        rtpEcho: true,
        extraArgs: [
            "-au",
            "desk",
            "-ap",
            office.phonePassword,
            "-oocsf",
            join(scenarios, "e2e-phone-calls.xml"),
            "-max_socket",
            "4096",
        ],
    });
    const deadline = Date.now() + 15_000;
    while (!(await office.asterisk.cli("pjsip show contacts")).includes(`desk/sip:desk@${phoneAddress}`)) {
        if (Date.now() > deadline) throw new Error(`the ${office.label} desk phone did not register`);
        await new Promise((r) => setTimeout(r, 200));
    }
    return phone;
}

/** After 3 s of quiet: resident memory, the modules loaded and the version line. */
async function idleFigures(
    office: Office,
    pid: number,
): Promise<{ idleRssMb: number; modules: number; version: string }> {
    await new Promise((r) => setTimeout(r, 3000));
    const idleRssMb = statusKb(pid, "VmRSS") / 1024;
    const modules = Number((await office.asterisk.cli("module show")).match(/(\d+) modules loaded/)?.[1] ?? NaN);
    const version = (await office.asterisk.cli("core show version")).match(/^Asterisk .*$/m)?.[0] ?? "unknown";
    return { idleRssMb, modules, version };
}

/** Reloads what deskphone reloads when a trunk or the dialplan changes, with calls up: how long it took and the calls it dropped. */
async function reloadWithCallsUp(
    office: Office,
    maxCalls: number,
): Promise<{ reloadMs: number; droppedDuringReload: number; reloadCalls: number }> {
    const reloadCalls = Math.max(10, Math.min(50, maxCalls));
    let reloadMs = 0;
    const reload = await placeOfficeCalls(office, reloadCalls, 25, 15_000, async () => {
        await new Promise((r) => setTimeout(r, (reloadCalls / 25) * 1000 + 1000));
        const started = Date.now();
        await office.asterisk.cli("module reload res_pjsip.so");
        await office.asterisk.cli("dialplan reload");
        reloadMs = Date.now() - started;
    });
    console.error(
        `  ${office.label}: reload with ${reloadCalls} calls up → ${reload.reachedPhone} completed, ${reload.failed} dropped, reload ${reloadMs} ms`,
    );
    return { reloadMs, droppedDuringReload: reloadCalls - reload.reachedPhone, reloadCalls };
}

async function measure(office: Office): Promise<Results> {
    const pid = asteriskPid(office.asterisk);
    const phone = await registerPhone(office);
    try {
        const { idleRssMb, modules, version } = await idleFigures(office, pid);
        const { maxCalls, cpuAtMax, loadedRssMb } = await mostSimultaneousCalls(office, pid, plan);
        const { maxRate, achievedCps } = await fastestSetupRate(office, plan);
        const { reloadMs, droppedDuringReload, reloadCalls } = await reloadWithCallsUp(office, maxCalls);
        const peakRssMb = statusKb(pid, "VmHWM") / 1024;
        return {
            bootMs: office.bootMs,
            modules,
            idleRssMb,
            loadedRssMb,
            peakRssMb,
            maxCalls,
            cpuAtMax,
            maxRate,
            achievedCps,
            reloadMs,
            droppedDuringReload,
            reloadCalls,
            version,
        };
    } finally {
        await phone.stop();
    }
}

async function measureOffice(start: () => Promise<Office>): Promise<Results> {
    const office = await start();
    try {
        return await measure(office);
    } finally {
        await office.stop();
    }
}

/** What each call up adds to Asterisk's resident memory, from idle to `memoryLevel` calls. */
function perCall(r: Results): number {
    return (r.loadedRssMb - r.idleRssMb) / memoryLevel;
}

/** Every figure of one version: deskphone's office beside the stock configuration. */
function comparisons(desk: Results, stock: Results): Comparison[] {
    const plainIs = "the stock config, all modules, minimal PJSIP + dialplan";
    return [...startupAndMemoryComparisons(desk, stock, plainIs), ...loadComparisons(desk, stock, plainIs)];
}

/** Modules, boot time and resident memory. */
function startupAndMemoryComparisons(desk: Results, stock: Results, plainIs: string): Comparison[] {
    return [
        { what: "modules loaded", deskphone: desk.modules, plain: stock.modules, unit: "", plainIs },
        { what: "boot to fully booted", deskphone: desk.bootMs / 1000, plain: stock.bootMs / 1000, unit: "s", plainIs },
        { what: "resident memory, idle", deskphone: desk.idleRssMb, plain: stock.idleRssMb, unit: "MB", plainIs },
        {
            what: `resident memory, ${memoryLevel} calls up`,
            deskphone: desk.loadedRssMb,
            plain: stock.loadedRssMb,
            unit: "MB",
            plainIs,
        },
        {
            what: "resident memory, peak of the whole run",
            deskphone: desk.peakRssMb,
            plain: stock.peakRssMb,
            unit: "MB",
            plainIs,
        },
        {
            what: "resident memory per simultaneous call",
            deskphone: perCall(desk),
            plain: perCall(stock),
            unit: "MB",
            plainIs,
        },
    ];
}

/** Simultaneous calls, call setups and the reload under load. */
function loadComparisons(desk: Results, stock: Results, plainIs: string): Comparison[] {
    return [
        {
            what: "simultaneous calls with RTP, zero failures",
            deskphone: desk.maxCalls,
            plain: stock.maxCalls,
            unit: "calls",
            plainIs,
            higherIsBetter: true,
        },
        {
            what: "Asterisk CPU at that level (of one core)",
            deskphone: desk.cpuAtMax,
            plain: stock.cpuAtMax,
            unit: "%",
            plainIs,
        },
        {
            what: "call setups per second, zero failures",
            deskphone: desk.achievedCps,
            plain: stock.achievedCps,
            unit: "calls/s",
            plainIs,
            higherIsBetter: true,
        },
        {
            what: `reload (res_pjsip + dialplan) with calls up`,
            deskphone: desk.reloadMs,
            plain: stock.reloadMs,
            unit: "ms",
            plainIs,
        },
        {
            what: "calls dropped by that reload",
            deskphone: desk.droppedDuringReload,
            plain: stock.droppedDuringReload,
            unit: `of ${desk.reloadCalls}/${stock.reloadCalls}`,
            plainIs,
        },
    ];
}

/** Each figure once per version, side by side: deskphone's office on each, then the stock configuration on each. */
function versionsTable(measured: { build: AsteriskBuild; rows: Comparison[] }[]): string {
    const versions = measured.map((m) => m.build.version);
    const lines = [
        "### Asterisk versions side by side (freelancer office)",
        "",
        `| measure | ${versions.map((v) => `deskphone on ${v}`).join(" | ")} | ${versions.map((v) => `stock on ${v}`).join(" | ")} |`,
        `|---|${versions.map(() => "---:|").join("")}${versions.map(() => "---:|").join("")}`,
    ];
    measured[0].rows.forEach((row, i) => {
        const cells = (pick: (r: Comparison) => number) =>
            measured.map((m) => `${formatNumber(pick(m.rows[i]))} ${m.rows[i].unit}`.trim());
        lines.push(
            `| ${row.what}${row.higherIsBetter ? " (higher is better)" : ""} | ${cells((r) => r.deskphone).join(" | ")} | ${cells((r) => r.plain).join(" | ")} |`,
        );
    });
    return lines.join("\n");
}

async function main(): Promise<void> {
    inPrivateNetwork();
    const measured: { build: AsteriskBuild; version: string; rows: Comparison[] }[] = [];
    for (const build of asteriskBuilds) {
        console.error(
            `Asterisk ${build.version} benchmark: deskphone's office, then the stock configuration${quick ? " (quick run)" : ""}`,
        );
        const desk = await measureOffice(() => deskphoneOffice(build));
        const stock = await measureOffice(() => stockOffice(build));
        const rows = comparisons(desk, stock);
        measured.push({ build, version: desk.version, rows });
        console.log(comparisonTable(`Asterisk ${build.version}: memory, calls and reload (freelancer office)`, rows));
        console.log("");
    }
    console.log(versionsTable(measured));
    console.log("");
    console.log(
        machineFacts({
            asterisk: measured.map((m) => m.version).join("; "),
            levels: `${levels.join(", ")} simultaneous calls (ramped up in 8 s, held ${holdMs / 1000} s); ${rates.join(", ")} calls/s for ${setupSeconds} s`,
        }),
    );
}

main().catch((error) => {
    console.error(error);
    process.exit(1);
});
