/**
 * What the number providers' dynamic-provider methods share: unknown values in previews, value
 * normalization for exact diffs, and checks that turn into Pulumi check failures.
 *
 * Runs inside serialized dynamic providers: no module-level imports of runtime code.
 */
import type { RetryPolicy } from "./retry";
import { deskphoneTag, maxTagLength, normalizeE164 } from "./numberSettings";

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

/** Adds a check failure of one input. */
export type Fail = (property: string, reason: string) => void;

/** An empty list of check failures, and the function that adds one to it. */
export function failureList(): { failures: Failure[]; fail: Fail } {
    const failures: Failure[] = [];
    return { failures, fail: (property, reason) => failures.push({ property, reason }) };
}

/** A resource's tag parts, trimmed, and the tag they make: `deskphone:<stack>:<office>:<name>`. */
export function tagParts(news: { office?: string; stack?: string; name?: string }) {
    const office = normalizeText(news.office);
    const stack = normalizeText(news.stack);
    const name = normalizeText(news.name);
    return { office, stack, name, tag: deskphoneTag(stack, office, name) };
}

/** How a resource reaches its provider: its credentials, API URL and retry settings, each only when given. */
export function connectionInputs<Credentials>(news: {
    credentials?: Credentials;
    apiUrl?: string;
    retry?: Partial<RetryPolicy>;
}) {
    return {
        ...(news.credentials !== undefined ? { credentials: news.credentials } : {}),
        ...(news.apiUrl ? { apiUrl: news.apiUrl } : {}),
        ...(news.retry ? { retry: news.retry } : {}),
    };
}

/**
 * The failures of a tag: no office, no name, or a tag over `maxTagLength` characters (checked only
 * once every part is known). `reasons` say what each failure means at the provider.
 */
export function checkTag(
    news: { office?: string; stack?: string; name?: string },
    parts: { office: string; name: string; tag: string },
    fail: Fail,
    reasons: { office: string; name: string; tooLong: string },
): void {
    if (!parts.office) fail("office", reasons.office);
    if (!parts.name) fail("name", reasons.name);
    if (parts.tag.length > maxTagLength && ![news.office, news.stack, news.name].some(isUnknown))
        fail("name", reasons.tooLong);
}

/** A server address as given: normalized, or the unknown value of a preview as it is. */
export function serverAddressInput(value: string | undefined): string {
    return isUnknown(value) ? (value as string) : normalizeHost(value);
}

/** The failure of a SIP port that is known and not 1 to 65535. */
export function checkSipPort(given: unknown, sipPort: number, fail: Fail): void {
    if (!isUnknown(given) && wholeNumber(sipPort, 1, 65535) === undefined)
        fail("sipPort", `${sipPort} is not a port: use 1 to 65535 (usually 5060)`);
}

/** A number's E.164 as given: normalized, else as written (its check fails), unknown as it is; "" for none. */
export function e164Input(value: string | undefined): string {
    if (!value) return "";
    return isUnknown(value) ? value : (normalizeE164(value) ?? value);
}

/** The failure of a mode that is neither `buy` nor `adopt`. */
export function checkMode(mode: string, fail: Fail): void {
    if (mode !== "buy" && mode !== "adopt") fail("mode", `unknown mode "${mode}": use "buy" or "adopt"`);
}

/** The failure of a number to buy that names the number itself (`numberGiven`): buying goes by criteria. */
export function checkBuyByCriteria(mode: string, numberGiven: boolean, fail: Fail): void {
    if (mode === "buy" && numberGiven)
        fail(
            "mode",
            'a number to buy is chosen by areaCode and contains; to use a number the account has, set mode "adopt"',
        );
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
