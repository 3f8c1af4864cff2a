import * as pulumi from "@pulumi/pulumi";
import { AsteriskConfig } from "./asteriskConfig";
import { AsteriskHost } from "./asteriskHost";
import { CostEstimate, estimateMonthlyCost } from "./costEstimate";
import { DropletServer } from "./dropletServer";
import { ExistingServer } from "./existingServer";
import { GeneratedSecret } from "./generatedSecret";
import { Office } from "./office/types";
import { RenderedFile, renderConfigFiles, renderSecretFiles, secretIds, secretSettings } from "./render/render";
import { sipSources } from "./render/serverFiles";
import { digitsOf } from "./render/dialplan";
import { FlowrouteNumber, TwilioNumber, TwilioTrunk } from "./providers";
import { spa3102Records, Spa3102Records } from "./spa3102";

export interface PhoneSystemArgs {
    /** The office, validated: `loadPulumiOffice()` in a program, `validateOffice()` elsewhere. */
    office: Office;
}

/** What a phone needs to be set up: server, user, password (a secret). */
export interface PhoneSetup {
    name: string;
    extension: string;
    server: string;
    user: string;
    password: string;
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
    /** Per number: the phones it rings and where the provider sends it. */
    public readonly numbers: pulumi.Output<{ e164: string; rings: string[]; trunk: string; pointsAt: string }[]>;
    /** Itemised monthly cost estimate in USD. */
    public readonly monthlyCost: CostEstimate;
    /** The SPA3102's provisioning profile and settings sheet, without passwords (when the office has one). */
    public readonly spa3102?: pulumi.Output<Spa3102Records>;
    /** The same, with the adapter's passwords (a secret). */
    public readonly spa3102WithSecrets?: pulumi.Output<Spa3102Records>;

    constructor(name: string, args: PhoneSystemArgs, opts?: pulumi.ComponentResourceOptions) {
        super("deskphone:index:PhoneSystem", name, {}, opts);
        const office = args.office;
        const secrets = this.secretValues(name, office);
        const server = this.server(name, office);
        // Only an office behind NAT writes its public address into its files; others' text is known
        // at preview time, so `pulumi preview --diff` shows their changed lines even for a new server.
        const withAddress = server.publicAddress.apply((publicAddress) => renderConfigFiles(office, { publicAddress }));
        const configFiles = renderConfigFiles(office).map((file) => ({
            ...file,
            text: office.server.behindNat ? withAddress.apply((files) => textOf(files, file.name)) : file.text,
        }));
        // The shape (names, paths) is known without the secrets; the text of each file waits for them.
        const secretTexts = secrets.apply((values) => renderSecretFiles(office, values));
        const secretFiles = renderSecretFiles(office, placeholders(office)).map((file) => ({
            ...file,
            text: pulumi.secret(secretTexts.apply((files) => textOf(files, file.name))),
        }));
        new AsteriskConfig(`${name}-config`, { connection: server.connection, files: [...secretFiles, ...configFiles] }, { parent: this, dependsOn: [server.ready] });
        const numberTargets = this.pointNumbers(name, office, server.publicAddress, secrets);

        this.publicAddress = server.publicAddress;
        this.phones = pulumi.secret(
            pulumi.all([server.publicAddress, secrets]).apply(([address, values]) =>
                office.phones.map((phone) => ({ name: phone.name, extension: phone.extension, server: address, user: phone.name, password: values[phone.secret.path] })),
            ),
        );
        this.numbers = pulumi.all(numberTargets).apply((targets) =>
            office.numbers.map((n, i) => ({ e164: n.e164, rings: n.rings, trunk: n.trunk, pointsAt: targets[i] })),
        );
        this.monthlyCost = estimateMonthlyCost(office);
        if (office.spa3102) {
            this.spa3102 = server.publicAddress.apply((publicAddress) => spa3102Records(office, { publicAddress }));
            this.spa3102WithSecrets = pulumi.secret(
                pulumi.all([server.publicAddress, secrets]).apply(([publicAddress, values]) => spa3102Records(office, { publicAddress, secrets: values })),
            );
        }
        this.registerOutputs({
            publicAddress: this.publicAddress,
            phones: this.phones,
            numbers: this.numbers,
            monthlyCost: this.monthlyCost,
            spa3102: this.spa3102,
            spa3102WithSecrets: this.spa3102WithSecrets,
        });
    }

    /** The stack's secrets, plus a generated one for each it leaves out. */
    private secretValues(name: string, office: Office): pulumi.Output<Record<string, string>> {
        const ids = secretIds(office);
        const entries = secretSettings(office).map((setting) => {
            const generate = () => new GeneratedSecret(`${name}-${ids.get(setting.path)}`, { kind: setting.path.endsWith("mailboxPin") ? "pin" : "password" }, { parent: this });
            const value = setting.value !== undefined ? pulumi.secret(setting.value) : generate().value;
            return pulumi.all([setting.path, value]);
        });
        return pulumi.secret(pulumi.all(entries).apply((pairs) => Object.fromEntries(pairs)));
    }

    /**
     * Points each adopted number at the server through its provider: a Twilio Elastic SIP Trunk per
     * Twilio trunk with its numbers attached, a Flowroute host route per Flowroute number. Returns,
     * per number, where its provider sends it.
     */
    private pointNumbers(name: string, office: Office, address: pulumi.Output<string>, secrets: pulumi.Output<Record<string, string>>): pulumi.Output<string>[] {
        const trunks = new Map<string, TwilioTrunk>();
        for (const trunk of office.trunks) {
            if (trunk.kind !== "twilio" || !office.numbers.some((n) => n.trunk === trunk.name && n.acquire === "adopt")) continue;
            trunks.set(
                trunk.name,
                new TwilioTrunk(
                    `${name}-${trunk.name}`,
                    {
                        office: office.office.name,
                        serverAddress: address,
                        sipPort: office.server.sipPort,
                        terminationDomain: trunk.terminationHost,
                        username: trunk.username,
                        password: pulumi.secret(secrets.apply((values) => values[trunk.password.path])),
                    },
                    { parent: this },
                ),
            );
        }
        return office.numbers.map((number) => {
            const trunk = office.trunks.find((t) => t.name === number.trunk);
            const resourceName = `${name}-${digitsOf(number.e164)}`;
            if (number.acquire === "manual" || !trunk) return pulumi.output(`${number.trunk} (set by hand)`);
            if (trunk.kind === "twilio") {
                const twilioNumber = new TwilioNumber(
                    resourceName,
                    { office: office.office.name, mode: "adopt", e164: number.e164, sid: number.sid, trunkSid: trunks.get(trunk.name)!.trunkSid, releaseOnDelete: number.releaseOnDelete },
                    { parent: this },
                );
                return pulumi.interpolate`Twilio trunk ${twilioNumber.attachedTrunkSid} → sip:${address}`;
            }
            if (trunk.kind === "flowroute") {
                const flowrouteNumber = new FlowrouteNumber(
                    resourceName,
                    { office: office.office.name, mode: "adopt", e164: number.e164, serverAddress: address, sipPort: office.server.sipPort, releaseOnDelete: number.releaseOnDelete, e911: number.e911 },
                    { parent: this },
                );
                return pulumi.interpolate`Flowroute route ${flowrouteNumber.primaryRoute}`;
            }
            return pulumi.interpolate`sip:${address} (your ITSP sends it here)`;
        });
    }

    private server(name: string, office: Office): AsteriskHost {
        const host = office.server.host;
        if (host.kind === "existing") {
            return new ExistingServer(`${name}-server`, { host: host.host, port: host.port, user: host.user, privateKey: pulumi.secret(host.privateKey.value ?? "") }, { parent: this });
        }
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
                rtpPorts: office.server.rtpPorts,
            },
            { parent: this },
        );
    }
}

function textOf(files: RenderedFile[], name: string): string {
    return files.find((f) => f.name === name)!.text;
}

function placeholders(office: Office): Record<string, string> {
    return Object.fromEntries(secretSettings(office).map((s) => [s.path, "x"]));
}
