/** An ITSP with separate peers: calls come in from known addresses and go out to one host, with or without a password. */

import { child } from "../office/configReader";
import { hostName, readAddresses } from "../office/formats";
import type { SecretInput } from "../office/settings";
import type { SecretSetting } from "../office/types";
import { noQualify, outboundAuth, TrunkBase, TrunkModule } from "./trunkModule";

export interface PeersTrunk extends TrunkBase<"peers"> {
    /** Addresses (IPs or CIDRs) inbound calls come from; calls are matched by address only. */
    inboundAddresses: string[];
    /** Host[:port] outbound calls go to. */
    outboundHost: string;
    fromUser?: string;
    username?: string;
    secret?: SecretSetting;
}

/** An in/out-peers trunk as the stack writes it. */
export interface PeersTrunkSettings {
    /** Default, when a trunk gives no kind. */
    kind?: "peers";
    /** The trunk's name, its PJSIP endpoint. Required. */
    name: string;
    /** Addresses (IPs or CIDRs) inbound calls come from. Required. */
    inboundAddresses: string[];
    /** host[:port] outbound calls go to. Required. */
    outboundHost: string;
    /** Default: none. */
    fromUser?: string;
    /** Outbound SIP user. Default: none (no authentication). */
    username?: string;
    /** Required with username. */
    secret?: SecretInput;
}

export const peers: TrunkModule<PeersTrunk> = {
    settings: ["inboundAddresses", "outboundHost", "fromUser", "username", "secret"],
    read(r, p, o, name) {
        const trunk: PeersTrunk = {
            kind: "peers",
            name: name(),
            inboundAddresses: readAddresses(r, child(p, "inboundAddresses"), o.inboundAddresses),
            outboundHost: r.string(child(p, "outboundHost"), o.outboundHost, {
                required: true,
                pattern: hostName,
                what: "the host[:port] outbound calls go to",
            }),
        };
        if (trunk.inboundAddresses.length === 0)
            r.problem(child(p, "inboundAddresses"), "is required: the addresses the ITSP sends calls from");
        const fromUser = r.string(child(p, "fromUser"), o.fromUser);
        if (fromUser) trunk.fromUser = fromUser;
        const username = r.string(child(p, "username"), o.username);
        if (username) {
            trunk.username = username;
            trunk.secret = r.secret(child(p, "secret"), o.secret, {
                generated: false,
                what: "the outbound peer's SIP password",
            });
        }
        return trunk;
    },

    pjsip(trunk, provider) {
        const auth = trunk.username ? outboundAuth(trunk.name, trunk.username) : undefined;
        return {
            description: `ITSP with separate peers: calls in from ${trunk.inboundAddresses.join(", ")}, out to ${trunk.outboundHost}`,
            aor: [{ key: "contact", value: `sip:${provider.host(trunk.outboundHost)}` }, noQualify],
            endpoint: [
                ...(trunk.fromUser ? [{ key: "from_user", value: trunk.fromUser }] : []),
                ...(auth ? [auth.endpoint] : []),
            ],
            sections: [
                ...(auth ? [auth.section] : []),
                provider.identify(trunk.inboundAddresses, "inbound calls are recognised by source address only"),
            ],
        };
    },
    asteriskModules: [],
    sipSecret: (trunk) => trunk.secret,
    signallingSources: (trunk) => trunk.inboundAddresses,

    numberExpression: () => "${EXTEN}",
    callerIdExpression: () => "${LINE_NUMBER}",
    emergencyDial: (_trunk, number) => number,
    inboundForm: (_trunk, e164) => e164.slice(1),

    prices: undefined,
    numbers: undefined,
};
