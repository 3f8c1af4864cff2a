/**
 * Load on an office's Asterisk: calls from SIPp as the ITSP on 127.0.0.2 to the office's number, answered
 * by a phone the caller provides; Asterisk's own memory and CPU read from /proc. Shared by the benchmarks
 * that compare two configurations under the same load.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { RunningAsterisk } from "../../lab/asterisk";
import { startSipp } from "../../lab/sipp";
import { repoRoot } from "../../lab/stacks";

export const itsp = "127.0.0.2";
export const phoneAddress = "127.0.0.3";
/** The freelancer example's number. */
export const did = "13235550100";
const uacCall = join(repoRoot, "bench", "scenarios", "bench-uac-call.xml");

/** An office under load: its Asterisk, and how many calls voicemail took since last asked (the phone missed them). */
export interface LoadedOffice {
    label: string;
    asterisk: RunningAsterisk;
    /** Calls voicemail answered since the last call of this (the phone did not answer them), counted and cleared. */
    takeVoicemailCalls(): number;
}

/** The levels and rates a benchmark tries, each up to the first with a failure. */
export interface LoadPlan {
    /** Simultaneous-call levels, each ramped up in 8 s and held `holdMs`. */
    levels: number[];
    holdMs: number;
    /** Resident memory is read with this many calls up. */
    memoryLevel: number;
    /** Call setup rates (calls per second), each for `setupSeconds` seconds of calls. */
    rates: number[];
    setupSeconds: number;
}

/** The Asterisk process itself (the last the instance started). */
export function asteriskPid(asterisk: RunningAsterisk): number {
    return asterisk.pids[asterisk.pids.length - 1];
}

export function statusKb(pid: number, field: "VmRSS" | "VmHWM"): number {
    const match = readFileSync(`/proc/${pid}/status`, "utf8").match(new RegExp(`^${field}:\\s+(\\d+) kB`, "m"));
    return match ? Number(match[1]) : NaN;
}

/** CPU seconds (user + system, all threads) the process has used. */
export function cpuSeconds(pid: number): number {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** SIPp's final counters from its statistics file. */
function callCounts(stats: string | undefined): { ok: number; failed: number } {
    const lines = (stats ?? "").trim().split("\n");
    if (lines.length < 2) return { ok: 0, failed: -1 };
    const header = lines[0].split(";");
    const last = lines[lines.length - 1].split(";");
    const value = (name: string) => Number(last[header.indexOf(name)]);
    return { ok: value("SuccessfulCall(C)"), failed: value("FailedCall(C)") };
}

/** Calls from the ITSP to the office's number: `calls` in all, at `rate` per second, each held `hold` ms. */
async function placeCalls(calls: number, rate: number, hold: number, during?: () => Promise<void>) {
    const started = Date.now();
    const run = startSipp({
        scenario: uacCall,
        local: itsp,
        service: did,
        calls,
        rate,
        vars: { from: "12125550147" },
        timeoutSeconds: Math.ceil(calls / rate + hold / 1000 + 30),
        extraArgs: ["-l", String(calls), "-d", String(hold), "-max_socket", "4096"],
    });
    await during?.();
    const result = await run.done;
    if (!result.stats)
        throw new Error(
            `SIPp wrote no statistics (exit ${result.exitCode}): ${result.command}\n${result.stderr}\n${result.errors.slice(0, 2000)}`,
        );
    return { ...callCounts(result.stats), seconds: (Date.now() - started) / 1000, exitCode: result.exitCode };
}

/** placeCalls, and how many of the answered calls voicemail took because the phone did not answer them: those failed too. */
export async function placeOfficeCalls(
    office: LoadedOffice,
    calls: number,
    rate: number,
    hold: number,
    during?: () => Promise<void>,
) {
    office.takeVoicemailCalls();
    const result = await placeCalls(calls, rate, hold, during);
    const toVoicemail = office.takeVoicemailCalls();
    return { ...result, toVoicemail, reachedPhone: result.ok - toVoicemail, failed: result.failed + toVoicemail };
}

/** Each level of simultaneous calls in turn, up to the first with a failure: the last without, its CPU, and memory at `memoryLevel`. */
export async function mostSimultaneousCalls(
    office: LoadedOffice,
    pid: number,
    { levels, holdMs, memoryLevel }: LoadPlan,
): Promise<{ maxCalls: number; cpuAtMax: number; loadedRssMb: number }> {
    let maxCalls = 0;
    let cpuAtMax = 0;
    let loadedRssMb = NaN;
    for (const level of levels) {
        const cpuBefore = cpuSeconds(pid);
        const rate = Math.max(10, level / 8);
        let rssMb = NaN;
        // Sampled once every call of the level is up: after the ramp, within the hold.
        const result = await placeOfficeCalls(office, level, rate, holdMs, async () => {
            await new Promise((r) => setTimeout(r, (level / rate) * 1000 + 3000));
            rssMb = statusKb(pid, "VmRSS") / 1024;
        });
        if (level === memoryLevel) loadedRssMb = rssMb;
        const cpu = ((cpuSeconds(pid) - cpuBefore) / result.seconds) * 100;
        console.error(
            `  ${office.label}: ${level} simultaneous calls → ${result.reachedPhone} answered by the phone, ${result.failed} failed (${result.toVoicemail} to voicemail), Asterisk CPU ${cpu.toFixed(0)} %`,
        );
        if (result.failed !== 0 || result.reachedPhone !== level) break;
        maxCalls = level;
        cpuAtMax = cpu;
    }
    return { maxCalls, cpuAtMax, loadedRssMb };
}

/**
 * Each call setup rate in turn, up to the first with a failure: the last without, and the fastest rate
 * achieved without one (a step can carry every call yet slower than a lower step did, as TLS on
 * Asterisk 20.6.0 does when a connection breaks under load and the phone connects again).
 */
export async function fastestSetupRate(
    office: LoadedOffice,
    { rates, setupSeconds }: LoadPlan,
): Promise<{ maxRate: number; achievedCps: number }> {
    let maxRate = 0;
    let achievedCps = 0;
    for (const rate of rates) {
        const calls = rate * setupSeconds;
        const result = await placeOfficeCalls(office, calls, rate, 1000);
        const cps = result.reachedPhone / Math.max(0.001, result.seconds - 1);
        console.error(
            `  ${office.label}: ${rate} calls/s asked → ${result.reachedPhone}/${calls} answered by the phone, ${result.failed} failed (${result.toVoicemail} to voicemail), ${cps.toFixed(1)} calls/s achieved`,
        );
        if (result.failed !== 0 || result.reachedPhone !== calls) break;
        maxRate = rate;
        achievedCps = Math.max(achievedCps, cps);
    }
    return { maxRate, achievedCps };
}
