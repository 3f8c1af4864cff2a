/**
 * What a trunk kind is, in one interface: each kind (twilio.ts, flowroute.ts, registration.ts,
 * peers.ts) implements it once, and index.ts gathers them in a record keyed by kind, so a kind
 * missing a piece, or missing from the record, does not compile.
 */

import type * as pulumi from "@pulumi/pulumi";
import type { ConfigPath, ConfigReader } from "../office/configReader";
import type { NumberPrices } from "../office/data/prices";
import type { Office, PhoneNumber, SecretSetting, ServerSettings } from "../office/types";
import type { NumberProviderName } from "../providers/numberSettings";
import type { Section, Setting } from "../render/viewModel";

/** What every trunk has: its kind and its name, which is its PJSIP endpoint and its dial context. */
export interface TrunkBase<Kind extends string> {
    kind: Kind;
    name: string;
}

export interface TrunkModule<T extends TrunkBase<string>> {
    /** Settings the stack may give under `trunks[i]` besides `name` and `kind`. */
    settings: readonly string[];
    /** Reads `trunks[i]` (its known keys already checked), reporting each problem to `r`; `name` reads the trunk's name. */
    read(r: ConfigReader, at: ConfigPath, o: Record<string, unknown>, name: () => string): T;
    /** Problems only a look at every trunk of the office, or at its server, shows (two names for one provider trunk). */
    checkTrunks?(
        r: ConfigReader,
        trunks: { trunk: T; index: number }[],
        all: TrunkBase<string>[],
        server: ServerSettings,
    ): void;

    /** Its PJSIP sections beyond those every trunk has, where its provider is (published or a stand-in). */
    pjsip(trunk: T, provider: ProviderPlace): TrunkPjsip;
    /** Asterisk modules it needs beyond every office's. */
    asteriskModules: readonly string[];
    /** Whether its SIP goes over the TLS transport (Twilio's Secure Trunking); absent: never. */
    overTls?(trunk: T): boolean;
    /** The password Asterisk authenticates with (pjsip.secrets.conf), if any. */
    sipSecret(trunk: T): SecretSetting | undefined;
    /** Addresses its provider sends SIP from: the firewalls let them in, fail2ban never bans them. */
    signallingSources(trunk: T): string[];

    /** The number as the provider wants it, a dialplan expression of the E.164 digits in `${EXTEN}`. */
    numberExpression(trunk: T): string;
    /** The caller ID as the provider wants it, from the line's E.164 digits in `${LINE_NUMBER}`. */
    callerIdExpression(trunk: T): string;
    /** An emergency number as dialed through it: bare (no "+", no country code), as every provider expects. */
    emergencyDial(trunk: T, number: string): string;
    /** A number as the provider puts it in the Request-URI of a call to the office. */
    inboundForm(trunk: T, e164: string): string;

    /** Monthly prices of its numbers and minutes; undefined when the ITSP prices them (not known here). */
    prices: NumberPrices | undefined;
    /** How deskphone gets and points its numbers at the provider's API; undefined when the ITSP does, by hand. */
    numbers: NumberProvider<T> | undefined;
}

/** Where a trunk's provider is: its published host and addresses, or a stand-in's (local runs and tests). */
export interface ProviderPlace {
    /** host[:port] calls and registrations go to, for the published one. */
    host(published: string): string;
    /** The identify section matching the provider's addresses, for the published ones. */
    identify(published: string[], comment: string): Section;
}

export interface TrunkPjsip {
    /** One line naming the trunk's provider and how it is reached. */
    description: string;
    /** The aor's settings after `type`: its contact and qualify. */
    aor: Setting[];
    /** Endpoint settings after those every trunk has. */
    endpoint: Setting[];
    /** Its auth, registration and identify sections, in the order written. */
    sections: Section[];
}

/** deskphone's number provider for a trunk kind: who buys, adopts and points its numbers. */
export interface NumberProvider<T> {
    name: NumberProviderName;
    /** Registers emergency addresses for the numbers 911 calls go out with (Flowroute). */
    registersEmergencyAddresses: boolean;
    /** Who to register an emergency address with by hand, when the provider does not do it for deskphone. */
    emergencyRegistration?: string;
    /** Checks of a number bought or adopted through it, beyond what every provider checks. */
    checkNumber?(r: ConfigReader, at: ConfigPath, number: PhoneNumber): void;
    /** Checks of the numbers that emergency calls go out with through it; `registeredElsewhere` by number index. */
    checkEmergencyNumbers?(
        r: ConfigReader,
        office: Office,
        trunk: T,
        registeredElsewhere: (numberIndex: number) => boolean,
    ): void;
    /**
     * Declares what the trunk's numbers need at the provider (a Twilio trunk), and returns how to
     * declare each number's resource, which buys or adopts it and points it at the server.
     */
    pointer(context: PointingContext, trunk: T): (number: PhoneNumber) => NumberTarget;
}

/** What declaring a number's resources needs: the PhoneSystem's name (resource names start with it) and what the server is. */
export interface PointingContext {
    name: string;
    office: Office;
    parent: pulumi.Resource;
    /** The address the provider sends calls to. */
    address: pulumi.Output<string>;
    /** Every secret's value by config path. */
    secrets: pulumi.Output<Record<string, string>>;
    /** An API secret's value (a Pulumi secret), given in the stack or as another resource's output. */
    secret(setting: SecretSetting): pulumi.Output<string>;
    /** The number's resource options: its parent and the aliases that keep it through a rename. */
    numberOptions(number: PhoneNumber): pulumi.CustomResourceOptions;
}

/** A number's E.164 (a bought one's once bought) and where its provider sends it. */
export interface NumberTarget {
    e164: pulumi.Output<string>;
    pointsAt: pulumi.Output<string>;
}

/** The shared args of a number resource: the office, the number's name, and whether it is bought or adopted. */
export function numberResourceArgs(office: Office, number: PhoneNumber) {
    return {
        office: office.office.name,
        name: number.name,
        releaseOnDelete: number.releaseOnDelete,
        ...purchaseArgs(number),
    };
}

/** A number resource's `mode` and what picks the number: the E.164 to adopt, or what to buy. */
function purchaseArgs(number: PhoneNumber): {
    mode: "buy" | "adopt";
    e164?: string;
    country?: string;
    areaCode?: string;
    contains?: string;
} {
    if (!number.buy) return { mode: "adopt", e164: number.e164 };
    const { country, areaCode, contains } = number.buy;
    return { mode: "buy", country, ...(areaCode ? { areaCode } : {}), ...(contains ? { contains } : {}) };
}

/** An auth section for the trunk's outbound calls and the endpoint setting that uses it; the password lives in pjsip.secrets.conf. */
export function outboundAuth(trunkName: string, username: string): { endpoint: Setting; section: Section } {
    return {
        endpoint: { key: "outbound_auth", value: `${trunkName}-auth` },
        section: {
            name: `${trunkName}-auth`,
            comment: "password: pjsip.secrets.conf",
            template: "userpass",
            settings: [{ key: "username", value: username }],
        },
    };
}

/** Many ITSPs ignore OPTIONS, and a contact that never answers one is "unreachable": no call would go out. */
export const noQualify: Setting = {
    key: "qualify_frequency",
    value: 0,
    why: "many ITSPs ignore OPTIONS; an unanswered qualify would stop every outbound call",
};
