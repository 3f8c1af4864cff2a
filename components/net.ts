/**
 * The address and host-name checks, each written once: the office's validation and the providers'
 * checks use these. No imports, so serialized dynamic providers can carry them.
 */

const octet = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
/** A DNS label (RFC 1123): letters, digits and inner hyphens, at most 63 characters. */
const label = "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?";

/** A dotted-decimal IPv4 address, no leading zeros. */
export const ipv4 = new RegExp(`^${octet}(\\.${octet}){3}$`);
/** A host name or IPv4 address, with an optional port: `sip.example.net`, `asterisk`, `203.0.113.5:5080`. */
export const hostName = new RegExp(`^(?=.{1,253}(:|$))${label}(\\.${label})*(:\\d{1,5})?$`);
/** A fully qualified DNS name, ending in an alphabetic top-level domain: `sip.example.net`. */
const qualifiedName = new RegExp(`^(?=.{1,253}$)(${label}\\.)+[A-Za-z]{2,63}$`);

export function isIpv4(value: string): boolean {
    return ipv4.test(value);
}

/** An IPv4 address or a fully qualified DNS name: what a provider can send calls to. */
export function isPublicHost(value: string): boolean {
    return isIpv4(value) || qualifiedName.test(value);
}

/** An IPv4 address, or a network in CIDR form. */
export function isAddressOrNetwork(value: string): boolean {
    const [address, bits, ...rest] = value.split("/");
    if (rest.length > 0 || !isIpv4(address)) return false;
    return bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= 32);
}

/**
 * A DNS name's record name within a zone it is in: the labels before the zone, or `@` for the zone's own
 * name (the apex), as DigitalOcean's domain records name them; undefined when the name is not in the zone.
 */
export function recordNameIn(name: string, zone: string): string | undefined {
    const [fqdn, origin] = [name.toLowerCase(), zone.toLowerCase()];
    if (fqdn === origin) return "@";
    return fqdn.endsWith(`.${origin}`) ? fqdn.slice(0, -(origin.length + 1)) : undefined;
}
