/**
 * A PhoneSystem's args are the office as a program writes it, where a server's address or a secret
 * may be another resource's output. The office is checked at once with a stand-in for each such
 * value (so resources can be declared), and again, with the same messages, once they are known.
 */

import * as pulumi from "@pulumi/pulumi";
import { child, ConfigPath, namespace, pendingInput } from "./configReader";
import type { OfficeInput } from "./settings";
import type { Office } from "./types";
import { RawOfficeConfig, validateOffice } from "./validate";

export interface CheckedInput {
    /** The office, with `pendingInput` where a value is an output. */
    office: Office;
    /** Each output value by the config path it stands at, e.g. `deskphone:server.existing.host`. */
    outputs: Map<ConfigPath, pulumi.Output<string>>;
    /** `office` once checked again with every output's value: fails with every problem, as validateOffice does. */
    checked: pulumi.Output<Office>;
}

export function checkOfficeInput(input: OfficeInput): CheckedInput {
    const outputs = new Map<ConfigPath, pulumi.Output<string>>();
    const raw = toRaw(input, (value, path) => {
        outputs.set(path, pulumi.output(value as pulumi.Input<string>));
        return pendingInput;
    });
    const office = validateOffice(raw);
    const known = pulumi.all([...outputs].map(([path, value]) => pulumi.all([path, value])));
    const checked = known.apply((pairs) => {
        if (pairs.length > 0) validateOffice(toRaw(input, (_, path) => new Map(pairs).get(path)));
        return office;
    });
    // The office returned holds stand-ins, not the values checked: no secret is in it.
    return { office, outputs, checked: pulumi.unsecret(checked) };
}

/** The settings as plain config values, each output replaced by what `resolve` gives for it. */
function toRaw(input: OfficeInput, resolve: (value: unknown, path: ConfigPath) => unknown): RawOfficeConfig {
    const walk = (value: unknown, path: ConfigPath): unknown => {
        if (pulumi.Output.isInstance(value) || value instanceof Promise) return resolve(value, path);
        if (Array.isArray(value)) return value.map((item, i) => walk(item, child(path, i)));
        if (value !== null && typeof value === "object")
            return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, walk(v, child(path, key))]));
        return value;
    };
    return Object.fromEntries(Object.entries(input).map(([key, value]) => [key, walk(value, `${namespace}:${key}`)]));
}
