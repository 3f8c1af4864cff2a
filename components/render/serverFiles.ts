import { flowroutePops, twilioEdges } from "../office/data/providerNetworks";
import { Office } from "../office/types";
import { isAddressOrNetwork } from "../office/validate";
import { renderTemplate as render } from "./templates";


/** Addresses trunks send SIP from, by provider data or the stack's own addresses. */
export function trunkSignallingSources(office: Office): string[] {
    const sources = office.trunks.flatMap((trunk) => {
        switch (trunk.kind) {
            case "twilio":
                return trunk.edges.flatMap((edge) => twilioEdges[edge].signalling.map((r) => r.cidr));
            case "flowroute":
                return flowroutePops[trunk.pop].signalling.map((r) => r.cidr);
            case "registration":
                return [trunk.server.split(":")[0], ...trunk.inboundAddresses].filter(isAddressOrNetwork);
            case "peers":
                return trunk.inboundAddresses;
        }
    });
    return [...new Set(sources)];
}

/** Where SIP may come from: the trunks and the networks phones register from. */
export function sipSources(office: Office): string[] {
    if (office.server.phoneNetworks.includes("0.0.0.0/0")) return ["0.0.0.0/0"];
    return [...new Set([...trunkSignallingSources(office), ...office.server.phoneNetworks])];
}

export interface InstallOptions {
    /** Block device of the voicemail volume, when there is one. */
    voicemailDevice?: string;
}

/** The script that installs and hardens Asterisk on a fresh Ubuntu 24.04 or Debian host; office-independent. */
export function renderInstallScript(options: InstallOptions = {}): string {
    return render("install-asterisk.sh", { voicemailDevice: options.voicemailDevice });
}

/** cloud-init user data for a droplet: write the install script and run it. */
export function renderCloudInit(options: InstallOptions = {}): string {
    const installScriptIndented = renderInstallScript(options)
        .split("\n")
        .map((line) => (line ? `      ${line}` : ""))
        .join("\n");
    return render("cloud-init.yaml", { installScriptIndented });
}

/** The host firewall rules, uploaded with the configuration (they change with the trunks). */
export function renderHostFirewall(office: Office): string {
    return render("deskphone.nft", { office: office.office, sipSources: sipSources(office), sipPort: office.server.sipPort });
}
