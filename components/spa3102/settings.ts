import { countries, Country, CountryCode } from "../office/countries";
import { Sourced } from "../office/data/countryPresets";
import { Landline, Office, Phone, SecretSetting, Spa3102 } from "../office/types";
import { Spa3102Parameter, spa3102Parameter, spa3102Parameters } from "./parameters";

/** Where both of the adapter's ports register: the SPA3102 speaks SIP over UDP only (no TLS), on the server's sipPort. */
const viaUdp = "the office's Asterisk server, over UDP (the adapter has no TLS)";

/** One setting of the adapter, as the profile and the settings sheet both show it. */
export interface Spa3102Setting extends Spa3102Parameter {
    /** The value, in the adapter's own spelling; for a secret, empty unless it was resolved. */
    value: string;
    /** Why deskphone sets it (one line), shown next to it in the sheet and the profile. */
    why: string;
    /** Where a preset value comes from (a document, a derivation) or which config set it. */
    source?: string;
    /** For a secret: the config path of the value (e.g. `deskphone:phones[0].secret`). */
    secretPath?: string;
}

export interface Spa3102SettingsOptions {
    /** Address the adapter registers to: the server's public address (known once the server exists). */
    publicAddress: string;
}

/** Factory-default caller-ID modulation per method family, as the Sipura guide pairs them. */
const SIPURA_CID_FSK =
    "Sipura SPA Administration Guide v2.0.10.1, Regional > Caller ID FSK Standard: 'bell 202' (North America) or 'v.23' (ETSI/BT FSK methods)";

/**
 * Every setting deskphone writes to the office's SPA3102, computed once: the profile and the sheet are
 * both rendered from this list, so they cannot disagree. A password carries its config path and an empty
 * value; `withSecretValues` (records.ts) fills it in.
 */
export function spa3102Settings(office: Office, options: Spa3102SettingsOptions): Spa3102Setting[] {
    const adapter = office.spa3102;
    if (!adapter) throw new Error("the office has no deskphone:spa3102 adapter");
    const countryCode = adapterCountry(office, adapter);
    const preset = countries[countryCode];
    const line = office.phones.find((p) => p.name === adapter.linePhone);
    if (!line) throw new Error(`deskphone:spa3102.linePhone "${adapter.linePhone}" is not one of the office's phones`);
    const proxy =
        office.server.sipPort === 5060 ? options.publicAddress : `${options.publicAddress}:${office.server.sipPort}`;
    const drafts = [
        ...regionalSettings(preset),
        ...lineSettings(office, line, proxy),
        ...(adapter.landline
            ? landlineSettings(office, adapter.landline, line, preset, proxy, options.publicAddress)
            : [
                  { parameter: "Auto_PSTN_Fallback_1_", value: "no", why: "no landline is part of the office" },
                  { parameter: "Line_Enable_2_", value: "no", why: "no landline is connected to the Line (FXO) port" },
              ]),
    ];
    const settings = drafts.map(toSetting);
    applyOverrides(settings, adapter);
    return sortByPage(settings);
}

/** A setting before it meets the parameter list: what to write and why. */
interface Draft {
    parameter: string;
    value: string | number;
    why: string;
    source?: string;
    /** For a password: the secret it comes from (the value stays empty here). */
    secret?: SecretSetting;
}

function toSetting(draft: Draft): Spa3102Setting {
    const known = spa3102Parameter(draft.parameter);
    if (!known) throw new Error(`${draft.parameter} is not in the SPA3102 parameter list`);
    if (known.secret !== Boolean(draft.secret))
        throw new Error(`${draft.parameter} must ${known.secret ? "" : "not "}come from a secret`);
    const setting: Spa3102Setting = { ...known, value: draft.secret ? "" : String(draft.value), why: draft.why };
    if (draft.source) setting.source = draft.source;
    if (draft.secret) setting.secretPath = draft.secret.path;
    return setting;
}

/** The adapter's country: its own when given, else the office's. */
export function adapterCountry(office: Office, adapter: Spa3102): CountryCode {
    return adapter.country ?? office.office.country;
}

function regionalSettings(preset: Country): Draft[] {
    const spa = preset.spa3102;
    const from = (parameter: string, sourced: Sourced<string | number>, why: string): Draft => ({
        parameter,
        value: sourced.value,
        why,
        source: sourced.source,
    });
    const drafts: Draft[] = [
        from("Dial_Tone", spa.dialTone, `${preset.name} dial tone`),
        from("Busy_Tone", spa.busyTone, `${preset.name} busy tone`),
        from("Reorder_Tone", spa.reorderTone, `${preset.name} reorder tone, also played when the far end hangs up`),
        from("Ring_Back_Tone", spa.ringbackTone, `${preset.name} ring-back tone`),
    ];
    if (spa.ringWaveform) drafts.push(from("Ring_Waveform", spa.ringWaveform, `${preset.name} ringing signal`));
    if (spa.ringFrequency)
        drafts.push(from("Ring_Frequency", spa.ringFrequency, `${preset.name} ringing frequency (Hz)`));
    if (spa.ringVoltage) drafts.push(from("Ring_Voltage", spa.ringVoltage, `${preset.name} ringing voltage`));
    drafts.push(
        from("FXS_Port_Impedance", spa.fxsImpedance, `what ${preset.name} analog phones expect`),
        from("Caller_ID_Method", spa.callerIdMethod, `how ${preset.name} phones expect caller ID`),
    );
    const fsk = fskStandard(spa.callerIdMethod.value);
    if (fsk)
        drafts.push({
            parameter: "Caller_ID_FSK_Standard",
            value: fsk,
            why: `the modulation ${spa.callerIdMethod.value} caller ID uses`,
            source: SIPURA_CID_FSK,
        });
    return drafts;
}

/** Bell 202 for North American FSK, V.23 for the ETSI/BT FSK methods, none for DTMF caller ID. */
export function fskStandard(callerIdMethod: string): string | undefined {
    if (/^Bellcore/.test(callerIdMethod)) return "bell 202";
    if (/FSK/.test(callerIdMethod)) return "v.23";
    return undefined;
}

/** Emergency numbers with S0 (sent the moment they are complete), then any digits after the short inter-digit timer. */
export function lineDialPlan(office: Office): string {
    const emergency = countries[office.office.country].dialing.emergencyNumbers;
    return `(${[...emergency.map((n) => `${n}S0`), "xx."].join("|")})`;
}

/** Line 1: the analog phone on the Phone (FXS) port, an extension of the office. */
function lineSettings(office: Office, line: Phone, proxy: string): Draft[] {
    return [
        {
            parameter: "Line_Enable_1_",
            value: "yes",
            why: `the phone on the Phone (FXS) port is office extension ${line.extension}`,
        },
        {
            parameter: "Restrict_Source_IP_1_",
            value: "yes",
            why: "only the office server may send SIP to the phone: internet scanners cannot ring it",
        },
        { parameter: "Proxy_1_", value: proxy, why: viaUdp },
        { parameter: "Register_1_", value: "yes", why: "the phone registers, so the office knows where to ring it" },
        { parameter: "Make_Call_Without_Reg_1_", value: "no", why: "calls go out only through the office" },
        { parameter: "Ans_Call_Without_Reg_1_", value: "no", why: "only calls the office sends ring the phone" },
        { parameter: "Display_Name_1_", value: line.name, why: "the name the office knows the phone by" },
        {
            parameter: "User_ID_1_",
            value: line.name,
            why: `SIP user of phone "${line.name}" (deskphone:spa3102.linePhone)`,
        },
        { parameter: "Password_1_", value: "", why: `SIP password of phone "${line.name}"`, secret: line.secret },
        { parameter: "Use_Auth_ID_1_", value: "no", why: "the user ID doubles as the login, as the office expects" },
        {
            parameter: "DTMF_Tx_Method_1_",
            value: "AVT",
            why: "keypad digits as RFC 4733 events, the office's dtmf_mode: voicemail PINs and menus work",
        },
        {
            parameter: "Dial_Plan_1_",
            value: lineDialPlan(office),
            why: "emergency numbers go at once; anything else 3 s after the last digit (Interdigit Short Timer), and the office decides what it means",
        },
    ];
}

/** The 2013 blog post whose SPA3102 forwarded every landline call to an extension. */
const GMC_FORWARD =
    "blog.gmc.uy 2013-10-18, 'Asterisk + Twilio ... Cisco SPA3102 (Part II)': 'on the PSTN User, set an automatic forward ... using caller id * to an extension'";

/** Dial plans on the PSTN Line tab, by index: 1 forwards landline callers, 2 dials what the office sends. */
const forwardPlan = 1;
const dialPlan = 2;

function landlineSettings(
    office: Office,
    landline: Landline,
    line: Phone,
    preset: Country,
    proxy: string,
    publicAddress: string,
): Draft[] {
    const target = office.phones.find((p) => p.name === landline.rings[0]) ?? line;
    const dialsOut = Boolean(landline.dialOutPrefix) || office.routes.emergencyTrunk === landline.name;
    return [
        {
            parameter: "Auto_PSTN_Fallback_1_",
            value: dialsOut ? "yes" : "no",
            why: dialsOut
                ? "if the office server is unreachable, the phone still calls out on the landline"
                : "the stack does not let phones call out on the landline",
        },
        ...landlineAccountSettings(landline, proxy),
        ...landlineDialPlans(landline, target),
        ...voipToPstnSettings(landline, dialsOut, publicAddress),
        ...pstnToVoipSettings(landline),
        ...exchangeSettings(preset),
        ...callForwardSettings(target),
    ];
}

/** The landline's own SIP account on the office (PSTN Line tab: Proxy and Registration, Subscriber Information). */
function landlineAccountSettings(landline: Landline, proxy: string): Draft[] {
    return [
        { parameter: "Line_Enable_2_", value: "yes", why: "the landline on the Line (FXO) port is part of the office" },
        {
            parameter: "Restrict_Source_IP_2_",
            value: "yes",
            why: "only the office server may send calls to the landline",
        },
        { parameter: "Proxy_2_", value: proxy, why: viaUdp },
        {
            parameter: "Register_2_",
            value: "yes",
            why: `the landline registers as "${landline.name}", so the office can call out on it`,
        },
        { parameter: "Make_Call_Without_Reg_2_", value: "no", why: "landline calls go only to the office" },
        { parameter: "Ans_Call_Without_Reg_2_", value: "no", why: "only the office may use the landline" },
        { parameter: "Display_Name_2_", value: landline.name, why: "the name the office knows the landline by" },
        {
            parameter: "User_ID_2_",
            value: landline.name,
            why: "SIP user of the landline (deskphone:spa3102.landline.name)",
        },
        { parameter: "Password_2_", value: "", why: "SIP password of the landline", secret: landline.secret },
        { parameter: "Use_Auth_ID_2_", value: "no", why: "the user ID doubles as the login, as the office expects" },
        {
            parameter: "DTMF_Tx_Method_2_",
            value: "AVT",
            why: "keypad digits as RFC 4733 events, the office's dtmf_mode",
        },
    ];
}

/** PSTN Line tab, Dial Plans: 1 forwards landline callers to the target extension, 2 dials what the office sends. */
function landlineDialPlans(landline: Landline, target: Phone): Draft[] {
    return [
        {
            parameter: "Dial_Plan_1_2_",
            value: `(S0<:${target.extension}>)`,
            why: `landline callers go at once (S0) to extension ${target.extension}; the office rings ${landline.rings.join(", ")} for ${landline.ringSeconds} s, then voicemail`,
        },
        {
            parameter: "Dial_Plan_2_2_",
            value: "(xx.)",
            why: "the office sends complete numbers: dial them as they are",
        },
    ];
}

/** PSTN Line tab, VoIP-To-PSTN Gateway Setup: whether, and for whom, the adapter calls out on the landline. */
function voipToPstnSettings(landline: Landline, dialsOut: boolean, publicAddress: string): Draft[] {
    const outWhy = landline.dialOutPrefix
        ? `phones dial ${landline.dialOutPrefix} + number to call out on the landline`
        : "emergency calls go out on the landline";
    return [
        {
            parameter: "VoIP-To-PSTN_Gateway_Enable_2_",
            value: dialsOut ? "yes" : "no",
            why: dialsOut
                ? outWhy
                : "the stack does not let phones call out on the landline (no dialOutPrefix, emergency calls use a trunk)",
        },
        ...(dialsOut ? dialOutSettings(publicAddress) : []),
    ];
}

/** PSTN Line tab, PSTN-To-VoIP Gateway Setup and FXO Timer Values: every landline call is passed to the office. */
function pstnToVoipSettings(landline: Landline): Draft[] {
    return [
        { parameter: "PSTN-To-VoIP_Gateway_Enable_2_", value: "yes", why: "landline calls are passed to the office" },
        { parameter: "PSTN_Caller_Auth_Method_2_", value: "none", why: "landline callers are not asked for a PIN" },
        {
            parameter: "PSTN_Ring_Thru_Line_1_2_",
            value: "no",
            why: "the office rings the phones (and takes a message), not the adapter",
        },
        {
            parameter: "PSTN_CID_for_VoIP_CID_2_",
            value: "yes",
            why: "the landline caller's number reaches the office as the call's caller ID",
        },
        {
            parameter: "PSTN_Caller_Default_DP_2_",
            value: forwardPlan,
            why: `Dial Plan ${forwardPlan}: forward every landline call to the office`,
        },
        {
            parameter: "PSTN_Answer_Delay_2_",
            value: landline.answerDelay,
            why: "the adapter answers after this many seconds of ringing, once caller ID has arrived (deskphone:spa3102.landline.answerDelay)",
        },
    ];
}

/** PSTN Line tab, PSTN Disconnect Detection and International Control: the country's exchange. */
function exchangeSettings(preset: Country): Draft[] {
    const spa = preset.spa3102;
    return [
        {
            parameter: "Detect_Disconnect_Tone_2_",
            value: "yes",
            why: "the exchange's disconnect tone ends the call: without it landline calls never end",
        },
        {
            parameter: "Disconnect_Tone_2_",
            value: spa.disconnectTone.value,
            why: `${preset.name} disconnect tone`,
            source: spa.disconnectTone.source,
        },
        {
            parameter: "FXO_Port_Impedance_2_",
            value: spa.fxoImpedance.value,
            why: `${preset.name} line impedance`,
            source: spa.fxoImpedance.source,
        },
    ];
}

/** PSTN User tab: an automatic forward of every landline caller to the target extension. */
function callForwardSettings(target: Phone): Draft[] {
    return [
        {
            parameter: "Cfwd_Sel1_Caller_2_",
            value: "*",
            why: "matches every landline caller: an automatic forward on the PSTN User",
            source: GMC_FORWARD,
        },
        {
            parameter: "Cfwd_Sel1_Dest_2_",
            value: target.extension,
            why: `forward those callers to extension ${target.extension}, the same target as Dial Plan ${forwardPlan}`,
            source: GMC_FORWARD,
        },
    ];
}

/** What lets the office's server, and nobody else, call out on the landline. */
function dialOutSettings(publicAddress: string): Draft[] {
    return [
        {
            parameter: "VoIP_Caller_Auth_Method_2_",
            value: "HTTP Digest",
            why: "callers other than the office server are challenged, and no other VoIP user exists: nobody else can use the landline",
        },
        {
            parameter: "One_Stage_Dialing_2_",
            value: "yes",
            why: "the office sends the number in the call; the adapter dials it",
        },
        {
            parameter: "Line_1_VoIP_Caller_DP_2_",
            value: dialPlan,
            why: `Dial Plan ${dialPlan}: dial the number as sent`,
        },
        {
            parameter: "VoIP_Caller_Default_DP_2_",
            value: dialPlan,
            why: `Dial Plan ${dialPlan}: dial the number as sent`,
        },
        {
            parameter: "Line_1_Fallback_DP_2_",
            value: dialPlan,
            why: `Dial Plan ${dialPlan}: the phone's calls when the server is unreachable`,
        },
        {
            parameter: "VoIP_Access_List_2_",
            value: publicAddress,
            why: "the office server's calls are let through without a password",
        },
    ];
}

/** The stack's own values replace deskphone's; a setting deskphone would leave alone is added. */
function applyOverrides(settings: Spa3102Setting[], adapter: Spa3102): void {
    for (const [parameter, value] of Object.entries(adapter.settings ?? {})) {
        const known = spa3102Parameter(parameter);
        if (!known || known.secret) throw new Error(`deskphone:spa3102.settings.${parameter} cannot be set`);
        const source = `deskphone:spa3102.settings.${parameter}`;
        const existing = settings.find((s) => s.parameter === parameter);
        if (existing) {
            existing.why = `set by the stack (deskphone would write "${existing.value}": ${existing.why})`;
            existing.value = value;
            existing.source = source;
        } else {
            settings.push({ ...known, value, why: "set by the stack", source });
        }
    }
}

/** Web-page order, which is the parameter list's. */
function sortByPage(settings: Spa3102Setting[]): Spa3102Setting[] {
    const rank = (s: Spa3102Setting) => spa3102Parameters.findIndex((p) => p.parameter === s.parameter);
    return [...settings].sort((a, b) => rank(a) - rank(b));
}
