import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { AsteriskHost, readCertificateFingerprint, waitForAsterisk } from "./asteriskHost";
import * as defaults from "./defaults";
import { renderInstallScript } from "./render/serverFiles";

export interface ExistingServerArgs {
    /** Address deskphone connects to over SSH and trunks and phones reach. */
    host: pulumi.Input<string>;
    /** SSH port. Default 22. */
    port?: pulumi.Input<number>;
    /** SSH user, root. Default "root". */
    user?: pulumi.Input<string>;
    /** SSH private key (a Pulumi secret). */
    privateKey: pulumi.Input<string>;
    /** Address trunks and phones reach, when it differs from `host` (e.g. SSH over a tunnel). */
    publicAddress?: pulumi.Input<string>;
    /** The server's DNS name: its TLS certificate is Let's Encrypt's (certbot takes port 80 while it runs). Default none: self-signed. */
    domain?: string;
}

/** Asterisk on a host the user already has: installed and hardened over SSH. */
export class ExistingServer extends pulumi.ComponentResource implements AsteriskHost {
    public readonly publicAddress: pulumi.Output<string>;
    public readonly connection: pulumi.Output<command.types.input.remote.ConnectionArgs>;
    public readonly ready: pulumi.Resource;
    public readonly machineId: pulumi.Output<string>;
    public readonly certificateFingerprint: pulumi.Output<string>;

    constructor(name: string, args: ExistingServerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("deskphone:index:ExistingServer", name, {}, opts);
        this.publicAddress = pulumi.output(args.publicAddress ?? args.host);
        this.machineId = pulumi.interpolate`${args.host}:${args.port ?? defaults.sshPort}`;
        this.connection = pulumi.secret(
            pulumi
                .all([args.host, args.port ?? defaults.sshPort, args.user ?? defaults.sshUser, args.privateKey])
                .apply(([host, port, user, privateKey]) => ({
                    host,
                    port,
                    user,
                    privateKey,
                    dialErrorLimit: 5,
                })),
        );
        const installScript = renderInstallScript({ domain: args.domain });
        this.ready = new command.remote.Command(
            `${name}-install`,
            {
                connection: this.connection,
                addPreviousOutputInEnv: false,
                create: "sh -s # deskphone-install",
                update: "sh -s # deskphone-install",
                stdin: `${installScript}\n${waitForAsterisk}\n`,
            },
            { parent: this },
        );
        this.certificateFingerprint = readCertificateFingerprint(`${name}-certificate`, this);
        // `ready` is a resource to depend on, not a value: it is no output.
        this.registerOutputs({
            publicAddress: this.publicAddress,
            connection: this.connection,
            machineId: this.machineId,
            certificateFingerprint: this.certificateFingerprint,
        });
    }
}
