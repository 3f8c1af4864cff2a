import * as pulumi from "@pulumi/pulumi";
import { namespace } from "./configReader";
import { readStackFile } from "./stackFile";
import { Office } from "./types";
import { validateOffice } from "./validate";

/** The office of a stack file read directly (render command, tests), with what stayed encrypted. */
export function loadStackOffice(stackFile: string, passphrase?: string): { office: Office; undecrypted: string[] } {
    const { raw, plainTextPaths, undecrypted } = readStackFile(stackFile, passphrase);
    return { office: validateOffice(raw, (p) => plainTextPaths.has(p)), undecrypted };
}

/**
 * The office of the running Pulumi stack. The engine hands over each `deskphone:` key as JSON and
 * marks a whole key secret when any value in it is; a secret setting in a key with no secret in it
 * was therefore written in plain text.
 */
export function loadPulumiOffice(): Office {
    const raw: Record<string, unknown> = {};
    const secretKeys = new Set<string>();
    for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
        if (!key.startsWith(`${namespace}:`)) continue;
        const name = key.slice(namespace.length + 1);
        raw[name] = parseConfigValue(value);
        if (isConfigSecret(key)) secretKeys.add(name);
    }
    return validateOffice(raw, (p) => !secretKeys.has(p.slice(namespace.length + 1).split(/[.[]/)[0]));
}

// The SDK implements isConfigSecret but leaves it out of its type declarations; without it, trust the stack.
const isConfigSecret: (key: string) => boolean =
    (pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean }).isConfigSecret ?? (() => true);

function parseConfigValue(value: string): unknown {
    try {
        return JSON.parse(value);
    } catch {
        return value;
    }
}
