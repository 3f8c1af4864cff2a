import * as fs from "fs";
import * as path from "path";
import {
    loadStackOffice,
    Office,
    RawOfficeConfig,
    readStackFile,
    renderConfigFiles,
    renderSecretFiles,
    RenderedFile,
    resolveSecrets,
    SecretValues,
} from "../components";

export const repoRoot = path.join(__dirname, "..");
export const stacksDir = path.join(repoRoot, "stacks");
/** The example stacks' secrets are encrypted with this public passphrase (examples only). */
export const examplePassphrase = "deskphone-example";

export function exampleStacks(): string[] {
    return fs
        .readdirSync(stacksDir)
        .filter((f) => /^Pulumi\..+\.yaml$/.test(f))
        .map((f) => f.replace(/^Pulumi\.|\.yaml$/g, ""));
}

const cache = new Map<string, Office>();

/** An example stack's office, its secrets decrypted. */
export function exampleOffice(stack: string): Office {
    if (!cache.has(stack))
        cache.set(stack, loadStackOffice(path.join(stacksDir, `Pulumi.${stack}.yaml`), examplePassphrase).office);
    return structuredClone(cache.get(stack)!);
}

/** An example stack's `deskphone:` settings as its file has them, secrets decrypted: to change and validate. */
export function exampleSettings(stack: string): RawOfficeConfig {
    return readStackFile(path.join(stacksDir, `Pulumi.${stack}.yaml`), examplePassphrase).raw;
}

export interface RenderedOffice {
    office: Office;
    secrets: SecretValues;
    files: RenderedFile[];
    text(name: string): string;
}

export function renderOffice(office: Office, publicAddress = "203.0.113.7"): RenderedOffice {
    const secrets = resolveSecrets(office);
    const files = [...renderConfigFiles(office, { publicAddress }), ...renderSecretFiles(office, secrets)];
    return {
        office,
        secrets,
        files,
        text(name: string) {
            const file = files.find((f) => f.name === name);
            if (!file) throw new Error(`no rendered file ${name}`);
            return file.text;
        },
    };
}
