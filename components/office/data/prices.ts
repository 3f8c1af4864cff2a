/**
 * Monthly prices in US dollars for the cost estimate. Providers change them: each value carries
 * its source and the date it was read; override none of them in code, update them here.
 */

export interface Price {
    usd: number;
    source: string;
}

/** DigitalOcean droplet sizes (basic, regular SSD), per month. */
export const dropletMonthly: Record<string, Price> = {
    "s-1vcpu-512mb-10gb": { usd: 4, source: "digitalocean.com/pricing/droplets, Basic Regular 512 MiB (2024)" },
    "s-1vcpu-1gb": { usd: 6, source: "digitalocean.com/pricing/droplets, Basic Regular 1 GiB (2024)" },
    "s-1vcpu-2gb": { usd: 12, source: "digitalocean.com/pricing/droplets, Basic Regular 2 GiB (2024)" },
    "s-2vcpu-2gb": { usd: 18, source: "digitalocean.com/pricing/droplets, Basic Regular 2 vCPU 2 GiB (2024)" },
};

export const volumeMonthlyPerGb: Price = { usd: 0.1, source: "digitalocean.com/pricing/volumes: $0.10/GiB per month" };

/** A reserved IP is free while assigned to a droplet. */
export const reservedIpMonthly: Price = { usd: 0, source: "docs.digitalocean.com/products/networking/reserved-ips: free when assigned" };

export interface NumberPrices {
    numberMonthly: Price;
    emergencyMonthly?: Price;
    inboundPerMinute: Price;
    outboundPerMinute: Price;
}

export const providerPrices: Record<"flowroute" | "twilio", NumberPrices> = {
    flowroute: {
        numberMonthly: { usd: 1.25, source: "seed 001 (Flowroute, 2013): $1.25 per number per month" },
        emergencyMonthly: { usd: 1.39, source: "seed 001 (Flowroute, 2013): $1.39 per number per month for 911" },
        inboundPerMinute: { usd: 0.012, source: "seed 001 (Flowroute, 2013): 1.2 cents per inbound minute" },
        outboundPerMinute: { usd: 0.0098, source: "seed 001 (Flowroute, 2013): 0.98 cents per minute to the contiguous US and Canada" },
    },
    twilio: {
        numberMonthly: { usd: 1.15, source: "twilio.com/en-us/voice/pricing/us: local number $1.15/month" },
        inboundPerMinute: { usd: 0.0034, source: "twilio.com/en-us/sip-trunking/pricing/us: origination $0.0034/min" },
        outboundPerMinute: { usd: 0.0045, source: "twilio.com/en-us/sip-trunking/pricing/us: termination from $0.0045/min (US)" },
    },
};
