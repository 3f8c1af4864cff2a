/**
 * Local mode: a real Asterisk 22 on this machine (the call tests' Debian sid chroot) running a stack's
 * rendered office, for a softphone to register to, call through and leave voicemail on. Its trunks
 * point at a stand-in provider on 127.0.0.2 (standInProvider.ts), so nothing reaches a real one: it answers
 * outbound calls with a tone, printing what arrived, and calls in to a number typed here. Voicemail email
 * goes to a relay on 127.0.0.1:2525 that prints what it receives. Ctrl-C stops it all.
 *   npm run local -- freelancer                          # Asterisk on 127.0.0.1:5060
 *   npm run local -- freelancer --address 192.168.1.20   # reachable from a phone on your network
 * Runs as root (the chroot); builds the chroot on first use (about a minute).
 */
import * as fs from "fs";
import * as path from "path";
import {
    loadStackOffice,
    Office,
    OfficeConfigError,
    RenderedFile,
    renderConfigFiles,
    renderSecretFiles,
    resolveSecrets,
    SecretValues,
    standInNumbers,
    withNumbers,
} from "../components";
import { RunningAsterisk, startAsterisk } from "../lab/asterisk";
import { MailRelay, startMailRelay } from "../lab/mailRelay";
import { ReceivedMail, decodeHeader, mailParts, splitHeaders } from "../lab/smtpServer";
import { examplePassphrase } from "../lab/stacks";
import { createInterface } from "node:readline";
import { clientInstructions, outsideCaller } from "./clientSetup";
import { describeCall, describeInbound, StandInProvider, startStandInProvider } from "./standInProvider";

/** The stand-in provider every trunk points at: nothing leaves this machine. */
const providerAddress = "127.0.0.2:5060";
/** The port the printed SIPp calls leave from, beside the stand-in provider's own (5060) and its calls' (5070 and up). */
const printedCallPort = 5064;
/** Where the voicemail relay listens. */
const relay = { host: "127.0.0.1", port: 2525 };

interface Args {
    stack: string;
    address: string;
}

function parseArgs(argv: string[]): Args {
    const args: Args = { stack: "freelancer", address: "127.0.0.1" };
    for (let i = 0; i < argv.length; i++) {
        if (argv[i] === "--address") args.address = argv[++i] ?? "";
        else if (argv[i].startsWith("--address=")) args.address = argv[i].slice("--address=".length);
        else if (argv[i].startsWith("-")) throw new UsageError(`unknown option ${argv[i]}`);
        else args.stack = argv[i];
    }
    if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(args.address))
        throw new UsageError(`--address takes an IPv4 address of this machine, not "${args.address}"`);
    return args;
}

class UsageError extends Error {}

/** Where each trunk of the office points, by trunk name: here, all at the stand-in provider. */
type TrunkAddresses = Record<string, { host: string; matches: string[] }>;

/** The stack's office, made to run here: SIP on `address`, trunks to the stand-in provider, voicemail mailed to the local relay. */
function localOffice(stack: string, address: string): { office: Office; trunkAddresses: TrunkAddresses } {
    const root = path.join(__dirname, "..");
    const stackFile = path.join(root, "stacks", `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(stackFile)) {
        const known = fs.readdirSync(path.join(root, "stacks")).map((f) => f.replace(/^Pulumi\.|\.yaml$/g, ""));
        throw new UsageError(`no stack file ${path.relative(root, stackFile)}; stacks: ${known.join(", ")}`);
    }
    // Numbers still to buy ring here under stand-in numbers (+1 323 555 0101 for area code 323).
    const loaded = loadStackOffice(stackFile, process.env.PULUMI_CONFIG_PASSPHRASE ?? examplePassphrase).office;
    const office = withNumbers(loaded, standInNumbers(loaded));
    office.server.bindAddress = address;
    office.server.behindNat = false;
    office.mail = office.mail ? { ...office.mail, ...relay } : { ...relay, tls: "none" };
    for (const number of office.numbers)
        if (number.mailbox) number.email ??= `voicemail-${number.e164.slice(1)}@localhost`;
    // The client lines printed below and the stand-in provider are plain SIP over UDP: locally, phones and
    // trunks keep to it (on the server, phones use TLS, and a Twilio trunk may use Secure Trunking).
    for (const phone of office.phones) phone.transport = "udp";
    for (const trunk of office.trunks) if (trunk.kind === "twilio") trunk.secureTrunking = false;
    const trunkAddresses = Object.fromEntries(
        office.trunks.map((t) => [t.name, { host: providerAddress, matches: [providerAddress.split(":")[0]] }]),
    );
    return { office, trunkAddresses };
}

const outsideCallerText = `+${outsideCaller}`;
/** Seconds an answered call from the stand-in provider stays up. */
const inboundHoldSeconds = 20;

/** The office's number a typed line names (its E.164, digits, or name; empty: the first number). */
function typedNumber(office: Office, typed: string): string | undefined {
    const text = typed.trim();
    if (!text) return office.numbers[0].e164;
    const digits = text.replace(/[^\d]/g, "");
    return office.numbers.find(
        (n) =>
            n.name === text || n.e164 === text || (digits && (n.e164.slice(1) === digits || n.e164.endsWith(digits))),
    )?.e164;
}

function instructions(
    office: Office,
    secrets: Record<string, string>,
    address: string,
    asterisk: RunningAsterisk,
): string {
    const server = { address, port: 5060, transport: "udp" as const };
    const [providerHost] = providerAddress.split(":");
    const number = office.numbers[0];
    const lines = [
        "",
        `Asterisk 22 is running the ${office.office.name} office on ${address}:5060 (SIP over UDP).`,
        ...clientInstructions(office, secrets, server, { address: providerHost, port: printedCallPort }),
        "",
        "Then dial: another phone's extension; 1 (or your own number) for your mailbox; any number to go out",
        `through the trunks, which here reach only the stand-in provider on ${providerAddress}: it answers with a tone`,
        "and prints the Request-URI, From and P-Asserted-Identity it received.",
        `To have the stand-in provider call in, type a number of the office and Enter (just Enter: ${number.e164});`,
        `answered, the call stays up ${inboundHoldSeconds} s.`,
        `Unanswered calls go to voicemail after ${number.ringSeconds} s; its emails arrive at ${relay.host}:${relay.port} and are shown here.`,
        "",
        `Asterisk's console: chroot ${asterisk.root} asterisk -C ${asterisk.confPath} -r`,
        `Its log: ${path.join(asterisk.logDir, "messages.log")}`,
        "Ctrl-C stops Asterisk and the relay.",
        "",
    ];
    return lines.join("\n");
}

function describeMail(mail: ReceivedMail): string {
    const subject = decodeHeader(splitHeaders(mail.data).headers.subject ?? "");
    const attachments = mailParts(mail.data)
        .filter((p) => p.filename)
        .map((p) => `${p.filename} (${p.body.length} bytes)`);
    return `voicemail email to ${mail.to.join(", ")}: "${subject}"${attachments.length ? `, attached ${attachments.join(", ")}` : ""}`;
}

/** What local mode has started, for Ctrl-C or an Asterisk that exits on its own to stop. */
class LocalRun {
    mailRelay: MailRelay | undefined;
    asterisk: RunningAsterisk | undefined;
    provider: StandInProvider | undefined;
    /** Set by the first signal: its handler stops everything and exits. */
    interrupted = false;
    private stopping: Promise<void> | undefined;

    /** Stops the stand-in provider and Asterisk, then the mail relay; once, however often it is called. */
    stop(): Promise<void> {
        return (this.stopping ??= (async () => {
            try {
                await this.provider?.stop();
                await this.asterisk?.stop();
            } finally {
                await this.mailRelay?.stop();
            }
        })());
    }

    // Ctrl-C: stop Asterisk with "core stop now" and put the chroot back, rather than the harness's SIGKILL.
    // (The terminal and tsx may both deliver the signal: later ones are ignored while stopping.)
    stopOnSignals(): void {
        for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
            process.removeAllListeners(signal);
            process.on(signal, () => {
                if (this.interrupted) return;
                this.interrupted = true;
                console.log(`\n${signal}: stopping Asterisk, the stand-in provider and the mail relay…`);
                void this.stop().then(
                    () => {
                        console.log("stopped.");
                        process.exit(0);
                    },
                    (e) => {
                        console.error(e);
                        process.exit(1);
                    },
                );
            });
        }
    }
}

/** The command line and the stack's office made local; undefined (the problem printed) when either is wrong. */
function loadLocalOffice(argv: string[]): { args: Args; office: Office; trunkAddresses: TrunkAddresses } | undefined {
    try {
        const args = parseArgs(argv);
        return { args, ...localOffice(args.stack, args.address) };
    } catch (e) {
        if (e instanceof UsageError || e instanceof OfficeConfigError) {
            console.error(e.message);
            return undefined;
        }
        throw e;
    }
}

interface RenderedOffice {
    secrets: SecretValues;
    files: RenderedFile[];
    /** The /etc/asterisk files by name, for the chroot. */
    etc: Record<string, string>;
}

/** The office's files as the server would have them, with its secrets. */
function renderOffice(office: Office, address: string, trunkAddresses: TrunkAddresses): RenderedOffice {
    const secrets = resolveSecrets(office);
    const files = [
        ...renderConfigFiles(office, { publicAddress: address, trunkAddresses }),
        ...renderSecretFiles(office, secrets),
    ];
    const etc = Object.fromEntries(
        files.filter((f) => f.path.startsWith("/etc/asterisk/")).map((f) => [f.name, f.text]),
    );
    return { secrets, files, etc };
}

function startProvider(office: Office, address: string): StandInProvider {
    const [providerHost, providerPort] = providerAddress.split(":");
    return startStandInProvider(office, {
        address: providerHost,
        port: Number(providerPort),
        server: `${address}:5060`,
        holdSeconds: inboundHoldSeconds,
        onCall: (call) => console.log(describeCall(call)),
    });
}

async function startOfficeAsterisk(etc: Record<string, string>, stack: string): Promise<RunningAsterisk> {
    console.log(`starting Asterisk 22 with the ${stack} office (the first run builds its chroot)…`);
    return startAsterisk(etc, {
        name: `local-${stack}-${process.pid}`,
        stockConfig: { omit: ["users.conf"] },
        bootTimeoutMs: 60_000,
    });
}

/** Each line typed here has the stand-in provider call the office's number it names. */
function callInOnTypedLines(office: Office, provider: StandInProvider): void {
    const typed = createInterface({ input: process.stdin });
    typed.on("line", (line) => {
        const e164 = typedNumber(office, line);
        if (!e164)
            return console.log(
                `not a number of this office: "${line.trim()}" (its numbers: ${office.numbers.map((n) => n.e164).join(", ")})`,
            );
        const inbound = provider.call(e164);
        console.log(
            `stand-in provider: calling ${e164} (Request-URI user ${inbound.dialed}, From ${outsideCallerText})…`,
        );
        void inbound.done.then((run) => console.log(describeInbound(e164, run)));
    });
}

/** Waits while Asterisk runs; 1 when it exits on its own, and never settles once a signal's handler is exiting. */
async function waitForAsterisk(run: LocalRun, asterisk: RunningAsterisk): Promise<number> {
    while (asterisk.running() && !run.interrupted) await new Promise((r) => setTimeout(r, 500));
    if (run.interrupted) return new Promise<number>(() => undefined); // the signal handler exits
    console.error(`Asterisk exited on its own:\n${asterisk.logText().split("\n").slice(-30).join("\n")}`);
    await run.stop();
    return 1;
}

async function runOffice(
    run: LocalRun,
    args: Args,
    office: Office,
    { secrets, files, etc }: RenderedOffice,
): Promise<number> {
    run.mailRelay = await startMailRelay(office, files, secrets, (mail) => console.log(describeMail(mail)));
    // Before Asterisk, so that a registration trunk's first REGISTER is answered.
    run.provider = startProvider(office, args.address);
    run.asterisk = await startOfficeAsterisk(etc, args.stack);
    const problems = run.asterisk.problems();
    if (problems.length) console.log(`Asterisk logged while loading the office:\n  ${problems.join("\n  ")}`);
    console.log(instructions(office, secrets, args.address, run.asterisk));
    callInOnTypedLines(office, run.provider);
    return waitForAsterisk(run, run.asterisk);
}

async function main(): Promise<number> {
    const loaded = loadLocalOffice(process.argv.slice(2));
    if (!loaded) return 2;
    const { args, office, trunkAddresses } = loaded;
    if (process.getuid?.() !== 0) {
        console.error("local mode runs Asterisk from a chroot and must run as root (sudo npm run local -- <stack>)");
        return 1;
    }
    const rendered = renderOffice(office, args.address, trunkAddresses);
    const run = new LocalRun();
    run.stopOnSignals();
    try {
        return await runOffice(run, args, office, rendered);
    } catch (e) {
        await run.stop();
        throw e;
    }
}

main().then(
    (code) => (process.exitCode = code),
    (e) => {
        console.error(e instanceof Error ? e.message : e);
        process.exitCode = 1;
    },
);
