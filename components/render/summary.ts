import { Office, Phone } from "../office/types";
import { portOf, tlsTrunks } from "../office/transports";
import { describeE911Address } from "../providers/numberSettings";
import { emergencyFallback, outboundRules } from "./dialplan";
import { RenderedFile } from "./render";

/** One screen telling a person what the rendered office does. */
export function officeSummary(office: Office, files: RenderedFile[], notes: string[] = []): string {
    const o = office.office;
    const lines = [`${o.name} — ${o.country}, ${o.timezone}`, ""];
    lines.push("Numbers");
    for (const n of office.numbers) {
        const voicemail = n.mailbox ? `then voicemail${n.email ? ` emailed to ${n.email}` : ""}` : "no voicemail";
        lines.push(`  ${n.e164} on ${n.trunk}: rings ${n.rings.join(", ")} for ${n.ringSeconds} s, ${voicemail}`);
        if (n.e911) lines.push(`    911 sends responders to ${describeE911Address(n.e911)}`);
    }
    lines.push("Phones (SIP user = name)");
    for (const p of office.phones) {
        lines.push(
            `  ${p.extension}  ${p.name.padEnd(12)} ${p.kind.padEnd(13)} ${transportOf(office, p).padEnd(15)} caller ID ${p.callerId}, password ${p.secret.value ? "from the stack" : "generated"}`,
        );
    }
    const landline = office.spa3102?.landline;
    if (landline) {
        lines.push(
            `  SPA3102 landline registers as "${landline.name}": rings ${landline.rings.join(", ")}${landline.dialOutPrefix ? `; dial ${landline.dialOutPrefix} + number to call out on it` : ""}`,
        );
    }
    lines.push("Trunks");
    for (const t of office.trunks)
        lines.push(`  ${t.name}: ${t.kind}${tlsTrunks(office).includes(t) ? ", TLS + SRTP" : ""}`);
    const fallback = emergencyFallback(office);
    const emergency = `${office.routes.emergencyTrunk}${fallback ? `, or ${fallback} when ${office.routes.emergencyTrunk} is unreachable` : `; an announcement when it is unreachable`}`;
    const refused = outboundRules(office)
        .filter((r) => r.kind === "refuse")
        .map((r) => r.target);
    lines.push(
        "Outbound",
        `  default ${office.routes.defaultTrunk}; emergency via ${emergency}` +
            office.routes.prefixes.map((r) => `; ${r.pattern} via ${r.trunk}`).join(""),
        `  refused: ${[...new Set(refused)].join(", ") || "nothing"}; at most ${office.routes.maxOutboundCalls} calls out at once`,
        ...serverLines(office),
        "Files",
        ...files.map(
            (f) =>
                `  ${f.path.padEnd(38)} ${String(f.text.split("\n").length).padStart(4)} lines${f.secret ? "  (secret)" : ""}`,
        ),
    );
    if (notes.length) lines.push("", ...notes);
    return lines.join("\n");
}

/** How a phone reaches the server, as the summary shows it: "TLS 5061, SRTP" or "UDP 5060". */
function transportOf(office: Office, phone: Phone): string {
    const port = portOf(office.server, phone);
    return phone.transport === "tls" ? `TLS ${port}, SRTP` : `UDP ${port}`;
}

/** The server's DNS name, when it has one: its certificate, and whose its A record is. */
function serverLines(office: Office): string[] {
    const { domain, dnsZone } = office.server;
    if (!domain) return [];
    const record = dnsZone
        ? `its A record is deskphone's, in the DigitalOcean domain ${dnsZone}, at the reserved IP`
        : "its A record is yours to point at the server";
    return ["Server", `  ${domain}: a Let's Encrypt certificate; ${record}`];
}
