import * as pulumi from "@pulumi/pulumi";
import { AsteriskConfig } from "./asteriskConfig";
import { AsteriskHost } from "./asteriskHost";
import { CostEstimate, estimateMonthlyCost } from "./costEstimate";
import { DropletServer } from "./dropletServer";
import { ExistingServer } from "./existingServer";
import { GeneratedSecret } from "./generatedSecret";
import { Office } from "./office/types";
import { renderConfigFiles, renderSecretFiles, secretIds, secretSettings } from "./render/render";
import { sipSources } from "./render/serverFiles";

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

    constructor(name: string, args: PhoneSystemArgs, opts?: pulumi.ComponentResourceOptions) {
        super("deskphone:index:PhoneSystem", name, {}, opts);
        const office = args.office;
        const secrets = this.secretValues(name, office);
        const server = this.server(name, office);
        // Only an office behind NAT writes its public address into its files; others' text is known
        // at preview time, so `pulumi preview --diff` shows their changed lines even for a new server.
        const configFiles = renderConfigFiles(office).map((file) => ({
            ...file,
            text: office.server.behindNat
                ? server.publicAddress.apply((publicAddress) => renderConfigFiles(office, { publicAddress }).find((f) => f.name === file.name)!.text)
                : file.text,
        }));
        const secretShape = renderSecretFiles(office, placeholders(office));
        const secretFiles = secretShape.map((file) => ({
            ...file,
            text: pulumi.secret(secrets.apply((values) => renderSecretFiles(office, values).find((f) => f.name === file.name)!.text)),
        }));
        new AsteriskConfig(`${name}-config`, { connection: server.connection, files: [...secretFiles, ...configFiles] }, { parent: this, dependsOn: [server.ready] });

        this.publicAddress = server.publicAddress;
        this.phones = pulumi.secret(
            pulumi.all([server.publicAddress, secrets]).apply(([address, values]) =>
                office.phones.map((phone) => ({ name: phone.name, extension: phone.extension, server: address, user: phone.name, password: values[phone.secret.path] })),
            ),
        );
        this.numbers = server.publicAddress.apply((address) =>
            office.numbers.map((n) => ({ e164: n.e164, rings: n.rings, trunk: n.trunk, pointsAt: `sip:${address}` })),
        );
        this.monthlyCost = estimateMonthlyCost(office);
        this.registerOutputs({ publicAddress: this.publicAddress, phones: this.phones, numbers: this.numbers, monthlyCost: this.monthlyCost });
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

function placeholders(office: Office): Record<string, string> {
    return Object.fromEntries(secretSettings(office).map((s) => [s.path, "x"]));
}
