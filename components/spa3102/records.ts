import { countries } from "../office/countries";
import { Office } from "../office/types";
import { SecretValues } from "../render/render";
import { renderConfigTemplate as render } from "../render/templates";
import { spa3102Tabs } from "./parameters";
import { adapterCountry, Spa3102Setting, spa3102Settings } from "./settings";

export interface Spa3102RecordsOptions {
    /** Address the adapter registers to: the server's public address. */
    publicAddress: string;
    /** Secret values by config path: when given, the records carry the passwords (keep them secret). */
    secrets?: SecretValues;
}

/** The two records of the adapter's settings, rendered from one list. */
export interface Spa3102Records {
    /** XML provisioning profile (`<flat-profile>`), loadable through the adapter's Profile Rule. */
    profileXml: string;
    /** The same settings as a sheet a person follows on the adapter's web page: tab, field, value. */
    sheetMarkdown: string;
    sheetHtml: string;
}

/** Stack output names for the records; the placeholders for left-out passwords point at the secret ones. */
export const spa3102Outputs = {
    profile: "spa3102Profile",
    sheet: "spa3102Sheet",
    sheetHtml: "spa3102SheetHtml",
    profileWithSecrets: "spa3102ProfileWithSecrets",
    sheetWithSecrets: "spa3102SheetWithSecrets",
} as const;

/** A record as a file, e.g. for out/<office>/spa3102/. */
export interface Spa3102Document {
    name: string;
    text: string;
    /** Holds passwords: write it mode 600, export it as a Pulumi secret. */
    secret: boolean;
}

/**
 * The adapter's provisioning profile and settings sheet. Without `secrets` the passwords are left out of
 * the profile (the adapter keeps the ones it has) and the sheet says where to get them.
 */
export function spa3102Records(office: Office, options: Spa3102RecordsOptions): Spa3102Records {
    const settings = withSecretValues(spa3102Settings(office, options), options.secrets);
    const view = recordsView(office, settings, options);
    return {
        profileXml: render("spa3102.xml", view),
        sheetMarkdown: render("spa3102-settings.md", view),
        sheetHtml: render("spa3102-settings.html", view),
    };
}

/** Both variants as files: the shareable ones, and (with `secrets`) the ones with passwords. */
export function spa3102Documents(office: Office, options: Spa3102RecordsOptions): Spa3102Document[] {
    const plain = spa3102Records(office, { publicAddress: options.publicAddress });
    const docs: Spa3102Document[] = [
        { name: "spa3102.xml", text: plain.profileXml, secret: false },
        { name: "spa3102-settings.md", text: plain.sheetMarkdown, secret: false },
        { name: "spa3102-settings.html", text: plain.sheetHtml, secret: false },
    ];
    if (options.secrets) {
        const full = spa3102Records(office, options);
        docs.push(
            { name: "spa3102.secrets.xml", text: full.profileXml, secret: true },
            { name: "spa3102-settings.secrets.md", text: full.sheetMarkdown, secret: true },
            { name: "spa3102-settings.secrets.html", text: full.sheetHtml, secret: true },
        );
    }
    return docs;
}

/** Fills in each secret's value from `secrets` (by config path, else the stack's own value). */
export function withSecretValues(settings: Spa3102Setting[], secrets?: SecretValues): Spa3102Setting[] {
    if (!secrets) return settings;
    return settings.map((s) => {
        if (!s.secret || !s.secretPath) return s;
        const value = secrets[s.secretPath];
        if (value === undefined) throw new Error(`no value for secret ${s.secretPath}`);
        return { ...s, value };
    });
}

/** How a person gets the sheet with the passwords. */
const sheetCommand = `pulumi stack output --show-secrets ${spa3102Outputs.sheetWithSecrets}`;

// ---- View model: every escape and every text computed here, so templates only loop -----------------------------

function recordsView(office: Office, settings: Spa3102Setting[], options: Spa3102RecordsOptions) {
    const withSecrets = options.secrets !== undefined;
    const preset = countries[adapterCountry(office, office.spa3102!)];
    const sources = [...new Set(settings.map((s) => s.source).filter((s): s is string => Boolean(s)))];
    const row = (s: Spa3102Setting) => settingRow(s, sources, withSecrets);
    const tabs = spa3102Tabs
        .map((tab) => {
            const onTab = settings.filter((s) => s.tab === tab);
            const sections = [...new Set(onTab.map((s) => s.section))].map((section) => ({
                name: section,
                rows: onTab.filter((s) => s.section === section).map(row),
            }));
            return { name: tab, sections };
        })
        .filter((tab) => tab.sections.length > 0);
    const title = `SPA3102 settings for ${office.office.name}`;
    // Texts for people, with `code` marked by backticks: Markdown keeps them, HTML turns them into <code>.
    const intro = [
        `Every setting deskphone gives the Cisco/Linksys SPA3102 of ${office.office.name}, from the stack's config: change the stack, not the adapter.`,
        `The adapter registers to the office server at \`${options.publicAddress}\`; tones, impedances, caller ID and the disconnect tone are ${preset.name}'s.`,
    ];
    const steps = [
        "On the phone plugged into the adapter, dial `****`, then `110#`: the adapter says its address.",
        "Open `http://<that address>/` in a browser (if it does not open, plug a computer into the adapter's Ethernet port and open `http://192.168.0.1/`), click Admin Login, then advanced, then the Voice tab.",
        "On each sub-tab below, set every field as listed, then click Submit All Changes (the adapter restarts).",
    ];
    const loading =
        "Or load the XML profile: put it on a web server the adapter can reach and set Provisioning > Profile Rule to its URL, " +
        "or open `http://<adapter address>/admin/resync?<its URL>` once. The adapter takes every parameter in it and keeps the rest.";
    const secretsNote = withSecrets
        ? "This copy holds the passwords: keep it private."
        : `Passwords are left out; the copy with them: \`${sheetCommand}\`.`;
    return {
        xml: {
            header: [
                `${title}, written by deskphone from the stack's config: edit the stack, not this file.`,
                "Load it: put it on a web server the adapter can reach and set Provisioning > Profile Rule (Profile_Rule) to its URL,",
                "or open http://<adapter address>/admin/resync?<its URL> once. The adapter takes every parameter here and keeps the rest.",
                withSecrets
                    ? "This copy holds the passwords: keep it private, and serve it only over HTTPS."
                    : `Passwords are left out (the adapter keeps its own); the secret stack output ${spa3102Outputs.profileWithSecrets} has them.`,
            ].map(xmlComment),
        },
        md: { title: markdownCell(title), intro, steps, loading, secretsNote },
        html: {
            title: htmlText(title),
            intro: intro.map(htmlInline),
            steps: steps.map(htmlInline),
            loading: htmlInline(loading),
            secretsNote: htmlInline(secretsNote),
        },
        tabs,
        sources: sources.map((text, i) => ({ n: i + 1, md: markdownCell(text), html: htmlText(text) })),
    };
}

/** One setting as the profile and both sheets show it; a password is hidden unless the copy holds the secrets. `sources` numbers the notes. */
function settingRow(s: Spa3102Setting, sources: string[], withSecrets: boolean) {
    const hidden = s.secret && !withSecrets;
    const note = s.source ? sources.indexOf(s.source) + 1 : undefined;
    return {
        parameter: s.parameter,
        inProfile: !hidden,
        xml: {
            value: xmlText(s.value),
            why: xmlComment(s.why),
            leftOut: xmlComment(
                `${s.parameter} (${s.why}) is left out: the adapter keeps its own; the secret stack output ${spa3102Outputs.profileWithSecrets} has it`,
            ),
        },
        md: {
            field: markdownCell(s.field),
            value: hidden ? `secret: ${markdownCode(sheetCommand)}` : markdownCode(s.value),
            why: markdownCell(s.why) + (note ? ` [${note}]` : ""),
            parameter: markdownCode(s.parameter),
        },
        html: {
            field: htmlText(s.field),
            value: hidden ? `secret: <code>${htmlText(sheetCommand)}</code>` : `<code>${htmlText(s.value)}</code>`,
            why: htmlText(s.why),
            note,
            parameter: htmlText(s.parameter),
        },
    };
}

/** Text with `code` spans marked by backticks, as HTML. */
function htmlInline(text: string): string {
    return text
        .split("`")
        .map((part, i) => (i % 2 === 1 ? `<code>${htmlText(part)}</code>` : htmlText(part)))
        .join("");
}

/** XML character data: & and < must be escaped, > too (for "]]>"). */
export function xmlText(value: string): string {
    return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Text for an XML comment, which may not hold "--" or end with "-". */
export function xmlComment(text: string): string {
    return text.replace(/-(?=-)/g, "- ").replace(/-$/, "- ");
}

export function htmlText(value: string): string {
    return xmlText(value).replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** Plain text in a Markdown table cell: pipes escaped, no line breaks. */
export function markdownCell(text: string): string {
    return text
        .replace(/\\/g, "\\\\")
        .replace(/\|/g, "\\|")
        .replace(/[\r\n]+/g, " ");
}

/** A value as a Markdown code span in a table cell, exactly as typed (GFM removes the "\" before "|" inside it). */
export function markdownCode(value: string): string {
    if (value === "") return "(empty)";
    const fence = "`".repeat(longestRun(value, "`") + 1);
    const pad =
        value.startsWith("`") || value.endsWith("`") || (value.startsWith(" ") && value.endsWith(" ")) ? " " : "";
    return `${fence}${pad}${value.replace(/\|/g, "\\|").replace(/[\r\n]+/g, " ")}${pad}${fence}`;
}

function longestRun(text: string, char: string): number {
    let longest = 0;
    let run = 0;
    for (const c of text) {
        run = c === char ? run + 1 : 0;
        longest = Math.max(longest, run);
    }
    return longest;
}
