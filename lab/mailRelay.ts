/**
 * A voicemail mail relay on this machine for an office loaded into the chroot's Asterisk: the SMTP
 * server the office's mail settings point at (STARTTLS with a certificate the chroot trusts, and the
 * stack's login, when the stack asks for them), and the chroot set up as a Debian server would be
 * for Asterisk's `msmtp -t`: /etc/msmtprc and the relay password. stop() puts the chroot back.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Office, RenderedFile, SecretValues } from "../components";
import { chrootPath } from "./asterisk";
import { ReceivedMail, SmtpServer, startSmtpServer } from "./smtpServer";

export interface MailRelay {
    smtp: SmtpServer;
    stop(): Promise<void>;
}

/**
 * Starts the relay an office's `mail` settings name (host and port must be on this machine), for the Asterisk
 * in chroot `root` (Debian's 22 by default).
 */
export async function startMailRelay(
    office: Office,
    files: RenderedFile[],
    secrets: SecretValues,
    onMail?: (mail: ReceivedMail) => void,
    root = chrootPath(),
): Promise<MailRelay> {
    const mail = office.mail;
    if (!mail) throw new Error("the office has no mail relay settings");
    const certificate = mail.tls === "none" ? undefined : relayCertificate(root, mail.host, mail.tls);
    const restoreChroot = prepareChroot(root, files, certificate?.cert);
    try {
        const credentials =
            mail.username && mail.password
                ? { username: mail.username, password: secrets[mail.password.path] }
                : undefined;
        const smtp = await startSmtpServer({ host: mail.host, port: mail.port, credentials, tls: certificate, onMail });
        return {
            smtp,
            async stop() {
                restoreChroot();
                await smtp.close();
            },
        };
    } catch (e) {
        restoreChroot();
        throw e;
    }
}

/**
 * A certificate for the relay's address, made with the chroot's openssl; the chroot's CA bundle
 * (msmtprc's tls_trust_file) trusts it while the relay runs, as the real one trusts a real relay.
 */
function relayCertificate(root: string, host: string, tls: "starttls" | "tls"): { key: string; cert: string } {
    if (tls !== "starttls") throw new Error("this SMTP relay speaks STARTTLS or plain SMTP, not implicit TLS");
    const dir = mkdtempSync(join(root, "tmp", "relay-"));
    try {
        const inner = dir.slice(root.length);
        const san = /^[\d.]+$/.test(host) ? `IP:${host}` : `DNS:${host}`;
        const args = [
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "1",
            "-subj",
            `/CN=${host}`,
            "-addext",
            `subjectAltName=${san}`,
        ];
        execFileSync("chroot", [root, "openssl", ...args, "-keyout", `${inner}/key.pem`, "-out", `${inner}/cert.pem`], {
            stdio: ["ignore", "ignore", "pipe"],
        });
        return { key: readFileSync(join(dir, "key.pem"), "utf8"), cert: readFileSync(join(dir, "cert.pem"), "utf8") };
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

/** Writes the rendered /etc/msmtprc and relay password into the chroot (and trusts the relay's certificate); returns how to undo it. */
function prepareChroot(root: string, files: RenderedFile[], relayCert?: string): () => void {
    const restores: (() => void)[] = [];
    const place = (path: string, text: string) => {
        const target = join(root, path);
        const before = existsSync(target) ? readFileSync(target) : undefined;
        writeFileSync(target, text, { mode: before === undefined ? 0o600 : statSync(target).mode });
        restores.push(() => (before === undefined ? rmSync(target, { force: true }) : writeFileSync(target, before)));
    };
    for (const file of files)
        if (file.path === "/etc/msmtprc" || file.name === "msmtp.password") place(file.path, file.text);
    if (relayCert) {
        // Undone by taking this certificate out again, so that runs which overlap leave no trace either.
        const bundle = join(root, "etc/ssl/certs/ca-certificates.crt");
        writeFileSync(bundle, `${readFileSync(bundle, "utf8")}${relayCert}`);
        restores.push(() => writeFileSync(bundle, readFileSync(bundle, "utf8").replace(relayCert, "")));
    }
    const undo = () => {
        pending.delete(undo);
        for (const restore of restores.splice(0).reverse()) restore();
    };
    pending.add(undo);
    return undo;
}

/** Chroot changes not yet undone: a crashed or interrupted run still puts the chroot back as it exits. */
const pending = new Set<() => void>();
process.once("exit", () => {
    for (const undo of [...pending]) undo();
});
