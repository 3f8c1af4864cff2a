/**
 * The real Pulumi engine (../shared/tools/pulumi) with one office on an existing server (a chroot
 * with Asterisk and sshd on loopback): `pulumi preview`, a no-change `pulumi up`, and a trunk change
 * from `pulumi up` start to the first call through the new trunk — against a bare Pulumi program
 * with one `command` resource that writes pjsip.conf and reloads PJSIP.
 *   npm run bench:engine
 * Runs in a private network namespace; the server chroot comes from the test cache (`npm test`
 * builds it).
 */
import * as fs from "node:fs";
import { join } from "node:path";
import * as YAML from "yaml";
import { renderConfigFiles, validateOffice } from "../components";
import { runSipp, startSipp } from "../lab/sipp";
import { PulumiProject, PulumiResult } from "../lab/pulumiCli";
import { startSshServer, SshServer } from "../lab/sshServer";
import { repoRoot } from "../lab/stacks";
import { Comparison, comparisonTable, machineFacts, median } from "./support/report";
import { inPrivateNetwork } from "./support/privateNetwork";

const server = "127.0.0.31";
const sshPort = 2222;
const oldItsp = "127.0.0.32";
const newItsp = "127.0.0.35";
const caller = "127.0.0.34";
const runs = 3;
const phonePassword = "bench-desk-password-0123456789";
const scenario = (name: string) => join(repoRoot, "lab", "scenarios", name);

/** The office: one phone, one number, an in/out-peers ITSP at `itsp`, on the server on loopback. */
function officeSettings(itsp: string): Record<string, unknown> {
    return {
        office: { name: "Bench", country: "US", timezone: "America/New_York", voicemailFrom: "vm@bench.example" },
        trunks: [{ name: "itsp", kind: "peers", inboundAddresses: [oldItsp, newItsp], outboundHost: `${itsp}:5060` }],
        numbers: [{ e164: "+13235550100" }],
        phones: [{ name: "desk", extension: "100", callerId: "+13235550100", secret: phonePassword }],
        server: { bindAddress: server, existing: { host: server, port: sshPort, privateKey: "set below" } },
    };
}

/** Writes a stack file's config, keeping what the engine put there (salt, encrypted values). */
function setConfig(project: PulumiProject, stack: string, config: Record<string, unknown>): void {
    const file = project.stackFile(stack);
    const current = fs.existsSync(file) ? YAML.parse(fs.readFileSync(file, "utf8")) : {};
    fs.writeFileSync(file, YAML.stringify({ ...current, config: { ...current.config, ...config } }));
}

function deskphoneConfig(itsp: string): Record<string, unknown> {
    const settings = officeSettings(itsp) as {
        server: { existing: { privateKey?: unknown } };
        phones: { secret?: unknown }[];
    };
    delete settings.server.existing.privateKey;
    delete settings.phones[0].secret;
    return Object.fromEntries(Object.entries(settings).map(([k, v]) => [`deskphone:${k}`, v]));
}

/** The pjsip.conf deskphone renders for the office: what the bare program writes. */
function pjsipText(itsp: string): string {
    const settings = officeSettings(itsp);
    return renderConfigFiles(validateOffice(settings)).find((f) => f.name === "pjsip.conf")!.text;
}

/** Seconds from the start of `up` until an outbound call from the desk phone is answered by the ITSP at `itsp`. */
async function upUntilCallReaches(project: PulumiProject, stack: string, itsp: string): Promise<number> {
    const started = Date.now();
    await project.ok(["up", "--stack", stack, "--yes", "--skip-preview"]);
    const answering = startSipp({ scenario: scenario("e2e-uas-answer.xml"), local: itsp, timeoutSeconds: 30 });
    const call = await runSipp({
        scenario: scenario("e2e-uac-call.xml"),
        local: caller,
        remote: `${server}:5060`,
        service: "2125550147",
        vars: { from: "desk" },
        timeoutSeconds: 20,
        extraArgs: ["-d", "0", "-au", "desk", "-ap", phonePassword],
    });
    const seconds = (Date.now() - started) / 1000;
    const reached = await answering.done;
    if (call.exitCode !== 0 || !reached.messages.includes(`INVITE sip:12125550147@${itsp}`))
        throw new Error(`the call did not reach ${itsp}:\n${call.messages}\n${reached.messages}`);
    return seconds;
}

async function medianSeconds(times: number, run: () => Promise<{ seconds: number }>): Promise<number> {
    const seconds: number[] = [];
    for (let i = 0; i < times; i++) seconds.push((await run()).seconds);
    return median(seconds);
}

/** deskphone's first `up`: a fresh stack on the old ITSP, with the host's SSH key and the phone's password as secrets. */
async function firstDeskphoneUp(desk: PulumiProject, privateKey: string): Promise<PulumiResult> {
    console.error("deskphone: first up installs Asterisk and writes the office");
    await desk.ok(["stack", "init", "office", "--secrets-provider", "passphrase"]);
    setConfig(desk, "office", deskphoneConfig(oldItsp));
    const setSecret = (path: string, value: string) =>
        desk.ok(["config", "set", "--stack", "office", "--secret", "--path", path, "--", value]);
    await setSecret("deskphone:server.existing.privateKey", privateKey);
    await setSecret("deskphone:phones[0].secret", phonePassword);
    return desk.ok(["up", "--stack", "office", "--yes", "--skip-preview"]);
}

async function firstBareUp(bare: PulumiProject, privateKey: string): Promise<void> {
    console.error("bare program: one command resource");
    await bare.ok(["stack", "init", "office", "--secrets-provider", "passphrase"]);
    setConfig(bare, "office", { "bench:host": server, "bench:port": sshPort, "bench:pjsip": pjsipText(oldItsp) });
    await bare.ok(["config", "set", "--stack", "office", "--secret", "bench:privateKey", "--", privateKey]);
    await bare.ok(["up", "--stack", "office", "--yes", "--skip-preview"]);
}

/** Median seconds of each run, deskphone's and the bare program's. */
interface NoChangeTimes {
    deskPreview: number;
    barePreview: number;
    deskUp: number;
    bareUp: number;
}

/** Median seconds of `pulumi preview` and of a no-change `pulumi up`, deskphone's then the bare program's. */
async function noChangeTimes(desk: PulumiProject, bare: PulumiProject): Promise<NoChangeTimes> {
    const preview = (p: PulumiProject) => medianSeconds(runs, () => p.ok(["preview", "--stack", "office"]));
    const upNoChange = (p: PulumiProject) =>
        medianSeconds(runs, () => p.ok(["up", "--stack", "office", "--yes", "--skip-preview", "--expect-no-changes"]));
    const deskPreview = await preview(desk);
    const barePreview = await preview(bare);
    const deskUp = await upNoChange(desk);
    const bareUp = await upNoChange(bare);
    return { deskPreview, barePreview, deskUp, bareUp };
}

interface TrunkChangeTimes {
    deskChange: number;
    bareChange: number;
}

/** Seconds from `up` to a call through the moved ITSP, deskphone's then the bare program's. */
async function trunkChangeTimes(desk: PulumiProject, bare: PulumiProject): Promise<TrunkChangeTimes> {
    console.error("trunk change: the ITSP moves; up, then a call through it");
    setConfig(desk, "office", { "deskphone:trunks": deskphoneConfig(newItsp)["deskphone:trunks"] });
    const deskChange = await upUntilCallReaches(desk, "office", newItsp);
    // The bare stack first puts the old ITSP back in the file deskphone just changed, so its change is a real one.
    setConfig(bare, "office", { "bench:pjsip": pjsipText(oldItsp) });
    await bare.ok(["up", "--stack", "office", "--yes", "--skip-preview"]);
    setConfig(bare, "office", { "bench:pjsip": pjsipText(newItsp) });
    const bareChange = await upUntilCallReaches(bare, "office", newItsp);
    return { deskChange, bareChange };
}

async function printReport(
    desk: PulumiProject,
    firstUp: PulumiResult,
    { deskPreview, barePreview, deskUp, bareUp }: NoChangeTimes,
    { deskChange, bareChange }: TrunkChangeTimes,
): Promise<void> {
    const plainIs = "bare program, one command resource (write pjsip.conf, reload PJSIP)";
    const rows: Comparison[] = [
        { what: "pulumi preview", deskphone: deskPreview, plain: barePreview, unit: "s", plainIs },
        { what: "pulumi up, no change", deskphone: deskUp, plain: bareUp, unit: "s", plainIs },
        {
            what: "trunk change: up start to a call through the new trunk",
            deskphone: deskChange,
            plain: bareChange,
            unit: "s",
            plainIs,
        },
    ];
    console.log(comparisonTable(`The real Pulumi engine, one office on an existing server (median of ${runs})`, rows));
    console.log("");
    console.log(
        `First up of a fresh office (install Asterisk over SSH, write ${renderConfigFiles(validateOffice(officeSettings(oldItsp))).length} files): ${firstUp.seconds.toFixed(1)} s.`,
    );
    console.log("");
    console.log(machineFacts({ pulumi: (await desk.ok(["version"])).stdout.trim() }));
}

async function main(): Promise<void> {
    inPrivateNetwork();
    let host: SshServer | undefined;
    const projects: PulumiProject[] = [];
    try {
        host = await startSshServer(server, sshPort);
        const desk = new PulumiProject("bench-desk");
        const bare = new PulumiProject("bench-bare", "bench/bareCommandProgram.ts");
        projects.push(desk, bare);
        const firstUp = await firstDeskphoneUp(desk, host.privateKey);
        await firstBareUp(bare, host.privateKey);
        const noChange = await noChangeTimes(desk, bare);
        const trunkChange = await trunkChangeTimes(desk, bare);
        await printReport(desk, firstUp, noChange, trunkChange);
    } finally {
        for (const p of projects) p.remove();
        await host?.stop();
    }
}

main().catch((error) => {
    console.error(error);
    process.exit(1);
});
