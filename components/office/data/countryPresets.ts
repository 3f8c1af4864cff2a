/**
 * Per-country presets: the country's name, Asterisk indications.conf tones, and SPA3102 (SPA2102/PAP2 family) regional
 * and PSTN-line settings. Every tone/setting carries its source; derived values say how they were derived, fallbacks say so.
 *
 * SPA tone-script syntax, two lines:
 *   FreqScript;CadScript — FreqScript is up to 6 "Hz@dBm" components ("350@-19,440@-19"); CadScript is sections "duration(on/off/components,...)".
 *   Durations in seconds, "*" = forever: "10(.5/.5/1+2)" plays components 1 and 2 together 0.5 s on / 0.5 s off for 10 s; "*(2/4/1+2)" repeats forever.
 * Disconnect Tone (PSTN Line tab) is a detection script with extra rules (Cisco ATA guide): exactly 2 frequency components (repeat one
 * frequency if the tone has one), level ignored (use -30), one cadence section whose total duration is the minimum time before detection.
 *
 * Conversion used for "derived" SPA tones: Asterisk "425/480,0/480" (Hz/ms on, 0/ms off) → SPA "425@-19;10(.48/.48/1)";
 * -19 dBm is the level Cisco's factory call-progress tones use; 10 s is the factory length for dial/busy/reorder, "*" for ring-back.
 *
 * Calling codes, prefixes and emergency numbers are the dialing plan's (dialingPlans.ts); components/office/countries.ts joins both.
 */

import type { CountryCode } from "../countries";

/** A value with where it came from. */
export interface Sourced<T> {
    value: T;
    source: string;
}

export interface CountryPreset {
    /** The country's name in English, e.g. "Uruguay". */
    name: string;
    /** For an indications.conf zone, in Asterisk tone syntax. */
    asteriskTones: {
        ringCadence: Sourced<string>;
        dial: Sourced<string>;
        ring: Sourced<string>;
        busy: Sourced<string>;
        congestion: Sourced<string>;
        callWaiting: Sourced<string>;
        dialRecall: Sourced<string>;
        record: Sourced<string>;
        info: Sourced<string>;
    };
    /** SPA3102 (and SPA2102/PAP2-family) settings, in the SPA's own syntax and spelling. */
    spa3102: {
        /** Regional tab "Dial Tone". */
        dialTone: Sourced<string>;
        /** Regional tab "Ring Back Tone". */
        ringbackTone: Sourced<string>;
        /** Regional tab "Busy Tone". */
        busyTone: Sourced<string>;
        /** Regional tab "Reorder Tone". */
        reorderTone: Sourced<string>;
        ringWaveform?: Sourced<"Sinusoid" | "Trapezoid">;
        /** Hz, Regional tab "Ring Frequency". */
        ringFrequency?: Sourced<number>;
        ringVoltage?: Sourced<number>;
        /** Regional tab "Caller ID Method". */
        callerIdMethod: Sourced<string>;
        /** Regional tab "FXS Port Impedance". */
        fxsImpedance: Sourced<string>;
        /** PSTN Line tab "FXO Port Impedance". */
        fxoImpedance: Sourced<string>;
        /** PSTN Line tab "Disconnect Tone". */
        disconnectTone: Sourced<string>;
    };
}

function s<T>(value: T, source: string): Sourced<T> {
    return { value, source };
}

// ---- Sources ---------------------------------------------------------------------------------------------------------

const AST = "asterisk/asterisk configs/samples/indications.conf.sample @ f0c1c1a7b79b0f8cc0311649bf36824cbeee30a9";
const astZone = (zone: string, key: string) => `${AST}, [${zone}] ${key}`;

const DAHDI_ZONES =
    "asterisk/dahdi-tools zonedata.c @ a5e40d50659e91c86c4fffe0519322cd9f253b77 (header: 'This information from ITU E.180 Supplement 2')";
const dahdiZone = (zone: string, key: string) => `${DAHDI_ZONES}, zone "${zone}" ${key}`;

const DAHDI_FXO = "asterisk/dahdi-linux drivers/dahdi/fxo_modes.h @ d1c842a35f8e4c08172cf30231bb99d746a5bc33";
const SI3019 =
    "Silicon Labs Si3050+Si3011/18/19 datasheet Rev 1.5, Table 18 'AC Termination Settings for the Si3019' (ACIM 0000 = 600; " +
    "0010 = 270+(750||150nF); 0011 = 220+(820||120nF) and 220+(820||115nF); 0101 = 320+(1050||230nF)), " +
    "https://www.datasheetq.com/en/pdf-html/835140/Silabs/32page/SI3019-F-FM.html — the SPA3102's FXO Port Impedance choices follow this table";
const fxoFromDahdi = (mode: string, acim: string, spa: string) =>
    `Derived: ${DAHDI_FXO} mode "${mode}" sets acim=${acim}; ${SI3019}; written in the SPA's spelling "${spa}"`;

const SPA_DEFAULTS =
    "Cisco factory default — Cisco SPA100 Series Administration Guide, Voice > Regional > Call Progress Tones, 'Default setting' (p. 67), " +
    "http://38.142.81.21:8001/manual/cisco/cisco-spa112-voip/operation-manual-english/page-59.html; the same defaults in the Linksys " +
    "SPA941 guide, Regional Parameters, https://www.easymanua.ls/linksys/spa941/manual/574886?p=59";

const CISCO_DISCONNECT =
    "Cisco Small Business ATA Administration Guide (SPA2102/SPA3102 family), ATA Voice Field Reference, 'Disconnect Tone' " +
    "per-country list, p. B-188, https://www.manualslib.com/manual/394918/Cisco-Spa2102-An-Single-Port-Router.html?page=188";
const disconnectFromBusy = (busySource: string, spa: string) =>
    `Derived: no country-specific SPA disconnect value found; busy tone from ${busySource}, written under the Disconnect Tone ` +
    `rules of ${CISCO_DISCONNECT} (2 components, -30, one section; 2 s minimum as in Cisco's Italy/Netherlands entries) → "${spa}"`;

const SOLIDFLUID =
    "Solid Fluid, 'A guide to controlling tone, cadence and dial plans on the SPA3102', 7. Regional sub tab ('If UK phone tones is " +
    "your thing, here they are!'), http://www.solidfluid.co.uk/sfsite.php/0000021E (third-party SPA3102 UK settings)";

const SIPURA_CID =
    "Sipura SPA Administration Guide v2.0.10.1 (July 2005), Regional > Caller ID Method choices and what each sends, p. 89, " +
    "https://manualshive.com/ru/manual/sipura-technology/sipura-spa-2000/1283837?page=89";
const CISCO_IOS_CID =
    "Cisco, 'Analog Trunks - Caller ID Support in IOS', https://community.cisco.com/t5/small-business-support-documents/analog-trunks-caller-id-support-in-ios/ta-p/3292717";
const OREILLY_DTMF_CID =
    "'VoIP Voice and Fax Signal Processing' (Wiley 2008) §8.3 DTMF-based caller ID ('...Brazil, Taiwan, Saudi Arabia, and Uruguay make use of " +
    "DTMF-based caller ID'), https://www.safaribooksonline.com/library/view/voip-voice-and/9780470227367/ch008-sec003.html";

/** The 2013 blog post that measured the Uruguayan exchange's disconnect tone on an SPA3102. */
const GMC_UY =
    "blog.gmc.uy 2013-10-18 'Asterisk + Twilio: The hardware, Cisco SPA3102 and the FXO vs FXS ports (Part II)', found on the PSTN Line tab";
const AN93_UY =
    "Silicon Labs AN93 (Si2415), Table 82 'SAS Cadence for Supported Countries' (data 'obtained from ITU-T Recommendation E.180 Supplement 2 " +
    "(04/98)'): Uruguay waiting tone 425 Hz 0.2-0.2-0.2-4.4 s, http://38.142.81.21:8001/manual/silicon-laboratories/si2415/specifications-english/page-122.html";
const GENERIC_425 =
    "FALLBACK (no Uruguay-specific source found): the 425 Hz single-frequency plan of ITU-T E.180 / ETSI used by the neighbouring " +
    "Asterisk/DAHDI zones (es, de, br, mx, ar); that Uruguay uses 425 Hz is confirmed only by the waiting-tone entry in " +
    AN93_UY;

const derivedSpa = (astSource: string, spa: string) =>
    `Derived: ${astSource}, converted to SPA tone script → "${spa}" (see header)`;

// ---- North America (US, CA share the NANP tones) ---------------------------------------------------------------------

function nanpAsteriskTones(note: string): CountryPreset["asteriskTones"] {
    return {
        ringCadence: s("2000,4000", astZone("us", "ringcadence") + note),
        dial: s("350+440", astZone("us", "dial") + note),
        ring: s("440+480/2000,0/4000", astZone("us", "ring") + note),
        busy: s("480+620/500,0/500", astZone("us", "busy") + note),
        congestion: s("480+620/250,0/250", astZone("us", "congestion") + note),
        callWaiting: s("440/300,0/10000", astZone("us", "callwaiting") + note),
        dialRecall: s(
            "!350+440/100,!0/100,!350+440/100,!0/100,!350+440/100,!0/100,350+440",
            astZone("us", "dialrecall") + note,
        ),
        record: s("1400/500,0/15000", astZone("us", "record") + note),
        info: s("!950/330,!1400/330,!1800/330,0", astZone("us", "info") + note),
    };
}

function nanpSpa(note: string): CountryPreset["spa3102"] {
    return {
        dialTone: s("350@-19,440@-19;10(*/0/1+2)", SPA_DEFAULTS + note),
        ringbackTone: s("440@-19,480@-19;*(2/4/1+2)", SPA_DEFAULTS + note),
        busyTone: s("480@-19,620@-19;10(.5/.5/1+2)", SPA_DEFAULTS + note),
        reorderTone: s("480@-19,620@-19;10(.25/.25/1+2)", SPA_DEFAULTS + note),
        callerIdMethod: s(
            "Bellcore(N.Amer,China)",
            `${CISCO_IOS_CID} (Telcordia/Bellcore GR-30-CORE caller ID in North America); choice spelled as in ${SIPURA_CID}` +
                note,
        ),
        fxsImpedance: s(
            "600",
            `SPA factory default '600'; matches ${DAHDI_FXO} modes "FCC"/"USA"/"CANADA" (acim unset = 0 = 600 ohm per Si3019 table)` +
                note,
        ),
        fxoImpedance: s("600", fxoFromDahdi('FCC"/"USA"/"CANADA', "0 (unset)", "600") + note),
        disconnectTone: s(
            "480@-30,620@-30;4(.25/.25/1+2)",
            `${CISCO_DISCONNECT}, 'US' (also the SPA's factory default)` + note,
        ),
    };
}

const CA_NOTE =
    "; applied to Canada because Canada uses the North American (NANP) tone plan — Asterisk's [us] zone is described as " +
    "'United States / North America' and DAHDI's CANADA line mode equals USA's";

// ---- The presets -----------------------------------------------------------------------------------------------------

export const countryPresets: Record<CountryCode, CountryPreset> = {
    UY: {
        name: "Uruguay",
        asteriskTones: {
            // Neither Asterisk's indications.conf.sample nor DAHDI's zonedata.c has a Uruguay zone.
            ringCadence: s(
                "1000,4000",
                `${GENERIC_425}: 1 s on / 4 s off, as Asterisk [de]/[br] and the ETSI harmonised ringing tone`,
            ),
            dial: s("425", `${GENERIC_425}: continuous 425 Hz`),
            ring: s("425/1000,0/4000", `${GENERIC_425}: 1 s on / 4 s off`),
            busy: s(
                "425/200,0/200,425/200,0/600",
                `Derived: cadence of Uruguay's disconnect tone in ${GMC_UY} (420@-30,420@-30;2(.2/.2/1,.2/.6/1) = 0.2 on 0.2 off 0.2 on 0.6 off), ` +
                    "at the nominal 425 Hz; not checked against ITU-T E.180 Suppl. 2",
            ),
            congestion: s(
                "425/200,0/200,425/200,0/600",
                `Derived: same as busy (no separate Uruguay congestion cadence found); from ${GMC_UY}`,
            ),
            callWaiting: s("425/200,0/200,425/200,0/4400", `${AN93_UY}, written in Asterisk syntax`),
            dialRecall: s(
                "!425/100,!0/100,!425/100,!0/100,!425/100,!0/100,425",
                `${GENERIC_425}: three 100 ms bursts then dial tone, the pattern of ${AST} [de] dialrecall`,
            ),
            record: s(
                "1400/500,0/15000",
                `FALLBACK: the record tone Asterisk uses for [us], [es], [mx] (${AST}); none is defined for Uruguay`,
            ),
            info: s(
                "950/330,1400/330,1800/330,0/1000",
                `FALLBACK: ITU-T E.180 special information tone 950/1400/1800 Hz x 0.33 s, as ${AST} [de] info`,
            ),
        },
        spa3102: {
            dialTone: s("425@-19;10(*/0/1)", derivedSpa(`${GENERIC_425}, continuous 425 Hz`, "425@-19;10(*/0/1)")),
            ringbackTone: s("425@-19;*(1/4/1)", derivedSpa(`${GENERIC_425}, 1 s on / 4 s off`, "425@-19;*(1/4/1)")),
            busyTone: s(
                "425@-19;10(.2/.2/1,.2/.6/1)",
                `Derived: cadence of the Uruguay disconnect tone in ${GMC_UY}, as a played tone at 425 Hz, -19 dBm; not checked against ITU-T E.180`,
            ),
            reorderTone: s(
                "425@-19;10(.2/.2/1,.2/.6/1)",
                `Derived: same as busy — the SPA plays Reorder when the far end hangs up, which is what the Uruguayan exchange's tone in ${GMC_UY} signals`,
            ),
            callerIdMethod: s(
                "ETSI DTMF",
                `Partly derived: Uruguay uses DTMF caller ID per ${OREILLY_DTMF_CID}; the timing (SPA 'ETSI DTMF' = DTMF after DTAS, before the ` +
                    `first ring, per ${SIPURA_CID}) is NOT verified for ANTEL lines — try 'ETSI DTMF After Ring' or 'ETSI DTMF With PR' if phones show nothing`,
            ),
            fxsImpedance: s("600", `FALLBACK: SPA factory default '600'; no Uruguay entry in ${DAHDI_FXO}`),
            fxoImpedance: s(
                "600",
                `FALLBACK: SPA factory default '600' (Si3019 ACIM 0000); no Uruguay entry in ${DAHDI_FXO}`,
            ),
            disconnectTone: s("420@-30,420@-30;2(.2/.2/1,.2/.6/1)", GMC_UY),
        },
    },

    US: {
        name: "United States",
        asteriskTones: nanpAsteriskTones(""),
        spa3102: nanpSpa(""),
    },

    CA: {
        name: "Canada",
        asteriskTones: nanpAsteriskTones(CA_NOTE),
        spa3102: nanpSpa(CA_NOTE),
    },

    GB: {
        name: "United Kingdom",
        asteriskTones: {
            ringCadence: s("400,200,400,2000", astZone("uk", "ringcadence")),
            dial: s("350+440", astZone("uk", "dial") + " (BT SIN350 per the file's comment)"),
            ring: s("400+450/400,0/200,400+450/400,0/2000", astZone("uk", "ring")),
            busy: s("400/375,0/375", astZone("uk", "busy")),
            congestion: s("400/400,0/350,400/225,0/525", astZone("uk", "congestion")),
            callWaiting: s("400/100,0/4000", astZone("uk", "callwaiting")),
            dialRecall: s(
                "350+440/750,440/750",
                `Derived: [uk] has no dialrecall key; this is its specialdial/stutter value (${AST}), BT's intermittent dial tone`,
            ),
            record: s("1400/500,0/60000", astZone("uk", "record") + " ('Not listed in SIN350')"),
            info: s("950/330,0/15,1400/330,0/15,1800/330,0/1000", astZone("uk", "info")),
        },
        spa3102: {
            dialTone: s("350@-19,440@-22;10(*/0/1+2)", `${SOLIDFLUID}, 'Dial tone'`),
            ringbackTone: s("400@-20,450@-20;*(.4/.2/1+2,.4/2/1+2)", `${SOLIDFLUID}, 'Ring back'`),
            busyTone: s("400@-20;10(.375/.375/1)", `${SOLIDFLUID}, 'Busy tone'`),
            reorderTone: s(
                "400@-20;10(*/0/1)",
                `${SOLIDFLUID}, 'Reorder tone' (continuous 400 Hz = BT number-unobtainable; Asterisk [uk] congestion is the beep-bip alternative)`,
            ),
            callerIdMethod: s(
                "ETSI FSK With PR(UK)",
                `${SIPURA_CID}: 'ETSI FSK With PR (UK)' = FSK after polarity reversal and DTAS, before the first ring (BT SIN227 style); ` +
                    "spelled without the space as the SPA's config profile takes it (Caller_ID_Method), with Caller ID FSK Standard v.23",
            ),
            fxsImpedance: s(
                "270+750||150nF",
                `Derived: ${DAHDI_FXO} mode "TBR21" (its comment lists the UK) acim=0x2, which DAHDI's wctdm24xxp also applies to FXS ports ` +
                    "(ACIM2TISS[2] = CTR21 270+750||150nF); SPA FXS choice '270+750||150nF'",
            ),
            fxoImpedance: s("320+1050||230nF", fxoFromDahdi("UK", "0x5", "320+1050||230nF")),
            disconnectTone: s(
                "400@-30,400@-30;2(3/0/1+2)",
                `${CISCO_DISCONNECT}, 'UK' (space after ';' in the guide removed)`,
            ),
        },
    },

    DE: {
        name: "Germany",
        asteriskTones: {
            ringCadence: s("1000,4000", astZone("de", "ringcadence")),
            dial: s("425", astZone("de", "dial")),
            ring: s("425/1000,0/4000", astZone("de", "ring")),
            busy: s("425/480,0/480", astZone("de", "busy")),
            congestion: s("425/240,0/240", astZone("de", "congestion")),
            callWaiting: s(
                "!425/200,!0/200,!425/200,!0/5000,!425/200,!0/200,!425/200,!0/5000,!425/200,!0/200,!425/200,!0/5000,!425/200,!0/200,!425/200,!0/5000,!425/200,!0/200,!425/200,0",
                astZone("de", "callwaiting"),
            ),
            dialRecall: s(
                "!425/100,!0/100,!425/100,!0/100,!425/100,!0/100,425",
                astZone("de", "dialrecall") + " ('not specified' per the file)",
            ),
            record: s("1400/80,0/15000", astZone("de", "record") + " ('not specified' per the file)"),
            info: s("950/330,1400/330,1800/330,0/1000", astZone("de", "info")),
        },
        spa3102: {
            dialTone: s("425@-19;10(*/0/1)", derivedSpa(astZone("de", "dial = 425"), "425@-19;10(*/0/1)")),
            ringbackTone: s(
                "425@-19;*(1/4/1)",
                derivedSpa(astZone("de", "ring = 425/1000,0/4000"), "425@-19;*(1/4/1)"),
            ),
            busyTone: s(
                "425@-19;10(.48/.48/1)",
                derivedSpa(astZone("de", "busy = 425/480,0/480"), "425@-19;10(.48/.48/1)"),
            ),
            reorderTone: s(
                "425@-19;10(.24/.24/1)",
                derivedSpa(astZone("de", "congestion = 425/240,0/240"), "425@-19;10(.24/.24/1)"),
            ),
            callerIdMethod: s(
                "ETSI FSK",
                `Partly derived: ${CISCO_IOS_CID} lists Germany under ETSI (ETS 300 659-1) FSK caller ID; SPA choice 'ETSI FSK' ` +
                    `(FSK after DTAS, before the first ring, per ${SIPURA_CID}) with Caller ID FSK Standard v.23. Deutsche Telekom lines send ` +
                    "CLIP between the first and second ring, so phones that need that timing may prefer 'Bellcore(N.Amer,China)' + v.23 (FSK after first ring)",
            ),
            fxsImpedance: s(
                "220+820||115nF",
                `Derived: Germany's reference impedance ZR = 220 ohm + (820 ohm || 115 nF) (https://www.polytechforum.com/elektrotechnik/telefon-impedanz-zr-12129-.htm); ` +
                    `consistent with ${DAHDI_FXO} "GERMANY" acim=0x3 (Si3019: 220+(820||120nF) and 220+(820||115nF)); SPA FXS choice '220+820||115nF'`,
            ),
            fxoImpedance: s("220+820||120nF", fxoFromDahdi("GERMANY", "0x3", "220+820||120nF")),
            disconnectTone: s(
                "425@-10;10(0.48/0.48/1)",
                `${CISCO_DISCONNECT}, 'Germany' (space after ';' removed). Note it breaks the same guide's 2-component/-30 rule; ` +
                    "the rule-conforming form would be 425@-30,425@-30;10(.48/.48/1+2)",
            ),
        },
    },

    ES: {
        name: "Spain",
        asteriskTones: {
            ringCadence: s("1500,3000", astZone("es", "ringcadence")),
            dial: s("425", astZone("es", "dial")),
            ring: s("425/1500,0/3000", astZone("es", "ring")),
            busy: s("425/200,0/200", astZone("es", "busy")),
            congestion: s("425/200,0/200,425/200,0/200,425/200,0/600", astZone("es", "congestion")),
            callWaiting: s("425/175,0/175,425/175,0/3500", astZone("es", "callwaiting")),
            dialRecall: s("!425/200,!0/200,!425/200,!0/200,!425/200,!0/200,425", astZone("es", "dialrecall")),
            record: s("1400/500,0/15000", astZone("es", "record")),
            info: s("950/330,0/1000", astZone("es", "info")),
        },
        spa3102: {
            dialTone: s("425@-19;10(*/0/1)", derivedSpa(astZone("es", "dial = 425"), "425@-19;10(*/0/1)")),
            ringbackTone: s(
                "425@-19;*(1.5/3/1)",
                derivedSpa(astZone("es", "ring = 425/1500,0/3000"), "425@-19;*(1.5/3/1)"),
            ),
            busyTone: s(
                "425@-19;10(.2/.2/1)",
                derivedSpa(astZone("es", "busy = 425/200,0/200"), "425@-19;10(.2/.2/1)"),
            ),
            reorderTone: s(
                "425@-19;10(.2/.2/1,.2/.2/1,.2/.6/1)",
                derivedSpa(
                    astZone("es", "congestion = 425/200,0/200,425/200,0/200,425/200,0/600"),
                    "425@-19;10(.2/.2/1,.2/.2/1,.2/.6/1)",
                ),
            ),
            callerIdMethod: s(
                "ETSI FSK",
                `Partly derived: ${CISCO_IOS_CID} lists Spain under ETSI (ETS 300 659-1) FSK caller ID; SPA choice 'ETSI FSK' per ${SIPURA_CID}, ` +
                    "with Caller ID FSK Standard v.23; exact Telefónica timing not verified",
            ),
            fxsImpedance: s(
                "270+750||150nF",
                `Derived: ${DAHDI_FXO} "SPAIN" acim=0x2 (TBR21), which DAHDI's wctdm24xxp also applies to FXS (ACIM2TISS[2] = CTR21 270+750||150nF)`,
            ),
            fxoImpedance: s("270+750||150nF", fxoFromDahdi("SPAIN", "0x2", "270+750||150nF")),
            disconnectTone: s(
                "425@-10;10(0.2/0.2/1,0.2/0.2/1,0.2/0.6/1)",
                `${CISCO_DISCONNECT}, 'Spain' (space after ';' removed; single component as printed)`,
            ),
        },
    },

    AR: {
        name: "Argentina",
        asteriskTones: {
            // Asterisk's indications.conf.sample has no [ar]; DAHDI's zonedata.c (same tone syntax, same project) does.
            ringCadence: s("1000,4500", dahdiZone("ar", "ringcadence { 1000, 4500 }")),
            dial: s("425", dahdiZone("ar", "DAHDI_TONE_DIALTONE")),
            ring: s("425/1000,0/4500", dahdiZone("ar", "DAHDI_TONE_RINGTONE")),
            busy: s("425/300,0/300", dahdiZone("ar", "DAHDI_TONE_BUSY")),
            congestion: s("425/200,0/300", dahdiZone("ar", "DAHDI_TONE_CONGESTION")),
            callWaiting: s("425/200,0/9000", dahdiZone("ar", "DAHDI_TONE_CALLWAIT")),
            dialRecall: s(
                "!425/100,!0/100,!425/100,!0/100,!425/100,!0/100,425/330,0/330,425/660,0/660",
                dahdiZone("ar", "DAHDI_TONE_DIALRECALL"),
            ),
            record: s("1400/500,0/14000", dahdiZone("ar", "DAHDI_TONE_RECORDTONE")),
            info: s("425/100,0/100", dahdiZone("ar", "DAHDI_TONE_INFO")),
        },
        spa3102: {
            dialTone: s("425@-19;10(*/0/1)", derivedSpa(dahdiZone("ar", "dial tone 425"), "425@-19;10(*/0/1)")),
            ringbackTone: s(
                "425@-19;*(1/4.5/1)",
                derivedSpa(dahdiZone("ar", "ring tone 425/1000,0/4500"), "425@-19;*(1/4.5/1)"),
            ),
            busyTone: s(
                "425@-19;10(.3/.3/1)",
                derivedSpa(dahdiZone("ar", "busy 425/300,0/300"), "425@-19;10(.3/.3/1)"),
            ),
            reorderTone: s(
                "425@-19;10(.2/.3/1)",
                derivedSpa(dahdiZone("ar", "congestion 425/200,0/300"), "425@-19;10(.2/.3/1)"),
            ),
            callerIdMethod: s(
                "Bellcore(N.Amer,China)",
                `FALLBACK: SPA factory default (FSK after the first ring, per ${SIPURA_CID}); no source found for Argentina's caller-ID method`,
            ),
            fxsImpedance: s(
                "600",
                `Derived: ${DAHDI_FXO} "ARGENTINA" leaves acim unset (0 = 600 ohm), which DAHDI also applies to FXS; SPA choice '600'`,
            ),
            fxoImpedance: s("600", fxoFromDahdi("ARGENTINA", "0 (unset)", "600")),
            disconnectTone: s(
                "425@-30,425@-30;2(.3/.3/1+2)",
                disconnectFromBusy(dahdiZone("ar", "busy 425/300,0/300"), "425@-30,425@-30;2(.3/.3/1+2)"),
            ),
        },
    },

    BR: {
        name: "Brazil",
        asteriskTones: {
            ringCadence: s("1000,4000", astZone("br", "ringcadence")),
            dial: s("425", astZone("br", "dial")),
            ring: s("425/1000,0/4000", astZone("br", "ring")),
            busy: s("425/250,0/250", astZone("br", "busy")),
            congestion: s("425/250,0/250,425/750,0/250", astZone("br", "congestion")),
            callWaiting: s("425/50,0/1000", astZone("br", "callwaiting")),
            dialRecall: s(
                "350+440",
                astZone("br", "dialrecall") + " ('not used in Brazil standard (using UK standard)' per the file)",
            ),
            record: s("425/250,0/250", astZone("br", "record") + " ('not used in Brazil, use busy tone' per the file)"),
            info: s("950/330,1400/330,1800/330", astZone("br", "info")),
        },
        spa3102: {
            dialTone: s("425@-19;10(*/0/1)", derivedSpa(astZone("br", "dial = 425"), "425@-19;10(*/0/1)")),
            ringbackTone: s(
                "425@-19;*(1/4/1)",
                derivedSpa(astZone("br", "ring = 425/1000,0/4000"), "425@-19;*(1/4/1)"),
            ),
            busyTone: s(
                "425@-19;10(.25/.25/1)",
                derivedSpa(astZone("br", "busy = 425/250,0/250"), "425@-19;10(.25/.25/1)"),
            ),
            reorderTone: s(
                "425@-19;10(.25/.25/1,.75/.25/1)",
                derivedSpa(
                    astZone("br", "congestion = 425/250,0/250,425/750,0/250"),
                    "425@-19;10(.25/.25/1,.75/.25/1)",
                ),
            ),
            callerIdMethod: s(
                "ETSI DTMF After Ring",
                `Partly derived: Brazil uses DTMF caller ID per ${CISCO_IOS_CID} and ${OREILLY_DTMF_CID}; 'After Ring' (DTMF after the first ring, ` +
                    `per ${SIPURA_CID}) is the commonly reported Brazilian timing but NOT verified against an Anatel document`,
            ),
            fxsImpedance: s(
                "600",
                `Derived: ${DAHDI_FXO} "BRAZIL" leaves acim unset (0 = 600 ohm), which DAHDI also applies to FXS; SPA choice '600'`,
            ),
            fxoImpedance: s("600", fxoFromDahdi("BRAZIL", "0 (unset)", "600")),
            disconnectTone: s(
                "425@-30,425@-30;2(.25/.25/1+2)",
                disconnectFromBusy(astZone("br", "busy = 425/250,0/250"), "425@-30,425@-30;2(.25/.25/1+2)"),
            ),
        },
    },

    MX: {
        name: "Mexico",
        asteriskTones: {
            ringCadence: s("2000,4000", astZone("mx", "ringcadence")),
            dial: s("425", astZone("mx", "dial")),
            ring: s("425/1000,0/4000", astZone("mx", "ring")),
            busy: s("425/250,0/250", astZone("mx", "busy")),
            congestion: s("425/250,0/250", astZone("mx", "congestion")),
            callWaiting: s("425/200,0/600,425/200,0/10000", astZone("mx", "callwaiting")),
            dialRecall: s(
                "!350+440/100,!0/100,!350+440/100,!0/100,!350+440/100,!0/100,350+440",
                astZone("mx", "dialrecall"),
            ),
            record: s("1400/500,0/15000", astZone("mx", "record")),
            info: s("950/330,0/30,1400/330,0/30,1800/330,0/1000", astZone("mx", "info")),
        },
        spa3102: {
            dialTone: s("425@-19;10(*/0/1)", derivedSpa(astZone("mx", "dial = 425"), "425@-19;10(*/0/1)")),
            ringbackTone: s(
                "425@-19;*(1/4/1)",
                derivedSpa(astZone("mx", "ring = 425/1000,0/4000"), "425@-19;*(1/4/1)"),
            ),
            busyTone: s(
                "425@-19;10(.25/.25/1)",
                derivedSpa(astZone("mx", "busy = 425/250,0/250"), "425@-19;10(.25/.25/1)"),
            ),
            reorderTone: s(
                "425@-19;10(.25/.25/1)",
                derivedSpa(astZone("mx", "congestion = 425/250,0/250"), "425@-19;10(.25/.25/1)"),
            ),
            callerIdMethod: s(
                "Bellcore(N.Amer,China)",
                `FALLBACK: SPA factory default (Bell 202 FSK after the first ring, per ${SIPURA_CID}); no source found for Mexico's caller-ID method`,
            ),
            fxsImpedance: s(
                "600",
                `Derived: ${DAHDI_FXO} "MEXICO" leaves acim unset (0 = 600 ohm), which DAHDI also applies to FXS; SPA choice '600'`,
            ),
            fxoImpedance: s("600", fxoFromDahdi("MEXICO", "0 (unset)", "600")),
            disconnectTone: s(
                "425@-30,425@-30;2(.25/.25/1+2)",
                disconnectFromBusy(astZone("mx", "busy = 425/250,0/250"), "425@-30,425@-30;2(.25/.25/1+2)"),
            ),
        },
    },
};
