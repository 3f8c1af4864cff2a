/** Reads rendered Asterisk config back into sections, so tests can assert on meaning rather than text. */

export interface ConfSection {
    name: string;
    /** `(+)` sections add to an earlier one of the same name. */
    addsTo: boolean;
    /** `(!)` sections are templates: other sections name them to take their settings. */
    template: boolean;
    /** Settings, a template's first (as Asterisk reads `[name](template)`). */
    settings: [string, string][];
}

export function parseConf(text: string): ConfSection[] {
    const sections: ConfSection[] = [];
    for (const raw of text.split("\n")) {
        const line = raw.replace(/(^|[^\\]);.*$/, "$1").trim();
        if (!line || line.startsWith("#include")) continue;
        const header = line.match(/^\[([^\]]+)\](?:\(([^)]*)\))?$/);
        if (header) {
            const options = header[2]?.split(",").map((o) => o.trim()) ?? [];
            const inherited = options
                .filter((o) => o !== "!" && o !== "+")
                .flatMap((name) => {
                    const template = sections.find((s) => s.template && s.name === name);
                    if (!template)
                        throw new Error(`[${header[1]}] names the template ${name}, which is not defined before it`);
                    return template.settings;
                });
            sections.push({
                name: header[1],
                addsTo: options.includes("+"),
                template: options.includes("!"),
                settings: [...inherited],
            });
            continue;
        }
        const kv = line.match(/^([^=]+?)\s*=>?\s*(.*)$/);
        if (kv && sections.length) sections[sections.length - 1].settings.push([kv[1].trim(), kv[2].trim()]);
    }
    return sections;
}

/** The PJSIP section of a given name and type. */
export function pjsipObject(text: string, name: string, type: string): Record<string, string[]> | undefined {
    const section = parseConf(text).find(
        (s) => !s.template && s.name === name && s.settings.some(([k, v]) => k === "type" && v === type),
    );
    if (!section) return undefined;
    const values: Record<string, string[]> = {};
    for (const [k, v] of section.settings) (values[k] ??= []).push(v);
    return values;
}

export interface Step {
    exten: string;
    app: string;
    args: string;
}

/** Dialplan contexts, each a list of steps (`same =>` lines belong to the exten before them). */
export function parseDialplan(text: string): Map<string, Step[]> {
    const contexts = new Map<string, Step[]>();
    for (const section of parseConf(text)) {
        const steps: Step[] = [];
        let exten = "";
        for (const [key, value] of section.settings) {
            if (key !== "exten" && key !== "same") continue;
            const parts = value.match(/^(?:([^,]+),)?([^,]+),(\w+)\((.*)\)$/);
            if (!parts) continue;
            if (key === "exten") exten = parts[1];
            steps.push({ exten, app: parts[3], args: parts[4] });
        }
        contexts.set(section.name, steps);
    }
    return contexts;
}

/** The steps of one extension in one context. */
export function extensionSteps(dialplan: Map<string, Step[]>, context: string, exten: string): Step[] {
    return (dialplan.get(context) ?? []).filter((s) => s.exten === exten);
}

/** Every context a call entering `start` can reach by Goto, GotoIf or Gosub. */
export function reachableContexts(dialplan: Map<string, Step[]>, start: string): Set<string> {
    const seen = new Set<string>([start]);
    const queue = [start];
    while (queue.length) {
        const context = queue.shift()!;
        for (const step of dialplan.get(context) ?? []) {
            for (const target of jumpTargets(step)) {
                if (dialplan.has(target) && !seen.has(target)) {
                    seen.add(target);
                    queue.push(target);
                }
            }
        }
    }
    return seen;
}

function jumpTargets(step: Step): string[] {
    if (!["Goto", "GotoIf", "Gosub"].includes(step.app)) return [];
    const branches = step.app === "GotoIf" ? (step.args.split("?")[1] ?? "").split(":") : [step.args];
    return branches
        .map((b) => b.split("(")[0].split(","))
        .filter((parts) => parts.length === 3)
        .map((parts) => parts[0]);
}

/** A Gosub() step's target and arguments: `ring-then-voicemail,s,1(PJSIP/desk,20)`. */
export function gosubCall(step: Step): { context: string; args: string[] } | undefined {
    if (step.app !== "Gosub") return undefined;
    const m = step.args.match(/^([^,(]+),[^,(]+,[^,(]+(?:\((.*)\))?$/);
    return m ? { context: m[1], args: m[2] === undefined ? [] : m[2].split(",") } : undefined;
}

/**
 * Dial() targets reached from a set of contexts, e.g. `PJSIP/${EXTEN}@flowroute`; a subroutine's
 * `${ARGn}` is read as each Gosub from those contexts passes it.
 */
export function dialTargets(dialplan: Map<string, Step[]>, contexts: Iterable<string>): string[] {
    const set = [...contexts];
    const calls = set.flatMap((c) => (dialplan.get(c) ?? []).flatMap((s) => gosubCall(s) ?? []));
    return set.flatMap((c) =>
        (dialplan.get(c) ?? [])
            .filter((s) => s.app === "Dial")
            .flatMap((s) => {
                const target = s.args.split(",")[0];
                if (!/\$\{ARG\d\}/.test(target)) return [target];
                return calls
                    .filter((call) => call.context === c)
                    .map((call) => target.replace(/\$\{ARG(\d)\}/g, (_, n) => call.args[Number(n) - 1] ?? ""));
            }),
    );
}
