/**
 * Countries where Twilio sells numbers only with a regulatory bundle (an end user's address with a
 * proof of it), by number type. Only what a Twilio source states is listed; elsewhere the provider
 * still refuses, before buying, a number whose search answer carries an address requirement.
 */
export interface TwilioRegulation {
    /** Number types that need a bundle (BundleSid). */
    bundleFor: ("local" | "tollFree" | "mobile")[];
    source: string;
}

export const twilioRegulations: Record<string, TwilioRegulation> = {
    DE: {
        bundleFor: ["local", "mobile"],
        source:
            "Twilio support 'German Phone Number Regulatory Requirements' (support.twilio.com/hc/en-us/articles/360019405013): local, national " +
            "and mobile numbers require an address and proof of address for the end user; read 2026-12-02 (stored copy)",
    },
};
