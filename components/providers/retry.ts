/**
 * Retries and error reporting shared by the number providers' API clients: 429, 5xx and lost answers
 * are tried again with exponential backoff; anything else ends at once with the provider's own message,
 * what to change in the stack, and no secret in it.
 *
 * Runs inside serialized dynamic providers: no module-level imports of runtime code.
 */

export interface RetryPolicy {
    /** Tries in all, the first included. Default 5. */
    attempts: number;
    /** Wait before the second try, doubled for each later one (with jitter). Default 500 ms. */
    baseDelayMs: number;
    /** Longest wait between two tries. Default 8000 ms. */
    maxDelayMs: number;
    /** A request with no answer after this long counts as lost, and is tried again. Default 30 000 ms. */
    timeoutMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { attempts: 5, baseDelayMs: 500, maxDelayMs: 8000, timeoutMs: 30000 };

/** The default policy with the given fields replaced (e.g. short waits in tests). */
export function retryPolicy(overrides?: Partial<RetryPolicy>): RetryPolicy {
    const policy = { ...defaultRetryPolicy };
    for (const key of Object.keys(policy) as (keyof RetryPolicy)[]) {
        const value = overrides?.[key];
        if (typeof value === "number" && Number.isFinite(value) && value >= 0) policy[key] = value;
    }
    policy.attempts = Math.max(1, Math.floor(policy.attempts));
    return policy;
}

export type ProviderName = "Twilio" | "Flowroute";

/** One failed API call as the provider described it. */
export interface ApiFailure {
    /** HTTP status; absent when no answer came (timeout, connection refused or reset). */
    status?: number;
    /** The provider's error code (Twilio's 5-digit codes), when it gave one. */
    code?: string | number;
    /** The provider's own message, or what happened to the connection. */
    message: string;
}

/**
 * A provider call that failed for good: the provider's message, and what to change in the stack.
 * Made by `providerError`, not a subclass of Error: dynamic providers run serialized, and a
 * serialized subclass of Error loses its message.
 */
export interface ProviderError extends Error {
    name: "ProviderError";
    provider: ProviderName;
    /** What deskphone was doing, e.g. "buy +13235550100". */
    action: string;
    failure: ApiFailure;
    /** What to change in the stack (or do) so that the next `pulumi up` succeeds. */
    hint: string;
    /** The HTTP status, when an answer came. */
    status?: number;
}

export function providerError(
    provider: ProviderName,
    action: string,
    failure: ApiFailure,
    hint: string,
): ProviderError {
    const message =
        `${provider} could not ${action}: ${failure.message}` +
        (failure.status !== undefined
            ? ` (HTTP ${failure.status}${failure.code !== undefined ? `, ${provider} error ${failure.code}` : ""})`
            : "") +
        (hint ? `. ${hint}` : "");
    return Object.assign(new Error(message), {
        name: "ProviderError" as const,
        provider,
        action,
        failure,
        hint,
        status: failure.status,
    });
}

export function isProviderError(error: unknown): error is ProviderError {
    return (
        (error as { name?: string })?.name === "ProviderError" && typeof (error as ProviderError).failure === "object"
    );
}

/** Whether an error is a provider's "not found" (used to tell "gone" from "broken"). */
export function isNotFound(error: unknown): boolean {
    return isProviderError(error) && error.failure.status === 404;
}

/** Whether trying the same call again may succeed: rate limits, server errors, lost answers. */
export function isRetryable(failure: ApiFailure): boolean {
    return failure.status === undefined || failure.status === 429 || failure.status >= 500;
}

/** What to change for a failure no retry can fix, by HTTP status. */
export function defaultHint(provider: ProviderName, failure: ApiFailure): string {
    const credentials =
        provider === "Twilio"
            ? "set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (or TWILIO_API_KEY and TWILIO_API_SECRET with TWILIO_ACCOUNT_SID), or pass the number provider's `credentials` as a Pulumi secret"
            : "set FLOWROUTE_ACCESS_KEY and FLOWROUTE_SECRET_KEY, or pass the number provider's `credentials` as a Pulumi secret";
    switch (failure.status) {
        case undefined:
            return `no answer from ${provider} after every retry; check the network, or the API URL if DESKPHONE_${provider.toUpperCase()}_API_URL is set, then run \`pulumi up\` again`;
        case 401:
            return `${provider} did not accept the credentials: ${credentials}`;
        case 403:
            return `the ${provider} account may not do this: check the account's permissions and that the credentials belong to the account that owns the numbers`;
        case 404:
            return `it is not on this ${provider} account: check the number in the stack's deskphone:numbers, or run \`pulumi refresh\` if it was removed in the ${provider} console`;
        case 429:
            return `${provider} kept limiting the request rate; wait a minute and run \`pulumi up\` again`;
        default:
            if (failure.status >= 500)
                return `${provider} kept failing; run \`pulumi up\` again later (nothing is bought twice)`;
            return "check the values in the stack's deskphone config";
    }
}

/** `text` with every secret (and its Basic-auth encodings) replaced by "[redacted]". */
export function redact(text: string, secrets: (string | undefined)[]): string {
    const words = secrets.filter((s): s is string => typeof s === "string" && s.length >= 4);
    const forms = new Set<string>(words);
    for (const a of words) for (const b of words) forms.add(Buffer.from(`${a}:${b}`).toString("base64"));
    let result = text;
    for (const form of [...forms].sort((x, y) => y.length - x.length)) result = result.split(form).join("[redacted]");
    return result;
}

export interface RetryCall<T> {
    provider: ProviderName;
    /** What is being done, in the words of an error message: "buy +13235550100". */
    action: string;
    policy: RetryPolicy;
    /** Values that must never appear in an error message. */
    secrets: (string | undefined)[];
    call: () => Promise<T>;
    /** Turns whatever `call` threw into a failure, or undefined when it is no API failure (a bug): rethrown as is. */
    toFailure: (error: unknown) => ApiFailure | undefined;
    /**
     * Run before each retry: a try whose answer was lost (timeout, 5xx) may have done its work, so a
     * purchase looks for what it bought instead of buying again. A result ends the retries. Run once
     * more when, after a lost answer, a retry is refused with a 4xx: the lost try may have finished
     * after the last look ("already owned"), and what it did is then ours, not someone else's.
     */
    recover?: () => Promise<T | undefined>;
    /** The hint for a failure no retry fixes; default by status. */
    hint?: (failure: ApiFailure) => string | undefined;
}

/** Whether a failure leaves it unknown if the request did its work: no answer, or a server error. */
export function isLostAnswer(failure: ApiFailure): boolean {
    return failure.status === undefined || failure.status >= 500;
}

/** Runs `call`, retrying 429, 5xx and lost answers with exponential backoff; other failures end at once. */
export async function withRetry<T>(request: RetryCall<T>): Promise<T> {
    const { policy } = request;
    let failure: ApiFailure | undefined;
    let answerLost = false;
    for (let attempt = 1; attempt <= policy.attempts; attempt++) {
        if (attempt > 1) {
            const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 2));
            await new Promise((resolve) => setTimeout(resolve, Math.round(ceiling * (0.5 + Math.random() / 2))));
            if (request.recover) {
                try {
                    const recovered = await request.recover();
                    if (recovered !== undefined) return recovered;
                } catch (error) {
                    const recoverFailure = request.toFailure(error) ?? failureOf(error);
                    if (!recoverFailure || !isRetryable(recoverFailure))
                        throw finalError(request, recoverFailure, error);
                    failure = recoverFailure;
                    continue;
                }
            }
        }
        try {
            return await request.call();
        } catch (error) {
            failure = request.toFailure(error) ?? failureOf(error);
            if (
                failure &&
                answerLost &&
                request.recover &&
                failure.status !== undefined &&
                failure.status >= 400 &&
                failure.status < 500
            ) {
                const recovered = await request.recover().catch(() => undefined);
                if (recovered !== undefined) return recovered;
            }
            if (!failure || !isRetryable(failure)) throw finalError(request, failure, error);
            answerLost ||= isLostAnswer(failure);
        }
    }
    throw finalError(request, failure, undefined);
}

/** A ProviderError passed through from a nested call keeps its own failure. */
function failureOf(error: unknown): ApiFailure | undefined {
    return isProviderError(error) ? error.failure : undefined;
}

function finalError<T>(request: RetryCall<T>, failure: ApiFailure | undefined, error: unknown): Error {
    if (!failure) {
        const message = error instanceof Error ? error.message : String(error);
        const plain = new Error(redact(message, request.secrets));
        plain.name = error instanceof Error ? error.name : "Error";
        return plain;
    }
    const clean: ApiFailure = { ...failure, message: redact(failure.message || "no message", request.secrets) };
    const hint = request.hint?.(clean) ?? defaultHint(request.provider, clean);
    return providerError(
        request.provider,
        redact(request.action, request.secrets),
        clean,
        redact(hint, request.secrets),
    );
}
