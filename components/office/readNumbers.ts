/** The office's numbers as the stack gives them: how each is got, who it rings, its mailbox. */
import {
    child,
    closest,
    ConfigPath,
    ConfigReader,
    encryptedPlaceholder,
    pendingInput,
    settingPath,
} from "./configReader";
import { e164, emailAddress, nanpE164, numberName } from "./formats";
import * as defaults from "../defaults";
import { E911Address } from "../providers/numberSettings";
import { NumberPurchase, Phone, PhoneNumber, Trunk } from "./types";

/** The fields of an emergency address, as Flowroute's E911 API takes them. */
export const e911AddressKeys = [
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

const numberKeys = [
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
];

type RawSettings = Record<string, unknown>;

export function readNumber(
    r: ConfigReader,
    p: ConfigPath,
    raw: unknown,
    phones: Phone[],
    trunks: Trunk[],
    officeCountry: string,
): PhoneNumber {
    const o = r.object(p, raw, numberKeys) ?? {};
    const { acquire, number, buy } = readAcquisition(r, p, o, officeCountry);
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
    const rings = readRings(r, p, o, phones, { number, name, buy });
    const trunk = readNumberTrunk(r, p, o, trunks);
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
    readOptionalNumberSettings(r, p, o, result);
    return result;
}

/** Whether the number is adopted (its E.164 given), bought (what to buy) or left to the user. */
function readAcquisition(r: ConfigReader, p: ConfigPath, o: RawSettings, officeCountry: string) {
    const acquire = r.oneOf(
        child(p, "acquire"),
        o.acquire,
        ["adopt", "buy", "manual"] as const,
        o.buy !== undefined ? "buy" : "adopt",
    );
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
        return { acquire, number: "", buy: readPurchase(r, child(p, "buy"), o.buy, officeCountry) };
    }
    if (o.buy !== undefined)
        r.problem(
            child(p, "buy"),
            `is set, but acquire is "${acquire}"`,
            "remove acquire (buy implies it), or remove buy",
        );
    return { acquire, number: readGivenE164(r, p, o), buy: undefined };
}

function readGivenE164(r: ConfigReader, p: ConfigPath, o: RawSettings): string {
    if (o.e164 === undefined) {
        r.problem(
            child(p, "e164"),
            "is required: the number's E.164, e.g. +13235550100",
            'or buy: { areaCode: "323" } to have deskphone buy one',
        );
        return "";
    }
    const number = r.string(child(p, "e164"), o.e164, { required: true, pattern: e164, what: "an E.164 number" });
    if (number.startsWith("+1") && e164.test(number) && !nanpE164.test(number)) {
        r.problem(
            child(p, "e164"),
            `"${number}" is not a North American number`,
            "area code and exchange start with 2-9: +1 NXX NXX XXXX",
        );
    }
    return number;
}

/** The phones a number rings: those listed, else those that call out as it. */
function readRings(
    r: ConfigReader,
    p: ConfigPath,
    o: RawSettings,
    phones: Phone[],
    { number, name, buy }: { number: string; name: string; buy?: NumberPurchase },
): string[] {
    const ringsPath = child(p, "rings");
    if (o.rings !== undefined)
        return r
            .array(ringsPath, o.rings)
            .map((phoneName, i) => r.string(child(ringsPath, i), phoneName, { required: true }));
    const rings = phones
        .filter((phone) => phone.callerId && (phone.callerId === number || phone.callerId === name))
        .map((phone) => phone.name);
    if (rings.length === 0 && name) {
        r.problem(
            ringsPath,
            `no phone rings for ${number || name}`,
            `list phone names in rings, or give a phone callerId: ${buy ? name : number}`,
        );
    }
    return rings;
}

function readNumberTrunk(r: ConfigReader, p: ConfigPath, o: RawSettings, trunks: Trunk[]): string {
    const trunk = r.string(child(p, "trunk"), o.trunk) ?? (trunks.length === 1 ? trunks[0].name : "");
    if (!trunk && trunks.length > 1)
        r.problem(
            child(p, "trunk"),
            "is required when the office has several trunks",
            `one of: ${trunks.map((t) => t.name).join(", ")}`,
        );
    return trunk;
}

/** The former name, Twilio SID, emergency address and email a number may have, and a check of its PIN. */
function readOptionalNumberSettings(r: ConfigReader, p: ConfigPath, o: RawSettings, result: PhoneNumber): void {
    const renamedFrom = r.string(child(p, "renamedFrom"), o.renamedFrom, {
        pattern: numberName,
        what: "the number's former name",
    });
    if (renamedFrom) result.renamedFrom = renamedFrom;
    const sid = r.string(child(p, "sid"), o.sid, {
        pattern: /^PN[0-9a-f]{32}$/,
        what: "a Twilio number SID (PN followed by 32 hex digits)",
    });
    if (sid && !result.buy) result.sid = sid;
    const e911 = o.e911 === false ? undefined : r.object(child(p, "e911"), o.e911, e911AddressKeys);
    if (e911) result.e911 = e911 as unknown as E911Address;
    const pin = result.mailboxPin.value;
    if (pin !== undefined && pin !== encryptedPlaceholder && pin !== pendingInput && !/^\d{4,10}$/.test(pin)) {
        r.problem(child(p, "mailboxPin"), "is not 4 to 10 digits", "a voicemail PIN is typed on a phone keypad");
    }
    const email = r.string(child(p, "email"), o.email, { pattern: emailAddress, what: "an email address" });
    if (email) result.email = email;
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
export function linkPhonesToNumbers(r: ConfigReader, phones: Phone[], numbers: PhoneNumber[]): void {
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
            child(child(settingPath("phones"), i), "callerId"),
            /^\+?[\d\s().-]+$/.test(given) && !e164.test(given)
                ? `"${given}" is not an E.164 number or a number's name`
                : `"${given}" is not one of the office's numbers`,
            guess
                ? `did you mean "${guess}"?`
                : `providers refuse a caller ID the office does not own; use one of the office's numbers (${choices.join(", ") || "none listed"}), by E.164 or name`,
        );
    });
}
