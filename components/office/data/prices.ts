/**
 * Monthly prices in US dollars for the cost estimate. Providers change them: each value carries
 * its source and the date it was read; override none of them in code, update them here.
 */

export interface Price {
    usd: number;
    source: string;
    /** When the source was read, or for a copy of an API answer when it was answered: a date (YYYY-MM-DD) or a year. */
    asOf: string;
    /** Where to read today's price, for one no current published source confirms. */
    checkAt?: string;
}

/** When these prices were last reviewed; one read more than two years before is old, and the estimate says so. */
export const pricesReviewed = "2026-12-02";

/** DigitalOcean droplet sizes (basic, regular SSD), per month. */
export const dropletMonthly: Record<string, Price> = {
    "s-1vcpu-512mb-10gb": {
        usd: 4,
        source: "digitalocean.com/pricing/droplets, Basic Regular 512 MiB (2024)",
        asOf: "2024",
    },
    "s-1vcpu-1gb": { usd: 6, source: "digitalocean.com/pricing/droplets, Basic Regular 1 GiB (2024)", asOf: "2024" },
    "s-1vcpu-2gb": { usd: 12, source: "digitalocean.com/pricing/droplets, Basic Regular 2 GiB (2024)", asOf: "2024" },
    "s-2vcpu-2gb": {
        usd: 18,
        source: "digitalocean.com/pricing/droplets, Basic Regular 2 vCPU 2 GiB (2024)",
        asOf: "2024",
    },
};

export const volumeMonthlyPerGb: Price = {
    usd: 0.1,
    source: "digitalocean.com/pricing/volumes: $0.10/GiB per month",
    asOf: "2024",
};

/** A reserved IP is free while assigned to a droplet. */
export const reservedIpMonthly: Price = {
    usd: 0,
    source: "docs.digitalocean.com/products/networking/reserved-ips: free when assigned",
    asOf: "2024",
};

export interface NumberPrices {
    numberMonthly: Price;
    /** A fee per number on the account, whatever it does. */
    feeMonthly?: Price;
    emergencyMonthly?: Price;
    inboundPerMinute: Price;
    outboundPerMinute: Price;
}

/** Flowroute's API prices each number it offers; its pricing page has the standard rates. */
const flowrouteNumberPrices =
    "the monthly_cost and inbound_rate Flowroute's API gives each number in GET /v2/numbers/available, or flowroute.com's pricing page";

export const providerPrices: Record<"flowroute" | "twilio", NumberPrices> = {
    flowroute: {
        // Flowroute's pricing page is in no stored copy. The number and inbound rates are those of the 2013 guide
        // "Freelancer Phone System", which Flowroute's own API still answered in 2020; the outbound rate has no newer source.
        numberMonthly: {
            usd: 1.25,
            source:
                "Flowroute API GET /v2/numbers/available, US local numbers: monthly_cost 1.25 (a copy of its answer in gist " +
                "thegrif/b3143c5c7d7c29777d5e7c50ac308313, 2020-09-23; first from the guide 'Freelancer Phone System', 2013-08-20)",
            asOf: "2020-09-23",
            checkAt: flowrouteNumberPrices,
        },
        feeMonthly: {
            usd: 0.5,
            source: "support.flowroute.com 'Admin Fee Information': a 50 cent Admin Fee per DID on the account each month (stored copy)",
            asOf: "2026-12-02",
        },
        emergencyMonthly: {
            usd: 1.5,
            source:
                "support.bcmone.com/flowroute-support 'How do Kari's Law and Ray Baum's Act affect VoIP providers': E911 fee $1.50 per month per " +
                "E911-enabled local number since 2022-02-01, besides an E911 association fee on the pricing page (not in the stored copies)",
            asOf: "2026-12-02",
        },
        inboundPerMinute: {
            usd: 0.012,
            source:
                "Flowroute API GET /v2/numbers/available, US local numbers: inbound_rate 0.012 per minute (a copy of its answer in gist " +
                "thegrif/b3143c5c7d7c29777d5e7c50ac308313, 2020-09-23; first from the guide 'Freelancer Phone System', 2013-08-20)",
            asOf: "2020-09-23",
            checkAt: flowrouteNumberPrices,
        },
        outboundPerMinute: {
            usd: 0.0098,
            source: "the guide 'Freelancer Phone System' (Flowroute + Asterisk, 2013-08-20): 0.98 cents per minute to the contiguous US and Canada; no newer source found",
            asOf: "2013",
            // "To download your current outbound rates ... go to Billing → Outbound rates" (BCM One Flowroute support,
            // "How does Flowroute determine the specific rate charged for an outbound call?").
            checkAt:
                "Flowroute Manage, Billing → Outbound rates (the account's own rates), or flowroute.com's pricing page",
        },
    },
    twilio: {
        numberMonthly: {
            usd: 1.15,
            source: "twilio.com/en-us/voice/pricing/us: local number $1.15/month (date: when added to this file)",
            asOf: "2026-11-23",
        },
        emergencyMonthly: {
            usd: 0.75,
            source: "twilio.com/docs/sip-trunking/emergency-calling: 'Associating an emergency address with a phone number has a cost of $0.75 per phone number per month'",
            asOf: "2026-12-02",
        },
        inboundPerMinute: {
            usd: 0.0034,
            source: "twilio.com/en-us/sip-trunking/pricing/us: origination $0.0034/min (date: when added to this file)",
            asOf: "2026-11-23",
        },
        outboundPerMinute: {
            usd: 0.0045,
            source: "twilio.com/en-us/sip-trunking/pricing/us: termination from $0.0045/min (US) (date: when added to this file)",
            asOf: "2026-11-23",
        },
    },
};
