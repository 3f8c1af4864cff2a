/**
 * Render time of one office's configuration: reading and checking the stack's settings, then
 * rendering every file, against the plain alternative of a hand-written configuration, whose only
 * cost is reading the same files from disk.
 *   npm run bench:render
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderConfigFiles, renderSecretFiles, resolveSecrets, validateOffice } from "../components";
import { exampleSettings, exampleStacks } from "../lab/stacks";
import { Comparison, comparisonTable, machineFacts, timeMedian } from "./support/report";

const runs = 200;

async function main(): Promise<void> {
    const rows: Comparison[] = [];
    for (const stack of exampleStacks()) {
        const settings = exampleSettings(stack);
        const render = () => {
            const office = validateOffice(structuredClone(settings));
            return [...renderConfigFiles(office), ...renderSecretFiles(office, resolveSecrets(office))];
        };
        const files = render();
        const dir = mkdtempSync(join(tmpdir(), "deskphone-bench-render-"));
        try {
            for (const file of files) writeFileSync(join(dir, file.name), file.text);
            const deskphoneMs = await timeMedian(runs, render);
            const plainMs = await timeMedian(runs, () => files.map((f) => readFileSync(join(dir, f.name), "utf8")));
            rows.push({
                what: `${stack}: ${files.length} files`,
                deskphone: deskphoneMs,
                plain: plainMs,
                unit: "ms",
                plainIs: "reading the same files, hand-written, from disk",
            });
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    }
    console.log(comparisonTable(`Rendering one office (median of ${runs})`, rows));
    console.log("");
    console.log(machineFacts());
}

main().catch((error) => {
    console.error(error);
    process.exit(1);
});
