import * as command from "@pulumi/command";
import * as digitalocean from "@pulumi/digitalocean";
import * as pulumi from "@pulumi/pulumi";
import { AsteriskHost, readCertificateFingerprint, waitForAsterisk } from "./asteriskHost";
import { GeneratedSecret } from "./generatedSecret";
import { InstallOptions, renderCloudInit, renderInstallScript } from "./render/serverFiles";
import * as defaults from "./defaults";
import { recordNameIn } from "./net";

export interface DropletServerArgs {
    /** DigitalOcean region slug, e.g. "nyc3". */
    region: string;
    /** Droplet size slug. Default "s-1vcpu-512mb-10gb", the smallest that runs Asterisk. */
    size?: string;
    /** Voicemail volume size in GB. Default 1. */
    volumeSizeGb?: number;
    /** The administrator's OpenSSH public key, installed for root. */
    sshPublicKey: string;
    /** Networks SSH is open to. Default anywhere (key-only login). */
    adminNetworks?: string[];
    /** Networks plain SIP (UDP/TCP) is open to: the plain trunks' signalling ranges, and the phones' networks when a phone uses it; none closes it. */
    sipSources: string[];
    /** SIP port. Default 5060. */
    sipPort?: number;
    /** SIP over TLS, open to the phones' networks and the signalling addresses of trunks over TLS, for an office with either. Default none. */
    tls?: { port: number; sources: string[] };
    /** RTP port range, open to every address (providers send media from anywhere). */
    rtpPorts: { start: number; end: number };
    /** The server's DNS name: its TLS certificate is Let's Encrypt's, checked over HTTP on port 80. Default none: self-signed. */
    domain?: string;
    /** A domain the DigitalOcean account manages that `domain` is in (e.g. "example.com"): `domain`'s A record is created there, at the reserved IP. Default none: the record is the user's. */
    dnsZone?: string;
}

export const ubuntuImage = "ubuntu-24-04-x64";

/**
 * Seconds resolvers keep the server's A record: five minutes, so that a new address (the stack made again, with a new
 * reserved IP) reaches phones soon, while phones re-registering still hit their resolver's cache. DigitalOcean's
 * minimum is 30 s (docs.digitalocean.com/glossary/ttl: "All DNS records require a minimum TTL value of 30 seconds"),
 * its default 1800 s (the DnsRecord's `ttl`).
 */
export const serverRecordTtl = 300;

/**
 * A droplet running Asterisk on Ubuntu 24.04, with a reserved IP (the address trunks point at
 * survives a droplet replacement), a cloud firewall, and a block volume for voicemail. Nothing in
 * its inputs depends on trunks, numbers or phones except the firewall rules, which update in place.
 */
export class DropletServer extends pulumi.ComponentResource implements AsteriskHost {
    public readonly publicAddress: pulumi.Output<string>;
    public readonly connection: pulumi.Output<command.types.input.remote.ConnectionArgs>;
    public readonly ready: pulumi.Resource;
    public readonly dropletId: pulumi.Output<string>;
    public readonly machineId: pulumi.Output<string>;
    public readonly certificateFingerprint: pulumi.Output<string>;

    constructor(name: string, args: DropletServerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("deskphone:index:DropletServer", name, {}, opts);
        const parent = { parent: this };
        const { fingerprints, deployKey } = this.sshKeys(name, args.sshPublicKey);
        const volumeName = volumeNameFor(name);
        const install = {
            droplet: { voicemailDevice: `/dev/disk/by-id/scsi-0DO_Volume_${volumeName}` },
            domain: args.domain,
        };
        const volume = this.voicemailVolume(name, volumeName, args);
        const droplet = new digitalocean.Droplet(
            `${name}-droplet`,
            {
                name,
                image: ubuntuImage,
                region: args.region,
                size: args.size ?? defaults.dropletSize,
                sshKeys: fingerprints,
                monitoring: true,
                userData: renderCloudInit(install),
            },
            // User data only runs at first boot and DigitalOcean replaces a droplet whose user data
            // changes: a newer install script reaches a running droplet over SSH instead (below).
            { ...parent, ignoreChanges: ["userData"] },
        );
        const attachment = new digitalocean.VolumeAttachment(
            `${name}-voicemail`,
            { dropletId: droplet.id.apply(Number), volumeId: volume.id },
            parent,
        );
        const { address, assignment } = this.reservedAddress(name, args.region, droplet);
        const record = args.dnsZone ? [this.addressRecord(name, args, address)] : [];
        this.firewall(name, droplet, args);
        this.publicAddress = address.ipAddress;
        this.dropletId = droplet.id;
        this.machineId = droplet.id;
        this.connection = pulumi.secret(
            pulumi
                .all([address.ipAddress, deployKey.value])
                .apply(([host, privateKey]) => ({ host, user: "root", privateKey, dialErrorLimit: 30 })),
        );
        // A replacement droplet is waited for again. Certbot runs in this step: Let's Encrypt must find the name's record.
        this.ready = readyCommand(`${name}-ready`, this.connection, install, droplet, {
            ...parent,
            dependsOn: [assignment, attachment, ...record],
        });
        this.certificateFingerprint = readCertificateFingerprint(`${name}-certificate`, this);
        // `ready` is a resource to depend on, not a value: it is no output.
        this.registerOutputs({
            publicAddress: this.publicAddress,
            connection: this.connection,
            dropletId: this.dropletId,
            machineId: this.machineId,
            certificateFingerprint: this.certificateFingerprint,
        });
    }

    /** The administrator's key, and deskphone's own for writing the configuration (the administrator's stays theirs). */
    private sshKeys(name: string, publicKey: string) {
        const parent = { parent: this };
        const adminKey = new digitalocean.SshKey(`${name}-admin`, { name: `${name}-admin`, publicKey }, parent);
        const deployKey = new GeneratedSecret(`${name}-deploy-key`, { kind: "ssh-key" }, parent);
        const deploySshKey = new digitalocean.SshKey(
            `${name}-deploy`,
            { name: `${name}-deskphone-deploy`, publicKey: deployKey.publicKey },
            parent,
        );
        return { fingerprints: [adminKey.fingerprint, deploySshKey.fingerprint], deployKey };
    }

    /** The reserved IP trunks and phones reach, which outlives a droplet replacement, and its assignment to this droplet. */
    private reservedAddress(name: string, region: string, droplet: digitalocean.Droplet) {
        const address = new digitalocean.ReservedIp(`${name}-address`, { region }, { parent: this });
        const assignment = new digitalocean.ReservedIpAssignment(
            `${name}-address`,
            { ipAddress: address.ipAddress, dropletId: droplet.id.apply(Number) },
            { parent: this },
        );
        return { address, assignment };
    }

    /**
     * The server's A record in the account's DigitalOcean domain, at the reserved IP. The domain is looked up, not
     * declared: a `digitalocean.Domain` would make the account's zone this stack's, and `pulumi destroy` would delete
     * it with every other record in it. The lookup also stops a preview, before anything is created, when the account
     * has no such domain.
     */
    private addressRecord(
        name: string,
        args: Pick<DropletServerArgs, "domain" | "dnsZone">,
        address: digitalocean.ReservedIp,
    ): digitalocean.DnsRecord {
        const { domain = "", dnsZone = "" } = args;
        const recordName = recordNameIn(domain, dnsZone);
        if (!recordName) throw new Error(`${name}: dnsZone ${dnsZone} needs a domain in it, not "${domain}"`);
        const zone = digitalocean.getDomainOutput({ name: dnsZone }, { parent: this });
        return new digitalocean.DnsRecord(
            `${name}-dns`,
            { domain: zone.name, type: "A", name: recordName, value: address.ipAddress, ttl: serverRecordTtl },
            { parent: this },
        );
    }

    /** The cloud firewall in front of the droplet: SIP from the phones and trunks, media, SSH from the administrators. */
    private firewall(name: string, droplet: digitalocean.Droplet, args: DropletServerArgs): digitalocean.Firewall {
        return new digitalocean.Firewall(
            `${name}-firewall`,
            {
                name: `${name}-sip`,
                dropletIds: [droplet.id.apply(Number)],
                inboundRules: inboundRules(args),
                outboundRules,
            },
            { parent: this },
        );
    }

    /** The block volume voicemail lives on, so that messages survive a droplet replacement. */
    private voicemailVolume(name: string, volumeName: string, args: DropletServerArgs): digitalocean.Volume {
        return new digitalocean.Volume(
            `${name}-voicemail`,
            {
                name: volumeName,
                region: args.region,
                size: args.volumeSizeGb ?? defaults.voicemailVolumeGb,
                description: "deskphone voicemail",
                initialFilesystemType: "ext4",
            },
            { parent: this },
        );
    }
}

/**
 * Ready once Asterisk runs with the voicemail volume mounted and traffic leaving from the reserved IP.
 * A new droplet runs the install script from its user data; a changed script runs here. Either way
 * the volume and reserved IP are attached by now: mount the one, send from the other.
 */
function readyCommand(
    name: string,
    connection: pulumi.Output<command.types.input.remote.ConnectionArgs>,
    install: InstallOptions,
    droplet: digitalocean.Droplet,
    opts: pulumi.CustomResourceOptions,
): command.remote.Command {
    return new command.remote.Command(
        name,
        {
            connection,
            addPreviousOutputInEnv: false,
            create: `${waitForFirstBoot}\n${dropletReady}\n${waitForAsterisk}`,
            update: "sh -s # deskphone-install",
            stdin: `${renderInstallScript(install)}\n${dropletReady}\n${waitForAsterisk}\n`,
            triggers: [droplet.id],
        },
        opts,
    );
}

/** Waits for cloud-init's first boot; a failed install script (exit 1; 2 is only a warning) shows its own words. */
export const waitForFirstBoot = [
    "status=0; cloud-init status --wait >/dev/null || status=$?",
    'if [ "$status" = 1 ]; then',
    '  echo "the droplet\'s first-boot install failed; the end of /var/log/cloud-init-output.log:" >&2',
    "  tail -n 30 /var/log/cloud-init-output.log >&2",
    "  exit 1",
    "fi",
].join("\n");

const dropletReady = "/usr/local/sbin/deskphone-droplet-ready";

/** DigitalOcean volume names: lowercase letters, digits and hyphens, starting with a letter. */
export function volumeNameFor(name: string): string {
    return `${name}-voicemail`
        .toLowerCase()
        .replace(/[^a-z0-9-]/g, "-")
        .replace(/^[^a-z]+/, "v");
}

export function inboundRules(
    args: Pick<DropletServerArgs, "sipSources" | "sipPort" | "tls" | "rtpPorts" | "adminNetworks" | "domain">,
): digitalocean.types.input.FirewallInboundRule[] {
    const sipPort = String(args.sipPort ?? defaults.sipPort);
    // Let's Encrypt checks from addresses it does not publish; the host firewall keeps port 80 closed but while certbot runs.
    const acmeHttp: digitalocean.types.input.FirewallInboundRule[] = args.domain
        ? [{ protocol: "tcp", portRange: "80", sourceAddresses: ["0.0.0.0/0", "::/0"] }]
        : [];
    return [
        ...acmeHttp,
        // None when every trunk and phone is on TLS.
        ...(["udp", "tcp"] as const)
            .filter(() => args.sipSources.length > 0)
            .map((protocol) => ({ protocol, portRange: sipPort, sourceAddresses: args.sipSources })),
        ...(args.tls ? [{ protocol: "tcp", portRange: String(args.tls.port), sourceAddresses: args.tls.sources }] : []),
        {
            protocol: "udp",
            portRange: `${args.rtpPorts.start}-${args.rtpPorts.end}`,
            sourceAddresses: ["0.0.0.0/0", "::/0"],
        },
        { protocol: "tcp", portRange: "22", sourceAddresses: args.adminNetworks ?? ["0.0.0.0/0", "::/0"] },
        { protocol: "icmp", sourceAddresses: ["0.0.0.0/0", "::/0"] },
    ];
}

const everywhere = ["0.0.0.0/0", "::/0"];
const outboundRules: digitalocean.types.input.FirewallOutboundRule[] = [
    { protocol: "udp", portRange: "1-65535", destinationAddresses: everywhere },
    { protocol: "tcp", portRange: "1-65535", destinationAddresses: everywhere },
    { protocol: "icmp", destinationAddresses: everywhere },
];
