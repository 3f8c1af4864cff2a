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
    /** What the caller hears before the beep (a sound name). */
    greeting: string;
}

/** Seconds an extension rings before its phone's mailbox answers: the numbers' default ring time. */
export const extensionRingSeconds = 20;

/** Where a phone's unanswered calls leave a message: the mailbox of the number it shows as caller ID. */
export interface Voicemail {
    mailbox: string;
    greeting: string;
}

export function voicemailOfPhone(office: Office, phoneName: string): Voicemail | undefined {
    const phone = office.phones.find((p) => p.name === phoneName);
    const number = phone && office.numbers.find((n) => n.e164 === phone.callerId);
    return number?.mailbox ? { mailbox: digitsOf(number.e164), greeting: number.greeting } : undefined;
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

/** Where emergency calls go when their route cannot be reached: the default trunk, unless it is that route. */
export function emergencyFallback(office: Office): string | undefined {
    const { emergencyTrunk, defaultTrunk } = office.routes;
    return defaultTrunk !== emergencyTrunk ? defaultTrunk : undefined;
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
            greeting: number.greeting,
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
            comment:
                form.strip || form.prepend
                    ? `national number: ${form.strip ? `drop ${form.strip} digit${form.strip > 1 ? "s" : ""}, ` : ""}${form.prepend ? `put ${form.prepend} in front` : ""}`.replace(
                          /, $/,
                          "",
                      )
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
    const classify = (exten: string, what: string, reason: "premium" | "international"): OutboundRule =>
        allowed.has(reason)
            ? { exten, comment: `${what}: allowed by deskphone:routes.allow`, ...toRoutes }
            : {
                  exten,
                  comment: `${what}: refused unless deskphone:routes.allow lists "${reason}"`,
                  kind: "refuse",
                  target: reason,
              };
    const international = "Other countries, and area codes dialed like national numbers but billed as international";
    return [
        ...office.numbers.map((number) => ({
            exten: digitsOf(number.e164),
            comment: "The office's own numbers: rung here, never sent out and back",
            kind: "internal" as const,
            target: numberContext(number),
        })),
        ...plan.national.map((n) => ({ exten: `_${n.pattern}`, comment: "National numbers", ...toRoutes })),
        ...plan.premium.map((p) => classify(`_${p.pattern}`, "Premium-rate numbers", "premium")),
        ...plan.foreign.map((p) => classify(`_${p.pattern}`, international, "international")),
        classify("_X.", international, "international"),
    ];
}

/** Rules that share a comment, in order: the comment is written once, as the heading of its rules. */
export interface RuleGroup<R extends DialRule> {
    heading: string;
    rules: R[];
}

export function groupedByComment<R extends DialRule>(rules: R[]): RuleGroup<R>[] {
    const groups: RuleGroup<R>[] = [];
    for (const rule of rules) {
        const last = groups[groups.length - 1];
        if (last?.heading === rule.comment) last.rules.push(rule);
        else groups.push({ heading: rule.comment, rules: [rule] });
    }
    return groups;
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
        {
            exten: "_X.",
            comment: `everything else through ${office.routes.defaultTrunk}`,
            target: trunkContext(office.routes.defaultTrunk),
            number: "${EXTEN}",
        },
    ];
}

/** Phones ring each other by extension; an unanswered call goes to the phone's own mailbox. */
export function extensionRules(
    office: Office,
): { extension: string; phone: Phone; ringSeconds: number; voicemail?: Voicemail }[] {
    return office.phones.map((phone) => ({
        extension: phone.extension,
        phone,
        ringSeconds: extensionRingSeconds,
        voicemail: voicemailOfPhone(office, phone.name),
    }));
}
