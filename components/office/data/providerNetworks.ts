/**
 * Where Twilio and Flowroute send SIP and RTP from, and the host names calls are sent to.
 * Providers change these: every address carries its source and the date it was read. Keep all
 * provider addresses here, never in templates; update them here when a provider announces a change.
 *
 * All sources were read on 2026-11-23 from stored copies of the pages (no live fetch was possible),
 * so check the live pages before relying on them for a new deployment.
 *
 * Twilio, how the signalling list was confirmed:
 * - The page "IP Addresses for Elastic SIP Trunking Services" (https://www.twilio.com/docs/sip-trunking/ip-addresses)
 *   was found in the stored docs. Its headings, its "allow all regions" text and its media range match.
 * - The per-gateway addresses come from a markdown copy of that same page held in a public GitHub
 *   repository. The copy has the page's own headings and links. The search tool did not name the repository.
 * - Many public configs list the same eight /30s: a Google Cloud CCAI BYOC allow-list, Amazon Chime CDK
 *   samples, firewall scripts.
 * - The page names gateways by location ("North America Virginia" …). The edge ids come from Twilio's
 *   "Legacy Edge Location IDs" page (us1 = ashburn, us2 = umatilla, ie1 = dublin, de1 = frankfurt,
 *   jp1 = tokyo, sg1 = singapore, au1 = sydney, br1 = sao-paulo) and from the localized termination URI
 *   page, which uses the same location names.
 */

export interface AddressRange {
    cidr: string;
    source: string;
}

export interface TwilioEdge {
    id: string;
    name: string;
    signalling: AddressRange[];
}

// ─── Twilio ────────────────────────────────────────────────────────────────────────────────

const twilioIpPage =
    "Twilio Docs, 'IP Addresses for Elastic SIP Trunking Services' (https://www.twilio.com/docs/sip-trunking/ip-addresses)";
const twilioSignallingSource = (gateways: string, cidr: string, legacy: string, edge: string): string =>
    `${twilioIpPage}, 'Regional signaling IP gateways' > '${gateways} gateways': ${cidr}, ports 5060 (UDP/TCP), 5061 (TLS); ` +
    `edge id per Twilio Docs 'Legacy Edge Location IDs' (${legacy} = ${edge}); read 2026-11-23 (stored copy)`;

/**
 * Twilio Elastic SIP Trunking signalling gateways, one /30 per public edge. Twilio says to allow ALL of
 * them ("if North America Virginia gateways are down, then North America Oregon gateways will be used"),
 * and notes that not every address hosts an active gateway at any given time.
 * There is no public "london" edge: London exists only as the Interconnect edge "london-ix".
 * "roaming" cannot be used with Elastic SIP Trunking.
 */
export const twilioEdges: Record<string, TwilioEdge> = {
    ashburn: {
        id: "ashburn",
        name: "North America Virginia",
        signalling: [
            {
                cidr: "54.172.60.0/30",
                source: twilioSignallingSource("North America Virginia", "54.172.60.0/30", "us1", "ashburn"),
            },
        ],
    },
    umatilla: {
        id: "umatilla",
        name: "North America Oregon",
        signalling: [
            {
                cidr: "54.244.51.0/30",
                source: twilioSignallingSource("North America Oregon", "54.244.51.0/30", "us2", "umatilla"),
            },
        ],
    },
    dublin: {
        id: "dublin",
        name: "Europe Ireland",
        signalling: [
            {
                cidr: "54.171.127.192/30",
                source: twilioSignallingSource("Europe Ireland", "54.171.127.192/30", "ie1", "dublin"),
            },
        ],
    },
    frankfurt: {
        id: "frankfurt",
        name: "Europe Frankfurt",
        signalling: [
            {
                cidr: "35.156.191.128/30",
                source: twilioSignallingSource("Europe Frankfurt", "35.156.191.128/30", "de1", "frankfurt"),
            },
        ],
    },
    tokyo: {
        id: "tokyo",
        name: "Asia Pacific Tokyo",
        signalling: [
            {
                cidr: "54.65.63.192/30",
                source: twilioSignallingSource("Asia-Pacific Tokyo", "54.65.63.192/30", "jp1", "tokyo"),
            },
        ],
    },
    singapore: {
        id: "singapore",
        name: "Asia Pacific Singapore",
        signalling: [
            {
                cidr: "54.169.127.128/30",
                source: twilioSignallingSource("Asia-Pacific Singapore", "54.169.127.128/30", "sg1", "singapore"),
            },
        ],
    },
    sydney: {
        id: "sydney",
        name: "Asia Pacific Sydney",
        signalling: [
            {
                cidr: "54.252.254.64/30",
                source: twilioSignallingSource("Asia-Pacific Sydney", "54.252.254.64/30", "au1", "sydney"),
            },
        ],
    },
    "sao-paulo": {
        id: "sao-paulo",
        name: "South America São Paulo",
        signalling: [
            {
                cidr: "177.71.206.192/30",
                source: twilioSignallingSource("South America São Paulo", "177.71.206.192/30", "br1", "sao-paulo"),
            },
        ],
    },
};

/** Ports Twilio's signalling gateways use, for every edge. */
export const twilioSignallingPorts: { udp: number[]; tcp: number[]; tls: number[]; source: string } = {
    udp: [5060],
    tcp: [5060],
    tls: [5061],
    source: `${twilioIpPage}: every regional gateway lists 'Ports: 5060 (UDP/TCP), 5061 (TLS)'; read 2026-11-23 (stored copy)`,
};

/**
 * Twilio media (RTP), one global range for every edge. It replaced the per-region ranges: the migration was
 * announced 2023-08-09 and completed on 2024-02-21. Applies to Elastic SIP Trunking, Programmable SIP,
 * Voice SDK, Flex and SIPREC.
 */
export const twilioMedia: { ranges: AddressRange[]; ports: { start: number; end: number } } = {
    ranges: [
        {
            cidr: "168.86.128.0/18",
            source:
                `${twilioIpPage}, 'Global media IP gateways': UDP, destination 168.86.128.0/18, ports 10,000-60,000, identical across all edge locations; ` +
                "Twilio Changelog 2023-08-09 'ACTION REQUIRED: Twilio Voice Media IP Migration Schedule and Testing Availability' " +
                "(single global range 168.86.128.0/18, ports 10000-60000); Twilio Docs 'SIP Interface over Twilio Interconnect' warning: " +
                "'On February 21, 2024, Twilio updated the media IPs and port ranges for calls in all regions'; " +
                "Twilio Docs 'Voice Media IP Expansion Security FAQ'; read 2026-11-23 (stored copies)",
        },
    ],
    ports: { start: 10000, end: 60000 },
};

/**
 * Twilio termination (outbound) host names. `{name}` is the trunk's unique name, `{edge}` an edge id above.
 * Request URIs must carry the trunk's own domain so Twilio can tell which trunk the traffic is for.
 */
export const twilioTerminationHosts: { global: string; perEdge: string; edgeSrvDomain: string; source: string } = {
    /** Termination SIP URI as the console shows it. */
    global: "{name}.pstn.twilio.com",
    /** Localized termination SIP URI: pins traffic to one edge (e.g. acme.pstn.ashburn.twilio.com). */
    perEdge: "{name}.pstn.{edge}.twilio.com",
    /**
     * Twilio's generic per-edge domain with NAPTR and SRV records (RFC 3263). Use it as outbound proxy or
     * Route header, with the trunk's own domain still in the request URI, to spread load across Twilio's IPs.
     */
    edgeSrvDomain: "pstn.{edge}.twilio.com",
    source:
        "Twilio Docs 'Termination' localized URIs (https://www.twilio.com/docs/global-infrastructure/localized-uris/termination, " +
        "dateModified 2026-03-09): {example}.pstn.ashburn|umatilla|dublin|frankfurt|singapore|tokyo|sao-paulo|sydney.twilio.com; " +
        "Twilio Docs 'Sending SIP to Twilio - Best Practices' (https://www.twilio.com/docs/sip-trunking/sending-sip-to-twilio-best-practices): " +
        "mytrunk.pstn.twilio.com, mytrunk.pstn.[edge].twilio.com, NAPTR/SRV at pstn.[edge].twilio.com; " +
        "Twilio Changelog 2020-07-30 'Twilio Edge Locations Available for Elastic SIP Trunking': {example}.pstn.{edge}.twilio.com; read 2026-11-23",
};

// ─── Flowroute ─────────────────────────────────────────────────────────────────────────────

export interface FlowroutePop {
    id: string;
    host: string;
    signalling: AddressRange[];
}

/**
 * Flowroute PoPs. Each host name is also the PoP's NAPTR name: send calls to it, and name it as the
 * "edge strategy" of inbound routes. Calls are dialled as E.164, leading "+" optional; with IP
 * authentication, the account's 8-digit tech prefix and "*" come before the number.
 */
export const flowroutePops: Record<string, FlowroutePop> = {
    "us-east-va": {
        id: "us-east-va",
        host: "us-east-va.sip.flowroute.com",
        signalling: [
            {
                cidr: "34.226.36.32/28",
                source:
                    "Flowroute API docs 'List Edge Strategies' (https://developer.flowroute.com/api/numbers/v2.0/list-edge-strategies/), " +
                    "example response: name 'US-East-VA', firewall_rules '34.226.36.32/28, 34.226.36.32-34.226.36.47', " +
                    "naptr 'us-east-va.sip.flowroute.com' ('edge systems in North Virginia'); read 2026-11-23 (stored copy)",
            },
        ],
    },
    "us-west-or": {
        id: "us-west-or",
        host: "us-west-or.sip.flowroute.com",
        signalling: [
            {
                cidr: "34.210.91.112/28",
                source:
                    "THIRD-PARTY ONLY for the address: public GitHub code pairs host 'us-west-or.sip.flowroute.com' with signalling " +
                    "addresses ('34.210.91.112/28', '34.226.36.32/28') and cites developer.flowroute.com/docs/inbound-and-outbound-calling-with-flowroute-new-pops/. " +
                    "Public FreePBX install scripts and SignalWire Kamailio configs allow the same two /28s as 'FLOWROUTE'. " +
                    "Official: the 'List Edge Strategies' example has a second entry for 'edge systems in Oregon', but its firewall_rules " +
                    "were cut off in the stored copy. The host name is official: BCM One/Flowroute support 'Set Up IP-based Authentication " +
                    "for Outbound Calls', e.g. 12345678*12066418000@us-west-or.sip.flowroute.com. Read 2026-11-23; confirm with " +
                    "GET https://api.flowroute.com/v2/routes/edge_strategies (attribute firewall_rules)",
            },
        ],
    },
};

/** SIP ports Flowroute signals from and accepts: 5060, with 5160 as the alternate. UDP and TCP. */
export const flowrouteSignallingPorts: number[] = [5060, 5160];

export const flowrouteSignallingPortsSource =
    "Flowroute support 'Set Firewall Policies for Flowroute's Direct Audio' " +
    "(https://support.flowroute.com/customer/portal/articles/1852958-set-firewall-policies-for-flowroute-s-direct-audio): " +
    "'Allow UDP and TCP traffic over port 5060 … If your system has issues connecting over port 5060, you can use 5160 as an alternate SIP port'; read 2026-11-23 (stored copy)";

/**
 * Flowroute media is "Direct Audio": RTP may come from ANY source address, so a stack using Flowroute must
 * open its RTP port range to all sources. Flowroute publishes no media address range.
 */
export const flowrouteMedia: { anySource: true; source: string } = {
    anySource: true,
    source:
        "Flowroute support 'Set Firewall Policies for Flowroute's Direct Audio' (https://support.flowroute.com/customer/portal/articles/1852958-set-firewall-policies-for-flowroute-s-direct-audio): " +
        "'To receive Direct Audio, allow UDP packets from any source IP address with a destination port within your system's RTP media port range'; read 2026-11-23 (stored copy)",
};

/**
 * Flowroute's older generic SIP host, used in its service guide's examples (sip:+12066418000@sip.flowroute.com).
 * It is not a PoP: its signalling addresses are not published in any source found, so it has no entry in flowroutePops.
 */
export const flowrouteLegacyHost: { host: string; source: string } = {
    host: "sip.flowroute.com",
    source:
        "BCM One/Flowroute support 'Flowroute Service Guide - Technical Specifications' " +
        "(https://support.bcmone.com/flowroute-support/docs/flowroute-service-guide-technical-specifications): request URI example " +
        "sip:+12066418000@sip.flowroute.com and IP-auth example sip:12345678*+12066418000@sip.flowroute.com; read 2026-11-23 (stored copy)",
};
