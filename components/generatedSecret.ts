import * as pulumi from "@pulumi/pulumi";

/** What kind of secret to make: a long password, a keypad PIN, or an SSH key pair. */
export type GeneratedSecretKind = "password" | "pin" | "ssh-key";

export interface GeneratedSecretArgs {
    /** Default "password": 32 random URL-safe characters. */
    kind?: pulumi.Input<GeneratedSecretKind>;
}

interface GeneratedSecretState {
    kind: GeneratedSecretKind;
    value: string;
    publicKey: string;
}

/** Made once on create and kept in the stack's state (encrypted); never made again unless the kind changes. */
const generatedSecretProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs: { kind?: GeneratedSecretKind }) {
        const crypto = require("crypto") as typeof import("crypto");
        const kind = inputs.kind ?? "password";
        let value: string;
        let publicKey = "";
        if (kind === "pin") {
            value = String(crypto.randomInt(0, 1_000_000)).padStart(6, "0");
        } else if (kind === "ssh-key") {
            const pair = crypto.generateKeyPairSync("ed25519");
            value = pair.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
            // OpenSSH wire format: string "ssh-ed25519", string <32-byte key>.
            const raw = pair.publicKey.export({ type: "spki", format: "der" }).subarray(-32);
            const field = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
            publicKey = `ssh-ed25519 ${Buffer.concat([field(Buffer.from("ssh-ed25519")), field(raw)]).toString("base64")} deskphone`;
        } else {
            // Twilio credential lists want upper case, lower case and a digit; 32 random characters nearly always have them.
            do value = crypto.randomBytes(24).toString("base64url");
            while (!(/[A-Z]/.test(value) && /[a-z]/.test(value) && /\d/.test(value)));
        }
        const outs: GeneratedSecretState = { kind, value, publicKey };
        return { id: crypto.randomUUID(), outs };
    },
    async diff(_id: string, olds: GeneratedSecretState, news: { kind?: GeneratedSecretKind }) {
        const kind = news.kind ?? "password";
        return kind === olds.kind
            ? { changes: false }
            : { changes: true, replaces: ["kind"], deleteBeforeReplace: false };
    },
};

/** A random secret made by deskphone when the stack gives none: phone passwords, PINs, the deploy key. */
export class GeneratedSecret extends pulumi.dynamic.Resource {
    /** The secret (a Pulumi secret). For "ssh-key", the private key in PKCS#8 PEM. */
    declare public readonly value: pulumi.Output<string>;
    /** For "ssh-key": the public key in OpenSSH form. */
    declare public readonly publicKey: pulumi.Output<string>;

    constructor(name: string, args: GeneratedSecretArgs = {}, opts?: pulumi.CustomResourceOptions) {
        super(
            generatedSecretProvider,
            name,
            { kind: args.kind ?? "password", value: undefined, publicKey: undefined },
            {
                ...opts,
                additionalSecretOutputs: ["value"],
            },
            "deskphone",
            "GeneratedSecret",
        );
    }
}
