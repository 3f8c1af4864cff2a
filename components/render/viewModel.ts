import { countries } from "../office/countries";
import { systemCaBundle, tlsCertificateFiles } from "./serverFiles";
import { hasTlsPhones, needsTlsTransport, tlsTrunks } from "../office/transports";
import { anchorNetwork } from "../office/data/digitalOcean";
import { Office, Phone, Trunk } from "../office/types";
import { kindOf, ProviderPlace } from "../trunks";
import {
    digitsOf,
    emergencyFallback,
    extensionRingSeconds,
    extensionRules,
    groupedByComment,
    normalizeRules,
    numberViews,
    outboundRules,
    planFor,
    routeRules,
    trunkContext,
    voicemailOfPhone,
} from "./dialplan";

/** What a template may show: settings as `key=value` lines, each with an optional reason. */
export interface Setting {
    key: string;
    value: string | number;
    why?: string;
}

export interface Section {
    name: string;
    comment?: string;
    /** `!` for a template; else the template the section takes its shared settings from. */
    template?: string;
    settings: Setting[];
}

export interface TrunkView {
    name: string;
    kind: Trunk["kind"];
    description: string;
    sections: Section[];
    context: string;
    numberExpression: string;
    callerIdExpression: string;
}

/** Where a trunk's provider really is, replacing its published host and signalling addresses. */
export interface TrunkAddress {
    /** host[:port] calls and registrations go to. */
    host: string;
    /** Addresses its calls come from. */
    matches: string[];
}

export interface RenderOptions {
    /** Address trunks and phones reach the server at; absent until the server exists. */
    publicAddress?: string;
    /** Per trunk name: a stand-in for the provider (local runs and tests point trunks at loopback). */
    trunkAddresses?: Record<string, TrunkAddress>;
}

export const voicemailContext = "default";

/** Everything the templates show, computed once here so templates only loop and branch. */
export function officeView(office: Office, options: RenderOptions = {}) {
    const plan = planFor(office);
    const country = countries[office.office.country];
    const landline = office.spa3102?.landline;
    return {
        office: office.office,
        server: office.server,
        publicAddress: options.publicAddress ?? office.server.publicAddress,
        mail: office.mail,
        transports: transportSections(office, options),
        mediaBinding: mediaBinding(office),
        phones: office.phones.map((phone) => phoneView(office, phone)),
        tlsPhones: hasTlsPhones(office),
        trunkTemplate: trunkTemplate(mediaBinding(office)),
        trunks: office.trunks.map((trunk) => trunkView(trunk, options.trunkAddresses?.[trunk.name])),
        numbers: numberViews(office),
        extensions: extensionRules(office),
        normalize: normalizeRules(office),
        outbound: groupedByComment(outboundRules(office)),
        routes: routeRules(office),
        emergency: emergencyView(office, plan.emergencyNumbers),
        limits: { office: office.routes.maxOutboundCalls },
        extensionRingSeconds,
        landline: landline && {
            ...landline,
            dialTargets: landline.rings.map((name) => `PJSIP/${name}`).join("&"),
            voicemail: voicemailOfPhone(office, landline.rings[0]),
        },
        tones: { zone: office.office.country.toLowerCase(), name: country.name, ...country.tones },
        voicemailContext,
        sipGlobal,
        devices,
        voicemailLimits,
    };
}

/** pjsip.conf's [global] settings. */
const sipGlobal = { maxForwards: 20 };

/** Registration of phones and the SPA3102's ports. */
const devices = { maxContacts: 1, qualifySeconds: 60 };

/** voicemail.conf's limits, each with its reason. */
const voicemailLimits: Setting[] = [
    { key: "maxmsg", value: 100, why: "messages a mailbox holds; a full one takes no more" },
    { key: "maxsecs", value: 300, why: "five minutes at most per message" },
    { key: "maxsilence", value: 10, why: "seconds of silence that end a message" },
    {
        key: "silencethreshold",
        value: 128,
        why: "what counts as silence (Asterisk's default; lower is more sensitive)",
    },
    { key: "maxlogins", value: 3, why: "then hang up on a PIN guesser" },
    { key: "skipms", value: 3000, why: "milliseconds a listener skips with * and #" },
];

export type OfficeView = ReturnType<typeof officeView>;

/** When SIP binds to one address, audio does too (and Asterisk need not look up its own address). */
function mediaBinding(office: Office): Setting[] {
    const bind = office.server.bindAddress;
    if (bind === "0.0.0.0") return [];
    return [
        { key: "media_address", value: bind, why: "SIP is bound to this address; audio goes with it" },
        { key: "bind_rtp_to_media_address", value: "yes" },
    ];
}

/** One way an emergency call can go out, tried in order. */
export interface EmergencyRoute {
    /** The trunk's or the landline's endpoint name. */
    name: string;
    callerIdExpression: string;
    /** Dial() argument for the dialled emergency number in ${EXTEN}. */
    dial: string;
}

/** Said to a caller whose emergency call found no way out, before the call ends with 503 (cause 34). */
export const emergencyUnreachable = {
    announcement: "all-circuits-busy-now&please-try-again",
    cause: "NORMAL_CIRCUIT_CONGESTION",
};

/**
 * Emergency numbers go out bare (no "+", no country code), as every provider expects them: through
 * the emergency route, then, if that cannot be reached, through the default trunk.
 */
function emergencyView(office: Office, numbers: string[]) {
    const route = (name: string): EmergencyRoute => {
        const trunk = office.trunks.find((t) => t.name === name);
        // The SPA3102's landline: the local exchange knows where the line is.
        if (!trunk) return { name, callerIdExpression: "${LINE_NUMBER}", dial: `PJSIP/\${EXTEN}@${name}` };
        const kind = kindOf(trunk);
        return {
            name,
            callerIdExpression: kind.callerIdExpression(trunk),
            dial: `PJSIP/${kind.emergencyDial(trunk, "${EXTEN}")}@${name}`,
        };
    };
    const { emergencyTrunk } = office.routes;
    const fallback = emergencyFallback(office);
    return {
        numbers,
        routes: [route(emergencyTrunk), ...(fallback ? [route(fallback)] : [])],
        description: fallback
            ? `through ${emergencyTrunk}, or when it cannot be reached (unregistered, unreachable or congested), through ${fallback}`
            : `through ${emergencyTrunk}`,
        unreachable: fallback ? "when neither can be reached" : "when it cannot be reached",
        ...emergencyUnreachable,
    };
}

/** Plain SIP for trunks and UDP phones; SIP over TLS beside it when a phone or a trunk uses it. */
function transportSections(office: Office, options: RenderOptions): Section[] {
    const nat = natSettings(office, options);
    const { bindAddress, sipPort, tlsPort } = office.server;
    const udp: Section = {
        name: "transport-udp",
        settings: [
            { key: "type", value: "transport" },
            { key: "protocol", value: "udp" },
            { key: "bind", value: `${bindAddress}:${sipPort}` },
            ...nat,
        ],
    };
    if (!needsTlsTransport(office)) return [udp];
    const tls: Section = {
        name: "transport-tls",
        settings: [
            { key: "type", value: "transport" },
            { key: "protocol", value: "tls" },
            { key: "bind", value: `${bindAddress}:${tlsPort}` },
            {
                key: "cert_file",
                value: tlsCertificateFiles.certificate,
                why: "with its chain; deskphone-certificate installs it, and a new one on renewal",
            },
            { key: "priv_key_file", value: tlsCertificateFiles.key },
            {
                key: "method",
                value: "tlsv1_2",
                why: "what desk phones speak (many lack TLS 1.3, and baresip 1.0 fails its handshake); never 1.0 or 1.1",
            },
            ...(tlsTrunks(office).length > 0 ? tlsClientSettings : []),
            ...nat,
        ],
    };
    return [udp, tls];
}

/**
 * Asterisk as a TLS client, calling out to a trunk's provider: it checks the provider's certificate.
 * verify_server concerns only connections Asterisk opens; phones open theirs to it (and Asterisk calls
 * them back over the same connection), so it changes nothing for them.
 */
const tlsClientSettings: Setting[] = [
    { key: "ca_list_file", value: systemCaBundle, why: "the system's CAs (package ca-certificates)" },
    {
        key: "verify_server",
        value: "yes",
        why: "calls out over TLS go only to a server whose certificate a CA issued for its name",
    },
    {
        key: "allow_wildcard_certs",
        value: "yes",
        why: "a certificate for *.pstn.twilio.com covers acme.pstn.twilio.com",
    },
];

function natSettings(office: Office, options: RenderOptions): Setting[] {
    const settings: Setting[] = [];
    const publicAddress = options.publicAddress ?? office.server.publicAddress;
    if (advertisesPublicAddress(office) && publicAddress) {
        const droplet = office.server.host.kind === "droplet";
        settings.push(
            {
                key: "external_signaling_address",
                value: publicAddress,
                why: droplet
                    ? "the droplet's reserved IP: its traffic leaves through the anchor gateway, which NATs to it"
                    : "the server is behind NAT: advertise its public address in SIP",
            },
            { key: "external_media_address", value: publicAddress, why: "and in SDP, so audio comes back to it" },
        );
        if (droplet)
            settings.push({
                key: "local_net",
                value: anchorNetwork.cidr,
                why: "the droplet's anchor IP, behind the reserved IP",
            });
        for (const net of office.server.localNetworks) settings.push({ key: "local_net", value: net });
    }
    return settings;
}

/**
 * Whether Asterisk must advertise the public address rather than its own: behind NAT, and on a
 * droplet, whose reserved IP is NATed to its anchor IP.
 */
export function advertisesPublicAddress(office: Office): boolean {
    return office.server.behindNat || office.server.host.kind === "droplet";
}

function phoneView(office: Office, phone: Phone) {
    const mailbox = voicemailOfPhone(office, phone.name)?.mailbox;
    return {
        ...phone,
        lineNumber: digitsOf(phone.callerId),
        mailbox,
        authSection: `${phone.name}-auth`,
        template: phone.transport === "tls" ? "secure-phone" : "phone",
    };
}

/** PJSIP sections for one trunk: what every trunk has, then its kind's own; the password lives in pjsip.secrets.conf. */
function trunkView(trunk: Trunk, standIn: TrunkAddress | undefined): TrunkView {
    const kind = kindOf(trunk);
    const pjsip = kind.pjsip(trunk, providerPlace(trunk.name, standIn));
    return {
        name: trunk.name,
        kind: trunk.kind,
        description: pjsip.description,
        sections: [
            { name: trunk.name, template: "trunk", settings: [{ key: "aors", value: trunk.name }, ...pjsip.endpoint] },
            { name: trunk.name, settings: [{ key: "type", value: "aor" }, ...pjsip.aor] },
            ...pjsip.sections,
        ],
        context: trunkContext(trunk.name),
        numberExpression: kind.numberExpression(trunk),
        callerIdExpression: kind.callerIdExpression(trunk),
    };
}

/** What every trunk's endpoint shares: pjsip.conf's `[trunk](!)` template. */
function trunkTemplate(media: Setting[]): Section {
    return {
        name: "trunk",
        template: "!",
        settings: [
            { key: "type", value: "endpoint" },
            {
                key: "context",
                value: "from-trunks",
                why: "calls from the phone network can only reach the office's numbers",
            },
            { key: "disallow", value: "all" },
            { key: "allow", value: "ulaw,alaw" },
            { key: "direct_media", value: "no", why: "media stays on the server, which the provider knows" },
            { key: "dtmf_mode", value: "rfc4733" },
            { key: "send_pai", value: "yes", why: "P-Asserted-Identity carries the line's number" },
            { key: "trust_id_outbound", value: "yes" },
            // PAI still goes out on each call's INVITE; this stops the later "now connected to" updates,
            // which under load crossed the answer and sent the provider a re-INVITE per call.
            {
                key: "send_connected_line",
                value: "no",
                why: "who answered stays in the office: no mid-call re-INVITE to the provider",
            },
            ...media,
            {
                key: "identify_by",
                value: "ip",
                why: "known by its provider's addresses only: a From user naming this trunk proves nothing",
            },
        ],
    };
}

/** Where a trunk's provider is: as published, or the stand-in a local run or test gives for it. */
function providerPlace(trunkName: string, standIn: TrunkAddress | undefined): ProviderPlace {
    return {
        host: (published) => standIn?.host ?? published,
        identify: (published, comment) => ({
            name: `${trunkName}-identify`,
            comment: standIn ? "stand-in addresses for this trunk's provider" : comment,
            settings: [
                { key: "type", value: "identify" },
                { key: "endpoint", value: trunkName },
                ...(standIn ? standIn.matches : published).map((m) => ({ key: "match", value: m })),
            ],
        }),
    };
}
