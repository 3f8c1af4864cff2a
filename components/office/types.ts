/**
 * The office model: one typed description of an office's phone system, read from the stack's
 * `deskphone:` config, checked by `validateOffice`, and read by every other part (templates,
 * components, number providers, the SPA3102 profile, the cost estimate).
 */

import type { E911Address } from "../providers/numberSettings";
import type { Trunk } from "../trunks";
import type { CountryCode } from "./countries";

/** What a secret is, which says how deskphone generates one it is not given: a long password, or a keypad PIN. */
export type SecretForm = "password" | "pin";

/** A value the stack keeps as a Pulumi secret; `value` is absent when deskphone generates it. */
export interface SecretSetting {
    /** Config path it came from, e.g. `deskphone:phones[0].secret`; names it in errors and outputs. */
    path: string;
    /** What it is: how a missing one is generated. Default a password. */
    form?: SecretForm;
    /** The decrypted value, or undefined when the stack leaves it to deskphone to generate. */
    value?: string;
}

export interface OfficeSettings {
    /** Human name of the office, e.g. "Acme Montevideo". */
    name: string;
    /** ISO 3166-1 alpha-2 country code; picks dialing rules, tones and emergency numbers. */
    country: CountryCode;
    /** IANA time zone of the office, used for voicemail timestamps. */
    timezone: string;
    /** Sender address of voicemail emails. */
    voicemailFrom: string;
    /**
     * Where the office is, for emergency calls: registered (E911) for every Flowroute number that 911
     * calls go out with, unless the number gives its own `e911`. Default none.
     */
    emergencyAddress?: E911Address;
}

/** How the server sends voicemail email (DigitalOcean blocks ports 25/465/587, so a relay port is explicit). */
export interface MailRelay {
    host: string;
    /** Default 2525. */
    port: number;
    /** `starttls` (default), `tls` (implicit TLS) or `none`. */
    tls: "starttls" | "tls" | "none";
    username?: string;
    password?: SecretSetting;
}

export type PhoneKind = "sip-phone" | "softphone" | "spa3102-line";
/** How a phone reaches the server: SIP over TLS with SRTP audio, or plain SIP and RTP over UDP. */
export type PhoneTransport = "tls" | "udp";

export interface Phone {
    /** SIP user name and endpoint name, e.g. "desk". */
    name: string;
    /** Internal extension other phones dial, e.g. "100". */
    extension: string;
    kind: PhoneKind;
    /** Default "tls" (SIP over TLS, SRTP audio required); "udp" for a phone without TLS, such as the SPA3102's line, which is its default. */
    transport: PhoneTransport;
    /** SIP password; generated (long and random) when the stack gives none. */
    secret: SecretSetting;
    /** Name of the office number this phone calls out as; that number's mailbox is this phone's mailbox. */
    number: string;
    /** That number's E.164, shown as caller ID on outbound calls; "" until a number to buy is bought (see `withNumbers`). */
    callerId: string;
    /** Simultaneous outbound calls this phone may have up. Default 2. */
    maxOutboundCalls: number;
}

export interface PhoneNumber {
    /** Name within the office, e.g. "main": phones name it as their caller ID, and it tags a bought number at its provider. Default: the digits of `e164`. */
    name: string;
    /** The number's name before the stack renamed it: `up` keeps its number (a Pulumi alias) and its voicemail PIN instead of buying another. Default: none. */
    renamedFrom?: string;
    /** E.164, e.g. "+13235550100"; "" until a number to buy is bought (see `withNumbers`). */
    e164: string;
    /** Trunk the number lives on (its provider). */
    trunk: string;
    /** Names of the phones it rings, all at once. Default: the phone whose caller ID is this number. */
    rings: string[];
    /** Seconds to ring before voicemail. Default 20. */
    ringSeconds: number;
    /** Whether unanswered calls go to voicemail. Default true. */
    mailbox: boolean;
    /**
     * The sound a caller hears before the beep: a stock prompt, or a file you put on the server, named
     * as Asterisk's Playback takes it (no extension). Default "vm-nobodyavail" ("Nobody is available to take your call at the moment").
     */
    greeting: string;
    /** Voicemail PIN; generated when absent. */
    mailboxPin: SecretSetting;
    /** Where voicemail is emailed, with the recording attached. */
    email?: string;
    /**
     * `adopt` (default with `e164`): deskphone points a number you have at the office, at its provider
     * (Twilio or Flowroute); `buy`: deskphone buys one matching `buy` and points it; `manual`: you do.
     */
    acquire: "adopt" | "buy" | "manual";
    /** What to buy, when `acquire` is `buy`. */
    buy?: NumberPurchase;
    /** Twilio number SID (PN…), when adopting by SID. */
    sid?: string;
    /** Give the number back to the provider on `pulumi destroy`. Default false: kept, and detached from the office. */
    releaseOnDelete: boolean;
    /**
     * Emergency address deskphone registers with the number (Flowroute): its own `e911`, else the
     * office's `emergencyAddress` when 911 calls go out through its trunk. Absent: deskphone leaves
     * the number's emergency address as the provider has it.
     */
    e911?: E911Address;
}

/** Which number to buy: any local number of the country unless narrowed. */
export interface NumberPurchase {
    /** ISO 3166-1 alpha-2 country of the number. Default: the office's country. */
    country: string;
    /** Area code, e.g. "323". Default: any. */
    areaCode?: string;
    /** Digits (Twilio also takes letters and `*`) the number must contain. Default: any. */
    contains?: string;
    /** Twilio number type: "local", "tollFree" or "mobile". Default "local" (Flowroute sells local numbers only). */
    numberType: "local" | "tollFree" | "mobile";
    /** Twilio: the Address (AD…) to buy with, where the country requires one. Default: none. */
    addressSid?: string;
    /** Twilio: the approved regulatory Bundle (BU…) to buy with, where the country requires one. Default: none. */
    bundleSid?: string;
}

/** A trunk: how the office reaches the phone network, one kind per provider (components/trunks/). */
export type {
    FlowrouteApiAccess,
    FlowrouteTrunk,
    PeersTrunk,
    RegistrationTrunk,
    Trunk,
    TrunkKind,
    TwilioApiAccess,
    TwilioTrunk,
} from "../trunks";

/** A prefix route: numbers a phone dials that match `pattern` go out through `trunk`. */
export interface PrefixRoute {
    /** Asterisk dial pattern without the leading underscore, e.g. "418." or "NXXNXXXXXX". */
    pattern: string;
    trunk: string;
    /** Digits removed from the front before the number is sent. Default 0. */
    strip: number;
    /** Digits added in front after stripping. Default "". */
    prepend: string;
}

export interface Routes {
    /** Trunk for every call no prefix route claims. */
    defaultTrunk: string;
    /** Trunk (or the SPA3102 landline, by its name) for emergency calls. Default: defaultTrunk. */
    emergencyTrunk: string;
    prefixes: PrefixRoute[];
    /** Destination classes allowed beyond national numbers. Default none. */
    allow: DestinationClass[];
    /** Simultaneous outbound calls for the whole office. Default 4. */
    maxOutboundCalls: number;
}

export type DestinationClass = "international" | "premium";

/** A new DigitalOcean droplet with a reserved IP, a cloud firewall and a voicemail volume. */
export interface DropletHost {
    kind: "droplet";
    /** DigitalOcean region slug. Default "nyc3". */
    region: string;
    /** Droplet size slug. Default "s-1vcpu-512mb-10gb", the smallest that runs Asterisk. */
    size: string;
    /** Size of the voicemail volume in GB. Default 1. */
    volumeGb: number;
    /** OpenSSH public key installed for root, e.g. "ssh-ed25519 AAAA… me@laptop". */
    sshPublicKey: string;
    /** Networks SSH is open to. Default anywhere (key-only login). */
    adminNetworks: string[];
}

/** A host the user already has, reached over SSH. */
export interface ExistingHost {
    kind: "existing";
    /** Address deskphone connects to over SSH, and trunks and phones reach. */
    host: string;
    /** SSH port. Default 22. */
    port: number;
    /** SSH user; must be root or have passwordless sudo. Default "root". */
    user: string;
    /** SSH private key (OpenSSH format). */
    privateKey: SecretSetting;
}

export interface ServerSettings {
    /** Where Asterisk runs. Default: a droplet. */
    host: DropletHost | ExistingHost;
    /** Address trunks and phones reach the server at; known after the server exists. */
    publicAddress?: string;
    /** The server's DNS name, e.g. "pbx.example.com" (an A record pointing at it): its TLS certificate is then Let's Encrypt's. Default none: a self-signed one. */
    domain?: string;
    /** A domain the DigitalOcean account manages that `domain` is in, e.g. "example.com": deskphone then creates `domain`'s A record there, at the droplet's reserved IP. Droplets only. Default none: the record is yours to make. */
    dnsZone?: string;
    /** Address SIP binds to. Default "0.0.0.0". */
    bindAddress: string;
    /** SIP UDP port. Default 5060. */
    sipPort: number;
    /** The port of SIP over TLS, for phones that use it. Default 5061. */
    tlsPort: number;
    /** Whether the server sits behind NAT (then localNetworks tell Asterisk what is inside). */
    behindNat: boolean;
    /** Networks inside the NAT. */
    localNetworks: string[];
    rtpPorts: { start: number; end: number };
    /** Networks phones register from (for the firewall). Default anywhere. */
    phoneNetworks: string[];
}

/** The landline on an SPA3102's FXO port, which the adapter forwards into the office. */
export interface Landline {
    /** SIP user the adapter's PSTN line registers as. Default "landline". */
    name: string;
    secret: SecretSetting;
    /** Phone (by name) every landline call rings. */
    rings: string[];
    /** Seconds to ring before the target's voicemail. Default 20. */
    ringSeconds: number;
    /** Seconds the adapter lets the landline ring before it answers and forwards the call, so caller ID has arrived. Default 5. */
    answerDelay: number;
    /** Prefix phones dial to go out through the landline instead of a trunk, e.g. "9"; absent: no outbound. */
    dialOutPrefix?: string;
}

export interface Spa3102 {
    /** The phone (kind spa3102-line) on the adapter's FXS port. */
    linePhone: string;
    landline?: Landline;
    /** ISO country code whose tones, impedances and caller-ID method the adapter uses. Default: the office's country. */
    country?: CountryCode;
    /** Adapter settings that replace deskphone's, by flat-profile parameter name, e.g. { Disconnect_Tone_2_: "…" }. Default none. */
    settings: Record<string, string>;
}

/** Expected monthly usage, for the cost estimate. */
export interface Usage {
    /** Minutes of inbound calls a month. Default 200. */
    inboundMinutes: number;
    /** Minutes of outbound calls a month. Default 200. */
    outboundMinutes: number;
}

export interface Office {
    office: OfficeSettings;
    phones: Phone[];
    numbers: PhoneNumber[];
    trunks: Trunk[];
    routes: Routes;
    server: ServerSettings;
    usage: Usage;
    mail?: MailRelay;
    spa3102?: Spa3102;
}
