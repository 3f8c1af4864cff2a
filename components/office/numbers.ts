/**
 * A number to buy has no E.164 until its provider sells it, yet the dialplan, mailboxes and caller
 * IDs are written with it. The office model therefore names every number, and these functions fill
 * in the E.164s once they are known: the bought ones (from the number resources' outputs), or
 * stand-ins for rendering before anything is bought.
 */
import { normalizeE164 } from "../providers/numberSettings";
import { countries, isCountryCode } from "./countries";
import { Office, PhoneNumber } from "./types";

/** The office's numbers deskphone still has to buy (no E.164 yet). */
export function numbersToBuy(office: Office): PhoneNumber[] {
    return office.numbers.filter((n) => !n.e164);
}

/**
 * The office with the E.164 of each bought number (by number name) filled in, and the caller ID of
 * every phone that calls out as one.
 */
export function withNumbers(office: Office, bought: Record<string, string>): Office {
    const numbers = office.numbers.map((n) => {
        if (n.e164) return n;
        const e164 = normalizeE164(bought[n.name]);
        if (!e164)
            throw new Error(
                `number "${n.name}" has no E.164 yet (got ${JSON.stringify(bought[n.name])}): it must be bought before the office is rendered`,
            );
        return { ...n, e164 };
    });
    const phones = office.phones.map((p) => ({
        ...p,
        callerId: numbers.find((n) => n.name === p.number)?.e164 ?? p.callerId,
    }));
    return { ...office, numbers, phones };
}

/**
 * Stand-in E.164s for the numbers still to buy, so an office renders before `pulumi up` buys them:
 * numbers in the fictional 555-01xx range (+1 323 555 0101 for area code 323; `firstLine` 101), or
 * the country's calling code and area code followed by 5550 1xx elsewhere.
 */
export function standInNumbers(office: Office, firstLine = 101): Record<string, string> {
    return Object.fromEntries(
        numbersToBuy(office).map((n, i) => {
            const country = n.buy?.country ?? office.office.country;
            const serial = String(firstLine + i).padStart(3, "0");
            const callingCode = isCountryCode(country) ? countries[country].dialing.callingCode : "1";
            const e164 =
                callingCode === "1"
                    ? `+1${n.buy?.areaCode ?? "555"}5550${serial}`
                    : `+${callingCode}${n.buy?.areaCode ?? ""}5550${serial}`;
            return [n.name, e164];
        }),
    );
}

/** How a person knows the number: its E.164, or what is to be bought. */
export function numberLabel(n: PhoneNumber): string {
    if (n.e164) return n.e164;
    const where = [n.buy?.areaCode && `area code ${n.buy.areaCode}`, n.buy?.contains && `containing ${n.buy.contains}`]
        .filter(Boolean)
        .join(", ");
    return `"${n.name}" (to buy${where ? `: ${where}` : ""})`;
}

/** Throws unless every number has its E.164: rendering needs them all. */
export function requireNumbers(office: Office): void {
    const missing = numbersToBuy(office).map((n) => n.name);
    if (missing.length)
        throw new Error(
            `numbers ${missing.join(", ")} have no E.164 yet: render withNumbers(office, bought) once they are bought`,
        );
}
