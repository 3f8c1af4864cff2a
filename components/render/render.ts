import { randomBytes, randomInt } from "crypto";
import { requireNumbers } from "../office/numbers";
import { Office, SecretSetting } from "../office/types";
import { kindOf } from "../trunks";
import { digitsOf } from "./dialplan";
import { forbiddenModules, modulesFor } from "./modules";
import { renderFail2banTrunks, renderHostFirewall } from "./serverFiles";
import { renderConfigTemplate } from "./templates";
import { officeView, RenderOptions, voicemailContext } from "./viewModel";

/** A file deskphone writes to the server. */
export interface RenderedFile {
    /** File name, e.g. "pjsip.conf". */
    name: string;
    /** Where it goes on the server. */
    path: string;
    text: string;
    /** Holds secrets: a Pulumi secret, never printed. */
    secret: boolean;
    /** Shell command that makes the running server use the new file without dropping calls. */
    apply: string;
}

/** Secret values by config path (`deskphone:phones[0].secret`), given or generated. */
export type SecretValues = Record<string, string>;

export const asteriskDir = "/etc/asterisk";

/** How each file is applied: a reload that keeps calls up (modules.conf waits until no call is up). */
const applyCommands: Record<string, string> = {
    "pjsip.conf": "asterisk -rx 'module reload res_pjsip.so'",
    "pjsip.transport.conf": "asterisk -rx 'module reload res_pjsip.so'",
    "pjsip.secrets.conf": "asterisk -rx 'module reload res_pjsip.so'",
    "extensions.conf": "asterisk -rx 'dialplan reload'",
    "voicemail.conf": "asterisk -rx 'module reload app_voicemail.so'",
    "voicemail.mailboxes.conf": "asterisk -rx 'module reload app_voicemail.so'",
    "rtp.conf": "asterisk -rx 'module reload res_rtp_asterisk.so'",
    "logger.conf": "asterisk -rx 'logger reload'",
    "indications.conf": "asterisk -rx 'module reload indications'",
    "manager.conf": "asterisk -rx 'manager reload'",
    "http.conf": "asterisk -rx 'module reload http'",
    "modules.conf":
        "asterisk -rx 'core restart when convenient'; sleep 2; i=0; until asterisk -rx 'core waitfullybooted' >/dev/null 2>&1; do i=$((i+1)); [ $i -lt 60 ] || exit 1; sleep 1; done",
    "deskphone.nft": "if [ -d /run/systemd/system ]; then /usr/sbin/nft -f /etc/nftables.d/deskphone.nft; fi",
    "deskphone-trunks.local":
        "if fail2ban-client ping >/dev/null 2>&1; then fail2ban-client reload asterisk >/dev/null; fi",
};

function file(name: string, text: string, secret = false, dir = asteriskDir): RenderedFile {
    return { name, path: `${dir}/${name}`, text, secret, apply: applyCommands[name] ?? "true" };
}

/** The configuration files, none holding a secret: their text is safe to show in a preview diff. */
export function renderConfigFiles(office: Office, options: RenderOptions = {}): RenderedFile[] {
    requireNumbers(office);
    const view = { ...officeView(office, options), modules: modulesFor(office), forbiddenModules };
    const names = [
        "pjsip.conf",
        "pjsip.transport.conf",
        "extensions.conf",
        "voicemail.conf",
        "rtp.conf",
        "logger.conf",
        "modules.conf",
        "indications.conf",
        "manager.conf",
        "http.conf",
    ];
    const files = names.map((name) => file(name, renderConfigTemplate(name, view)));
    if (office.mail) files.push(file("msmtprc", renderConfigTemplate("msmtprc", view), false, "/etc"));
    files.push(file("deskphone.nft", renderHostFirewall(office), false, "/etc/nftables.d"));
    files.push(file("deskphone-trunks.local", renderFail2banTrunks(office), false, "/etc/fail2ban/jail.d"));
    return files;
}

/** The files that hold passwords and PINs, rendered from resolved secret values. */
export function renderSecretFiles(office: Office, secrets: SecretValues): RenderedFile[] {
    requireNumbers(office);
    const value = (s: SecretSetting) => {
        const v = secrets[s.path] ?? s.value;
        if (v === undefined) throw new Error(`no value for secret ${s.path}`);
        return v;
    };
    const entries = [
        ...office.phones.map((p) => ({ section: `${p.name}-auth`, password: value(p.secret) })),
        ...(office.spa3102?.landline
            ? [{ section: `${office.spa3102.landline.name}-auth`, password: value(office.spa3102.landline.secret) }]
            : []),
        ...office.trunks.flatMap((t) => {
            const secret = kindOf(t).sipSecret(t);
            return secret ? [{ section: `${t.name}-auth`, password: value(secret) }] : [];
        }),
    ];
    const mailboxes = office.numbers
        .filter((n) => n.mailbox)
        .map((n) => ({
            mailbox: digitsOf(n.e164),
            pin: value(n.mailboxPin),
            name: `${office.office.name} ${n.e164}`.replace(/,/g, " "),
            email: n.email ?? "",
        }));
    const files = [
        file("pjsip.secrets.conf", renderConfigTemplate("pjsip.secrets.conf", { entries }), true),
        file(
            "voicemail.mailboxes.conf",
            renderConfigTemplate("voicemail.mailboxes.conf", { mailboxes, voicemailContext }),
            true,
        ),
    ];
    if (office.mail?.password) files.push(file("msmtp.password", `${value(office.mail.password)}\n`, true));
    return files;
}

/** Every secret the office uses, in a stable order. */
export function secretSettings(office: Office): SecretSetting[] {
    return [
        ...office.phones.map((p) => p.secret),
        ...(office.spa3102?.landline ? [office.spa3102.landline.secret] : []),
        ...office.numbers.filter((n) => n.mailbox).map((n) => n.mailboxPin),
        ...office.trunks.flatMap((t) => kindOf(t).sipSecret(t) ?? []),
        ...(office.mail?.password ? [office.mail.password] : []),
    ];
}

/** A name for each secret that survives reordering the stack's lists: `phone-desk`, `pin-main`, `pin-13235550100` (an unnamed number). */
export function secretIds(office: Office): Map<string, string> {
    const ids = new Map<string, string>();
    office.phones.forEach((p) => ids.set(p.secret.path, `phone-${p.name}`));
    if (office.spa3102?.landline)
        ids.set(office.spa3102.landline.secret.path, `landline-${office.spa3102.landline.name}`);
    office.numbers.forEach((n) => ids.set(n.mailboxPin.path, `pin-${n.name}`));
    office.trunks.forEach((t) => {
        const secret = kindOf(t).sipSecret(t);
        if (secret) ids.set(secret.path, `trunk-${t.name}`);
    });
    if (office.mail?.password) ids.set(office.mail.password.path, "mail-relay");
    return ids;
}

/** A value for every secret: the stack's own, or a new random one (32 characters; PINs 6 digits). */
export function resolveSecrets(office: Office, generate: (s: SecretSetting) => string = generateSecret): SecretValues {
    return Object.fromEntries(secretSettings(office).map((s) => [s.path, s.value ?? generate(s)]));
}

export function generateSecret(setting: SecretSetting): string {
    if (setting.form === "pin") return String(randomInt(0, 1_000_000)).padStart(6, "0");
    return randomBytes(24).toString("base64url");
}
