/**
 * The call-flow lab: an example office rendered for this machine and loaded into a real Asterisk (22 or 20.6.0),
 * a real SMTP server for its voicemail email, and the SIPp roles that call through it, each on its
 * own loopback address (Asterisk 127.0.0.1, the ITSP 127.0.0.2, phones 127.0.0.3 and up, an
 * attacker at 127.0.0.66). Nothing leaves 127.0.0.0/8.
 */
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
    Office,
    RenderedFile,
    RenderOptions,
    renderConfigFiles,
    renderSecretFiles,
    resolveSecrets,
    SecretValues,
} from "../components";
import { onLoopback, phoneAddress, roles } from "./loopback";
import { MailRelay, startMailRelay } from "./mailRelay";
import { SmtpServer } from "./smtpServer";
import { exampleOffice } from "./stacks";
import { AsteriskOptions, chrootPath, RunningAsterisk, startAsterisk } from "./asterisk";
import { runSipp, SippOptions, SippProcess, SippRun, startSipp } from "./sipp";

/** Seconds a number rings before voicemail in the test stacks (20 in the examples). */
export const testRingSeconds = 2;
/** Where the test stacks' voicemail relay listens: the SMTP server this lab runs. */
export const relayAddress = { host: "127.0.0.1", port: 2525 } as const;
/** Somewhere in 127.0.0.0/8 that is neither a phone nor a provider. */
export const attackerAddress = "127.0.0.66";
/** The ITSP role's address; with several trunks, each listens on its own port there (5060, 5062, …). */
export const itspAddress = roles.itsp;

/** A party SIPp plays: where it binds and, for a phone, how it logs in. */
export interface Role {
    /** SIP user: the phone's name, or a trunk's. */
    name: string;
    address: string;
    port: number;
    /** Digest password (phones, the landline). */
    secret?: string;
}

export interface TrunkRole extends Role {
    kind: Office["trunks"][number]["kind"];
    /** The user and password Asterisk answers this provider's challenges with, if any. */
    credentials?: { username: string; password: string };
}

/**
 * An example stack made ready for call tests: short ring time, voicemail emailed to every number
 * through the lab's relay on loopback (a stack's own TLS, username and password are kept; a stack
 * without a relay gets plain SMTP), every trunk on the ITSP role, and every phone on plain SIP and RTP over
 * UDP: SIPp plays the phones, and the call flows are the same over TLS, which the TLS tests check with
 * baresip and linphonec.
 */
export function callTestOffice(stack: string): { office: Office; options: RenderOptions } {
    const { office, options } = onLoopback(exampleOffice(stack));
    for (const number of office.numbers) {
        number.ringSeconds = testRingSeconds;
        if (number.mailbox) number.email ??= `voicemail-${number.e164.slice(1)}@${stack}.test`;
    }
    if (office.spa3102?.landline) office.spa3102.landline.ringSeconds = testRingSeconds;
    for (const phone of office.phones) phone.transport = "udp";
    office.mail = office.mail ? { ...office.mail, ...relayAddress } : { ...relayAddress, tls: "none" };
    if (office.trunks.length > 1) {
        // Two providers on one address: the source port tells them apart (identify match ip:port).
        options.trunkAddresses = Object.fromEntries(
            office.trunks.map((t, i) => [
                t.name,
                { host: `${itspAddress}:${5060 + 2 * i}`, matches: [`${itspAddress}:${5060 + 2 * i}`] },
            ]),
        );
    }
    return { office, options };
}

export class CallLab {
    private constructor(
        readonly stack: string,
        readonly office: Office,
        readonly secrets: SecretValues,
        readonly files: RenderedFile[],
        readonly asterisk: RunningAsterisk,
        private readonly relay: MailRelay,
        private readonly options: RenderOptions,
    ) {}

    /** The SMTP server the office's voicemail mails through. */
    get smtp(): SmtpServer {
        return this.relay.smtp;
    }

    /** Renders the stack, starts the SMTP relay its voicemail mails through, and its Asterisk (Debian's 22 unless `asteriskOptions.build` says). */
    static async start(
        stack: string,
        adjust?: (office: Office, options: RenderOptions) => void,
        asteriskOptions: Pick<AsteriskOptions, "verbosity" | "build"> = {},
    ): Promise<CallLab> {
        const { office, options } = callTestOffice(stack);
        adjust?.(office, options);
        const secrets = resolveSecrets(office);
        const files = [...renderConfigFiles(office, options), ...renderSecretFiles(office, secrets)];
        const etc = Object.fromEntries(
            files.filter((f) => f.path.startsWith("/etc/asterisk/")).map((f) => [f.name, f.text]),
        );
        const relay = await startMailRelay(office, files, secrets, undefined, chrootPath(asteriskOptions.build));
        let asterisk: RunningAsterisk | undefined;
        try {
            // The pid keeps another test run's instance from taking this one's directory.
            asterisk = await startAsterisk(etc, {
                ...asteriskOptions,
                name: `flows-${stack}-${process.pid}`,
                stockConfig: { omit: ["users.conf"] },
            });
            const unbound = asterisk.problems().filter((line) => /Transport .* could not be started/.test(line));
            if (unbound.length)
                throw new Error(
                    `Asterisk could not take its SIP address (is another call test running on this machine?):\n${unbound.join("\n")}`,
                );
            return new CallLab(stack, office, secrets, files, asterisk, relay, options);
        } catch (e) {
            await asterisk?.stop();
            await relay.stop();
            throw e;
        }
    }

    private logMark = 0;

    /** Starts this test's part of Asterisk's messages.log (reportFailures calls it before each test). */
    markLog(): void {
        this.logMark = Buffer.byteLength(readMessagesLog(this));
    }

    /** The lines Asterisk logged to messages.log since this test began. */
    testLog(): string {
        return Buffer.from(readMessagesLog(this)).subarray(this.logMark).toString("utf8");
    }

    async stop(): Promise<void> {
        try {
            await this.asterisk.stop();
        } finally {
            await this.relay.stop();
        }
    }

    /** The rendered file of this name. */
    file(name: string): RenderedFile {
        const found = this.files.find((f) => f.name === name);
        if (!found) throw new Error(`the ${this.stack} office renders no ${name}`);
        return found;
    }

    /** A phone of the office, on its own loopback address (127.0.0.3 for the first). */
    phone(name: string): Role {
        const index = this.office.phones.findIndex((p) => p.name === name);
        if (index < 0) throw new Error(`the ${this.stack} office has no phone ${name}`);
        const phone = this.office.phones[index];
        return { name, address: phoneAddress(index), port: 5060, secret: this.secrets[phone.secret.path] };
    }

    /** The SPA3102's landline port, on the loopback address after the phones'. */
    landline(): Role {
        const landline = this.office.spa3102?.landline;
        if (!landline) throw new Error(`the ${this.stack} office has no landline`);
        return {
            name: landline.name,
            address: phoneAddress(this.office.phones.length),
            port: 5060,
            secret: this.secrets[landline.secret.path],
        };
    }

    /** A trunk's provider, as the ITSP role plays it. */
    trunk(name: string): TrunkRole {
        const trunk = this.office.trunks.find((t) => t.name === name);
        if (!trunk) throw new Error(`the ${this.stack} office has no trunk ${name}`);
        const [address, port = "5060"] = (this.options.trunkAddresses?.[name]?.host ?? `${itspAddress}:5060`).split(
            ":",
        );
        const secret = trunk.kind === "twilio" ? trunk.password : trunk.secret;
        const username =
            trunk.kind === "twilio" ? trunk.username : trunk.kind === "flowroute" ? trunk.techPrefix : trunk.username;
        const credentials = secret && username ? { username, password: this.secrets[secret.path] } : undefined;
        return { name, kind: trunk.kind, address, port: Number(port), credentials };
    }

    /** Every trunk's provider. */
    trunks(): TrunkRole[] {
        return this.office.trunks.map((t) => this.trunk(t.name));
    }

    /** The trunk a number lives on. */
    trunkOf(e164: string): TrunkRole {
        const number = this.office.numbers.find((n) => n.e164 === e164);
        if (!number) throw new Error(`the ${this.stack} office has no number ${e164}`);
        return this.trunk(number.trunk);
    }

    /** Messages (msgNNNN.txt) in a mailbox's INBOX. */
    inbox(mailbox: string): string[] {
        const dir = this.inboxDir(mailbox);
        return existsSync(dir)
            ? readdirSync(dir)
                  .filter((f) => /^msg\d{4}\.txt$/.test(f))
                  .sort()
            : [];
    }

    inboxDir(mailbox: string): string {
        return join(this.asterisk.spoolDir, "voicemail", "default", mailbox, "INBOX");
    }

    /** Whether voicemail is recording into this mailbox: app_voicemail creates its temporary file right before the beep. */
    recording(mailbox: string): boolean {
        const dir = join(this.asterisk.spoolDir, "voicemail", "default", mailbox, "tmp");
        return existsSync(dir) && readdirSync(dir).length > 0;
    }

    /** Bytes app_voicemail has recorded so far into a mailbox's message in progress (wav: 16,000 a second). */
    recordedBytes(mailbox: string): number {
        const dir = join(this.asterisk.spoolDir, "voicemail", "default", mailbox, "tmp");
        if (!existsSync(dir)) return 0;
        return readdirSync(dir).reduce(
            (sum, name) => sum + (statSync(join(dir, name), { throwIfNoEntry: false })?.size ?? 0),
            0,
        );
    }

    /** Where a file in this instance's spool directory is, as Asterisk (inside its chroot) names it. */
    spoolPathInChroot(name: string): string {
        return join(this.asterisk.spoolDir.slice(this.asterisk.root.length), name);
    }

    /**
     * Changes the office as an edited stack would: renders it again, writes the configuration files
     * whose text changed and runs each one's reload, as a deploy does.
     */
    async reconfigure(change: (office: Office) => void): Promise<void> {
        change(this.office);
        const rendered = renderConfigFiles(this.office, this.options);
        for (const file of rendered.filter((f) => f.path.startsWith("/etc/asterisk/"))) {
            const index = this.files.findIndex((f) => f.name === file.name);
            if (this.files[index]?.text === file.text) continue;
            const command = file.apply.match(/^asterisk -rx '(.+)'$/)?.[1];
            if (!command || command.startsWith("core restart"))
                throw new Error(
                    `${file.name} changed, and it is applied by a restart: reconfigure cannot apply it during a test`,
                );
            writeFileSync(join(this.asterisk.etcDir, file.name), file.text);
            await this.asterisk.cli(command);
            this.files[index] = file;
        }
    }

    /** Empties a mailbox, so a test counts only its own messages. */
    emptyMailbox(mailbox: string): void {
        rmSync(join(this.asterisk.spoolDir, "voicemail", "default", mailbox), { recursive: true, force: true });
    }

    /**
     * Makes Asterisk qualify an endpoint's contacts now and waits until they answer: a contact that
     * was unreachable (its role was not listening yet) is skipped by Dial until it is qualified again.
     */
    async reachable(endpoint: string, timeoutMs = 5_000): Promise<void> {
        await this.asterisk.cli(`pjsip qualify ${endpoint}`);
        await waitFor(`${endpoint}'s contact to be reachable`, timeoutMs, async () => {
            const contacts = await this.asterisk.cli("pjsip show contacts");
            return new RegExp(`Contact:\\s+${endpoint}/\\S+\\s+\\S+\\s+(Avail|NonQual)\\b`).test(contacts)
                ? true
                : undefined;
        });
    }

    /** The contact a phone has registered, or undefined. */
    async registeredContact(endpoint: string): Promise<string | undefined> {
        const contacts = await this.asterisk.cli("pjsip show contacts");
        return contacts.match(new RegExp(`Contact:\\s+${endpoint}/(\\S+)`))?.[1];
    }
}

// ---------------------------------------------------------------------------------------------
// SIPp roles, recorded per test so that a failing test prints what each of them saw.

interface Recorded {
    label: string;
    command?: string;
    done: Promise<SippRun>;
    stop?: () => Promise<void>;
}

const recorded: Recorded[] = [];

/** Runs one SIPp role to completion, recorded for this test's failure report. */
export function sipp(label: string, opts: SippOptions): Promise<SippRun> {
    const done = runSipp(opts);
    recorded.push({ label, done });
    return done;
}

/** Starts a SIPp role in the background (a phone waiting for a call), recorded for this test's failure report. */
export function sippInBackground(label: string, opts: SippOptions): SippProcess {
    const process = startSipp(opts);
    recorded.push({ label, done: process.done, stop: process.stop });
    return process;
}

/** Scenario files live in lab/scenarios. */
export function scenario(name: string): string {
    return join(__dirname, "scenarios", name);
}

/**
 * Mocha hooks for a describe block: every test starts with no SIPp left from the last, and a failed
 * test prints the Asterisk log lines written during it and the message trace of each SIPp role.
 */
export function reportFailures(lab: () => CallLab | undefined): void {
    beforeEach(() => {
        recorded.length = 0;
        lab()?.markLog();
    });
    afterEach(async function () {
        const roles = recorded.splice(0);
        await Promise.all(roles.map((r) => r.stop?.()));
        if (this.currentTest?.state !== "failed") return;
        const current = lab();
        const out: string[] = [`\n==== ${this.currentTest.fullTitle()}: what Asterisk and each SIPp role saw ====`];
        if (current) {
            out.push(`---- Asterisk log (${current.asterisk.logDir}/messages.log) during this test ----`);
            out.push(current.testLog() || "(nothing)");
            if (current.smtp.transcript.length)
                out.push(`---- SMTP commands received ----\n${current.smtp.transcript.join("\n")}`);
        }
        for (const role of roles) {
            const run = await role.done;
            out.push(
                `---- SIPp ${role.label}: exit ${run.exitCode}${run.killed ? " (killed)" : ""} ----\n${run.command}`,
            );
            if (run.errors.trim()) out.push(`-- errors --\n${run.errors.trim()}`);
            if (run.stderr.trim()) out.push(`-- stderr --\n${run.stderr.trim().slice(-4000)}`);
            out.push(`-- messages --\n${run.messages.trim() || "(none)"}`);
        }
        console.error(out.join("\n"));
    });
}

function readMessagesLog(lab: CallLab): string {
    const path = join(lab.asterisk.logDir, "messages.log");
    return existsSync(path) ? readFileSync(path, "utf8") : "";
}

/** Resolves once something on this machine listens on UDP address:port (a SIPp role has bound its socket). */
export async function listening(address: string, port: number, timeoutMs = 5_000): Promise<void> {
    const hex = address
        .split(".")
        .map((octet) => Number(octet).toString(16).padStart(2, "0").toUpperCase())
        .reverse()
        .join("");
    const wanted = `${hex}:${port.toString(16).padStart(4, "0").toUpperCase()}`;
    await waitFor(`a listener on udp ${address}:${port}`, timeoutMs, () =>
        readFileSync("/proc/net/udp", "utf8").includes(` ${wanted} `) ? true : undefined,
    );
}

/** Polls `check` every 100 ms until it returns a value, or fails naming what it waited for. */
export async function waitFor<T>(
    what: string | (() => string),
    timeoutMs: number,
    check: () => T | undefined | Promise<T | undefined>,
): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const value = await check();
        if (value !== undefined && value !== false) return value;
        if (Date.now() > deadline)
            throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === "string" ? what : what()}`);
        await new Promise((r) => setTimeout(r, 100));
    }
}
