/** Twilio Elastic SIP Trunking: a Twilio trunk per office trunk, its numbers attached to it. */

import * as pulumi from "@pulumi/pulumi";
import * as defaults from "../defaults";
import { child, ConfigPath, ConfigReader, namespace } from "../office/configReader";
import { providerPrices } from "../office/data/prices";
import { twilioEdges } from "../office/data/providerNetworks";
import { twilioRegulations } from "../office/data/twilioRegulations";
import { checkSipUserLength, endpointName } from "../office/formats";
import type { SecretInput } from "../office/settings";
import type { NumberPurchase, Office, SecretSetting, ServerSettings } from "../office/types";
import { TwilioCredentials, TwilioNumber, TwilioTrunk as TwilioTrunkResource } from "../providers";
import type { Setting } from "../render/viewModel";
import {
    numberResourceArgs,
    outboundAuth,
    PointingContext,
    ProviderPlace,
    TrunkBase,
    TrunkModule,
} from "./trunkModule";

export interface TwilioTrunk extends TrunkBase<"twilio"> {
    /** The trunk's name before the stack renamed it: `up` keeps its Twilio trunk (a Pulumi alias) instead of making another. Default: none. */
    renamedFrom?: string;
    /** Termination SIP URI host, e.g. "acme.pstn.twilio.com" or "acme.pstn.ashburn.twilio.com". */
    terminationHost: string;
    /** Twilio edges whose signalling addresses may send calls to the office. Default ["ashburn", "umatilla"]. */
    edges: string[];
    /** Twilio Secure Trunking: SIP over TLS both ways, SRTP audio required. Default false. */
    secureTrunking: boolean;
    /** Credential-list user Asterisk authenticates outbound calls with. */
    username: string;
    /** Credential-list password; generated when absent (deskphone creates the credential list). */
    password: SecretSetting;
    /** The Twilio account's API credentials. Default: TWILIO_ACCOUNT_SID with TWILIO_AUTH_TOKEN (or TWILIO_API_KEY and TWILIO_API_SECRET). */
    api?: TwilioApiAccess;
}

/** How deskphone signs in to the Twilio API: the account SID with its auth token, or with an API key and its secret. */
export interface TwilioApiAccess {
    /** Account SID (AC…). */
    accountSid: string;
    authToken?: SecretSetting;
    /** API key SID (SK…), instead of the auth token. */
    apiKey?: string;
    apiSecret?: SecretSetting;
}

/** A Twilio trunk as the stack writes it. */
export interface TwilioTrunkSettings {
    kind: "twilio";
    /** The trunk's name, its PJSIP endpoint. Required. */
    name: string;
    /** Its name before a rename, so `up` keeps its Twilio trunk. Default none. */
    renamedFrom?: string;
    /** Termination SIP URI host, e.g. "acme.pstn.twilio.com". Required. */
    terminationHost: string;
    /** Edges whose signalling addresses may call the office. Default ["ashburn", "umatilla"]. */
    edges?: string[];
    /** Twilio Secure Trunking: SIP over TLS (calls in on server.tlsPort), SRTP audio required; needs server.domain. Default false. */
    secureTrunking?: boolean;
    /** Credential-list user name, at most 32 characters. Required. */
    username: string;
    /** Credential-list password. Default: generated. */
    password?: SecretInput;
    /** Account SID (AC…). Default: TWILIO_ACCOUNT_SID. */
    accountSid?: string;
    /** The account's auth token. Default: TWILIO_AUTH_TOKEN. */
    authToken?: SecretInput;
    /** API key SID (SK…), instead of the auth token. Default: TWILIO_API_KEY. */
    apiKey?: string;
    /** The API key's secret. Default: TWILIO_API_SECRET. */
    apiSecret?: SecretInput;
}

export const twilio: TrunkModule<TwilioTrunk> = {
    settings: [
        "renamedFrom",
        "terminationHost",
        "edges",
        "secureTrunking",
        "username",
        "password",
        "accountSid",
        "authToken",
        "apiKey",
        "apiSecret",
    ],
    read(r, p, o, name) {
        const edgesPath = child(p, "edges");
        const edges = o.edges === undefined ? [...defaults.twilioEdges] : r.array(edgesPath, o.edges).map(String);
        edges.forEach((edge, i) => {
            if (!twilioEdges[edge])
                r.problem(
                    child(edgesPath, i),
                    `"${edge}" is not a Twilio edge`,
                    `use one of: ${Object.keys(twilioEdges).join(", ")}`,
                );
        });
        const username = r.string(child(p, "username"), o.username, {
            required: true,
            what: "the trunk credential list's user name",
        });
        checkSipUserLength(
            r,
            child(p, "username"),
            username,
            "Twilio takes credential user names of at most 32 characters",
        );
        const renamedFrom = r.string(child(p, "renamedFrom"), o.renamedFrom, {
            pattern: endpointName,
            what: "the trunk's former name",
        });
        return {
            kind: "twilio",
            name: name(),
            ...(renamedFrom ? { renamedFrom } : {}),
            terminationHost: r.string(child(p, "terminationHost"), o.terminationHost, {
                required: true,
                pattern: /^[a-z0-9-]+\.pstn\.([a-z0-9-]+\.)?twilio\.com$/,
                what: "a Twilio termination host such as acme.pstn.twilio.com",
            }),
            edges,
            secureTrunking: r.boolean(child(p, "secureTrunking"), o.secureTrunking, false),
            username,
            password: r.secret(child(p, "password"), o.password, { generated: true, what: "" })!,
            ...readApiAccess(r, p, o),
        };
    },
    checkTrunks(r, trunks, all, server) {
        const at = (index: number, key: string) => child(child(`${namespace}:trunks`, index), key);
        // Twilio reaches a trunk as <name>.pstn.twilio.com or <name>.pstn.<edge>.twilio.com: one trunk each.
        const domains = new Map<string, number>();
        for (const { trunk, index } of trunks) {
            if (!trunk.terminationHost) continue;
            const domain = trunk.terminationHost
                .toLowerCase()
                .replace(/\.pstn\.[a-z0-9-]+\.twilio\.com$/, ".pstn.twilio.com");
            const earlier = domains.get(domain);
            if (earlier === undefined) domains.set(domain, index);
            else
                r.problem(
                    at(index, "terminationHost"),
                    `names the same Twilio trunk (${domain}) as trunks[${earlier}]`,
                    "give each Twilio trunk its own termination host",
                );
        }
        for (const { trunk, index } of trunks) {
            const former = trunk.renamedFrom;
            const holder = former ? all.findIndex((t) => t.name.toLowerCase() === former.toLowerCase()) : -1;
            if (holder >= 0)
                r.problem(
                    at(index, "renamedFrom"),
                    `"${former}" is the name of trunks[${holder}]`,
                    "remove renamedFrom once the renamed trunk is up, before giving its old name to another trunk",
                );
        }
        for (const { trunk, index } of trunks) checkSecureTrunking(r, at(index, "secureTrunking"), trunk, server);
    },

    pjsip(trunk, provider) {
        const auth = outboundAuth(trunk.name, trunk.username);
        return {
            description: `Twilio Elastic SIP Trunking, termination ${trunk.terminationHost}${trunk.secureTrunking ? ", Secure Trunking (TLS, SRTP)" : ""}`,
            aor: [
                { key: "contact", value: terminationContact(trunk, provider) },
                { key: "qualify_frequency", value: 0, why: "Twilio does not answer OPTIONS" },
            ],
            endpoint: [auth.endpoint, ...(trunk.secureTrunking ? secureTrunkingEndpoint : [])],
            sections: [
                auth.section,
                provider.identify(
                    twilio.signallingSources(trunk),
                    `Twilio signalling addresses of edge${trunk.edges.length > 1 ? "s" : ""} ${trunk.edges.join(", ")}`,
                ),
            ],
        };
    },
    asteriskModules: [],
    overTls: (trunk) => trunk.secureTrunking,
    sipSecret: (trunk) => trunk.password,
    signallingSources: (trunk) =>
        trunk.edges.flatMap((edge) => twilioEdges[edge].signalling.map((range) => range.cidr)),

    // Twilio takes numbers and caller IDs in E.164, with the plus.
    numberExpression: () => "+${EXTEN}",
    callerIdExpression: () => "+${LINE_NUMBER}",
    emergencyDial: (_trunk, number) => number,
    inboundForm: (_trunk, e164) => e164,

    prices: providerPrices.twilio,
    numbers: {
        name: "twilio",
        registersEmergencyAddresses: false,
        emergencyRegistration: "Twilio (Emergency Calling for Elastic SIP Trunking)",
        checkNumber(r, at, number) {
            if (number.buy) checkRegulation(r, at, number.buy);
        },
        checkEmergencyNumbers: refuseUnregistered911,
        pointer(context, trunk) {
            const { name, office, address } = context;
            const managed = office.numbers.some((n) => n.trunk === trunk.name && n.acquire !== "manual");
            const twilioTrunk = !managed
                ? undefined
                : new TwilioTrunkResource(
                      `${name}-${trunk.name}`,
                      {
                          office: office.office.name,
                          name: trunk.name,
                          serverAddress: address,
                          sipPort: office.server.sipPort,
                          secure: trunk.secureTrunking,
                          tlsPort: office.server.tlsPort,
                          // Over TLS Twilio reaches the server by the name its certificate is for.
                          serverName: trunk.secureTrunking ? office.server.domain : undefined,
                          edges: trunk.edges,
                          terminationDomain: trunk.terminationHost,
                          username: trunk.username,
                          password: pulumi.secret(context.secrets.apply((values) => values[trunk.password.path])),
                          credentials: apiCredentials(trunk, context),
                      },
                      // A renamed trunk keeps its resource, and so its Twilio trunk: no create, no delete.
                      {
                          parent: context.parent,
                          aliases: trunk.renamedFrom ? [{ name: `${name}-${trunk.renamedFrom}` }] : [],
                      },
                  );
            const originationUri = trunk.secureTrunking
                ? `sip:${office.server.domain}:${office.server.tlsPort};transport=tls`
                : pulumi.interpolate`sip:${address}`;
            return (number) => {
                const resource = new TwilioNumber(
                    `${name}-${number.name}`,
                    {
                        ...numberResourceArgs(office, number),
                        credentials: apiCredentials(trunk, context),
                        sid: number.sid,
                        numberType: number.buy?.numberType,
                        addressSid: number.buy?.addressSid,
                        bundleSid: number.buy?.bundleSid,
                        // Only numbers deskphone manages get here, and with one the trunk exists.
                        trunkSid: twilioTrunk!.trunkSid,
                    },
                    context.numberOptions(number),
                );
                return {
                    e164: number.e164 ? pulumi.output(number.e164) : resource.phoneNumber,
                    pointsAt: pulumi.interpolate`Twilio trunk ${resource.attachedTrunkSid} → ${originationUri}`,
                };
            };
        },
    },
};

/**
 * A secure trunk's calls come in over TLS, to the server's DNS name (the origination URI), whose
 * certificate Twilio checks: a self-signed one is refused (seen by LiveKit SIP operators; Twilio's docs
 * say nothing either way), so Secure Trunking needs server.domain and its Let's Encrypt certificate.
 */
function checkSecureTrunking(r: ConfigReader, at: ConfigPath, trunk: TwilioTrunk, server: ServerSettings): void {
    if (!trunk.secureTrunking || server.domain) return;
    r.problem(
        at,
        "needs server.domain: Twilio calls the server over TLS at its DNS name and checks its certificate, and a self-signed one is refused",
        "give server.domain (an A record pointing at the server: it gets a Let's Encrypt certificate), or leave secureTrunking out",
    );
}

/**
 * Where calls go out: the termination host, over TLS on 5061 with Secure Trunking ("the default port
 * 5061 will be used for TLS", twilio.com/docs/voice/api/secure-media; Twilio's signalling gateways take
 * TLS on 5061, twilio.com/docs/sip-trunking/ip-addresses). `\;` keeps Asterisk's parser from reading
 * the URI parameter as a comment.
 */
function terminationContact(trunk: TwilioTrunk, provider: ProviderPlace): string {
    const host = provider.host(trunk.terminationHost);
    if (!trunk.secureTrunking) return `sip:${host}`;
    // A stand-in for the termination host (the lab's) may carry its own port.
    return `sip:${host.includes(":") ? host : `${host}:5061`}\\;transport=tls`;
}

/**
 * A secure trunk's calls: TLS signalling, SRTP audio. Twilio refuses a secure trunk's calls over UDP or
 * TCP (error 32209) and with plain RTP (32208, twilio.com/docs/api/errors/32208).
 */
const secureTrunkingEndpoint: Setting[] = [
    { key: "transport", value: "transport-tls", why: "Secure Trunking: Twilio takes this trunk's calls over TLS only" },
    {
        key: "media_encryption",
        value: "sdes",
        why: "SRTP, its keys in the TLS-protected SDP: Twilio refuses a secure trunk's calls with plain RTP",
    },
];

/** A Twilio trunk's API credentials, when the stack gives them instead of the TWILIO_* environment variables. */
function readApiAccess(r: ConfigReader, p: ConfigPath, o: Record<string, unknown>): { api?: TwilioApiAccess } {
    if ([o.accountSid, o.authToken, o.apiKey, o.apiSecret].every((v) => v === undefined)) return {};
    const api: TwilioApiAccess = {
        accountSid: r.string(child(p, "accountSid"), o.accountSid, {
            required: true,
            pattern: /^AC[0-9a-fA-F]{32}$/,
            what: "the Twilio account SID (AC followed by 32 hex digits)",
        }),
    };
    if (o.apiKey !== undefined || o.apiSecret !== undefined) {
        if (o.authToken !== undefined)
            r.problem(
                child(p, "authToken"),
                "is set beside apiKey",
                "give the auth token or an API key with its secret, not both",
            );
        api.apiKey = r.string(child(p, "apiKey"), o.apiKey, {
            required: true,
            pattern: /^SK[0-9a-fA-F]{32}$/,
            what: "a Twilio API key SID (SK followed by 32 hex digits)",
        });
        api.apiSecret = r.secret(child(p, "apiSecret"), o.apiSecret, {
            generated: false,
            what: "the API key's secret",
        }) ?? { path: child(p, "apiSecret") };
    } else {
        api.authToken = r.secret(child(p, "authToken"), o.authToken, {
            generated: false,
            what: "the account's auth token (or apiKey and apiSecret)",
        }) ?? { path: child(p, "authToken") };
    }
    return { api };
}

/** The Twilio API credentials the stack gives for a trunk, as a secret; undefined leaves them to the TWILIO_* environment variables. */
function apiCredentials(trunk: TwilioTrunk, context: PointingContext): pulumi.Output<TwilioCredentials> | undefined {
    if (!trunk.api) return undefined;
    const { accountSid, authToken, apiKey, apiSecret } = trunk.api;
    const secret = (setting: SecretSetting | undefined) => (setting ? context.secret(setting) : "");
    return pulumi.secret(
        pulumi.output(
            apiKey
                ? { accountSid, apiKey, apiSecret: secret(apiSecret) }
                : { accountSid, authToken: secret(authToken) },
        ),
    );
}

/** A Twilio number to buy in a country whose numbers Twilio sells only with a regulatory bundle needs its bundleSid. */
function checkRegulation(r: ConfigReader, at: ConfigPath, purchase: NumberPurchase): void {
    const regulation = twilioRegulations[purchase.country];
    if (!regulation?.bundleFor.includes(purchase.numberType) || purchase.bundleSid) return;
    r.problem(
        `${at}.buy.bundleSid`,
        `is required: Twilio sells ${purchase.country} ${purchase.numberType} numbers only with an approved regulatory bundle (the end user's address and proof of it)`,
        "create the bundle in the Twilio console (Phone Numbers, Regulatory Compliance) and give its SID (BU…), or adopt a number you already have",
    );
}

/**
 * deskphone registers no emergency addresses at Twilio, and in the US and Canada "when a 911 call is
 * placed from a phone number without a registered emergency address, Twilio will charge a $75 fee
 * per 911 call" (twilio.com/docs/sip-trunking/emergency-calling). So a North American number that
 * 911 calls go out with through Twilio must say its address is registered there (e911: false).
 */
function refuseUnregistered911(
    r: ConfigReader,
    office: Office,
    emergencyTrunk: TwilioTrunk,
    registeredElsewhere: (numberIndex: number) => boolean,
): void {
    office.numbers.forEach((number, i) => {
        const northAmerican = number.e164
            ? number.e164.startsWith("+1")
            : ["US", "CA"].includes(number.buy?.country ?? office.office.country);
        const callsOutWithIt = office.phones.some((p) => p.number === number.name);
        if (
            number.trunk !== emergencyTrunk.name ||
            number.acquire === "manual" ||
            !northAmerican ||
            !callsOutWithIt ||
            registeredElsewhere(i)
        )
            return;
        r.problem(
            child(child(`${namespace}:numbers`, i), "e911"),
            `911 calls go out through Twilio with ${number.e164 || number.name}, which deskphone registers no emergency address for: Twilio charges $75 for each 911 call from a number without one, and responders get no address`,
            "register its address in the Twilio console (Emergency Calling for Elastic SIP Trunking), then write e911: false; or send 911 through a Flowroute trunk with routes.emergencyTrunk",
        );
    });
}
