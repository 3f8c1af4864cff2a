/**
 * What the number providers' dynamic-provider methods share: unknown values in previews, value
 * normalization for exact diffs, and checks that turn into Pulumi check failures.
 *
 * Runs inside serialized dynamic providers: no module-level imports of runtime code.
 */

/** The value the engine passes for an input not known yet (during a preview). */
export const unknownValue = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function isUnknown(value: unknown): boolean {
    return value === unknownValue;
}

/**
 * deskphone's own record among a provider's: by the id it saved (`knownId`), else by its tag (a create
 * whose answer was lost, or a record of the same resource under its former tag), else a new one.
 */
export async function findOrCreate<T>(
    records: T[],
    knownId: string | undefined,
    idOf: (record: T) => string,
    tagged: (record: T) => boolean,
    create: () => Promise<T>,
): Promise<T> {
    return findOwn(records, knownId, idOf, tagged) ?? (await create());
}

/** deskphone's own record among a provider's: by the id it saved, else by its tag; undefined when neither finds one. */
export function findOwn<T>(
    records: T[],
    knownId: string | undefined,
    idOf: (record: T) => string,
    tagged: (record: T) => boolean,
): T | undefined {
    return records.find((record) => knownId !== undefined && idOf(record) === knownId) ?? records.find(tagged);
}

/** Whether `value` is a dotted-decimal IPv4 address (what Twilio's IP access control lists hold). */
export { isIpv4 } from "../net";
/** Whether `value` is an IPv4 address or a DNS host name. */
export { isPublicHost as isHost } from "../net";

/** A host as deskphone compares it: trimmed, lower case, without a trailing dot. */
export function normalizeHost(value: string | undefined): string {
    return (value ?? "").trim().toLowerCase().replace(/\.$/, "");
}

/** Text as deskphone compares it: trimmed; absent is empty. */
export function normalizeText(value: string | undefined | null): string {
    return (value ?? "").trim();
}

/** "host" or "host:port" as "host:port" (5060 when none is given), for comparing SIP targets. */
export function hostPort(value: string | undefined | null, defaultPort = 5060): string {
    const text = normalizeHost(value ?? "");
    if (!text) return "";
    const match = /^(.*):(\d+)$/.exec(text);
    return match ? `${match[1]}:${Number(match[2])}` : `${text}:${defaultPort}`;
}

/** A whole number within [min, max], or undefined. */
export function wholeNumber(value: unknown, min: number, max: number): number | undefined {
    const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
    return typeof n === "number" && Number.isInteger(n) && n >= min && n <= max ? n : undefined;
}

/** Keys whose values differ between two records, comparing JSON of each (for plain data). */
export function changedKeys<T extends object>(olds: T, news: T, keys: (keyof T)[]): (keyof T)[] {
    return keys.filter((key) => JSON.stringify(olds[key] ?? null) !== JSON.stringify(news[key] ?? null));
}

/** A Pulumi check failure. */
export interface Failure {
    property: string;
    reason: string;
}

/**
 * An error for a create that did its irreversible part (a number bought) and then failed: the engine
 * keeps the resource in state with these properties ("created, failed to initialize"), so the next
 * `pulumi up` finishes it with an update instead of buying again.
 */
export function partiallyCreated(id: string, outputs: object, inputs: object, error: unknown, what: string): Error {
    const reason = error instanceof Error ? error.message : String(error);
    const message = `${reason} (${what}; it is kept in the stack's state, and the next \`pulumi up\` finishes setting it up)`;
    const provider = (inputs as { __provider?: unknown }).__provider;
    return Object.assign(new Error(message), {
        id,
        properties: JSON.parse(
            JSON.stringify({ ...outputs, ...(provider !== undefined ? { __provider: provider } : {}) }),
        ),
        reasons: [message],
    });
}

/** JSON with object keys sorted, so that two records with the same fields compare equal. */
export function stableJson(value: unknown): string {
    return JSON.stringify(value, (_key, v) =>
        v && typeof v === "object" && !Array.isArray(v)
            ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
            : v,
    );
}
