/**
 * How a DigitalOcean droplet's addresses work, for the Asterisk transport of an office on a droplet.
 * Read 2026-12-02 from stored copies of the pages (no live fetch was possible).
 */

/**
 * Traffic for a reserved IP reaches the droplet at its anchor IP, an address "aliased to the Droplet's
 * public network interface" in the private 10.0.0.0/8 range (e.g. 10.17.0.5/16, gateway 10.17.0.1); the
 * anchor gateway source-NATs the anchor IP to the reserved IP. To Asterisk the droplet is behind NAT.
 */
export const anchorNetwork = {
    cidr: "10.0.0.0/8",
    source:
        "DigitalOcean Docs 'How to Find Information about Droplet Anchor IPs' (https://docs.digitalocean.com/products/networking/reserved-ips/how-to/find-anchor-ips/) " +
        "and 'How to Send Outbound Traffic Over a Reserved IP' (https://docs.digitalocean.com/products/networking/reserved-ips/how-to/outbound-traffic/); " +
        "anchor IPs in 10.0.0.0/8: etherarp.net 'Customizing Digitalocean Floating IPs'; read 2026-12-02 (stored copies)",
};
