import { Office } from "../office/types";
import { kindOf } from "../trunks";

export interface ModuleGroup {
    why: string;
    modules: string[];
}

/** SIP with PJSIP: trunk kinds add the modules they need to this group. */
const sip: ModuleGroup = {
    why: "SIP with PJSIP: phones, trunks, digest auth, NAT, caller ID",
    modules: [
        "res_pjproject.so",
        "res_pjsip.so",
        "res_pjsip_session.so",
        "chan_pjsip.so",
        "res_pjsip_authenticator_digest.so",
        "res_pjsip_outbound_authenticator_digest.so",
        "res_pjsip_endpoint_identifier_ip.so",
        "res_pjsip_endpoint_identifier_user.so",
        "res_pjsip_registrar.so",
        "res_pjsip_sdp_rtp.so",
        "res_pjsip_nat.so",
        "res_pjsip_caller_id.so",
        "res_pjsip_rfc3326.so",
        "res_pjsip_refer.so",
        "res_pjsip_dtmf_info.so",
        "res_pjsip_pubsub.so",
        "res_pjsip_mwi.so",
        "res_pjsip_mwi_body_generator.so",
        "res_pjsip_header_funcs.so",
        "res_pjsip_logger.so",
    ],
};

const officeModules: readonly ModuleGroup[] = [
    {
        why: "configuration and timing",
        modules: ["res_sorcery_config.so", "res_sorcery_memory.so", "res_sorcery_astdb.so", "res_timing_timerfd.so"],
    },
    sip,
    {
        why: "media, SRTP for the phones over TLS",
        modules: [
            "res_rtp_asterisk.so",
            "res_srtp.so",
            "bridge_simple.so",
            "bridge_native_rtp.so",
            "codec_ulaw.so",
            "codec_alaw.so",
            "codec_gsm.so",
        ],
    },
    {
        why: "voicemail recordings and prompts",
        modules: ["format_wav.so", "format_wav_gsm.so", "format_gsm.so", "format_pcm.so", "format_sln.so"],
    },
    {
        why: "dialplan",
        modules: [
            "pbx_config.so",
            "app_dial.so",
            "app_playback.so",
            "app_voicemail.so",
            "app_stack.so",
            "app_verbose.so",
            "func_callerid.so",
            "func_channel.so",
            "func_env.so",
            "func_groupcount.so",
            "func_logic.so",
            "func_strings.so",
            "res_musiconhold.so",
        ],
    },
    { why: "security events for fail2ban", modules: ["res_security_log.so"] },
];

/** The Asterisk modules an office needs, grouped by what they are for; nothing else loads. */
export function modulesFor(office: Office): ModuleGroup[] {
    const trunkModules = new Set(office.trunks.flatMap((t) => kindOf(t).asteriskModules));
    return officeModules.map((group) => ({
        why: group.why,
        modules: group === sip ? [...group.modules, ...trunkModules] : [...group.modules],
    }));
}

/** Modules Debian ships that must never load: the ODBC and IMAP voicemail builds unregister VoiceMail. */
export const forbiddenModules = ["app_voicemail_odbc.so", "app_voicemail_imap.so"];
