import * as pulumi from "@pulumi/pulumi";
import { AsteriskConfig, ConfigFileArgs } from "./asteriskConfig";
import { AsteriskHost } from "./asteriskHost";
import { CostEstimate, estimateMonthlyCost } from "./costEstimate";
import { DropletServer } from "./dropletServer";
import { ExistingServer } from "./existingServer";
import { GeneratedSecret } from "./generatedSecret";
import { namespace } from "./office/configReader";
import { checkOfficeInput } from "./office/input";
import { numbersToBuy, standInNumbers, withNumbers } from "./office/numbers";
import type { OfficeInput } from "./office/settings";
import { portOf } from "./office/transports";
import { Office, PhoneNumber, PhoneTransport } from "./office/types";
import { RenderedFile, renderConfigFiles, renderSecretFiles, secretIds, secretSettings } from "./render/render";
import { sipSources, tlsSources } from "./office/sipSources";
import { digitsOf } from "./render/dialplan";
import { advertisesPublicAddress } from "./render/viewModel";
import { describeE911Address } from "./providers";
import { kindOf, NumberTarget, PointingContext } from "./trunks";
import { spa3102Records, Spa3102Records } from "./spa3102";

/**
 * The office, as a stack's `deskphone:` keys describe it (README, "Describing an office"): checked
 * inside, every problem reported at once with its setting's path, as for a stack file. The server's
 * host and public address and every secret may be other resources' outputs.
 */
export type PhoneSystemArgs = OfficeInput;

/** An office already checked, by `loadPulumiOffice()` in a program or `validateOffice()` elsewhere. */
export interface ValidatedOfficeArgs {
    office: Office;
}

/** What a phone needs to be set up: server, user, password (a secret). */
export interface PhoneSetup {
    name: string;
    extension: string;
    server: string;
    /** "tls" (SIP over TLS, SRTP audio required) or "udp" (plain SIP and RTP). */
    transport: PhoneTransport;
    /** The server's port for that transport: its tlsPort or its sipPort. */
    port: number;
    user: string;
    password: string;
    /** Over TLS to a server without a DNS name: the SHA-256 fingerprint of its self-signed certificate, for the phone to accept. */
    certificateFingerprint?: string;
}

/** A number's voicemail box: what a caller dials to reach it from a desk phone (its own number, or 1) and its PIN (a secret). */
export interface MailboxSetup {
    number: string;
    mailbox: string;
    pin: string;
    email: string;
}

/**
 * One office's phone system: the server (a new droplet or an existing host), Asterisk's rendered
 * configuration, and what each phone and number needs. A change of trunk, route, number or phone
 * changes only configuration files, never the server.
 */
export class PhoneSystem extends pulumi.ComponentResource {
    /** Address trunks and phones reach the office at. */
    public readonly publicAddress: pulumi.Output<string>;
    /** Per phone: server, user and password (secret). */
    public readonly phones: pulumi.Output<PhoneSetup[]>;
    /** Per number: its name, its E.164 (a bought one's once bought), the phones it rings, where the provider sends it, and the emergency address deskphone registers for it ("" for none). */
    public readonly numbers: pulumi.Output<
        { name: string; e164: string; rings: string[]; trunk: string; pointsAt: string; emergencyAddress: string }[]
    >;
    /** Per number with voicemail: its mailbox and PIN (secret), and where messages are emailed. */
    public readonly mailboxes: pulumi.Output<MailboxSetup[]>;
    /** Itemised monthly cost estimate in USD. */
    public readonly monthlyCost: CostEstimate;
    /** The SPA3102's provisioning profile and settings sheet, without passwords (when the office has one). */
    public readonly spa3102?: pulumi.Output<Spa3102Records>;
    /** The same, with the adapter's passwords (a secret). */
    public readonly spa3102WithSecrets?: pulumi.Output<Spa3102Records>;

    constructor(name: string, args: PhoneSystemArgs | ValidatedOfficeArgs, opts?: pulumi.ComponentResourceOptions) {
        // Checked before anything is declared, this component included: a mistake stops the program with every problem listed.
        const { office, outputs, checked } = isValidated(args)
            ? { office: args.office, outputs: new Map(), checked: pulumi.output(args.office) }
            : checkOfficeInput(args);
        super("deskphone:index:PhoneSystem", name, {}, opts);
        /** A setting's value: the output it was given as, or its own. */
        const given = <T extends string | undefined>(path: string, value: T): pulumi.Input<string> | T =>
            outputs.get(path) ?? value;
        const secrets = this.secretValues(name, office, given);
        const server = this.server(name, office, given);
        const numbers = this.pointNumbers(name, office, server.publicAddress, secrets, given);
        const bought = pulumi.all(numbersToBuy(office).map((n) => pulumi.all([n.name, numbers.get(n.name)!.e164])));
        const resolved = pulumi.all([bought, checked]).apply(([pairs, o]) => withNumbers(o, Object.fromEntries(pairs)));
        const files = configFiles(
            office,
            resolved,
            advertisesPublicAddress(office) ? server.publicAddress : undefined,
            secrets,
        );
        new AsteriskConfig(
            `${name}-config`,
            {
                connection: server.connection,
                machineId: server.machineId,
                files,
                keepPrevious: office.server.host.kind === "existing",
            },
            { parent: this, dependsOn: [server.ready] },
        );

        this.publicAddress = server.publicAddress;
        this.phones = phoneSetups(office, server, secrets);
        this.numbers = numberOutputs(office, numbers);
        this.mailboxes = mailboxSetups(resolved, secrets);
        this.monthlyCost = estimateMonthlyCost(office);
        if (office.spa3102) {
            this.spa3102 = pulumi
                .all([server.publicAddress, resolved])
                .apply(([publicAddress, o]) => spa3102Records(o, { publicAddress }));
            this.spa3102WithSecrets = pulumi.secret(
                pulumi
                    .all([server.publicAddress, resolved, secrets])
                    .apply(([publicAddress, o, values]) => spa3102Records(o, { publicAddress, secrets: values })),
            );
        }
        this.registerOutputs({
            publicAddress: this.publicAddress,
            phones: this.phones,
            numbers: this.numbers,
            mailboxes: this.mailboxes,
            monthlyCost: this.monthlyCost,
            spa3102: this.spa3102,
            spa3102WithSecrets: this.spa3102WithSecrets,
        });
    }

    /** The stack's secrets, plus a generated one for each it leaves out. */
    private secretValues(name: string, office: Office, given: GivenValue): SecretValues {
        const ids = secretIds(office);
        const entries = secretSettings(office).map((setting) => {
            const number = office.numbers.find((n) => n.mailboxPin.path === setting.path);
            const aliases = number
                ? formerNumberNames(number).map((former) => ({ name: `${name}-pin-${former}` }))
                : [];
            const generate = () =>
                new GeneratedSecret(
                    `${name}-${ids.get(setting.path)}`,
                    { kind: setting.form === "pin" ? "pin" : "password" },
                    { parent: this, aliases },
                );
            const value =
                setting.value !== undefined ? pulumi.secret(given(setting.path, setting.value)) : generate().value;
            return pulumi.all([setting.path, value]);
        });
        return pulumi.secret(pulumi.all(entries).apply((pairs) => Object.fromEntries(pairs)));
    }

    /**
     * Buys or adopts each number deskphone manages and points it at the server through its trunk
     * kind's provider (a Twilio trunk with its numbers attached, a Flowroute host route per number).
     * Returns, by number name, its E.164 and where its provider sends it.
     */
    private pointNumbers(
        name: string,
        office: Office,
        address: pulumi.Output<string>,
        secrets: SecretValues,
        given: GivenValue,
    ): Map<string, NumberTarget> {
        const context: PointingContext = {
            name,
            office,
            parent: this,
            address,
            secrets,
            secret: (setting) => pulumi.secret(given(setting.path, setting.value ?? "")),
            // A number renamed, or a number you have named since, is the same resource: nothing bought, nothing let go.
            numberOptions: (number) => ({
                parent: this,
                aliases: formerNumberNames(number).map((former) => ({ name: `${name}-${former}` })),
            }),
        };
        const pointers = new Map(
            office.trunks.map((trunk) => [trunk.name, kindOf(trunk).numbers?.pointer(context, trunk)]),
        );
        const targets = new Map<string, NumberTarget>();
        for (const number of office.numbers) {
            const trunk = office.trunks.find((t) => t.name === number.trunk);
            const point = pointers.get(number.trunk);
            if (number.acquire === "manual" || !trunk) {
                targets.set(number.name, {
                    e164: pulumi.output(number.e164),
                    pointsAt: pulumi.output(`${number.trunk} (set by hand)`),
                });
            } else if (point) {
                targets.set(number.name, point(number));
            } else {
                targets.set(number.name, {
                    e164: pulumi.output(number.e164),
                    pointsAt: pulumi.interpolate`sip:${address} (your ITSP sends it here)`,
                });
            }
        }
        return targets;
    }

    private server(name: string, office: Office, given: GivenValue): AsteriskHost {
        const host = office.server.host;
        if (host.kind === "existing") {
            return new ExistingServer(
                `${name}-server`,
                {
                    host: given(`${namespace}:server.existing.host`, host.host),
                    port: host.port,
                    user: host.user,
                    privateKey: pulumi.secret(given(host.privateKey.path, host.privateKey.value ?? "")),
                    publicAddress: given(`${namespace}:server.publicAddress`, office.server.publicAddress),
                    domain: office.server.domain,
                },
                { parent: this },
            );
        }
        const tls = tlsSources(office);
        return new DropletServer(
            `${name}-server`,
            {
                region: host.region,
                size: host.size,
                volumeSizeGb: host.volumeGb,
                sshPublicKey: host.sshPublicKey,
                adminNetworks: host.adminNetworks,
                sipSources: sipSources(office),
                sipPort: office.server.sipPort,
                tls: tls && { port: office.server.tlsPort, sources: tls },
                rtpPorts: office.server.rtpPorts,
                domain: office.server.domain,
                dnsZone: office.server.dnsZone,
            },
            { parent: this },
        );
    }
}

/** The stack's secrets and the generated ones, by config path. */
type SecretValues = pulumi.Output<Record<string, string>>;

/**
 * What each phone is set up with: the server (its DNS name for a phone over TLS, when it has one: the
 * certificate is for that name), transport and port, its user and its password (the whole list a secret),
 * and for a phone over TLS to a self-signed certificate, that certificate's fingerprint to accept.
 */
function phoneSetups(office: Office, server: AsteriskHost, secrets: SecretValues): pulumi.Output<PhoneSetup[]> {
    const { domain } = office.server;
    return pulumi.secret(
        pulumi
            .all([server.publicAddress, server.certificateFingerprint, secrets])
            .apply(([address, fingerprint, values]) =>
                office.phones.map((phone) => {
                    const tls = phone.transport === "tls";
                    return {
                        name: phone.name,
                        extension: phone.extension,
                        server: tls && domain ? domain : address,
                        transport: phone.transport,
                        port: portOf(office.server, phone),
                        user: phone.name,
                        password: values[phone.secret.path],
                        ...(tls && !domain ? { certificateFingerprint: fingerprint } : {}),
                    };
                }),
            ),
    );
}

/** Each number as bought or adopted: its E.164, the phones it rings, where its provider sends it. */
function numberOutputs(office: Office, numbers: Map<string, NumberTarget>): PhoneSystem["numbers"] {
    return pulumi.all(
        office.numbers.map((n) => {
            const { e164, pointsAt } = numbers.get(n.name)!;
            const emergencyAddress = n.e911 ? describeE911Address(n.e911) : "";
            return pulumi.all([e164, pointsAt]).apply(([e164, pointsAt]) => ({
                name: n.name,
                e164,
                rings: n.rings,
                trunk: n.trunk,
                pointsAt,
                emergencyAddress,
            }));
        }),
    );
}

/** Each voicemail box with its PIN and email (the whole list a secret). */
function mailboxSetups(resolved: pulumi.Output<Office>, secrets: SecretValues): pulumi.Output<MailboxSetup[]> {
    return pulumi.secret(
        pulumi.all([resolved, secrets]).apply(([o, values]) =>
            o.numbers
                .filter((n) => n.mailbox)
                .map((n) => ({
                    number: n.name,
                    mailbox: digitsOf(n.e164),
                    pin: values[n.mailboxPin.path],
                    email: n.email ?? "",
                })),
        ),
    );
}

type GivenValue = <T extends string | undefined>(path: string, value: T) => pulumi.Input<string> | T;

function isValidated(args: PhoneSystemArgs | ValidatedOfficeArgs): args is ValidatedOfficeArgs {
    return "phones" in args.office;
}

/** The names a number had before its current one: `renamedFrom`, and the digits a number you have was named by until the stack named it. */
function formerNumberNames(number: PhoneNumber): string[] {
    const digits = number.e164 && number.name !== digitsOf(number.e164) ? digitsOf(number.e164) : "";
    return [...new Set([number.renamedFrom ?? "", digits])].filter((former) => former && former !== number.name);
}

/**
 * The files written to the server. Some are written with the E.164 of numbers still to buy or,
 * behind NAT, with the server's address: those wait for them. The others are known at preview
 * time, so `pulumi preview --diff` shows their changed lines even for a new server.
 */
function configFiles(
    office: Office,
    resolved: pulumi.Output<Office>,
    natAddress: pulumi.Output<string> | undefined,
    secrets: SecretValues,
): ConfigFileArgs[] {
    const configTexts = pulumi
        .all([resolved, natAddress])
        .apply(([o, publicAddress]) => renderConfigFiles(o, publicAddress ? { publicAddress } : {}));
    const secretTexts = pulumi.all([resolved, secrets]).apply(([o, values]) => renderSecretFiles(o, values));
    const [standIn, otherStandIn] = standInRenders(office);
    return [
        ...renderSecretFiles(withNumbers(office, standInNumbers(office)), placeholders(office)).map((file) => ({
            ...file,
            text: pulumi.secret(secretTexts.apply((all) => textOf(all, file.name))),
        })),
        ...standIn.map((file) => ({
            ...file,
            text:
                file.text === textOf(otherStandIn, file.name)
                    ? file.text
                    : configTexts.apply((all) => textOf(all, file.name)),
        })),
    ];
}

/**
 * The config files rendered twice, with different stand-ins for the numbers to buy and the address
 * behind NAT: a file whose text is the same in both does not depend on them.
 */
function standInRenders(office: Office): [RenderedFile[], RenderedFile[]] {
    const render = (firstNumber: number, publicAddress: string) =>
        renderConfigFiles(
            withNumbers(office, standInNumbers(office, firstNumber)),
            advertisesPublicAddress(office) ? { publicAddress } : {},
        );
    return [render(101, "192.0.2.1"), render(201, "192.0.2.2")];
}

function textOf(files: RenderedFile[], name: string): string {
    return files.find((f) => f.name === name)!.text;
}

function placeholders(office: Office): Record<string, string> {
    return Object.fromEntries(secretSettings(office).map((s) => [s.path, "x"]));
}
