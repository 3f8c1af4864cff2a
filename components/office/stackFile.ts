import { createDecipheriv, pbkdf2Sync } from "crypto";
import * as fs from "fs";
import * as YAML from "yaml";
import { ConfigPath, encryptedPlaceholder, namespace } from "./configReader";
import { RawOfficeConfig } from "./validate";

export interface StackFileConfig {
    raw: RawOfficeConfig;
    /** Paths whose value is written in plain text in the file (not `secure:`). */
    plainTextPaths: Set<ConfigPath>;
    /** Paths of `secure:` values left encrypted for want of a passphrase. */
    undecrypted: ConfigPath[];
}

/**
 * Reads the `deskphone:` keys of a `Pulumi.<stack>.yaml` without the Pulumi engine, for the render
 * command and tests. `secure:` values are decrypted with the passphrase secrets provider's scheme
 * (PBKDF2-SHA256 key from the passphrase and the file's salt, AES-256-GCM) when a passphrase is given.
 */
export function readStackFile(file: string, passphrase?: string): StackFileConfig {
    const doc = YAML.parse(fs.readFileSync(file, "utf8")) ?? {};
    const key =
        passphrase !== undefined && doc.encryptionsalt ? passphraseKey(passphrase, doc.encryptionsalt) : undefined;
    const result: StackFileConfig = { raw: {}, plainTextPaths: new Set(), undecrypted: [] };
    const walk = (value: unknown, at: ConfigPath): unknown => {
        if (Array.isArray(value)) return value.map((v, i) => walk(v, `${at}[${i}]`));
        if (value && typeof value === "object") {
            const record = value as Record<string, unknown>;
            if (Object.keys(record).length === 1 && typeof record.secure === "string") {
                if (key) return decrypt(key, record.secure);
                result.undecrypted.push(at);
                return encryptedPlaceholder;
            }
            return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, walk(v, `${at}.${k}`)]));
        }
        if (value !== undefined && value !== null) result.plainTextPaths.add(at);
        return value;
    };
    for (const [name, value] of Object.entries<unknown>(doc.config ?? {})) {
        if (!name.startsWith(`${namespace}:`)) continue;
        result.raw[name.slice(namespace.length + 1)] = walk(value, name);
    }
    return result;
}

function passphraseKey(passphrase: string, encryptionSalt: string): Buffer {
    const [version, salt] = encryptionSalt.split(":");
    if (version !== "v1") throw new Error(`unsupported encryptionsalt version ${version}`);
    const key = pbkdf2Sync(passphrase, Buffer.from(salt, "base64"), 1_000_000, 32, "sha256");
    try {
        decrypt(key, encryptionSalt.split(":").slice(2).join(":"));
    } catch {
        throw new Error("incorrect passphrase for this stack file (PULUMI_CONFIG_PASSPHRASE)");
    }
    return key;
}

function decrypt(key: Buffer, ciphertext: string): string {
    const [version, nonce, data] = ciphertext.split(":");
    if (version !== "v1") throw new Error(`unsupported secret version ${version}`);
    const bytes = Buffer.from(data, "base64");
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(nonce, "base64"));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]).toString("utf8");
}
