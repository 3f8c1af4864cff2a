/**
 * The server install script, from a fresh Debian sid chroot to Asterisk answering, against the
 * plain alternative: installing Debian's asterisk package and starting it with its stock
 * configuration. Both install from this machine's Debian mirror (no private network namespace).
 *   npm run bench:install
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { waitForAsterisk } from "../components/asteriskHost";
import { renderInstallScript } from "../components/render/serverFiles";
import { freshServerRoot, removeServerRoot, runInChroot } from "../lab/chroot";
import { Comparison, comparisonTable, machineFacts } from "./support/report";

const plainInstall = [
    "set -eu",
    "export DEBIAN_FRONTEND=noninteractive",
    "apt-get update -q",
    "apt-get install -y -q asterisk",
    "asterisk",
    waitForAsterisk,
].join("\n");

/** Seconds the script takes in a fresh chroot, ending with Asterisk answering. */
async function timeInFreshChroot(label: string, script: string): Promise<number> {
    const root = freshServerRoot("debian-sid-base");
    try {
        fs.writeFileSync(path.join(root, "root/bench-install"), `${script}\n`, { mode: 0o755 });
        const started = Date.now();
        const { code, output } = await runInChroot(root, "sh /root/bench-install", 15 * 60_000);
        if (code !== 0 || !/Asterisk 2\d\.\d+/.test(output))
            throw new Error(`${label} install failed (exit ${code}):\n${output.slice(-3000)}`);
        return (Date.now() - started) / 1000;
    } finally {
        removeServerRoot(root);
    }
}

async function main(): Promise<void> {
    if (process.getuid?.() !== 0) throw new Error("this benchmark builds chroots: run it as root");
    const deskphone = await timeInFreshChroot("deskphone", `${renderInstallScript()}\n${waitForAsterisk}`);
    const plain = await timeInFreshChroot("plain", plainInstall);
    const rows: Comparison[] = [
        {
            what: "fresh Debian sid chroot to Asterisk answering",
            deskphone,
            plain,
            unit: "s",
            plainIs: "apt-get install asterisk (with its recommends), start it with the stock config",
        },
    ];
    console.log(comparisonTable("Server install (from this machine's Debian mirror)", rows));
    console.log("");
    console.log(machineFacts());
}

main().catch((error) => {
    console.error(error);
    process.exit(1);
});
