/**
 * A Twilio phone number on an office's trunk, as a dynamic provider: bought (searched in
 * AvailablePhoneNumbers, purchased as an IncomingPhoneNumber named with its deskphone tag) or adopted
 * (an existing number, by E.164 or SID), and attached to the trunk through Trunking PhoneNumbers.
 * Deleting it detaches it from the trunk and keeps it, unless `releaseOnDelete` is true: then its
 * emergency address is taken off and it is released.
 */
import * as pulumi from "@pulumi/pulumi";
import { isProviderError } from "./retry";
import type { TwilioAvailableNumber, TwilioCredentials, TwilioIncomingNumber, TwilioNumberType } from "./twilioClient";
import { TwilioClient, twilioClientFor } from "./twilioClient";
import type { NumberResourceArgs, NumberResourceInputs } from "./numberSettings";
import { maxTagLength, normalizeE164, numberMatches } from "./numberSettings";
import type { Fail } from "./providerSupport";
import {
    changedKeys,
    checkBuyByCriteria,
    checkMode,
    checkTag,
    connectionInputs,
    e164Input,
    Failure,
    failureList,
    isUnknown,
    normalizeText,
    partiallyCreated,
    tagParts,
} from "./providerSupport";
import { numberResourceInputs, withSecretOutputs } from "./numberResource";

/** A Twilio number: the shared number settings, plus how Twilio identifies, sells and routes it. */
export interface TwilioNumberArgs extends NumberResourceArgs<TwilioCredentials> {
    /** The IncomingPhoneNumber SID (PN…) to adopt, instead of or beside `e164`. */
    sid?: pulumi.Input<string>;
    /** Kind of number to buy. Default "local". */
    numberType?: pulumi.Input<TwilioNumberType>;
    /** The trunk the number's calls go to (`TwilioTrunk.trunkSid`). */
    trunkSid: pulumi.Input<string>;
    /** The Address (AD…) to buy with, where Twilio requires one. Default: none. */
    addressSid?: pulumi.Input<string>;
    /** The approved regulatory Bundle (BU…) to buy with, where Twilio requires one. Default: none. */
    bundleSid?: pulumi.Input<string>;
}

/** The provider's inputs, after `check` filled in defaults; the tag is the FriendlyName of a bought number. */
export interface TwilioNumberInputs extends NumberResourceInputs<TwilioCredentials> {
    /** "" when not given. */
    sid: string;
    numberType: TwilioNumberType;
    trunkSid: string;
    /** "" for none. */
    addressSid: string;
    /** "" for none. */
    bundleSid: string;
}

export interface TwilioNumberOutputs extends TwilioNumberInputs {
    /** The number held, E.164. */
    phoneNumber: string;
    /** Its IncomingPhoneNumber SID. */
    numberSid: string;
    /** Whether deskphone bought it (rather than adopted it). */
    purchased: boolean;
    /** The trunk Twilio has it on ("" for none). */
    attachedTrunkSid: string;
    /** Its FriendlyName at Twilio. */
    friendlyName: string;
    /** The trunk an adopted number was on before deskphone moved it ("" for none): destroy puts it back there. */
    formerTrunkSid: string;
}

export function checkTwilioNumberInputs(news: Partial<TwilioNumberInputs>): {
    inputs: TwilioNumberInputs;
    failures: Failure[];
} {
    const { failures, fail } = failureList();
    const inputs = twilioNumberInputs(news);
    checkTag(news, inputs, fail, {
        office: "the office name is required: it names a bought number at Twilio",
        name: "the number's name within the office is required",
        tooLong: `the number's Twilio name "${inputs.tag}" is over ${maxTagLength} characters: use shorter office, stack or number names`,
    });
    checkTwilioNumberChoice(news, inputs, fail);
    checkTwilioPurchaseCriteria(news, inputs, fail);
    checkTwilioSids(news, inputs, fail);
    return { inputs, failures };
}

/** The inputs with defaults filled in and values normalized; unknown values of a preview kept as they are. */
function twilioNumberInputs(news: Partial<TwilioNumberInputs>): TwilioNumberInputs {
    return {
        ...tagParts(news),
        mode: news.mode ?? "buy",
        e164: e164Input(news.e164),
        sid: normalizeText(news.sid),
        country: normalizeText(news.country || "US").toUpperCase(),
        areaCode: normalizeText(news.areaCode),
        contains: normalizeText(news.contains),
        numberType: news.numberType ?? "local",
        trunkSid: normalizeText(news.trunkSid),
        addressSid: normalizeText(news.addressSid),
        bundleSid: normalizeText(news.bundleSid),
        releaseOnDelete: news.releaseOnDelete === true,
        ...connectionInputs(news),
    };
}

/** Which number: adopted by its E.164 or SID, or bought by criteria alone. */
function checkTwilioNumberChoice(news: Partial<TwilioNumberInputs>, inputs: TwilioNumberInputs, fail: Fail): void {
    checkMode(inputs.mode, fail);
    if (news.e164 && !isUnknown(news.e164) && normalizeE164(news.e164) === undefined)
        fail("e164", `"${news.e164}" is not an E.164 number, e.g. "+13235550100"`);
    if (inputs.sid && !isUnknown(news.sid) && !/^PN[0-9a-fA-F]{32}$/.test(inputs.sid))
        fail("sid", `"${inputs.sid}" is not a Twilio phone number SID (PN and 32 hex digits)`);
    if (inputs.mode === "adopt" && !inputs.e164 && !inputs.sid) fail("e164", "adopting a number needs its e164 or sid");
    checkBuyByCriteria(inputs.mode, Boolean(inputs.e164 || inputs.sid), fail);
}

/** What a number to buy is searched by: country, area code, pattern and number type, as Twilio takes them. */
function checkTwilioPurchaseCriteria(news: Partial<TwilioNumberInputs>, inputs: TwilioNumberInputs, fail: Fail): void {
    if (!/^[A-Z]{2}$/.test(inputs.country))
        fail("country", `"${inputs.country}" is not an ISO country code, e.g. "US"`);
    if (inputs.areaCode && !isUnknown(news.areaCode) && !/^\d{2,5}$/.test(inputs.areaCode))
        fail("areaCode", `"${inputs.areaCode}" is not an area code (digits only)`);
    if (inputs.contains && !isUnknown(news.contains) && !/^[0-9A-Za-z*+]{2,16}$/.test(inputs.contains))
        fail("contains", "Twilio patterns are 2 to 16 digits, letters and *");
    if (!["local", "tollFree", "mobile"].includes(inputs.numberType))
        fail("numberType", 'use "local", "tollFree" or "mobile"');
}

/** The trunk's SID, and the regulatory Address and Bundle SIDs when given. */
function checkTwilioSids(news: Partial<TwilioNumberInputs>, inputs: TwilioNumberInputs, fail: Fail): void {
    if (!isUnknown(news.trunkSid) && !/^TK[0-9a-fA-F]{32}$/.test(inputs.trunkSid))
        fail("trunkSid", "give the trunk's SID (TwilioTrunk.trunkSid)");
    if (inputs.addressSid && !isUnknown(news.addressSid) && !/^AD[0-9a-fA-F]{32}$/.test(inputs.addressSid))
        fail("addressSid", "give a Twilio Address SID (AD and 32 hex digits)");
    if (inputs.bundleSid && !isUnknown(news.bundleSid) && !/^BU[0-9a-fA-F]{32}$/.test(inputs.bundleSid))
        fail("bundleSid", "give a Twilio regulatory Bundle SID (BU and 32 hex digits)");
}

/**
 * Replacement means another number, so only a different number asked for replaces: another number
 * to adopt, other purchase criteria, switching from adopt to buy, or another account. Switching a
 * bought number to `adopt` by its own number is no change of number.
 */
export function diffTwilioNumber(olds: TwilioNumberOutputs, news: TwilioNumberInputs): pulumi.dynamic.DiffResult {
    const replaces: string[] = [];
    const oldAccount = olds.credentials?.accountSid;
    const newAccount = news.credentials?.accountSid;
    if (oldAccount && newAccount && !isUnknown(news.credentials) && oldAccount !== newAccount)
        replaces.push("credentials");
    if (news.mode === "adopt") {
        if (!isUnknown(news.e164) && news.e164 && news.e164 !== olds.phoneNumber) replaces.push("e164");
        if (!isUnknown(news.sid) && news.sid && news.sid !== olds.numberSid) replaces.push("sid");
    } else if (olds.mode === "adopt") {
        replaces.push("mode");
    } else {
        replaces.push(...changedKeys(olds, news, ["country", "numberType", "areaCode", "contains"]).map(String));
    }
    const changed = changedKeys(olds, news, ["mode", "e164", "sid", "releaseOnDelete", "credentials"]);
    const retag = olds.purchased && olds.friendlyName !== news.tag;
    const reattach = olds.attachedTrunkSid !== news.trunkSid;
    // Delete before replace: the old number leaves the trunk (kept, or released if asked) before the
    // new one is looked for, so a kept number that fits the new ask is found again rather than
    // claimed by both resources at once.
    return {
        changes: replaces.length > 0 || changed.length > 0 || retag || reattach || olds.tag !== news.tag,
        replaces,
        deleteBeforeReplace: replaces.length > 0,
    };
}

const purchaseHint = () =>
    "the number was taken or cannot be bought on this account; run `pulumi up` again to pick another, or change areaCode/contains";

/** The number to use: found by its tag (bought before, answer lost), adopted, or bought now. */
export async function acquireTwilioNumber(
    client: TwilioClient,
    inputs: TwilioNumberInputs,
): Promise<{ number: TwilioIncomingNumber; purchased: boolean }> {
    if (inputs.mode === "adopt") return { number: await numberToAdopt(client, inputs), purchased: false };
    const bought = await numberBoughtBefore(client, inputs);
    if (bought) return { number: bought, purchased: true };
    const candidates = await numbersForSale(client, inputs);
    return { number: await purchaseOneOf(client, inputs, candidates), purchased: true };
}

/** The account's number to adopt, by its SID or else its E.164, checked against the E.164 when both are given. */
async function numberToAdopt(client: TwilioClient, inputs: TwilioNumberInputs): Promise<TwilioIncomingNumber> {
    const bySid = inputs.sid ? await client.fetchIncomingNumber(inputs.sid) : undefined;
    const number =
        bySid ??
        (inputs.e164 && !inputs.sid ? (await client.findIncomingNumbers({ phoneNumber: inputs.e164 }))[0] : undefined);
    if (!number) {
        throw new Error(
            `the Twilio account has no number ${inputs.sid || inputs.e164} to adopt: check e164/sid in the stack's deskphone:numbers, or set mode "buy" to buy one`,
        );
    }
    if (inputs.e164 && number.phoneNumber !== inputs.e164) {
        throw new Error(
            `Twilio number ${inputs.sid} is ${number.phoneNumber}, not ${inputs.e164}: fix e164 or sid in the stack's deskphone:numbers`,
        );
    }
    return number;
}

/**
 * A number carrying this tag and fitting the criteria was bought by an earlier run whose answer
 * was lost, or kept by an earlier destroy: it is this resource's number, and nothing is bought
 * twice. (One that no longer fits was kept by a replacement that asked for another number.)
 */
async function numberBoughtBefore(
    client: TwilioClient,
    inputs: TwilioNumberInputs,
): Promise<TwilioIncomingNumber | undefined> {
    const criteria = { areaCode: inputs.areaCode, contains: inputs.contains };
    const tagged = (await client.findIncomingNumbers({ friendlyName: inputs.tag })).filter((n) =>
        numberMatches(n.phoneNumber, criteria),
    );
    return tagged.length > 0 ? (tagged.find((n) => n.trunkSid === inputs.trunkSid) ?? tagged[0]) : undefined;
}

/**
 * Up to five numbers Twilio sells that fit the criteria; refused, before any purchase, when there are
 * none or one needs an address the stack does not give.
 */
async function numbersForSale(client: TwilioClient, inputs: TwilioNumberInputs): Promise<TwilioAvailableNumber[]> {
    const candidates = await client.searchAvailableNumbers(inputs.country, inputs.numberType, {
        areaCode: inputs.areaCode || undefined,
        contains: inputs.contains || undefined,
        limit: 5,
    });
    if (candidates.length === 0) {
        throw new Error(
            `Twilio has no ${inputs.numberType} ${inputs.country} numbers for sale` +
                `${inputs.areaCode ? ` in area code ${inputs.areaCode}` : ""}${inputs.contains ? ` containing ${inputs.contains}` : ""}: ` +
                "change or remove areaCode/contains in the stack's deskphone:numbers",
        );
    }
    const needsAddress = candidates.find((c) => c.addressRequirements !== "none");
    if (needsAddress && !inputs.addressSid && !inputs.bundleSid) {
        // Refused here, before any purchase: Twilio sells such a number only with an address on file.
        throw new Error(
            `Twilio sells ${needsAddress.phoneNumber} only to a buyer with an address (address requirement "${needsAddress.addressRequirements}"): ` +
                "give the number's buy.addressSid (an Address SID, AD…) or buy.bundleSid (an approved regulatory Bundle, BU…) in the stack's deskphone:numbers",
        );
    }
    return candidates;
}

/** The first of (up to) three candidates that Twilio sells to this account, named with the tag. */
async function purchaseOneOf(
    client: TwilioClient,
    inputs: TwilioNumberInputs,
    candidates: TwilioAvailableNumber[],
): Promise<TwilioIncomingNumber> {
    const regulatory = { addressSid: inputs.addressSid || undefined, bundleSid: inputs.bundleSid || undefined };
    let lastError: unknown;
    for (const candidate of candidates.slice(0, 3)) {
        try {
            return await client.purchaseNumber(candidate.phoneNumber, inputs.tag, regulatory, purchaseHint);
        } catch (error) {
            // Someone else bought it between the search and the purchase: try the next one.
            if (isProviderError(error) && error.status === 400) {
                lastError = error;
                continue;
            }
            throw error;
        }
    }
    throw lastError;
}

/**
 * Puts the number on the trunk, renaming a bought number to its tag. A number on another trunk moves
 * in one update of its TrunkSid; `formerTrunkSid` is where an adopted number was before deskphone.
 */
export async function settleTwilioNumber(
    client: TwilioClient,
    inputs: TwilioNumberInputs,
    number: TwilioIncomingNumber,
    purchased: boolean,
    formerTrunkSid: string,
): Promise<TwilioNumberOutputs> {
    let current = number;
    if (purchased && current.friendlyName !== inputs.tag)
        current = await client.renameIncomingNumber(current.sid, inputs.tag);
    const hint = () => `check trunkSid ${inputs.trunkSid}: the number and the trunk must be on the same Twilio account`;
    if (current.trunkSid && current.trunkSid !== inputs.trunkSid)
        current = await client.moveNumberToTrunk(current.sid, inputs.trunkSid, hint);
    else if (!current.trunkSid) await client.attachNumberToTrunk(inputs.trunkSid, current.sid, hint);
    return {
        formerTrunkSid,
        ...inputs,
        phoneNumber: current.phoneNumber,
        numberSid: current.sid,
        purchased,
        attachedTrunkSid: inputs.trunkSid,
        friendlyName: current.friendlyName,
    };
}

/**
 * Kept: off deskphone's trunk, so it stops ringing a server that is going away; back on the trunk an
 * adopted number came from, if that trunk is still there. A number a person moved to another trunk
 * is left there. A bought number keeps its tag, so the same stack brought up again finds it.
 */
export async function keepTwilioNumber(client: TwilioClient, props: TwilioNumberOutputs): Promise<void> {
    const number = await client.fetchIncomingNumber(props.numberSid);
    if (!number?.trunkSid || number.trunkSid !== props.trunkSid) return;
    const former = props.formerTrunkSid ? await client.fetchTrunk(props.formerTrunkSid) : undefined;
    if (former) await client.moveNumberToTrunk(number.sid, former.sid, () => undefined);
    else await client.detachNumberFromTrunk(number.trunkSid, number.sid);
}

/**
 * Released: its emergency address taken off first, since Twilio refuses to release a number that
 * still has one (terraform-provider-twilio #149; Twilio support, "Cancel or release a Twilio number").
 * A number already gone is nothing to release.
 */
export async function releaseTwilioNumber(client: TwilioClient, sid: string): Promise<void> {
    const number = await client.fetchIncomingNumber(sid);
    if (!number) return;
    if (number.emergencyAddressSid) await client.clearEmergencyAddress(sid);
    await client.releaseIncomingNumber(sid);
}

/** The dynamic provider. Its methods use only what they capture by value or require inside. */
export const twilioNumberProvider: pulumi.dynamic.ResourceProvider<TwilioNumberInputs, TwilioNumberOutputs> = {
    async check(_olds, news) {
        return checkTwilioNumberInputs(news);
    },

    async diff(_id, olds, news) {
        return diffTwilioNumber(olds, news);
    },

    async create(inputs) {
        const client = twilioClientFor(inputs);
        const { number, purchased } = await acquireTwilioNumber(client, inputs);
        const formerTrunkSid =
            !purchased && number.trunkSid && number.trunkSid !== inputs.trunkSid ? number.trunkSid : "";
        try {
            const outs = await settleTwilioNumber(client, inputs, number, purchased, formerTrunkSid);
            return { id: outs.numberSid, outs };
        } catch (error) {
            const held: TwilioNumberOutputs = {
                ...inputs,
                phoneNumber: number.phoneNumber,
                numberSid: number.sid,
                purchased,
                attachedTrunkSid: number.trunkSid ?? "",
                friendlyName: number.friendlyName,
                formerTrunkSid,
            };
            throw partiallyCreated(
                number.sid,
                held,
                inputs,
                error,
                `${purchased ? "bought" : "adopted"} ${number.phoneNumber} is not on the trunk yet`,
            );
        }
    },

    async read(id, props) {
        if (!props) return { id, props };
        const number = await twilioClientFor(props).fetchIncomingNumber(props.numberSid || id);
        // An empty id tells the engine the number is gone (released in the Twilio console).
        if (!number) return { id: "" };
        return {
            id,
            props: {
                ...props,
                phoneNumber: number.phoneNumber,
                attachedTrunkSid: number.trunkSid ?? "",
                friendlyName: number.friendlyName,
            },
        };
    },

    async update(_id, olds, news) {
        const client = twilioClientFor(news);
        const number = (await client.fetchIncomingNumber(olds.numberSid)) ?? {
            sid: olds.numberSid,
            phoneNumber: olds.phoneNumber,
            friendlyName: olds.friendlyName,
            trunkSid: olds.attachedTrunkSid || null,
            emergencyAddressSid: null,
        };
        const outs = await settleTwilioNumber(client, news, number, olds.purchased, olds.formerTrunkSid ?? "");
        return { outs };
    },

    async delete(id, props) {
        const client = twilioClientFor(props);
        const sid = props.numberSid || id;
        if (props.releaseOnDelete) {
            await releaseTwilioNumber(client, sid);
            return;
        }
        await keepTwilioNumber(client, { ...props, numberSid: sid });
    },
};

/**
 * A Twilio number on an office's trunk. Type token `pulumi-nodejs:dynamic/deskphone:TwilioNumber`.
 *
 * Not `retainOnDelete`: the provider's delete must run, because a kept number has to leave the trunk
 * (else it rings a deleted server), and that delete never releases a number unless `releaseOnDelete`
 * is true, on destroy and on replacement alike. `retainOnDelete` would skip the detach and leave the
 * number attached; a stack that wants Pulumi to forget a number without touching it can still pass it.
 */
export class TwilioNumber extends pulumi.dynamic.Resource {
    /** The number, E.164. */
    declare public readonly phoneNumber: pulumi.Output<string>;
    /** IncomingPhoneNumber SID (PN…). */
    declare public readonly numberSid: pulumi.Output<string>;
    /** Whether deskphone bought it. */
    declare public readonly purchased: pulumi.Output<boolean>;
    /** The trunk it is on. */
    declare public readonly attachedTrunkSid: pulumi.Output<string>;

    constructor(name: string, args: TwilioNumberArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            twilioNumberProvider,
            name,
            {
                ...numberResourceInputs(name, args),
                sid: args.sid,
                numberType: args.numberType,
                trunkSid: args.trunkSid,
                addressSid: args.addressSid,
                bundleSid: args.bundleSid,
                tag: undefined,
                phoneNumber: undefined,
                numberSid: undefined,
                purchased: undefined,
                attachedTrunkSid: undefined,
                friendlyName: undefined,
                formerTrunkSid: undefined,
            },
            withSecretOutputs(opts),
            "deskphone",
            "TwilioNumber",
        );
    }
}
