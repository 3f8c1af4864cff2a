import { ConfigProblem } from "./errors";
import { SecretForm, SecretSetting } from "./types";

/** Where a raw value sits in the stack config, e.g. `deskphone:phones[0]`. */
export type ConfigPath = string;

export const namespace = "deskphone";
/** The path of a top-level stack setting, e.g. `deskphone:numbers`. */
export const settingPath = (key: string): ConfigPath => `${namespace}:${key}`;

/** Stands in for a secret that could not be decrypted (no passphrase): rendering still works, logins won't. */
export const encryptedPlaceholder = "ENCRYPTED-set-PULUMI_CONFIG_PASSPHRASE";

/**
 * Stands in for a value another resource gives (a PhoneSystem arg that is a pulumi.Output): it passes
 * every check until it is known, when the office is checked again with it (office/input.ts).
 */
export const pendingInput = "PENDING-pulumi-output";

export function child(path: ConfigPath, key: string | number): ConfigPath {
    return typeof key === "number" ? `${path}[${key}]` : `${path}.${key}`;
}

/** Tells whether the value at a config path was stored in plain text rather than with `--secret`. */
export type PlainTextCheck = (path: ConfigPath) => boolean;

/**
 * Reads untyped config values into typed ones, collecting every problem instead of stopping at the
 * first, so a user sees all their mistakes in one run.
 */
export class ConfigReader {
    readonly problems: ConfigProblem[] = [];

    constructor(private readonly isPlainText: PlainTextCheck) {}

    problem(path: ConfigPath, message: string, hint?: string): void {
        this.problems.push(hint ? { path, message, hint } : { path, message });
    }

    /** An object whose keys must all be known; unknown keys are reported as likely typos. */
    object(path: ConfigPath, value: unknown, known: readonly string[]): Record<string, unknown> | undefined {
        if (value === undefined || value === null) return undefined;
        if (typeof value !== "object" || Array.isArray(value)) {
            this.problem(path, `expected a mapping of settings, got ${describe(value)}`);
            return undefined;
        }
        const record = value as Record<string, unknown>;
        for (const key of Object.keys(record)) {
            if (!known.includes(key)) this.unknownKey(child(path, key), key, known);
        }
        return record;
    }

    unknownKey(path: ConfigPath, key: string, known: readonly string[]): void {
        const guess = closest(key, known);
        this.problem(
            path,
            `unknown setting "${key}"`,
            guess ? `did you mean "${guess}"?` : `known settings: ${known.join(", ")}`,
        );
    }

    array(path: ConfigPath, value: unknown): unknown[] {
        if (value === undefined || value === null) return [];
        if (!Array.isArray(value)) {
            this.problem(path, `expected a list, got ${describe(value)}`);
            return [];
        }
        return value;
    }

    string(path: ConfigPath, value: unknown, opts: { required: true; pattern?: RegExp; what?: string }): string;
    string(
        path: ConfigPath,
        value: unknown,
        opts?: { required?: boolean; pattern?: RegExp; what?: string },
    ): string | undefined;
    string(
        path: ConfigPath,
        value: unknown,
        opts: { required?: boolean; pattern?: RegExp; what?: string } = {},
    ): string | undefined {
        if (value === undefined || value === null || value === "") {
            if (opts.required) this.problem(path, `is required${opts.what ? `: ${opts.what}` : ""}`);
            return opts.required ? "" : undefined;
        }
        if (value === pendingInput) return value;
        if (typeof value === "number" && Number.isFinite(value)) value = String(value);
        if (typeof value !== "string") {
            this.problem(path, `expected text, got ${describe(value)}`);
            return opts.required ? "" : undefined;
        }
        if (opts.pattern && !opts.pattern.test(value)) {
            this.problem(path, `${JSON.stringify(value)} is not ${opts.what ?? `of the form ${opts.pattern}`}`);
        }
        return value;
    }

    oneOf<T extends string>(path: ConfigPath, value: unknown, allowed: readonly T[], fallback: T): T {
        if (value === undefined || value === null) return fallback;
        if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
            this.problem(path, `${JSON.stringify(value)} is not allowed`, `use one of: ${allowed.join(", ")}`);
            return fallback;
        }
        return value as T;
    }

    integer(path: ConfigPath, value: unknown, fallback: number, range: { min: number; max: number }): number {
        if (value === undefined || value === null) return fallback;
        const n = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
        if (typeof n !== "number" || !Number.isInteger(n) || n < range.min || n > range.max) {
            this.problem(path, `${JSON.stringify(value)} is not a whole number from ${range.min} to ${range.max}`);
            return fallback;
        }
        return n;
    }

    boolean(path: ConfigPath, value: unknown, fallback: boolean): boolean {
        if (value === undefined || value === null) return fallback;
        if (typeof value === "boolean") return value;
        if (value === "true" || value === "false") return value === "true";
        this.problem(path, `${JSON.stringify(value)} is not true or false`);
        return fallback;
    }

    /**
     * A secret must be stored with `pulumi config set --secret`; absent secrets are generated when
     * `generated`. `value` is how the hint writes the value (default `<value>`); `form` says what it is (absent: a password).
     */
    secret(
        path: ConfigPath,
        value: unknown,
        opts: { generated: boolean; what: string; value?: string; form?: SecretForm },
    ): SecretSetting | undefined {
        const hint = secretHint(path, opts.value);
        const form = opts.form ? { form: opts.form } : {};
        if (value === undefined || value === null || value === "") {
            if (!opts.generated) this.problem(path, `is required: ${opts.what}`, hint);
            return opts.generated ? { path, ...form } : undefined;
        }
        if (typeof value !== "string" && typeof value !== "number") {
            this.problem(path, `expected a secret text value, got ${describe(value)}`, hint);
            return { path, ...form };
        }
        if (this.isPlainText(path)) {
            this.problem(path, "is a secret but is stored in plain text", hint);
        }
        return { path, ...form, value: String(value) };
    }
}

/** The command that stores a secret; `--` ends pulumi's options, so a value such as a key's "-----BEGIN" is not taken for one (and echoed). */
function secretHint(path: ConfigPath, value = "<value>"): string {
    const [key, ...rest] = path.split(/(?=[.[])/);
    return `store it with: pulumi config set --secret --path '${key}${rest.join("")}' -- ${value}`;
}

export function describe(value: unknown): string {
    if (Array.isArray(value)) return "a list";
    if (value === null) return "nothing";
    if (typeof value === "object") return "a mapping";
    return `${typeof value} ${JSON.stringify(value)}`;
}

/** The known key nearest to a misspelt one (edit distance ≤ 2 or a case-only difference). */
export function closest(key: string, known: readonly string[]): string | undefined {
    let best: string | undefined;
    let bestDistance = 3;
    for (const candidate of known) {
        const d = candidate.toLowerCase() === key.toLowerCase() ? 0 : editDistance(key, candidate);
        if (d < bestDistance) {
            best = candidate;
            bestDistance = d;
        }
    }
    return best;
}

function editDistance(a: string, b: string): number {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
        let diagonal = row[0];
        row[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const above = row[j];
            row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
            diagonal = above;
        }
    }
    return row[b.length];
}
