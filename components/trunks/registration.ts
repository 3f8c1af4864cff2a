/** An ITSP account Asterisk registers to: calls come in for the registered contact, go out through the registrar. */

import { child } from "../office/configReader";
import { hostName, hostOf, isAddressOrNetwork, readAddresses } from "../office/formats";
import type { SecretInput } from "../office/settings";
import type { SecretSetting } from "../office/types";
import { noQualify, outboundAuth, TrunkBase, TrunkModule } from "./trunkModule";

export interface RegistrationTrunk extends TrunkBase<"registration"> {
    /** Registrar and outbound proxy host[:port]. */
    server: string;
    username: string;
    secret: SecretSetting;
    /** From user on outbound calls; default the username. */
    fromUser: string;
    /** From domain on outbound calls; default the server host. */
    fromDomain: string;
    /** Contact user registered, the DID the ITSP sends inbound calls to. */
    contactUser: string;
    /** Addresses the ITSP sends calls from, beyond the server's own. */
    inboundAddresses: string[];
}

/** A registration trunk as the stack writes it. */
export interface RegistrationTrunkSettings {
    kind: "registration";
    /** The trunk's name, its PJSIP endpoint. Required. */
    name: string;
    /** Registrar host[:port]. Required. */
    server: string;
    /** Account SIP user. Required. */
    username: string;
    /** Account SIP password. Required. */
    secret: SecretInput;
    /** Default: the username. */
    fromUser?: string;
    /** Default: the server's host. */
    fromDomain?: string;
    /** The DID registered as contact, where the ITSP sends calls. Required. */
    contactUser: string;
    /** Addresses the ITSP calls from beyond the server. Default none. */
    inboundAddresses?: string[];
}

export const registration: TrunkModule<RegistrationTrunk> = {
    settings: ["server", "username", "secret", "fromUser", "fromDomain", "contactUser", "inboundAddresses"],
    read(r, p, o, name) {
        const server = r.string(child(p, "server"), o.server, {
            required: true,
            pattern: hostName,
            what: "the ITSP's registrar host[:port]",
        });
        const username = r.string(child(p, "username"), o.username, {
            required: true,
            what: "the account's SIP user name",
        });
        return {
            kind: "registration",
            name: name(),
            server,
            username,
            secret: r.secret(child(p, "secret"), o.secret, {
                generated: false,
                what: "the account's SIP password",
            }) ?? { path: child(p, "secret") },
            fromUser: r.string(child(p, "fromUser"), o.fromUser) ?? username,
            fromDomain:
                r.string(child(p, "fromDomain"), o.fromDomain, { pattern: hostName, what: "a domain" }) ??
                hostOf(server),
            contactUser: r.string(child(p, "contactUser"), o.contactUser, {
                required: true,
                pattern: /^\+?\d+$/,
                what: "the DID the ITSP sends calls to",
            }),
            inboundAddresses: readAddresses(r, child(p, "inboundAddresses"), o.inboundAddresses),
        };
    },

    pjsip(trunk, provider) {
        const auth = outboundAuth(trunk.name, trunk.username);
        const server = provider.host(trunk.server);
        return {
            description: `ITSP ${trunk.server}, registering as ${trunk.username}`,
            aor: [{ key: "contact", value: `sip:${server}` }, noQualify],
            endpoint: [
                auth.endpoint,
                { key: "from_user", value: trunk.fromUser },
                { key: "from_domain", value: trunk.fromDomain },
            ],
            sections: [
                auth.section,
                {
                    name: `${trunk.name}-registration`,
                    comment: "tells the ITSP where to send calls for the DID",
                    settings: [
                        { key: "type", value: "registration" },
                        { key: "server_uri", value: `sip:${server}` },
                        { key: "client_uri", value: `sip:${trunk.username}@${hostOf(server)}` },
                        { key: "contact_user", value: trunk.contactUser },
                        { key: "outbound_auth", value: `${trunk.name}-auth` },
                        { key: "retry_interval", value: 60 },
                        {
                            key: "forbidden_retry_interval",
                            value: 600,
                            why: "back off when the ITSP refuses our credentials",
                        },
                        { key: "expiration", value: 3600 },
                        {
                            key: "line",
                            value: "yes",
                            why: "inbound calls are matched to this trunk by the registration's line parameter",
                        },
                        { key: "endpoint", value: trunk.name },
                    ],
                },
                provider.identify(
                    [hostOf(trunk.server), ...trunk.inboundAddresses],
                    "the ITSP's registrar and the addresses it sends calls from",
                ),
            ],
        };
    },
    asteriskModules: ["res_pjsip_outbound_registration.so"],
    sipSecret: (trunk) => trunk.secret,
    // A registrar given by name has no address to let in: the firewalls admit addresses only.
    signallingSources: (trunk) => [hostOf(trunk.server), ...trunk.inboundAddresses].filter(isAddressOrNetwork),

    numberExpression: () => "${EXTEN}",
    callerIdExpression: () => "${LINE_NUMBER}",
    emergencyDial: (_trunk, number) => number,
    // The ITSP sends calls to the registered contact user, which may be the number's tail only.
    inboundForm: (trunk, e164) =>
        trunk.contactUser === e164.slice(-trunk.contactUser.length) ? trunk.contactUser : e164.slice(1),

    prices: undefined,
    numbers: undefined,
};
