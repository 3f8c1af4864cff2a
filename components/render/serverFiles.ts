import { Office } from "../office/types";
import { sipSources, tlsSources, trunkSignallingSources } from "../office/sipSources";
import { tlsTrunks } from "../office/transports";
import { renderTemplate as render } from "./templates";

export interface InstallOptions {
    /** Set for a DigitalOcean droplet: its voicemail volume's block device, mounted once attached, and egress from the reserved IP. */
    droplet?: { voicemailDevice: string };
    /** The server's DNS name (`server.domain`): its TLS certificate is Let's Encrypt's. Absent: a self-signed one. */
    domain?: string;
}

/** Where Asterisk's TLS transport reads its certificate (with the chain) and its key (owner asterisk, mode 0600). */
export const tlsCertificateFiles = {
    certificate: "/etc/deskphone/tls/deskphone.crt",
    key: "/etc/deskphone/tls/deskphone.key",
} as const;
/** Debian's and Ubuntu's bundle of the CAs Mozilla trusts (package ca-certificates): Asterisk checks a trunk provider's certificate against it. */
export const systemCaBundle = "/etc/ssl/certs/ca-certificates.crt";
/** The server's certificate script, and certbot's hooks. */
export const certificateScriptPath = "/usr/local/sbin/deskphone-certificate";
/** Let's Encrypt's production ACME directory (letsencrypt.org/docs/acme-protocol-updates). */
export const letsEncryptDirectory = "https://acme-v02.api.letsencrypt.org/directory";

/** How long the install script waits for dpkg's lock (unattended-upgrades runs at a new Ubuntu server's first boot). */
export const aptLockTimeoutSeconds = 600;
/** How long a droplet waits for its voicemail volume and its reserved IP to be attached. */
export const attachTimeoutSeconds = 300;
/** The routing table that keeps replies to connections made to the droplet's own IP leaving from it. */
const ownAddressTable = 100;

/** The script that installs and hardens Asterisk on a fresh Ubuntu 24.04 or Debian host; office-independent. */
export function renderInstallScript(options: InstallOptions = {}): string {
    const droplet = options.droplet;
    return render("install-asterisk.sh", {
        aptLockTimeoutSeconds,
        droplet: !!droplet,
        dropletPackages: droplet ? " curl e2fsprogs" : "",
        domain: options.domain,
        certificatePackages: options.domain ? " certbot" : "",
        certificateScriptPath,
        certificateScript: renderCertificateScript(options.domain).trimEnd(),
        voicemailVolumeScript: droplet ? renderVoicemailVolumeScript(droplet.voicemailDevice).trimEnd() : "",
        egressScript: droplet ? renderEgressScript().trimEnd() : "",
    });
}

/**
 * The server's script that gets Asterisk's TLS certificate: with a domain, Let's Encrypt's by certbot (HTTP-01,
 * renewed by Debian's certbot.timer, each new one installed by its deploy hook); without, a self-signed one.
 */
export function renderCertificateScript(domain?: string): string {
    return render("deskphone-certificate.sh", {
        domain,
        acmeServer: letsEncryptDirectory,
        scriptPath: certificateScriptPath,
        certificateFile: tlsCertificateFiles.certificate,
        keyFile: tlsCertificateFiles.key,
    });
}

/** The droplet's script that waits (bounded) for its voicemail volume and mounts it on Asterisk's voicemail folder. */
export function renderVoicemailVolumeScript(device: string): string {
    return render("deskphone-voicemail-volume.sh", { device, volumeTimeoutSeconds: attachTimeoutSeconds });
}

/** The droplet's script that routes its traffic through the anchor gateway, so that it leaves from the reserved IP. */
export function renderEgressScript(): string {
    return render("deskphone-egress.sh", { ownAddressTable, reservedIpTimeoutSeconds: attachTimeoutSeconds });
}

/** cloud-init user data for a droplet: write the install script and run it. */
export function renderCloudInit(options: InstallOptions = {}): string {
    const installScriptIndented = renderInstallScript(options)
        .split("\n")
        .map((line) => (line ? `      ${line}` : ""))
        .join("\n");
    return render("cloud-init.yaml", { installScriptIndented });
}

/** fail2ban's list of addresses never to ban, the trunks', uploaded with the configuration (it changes with the trunks). */
export function renderFail2banTrunks(office: Office): string {
    return render("deskphone-trunks.local", { office: office.office, trunkSources: trunkSignallingSources(office) });
}

/** The host firewall rules, uploaded with the configuration (they change with the trunks). */
export function renderHostFirewall(office: Office): string {
    const tls = tlsSources(office);
    return render("deskphone.nft", {
        office: office.office,
        sipSources: sipSources(office),
        sipPort: office.server.sipPort,
        tls: tls && { port: office.server.tlsPort, sources: tls, trunks: tlsTrunks(office).length > 0 },
        domain: office.server.domain,
    });
}
