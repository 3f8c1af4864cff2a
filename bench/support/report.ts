/**
 * What every benchmark prints: Markdown tables of deskphone's figure beside its plain alternative,
 * measured in the same run, and the machine they ran on.
 */
import { execFileSync } from "node:child_process";
import { cpus, totalmem } from "node:os";
import { readFileSync } from "node:fs";

/** One measured figure: deskphone's value, the plain alternative's, and how to read them. */
export interface Comparison {
    what: string;
    deskphone: number;
    plain: number;
    unit: string;
    /** What "plain" is in this row. */
    plainIs: string;
    /** True when bigger is better (calls, calls per second); the ratio is always deskphone ÷ plain. */
    higherIsBetter?: boolean;
}

export function formatNumber(value: number): string {
    if (!Number.isFinite(value)) return "—";
    if (Math.abs(value) >= 100) return value.toFixed(0);
    if (Math.abs(value) >= 10) return value.toFixed(1);
    return value.toFixed(2);
}

/** A Markdown table: figure, deskphone, plain alternative, ratio (deskphone ÷ plain). */
export function comparisonTable(title: string, rows: Comparison[]): string {
    const lines = [
        `### ${title}`,
        "",
        "| measure | deskphone | plain alternative | ratio | plain is |",
        "|---|---:|---:|---:|---|",
    ];
    for (const r of rows) {
        const ratio = r.plain === 0 ? "—" : `${formatNumber(r.deskphone / r.plain)}×`;
        const better = r.higherIsBetter ? " (higher is better)" : "";
        lines.push(
            `| ${r.what}${better} | ${formatNumber(r.deskphone)} ${r.unit} | ${formatNumber(r.plain)} ${r.unit} | ${ratio} | ${r.plainIs} |`,
        );
    }
    return lines.join("\n");
}

/** The machine a table was measured on ("" when `npm run bench` prints it once for all tables). */
export function machineFacts(extra: Record<string, string> = {}): string {
    if (process.env.DESKPHONE_BENCH_COMBINED === "1") return "";
    const cpu = cpus();
    const kernel = readFileSync("/proc/sys/kernel/osrelease", "utf8").trim();
    const facts: Record<string, string> = {
        date: new Date().toISOString().slice(0, 16).replace("T", " ") + " UTC",
        cpu: `${cpu[0]?.model.trim() ?? "unknown"} × ${cpu.length}`,
        memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
        kernel,
        node: process.version,
        ...extra,
    };
    return Object.entries(facts)
        .map(([k, v]) => `- ${k}: ${v}`)
        .join("\n");
}

/** Median of a list of numbers. */
export function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median wall time in ms of `runs` calls of fn (after one warm-up call). */
export async function timeMedian(runs: number, fn: () => unknown | Promise<unknown>): Promise<number> {
    await fn();
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
        const start = process.hrtime.bigint();
        await fn();
        times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    return median(times);
}

/** Output of a command, or "" when it fails (for facts only). */
export function commandOutput(command: string, args: string[]): string {
    try {
        return execFileSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    } catch {
        return "";
    }
}
