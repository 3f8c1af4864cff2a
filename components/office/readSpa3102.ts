/** The SPA3102 adapter as the stack gives it: the phone on its FXS port, the landline on its FXO port, its settings. */
import { child, ConfigPath, ConfigReader, describe, settingPath } from "./configReader";
import { isCountryCode } from "./countries";
import { countryPresets } from "./data/countryPresets";
import { endpointName } from "./formats";
import * as defaults from "../defaults";
import { spa3102Parameter, suggestSpa3102Parameters } from "../spa3102/parameters";
import { Landline, Spa3102 } from "./types";

export function readSpa3102(r: ConfigReader, raw: unknown): Spa3102 | undefined {
    const p = settingPath("spa3102");
    const o = r.object(p, raw, ["linePhone", "landline", "country", "settings"]);
    if (!o) return undefined;
    const adapter: Spa3102 = {
        linePhone: r.string(child(p, "linePhone"), o.linePhone, {
            required: true,
            what: "the phone on the adapter's FXS port",
        }),
        settings: readAdapterSettings(r, child(p, "settings"), o.settings),
    };
    const country = r.string(child(p, "country"), o.country)?.toUpperCase();
    if (country && isCountryCode(country)) adapter.country = country;
    else if (country)
        r.problem(
            child(p, "country"),
            `"${country}" has no SPA3102 preset`,
            `use one of: ${Object.keys(countryPresets).join(", ")}`,
        );
    const landline = readLandline(r, child(p, "landline"), o.landline);
    if (landline) adapter.landline = landline;
    return adapter;
}

function readLandline(r: ConfigReader, lp: ConfigPath, raw: unknown): Landline | undefined {
    const l = r.object(lp, raw, ["name", "secret", "rings", "ringSeconds", "answerDelay", "dialOutPrefix"]);
    if (!l) return undefined;
    const landline: Landline = {
        name:
            r.string(child(lp, "name"), l.name, { pattern: endpointName, what: "a SIP user name" }) ??
            defaults.landlineName,
        secret: r.secret(child(lp, "secret"), l.secret, { generated: true, what: "" })!,
        rings: r
            .array(child(lp, "rings"), l.rings)
            .map((name, i) => r.string(child(child(lp, "rings"), i), name, { required: true })),
        ringSeconds: r.integer(child(lp, "ringSeconds"), l.ringSeconds, defaults.ringSeconds, { min: 1, max: 300 }),
        answerDelay: r.integer(child(lp, "answerDelay"), l.answerDelay, defaults.landlineAnswerDelay, {
            min: 0,
            max: 255,
        }),
    };
    if (landline.rings.length === 0) r.problem(child(lp, "rings"), "is required: the phone(s) landline calls ring");
    const dialOutPrefix = r.string(child(lp, "dialOutPrefix"), l.dialOutPrefix, {
        pattern: /^[0-9*#]{1,3}$/,
        what: "1 to 3 digits, e.g. 9",
    });
    if (dialOutPrefix) landline.dialOutPrefix = dialOutPrefix;
    return landline;
}

/** Adapter settings by flat-profile parameter name; only those deskphone knows, and never a password. */
function readAdapterSettings(r: ConfigReader, p: ConfigPath, raw: unknown): Record<string, string> {
    const settings: Record<string, string> = {};
    const given = raw !== null && typeof raw === "object" && !Array.isArray(raw) ? Object.keys(raw) : [];
    const o = r.object(p, raw, given);
    for (const [name, value] of Object.entries(o ?? {})) {
        const known = spa3102Parameter(name);
        const at = child(p, name);
        if (!known) {
            const guesses = suggestSpa3102Parameters(name).map((g) => `"${g}"`);
            r.problem(
                at,
                `unknown SPA3102 setting "${name}"`,
                guesses.length
                    ? `did you mean ${guesses.join(" or ")}?`
                    : "use a name from the Parameter column of the adapter's settings sheet",
            );
        } else if (known.secret) {
            r.problem(
                at,
                `${name} is a password deskphone takes from the stack's secrets`,
                "set the phone's or the landline's secret instead",
            );
        } else if (typeof value === "boolean") {
            settings[name] = value ? "yes" : "no";
        } else if (typeof value === "string" || (typeof value === "number" && Number.isFinite(value))) {
            settings[name] = String(value);
        } else {
            r.problem(
                at,
                `expected the adapter's value as text, got ${describe(value)}`,
                `e.g. ${name}: "…" as the adapter's web page shows it`,
            );
        }
    }
    return settings;
}
