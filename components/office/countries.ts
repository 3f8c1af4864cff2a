/**
 * The countries deskphone knows, one entry each: how people dial there (and which numbers are
 * emergency, premium or foreign), the tones Asterisk plays, and the SPA3102's regional settings.
 * A country named in `countryCodes` without its dialing plan or its presets does not compile.
 */

import { CountryPreset, countryPresets } from "./data/countryPresets";
import { DialingPlan, dialingPlans } from "./data/dialingPlans";

/** ISO 3166-1 alpha-2 codes of the countries deskphone supports. */
export const countryCodes = ["US", "CA", "UY", "GB", "DE", "ES", "AR", "BR", "MX"] as const;
export type CountryCode = (typeof countryCodes)[number];

export interface Country {
    code: CountryCode;
    /** In English, e.g. "Uruguay". */
    name: string;
    /** Dialing forms, allowed, premium and foreign ranges, and emergency numbers. */
    dialing: DialingPlan;
    /** indications.conf tones, in Asterisk's syntax. */
    tones: CountryPreset["asteriskTones"];
    /** SPA3102 regional and PSTN-line settings, in the adapter's syntax. */
    spa3102: CountryPreset["spa3102"];
}

export const countries: Record<CountryCode, Country> = Object.fromEntries(
    countryCodes.map((code) => [
        code,
        {
            code,
            name: countryPresets[code].name,
            dialing: dialingPlans[code],
            tones: countryPresets[code].asteriskTones,
            spa3102: countryPresets[code].spa3102,
        },
    ]),
) as Record<CountryCode, Country>;

export function isCountryCode(value: string): value is CountryCode {
    return (countryCodes as readonly string[]).includes(value);
}
