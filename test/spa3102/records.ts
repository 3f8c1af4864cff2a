/**
 * Readers for the SPA3102 records, strict enough to prove them: a flat-profile XML reader that refuses
 * anything not well-formed, and readers for the settings sheet's Markdown and HTML tables.
 */

/** A parameter as a record shows it. */
export interface RecordEntry {
    parameter: string;
    value: string;
    tab?: string;
    section?: string;
    field?: string;
}

const name = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const entities: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/** Replaces entity and character references; throws on a bare "&" or an unknown entity. */
export function decodeXmlText(text: string): string {
    if (text.includes("<")) throw new Error(`unescaped "<" in ${JSON.stringify(text)}`);
    return text.replace(/&([^;&\s]*);?/g, (whole, ref: string) => {
        if (!whole.endsWith(";")) throw new Error(`bare "&" in ${JSON.stringify(text)}`);
        if (ref.startsWith("#x")) return String.fromCodePoint(parseInt(ref.slice(2), 16));
        if (ref.startsWith("#")) return String.fromCodePoint(parseInt(ref.slice(1), 10));
        if (!(ref in entities)) throw new Error(`unknown entity &${ref}; in ${JSON.stringify(text)}`);
        return entities[ref];
    });
}

/**
 * Reads a `<flat-profile>` document: an optional XML declaration, then the root holding only comments and
 * leaf elements `<Name attr="…">text</Name>` (or `<Name/>`), each parameter once. Throws on anything else.
 */
export function readFlatProfile(xml: string): {
    entries: RecordEntry[];
    attributes: Record<string, Record<string, string>>;
    comments: string[];
} {
    let at = 0;
    const comments: string[] = [];
    const entries: RecordEntry[] = [];
    const attributes: Record<string, Record<string, string>> = {};
    const fail = (what: string): never => {
        throw new Error(`not a well-formed flat profile at line ${xml.slice(0, at).split("\n").length}: ${what}`);
    };
    const skipSpaceAndComments = () => {
        for (;;) {
            at += xml.slice(at).match(/^\s*/)![0].length;
            if (!xml.startsWith("<!--", at)) return;
            const end = xml.indexOf("-->", at + 4);
            if (end < 0) fail("unterminated comment");
            const body = xml.slice(at + 4, end);
            if (body.includes("--") || body.endsWith("-")) fail(`"--" inside a comment: ${body}`);
            comments.push(body.trim());
            at = end + 3;
        }
    };
    const tag = (): { tagName: string; attrs: Record<string, string>; selfClosing: boolean } => {
        const m = xml.slice(at).match(/^<([^\s/>]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/);
        if (!m) fail(`expected a start tag, found ${JSON.stringify(xml.slice(at, at + 40))}`);
        const [whole, tagName, attrText, slash] = m!;
        if (!name.test(tagName)) fail(`bad element name ${JSON.stringify(tagName)}`);
        const attrs: Record<string, string> = {};
        for (const a of attrText.matchAll(/([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
            if (!name.test(a[1])) fail(`bad attribute name ${a[1]}`);
            if (a[1] in attrs) fail(`attribute ${a[1]} twice`);
            attrs[a[1]] = decodeXmlText(a[2] ?? a[3]);
        }
        at += whole.length;
        return { tagName, attrs, selfClosing: slash === "/" };
    };

    if (xml.startsWith("<?xml")) at = xml.indexOf("?>") + 2;
    skipSpaceAndComments();
    const root = tag();
    if (root.tagName !== "flat-profile" || root.selfClosing) fail("the root element must be <flat-profile>");
    for (;;) {
        skipSpaceAndComments();
        if (xml.startsWith("</flat-profile>", at)) {
            at += "</flat-profile>".length;
            break;
        }
        const param = tag();
        let value = "";
        if (!param.selfClosing) {
            const close = `</${param.tagName}>`;
            const end = xml.indexOf(close, at);
            if (end < 0) fail(`no ${close}`);
            const text = xml.slice(at, end);
            if (text.includes("<")) fail(`${param.tagName} holds markup or an unescaped "<"`);
            try {
                value = decodeXmlText(text);
            } catch (e) {
                fail(`${param.tagName}: ${(e as Error).message}`);
            }
            at = end + close.length;
        }
        if (param.tagName in attributes) fail(`${param.tagName} appears twice`);
        attributes[param.tagName] = param.attrs;
        entries.push({ parameter: param.tagName, value });
    }
    skipSpaceAndComments();
    if (at !== xml.length) fail("text after </flat-profile>");
    return { entries, attributes, comments };
}

/** Cells of a Markdown table row, split on "|" that is not escaped. */
function markdownCells(row: string): string[] {
    const cells: string[] = [];
    let cell = "";
    for (let i = 1; i < row.length - 1; i++) {
        if (row[i] === "\\" && row[i + 1] === "|") {
            cell += "\\|";
            i++;
        } else if (row[i] === "|") {
            cells.push(cell.trim());
            cell = "";
        } else cell += row[i];
    }
    cells.push(cell.trim());
    return cells;
}

/** A cell's text as GFM shows it: a code span's content, "\|" as "|". */
function markdownValue(cell: string): string {
    if (cell === "(empty)") return "";
    const code = cell.match(/^(`+)( ?)(.*?)\2\1$/);
    const text = code ? code[3] : cell;
    return text.replace(/\\\|/g, "|");
}

/** The rows of the settings sheet in Markdown: `## tab`, `### section`, then `| Field | Value | Why | Parameter |`. */
export function readMarkdownSheet(markdown: string): RecordEntry[] {
    const rows: RecordEntry[] = [];
    let tab: string | undefined;
    let section: string | undefined;
    for (const line of markdown.split("\n")) {
        if (line.startsWith("## ")) [tab, section] = [line.slice(3), undefined];
        else if (line.startsWith("### ")) section = line.slice(4);
        else if (line.startsWith("| ") && tab && tab !== "Sources") {
            const [field, value, , parameter] = markdownCells(line);
            if (field === "Field" || /^-+$/.test(field)) continue;
            rows.push({ tab, section, field, value: markdownValue(value), parameter: markdownValue(parameter) });
        }
    }
    return rows;
}

const htmlEntities: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', "#39": "'" };
const htmlText = (html: string) =>
    html.replace(/<[^>]+>/g, "").replace(/&(lt|gt|amp|quot|#39);/g, (_, e: string) => htmlEntities[e]);

/** The rows of the settings sheet in HTML: `<h2>` tab, `<h3>` section, `<tr data-parameter>` rows. */
export function readHtmlSheet(html: string): RecordEntry[] {
    const rows: RecordEntry[] = [];
    let tab: string | undefined;
    let section: string | undefined;
    for (const m of html.matchAll(/<h2>(.*?)<\/h2>|<h3>(.*?)<\/h3>|<tr data-parameter="([^"]*)">(.*?)<\/tr>/g)) {
        if (m[1] !== undefined) [tab, section] = [htmlText(m[1]), undefined];
        else if (m[2] !== undefined) section = htmlText(m[2]);
        else {
            const cells = Object.fromEntries(
                [...m[4].matchAll(/<td class="(\w+)">(.*?)<\/td>/g)].map((c) => [c[1], c[2]]),
            );
            rows.push({
                tab,
                section,
                field: htmlText(cells.field),
                value: htmlText(cells.value),
                parameter: htmlText(m[3]),
            });
        }
    }
    return rows;
}
