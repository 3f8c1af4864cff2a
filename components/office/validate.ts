import {
    child,
    closest,
    ConfigPath,
    ConfigReader,
    describe,
    encryptedPlaceholder,
    namespace,
    pendingInput,
    PlainTextCheck,
} from "./configReader";
import { countries, CountryCode, countryCodes, isCountryCode } from "./countries";
import { countryPresets } from "./data/countryPresets";
import { DialingPlan } from "./data/dialingPlans";
import { checkSipUserLength, digits, e164, endpointName, hostName, ipv4, readAddresses } from "./formats";
import { spa3102Parameter, suggestSpa3102Parameters } from "../spa3102/parameters";
import * as defaults from "../defaults";
import { OfficeConfigError } from "./errors";
import { checkE911Address, checkNumberAcquisition, E911Address } from "../providers/numberSettings";
import { kindOf, trunkKinds } from "../trunks";
import type { TrunkModule } from "../trunks/trunkModule";
import {
    DestinationClass,
    DropletHost,
    ExistingHost,
    Landline,
    MailRelay,
    NumberPurchase,
    Office,
    OfficeSettings,
    Phone,
    PhoneKind,
    PhoneNumber,
    PrefixRoute,
    Routes,
    ServerSettings,
    Spa3102,
    Trunk,
    TrunkKind,
    Usage,
} from "./types";

/** The office config as it comes from the stack: `deskphone:<key>` values, parsed from YAML/JSON. */
export type RawOfficeConfig = Record<string, unknown>;

const topLevelKeys = ["office", "mail", "phones", "numbers", "trunks", "routes", "server", "spa3102", "usage"] as const;
const phoneKinds: readonly PhoneKind[] = ["sip-phone", "softphone", "spa3102-line"];
const trunkKindNames = Object.keys(trunkKinds) as TrunkKind[];
const destinationClasses: readonly DestinationClass[] = ["international", "premium"];

const nanpE164 = /^\+1[2-9]\d{2}[2-9]\d{6}$/;
const numberName = /^[A-Za-z0-9][A-Za-z0-9_-]{0,23}$/;
const extensionDigits = /^[0-9]{2,6}$/;
const emailAddress = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;
const dialPattern = /^[0-9XNZ[\]\-.!]+$/;

const path = (key: string): ConfigPath => `${namespace}:${key}`;

const e911Keys = [
    "label",
    "firstName",
    "lastName",
    "streetNumber",
    "streetName",
    "city",
    "state",
    "zip",
    "country",
    "addressType",
    "addressTypeNumber",
];

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
    const address = r.object(addressPath, o?.emergencyAddress, e911Keys);
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
    const o = r.object(p, raw, ["name", "extension", "kind", "secret", "callerId", "maxOutboundCalls"]) ?? {};
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
    return {
        name,
        extension: r.string(child(p, "extension"), o.extension, {
            required: true,
            pattern: extensionDigits,
            what: "an extension of 2 to 6 digits",
        }),
        kind: r.oneOf(child(p, "kind"), o.kind, phoneKinds, "sip-phone"),
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

function readNumber(
    r: ConfigReader,
    p: ConfigPath,
    raw: unknown,
    phones: Phone[],
    trunks: Trunk[],
    officeCountry: string,
): PhoneNumber {
    const o =
        r.object(p, raw, [
            "name",
            "renamedFrom",
            "e164",
            "buy",
            "trunk",
            "rings",
            "ringSeconds",
            "mailbox",
            "greeting",
            "mailboxPin",
            "email",
            "acquire",
            "sid",
            "releaseOnDelete",
            "e911",
        ]) ?? {};
    const acquire = r.oneOf(
        child(p, "acquire"),
        o.acquire,
        ["adopt", "buy", "manual"] as const,
        o.buy !== undefined ? "buy" : "adopt",
    );
    let number = "";
    let buy: NumberPurchase | undefined;
    if (acquire === "buy") {
        if (o.e164 !== undefined)
            r.problem(
                child(p, "e164"),
                "is set, but this number is to be bought",
                "remove e164 to buy a number, or remove buy/acquire to use the number you have",
            );
        if (o.sid !== undefined)
            r.problem(
                child(p, "sid"),
                "is set, but this number is to be bought",
                "a sid adopts a Twilio number you have: remove buy/acquire",
            );
        buy = readPurchase(r, child(p, "buy"), o.buy, officeCountry);
    } else {
        if (o.buy !== undefined)
            r.problem(
                child(p, "buy"),
                `is set, but acquire is "${acquire}"`,
                "remove acquire (buy implies it), or remove buy",
            );
        if (o.e164 === undefined)
            r.problem(
                child(p, "e164"),
                "is required: the number's E.164, e.g. +13235550100",
                'or buy: { areaCode: "323" } to have deskphone buy one',
            );
        else number = r.string(child(p, "e164"), o.e164, { required: true, pattern: e164, what: "an E.164 number" });
        if (number.startsWith("+1") && e164.test(number) && !nanpE164.test(number)) {
            r.problem(
                child(p, "e164"),
                `"${number}" is not a North American number`,
                "area code and exchange start with 2-9: +1 NXX NXX XXXX",
            );
        }
    }
    const name =
        r.string(child(p, "name"), o.name, {
            pattern: numberName,
            what: "a number name (letters, digits, - and _, at most 24)",
        }) ?? (buy ? "" : number.replace(/^\+/, ""));
    if (buy && !name)
        r.problem(
            child(p, "name"),
            "is required for a number to buy",
            "e.g. name: main; phones give it as their callerId",
        );
    const ringsPath = child(p, "rings");
    const rings =
        o.rings === undefined
            ? phones
                  .filter((phone) => phone.callerId && (phone.callerId === number || phone.callerId === name))
                  .map((phone) => phone.name)
            : r
                  .array(ringsPath, o.rings)
                  .map((phoneName, i) => r.string(child(ringsPath, i), phoneName, { required: true }));
    if (rings.length === 0 && o.rings === undefined && name) {
        r.problem(
            ringsPath,
            `no phone rings for ${number || name}`,
            `list phone names in rings, or give a phone callerId: ${buy ? name : number}`,
        );
    }
    const trunk = r.string(child(p, "trunk"), o.trunk) ?? (trunks.length === 1 ? trunks[0].name : "");
    if (!trunk && trunks.length > 1)
        r.problem(
            child(p, "trunk"),
            "is required when the office has several trunks",
            `one of: ${trunks.map((t) => t.name).join(", ")}`,
        );
    const result: PhoneNumber = {
        name,
        e164: number,
        trunk,
        rings,
        ringSeconds: r.integer(child(p, "ringSeconds"), o.ringSeconds, defaults.ringSeconds, { min: 1, max: 300 }),
        mailbox: r.boolean(child(p, "mailbox"), o.mailbox, true),
        greeting: readGreeting(r, child(p, "greeting"), o.greeting),
        mailboxPin: r.secret(child(p, "mailboxPin"), o.mailboxPin, {
            generated: true,
            what: "the voicemail PIN",
            form: "pin",
        })!,
        acquire,
        releaseOnDelete: r.boolean(child(p, "releaseOnDelete"), o.releaseOnDelete, false),
    };
    if (buy) result.buy = buy;
    const renamedFrom = r.string(child(p, "renamedFrom"), o.renamedFrom, {
        pattern: numberName,
        what: "the number's former name",
    });
    if (renamedFrom) result.renamedFrom = renamedFrom;
    const sid = r.string(child(p, "sid"), o.sid, {
        pattern: /^PN[0-9a-f]{32}$/,
        what: "a Twilio number SID (PN followed by 32 hex digits)",
    });
    if (sid && !buy) result.sid = sid;
    const e911 = o.e911 === false ? undefined : r.object(child(p, "e911"), o.e911, e911Keys);
    if (e911) result.e911 = e911 as unknown as E911Address;
    const pin = result.mailboxPin.value;
    if (pin !== undefined && pin !== encryptedPlaceholder && pin !== pendingInput && !/^\d{4,10}$/.test(pin)) {
        r.problem(child(p, "mailboxPin"), "is not 4 to 10 digits", "a voicemail PIN is typed on a phone keypad");
    }
    const email = r.string(child(p, "email"), o.email, { pattern: emailAddress, what: "an email address" });
    if (email) result.email = email;
    return result;
}

/** A sound as Playback names it: a stock prompt, a path under the sounds directory, or an absolute path; never dialplan syntax. */
function readGreeting(r: ConfigReader, p: ConfigPath, raw: unknown): string {
    const greeting = r.string(p, raw);
    if (greeting === undefined) return defaults.greeting;
    if (/\.(wav|gsm|ulaw|alaw|sln\d*|g722|mp3)$/i.test(greeting)) {
        r.problem(
            p,
            `"${greeting}" names a file with its extension`,
            `leave it out ("${greeting.replace(/\.[^.]+$/, "")}"): Asterisk picks the format`,
        );
    } else if (!/^\/?[\w-]+(\/[\w-]+)*$/.test(greeting)) {
        r.problem(
            p,
            `${JSON.stringify(greeting)} is not a sound name`,
            'a stock prompt ("vm-nobodyavail"), a file under the sounds directory ("custom/main-greeting") or an absolute path without extension',
        );
    }
    return greeting;
}

function readPurchase(r: ConfigReader, p: ConfigPath, raw: unknown, officeCountry: string): NumberPurchase {
    const o = r.object(p, raw, ["country", "areaCode", "contains", "numberType", "addressSid", "bundleSid"]) ?? {};
    const country = (
        r.string(child(p, "country"), o.country, {
            pattern: /^[A-Za-z]{2}$/,
            what: 'an ISO country code such as "US"',
        }) ?? officeCountry
    ).toUpperCase();
    const purchase: NumberPurchase = {
        country,
        numberType: r.oneOf(child(p, "numberType"), o.numberType, ["local", "tollFree", "mobile"] as const, "local"),
    };
    const areaCode = r.string(child(p, "areaCode"), o.areaCode, {
        pattern: /^\d{1,5}$/,
        what: 'an area code (digits only, e.g. "323")',
    });
    if (areaCode) {
        if ((country === "US" || country === "CA") && !/^[2-9]\d{2}$/.test(areaCode)) {
            r.problem(
                child(p, "areaCode"),
                `"${areaCode}" is not a North American area code`,
                'three digits, the first 2 to 9, e.g. "323"',
            );
        }
        purchase.areaCode = areaCode;
    }
    const contains = r.string(child(p, "contains"), o.contains);
    if (contains) purchase.contains = contains;
    const addressSid = r.string(child(p, "addressSid"), o.addressSid, {
        pattern: /^AD[0-9a-fA-F]{32}$/,
        what: "a Twilio Address SID (AD followed by 32 hex digits)",
    });
    if (addressSid) purchase.addressSid = addressSid;
    const bundleSid = r.string(child(p, "bundleSid"), o.bundleSid, {
        pattern: /^BU[0-9a-fA-F]{32}$/,
        what: "a Twilio regulatory Bundle SID (BU followed by 32 hex digits)",
    });
    if (bundleSid) purchase.bundleSid = bundleSid;
    return purchase;
}

/** Each phone's callerId names one of the office's numbers, by name or E.164: the phone calls out as it. */
function linkPhonesToNumbers(r: ConfigReader, phones: Phone[], numbers: PhoneNumber[]): void {
    phones.forEach((phone, i) => {
        const given = phone.callerId;
        if (!given) return;
        const number = numbers.find((n) => (n.e164 && n.e164 === given) || n.name === given);
        if (number) {
            phone.number = number.name;
            phone.callerId = number.e164;
            return;
        }
        const named = (n: PhoneNumber) => n.e164 && n.name !== n.e164.slice(1);
        const choices = numbers.map((n) => (named(n) ? `${n.name} (${n.e164})` : n.e164 || n.name)).filter(Boolean);
        const guess = closest(
            given,
            numbers.flatMap((n) => [n.e164, named(n) || !n.e164 ? n.name : ""]).filter(Boolean),
        );
        r.problem(
            child(child(path("phones"), i), "callerId"),
            /^\+?[\d\s().-]+$/.test(given) && !e164.test(given)
                ? `"${given}" is not an E.164 number or a number's name`
                : `"${given}" is not one of the office's numbers`,
            guess
                ? `did you mean "${guess}"?`
                : `providers refuse a caller ID the office does not own; use one of the office's numbers (${choices.join(", ") || "none listed"}), by E.164 or name`,
        );
    });
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
            "bindAddress",
            "sipPort",
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
    return server;
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

function readSpa3102(r: ConfigReader, raw: unknown): Spa3102 | undefined {
    const p = path("spa3102");
    const o = r.object(p, raw, ["linePhone", "landline", "country", "settings"]);
    if (!o) return undefined;
    const adapter: Spa3102 = {
        linePhone: r.string(child(p, "linePhone"), o.linePhone, {
            required: true,
            what: "the phone on the adapter's FXS port",
        }),
        settings: readSettings(child(p, "settings"), o.settings),
    };
    const country = r.string(child(p, "country"), o.country)?.toUpperCase();
    if (country && isCountryCode(country)) adapter.country = country;
    else if (country)
        r.problem(
            child(p, "country"),
            `"${country}" has no SPA3102 preset`,
            `use one of: ${Object.keys(countryPresets).join(", ")}`,
        );
    const lp = child(p, "landline");
    const l = r.object(lp, o.landline, ["name", "secret", "rings", "ringSeconds", "answerDelay", "dialOutPrefix"]);
    if (l) {
        const landline: Landline = {
            name:
                r.string(child(lp, "name"), l.name, { pattern: endpointName, what: "a SIP user name" }) ??
                defaults.landlineName,
            secret: r.secret(child(lp, "secret"), l.secret, { generated: true, what: "" })!,
            rings: r
                .array(child(lp, "rings"), l.rings)
                .map((name, i) => r.string(child(child(lp, "rings"), i), name, { required: true })),
            ringSeconds: r.integer(child(lp, "ringSeconds"), l.ringSeconds, defaults.ringSeconds, { min: 1, max: 300 }),
            answerDelay: r.integer(child(lp, "answerDelay"), l.answerDelay, defaults.landlineAnswerDelay, {
                min: 0,
                max: 255,
            }),
        };
        if (landline.rings.length === 0) r.problem(child(lp, "rings"), "is required: the phone(s) landline calls ring");
        const dialOutPrefix = r.string(child(lp, "dialOutPrefix"), l.dialOutPrefix, {
            pattern: /^[0-9*#]{1,3}$/,
            what: "1 to 3 digits, e.g. 9",
        });
        if (dialOutPrefix) landline.dialOutPrefix = dialOutPrefix;
        adapter.landline = landline;
    }
    return adapter;

    /** Adapter settings by flat-profile parameter name; only those deskphone knows, and never a password. */
    function readSettings(p: ConfigPath, raw: unknown): Record<string, string> {
        const settings: Record<string, string> = {};
        const given = raw !== null && typeof raw === "object" && !Array.isArray(raw) ? Object.keys(raw) : [];
        const o = r.object(p, raw, given);
        for (const [name, value] of Object.entries(o ?? {})) {
            const known = spa3102Parameter(name);
            const at = child(p, name);
            if (!known) {
                const guesses = suggestSpa3102Parameters(name).map((g) => `"${g}"`);
                r.problem(
                    at,
                    `unknown SPA3102 setting "${name}"`,
                    guesses.length
                        ? `did you mean ${guesses.join(" or ")}?`
                        : "use a name from the Parameter column of the adapter's settings sheet",
                );
            } else if (known.secret) {
                r.problem(
                    at,
                    `${name} is a password deskphone takes from the stack's secrets`,
                    "set the phone's or the landline's secret instead",
                );
            } else if (typeof value === "boolean") {
                settings[name] = value ? "yes" : "no";
            } else if (typeof value === "string" || (typeof value === "number" && Number.isFinite(value))) {
                settings[name] = String(value);
            } else {
                r.problem(
                    at,
                    `expected the adapter's value as text, got ${describe(value)}`,
                    `e.g. ${name}: "…" as the adapter's web page shows it`,
                );
            }
        }
        return settings;
    }
}

/** Phones, trunks and the landline share one SIP endpoint namespace; extensions share the dialplan. */
function checkNames(r: ConfigReader, office: Office): void {
    const endpoints = new Map<string, ConfigPath>();
    const claim = (name: string, at: ConfigPath) => {
        if (!name) return;
        const earlier = endpoints.get(name.toLowerCase());
        if (earlier)
            r.problem(
                at,
                `name "${name}" is already used by ${earlier}`,
                "phone, trunk and landline names must all differ",
            );
        else endpoints.set(name.toLowerCase(), at);
    };
    office.phones.forEach((phone, i) => claim(phone.name, child(child(path("phones"), i), "name")));
    office.trunks.forEach((trunk, i) => claim(trunk.name, child(child(path("trunks"), i), "name")));
    for (const kind of trunkKindNames) {
        const ofKind = office.trunks.flatMap((trunk, index) => (trunk.kind === kind ? [{ trunk, index }] : []));
        (trunkKinds[kind] as TrunkModule<Trunk>).checkTrunks?.(r, ofKind, office.trunks);
    }
    if (office.spa3102?.landline) claim(office.spa3102.landline.name, `${path("spa3102")}.landline.name`);

    const plan = isCountryCode(office.office.country) ? countries[office.office.country].dialing : undefined;
    const reserved = new Map<string, string>([["1", "opens your mailbox"]]);
    plan?.emergencyNumbers.forEach((n) => reserved.set(n, "is an emergency number"));
    const extensions = new Map<string, ConfigPath>();
    office.phones.forEach((phone, i) => {
        const at = child(child(path("phones"), i), "extension");
        const earlier = extensions.get(phone.extension);
        if (earlier)
            r.problem(
                at,
                `extension ${phone.extension} is already used by ${earlier}`,
                "give each phone its own extension",
            );
        else extensions.set(phone.extension, at);
        const why = reserved.get(phone.extension);
        if (why) r.problem(at, `extension ${phone.extension} ${why}`, "pick another extension");
        const prefix = office.spa3102?.landline?.dialOutPrefix;
        if (prefix && phone.extension.startsWith(prefix))
            r.problem(
                at,
                `extension ${phone.extension} starts with the landline dial-out prefix ${prefix}`,
                "pick another extension or prefix",
            );
    });

    const seen = new Map<string, ConfigPath>();
    const names = new Map<string, ConfigPath>();
    office.numbers.forEach((number, i) => {
        const at = child(path("numbers"), i);
        const earlier = number.e164 ? seen.get(number.e164) : undefined;
        if (earlier) r.problem(child(at, "e164"), `${number.e164} is already listed at ${earlier}`);
        else if (number.e164) seen.set(number.e164, child(at, "e164"));
        const sameName = names.get(number.name);
        if (sameName && number.name && !earlier)
            r.problem(
                child(at, "name"),
                `name "${number.name}" is already used by ${sameName}`,
                "give each number its own name",
            );
        else names.set(number.name, at);
    });
    office.numbers.forEach((number, i) => {
        const holder = number.renamedFrom ? office.numbers.findIndex((n) => n.name === number.renamedFrom) : -1;
        if (holder >= 0) {
            r.problem(
                child(child(path("numbers"), i), "renamedFrom"),
                `"${number.renamedFrom}" is the name of numbers[${holder}]`,
                "remove renamedFrom once the renamed number is up, before giving its old name to another number",
            );
        }
    });
}

function checkReferences(r: ConfigReader, office: Office): void {
    const phoneNames = new Set(office.phones.map((p) => p.name));
    const trunkNames = new Set(office.trunks.map((t) => t.name));
    const trunkList = [...trunkNames].join(", ") || "(none defined)";
    const phoneList = [...phoneNames].join(", ") || "(none defined)";
    const missingTrunk = (at: ConfigPath, name: string) => {
        if (name && !trunkNames.has(name)) r.problem(at, `no trunk is named "${name}"`, `trunks: ${trunkList}`);
    };
    const missingPhone = (at: ConfigPath, name: string) => {
        if (name && !phoneNames.has(name)) r.problem(at, `no phone is named "${name}"`, `phones: ${phoneList}`);
    };

    if (office.trunks.length === 0)
        r.problem(path("trunks"), "is required: at least one trunk to reach the phone network");
    if (office.phones.length === 0) r.problem(path("phones"), "is required: at least one phone");
    office.numbers.forEach((number, i) => {
        const at = child(path("numbers"), i);
        missingTrunk(child(at, "trunk"), number.trunk);
        checkAcquisition(r, at, number, office);
        number.rings.forEach((name, j) => missingPhone(child(child(at, "rings"), j), name));
        if (number.email && !office.mail)
            r.problem(
                child(at, "email"),
                "voicemail email needs a mail relay",
                "add deskphone:mail with host and port",
            );
    });
    const routes = path("routes");
    missingTrunk(child(routes, "defaultTrunk"), office.routes.defaultTrunk);
    if (office.routes.emergencyTrunk !== office.spa3102?.landline?.name)
        missingTrunk(child(routes, "emergencyTrunk"), office.routes.emergencyTrunk);
    office.routes.prefixes.forEach((route, i) =>
        missingTrunk(child(child(child(routes, "prefixes"), i), "trunk"), route.trunk),
    );

    const adapter = office.spa3102;
    if (adapter) {
        const at = path("spa3102");
        const line = office.phones.find((p) => p.name === adapter.linePhone);
        missingPhone(child(at, "linePhone"), adapter.linePhone);
        if (line && line.kind !== "spa3102-line")
            r.problem(child(at, "linePhone"), `phone "${line.name}" is a ${line.kind}`, "set its kind to spa3102-line");
        adapter.landline?.rings.forEach((name, j) => missingPhone(`${at}.landline.rings[${j}]`, name));
    }
    office.phones.forEach((phone, i) => {
        if (phone.kind === "spa3102-line" && adapter?.linePhone !== phone.name) {
            r.problem(
                child(child(path("phones"), i), "kind"),
                `phone "${phone.name}" is an spa3102-line but deskphone:spa3102.linePhone is not "${phone.name}"`,
                "add deskphone:spa3102 with linePhone",
            );
        }
    });
}

/** How a number is got must suit its trunk's provider: deskphone buys and points numbers at Twilio and Flowroute only. */
function checkAcquisition(r: ConfigReader, at: ConfigPath, number: PhoneNumber, office: Office): void {
    const trunk = office.trunks.find((t) => t.name === number.trunk);
    if (!trunk) return;
    const provider = kindOf(trunk).numbers;
    if (!provider) {
        if (number.acquire === "buy")
            r.problem(
                child(at, "buy"),
                `trunk "${trunk.name}" is a ${trunk.kind} ITSP: deskphone buys numbers at Twilio or Flowroute only`,
                "get the number from your ITSP and give its e164",
            );
        if (number.e911)
            r.problem(
                child(at, "e911"),
                "deskphone registers emergency addresses with Flowroute only",
                `register it with your ITSP (${trunk.name})`,
            );
        return;
    }
    if (number.acquire === "adopt" && !e164.test(number.e164)) return;
    if (number.acquire === "manual") {
        if (number.e911)
            r.problem(
                child(at, "e911"),
                "is set, but acquire is manual: deskphone does not touch this number",
                "register the address at your provider, or remove acquire",
            );
        return;
    }
    provider.checkNumber?.(r, at, number);
    const purchaseFields = ["country", "areaCode", "contains", "numberType"];
    const problems = checkNumberAcquisition(
        {
            provider: provider.name,
            mode: number.acquire,
            ...(number.buy
                ? { ...number.buy, numberType: number.buy.numberType }
                : {
                      e164: number.e164,
                      sid: number.sid,
                      country: number.e164.startsWith("+1") ? "US" : office.office.country,
                  }),
            releaseOnDelete: number.releaseOnDelete,
            e911: number.e911,
        },
        at,
        (field) => (number.buy && purchaseFields.includes(field) ? `${at}.buy.${field}` : `${at}.${field}`),
    );
    for (const problem of problems) r.problem(problem.path, problem.message, problem.hint);
}

/**
 * 911 calls go out with the calling phone's number. Each Flowroute number they go out with gets an
 * emergency address registered (its own, else the office's), so that responders are sent to the
 * office; one without either is a mistake, unless the stack says the address is registered by hand.
 */
function registerEmergencyAddresses(
    r: ConfigReader,
    office: Office,
    registeredElsewhere: (numberIndex: number) => boolean,
): void {
    const address = office.office.emergencyAddress;
    const emergencyTrunk = office.trunks.find((t) => t.name === office.routes.emergencyTrunk);
    const provider = emergencyTrunk && kindOf(emergencyTrunk).numbers;
    const carries911 = (n: PhoneNumber) =>
        !!provider?.registersEmergencyAddresses && n.trunk === emergencyTrunk!.name && n.acquire !== "manual";
    if (emergencyTrunk) provider?.checkEmergencyNumbers?.(r, office, emergencyTrunk, registeredElsewhere);
    office.numbers.forEach((number, i) => {
        if (number.e911 || registeredElsewhere(i) || !carries911(number)) return;
        if (address) number.e911 = address;
        else if (office.phones.some((p) => p.number === number.name)) {
            r.problem(
                child(child(path("numbers"), i), "e911"),
                `911 calls go out through Flowroute with ${number.e164 || number.name}, but no emergency address is registered for it: responders would not know where to go`,
                `give the office's street address in ${path("office")}.emergencyAddress (firstName, lastName, streetNumber, streetName, city, state, zip, country), ` +
                    "or this number's own e911; write e911: false if you registered it in the Flowroute console",
            );
        }
    });
    // Only once every trunk named resolves: a missing trunk is the mistake to report, not this.
    const landline = office.spa3102?.landline?.name;
    const resolved =
        (emergencyTrunk || office.routes.emergencyTrunk === landline) &&
        office.numbers.every((n) => office.trunks.some((t) => t.name === n.trunk));
    if (address && resolved && !office.numbers.some((n) => n.e911)) {
        const registrar =
            provider?.emergencyRegistration ??
            (emergencyTrunk ? `your provider (${emergencyTrunk.name})` : "your provider");
        r.problem(
            `${path("office")}.emergencyAddress`,
            "is set, but no number registers it: deskphone registers emergency addresses for the Flowroute numbers that 911 calls go out with",
            `register it with ${registrar}, and remove it here`,
        );
    }
}

/** Phones dial the landline prefix before a number, so it must not be how any number starts. */
function checkDialOutPrefix(r: ConfigReader, prefix: string, plan: DialingPlan): void {
    const starts = [plan.internationalPrefix, ...plan.nationalForms.map((f) => f.pattern)].flatMap((p) => [
        ...firstDigits(p),
    ]);
    if (starts.includes(prefix[0])) {
        r.problem(
            `${path("spa3102")}.landline.dialOutPrefix`,
            `"${prefix}" clashes with dialing national numbers (they can start with ${prefix[0]})`,
            "start it with * or #, e.g. *9",
        );
    }
}

/** The digits an Asterisk pattern's first position matches. */
export function firstDigits(pattern: string): Set<string> {
    const all = "0123456789";
    const first = pattern[0];
    const range = (from: string, to: string) => all.slice(all.indexOf(from), all.indexOf(to) + 1);
    if (first === "X") return new Set(all);
    if (first === "Z") return new Set(range("1", "9"));
    if (first === "N") return new Set(range("2", "9"));
    if (first === "[") {
        const body = pattern.slice(1, pattern.indexOf("]"));
        return new Set(body.replace(/(\d)-(\d)/g, (_, a: string, b: string) => range(a, b)));
    }
    return new Set(first);
}

/** Routes only pick a trunk for allowed numbers: a route abroad is dead unless international calls are allowed. */
function checkRoutesAgainstPlan(r: ConfigReader, routes: Routes, callingCode: string): void {
    routes.prefixes.forEach((route, i) => {
        const lead = route.pattern.match(/^\d*/)![0];
        if (!routes.allow.includes("international") && !lead.startsWith(callingCode) && !callingCode.startsWith(lead)) {
            r.problem(
                child(child(path("routes"), "prefixes"), i),
                `${route.pattern} only matches numbers outside country code +${callingCode}, which are refused`,
                'route E.164 digits of your own country, or add "international" to deskphone:routes.allow',
            );
        }
    });
}
