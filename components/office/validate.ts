import { child, ConfigPath, ConfigReader, PlainTextCheck, settingPath as path } from "./configReader";
import { countries, CountryCode, countryCodes, isCountryCode } from "./countries";
import {
    checkSipUserLength,
    digits,
    domainName,
    emailAddress,
    endpointName,
    hostName,
    ipv4,
    readAddresses,
} from "./formats";
import * as defaults from "../defaults";
import { recordNameIn } from "../net";
import { OfficeConfigError } from "./errors";
import { checkE911Address, E911Address } from "../providers/numberSettings";
import { trunkKindNames, trunkKinds } from "../trunks";
import { e911AddressKeys, linkPhonesToNumbers, readNumber } from "./readNumbers";
import { readSpa3102 } from "./readSpa3102";
import {
    checkDialOutPrefix,
    checkNames,
    checkReferences,
    checkTrunksCanCallIn,
    checkRoutesAgainstPlan,
    registerEmergencyAddresses,
} from "./crossChecks";
import {
    DestinationClass,
    DropletHost,
    ExistingHost,
    MailRelay,
    Office,
    OfficeSettings,
    Phone,
    PhoneKind,
    PhoneTransport,
    PrefixRoute,
    Routes,
    ServerSettings,
    Trunk,
    Usage,
} from "./types";

/** The office config as it comes from the stack: `deskphone:<key>` values, parsed from YAML/JSON. */
export type RawOfficeConfig = Record<string, unknown>;

const topLevelKeys = ["office", "mail", "phones", "numbers", "trunks", "routes", "server", "spa3102", "usage"] as const;
const phoneKinds: readonly PhoneKind[] = ["sip-phone", "softphone", "spa3102-line"];
const phoneTransports: readonly PhoneTransport[] = ["tls", "udp"];
const destinationClasses: readonly DestinationClass[] = ["international", "premium"];

const extensionDigits = /^[0-9]{2,6}$/;
const dialPattern = /^[0-9XNZ[\]\-.!]+$/;

/**
 * Checks a stack's `deskphone:` config and returns the typed office, or throws one
 * OfficeConfigError listing every problem, each with its config path.
 */
export function validateOffice(raw: RawOfficeConfig, isPlainText: PlainTextCheck = () => false): Office {
    const r = new ConfigReader(isPlainText);
    for (const key of Object.keys(raw)) {
        if (!(topLevelKeys as readonly string[]).includes(key)) r.unknownKey(path(key), key, topLevelKeys);
    }
    const office = readOfficeSettings(r, raw.office);
    const plan = isCountryCode(office.country) ? countries[office.country].dialing : undefined;
    const trunks = r.array(path("trunks"), raw.trunks).map((t, i) => readTrunk(r, child(path("trunks"), i), t));
    const phones = r.array(path("phones"), raw.phones).map((p, i) => readPhone(r, child(path("phones"), i), p));
    const rawNumbers = r.array(path("numbers"), raw.numbers);
    const numbers = rawNumbers.map((n, i) =>
        readNumber(r, child(path("numbers"), i), n, phones, trunks, office.country),
    );
    linkPhonesToNumbers(r, phones, numbers);
    const routes = readRoutes(r, raw.routes, trunks);
    const server = readServer(r, raw.server);
    const mail = readMail(r, raw.mail);
    const spa3102 = readSpa3102(r, raw.spa3102);
    const usage = readUsage(r, raw.usage);
    const result: Office = { office, phones, numbers, trunks, routes, server, usage };
    if (mail) result.mail = mail;
    if (spa3102) result.spa3102 = spa3102;

    checkNames(r, result);
    if (plan && spa3102?.landline?.dialOutPrefix) checkDialOutPrefix(r, spa3102.landline.dialOutPrefix, plan);
    checkReferences(r, result);
    checkTrunksCanCallIn(r, result);
    // `e911: false`: the number's emergency address is registered at the provider, by hand; deskphone leaves it.
    registerEmergencyAddresses(r, result, (i) => (rawNumbers[i] as { e911?: unknown } | undefined)?.e911 === false);
    if (plan) checkRoutesAgainstPlan(r, result.routes, plan.callingCode);
    if (r.problems.length > 0) throw new OfficeConfigError(r.problems);
    return result;
}

function readOfficeSettings(r: ConfigReader, raw: unknown): OfficeSettings {
    const p = path("office");
    const o = r.object(p, raw, ["name", "country", "timezone", "voicemailFrom", "emergencyAddress"]);
    if (!o) r.problem(p, "is required: the office's name, country, timezone and voicemailFrom");
    const name = r.string(child(p, "name"), o?.name, { required: true, what: "the office's name" });
    const country = (
        r.string(child(p, "country"), o?.country, { required: true, what: "an ISO country code such as US" }) ?? ""
    ).toUpperCase();
    if (country && !isCountryCode(country)) {
        r.problem(
            child(p, "country"),
            `"${country}" is not a country deskphone knows`,
            `use one of: ${countryCodes.join(", ")}`,
        );
    }
    const timezone = r.string(child(p, "timezone"), o?.timezone, {
        required: true,
        what: "an IANA time zone such as America/New_York",
    });
    if (timezone && !isTimeZone(timezone)) {
        r.problem(
            child(p, "timezone"),
            `"${timezone}" is not an IANA time zone`,
            "e.g. America/Montevideo, Europe/London",
        );
    }
    const voicemailFrom = r.string(child(p, "voicemailFrom"), o?.voicemailFrom, {
        required: true,
        pattern: emailAddress,
        what: "an email address",
    });
    // An unknown country is a problem above: validateOffice throws before anything reads it.
    const settings: OfficeSettings = { name, country: country as CountryCode, timezone, voicemailFrom };
    const addressPath = child(p, "emergencyAddress");
    const address = r.object(addressPath, o?.emergencyAddress, e911AddressKeys);
    if (address) {
        settings.emergencyAddress = address as unknown as E911Address;
        for (const problem of checkE911Address(settings.emergencyAddress, addressPath))
            r.problem(problem.path, problem.message, problem.hint);
    }
    return settings;
}

function isTimeZone(zone: string): boolean {
    if (!zone.includes("/") && zone !== "UTC") return false;
    try {
        new Intl.DateTimeFormat("en", { timeZone: zone });
        return true;
    } catch {
        return false;
    }
}

function readMail(r: ConfigReader, raw: unknown): MailRelay | undefined {
    const p = path("mail");
    const o = r.object(p, raw, ["host", "port", "tls", "username", "password"]);
    if (!o) return undefined;
    const relay: MailRelay = {
        host: r.string(child(p, "host"), o.host, { required: true, pattern: hostName, what: "a host name" }),
        port: r.integer(child(p, "port"), o.port, defaults.mailPort, { min: 1, max: 65535 }),
        tls: r.oneOf(child(p, "tls"), o.tls, ["starttls", "tls", "none"] as const, "starttls"),
    };
    const username = r.string(child(p, "username"), o.username);
    if (username) {
        relay.username = username;
        relay.password = r.secret(child(p, "password"), o.password, { generated: false, what: "the relay's password" });
    } else if (o.password !== undefined) {
        r.problem(child(p, "password"), "is set but mail.username is not", "give the relay's username too");
    }
    return relay;
}

function readPhone(r: ConfigReader, p: ConfigPath, raw: unknown): Phone {
    const o =
        r.object(p, raw, ["name", "extension", "kind", "transport", "secret", "callerId", "maxOutboundCalls"]) ?? {};
    const name = r.string(child(p, "name"), o.name, {
        required: true,
        pattern: endpointName,
        what: "a SIP user name (letters, digits, - and _)",
    });
    checkSipUserLength(
        r,
        child(p, "name"),
        name,
        "it is the phone's SIP user, and deskphone keeps SIP users to Twilio's 32",
    );
    const kind = r.oneOf(child(p, "kind"), o.kind, phoneKinds, "sip-phone");
    return {
        name,
        extension: r.string(child(p, "extension"), o.extension, {
            required: true,
            pattern: extensionDigits,
            what: "an extension of 2 to 6 digits",
        }),
        kind,
        transport: readPhoneTransport(r, child(p, "transport"), o.transport, kind),
        secret: r.secret(child(p, "secret"), o.secret, { generated: true, what: "the phone's SIP password" })!,
        // The stack's callerId names a number (by name or E.164); linkPhonesToNumbers resolves it.
        number: "",
        callerId: r.string(child(p, "callerId"), o.callerId, {
            required: true,
            what: 'the office number it calls out as: its name (e.g. "main") or E.164',
        }),
        maxOutboundCalls: r.integer(child(p, "maxOutboundCalls"), o.maxOutboundCalls, defaults.phoneOutboundCalls, {
            min: 1,
            max: 50,
        }),
    };
}

/** TLS for a phone unless the stack says udp; the SPA3102's line has no TLS, so udp is its own default. */
function readPhoneTransport(r: ConfigReader, p: ConfigPath, raw: unknown, kind: PhoneKind): PhoneTransport {
    const adapterLine = kind === "spa3102-line";
    const transport = r.oneOf(p, raw, phoneTransports, adapterLine ? "udp" : "tls");
    if (adapterLine && transport === "tls")
        r.problem(p, "is tls, but the SPA3102 has no SIP over TLS", "leave transport out: its line registers over UDP");
    return transport;
}

function readTrunk(r: ConfigReader, p: ConfigPath, raw: unknown): Trunk {
    const kindValue = (raw as Record<string, unknown> | undefined)?.kind;
    const kind = r.oneOf(child(p, "kind"), kindValue ?? "", trunkKindNames, "peers");
    const o = r.object(p, raw, ["name", "kind", ...trunkKinds[kind].settings]) ?? {};
    const name = () =>
        r.string(child(p, "name"), o.name, {
            required: true,
            pattern: endpointName,
            what: "a trunk name (letters, digits, - and _)",
        });
    return trunkKinds[kind].read(r, p, o, name);
}

function readRoutes(r: ConfigReader, raw: unknown, trunks: Trunk[]): Routes {
    const p = path("routes");
    const o = r.object(p, raw, ["defaultTrunk", "emergencyTrunk", "prefixes", "allow", "maxOutboundCalls"]) ?? {};
    const defaultTrunk = r.string(child(p, "defaultTrunk"), o.defaultTrunk) ?? trunks[0]?.name ?? "";
    const allowPath = child(p, "allow");
    const prefixesPath = child(p, "prefixes");
    return {
        defaultTrunk,
        emergencyTrunk: r.string(child(p, "emergencyTrunk"), o.emergencyTrunk) ?? defaultTrunk,
        prefixes: r
            .array(prefixesPath, o.prefixes)
            .map((route, i) => readPrefixRoute(r, child(prefixesPath, i), route)),
        allow: r
            .array(allowPath, o.allow)
            .map((c, i) => r.oneOf(child(allowPath, i), c, destinationClasses, "international")),
        maxOutboundCalls: r.integer(child(p, "maxOutboundCalls"), o.maxOutboundCalls, defaults.officeOutboundCalls, {
            min: 1,
            max: 500,
        }),
    };
}

function readPrefixRoute(r: ConfigReader, p: ConfigPath, raw: unknown): PrefixRoute {
    const o = r.object(p, raw, ["prefix", "pattern", "trunk", "strip", "prepend"]) ?? {};
    let pattern = "";
    if ((o.prefix === undefined) === (o.pattern === undefined)) {
        r.problem(p, "needs exactly one of prefix or pattern", 'e.g. prefix: "1418" or pattern: "1418NXXXXXX"');
    } else if (o.prefix !== undefined) {
        pattern = `${r.string(child(p, "prefix"), o.prefix, { required: true, pattern: digits, what: "digits (E.164 without +)" })}X.`;
    } else {
        pattern = r.string(child(p, "pattern"), o.pattern, {
            required: true,
            pattern: dialPattern,
            what: "an Asterisk dial pattern such as 1418NXXXXXX",
        });
    }
    return {
        pattern,
        trunk: r.string(child(p, "trunk"), o.trunk, { required: true, what: "the trunk these calls go out through" }),
        strip: r.integer(child(p, "strip"), o.strip, 0, { min: 0, max: 15 }),
        prepend: r.string(child(p, "prepend"), o.prepend, { pattern: /^[0-9*#+]*$/, what: "digits" }) ?? "",
    };
}

function readServer(r: ConfigReader, raw: unknown): ServerSettings {
    const p = path("server");
    const o =
        r.object(p, raw, [
            "droplet",
            "existing",
            "publicAddress",
            "domain",
            "dnsZone",
            "bindAddress",
            "sipPort",
            "tlsPort",
            "behindNat",
            "localNetworks",
            "rtpPorts",
            "phoneNetworks",
        ]) ?? {};
    const rtpPath = child(p, "rtpPorts");
    const rtp = r.object(rtpPath, o.rtpPorts, ["start", "end"]) ?? {};
    const rtpPorts = {
        start: r.integer(child(rtpPath, "start"), rtp.start, defaults.rtpPorts.start, { min: 1024, max: 65535 }),
        end: r.integer(child(rtpPath, "end"), rtp.end, defaults.rtpPorts.end, { min: 1024, max: 65535 }),
    };
    if (rtpPorts.end - rtpPorts.start < 10)
        r.problem(rtpPath, `${rtpPorts.start}-${rtpPorts.end} is too small a range`, "end must be at least start + 10");
    const server: ServerSettings = {
        host: readHost(r, p, o),
        bindAddress:
            r.string(child(p, "bindAddress"), o.bindAddress, { pattern: ipv4, what: "an IPv4 address" }) ??
            defaults.bindAddress,
        sipPort: r.integer(child(p, "sipPort"), o.sipPort, defaults.sipPort, { min: 1, max: 65535 }),
        tlsPort: r.integer(child(p, "tlsPort"), o.tlsPort, defaults.tlsPort, { min: 1, max: 65535 }),
        behindNat: r.boolean(child(p, "behindNat"), o.behindNat, false),
        localNetworks: readAddresses(r, child(p, "localNetworks"), o.localNetworks),
        rtpPorts,
        phoneNetworks:
            o.phoneNetworks === undefined
                ? [defaults.anywhere]
                : readAddresses(r, child(p, "phoneNetworks"), o.phoneNetworks),
    };
    const publicAddress = r.string(child(p, "publicAddress"), o.publicAddress, {
        pattern: ipv4,
        what: "an IPv4 address",
    });
    if (publicAddress) server.publicAddress = publicAddress;
    if (server.tlsPort === server.sipPort)
        r.problem(
            child(p, "tlsPort"),
            `is ${server.tlsPort}, sipPort's too`,
            "SIP over TLS needs a port of its own: 5061",
        );
    Object.assign(server, readServerName(r, p, o, server.host));
    return server;
}

/** The server's DNS name and the DigitalOcean domain deskphone creates its A record in, when the stack gives them. */
function readServerName(
    r: ConfigReader,
    p: ConfigPath,
    o: Record<string, unknown>,
    host: DropletHost | ExistingHost,
): Pick<ServerSettings, "domain" | "dnsZone"> {
    const domain = r.string(child(p, "domain"), o.domain, {
        pattern: domainName,
        what: "a DNS name such as pbx.example.com, with no port",
    });
    const zonePath = child(p, "dnsZone");
    const zone = r.string(zonePath, o.dnsZone, {
        pattern: domainName,
        what: "a domain your DigitalOcean account manages, such as example.com",
    });
    const name = { ...(domain && { domain: domain.toLowerCase() }), ...(zone && { dnsZone: zone.toLowerCase() }) };
    if (!zone) return name;
    if (host.kind === "existing") {
        r.problem(
            zonePath,
            "is set, but the server is an existing one (server.existing), not a droplet",
            "deskphone creates the record only for its droplet, at the reserved IP it knows: point server.domain at your server yourself and leave dnsZone out",
        );
    } else if (!name.domain) {
        r.problem(zonePath, "is set but server.domain is not", "give the name the record is for, e.g. pbx.example.com");
    } else if (domainName.test(name.domain) && domainName.test(zone) && !recordNameIn(name.domain, zone)) {
        r.problem(
            zonePath,
            `"${zone}" does not hold server.domain ${name.domain}`,
            "give the domain the name ends in, e.g. example.com for pbx.example.com, or the name itself for its apex record",
        );
    }
    return name;
}

function readHost(r: ConfigReader, p: ConfigPath, o: Record<string, unknown>): DropletHost | ExistingHost {
    if (o.droplet !== undefined && o.existing !== undefined)
        r.problem(p, "has both droplet and existing", "pick one: a new droplet or a host you already have");
    if (o.existing !== undefined) {
        const ep = child(p, "existing");
        const e = r.object(ep, o.existing, ["host", "port", "user", "privateKey"]) ?? {};
        return {
            kind: "existing",
            host: r.string(child(ep, "host"), e.host, {
                required: true,
                pattern: hostName,
                what: "the server's address or host name",
            }),
            port: r.integer(child(ep, "port"), e.port, defaults.sshPort, { min: 1, max: 65535 }),
            user:
                r.string(child(ep, "user"), e.user, { pattern: /^[a-z_][a-z0-9_-]*$/, what: "a user name" }) ??
                defaults.sshUser,
            privateKey: r.secret(child(ep, "privateKey"), e.privateKey, {
                generated: false,
                what: "the SSH private key deskphone logs in with",
                value: '"$(cat ~/.ssh/id_ed25519)"',
            }) ?? {
                path: child(ep, "privateKey"),
            },
        };
    }
    const dp = child(p, "droplet");
    const d = r.object(dp, o.droplet, ["region", "size", "volumeGb", "sshPublicKey", "adminNetworks"]) ?? {};
    return {
        kind: "droplet",
        region:
            r.string(child(dp, "region"), d.region, {
                pattern: /^[a-z]{3}\d$/,
                what: "a DigitalOcean region slug such as nyc3",
            }) ?? defaults.dropletRegion,
        size:
            r.string(child(dp, "size"), d.size, {
                pattern: /^[a-z0-9-]+$/,
                what: "a droplet size slug such as s-1vcpu-512mb-10gb",
            }) ?? defaults.dropletSize,
        volumeGb: r.integer(child(dp, "volumeGb"), d.volumeGb, defaults.voicemailVolumeGb, { min: 1, max: 1000 }),
        sshPublicKey: r.string(child(dp, "sshPublicKey"), d.sshPublicKey, {
            required: true,
            pattern: /^(ssh-(ed25519|rsa)|ecdsa-sha2-nistp\d+) [A-Za-z0-9+/=]+( .*)?$/,
            what: "an OpenSSH public key such as ssh-ed25519 AAAA… you@laptop",
        }),
        adminNetworks:
            d.adminNetworks === undefined
                ? [defaults.anywhere]
                : readAddresses(r, child(dp, "adminNetworks"), d.adminNetworks),
    };
}

function readUsage(r: ConfigReader, raw: unknown): Usage {
    const p = path("usage");
    const o = r.object(p, raw, ["inboundMinutes", "outboundMinutes"]) ?? {};
    return {
        inboundMinutes: r.integer(child(p, "inboundMinutes"), o.inboundMinutes, defaults.usageMinutes, {
            min: 0,
            max: 1_000_000,
        }),
        outboundMinutes: r.integer(child(p, "outboundMinutes"), o.outboundMinutes, defaults.usageMinutes, {
            min: 0,
            max: 1_000_000,
        }),
    };
}
