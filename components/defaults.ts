/**
 * What deskphone assumes where an office leaves a setting out, each in one place: the office's
 * validation, the components and the providers read these. No imports, so serialized dynamic
 * providers can carry them.
 */

/** The SIP port Asterisk listens on, and providers send to: the one SIP uses unless told otherwise. */
export const sipPort = 5060;
/** The port of SIP over TLS (SIPS), which phones use by default: the one RFC 3261 gives it. */
export const tlsPort = 5061;
/** The UDP ports for audio: the range of Asterisk's own rtp.conf sample. */
export const rtpPorts = { start: 10000, end: 20000 };
/** SIP binds to every address of the server. */
export const bindAddress = "0.0.0.0";
/** Phones may register from anywhere (they log in with long generated passwords); SSH is key-only. */
export const anywhere = "0.0.0.0/0";

/** Seconds a number or the landline rings its phones before voicemail. */
export const ringSeconds = 20;
/** What callers hear before the beep: Asterisk's stock "Nobody is available to take your call at the moment" (2.8 s), in Debian's and Ubuntu's asterisk-core-sounds-en. */
export const greeting = "vm-nobodyavail";
/** Simultaneous outbound calls per phone. */
export const phoneOutboundCalls = 2;
/** Simultaneous outbound calls for the whole office. */
export const officeOutboundCalls = 4;

/** The relay port voicemail email goes out through: DigitalOcean blocks 25, 465 and 587. */
export const mailPort = 2525;

/** The SPA3102 landline's SIP user. */
export const landlineName = "landline";
/** Seconds the SPA3102 lets the landline ring before answering, so caller ID has arrived; the admin guide's advice for the same wait (PSTN Ring Thru Delay) is "such as 5s". */
export const landlineAnswerDelay = 5;

/** DigitalOcean's first New York region. */
export const dropletRegion = "nyc3";
/** The smallest droplet that runs Asterisk ($4/month). */
export const dropletSize = "s-1vcpu-512mb-10gb";
/** Gigabytes of the droplet's voicemail volume. */
export const voicemailVolumeGb = 1;

/** SSH on an existing server. */
export const sshPort = 22;
export const sshUser = "root";

/** Monthly minutes the cost estimate assumes, each way, when the stack gives no usage. */
export const usageMinutes = 200;

/** Twilio's two US edges, where a trunk's calls come from unless the stack names others. */
export const twilioEdges = ["ashburn", "umatilla"];
/** The Flowroute PoP a trunk uses unless the stack names another. */
export const flowroutePop = "us-west-or";
