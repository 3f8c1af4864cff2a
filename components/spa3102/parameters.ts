/**
 * The SPA3102 settings deskphone writes: where each sits on the adapter's web page (Voice tab > sub-tab,
 * section, field label) and its flat-profile parameter name (the XML element of a provisioning profile).
 *
 * Names follow the firmware's rule: the field label with "_" for spaces, plus "_1_" for Line 1 / User 1 and
 * "_2_" for the PSTN Line / PSTN User (the SPA3102's second SIP account); Regional settings have no index.
 * Sources for the names:
 *  - the SPA3102 5.1.10(GW) parameter list in an SPA provisioning stylesheet (Line_Enable, Restrict_Source_IP, Proxy,
 *    Register, Make_Call_Without_Reg, Ans_Call_Without_Reg, Display_Name, User_ID, Password, Use_Auth_ID,
 *    DTMF_Tx_Method, Auto_PSTN_Fallback, Dial_Plan, Cfwd_Sel1_Caller/Dest, the Regional tones, Ring_Waveform,
 *    Ring_Frequency, Ring_Voltage, FXS_Port_Impedance, Caller_ID_Method, Caller_ID_FSK_Standard);
 *  - an SPA3102 provisioning template writing the PSTN Line as account 2 (Proxy_2_, User_ID_2_, Password_2_,
 *    Dial_Plan_1_2_, VoIP-To-PSTN_Gateway_Enable_2_, VoIP_Caller_Auth_Method_2_, One_Stage_Dialing_2_,
 *    VoIP_Caller_Default_DP_2_, Line_1_VoIP_Caller_DP_2_, Line_1_Fallback_DP_2_, PSTN-To-VoIP_Gateway_Enable_2_,
 *    PSTN_Caller_Auth_Method_2_, PSTN_Ring_Thru_Line_1_2_, PSTN_Caller_Default_DP_2_, PSTN_Answer_Delay_2_,
 *    FXO_Port_Impedance_2_);
 *  - Cisco's "Provisioning Guide for Cisco SPA100 and SPA200 Series ATAs" (same firmware family; its PSTN line is
 *    account 3) for the rest, re-indexed to 2: PSTN_CID_for_VoIP_CID, VoIP_Access_List, Detect_Disconnect_Tone,
 *    Disconnect_Tone.
 * Field labels and sections: "Linksys ATA Administration Guide", chapter "Linksys ATA Field Reference".
 */

import { closest } from "../office/configReader";

/** The adapter's web sub-tabs deskphone fills, in the order the web page shows them. */
export const spa3102Tabs = ["Regional", "Line 1", "PSTN Line", "PSTN User"] as const;
export type Spa3102Tab = (typeof spa3102Tabs)[number];

export interface Spa3102Parameter {
    /** Flat-profile parameter name, e.g. "Disconnect_Tone_2_": the XML element and the override key. */
    parameter: string;
    tab: Spa3102Tab;
    /** Section heading on the tab, e.g. "PSTN Disconnect Detection". */
    section: string;
    /** Field label on the web page, e.g. "Disconnect Tone". */
    field: string;
    /** A password: shown only in the records asked for with secrets, never overridden in plain config. */
    secret: boolean;
}

const line = (n: 1 | 2): Spa3102Tab => (n === 1 ? "Line 1" : "PSTN Line");

/** The account-level fields both SIP accounts have: Line 1 (index 1) and the PSTN Line (index 2). */
function account(n: 1 | 2): Spa3102Parameter[] {
    const p = (section: string, field: string, secret = false): Spa3102Parameter => ({
        parameter: `${field.replace(/ /g, "_")}_${n}_`,
        tab: line(n),
        section,
        field,
        secret,
    });
    return [
        p("Line Enable", "Line Enable"),
        p("SIP Settings", "Restrict Source IP"),
        p("Proxy and Registration", "Proxy"),
        p("Proxy and Registration", "Register"),
        p("Proxy and Registration", "Make Call Without Reg"),
        p("Proxy and Registration", "Ans Call Without Reg"),
        p("Subscriber Information", "Display Name"),
        p("Subscriber Information", "User ID"),
        p("Subscriber Information", "Password", true),
        p("Subscriber Information", "Use Auth ID"),
        p("Audio Configuration", "DTMF Tx Method"),
    ];
}

function pstn(section: string, field: string, parameter = `${field.replace(/ /g, "_")}_2_`): Spa3102Parameter {
    return { parameter, tab: "PSTN Line", section, field, secret: false };
}

function regional(section: string, field: string): Spa3102Parameter {
    return { parameter: field.replace(/ /g, "_"), tab: "Regional", section, field, secret: false };
}

/** Every parameter deskphone may write, in the order the web page shows them (tab by tab, top to bottom). */
export const spa3102Parameters: readonly Spa3102Parameter[] = [
    regional("Call Progress Tones", "Dial Tone"),
    regional("Call Progress Tones", "Busy Tone"),
    regional("Call Progress Tones", "Reorder Tone"),
    regional("Call Progress Tones", "Ring Back Tone"),
    regional("Ring and Call Waiting Tone Spec", "Ring Waveform"),
    regional("Ring and Call Waiting Tone Spec", "Ring Frequency"),
    regional("Ring and Call Waiting Tone Spec", "Ring Voltage"),
    regional("Miscellaneous", "FXS Port Impedance"),
    regional("Miscellaneous", "Caller ID Method"),
    regional("Miscellaneous", "Caller ID FSK Standard"),

    ...account(1),
    {
        parameter: "Auto_PSTN_Fallback_1_",
        tab: "Line 1",
        section: "VoIP Fallback To PSTN",
        field: "Auto PSTN Fallback",
        secret: false,
    },
    { parameter: "Dial_Plan_1_", tab: "Line 1", section: "Dial Plan", field: "Dial Plan", secret: false },

    ...account(2),
    pstn("Dial Plans", "Dial Plan 1"),
    pstn("Dial Plans", "Dial Plan 2"),
    pstn("VoIP-To-PSTN Gateway Setup", "VoIP-To-PSTN Gateway Enable"),
    pstn("VoIP-To-PSTN Gateway Setup", "VoIP Caller Auth Method"),
    pstn("VoIP-To-PSTN Gateway Setup", "One Stage Dialing"),
    pstn("VoIP-To-PSTN Gateway Setup", "Line 1 VoIP Caller DP"),
    pstn("VoIP-To-PSTN Gateway Setup", "VoIP Caller Default DP"),
    pstn("VoIP-To-PSTN Gateway Setup", "Line 1 Fallback DP"),
    pstn("VoIP-To-PSTN Gateway Setup", "VoIP Access List"),
    pstn("PSTN-To-VoIP Gateway Setup", "PSTN-To-VoIP Gateway Enable"),
    pstn("PSTN-To-VoIP Gateway Setup", "PSTN Caller Auth Method"),
    pstn("PSTN-To-VoIP Gateway Setup", "PSTN Ring Thru Line 1"),
    pstn("PSTN-To-VoIP Gateway Setup", "PSTN CID For VoIP CID", "PSTN_CID_for_VoIP_CID_2_"),
    pstn("PSTN-To-VoIP Gateway Setup", "PSTN Caller Default DP"),
    pstn("FXO Timer Values (sec)", "PSTN Answer Delay"),
    pstn("PSTN Disconnect Detection", "Detect Disconnect Tone"),
    pstn("PSTN Disconnect Detection", "Disconnect Tone"),
    pstn("International Control", "FXO Port Impedance"),

    {
        parameter: "Cfwd_Sel1_Caller_2_",
        tab: "PSTN User",
        section: "Selective Call Forward Settings",
        field: "Cfwd Sel1 Caller",
        secret: false,
    },
    {
        parameter: "Cfwd_Sel1_Dest_2_",
        tab: "PSTN User",
        section: "Selective Call Forward Settings",
        field: "Cfwd Sel1 Dest",
        secret: false,
    },
];

export function spa3102Parameter(name: string): Spa3102Parameter | undefined {
    return spa3102Parameters.find((p) => p.parameter === name);
}

/**
 * The parameters a mistyped name most likely meant: the same name without its account index or as the web
 * label ("Disconnect Tone" → Disconnect_Tone_2_; "Proxy" → Proxy_1_, Proxy_2_), else the nearest spelling.
 */
export function suggestSpa3102Parameters(name: string): string[] {
    const normal = (s: string) =>
        s
            .trim()
            .replace(/[\s_]+/g, "_")
            .toLowerCase();
    const wanted = normal(withoutAccountIndex(name));
    const sameName = spa3102Parameters
        .filter((p) => normal(withoutAccountIndex(p.parameter)) === wanted)
        .map((p) => p.parameter);
    if (sameName.length) return sameName;
    const names = spa3102Parameters.map((p) => p.parameter);
    const near = closest(name, names) ?? closest(withoutAccountIndex(name), names.map(withoutAccountIndex));
    return near ? names.filter((p) => p === near || withoutAccountIndex(p) === near) : [];
}

/** "Disconnect_Tone_2_" → "Disconnect_Tone": how people write a name from the web label, without the account index. */
export function withoutAccountIndex(parameter: string): string {
    return parameter.replace(/_[12]_$/, "");
}
