import { dropletMonthly, providerPrices, volumeMonthlyPerGb } from "./office/data/prices";
import { numberLabel } from "./office/numbers";
import { Office } from "./office/types";

export interface CostLine {
    item: string;
    usd: number;
    source: string;
}

export interface CostEstimate {
    lines: CostLine[];
    totalUsd: number;
    /** What the estimate leaves out. */
    notes: string[];
}

const cents = (usd: number) => Math.round(usd * 100) / 100;

/** An itemised monthly estimate from the stack's settings, usage and the price data file. */
export function estimateMonthlyCost(office: Office): CostEstimate {
    const lines: CostLine[] = [];
    const notes: string[] = [];
    const host = office.server.host;
    if (host.kind === "droplet") {
        const droplet = dropletMonthly[host.size];
        if (droplet) lines.push({ item: `droplet ${host.size}`, usd: droplet.usd, source: droplet.source });
        else notes.push(`no price on file for droplet size ${host.size}`);
        lines.push({ item: `voicemail volume ${host.volumeGb} GB`, usd: cents(host.volumeGb * volumeMonthlyPerGb.usd), source: volumeMonthlyPerGb.source });
    } else {
        notes.push("the existing server's own cost is not included");
    }
    const trunkKind = (name: string) => office.trunks.find((t) => t.name === name)?.kind;
    for (const number of office.numbers) {
        const kind = trunkKind(number.trunk);
        if (kind !== "twilio" && kind !== "flowroute") {
            notes.push(`${numberLabel(number)}: priced by your ITSP (${number.trunk})`);
            continue;
        }
        const prices = providerPrices[kind];
        lines.push({ item: `number ${numberLabel(number)} (${kind})`, usd: prices.numberMonthly.usd, source: prices.numberMonthly.source });
        if (prices.emergencyMonthly && office.routes.emergencyTrunk === number.trunk) {
            lines.push({ item: `911 for ${numberLabel(number)}`, usd: prices.emergencyMonthly.usd, source: prices.emergencyMonthly.source });
        }
    }
    const firstNumberKind = office.numbers.map((n) => trunkKind(n.trunk)).find((k) => k === "twilio" || k === "flowroute");
    if (firstNumberKind === "twilio" || firstNumberKind === "flowroute") {
        const price = providerPrices[firstNumberKind].inboundPerMinute;
        lines.push({ item: `${office.usage.inboundMinutes} inbound minutes`, usd: cents(office.usage.inboundMinutes * price.usd), source: price.source });
    }
    const outboundKind = trunkKind(office.routes.defaultTrunk);
    if (outboundKind === "twilio" || outboundKind === "flowroute") {
        const price = providerPrices[outboundKind].outboundPerMinute;
        lines.push({ item: `${office.usage.outboundMinutes} outbound minutes (${outboundKind})`, usd: cents(office.usage.outboundMinutes * price.usd), source: price.source });
    } else {
        notes.push(`outbound minutes are priced by your ITSP (${office.routes.defaultTrunk})`);
    }
    return { lines, totalUsd: cents(lines.reduce((sum, line) => sum + line.usd, 0)), notes };
}
