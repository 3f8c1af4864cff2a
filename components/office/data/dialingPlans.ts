/**
 * How people dial in each country deskphone supports, and which destinations cost extra.
 * Patterns are Asterisk dial patterns without the leading "_" (N = 2-9, X = 0-9, Z = 1-9, "." = one or more).
 * Numbers are classified after they become E.164 digits (no "+"), so one rule set serves every way of dialing.
 * Calling codes and international prefixes are google/libphonenumber's, resources/PhoneNumberMetadata.xml
 * @ f7e3e88c92b905c8d6edb81f336dbe25edc05b52 (territory countryCode, preferredInternationalPrefix or internationalPrefix).
 */

import type { CountryCode } from "../countries";

/** A way of dialing a national number and how it becomes E.164 digits: drop `strip` digits, put `prepend` in front. */
export interface NationalForm {
    pattern: string;
    strip: number;
    prepend: string;
    source: string;
}

export interface DialingPlan {
    callingCode: string;
    /** What people dial before a foreign number, e.g. "011" (NANP) or "00". */
    internationalPrefix: string;
    nationalForms: NationalForm[];
    /** E.164-digit patterns of the country's own ordinary numbers: always allowed. */
    national: { pattern: string; source: string }[];
    /** E.164-digit patterns of premium-rate numbers: refused unless the stack allows "premium". */
    premium: { pattern: string; source: string }[];
    /** E.164-digit patterns that look national but are billed as international (NANP's Caribbean area codes). */
    foreign: { pattern: string; source: string }[];
    emergencyNumbers: string[];
    emergencySource: string;
}

const nanpa =
    "NANPA, 'Area codes by geographic region' (nationalnanpa.com), North American Numbering Plan format NXX-NXX-XXXX";

/** NANP area codes outside the US and Canada: dialed like national numbers, billed like international ones. */
const caribbeanAreaCodes = [
    "242",
    "246",
    "264",
    "268",
    "284",
    "345",
    "441",
    "473",
    "649",
    "658",
    "664",
    "721",
    "758",
    "767",
    "784",
    "809",
    "829",
    "849",
    "868",
    "869",
    "876",
];

function nanpPlan(emergencySource: string): DialingPlan {
    return {
        callingCode: "1", // libphonenumber US and CA countryCode
        internationalPrefix: "011", // libphonenumber US and CA internationalPrefix
        nationalForms: [
            { pattern: "NXXNXXXXXX", strip: 0, prepend: "1", source: `${nanpa}: 10-digit dialing` },
            { pattern: "1NXXNXXXXXX", strip: 0, prepend: "", source: `${nanpa}: 1 + 10 digits` },
        ],
        national: [{ pattern: "1NXXNXXXXXX", source: nanpa }],
        premium: [
            { pattern: "1900NXXXXXX", source: "FCC 47 CFR 64.1501: 900 pay-per-call service" },
            { pattern: "1976NXXXXXX", source: "DEVELOPERS.md/issue 7: 1976 treated as premium" },
            { pattern: "1NXX976XXXX", source: "FCC: 976 exchanges carry pay-per-call (audiotext) services" },
        ],
        foreign: caribbeanAreaCodes.map((code) => ({
            pattern: `1${code}NXXXXXX`,
            source: `${nanpa}: area code ${code} is outside the US and Canada (toll-fraud target, international rates)`,
        })),
        emergencyNumbers: ["911"],
        emergencySource,
    };
}

export const dialingPlans: Record<CountryCode, DialingPlan> = {
    US: nanpPlan("FCC: 911 is the US emergency number"),
    CA: nanpPlan("CRTC: 911 is Canada's emergency number"),
    UY: {
        callingCode: "598", // libphonenumber territory UY countryCode
        internationalPrefix: "00", // libphonenumber UY preferredInternationalPrefix (pattern 0(?:0|1[3-9]\d) also allows carrier codes)
        nationalForms: [
            {
                pattern: "[24]XXXXXXX",
                strip: 0,
                prepend: "598",
                source: "URSEC Plan Nacional de Numeración: 8-digit fixed numbers starting 2 (Montevideo) or 4",
            },
            {
                pattern: "09XXXXXXX",
                strip: 1,
                prepend: "598",
                source: "URSEC Plan Nacional de Numeración: mobiles 09X XXX XXX, E.164 +598 9X XXX XXX",
            },
        ],
        national: [
            { pattern: "598[24]XXXXXXX", source: "ITU-T E.164 national numbering plan for Uruguay (URSEC)" },
            { pattern: "5989XXXXXXX", source: "ITU-T E.164 national numbering plan for Uruguay (URSEC)" },
        ],
        premium: [{ pattern: "598900X.", source: "URSEC: 0900 numbers are premium-rate services" }],
        foreign: [],
        emergencyNumbers: ["911"],
        emergencySource: "Uruguay's Sistema de Emergencias 911 (Ministerio del Interior)",
    },
    GB: {
        callingCode: "44", // libphonenumber GB countryCode
        internationalPrefix: "00", // libphonenumber GB internationalPrefix
        nationalForms: [
            {
                pattern: "0ZXXXXXXXXX",
                strip: 1,
                prepend: "44",
                source: "Ofcom National Telephone Numbering Plan: 0 + 10 digits",
            },
        ],
        national: [
            { pattern: "44[1237]XXXXXXXXX", source: "Ofcom National Telephone Numbering Plan: 01, 02, 03, 07 ranges" },
        ],
        premium: [
            { pattern: "449XXXXXXXXX", source: "Ofcom: 09 premium-rate services" },
            { pattern: "4487[0-3]XXXXXXX", source: "Ofcom: 0870-0873 revenue-sharing numbers" },
        ],
        foreign: [],
        emergencyNumbers: ["999", "112"],
        emergencySource: "Ofcom General Condition A3: 999 and 112",
    },
    DE: {
        callingCode: "49", // libphonenumber DE countryCode
        internationalPrefix: "00", // libphonenumber DE internationalPrefix
        nationalForms: [
            {
                pattern: "0ZXXXXX.",
                strip: 1,
                prepend: "49",
                source: "Bundesnetzagentur Nummernplan: 0 + area code + subscriber number",
            },
        ],
        national: [
            {
                pattern: "49[1-8]XXXXX.",
                source: "Bundesnetzagentur Nummernplan: geographic (2-9) and mobile (15-17) ranges",
            },
        ],
        premium: [
            { pattern: "49900X.", source: "Bundesnetzagentur: (0)900 Premium-Dienste" },
            { pattern: "49137X.", source: "Bundesnetzagentur: (0)137 Massenverkehrsdienste" },
        ],
        foreign: [],
        emergencyNumbers: ["112", "110"],
        emergencySource: "Bundesnetzagentur: 112 (fire/ambulance) and 110 (police)",
    },
    ES: {
        callingCode: "34", // libphonenumber ES countryCode
        internationalPrefix: "00", // libphonenumber ES internationalPrefix
        nationalForms: [
            {
                pattern: "[6789]XXXXXXXX",
                strip: 0,
                prepend: "34",
                source: "CNMC Plan nacional de numeración telefónica: 9 digits, no trunk prefix",
            },
        ],
        national: [{ pattern: "34[6789]XXXXXXXX", source: "CNMC Plan nacional de numeración telefónica" }],
        premium: [
            { pattern: "3480[3-7]XXXXXX", source: "CNMC: 803-807 tarificación adicional" },
            { pattern: "34905XXXXXX", source: "CNMC: 905 tarificación adicional (televoting)" },
        ],
        foreign: [],
        emergencyNumbers: ["112"],
        emergencySource: "Real Decreto 903/1997: 112",
    },
    AR: {
        callingCode: "54", // libphonenumber AR countryCode
        internationalPrefix: "00", // libphonenumber AR internationalPrefix
        nationalForms: [
            {
                pattern: "0ZXXXXXXXXX",
                strip: 1,
                prepend: "54",
                source: "ENACOM Plan Fundamental de Numeración: 0 + 10 digits",
            },
        ],
        national: [
            { pattern: "54ZXXXXXXXXX", source: "ENACOM Plan Fundamental de Numeración: 10-digit national numbers" },
        ],
        premium: [{ pattern: "54600X.", source: "ENACOM: 0600 servicios de tarifa especial" }],
        foreign: [],
        emergencyNumbers: ["911"],
        emergencySource: "ENACOM: 911 emergency number",
    },
    BR: {
        callingCode: "55", // libphonenumber BR countryCode
        internationalPrefix: "00", // libphonenumber BR internationalPrefix is 00(?:1[245]|2[1-35]|31|4[13]|[56]5|99): "00" must be followed by a 2-digit carrier code.
        nationalForms: [
            {
                pattern: "ZZXXXXXXXX",
                strip: 0,
                prepend: "55",
                source: "Anatel: area code (2 digits) + 8-digit fixed number",
            },
            { pattern: "ZZ9XXXXXXXX", strip: 0, prepend: "55", source: "Anatel: area code + 9-digit mobile number" },
        ],
        national: [
            { pattern: "55ZZXXXXXXXX", source: "Anatel Plano de Numeração" },
            { pattern: "55ZZ9XXXXXXXX", source: "Anatel Plano de Numeração" },
        ],
        premium: [{ pattern: "55900X.", source: "Anatel: 0900 serviços de valor adicionado" }],
        foreign: [],
        emergencyNumbers: ["190", "192", "193"],
        emergencySource: "Anatel: 190 police, 192 ambulance (SAMU), 193 fire",
    },
    MX: {
        callingCode: "52", // libphonenumber MX countryCode
        internationalPrefix: "00", // libphonenumber MX preferredInternationalPrefix (pattern 0[09])
        nationalForms: [
            {
                pattern: "ZXXXXXXXXX",
                strip: 0,
                prepend: "52",
                source: "IFT Plan Técnico Fundamental de Numeración (2019): 10-digit dialing",
            },
        ],
        national: [{ pattern: "52ZXXXXXXXXX", source: "IFT Plan Técnico Fundamental de Numeración" }],
        premium: [{ pattern: "52900XXXXXXX", source: "IFT: 900 servicios con tarifa especial" }],
        foreign: [],
        emergencyNumbers: ["911"],
        emergencySource: "IFT: 911 emergency number",
    },
};
