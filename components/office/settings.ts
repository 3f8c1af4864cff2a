/**
 * The office as a stack or a program writes it: the `deskphone:` keys of a stack file, or the args
 * of a PhoneSystem. `validateOffice` turns these into the typed `Office`, filling in every default.
 * A value another resource may give (a server's address, a secret) is a `pulumi.Input`.
 */

import type * as pulumi from "@pulumi/pulumi";
import type { E911Address } from "../providers/numberSettings";
import type { TrunkSettings } from "../trunks";
import type { CountryCode } from "./countries";
import type { DestinationClass, PhoneKind, PhoneTransport } from "./types";

/** A secret: a plain string, or a Pulumi secret output (`pulumi.secret(…)`, `config.requireSecret(…)`). */
export type SecretInput = pulumi.Input<string>;

export interface OfficeSettingsInput {
    /** Human name of the office, e.g. "Acme Montevideo". Required. */
    name: string;
    /** ISO 3166-1 alpha-2 code; picks dialing rules, tones and emergency numbers. Required. */
    country: CountryCode;
    /** IANA time zone, e.g. "America/Montevideo", for voicemail timestamps. Required. */
    timezone: string;
    /** Sender address of voicemail emails. Required. */
    voicemailFrom: string;
    /** Where the office is, registered for the Flowroute numbers 911 calls go out with. Default none. */
    emergencyAddress?: E911Address;
}

export interface PhoneSettings {
    /** SIP user and endpoint name, e.g. "desk". Required. */
    name: string;
    /** Extension other phones dial, 2 to 6 digits. Required. */
    extension: string;
    /** Default "sip-phone". */
    kind?: PhoneKind;
    /** Default "tls": SIP over TLS on the server's tlsPort, with SRTP audio required. "udp" for a phone without TLS (the default for an spa3102-line). */
    transport?: PhoneTransport;
    /** The office number it calls out as: its name or E.164. Required. */
    callerId: string;
    /** SIP password. Default: generated. */
    secret?: SecretInput;
    /** Simultaneous outbound calls. Default 2. */
    maxOutboundCalls?: number;
}

export interface NumberSettings {
    /** Name within the office, e.g. "main". Default: the digits of `e164` (required for a number to buy). */
    name?: string;
    /** Its name before a rename, so `up` keeps the number. Default none. */
    renamedFrom?: string;
    /** E.164 of a number you have, e.g. "+13235550100". Required unless `buy` is given. */
    e164?: string;
    /** What to buy instead: deskphone buys one. Default: none (the number is one you have). */
    buy?: NumberPurchaseSettings;
    /** Trunk it lives on. Default: the only trunk. */
    trunk?: string;
    /** Phones it rings, by name. Default: the phones whose callerId it is. */
    rings?: string[];
    /** Seconds to ring before voicemail. Default 20. */
    ringSeconds?: number;
    /** Whether unanswered calls go to voicemail. Default true. */
    mailbox?: boolean;
    /** The sound callers hear before the beep: a stock prompt, a file under the sounds directory ("custom/main-greeting") or an absolute path, without extension. Default "vm-nobodyavail". */
    greeting?: string;
    /** Voicemail PIN, 4 to 10 digits. Default: generated. */
    mailboxPin?: SecretInput;
    /** Where voicemail is emailed. Default: not emailed. */
    email?: string;
    /** `adopt`, `buy` or `manual` (you point it yourself). Default `adopt`, or `buy` with `buy`. */
    acquire?: "adopt" | "buy" | "manual";
    /** Twilio number SID (PN…) to adopt by. Default none. */
    sid?: string;
    /** Give the number back to the provider on destroy. Default false. */
    releaseOnDelete?: boolean;
    /** Flowroute: this number's own emergency address, or false when registered by hand. Default: the office's. */
    e911?: E911Address | false;
}

export interface NumberPurchaseSettings {
    /** Default: the office's country. */
    country?: string;
    /** Default: any. */
    areaCode?: string;
    /** Digits the number must contain. Default: any. */
    contains?: string;
    /** "local", "tollFree" or "mobile" (Twilio). Default "local". */
    numberType?: "local" | "tollFree" | "mobile";
    /** Twilio Address SID (AD…), where the country asks for one. Default none. */
    addressSid?: string;
    /** Twilio regulatory Bundle SID (BU…), where the country asks for one. Default none. */
    bundleSid?: string;
}

export interface RoutesSettings {
    /** Trunk for every call no prefix claims. Default: the first trunk. */
    defaultTrunk?: string;
    /** Trunk, or the SPA3102 landline's name, for emergency calls. Default: defaultTrunk. */
    emergencyTrunk?: string;
    /** Prefix routes, each with `prefix` (E.164 digits) or `pattern`. Default none. */
    prefixes?: { prefix?: string; pattern?: string; trunk: string; strip?: number; prepend?: string }[];
    /** Destinations allowed beyond national numbers. Default none. */
    allow?: DestinationClass[];
    /** Simultaneous outbound calls for the office. Default 4. */
    maxOutboundCalls?: number;
}

export interface ServerSettingsInput {
    /** A new DigitalOcean droplet. Default, when `existing` is not given. */
    droplet?: { region?: string; size?: string; volumeGb?: number; sshPublicKey: string; adminNetworks?: string[] };
    /** A host you have, reached over SSH (default port 22, user root); `host` may be another resource's output. */
    existing?: { host: pulumi.Input<string>; port?: number; user?: string; privateKey: SecretInput };
    /** Address phones and trunks reach, for a server behind NAT; may be another resource's output. Default: the server's. */
    publicAddress?: pulumi.Input<string>;
    /** The server's DNS name, e.g. "pbx.example.com": its TLS certificate is then Let's Encrypt's. Default none: a self-signed one. */
    domain?: string;
    /** A domain your DigitalOcean account manages that `domain` is in, e.g. "example.com": deskphone creates `domain`'s A record there, at the droplet's reserved IP. Droplets only. Default none: you point `domain` at the server. */
    dnsZone?: string;
    /** Default "0.0.0.0". */
    bindAddress?: string;
    /** Default 5060. */
    sipPort?: number;
    /** The port of SIP over TLS, for phones that use it. Default 5061. */
    tlsPort?: number;
    /** Default false. */
    behindNat?: boolean;
    /** Networks inside the NAT. Default none. */
    localNetworks?: string[];
    /** Default 10000 to 20000. */
    rtpPorts?: { start?: number; end?: number };
    /** Networks phones register from. Default anywhere. */
    phoneNetworks?: string[];
}

export interface MailSettings {
    /** Relay host. Required. */
    host: string;
    /** Default 2525 (DigitalOcean blocks 25, 465 and 587). */
    port?: number;
    /** Default "starttls". */
    tls?: "starttls" | "tls" | "none";
    /** Default: no login. */
    username?: string;
    /** Required with username. */
    password?: SecretInput;
}

export interface Spa3102SettingsInput {
    /** The phone (kind spa3102-line) on the adapter's Phone port. Required. */
    linePhone: string;
    /** Whose tones and line settings the adapter uses. Default: the office's country. */
    country?: CountryCode;
    /** The landline on its Line port. Default: none. */
    landline?: {
        name?: string;
        secret?: SecretInput;
        rings: string[];
        ringSeconds?: number;
        answerDelay?: number;
        dialOutPrefix?: string;
    };
    /** Adapter parameters that replace deskphone's, by profile name. Default none. */
    settings?: Record<string, string | number | boolean>;
}

/** The `deskphone:` keys of a stack, typed. */
export interface OfficeInput {
    /** Name, country, time zone, voicemail sender, emergency address. Required. */
    office: OfficeSettingsInput;
    /** At least one. */
    phones: PhoneSettings[];
    /** The office's numbers. Default none. */
    numbers?: NumberSettings[];
    /** At least one. */
    trunks: TrunkSettings[];
    /** Default: every call through the first trunk. */
    routes?: RoutesSettings;
    /** Where Asterisk runs. Default: a droplet (which needs droplet.sshPublicKey). */
    server?: ServerSettingsInput;
    /** Voicemail email relay. Default: none. */
    mail?: MailSettings;
    /** An SPA3102 adapter. Default: none. */
    spa3102?: Spa3102SettingsInput;
    /** Monthly minutes, for the cost estimate. Default 200 in, 200 out. */
    usage?: { inboundMinutes?: number; outboundMinutes?: number };
}
