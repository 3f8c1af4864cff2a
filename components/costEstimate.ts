import { dropletMonthly, NumberPrices, Price, pricesReviewed, volumeMonthlyPerGb } from "./office/data/prices";
import { numberLabel } from "./office/numbers";
import { Office, PhoneNumber, TrunkKind } from "./office/types";
import { kindOf } from "./trunks";

export interface CostLine {
    item: string;
    usd: number;
    source: string;
    /** When the price's source was read. */
    asOf: string;
    /** Where to read today's price, for an old one. */
    checkAt?: string;
}

export interface CostEstimate {
    lines: CostLine[];
    totalUsd: number;
    /** The oldest date among the prices used: the estimate is no newer than this. */
    pricesAsOf: string;
    /** What the estimate leaves out, and each old price with where to check it. */
    notes: string[];
}

const cents = (usd: number) => Math.round(usd * 100) / 100;

/** A cost line's amount with its price's source and date. */
const priced = (usd: number, price: Price) => ({
    usd,
    source: price.source,
    asOf: price.asOf,
    ...(price.checkAt ? { checkAt: price.checkAt } : {}),
});

/** A price read more than two years before the prices were reviewed. */
export const isOldPrice = (asOf: string) => Number(asOf.slice(0, 4)) < Number(pricesReviewed.slice(0, 4)) - 2;

/** One note per old price used: what it prices, how old it is, and where to check it. */
function oldPriceNotes(lines: CostLine[]): string[] {
    const seen = new Set<string>();
    const notes: string[] = [];
    for (const line of lines.filter((l) => isOldPrice(l.asOf))) {
        if (seen.has(line.source)) continue;
        seen.add(line.source);
        notes.push(
            `the price for ${line.item} is from ${line.asOf}, not confirmed since: check ${line.checkAt ?? line.source}`,
        );
    }
    return notes;
}

/** An itemised monthly estimate from the stack's settings, usage and the price data file. */
export function estimateMonthlyCost(office: Office): CostEstimate {
    const estimate: Estimate = { lines: [], notes: [] };
    addServer(estimate, office.server.host);
    const tariff = tariffs(office);
    for (const number of office.numbers) addNumber(estimate, office, number, tariff(number.trunk));
    addMinutes(estimate, office, tariff);
    const { lines, notes } = estimate;
    const pricesAsOf = lines.map((line) => line.asOf).sort()[0] ?? "";
    return {
        lines,
        totalUsd: cents(lines.reduce((sum, line) => sum + line.usd, 0)),
        pricesAsOf,
        notes: [...notes, ...oldPriceNotes(lines)],
    };
}

/** The lines of an estimate so far, and what it could not price. */
interface Estimate {
    lines: CostLine[];
    notes: string[];
}

type Tariff = { kind: TrunkKind; prices: NumberPrices } | undefined;

/** A trunk's kind and its prices, by trunk name, when deskphone knows them (not an ITSP's). */
function tariffs(office: Office): (trunkName: string) => Tariff {
    return (trunkName) => {
        const trunk = office.trunks.find((t) => t.name === trunkName);
        const prices = trunk && kindOf(trunk).prices;
        return trunk && prices ? { kind: trunk.kind, prices } : undefined;
    };
}

function addServer({ lines, notes }: Estimate, host: Office["server"]["host"]): void {
    if (host.kind !== "droplet") {
        notes.push("the existing server's own cost is not included");
        return;
    }
    const droplet = dropletMonthly[host.size];
    if (droplet) lines.push({ item: `droplet ${host.size}`, ...priced(droplet.usd, droplet) });
    else notes.push(`no price on file for droplet size ${host.size}`);
    lines.push({
        item: `voicemail volume ${host.volumeGb} GB`,
        ...priced(cents(host.volumeGb * volumeMonthlyPerGb.usd), volumeMonthlyPerGb),
    });
}

function addNumber({ lines, notes }: Estimate, office: Office, number: PhoneNumber, provider: Tariff): void {
    if (!provider) {
        notes.push(`${numberLabel(number)}: priced by your ITSP (${number.trunk})`);
        return;
    }
    const { kind, prices } = provider;
    lines.push({
        item: `number ${numberLabel(number)} (${kind})`,
        ...priced(prices.numberMonthly.usd, prices.numberMonthly),
    });
    if (prices.feeMonthly)
        lines.push({
            item: `${kind} fee for ${numberLabel(number)}`,
            ...priced(prices.feeMonthly.usd, prices.feeMonthly),
        });
    if (prices.emergencyMonthly && office.routes.emergencyTrunk === number.trunk) {
        lines.push({
            item: `911 for ${numberLabel(number)}`,
            ...priced(prices.emergencyMonthly.usd, prices.emergencyMonthly),
        });
    }
}

/** Inbound minutes at the first priced number's provider; outbound at the default trunk's. */
function addMinutes({ lines, notes }: Estimate, office: Office, tariff: (trunkName: string) => Tariff): void {
    const inbound = office.numbers.map((n) => tariff(n.trunk)).find((provider) => provider);
    if (inbound) {
        const price = inbound.prices.inboundPerMinute;
        lines.push({
            item: `${office.usage.inboundMinutes} inbound minutes`,
            ...priced(cents(office.usage.inboundMinutes * price.usd), price),
        });
    }
    const outbound = tariff(office.routes.defaultTrunk);
    if (outbound) {
        const price = outbound.prices.outboundPerMinute;
        lines.push({
            item: `${office.usage.outboundMinutes} outbound minutes (${outbound.kind})`,
            ...priced(cents(office.usage.outboundMinutes * price.usd), price),
        });
    } else {
        notes.push(`outbound minutes are priced by your ITSP (${office.routes.defaultTrunk})`);
    }
}
