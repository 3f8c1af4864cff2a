/**
 * Every benchmark, one after the other, printed as one Markdown document with the machine once:
 *   npm run bench
 * About 30 minutes on a 2-core machine; each part is also its own script (npm run bench:<part>).
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { chrootPath } from "../lab/asterisk";
import { commandOutput, machineFacts } from "./support/report";

const parts = ["render", "program", "engine", "asterisk", "tls", "install"];

function main(): number {
    const asterisk = commandOutput("chroot", [chrootPath(), "asterisk", "-V"]);
    const tables: string[] = [];
    for (const part of parts) {
        console.error(`bench:${part} …`);
        const started = Date.now();
        const run = spawnSync(process.execPath, [...process.execArgv, join(__dirname, `${part}.ts`)], {
            env: { ...process.env, DESKPHONE_BENCH_COMBINED: "1" },
            encoding: "utf8",
            stdio: ["ignore", "pipe", "inherit"],
        });
        if (run.status !== 0) {
            console.error(`bench:${part} failed (exit ${run.status})`);
            return 1;
        }
        console.error(`bench:${part} done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
        tables.push(run.stdout.trim());
    }
    console.log(
        ["## Benchmarks", "", "Measured on:", "", machineFacts({ asterisk }), "", ...tables.flatMap((t) => [t, ""])]
            .join("\n")
            .trim(),
    );
    return 0;
}

process.exitCode = main();
