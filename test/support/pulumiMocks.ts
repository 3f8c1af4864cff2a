import * as pulumi from "@pulumi/pulumi";

/** A resource the program declared, as the engine would see it. */
export interface Declared {
    type: string;
    name: string;
    inputs: Record<string, any>;
    /** The declaring parent's name, or undefined for the stack's own resources. */
    parent?: string;
    /** Names it was known by before (`aliases`). */
    aliases: string[];
    /** Inputs whose changes it ignores (`ignoreChanges`). */
    ignoreChanges: string[];
    /** Names of the resources it waits for (`dependsOn`). */
    dependsOn: string[];
}

/**
 * Runs Pulumi code under mocks and records every resource it declares with its parent. Each
 * resource's mocked state echoes its inputs plus what the real provider would compute.
 */
export class MockEngine {
    readonly declared: Declared[] = [];
    /** Every provider function the program called (a data source's lookup), with its arguments. */
    readonly invoked: { token: string; inputs: Record<string, any> }[] = [];
    private readonly names = new Map<pulumi.Resource, string>();

    async install(): Promise<void> {
        await pulumi.runtime.setMocks(
            {
                newResource: (args) => {
                    const record = this.declared.find((d) => d.name === args.name && d.type === args.type);
                    if (record) record.inputs = args.inputs;
                    return { id: `${args.name}-id`, state: { ...args.inputs, ...computedState(args) } };
                },
                call: (args) => {
                    this.invoked.push({ token: args.token, inputs: args.inputs });
                    return args.inputs;
                },
            },
            "deskphone",
            "test",
            false,
        );
    }

    /** Resource options that make every child of a component report itself here. */
    recordChildren(rootName: string): pulumi.ComponentResourceOptions {
        return {
            transformations: [
                (args) => {
                    this.names.set(args.resource, args.name);
                    const parent = args.opts.parent ? (this.names.get(args.opts.parent) ?? rootName) : undefined;
                    const aliases = (args.opts.aliases ?? []).map((alias) =>
                        typeof alias === "string" ? alias : String((alias as pulumi.Alias).name),
                    );
                    const dependsOn = ([] as pulumi.Resource[])
                        .concat((args.opts.dependsOn as pulumi.Resource | pulumi.Resource[] | undefined) ?? [])
                        .map((r) => this.names.get(r) ?? "?");
                    this.declared.push({
                        type: args.type,
                        name: args.name,
                        inputs: args.props,
                        parent,
                        aliases,
                        ignoreChanges: args.opts.ignoreChanges ?? [],
                        dependsOn,
                    });
                    return undefined;
                },
            ],
        };
    }

    ofType(type: string): Declared[] {
        return this.declared.filter((d) => d.type === type);
    }

    one(type: string): Declared {
        const found = this.ofType(type);
        if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
        return found[0];
    }
}

function computedState(args: pulumi.runtime.MockResourceArgs): Record<string, unknown> {
    switch (args.type) {
        case "pulumi-nodejs:dynamic/deskphone:FlowrouteNumber":
            return {
                phoneNumber: args.inputs.e164 ?? boughtNumber(args.inputs),
                primaryRoute: `${args.inputs.serverAddress}:${args.inputs.sipPort ?? 5060}`,
            };
        case "pulumi-nodejs:dynamic/deskphone:TwilioTrunk":
            return { trunkSid: "TK00000000000000000000000000000001" };
        case "pulumi-nodejs:dynamic/deskphone:TwilioNumber":
            return {
                phoneNumber: args.inputs.e164 ?? boughtNumber(args.inputs),
                attachedTrunkSid: args.inputs.trunkSid,
            };
    }
    if (args.type.startsWith("pulumi-nodejs:dynamic"))
        return { value: `generated-${args.name}`, publicKey: "ssh-ed25519 AAAAdeploy deskphone" };
    switch (args.type) {
        case "digitalocean:index/reservedIp:ReservedIp":
            return { ipAddress: "203.0.113.7" };
        case "digitalocean:index/sshKey:SshKey":
            return { fingerprint: "aa:bb:cc" };
        case "command:remote:Command":
            // The certificate's fingerprint, as `deskphone-certificate fingerprint` prints it.
            if (String(args.inputs.create ?? "").endsWith("deskphone-certificate fingerprint"))
                return { stdout: `${mockFingerprint}\n`, stderr: "" };
            return { stdout: "applied", stderr: "" };
        default:
            return {};
    }
}

/** The fingerprint the mocked server's certificate has. */
export const mockFingerprint =
    "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";

/** What a provider sells a mocked purchase: a North American number in the asked area code (default 206), line 0142. */
export function boughtNumber(inputs: Record<string, any>): string {
    return `+1${inputs.areaCode ?? "206"}5550142`;
}

/** An input as the mocks received it, a secret unwrapped from the engine's secret envelope. */
export function inputValue(value: unknown): unknown {
    const secretSig = "4dabf18193072939515e22adb298388d";
    return value && typeof value === "object" && secretSig in value
        ? (value as unknown as { value: unknown }).value
        : value;
}

/** The settled value of an output. */
export function settled<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply((value) => resolve(value)));
}
