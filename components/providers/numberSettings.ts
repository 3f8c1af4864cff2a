/**
 * What a stack file says about getting a number, and the small pure rules every number provider shares:
 * the deskphone tag that makes purchases idempotent, E.164 normalization, and checks with config paths.
 *
 * Runs inside serialized dynamic providers too: no module-level imports of runtime code.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { ConfigProblem } from "../office/errors";
import type { RetryPolicy } from "./retry";

export type NumberProviderName = "twilio" | "flowroute";

/** What every number resource (Twilio, Flowroute) takes; each adds its provider's own settings. */
export interface NumberResourceArgs<Credentials> {
    /** Office name; with the stack and `name` it tags a bought number: `deskphone:<stack>:<office>:<name>`. */
    office: pulumi.Input<string>;
    /** Stack name in the tag. Default: the current stack. */
    stack?: pulumi.Input<string>;
    /** The number's name within the office, e.g. "main". Default: the resource name. */
    name?: pulumi.Input<string>;
    /** `buy` a number matching areaCode/contains, or `adopt` one the account already has. */
    mode: pulumi.Input<"buy" | "adopt">;
    /** The number to adopt, E.164. */
    e164?: pulumi.Input<string>;
    /** ISO country to buy in, e.g. "US". Default "US". */
    country?: pulumi.Input<string>;
    /** Area code to buy in, e.g. "323". Default: any. */
    areaCode?: pulumi.Input<string>;
    /** What the bought number must contain (digits; Twilio also letters and `*`). Default: any. */
    contains?: pulumi.Input<string>;
    /** Give the number back to the provider when this resource is deleted or replaced. Default false: kept, detached. */
    releaseOnDelete?: pulumi.Input<boolean>;
    /** The provider's credentials, kept as a Pulumi secret. Default: its usual environment variables (TWILIO_*, FLOWROUTE_*). */
    credentials?: pulumi.Input<Credentials>;
    /** The provider's API base URL. Default: $DESKPHONE_TWILIO_API_URL / $DESKPHONE_FLOWROUTE_API_URL, else the provider's own. */
    apiUrl?: pulumi.Input<string>;
    /** Retry and timeout settings. Default `defaultRetryPolicy`. */
    retry?: Partial<RetryPolicy>;
}

/** A number resource's inputs after `check` filled in defaults, whichever the provider. */
export interface NumberResourceInputs<Credentials> {
    office: string;
    stack: string;
    name: string;
    /** `deskphone:<stack>:<office>:<name>`: how a bought number is named at the provider. */
    tag: string;
    mode: "buy" | "adopt";
    /** Normalized E.164, or "". */
    e164: string;
    country: string;
    areaCode: string;
    contains: string;
    releaseOnDelete: boolean;
    credentials?: Credentials;
    apiUrl?: string;
    retry?: Partial<RetryPolicy>;
}

/** A US or Canadian street address for emergency calls (Flowroute E911). */
export interface E911Address {
    /** Name of the address record at the provider. Default: the number's deskphone tag. */
    label?: string;
    /** Person or business the responders ask for, first name. */
    firstName: string;
    lastName: string;
    /** House number, e.g. "1218". */
    streetNumber: string;
    /** Street, e.g. "3rd Ave". */
    streetName: string;
    city: string;
    /** Two-letter state or province, e.g. "WA". */
    state: string;
    /** ZIP or postal code. */
    zip: string;
    /** "US" or "CA". */
    country: "US" | "CA";
    /** Unit kind, e.g. "Suite" or "Apt". Default none. */
    addressType?: string;
    /** Unit number, e.g. "200". Default none. */
    addressTypeNumber?: string;
}

/** Where a Flowroute number's calls go when the server does not answer. */
export interface FailoverRoute {
    /** Flowroute route type: another host, a SIP URI, or a phone number (11 digits). */
    type: "host" | "uri" | "number";
    /** e.g. "198.51.100.9:5060", "sip:desk@backup.example" or "12065550123". */
    value: string;
}

/** How the stack gets one number: buy one matching a pattern, or adopt one the account already has. */
export interface NumberAcquisition {
    provider: NumberProviderName;
    /** `buy` searches and purchases; `adopt` takes a number already on the account. */
    mode: "buy" | "adopt";
    /** The number (E.164, e.g. "+13235550100"): required to adopt a Flowroute number; Twilio takes it or `sid`. */
    e164?: string;
    /** Twilio IncomingPhoneNumber SID (PN…), another way to adopt a Twilio number. */
    sid?: string;
    /** Area code to buy in, e.g. "323". Default: any. */
    areaCode?: string;
    /** Digits (Twilio also takes letters and `*`) the bought number must contain. Default: any. */
    contains?: string;
    /** ISO 3166-1 alpha-2 country of the number, e.g. "US". Flowroute sells US and CA numbers only. */
    country: string;
    /** Twilio number type to buy. Default "local". */
    numberType?: "local" | "tollFree" | "mobile";
    /** Give the number back to the provider when its resource is deleted or replaced. Default false: kept, detached. */
    releaseOnDelete: boolean;
    /** Emergency address registered with the number (Flowroute only). Default none. */
    e911?: E911Address;
    /** Where calls go when the server does not answer (Flowroute only). Default none. */
    failoverRoute?: FailoverRoute;
}

/** The tag deskphone writes into Twilio FriendlyNames and Flowroute aliases, to find its own things again. */
export function deskphoneTag(stack: string, office: string, name?: string): string {
    return ["deskphone", stack, office, ...(name ? [name] : [])].join(":");
}

/** Twilio limits FriendlyName to 64 characters; Flowroute aliases are kept to the same. */
export const maxTagLength = 64;

/** "+1 (323) 555-0100" → "+13235550100"; undefined for anything that is not a number. */
export function normalizeE164(value: string | undefined): string | undefined {
    if (typeof value !== "string") return undefined;
    const digits = value.replace(/[\s().-]/g, "");
    const match = /^\+?([1-9]\d{6,14})$/.exec(digits);
    return match ? `+${match[1]}` : undefined;
}

/** The 11-digit form Flowroute uses as a number's id: "+12065550100" → "12065550100". */
export function flowrouteNumberId(e164: string): string {
    return (normalizeE164(e164) ?? e164).replace(/^\+/, "");
}

/**
 * Every problem with one number's acquisition, each with its config path: `fieldPath` places a field
 * in the stack (default `<path>.<field>`, e.g. `deskphone:numbers[0].areaCode`).
 */
export function checkNumberAcquisition(
    acquisition: NumberAcquisition,
    path: string,
    fieldPath = (field: string) => `${path}.${field}`,
): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const add: AddProblem = (field, message, hint) =>
        problems.push({ path: fieldPath(field), message, ...(hint ? { hint } : {}) });
    checkAcquisitionFields(acquisition, add);
    checkAdoptOrBuy(acquisition, add);
    if (acquisition.provider === "flowroute") {
        checkFlowrouteAcquisition(acquisition, add);
        if (acquisition.e911) problems.push(...checkE911Address(acquisition.e911, fieldPath("e911")));
        checkFailoverRouteType(acquisition, add);
    } else checkTwilioAcquisition(acquisition, add);
    return problems;
}

/** Adds a problem with one field of an acquisition. */
type AddProblem = (field: string, message: string, hint?: string) => void;

/** The fields whose form is the same whichever the provider and mode. */
function checkAcquisitionFields(a: NumberAcquisition, add: AddProblem): void {
    if (a.provider !== "twilio" && a.provider !== "flowroute")
        add("provider", `unknown number provider "${a.provider}"`, 'use "twilio" or "flowroute"');
    if (a.mode !== "buy" && a.mode !== "adopt") add("mode", `unknown mode "${a.mode}"`, 'use "buy" or "adopt"');
    if (!/^[A-Z]{2}$/.test(a.country ?? ""))
        add("country", `"${a.country}" is not an ISO country code`, 'two capital letters, e.g. "US"');
    if (a.e164 !== undefined && !normalizeE164(a.e164))
        add("e164", `"${a.e164}" is not an E.164 number`, 'e.g. "+13235550100"');
    if (a.provider === "twilio" && a.sid !== undefined && !/^PN[0-9a-fA-F]{32}$/.test(a.sid))
        add(
            "sid",
            `"${a.sid}" is not a Twilio phone number SID`,
            "PN followed by 32 hex digits, from the Twilio console",
        );
    if (a.areaCode !== undefined && !/^\d{2,5}$/.test(a.areaCode))
        add("areaCode", `"${a.areaCode}" is not an area code`, 'digits only, e.g. "323"');
}

/** An adopted number is named by its number (or Twilio SID), a bought one only by areaCode/contains. */
function checkAdoptOrBuy(a: NumberAcquisition, add: AddProblem): void {
    if (a.mode === "adopt") {
        if (a.provider === "flowroute" && !a.e164)
            add("e164", "adopting a Flowroute number needs its number", 'e.g. e164: "+12065550100"');
        if (a.provider === "twilio" && !a.e164 && !a.sid)
            add("e164", "adopting a Twilio number needs its number or SID", 'e.g. e164: "+13235550100"');
        if (a.areaCode !== undefined || a.contains !== undefined)
            add("mode", "areaCode and contains only choose a number to buy", 'remove them, or use mode: "buy"');
    } else if (a.e164 !== undefined || a.sid !== undefined) {
        add(
            "mode",
            "a number to buy is chosen by areaCode/contains, not by e164 or sid",
            'to use a number the account already has, set mode: "adopt"',
        );
    }
}

/** What Flowroute sells and how it searches: US and Canadian local numbers, by digits, adopted by number. */
function checkFlowrouteAcquisition(a: NumberAcquisition, add: AddProblem): void {
    if (a.country !== "US" && a.country !== "CA")
        add(
            "country",
            `Flowroute sells US and Canadian numbers, not ${a.country}`,
            'use "US" or "CA", or a Twilio number',
        );
    if (a.contains !== undefined && !/^\d{1,7}$/.test(a.contains))
        add("contains", `Flowroute searches by digits, not "${a.contains}"`, "digits only, at most 7");
    if (a.sid !== undefined) add("sid", "Flowroute numbers have no SID", "adopt it by e164");
    if (a.numberType !== undefined && a.numberType !== "local")
        add("numberType", "deskphone buys Flowroute local numbers only", "remove numberType");
}

function checkFailoverRouteType(a: NumberAcquisition, add: AddProblem): void {
    if (a.failoverRoute && !["host", "uri", "number"].includes(a.failoverRoute.type))
        add("failoverRoute.type", `unknown route type "${a.failoverRoute.type}"`, 'use "host", "uri" or "number"');
}

/** What Twilio searches by, and the Flowroute-only settings a Twilio number cannot take. */
function checkTwilioAcquisition(a: NumberAcquisition, add: AddProblem): void {
    // Twilio's AvailablePhoneNumbers: a Contains pattern "can be between 2 and 16 characters long".
    if (a.contains !== undefined && !/^[0-9A-Za-z*+]{2,16}$/.test(a.contains))
        add("contains", `"${a.contains}" is not a Twilio number pattern`, "2 to 16 digits, letters and * only");
    if (a.numberType !== undefined && !["local", "tollFree", "mobile"].includes(a.numberType))
        add("numberType", `unknown number type "${a.numberType}"`, 'use "local", "tollFree" or "mobile"');
    if (a.e911)
        add(
            "e911",
            "deskphone registers emergency addresses with Flowroute only",
            "register it in the Twilio console (Emergency Calling for Elastic SIP Trunking)",
        );
    if (a.failoverRoute)
        add(
            "failoverRoute",
            "failover routes are a Flowroute setting",
            "set the trunk's disaster recovery URL in the Twilio console instead",
        );
}

/** One line of an emergency address, as a person reads it: "Ada Lovelace, 1218 3rd Ave Suite 200, Seattle WA 98101, US". */
export function describeE911Address(a: E911Address): string {
    const unit = [a.addressType, a.addressTypeNumber].filter(Boolean).join(" ");
    return `${a.firstName} ${a.lastName}, ${a.streetNumber} ${a.streetName}${unit ? ` ${unit}` : ""}, ${a.city} ${a.state} ${a.zip}, ${a.country}`;
}

export function checkE911Address(address: E911Address, path: string): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    for (const field of ["firstName", "lastName", "streetNumber", "streetName", "city", "zip"] as const) {
        if (typeof address[field] !== "string" || address[field].trim() === "")
            problems.push({ path: `${path}.${field}`, message: "is required for an emergency address" });
    }
    if (!/^[A-Z]{2}$/.test(address.state ?? ""))
        problems.push({
            path: `${path}.state`,
            message: `"${address.state}" is not a state or province`,
            hint: 'two capital letters, e.g. "WA"',
        });
    if (address.country !== "US" && address.country !== "CA")
        problems.push({
            path: `${path}.country`,
            message: `"${address.country}" is not served`,
            hint: 'use "US" or "CA"',
        });
    return problems;
}

/**
 * Whether a number fits what a stack asks to buy: the area code right after the country code, and
 * the `contains` pattern (digits; Twilio's letters as keypad digits, `*` as any digit) anywhere.
 */
export function numberMatches(e164: string, criteria: { areaCode?: string; contains?: string }): boolean {
    const digits = e164.replace(/\D/g, "");
    const areaCode = criteria.areaCode;
    if (areaCode && ![1, 2, 3].some((k) => digits.slice(k).startsWith(areaCode))) return false;
    if (criteria.contains) {
        const keys = ["", "", "abc", "def", "ghi", "jkl", "mno", "pqrs", "tuv", "wxyz"];
        const pattern = criteria.contains
            .toLowerCase()
            .replace(/^\+/, "")
            .replace(/[a-z]/g, (letter) => String(keys.findIndex((k) => k.includes(letter))))
            .replace(/\*/g, "\\d");
        if (!new RegExp(pattern).test(digits)) return false;
    }
    return true;
}
