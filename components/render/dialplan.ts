import { countries } from "../office/countries";
import { DialingPlan } from "../office/data/dialingPlans";
import { Office, Phone, PhoneNumber } from "../office/types";

/** E.164 without the "+": the form numbers take inside the dialplan. */
export function digitsOf(e164: string): string {
    return e164.replace(/^\+/, "");
}

/** One `exten =>` line family: a pattern (or exact extension) and what it does. */
export interface DialRule {
    /** Extension as written after `exten =>`, e.g. `_NXXNXXXXXX` or `911`. */
    exten: string;
    /** Comment shown above the rule in extensions.conf. */
    comment: string;
}

export interface NumberView {
    e164: string;
    digits: string;
    /** Other forms a provider may send the same DID in (NANP 10 digits). */
    aliases: string[];
    context: string;
    /** Dial string ringing every phone the number rings, e.g. `PJSIP/desk&PJSIP/den`. */
    dialTargets: string;
    ringSeconds: number;
    /** Mailbox id (the number's digits) or undefined when voicemail is off. */
    mailbox?: string;
}

export interface OutboundRule extends DialRule {
    /** Where the call goes: on to `routes`, to one of the office's own numbers, or refused. */
    kind: "route" | "refuse" | "internal";
    /** For internal: the number's context; for refuse: the reason; for route: "routes". */
    target: string;
}

export interface RouteRule extends DialRule {
    /** The trunk's dial context. */
    target: string;
    /** The number handed to the trunk context, after a route's strip/prepend. */
    number: string;
}

export interface NormalizeRule extends DialRule {
    /** Dialplan expression of the E.164 digits, e.g. `1${EXTEN}` or `${EXTEN:1}`. */
    e164: string;
}

export function trunkContext(trunkName: string): string {
    return `trunk-${trunkName}`;
}

export function numberContext(number: PhoneNumber): string {
    return `number-${digitsOf(number.e164)}`;
}

export function planFor(office: Office): DialingPlan {
    return countries[office.office.country].dialing;
}

export function numberViews(office: Office): NumberView[] {
    return office.numbers.map((number) => {
        const digits = digitsOf(number.e164);
        const view: NumberView = {
            e164: number.e164,
            digits,
            aliases: digits.length === 11 && digits.startsWith("1") ? [digits.slice(1)] : [],
            context: numberContext(number),
            dialTargets: number.rings.map((name) => `PJSIP/${name}`).join("&"),
            ringSeconds: number.ringSeconds,
        };
        if (number.mailbox) view.mailbox = digits;
        return view;
    });
}

/** Numbers as people dial them, turned into E.164 digits for the `outbound` context. */
export function normalizeRules(office: Office): NormalizeRule[] {
    const plan = planFor(office);
    return [
        { exten: "_+X.", e164: "${EXTEN:1}", comment: "E.164 with a plus: drop the plus" },
        {
            exten: `_${plan.internationalPrefix}X.`,
            e164: `\${EXTEN:${plan.internationalPrefix.length}}`,
            comment: `international prefix ${plan.internationalPrefix}: the rest is E.164`,
        },
        ...plan.nationalForms.map((form) => ({
            exten: `_${form.pattern}`,
            e164: `${form.prepend}\${EXTEN${form.strip ? `:${form.strip}` : ""}}`,
            comment: form.strip || form.prepend
                ? `national number: ${form.strip ? `drop ${form.strip} digit${form.strip > 1 ? "s" : ""}, ` : ""}${form.prepend ? `put ${form.prepend} in front` : ""}`.replace(/, $/, "")
                : "national number, already E.164 digits",
        })),
    ];
}

/**
 * Which E.164 numbers a phone may call. Asterisk picks the most specific pattern, so premium and
 * foreign ranges win over the national pattern that also matches them. Allowed numbers continue to
 * `routes`, which only picks a trunk: a prefix route can never open a refused range.
 */
export function outboundRules(office: Office): OutboundRule[] {
    const plan = planFor(office);
    const allowed = new Set(office.routes.allow);
    const toRoutes = { kind: "route" as const, target: "routes" };
    const classify = (exten: string, comment: string, allow: boolean, reason: string): OutboundRule =>
        allow ? { exten, comment, ...toRoutes } : { exten, comment: `${comment}: refused unless deskphone:routes.allow lists "${reason}"`, kind: "refuse", target: reason };
    return [
        ...office.numbers.map((number) => ({
            exten: digitsOf(number.e164),
            comment: `the office's own number ${number.e164}: rung here, never sent out and back`,
            kind: "internal" as const,
            target: numberContext(number),
        })),
        ...plan.national.map((n) => ({ exten: `_${n.pattern}`, comment: "national numbers", ...toRoutes })),
        ...plan.premium.map((p) => classify(`_${p.pattern}`, "premium-rate numbers", allowed.has("premium"), "premium")),
        ...plan.foreign.map((p) => classify(`_${p.pattern}`, "dialed like national numbers, billed as international", allowed.has("international"), "international")),
        classify("_X.", "every other country", allowed.has("international"), "international"),
    ];
}

/** Which trunk an allowed number goes out through: prefix routes first, then the default trunk. */
export function routeRules(office: Office): RouteRule[] {
    return [
        ...office.routes.prefixes.map((route) => ({
            exten: `_${route.pattern}`,
            comment: `${route.pattern} through ${route.trunk}${route.strip ? `, dropping ${route.strip} digits` : ""}${route.prepend ? `, adding ${route.prepend} in front` : ""}`,
            target: trunkContext(route.trunk),
            number: `${route.prepend}\${EXTEN${route.strip ? `:${route.strip}` : ""}}`,
        })),
        { exten: "_X.", comment: `everything else through ${office.routes.defaultTrunk}`, target: trunkContext(office.routes.defaultTrunk), number: "${EXTEN}" },
    ];
}

/** Phones ring each other by extension; an unanswered call goes to the phone's own mailbox. */
export function extensionRules(office: Office): { extension: string; phone: Phone; mailbox?: string }[] {
    return office.phones.map((phone) => {
        const number = office.numbers.find((n) => n.e164 === phone.callerId);
        return number?.mailbox
            ? { extension: phone.extension, phone, mailbox: digitsOf(number.e164) }
            : { extension: phone.extension, phone };
    });
}
