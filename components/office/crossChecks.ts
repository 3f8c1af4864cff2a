/** Checks across the office's settings: names and extensions that must differ, references that must resolve. */
import { child, ConfigPath, ConfigReader, settingPath as path } from "./configReader";
import { countries, isCountryCode } from "./countries";
import { DialingPlan } from "./data/dialingPlans";
import { e164, hostOf } from "./formats";
import { checkNumberAcquisition } from "../providers/numberSettings";
import { kindOf, trunkKindNames, trunkKinds } from "../trunks";
import type { TrunkModule } from "../trunks/trunkModule";
import { plainSipFromEverywhere } from "./sipSources";
import { hasUdpPhones } from "./transports";
import { Office, PhoneNumber, Routes, Trunk } from "./types";

/** Phones, trunks and the landline share one SIP endpoint namespace; extensions share the dialplan. */
export function checkNames(r: ConfigReader, office: Office): void {
    checkEndpointNames(r, office);
    checkExtensions(r, office);
    checkNumberNames(r, office);
}

function checkEndpointNames(r: ConfigReader, office: Office): void {
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
        (trunkKinds[kind] as TrunkModule<Trunk>).checkTrunks?.(r, ofKind, office.trunks, office.server);
    }
    if (office.spa3102?.landline) claim(office.spa3102.landline.name, `${path("spa3102")}.landline.name`);
}

/** A trunk known by name only calls in through the firewalls only while plain SIP is open to every address. */
export function checkTrunksCanCallIn(r: ConfigReader, office: Office): void {
    if (plainSipFromEverywhere(office)) return;
    const why = hasUdpPhones(office) ? "server.phoneNetworks is narrowed" : "every phone uses TLS";
    office.trunks.forEach((trunk, i) => {
        if (trunk.kind !== "registration" || kindOf(trunk).signallingSources(trunk).length > 0) return;
        const registrar = hostOf(trunk.server);
        r.problem(
            child(child(path("trunks"), i), "inboundAddresses"),
            `is needed: the registrar ${registrar} is a name, and the firewalls let plain SIP in only from the trunks' addresses (${why})`,
            `list the addresses ${registrar} sends calls from, as the ITSP publishes them, or give the server by address`,
        );
    });
}

/** Each phone its own extension, none that the dialplan keeps for the mailbox, emergencies or the landline. */
function checkExtensions(r: ConfigReader, office: Office): void {
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
}

/** Each number listed once, by its own name; a former name is not reused while the rename is under way. */
function checkNumberNames(r: ConfigReader, office: Office): void {
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

export function checkReferences(r: ConfigReader, office: Office): void {
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
export function registerEmergencyAddresses(
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
export function checkDialOutPrefix(r: ConfigReader, prefix: string, plan: DialingPlan): void {
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
export function checkRoutesAgainstPlan(r: ConfigReader, routes: Routes, callingCode: string): void {
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
