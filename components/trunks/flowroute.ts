/** Flowroute: SIP digest or IP authentication (the tech prefix before the number), a host route per number. */

import * as pulumi from "@pulumi/pulumi";
import * as defaults from "../defaults";
import { child } from "../office/configReader";
import { providerPrices } from "../office/data/prices";
import { flowroutePops } from "../office/data/providerNetworks";
import type { SecretInput } from "../office/settings";
import type { SecretSetting } from "../office/types";
import { FlowrouteCredentials, FlowrouteNumber } from "../providers";
import { numberResourceArgs, outboundAuth, PointingContext, TrunkBase, TrunkModule } from "./trunkModule";

export interface FlowrouteTrunk extends TrunkBase<"flowroute"> {
    /** Flowroute PoP, e.g. "us-west-or"; its host is `<pop>.sip.flowroute.com`. */
    pop: string;
    /** Account tech prefix (8 digits); the SIP user on outbound calls. */
    techPrefix: string;
    /** SIP digest password (Flowroute's "SIP credentials"); absent for IP-authenticated accounts, which send `techPrefix*` before the number. */
    secret?: SecretSetting;
    /** The account's API keys. Default: FLOWROUTE_ACCESS_KEY and FLOWROUTE_SECRET_KEY. */
    api?: FlowrouteApiAccess;
}

/** Flowroute API keys (the portal's Preferences → API Control). */
export interface FlowrouteApiAccess {
    accessKey: string;
    secretKey: SecretSetting;
}

/** A Flowroute trunk as the stack writes it. */
export interface FlowrouteTrunkSettings {
    kind: "flowroute";
    /** The trunk's name, its PJSIP endpoint. Required. */
    name: string;
    /** Flowroute PoP, e.g. "us-west-or". Default "us-west-or". */
    pop?: string;
    /** The account's 8-digit tech prefix. Required. */
    techPrefix: string;
    /** SIP digest password. Default none: the account authenticates by IP. */
    secret?: SecretInput;
    /** API access key. Default: FLOWROUTE_ACCESS_KEY. */
    accessKey?: string;
    /** API secret key. Default: FLOWROUTE_SECRET_KEY. */
    secretKey?: SecretInput;
}

/** An IP-authenticated account sends its tech prefix and `*` before the number; one with SIP credentials sends the number alone. */
const dialPrefix = (trunk: FlowrouteTrunk) => (trunk.secret ? "" : `${trunk.techPrefix}*`);

export const flowroute: TrunkModule<FlowrouteTrunk> = {
    settings: ["pop", "techPrefix", "secret", "accessKey", "secretKey"],
    read(r, p, o, name) {
        const pop = r.string(child(p, "pop"), o.pop) ?? defaults.flowroutePop;
        if (!flowroutePops[pop])
            r.problem(
                child(p, "pop"),
                `"${pop}" is not a Flowroute PoP`,
                `use one of: ${Object.keys(flowroutePops).join(", ")}`,
            );
        const trunk: FlowrouteTrunk = {
            kind: "flowroute",
            name: name(),
            pop,
            techPrefix: r.string(child(p, "techPrefix"), o.techPrefix, {
                required: true,
                pattern: /^\d{8}$/,
                what: "the account's 8-digit tech prefix",
            }),
        };
        const secret = r.secret(child(p, "secret"), o.secret, { generated: true, what: "" });
        if (secret?.value !== undefined) trunk.secret = secret;
        if (o.accessKey !== undefined || o.secretKey !== undefined) {
            trunk.api = {
                accessKey: r.string(child(p, "accessKey"), o.accessKey, {
                    required: true,
                    what: "the Flowroute API access key (Preferences → API Control)",
                }),
                secretKey: r.secret(child(p, "secretKey"), o.secretKey, {
                    generated: false,
                    what: "the Flowroute API secret key",
                }) ?? { path: child(p, "secretKey") },
            };
        }
        return trunk;
    },

    pjsip(trunk, provider) {
        const pop = flowroutePops[trunk.pop];
        const auth = trunk.secret ? outboundAuth(trunk.name, trunk.techPrefix) : undefined;
        return {
            description: `Flowroute, PoP ${trunk.pop}${trunk.secret ? "" : ", IP-authenticated (tech prefix before the number)"}`,
            aor: [
                { key: "contact", value: `sip:${provider.host(pop.host)}` },
                { key: "qualify_frequency", value: 60 },
            ],
            endpoint: [...(auth ? [auth.endpoint] : []), { key: "from_domain", value: pop.host }],
            sections: [
                ...(auth ? [auth.section] : []),
                provider.identify(flowroute.signallingSources(trunk), `Flowroute ${trunk.pop} signalling addresses`),
            ],
        };
    },
    asteriskModules: [],
    sipSecret: (trunk) => trunk.secret,
    signallingSources: (trunk) => flowroutePops[trunk.pop].signalling.map((range) => range.cidr),

    numberExpression: (trunk) => `${dialPrefix(trunk)}\${EXTEN}`,
    callerIdExpression: () => "${LINE_NUMBER}",
    emergencyDial: (trunk, number) => `${dialPrefix(trunk)}${number}`,
    inboundForm: (_trunk, e164) => e164.slice(1),

    prices: providerPrices.flowroute,
    numbers: {
        name: "flowroute",
        registersEmergencyAddresses: true,
        checkNumber(r, at, number) {
            for (const field of ["addressSid", "bundleSid"] as const) {
                if (number.buy?.[field])
                    r.problem(
                        `${at}.buy.${field}`,
                        "is a Twilio setting, but the number is bought at Flowroute",
                        "remove it",
                    );
            }
        },
        pointer(context, trunk) {
            const { name, office, address } = context;
            return (number) => {
                const resource = new FlowrouteNumber(
                    `${name}-${number.name}`,
                    {
                        ...numberResourceArgs(office, number),
                        credentials: apiCredentials(trunk, context),
                        serverAddress: address,
                        sipPort: office.server.sipPort,
                        pop: trunk.pop,
                        e911: number.e911,
                    },
                    context.numberOptions(number),
                );
                return {
                    e164: number.e164 ? pulumi.output(number.e164) : resource.phoneNumber,
                    pointsAt: pulumi.interpolate`Flowroute route ${resource.primaryRoute}`,
                };
            };
        },
    },
};

/** The Flowroute API keys the stack gives for a trunk, as a secret; undefined leaves them to the FLOWROUTE_* environment variables. */
function apiCredentials(
    trunk: FlowrouteTrunk,
    context: PointingContext,
): pulumi.Output<FlowrouteCredentials> | undefined {
    return trunk.api
        ? pulumi.secret(
              pulumi.output({ accessKey: trunk.api.accessKey, secretKey: context.secret(trunk.api.secretKey) }),
          )
        : undefined;
}
