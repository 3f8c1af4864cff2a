/**
 * A typed client for the Twilio calls deskphone makes (numbers, SIP lists, Elastic SIP Trunking),
 * through the official `twilio` SDK, with deskphone's retries and secret-free errors.
 *
 * Runs inside serialized dynamic providers: the SDK is required where it is used, never at module level.
 */
import type TwilioSDK from "twilio";
import type RequestClient from "twilio/lib/base/RequestClient";
import type { AccountContext } from "twilio/lib/rest/api/v2010/account";
import type { ApiFailure, RetryPolicy } from "./retry";
import { retryPolicy, withRetry } from "./retry";

/** Twilio credentials: the account SID with its auth token, or with an API key and secret. */
export interface TwilioCredentials {
    /** Account SID (AC…), the account that owns the numbers and the trunk. */
    accountSid: string;
    /** Auth token of the account; or leave it out and give apiKey + apiSecret. */
    authToken?: string;
    /** API key SID (SK…). */
    apiKey?: string;
    /** API key secret. */
    apiSecret?: string;
}

/** How to reach Twilio. Every field is optional: the usual environment variables fill in. */
export interface TwilioConnection {
    /** Default: TWILIO_ACCOUNT_SID with TWILIO_AUTH_TOKEN, or with TWILIO_API_KEY and TWILIO_API_SECRET. */
    credentials?: TwilioCredentials;
    /** Sends every Twilio API request (api.twilio.com, trunking.twilio.com) to this base URL instead. Default: $DESKPHONE_TWILIO_API_URL, else Twilio's own hosts. */
    apiUrl?: string;
    /** Retry and timeout settings. Default `defaultRetryPolicy`. */
    retry?: Partial<RetryPolicy>;
}

export const twilioApiUrlVariable = "DESKPHONE_TWILIO_API_URL";

export interface TwilioIncomingNumber {
    sid: string;
    /** E.164. */
    phoneNumber: string;
    friendlyName: string;
    /** The trunk handling its calls, or null. */
    trunkSid: string | null;
    /** The emergency Address (AD…) registered on it for 911 calls, or null. */
    emergencyAddressSid: string | null;
}

export interface TwilioAvailableNumber {
    phoneNumber: string;
    region: string | null;
    /** "none", or the address its buyer must have: "any", "local" or "foreign". */
    addressRequirements: string;
}

export interface TwilioTrunkRecord {
    sid: string;
    friendlyName: string;
    domainName: string | null;
    /** Secure Trunking: TLS signalling and SRTP media on every call through the trunk. */
    secure: boolean;
}

export interface TwilioOriginationUrl {
    sid: string;
    friendlyName: string;
    sipUrl: string;
    priority: number;
    weight: number;
    enabled: boolean;
}

/** A credential list or an IP access control list: a named container. */
export interface TwilioNamedList {
    sid: string;
    friendlyName: string;
}

export interface TwilioCredentialRecord {
    sid: string;
    username: string;
}

export interface TwilioIpAddress {
    sid: string;
    friendlyName: string;
    ipAddress: string;
    cidrPrefixLength: number;
}

export type TwilioNumberType = "local" | "tollFree" | "mobile";

/** The credentials to use: the given ones, else the environment's; throws a clear error when there are none. */
export function resolveTwilioCredentials(
    given: TwilioCredentials | undefined,
    env: Record<string, string | undefined>,
): TwilioCredentials {
    const credentials: TwilioCredentials = given?.accountSid
        ? given
        : env.TWILIO_API_KEY
          ? { accountSid: env.TWILIO_ACCOUNT_SID ?? "", apiKey: env.TWILIO_API_KEY, apiSecret: env.TWILIO_API_SECRET }
          : { accountSid: env.TWILIO_ACCOUNT_SID ?? "", authToken: env.TWILIO_AUTH_TOKEN };
    const where = given?.accountSid ? "the number provider's `credentials`" : "the environment";
    if (!credentials.accountSid) {
        throw new Error(
            "no Twilio credentials: set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (or TWILIO_API_KEY and TWILIO_API_SECRET with TWILIO_ACCOUNT_SID), or pass `credentials` as a Pulumi secret",
        );
    }
    if (!/^AC[0-9a-fA-F]{32}$/.test(credentials.accountSid)) {
        throw new Error(
            `the Twilio account SID from ${where} is not one (AC followed by 32 hex digits): copy it from the Twilio console`,
        );
    }
    if (credentials.apiKey !== undefined) {
        if (!/^SK[0-9a-fA-F]{32}$/.test(credentials.apiKey))
            throw new Error(`the Twilio API key from ${where} is not a key SID (SK followed by 32 hex digits)`);
        if (!credentials.apiSecret)
            throw new Error(
                `the Twilio API key from ${where} has no secret: set TWILIO_API_SECRET or credentials.apiSecret`,
            );
    } else if (!credentials.authToken) {
        throw new Error(
            `the Twilio account from ${where} has no auth token: set TWILIO_AUTH_TOKEN (or an API key and secret)`,
        );
    }
    return credentials;
}

/**
 * The SDK's HTTP client. With an API URL, a RequestClient (the SDK's supported `httpClient` option)
 * that sends each request to that URL instead of Twilio's host, naming the host it was meant for in
 * `X-Forwarded-Host`, the way a reverse proxy would.
 */
export function twilioHttpClient(apiUrl: string | undefined, timeoutMs: number): RequestClient {
    const sdk: typeof TwilioSDK = require("twilio");
    if (!apiUrl) return new sdk.RequestClient({ timeout: timeoutMs });
    const base = new URL(apiUrl);
    class RedirectingRequestClient extends sdk.RequestClient {
        request<TData>(opts: RequestClient.RequestOptions<TData>) {
            const original = new URL(opts.uri);
            const target = new URL(base.href);
            target.pathname = base.pathname.replace(/\/$/, "") + original.pathname;
            target.search = original.search;
            return super.request({
                ...opts,
                uri: target.href,
                headers: { ...opts.headers, "X-Forwarded-Host": original.host },
            });
        }
    }
    return new RedirectingRequestClient({ timeout: timeoutMs, keepAlive: false });
}

/** What the SDK threw, as an API failure; undefined for anything that is not one. */
export function twilioFailure(error: unknown, timeoutMs: number): ApiFailure | undefined {
    const e = error as { status?: unknown; code?: unknown; message?: unknown; isAxiosError?: boolean };
    if (typeof e?.status === "number" && e.status >= 400) {
        const message = typeof e.message === "string" && e.message ? e.message : `HTTP ${e.status}`;
        return {
            status: e.status,
            code: typeof e.code === "number" || typeof e.code === "string" ? e.code : undefined,
            message,
        };
    }
    if (e?.isAxiosError || (typeof e?.code === "string" && /^E[A-Z_]+$/.test(e.code))) {
        const timedOut = e.code === "ECONNABORTED" || e.code === "ETIMEDOUT" || /timeout/i.test(String(e.message));
        return {
            message: timedOut
                ? `no answer within ${timeoutMs} ms`
                : `the connection failed (${String(e.code ?? "network error")})`,
        };
    }
    return undefined;
}

export class TwilioClient {
    readonly accountSid: string;
    private readonly sdk: TwilioSDK.Twilio;
    private readonly policy: RetryPolicy;
    private readonly secrets: string[];

    constructor(connection: TwilioConnection, env: Record<string, string | undefined> = process.env) {
        const credentials = resolveTwilioCredentials(connection.credentials, env);
        this.accountSid = credentials.accountSid;
        this.policy = retryPolicy(connection.retry);
        const user = credentials.apiKey ?? credentials.accountSid;
        const password = credentials.apiSecret ?? credentials.authToken ?? "";
        this.secrets = [password, Buffer.from(`${user}:${password}`).toString("base64")].filter((s) => s.length > 0);
        const sdk: typeof TwilioSDK = require("twilio");
        const opts = {
            accountSid: credentials.accountSid,
            httpClient: twilioHttpClient(
                connection.apiUrl || env[twilioApiUrlVariable] || undefined,
                this.policy.timeoutMs,
            ),
            autoRetry: false,
        };
        this.sdk = credentials.apiKey
            ? sdk(credentials.apiKey, credentials.apiSecret, opts)
            : sdk(credentials.accountSid, credentials.authToken, opts);
    }

    private get account(): AccountContext {
        return this.sdk.api.v2010.accounts(this.accountSid);
    }

    private call<T>(
        action: string,
        call: () => Promise<T>,
        extra: { recover?: () => Promise<T | undefined>; hint?: (failure: ApiFailure) => string | undefined } = {},
    ): Promise<T> {
        return withRetry({
            provider: "Twilio",
            action,
            policy: this.policy,
            secrets: this.secrets,
            call,
            toFailure: (error) => twilioFailure(error, this.policy.timeoutMs),
            ...extra,
        });
    }

    // Numbers

    searchAvailableNumbers(
        country: string,
        type: TwilioNumberType,
        filter: { areaCode?: string; contains?: string; limit: number },
    ): Promise<TwilioAvailableNumber[]> {
        const options = {
            voiceEnabled: true,
            limit: filter.limit,
            ...(filter.areaCode ? { areaCode: Number(filter.areaCode) } : {}),
            ...(filter.contains ? { contains: filter.contains } : {}),
        };
        return this.call(`search ${country} ${type} numbers`, async () => {
            const available = this.account.availablePhoneNumbers(country);
            const found: { phoneNumber: string; region: string; addressRequirements?: string }[] =
                type === "tollFree"
                    ? await available.tollFree.list(options)
                    : type === "mobile"
                      ? await available.mobile.list(options)
                      : await available.local.list(options);
            return found.map((n) => ({
                phoneNumber: n.phoneNumber,
                region: n.region ?? null,
                addressRequirements: n.addressRequirements ?? "none",
            }));
        });
    }

    /**
     * The account's numbers that are exactly this number or carry exactly this name. Twilio matches
     * `PhoneNumber` partially ("You can specify partial numbers", twilio_api_v2010.json), so the
     * answer is filtered here.
     */
    findIncomingNumbers(filter: { phoneNumber?: string; friendlyName?: string }): Promise<TwilioIncomingNumber[]> {
        return this.call(`list the account's numbers`, async () =>
            (await this.account.incomingPhoneNumbers.list({ ...filter }))
                .map(incomingNumber)
                .filter(
                    (n) =>
                        (!filter.phoneNumber || n.phoneNumber === filter.phoneNumber) &&
                        (!filter.friendlyName || n.friendlyName === filter.friendlyName),
                ),
        );
    }

    /** The number, or undefined when it is not on the account. */
    fetchIncomingNumber(sid: string): Promise<TwilioIncomingNumber | undefined> {
        return this.call(`read number ${sid}`, async () => {
            try {
                return incomingNumber(await this.account.incomingPhoneNumbers(sid).fetch());
            } catch (error) {
                if ((error as { status?: number }).status === 404) return undefined;
                throw error;
            }
        });
    }

    /**
     * Buys a number. After a try whose answer was lost, before each retry and when a retry is refused
     * (the lost try may have bought it after all), `recover` looks for it on the account: bought with
     * this FriendlyName, it is ours.
     */
    purchaseNumber(
        phoneNumber: string,
        friendlyName: string,
        regulatory: { addressSid?: string; bundleSid?: string },
        hint: (failure: ApiFailure) => string | undefined,
    ): Promise<TwilioIncomingNumber> {
        const options = {
            phoneNumber,
            friendlyName,
            ...(regulatory.addressSid ? { addressSid: regulatory.addressSid } : {}),
            ...(regulatory.bundleSid ? { bundleSid: regulatory.bundleSid } : {}),
        };
        return this.call(
            `buy ${phoneNumber}`,
            async () => incomingNumber(await this.account.incomingPhoneNumbers.create(options)),
            {
                recover: async () =>
                    (await this.findIncomingNumbers({ phoneNumber })).find((n) => n.friendlyName === friendlyName),
                hint,
            },
        );
    }

    renameIncomingNumber(sid: string, friendlyName: string): Promise<TwilioIncomingNumber> {
        return this.call(`rename number ${sid}`, async () =>
            incomingNumber(await this.account.incomingPhoneNumbers(sid).update({ friendlyName })),
        );
    }

    /** Puts a number on another trunk in one update of its TrunkSid (no detach, so it never rings nowhere in between). */
    moveNumberToTrunk(
        sid: string,
        trunkSid: string,
        hint: (failure: ApiFailure) => string | undefined,
    ): Promise<TwilioIncomingNumber> {
        return this.call(
            `move number ${sid} to SIP trunk ${trunkSid}`,
            async () => incomingNumber(await this.account.incomingPhoneNumbers(sid).update({ trunkSid })),
            { hint },
        );
    }

    /**
     * Takes the number's emergency address off it (Twilio: "Set Emergency Address to Null"), which
     * Twilio requires before the number can be released. Twilio's form API clears a field sent empty.
     */
    clearEmergencyAddress(sid: string): Promise<TwilioIncomingNumber> {
        return this.call(`remove the emergency address of number ${sid}`, async () =>
            incomingNumber(await this.account.incomingPhoneNumbers(sid).update({ emergencyAddressSid: "" })),
        );
    }

    /** Gives the number back to Twilio; true when it was there to release. */
    releaseIncomingNumber(sid: string): Promise<boolean> {
        return this.call(`release number ${sid}`, () =>
            removeIgnoringGone(() => this.account.incomingPhoneNumbers(sid).remove()),
        );
    }

    // Elastic SIP trunks

    listTrunks(): Promise<TwilioTrunkRecord[]> {
        return this.call("list the account's SIP trunks", async () =>
            (await this.sdk.trunking.v1.trunks.list()).map(trunkRecord),
        );
    }

    fetchTrunk(sid: string): Promise<TwilioTrunkRecord | undefined> {
        return this.call(`read SIP trunk ${sid}`, () =>
            fetchIgnoringGone(async () => trunkRecord(await this.sdk.trunking.v1.trunks(sid).fetch())),
        );
    }

    createTrunk(
        friendlyName: string,
        settings: { domainName?: string; secure: boolean },
        hint: (failure: ApiFailure) => string | undefined,
    ): Promise<TwilioTrunkRecord> {
        const { domainName, secure } = settings;
        return this.call(
            `create SIP trunk ${friendlyName}`,
            async () =>
                trunkRecord(
                    await this.sdk.trunking.v1.trunks.create({
                        friendlyName,
                        ...(domainName ? { domainName } : {}),
                        ...(secure ? { secure } : {}),
                    }),
                ),
            { recover: async () => (await this.listTrunks()).find((t) => t.friendlyName === friendlyName), hint },
        );
    }

    updateTrunk(
        sid: string,
        changes: { friendlyName?: string; domainName?: string; secure?: boolean },
        hint: (failure: ApiFailure) => string | undefined,
    ): Promise<TwilioTrunkRecord> {
        return this.call(
            `update SIP trunk ${sid}`,
            async () => trunkRecord(await this.sdk.trunking.v1.trunks(sid).update(changes)),
            { hint },
        );
    }

    deleteOriginationUrl(trunkSid: string, sid: string): Promise<boolean> {
        return this.call(`delete origination URL ${sid}`, () =>
            removeIgnoringGone(() => this.sdk.trunking.v1.trunks(trunkSid).originationUrls(sid).remove()),
        );
    }

    deleteTrunk(sid: string): Promise<boolean> {
        return this.call(`delete SIP trunk ${sid}`, () =>
            removeIgnoringGone(() => this.sdk.trunking.v1.trunks(sid).remove()),
        );
    }

    listOriginationUrls(trunkSid: string): Promise<TwilioOriginationUrl[]> {
        return this.call(`list the origination URLs of ${trunkSid}`, async () =>
            (await this.sdk.trunking.v1.trunks(trunkSid).originationUrls.list()).map(originationUrl),
        );
    }

    createOriginationUrl(trunkSid: string, url: Omit<TwilioOriginationUrl, "sid">): Promise<TwilioOriginationUrl> {
        return this.call(
            `add origination URL ${url.sipUrl} to ${trunkSid}`,
            async () => originationUrl(await this.sdk.trunking.v1.trunks(trunkSid).originationUrls.create({ ...url })),
            {
                recover: async () =>
                    (await this.listOriginationUrls(trunkSid)).find(
                        (u) => u.friendlyName === url.friendlyName && u.sipUrl === url.sipUrl,
                    ),
            },
        );
    }

    updateOriginationUrl(
        trunkSid: string,
        sid: string,
        url: Omit<TwilioOriginationUrl, "sid">,
    ): Promise<TwilioOriginationUrl> {
        return this.call(`point origination URL ${sid} at ${url.sipUrl}`, async () =>
            originationUrl(
                await this.sdk.trunking.v1
                    .trunks(trunkSid)
                    .originationUrls(sid)
                    .update({ ...url }),
            ),
        );
    }

    // Credential lists (SIP section of the 2010 API)

    listCredentialLists(): Promise<TwilioNamedList[]> {
        return this.call("list the account's credential lists", async () =>
            (await this.account.sip.credentialLists.list()).map(namedList),
        );
    }

    createCredentialList(friendlyName: string): Promise<TwilioNamedList> {
        return this.call(
            `create credential list ${friendlyName}`,
            async () => namedList(await this.account.sip.credentialLists.create({ friendlyName })),
            {
                recover: async () => (await this.listCredentialLists()).find((l) => l.friendlyName === friendlyName),
            },
        );
    }

    deleteCredentialList(sid: string): Promise<boolean> {
        return this.call(`delete credential list ${sid}`, () =>
            removeIgnoringGone(() => this.account.sip.credentialLists(sid).remove()),
        );
    }

    listCredentials(credentialListSid: string): Promise<TwilioCredentialRecord[]> {
        return this.call(`list the credentials of ${credentialListSid}`, async () =>
            (await this.account.sip.credentialLists(credentialListSid).credentials.list()).map((c) => ({
                sid: c.sid,
                username: c.username,
            })),
        );
    }

    createCredential(
        credentialListSid: string,
        username: string,
        password: string,
        hint: (failure: ApiFailure) => string | undefined,
    ): Promise<TwilioCredentialRecord> {
        return this.call(
            `add SIP user ${username} to ${credentialListSid}`,
            async () => {
                const c = await this.account.sip
                    .credentialLists(credentialListSid)
                    .credentials.create({ username, password });
                return { sid: c.sid, username: c.username };
            },
            {
                recover: async () =>
                    (await this.listCredentials(credentialListSid)).find((c) => c.username === username),
                hint,
            },
        );
    }

    setCredentialPassword(
        credentialListSid: string,
        sid: string,
        password: string,
        hint: (failure: ApiFailure) => string | undefined,
    ): Promise<void> {
        return this.call(
            `change the password of SIP credential ${sid}`,
            async () => {
                await this.account.sip.credentialLists(credentialListSid).credentials(sid).update({ password });
            },
            { hint },
        );
    }

    deleteCredential(credentialListSid: string, sid: string): Promise<boolean> {
        return this.call(`delete SIP credential ${sid}`, () =>
            removeIgnoringGone(() => this.account.sip.credentialLists(credentialListSid).credentials(sid).remove()),
        );
    }

    // IP access control lists (SIP section of the 2010 API)

    listIpAccessControlLists(): Promise<TwilioNamedList[]> {
        return this.call("list the account's IP access control lists", async () =>
            (await this.account.sip.ipAccessControlLists.list()).map(namedList),
        );
    }

    createIpAccessControlList(friendlyName: string): Promise<TwilioNamedList> {
        return this.call(
            `create IP access control list ${friendlyName}`,
            async () => namedList(await this.account.sip.ipAccessControlLists.create({ friendlyName })),
            {
                recover: async () =>
                    (await this.listIpAccessControlLists()).find((l) => l.friendlyName === friendlyName),
            },
        );
    }

    deleteIpAccessControlList(sid: string): Promise<boolean> {
        return this.call(`delete IP access control list ${sid}`, () =>
            removeIgnoringGone(() => this.account.sip.ipAccessControlLists(sid).remove()),
        );
    }

    /** The addresses of an IP access control list, as the SDK reaches them. */
    private addressesOf(listSid: string) {
        return this.account.sip.ipAccessControlLists(listSid).ipAddresses;
    }

    listIpAddresses(listSid: string): Promise<TwilioIpAddress[]> {
        return this.call(`list the addresses of ${listSid}`, async () =>
            (await this.addressesOf(listSid).list()).map(ipAddress),
        );
    }

    createIpAddress(
        listSid: string,
        friendlyName: string,
        address: string,
        hint: (failure: ApiFailure) => string | undefined,
    ): Promise<TwilioIpAddress> {
        return this.call(
            `allow ${address} in ${listSid}`,
            async () => ipAddress(await this.addressesOf(listSid).create({ friendlyName, ipAddress: address })),
            {
                recover: async () => (await this.listIpAddresses(listSid)).find((a) => a.friendlyName === friendlyName),
                hint,
            },
        );
    }

    updateIpAddress(
        listSid: string,
        sid: string,
        address: string,
        hint: (failure: ApiFailure) => string | undefined,
    ): Promise<TwilioIpAddress> {
        return this.call(
            `allow ${address} in ${listSid}`,
            async () => ipAddress(await this.addressesOf(listSid)(sid).update({ ipAddress: address })),
            { hint },
        );
    }

    // What is associated with a trunk

    listTrunkCredentialLists(trunkSid: string): Promise<string[]> {
        return this.call(`list the credential lists of ${trunkSid}`, async () =>
            (await this.sdk.trunking.v1.trunks(trunkSid).credentialsLists.list()).map((l) => l.sid),
        );
    }

    /** Lets the trunk's outbound calls authenticate with the list's credentials. */
    associateCredentialList(trunkSid: string, credentialListSid: string): Promise<true> {
        return this.associate(
            `associate credential list ${credentialListSid} with ${trunkSid}`,
            () => this.sdk.trunking.v1.trunks(trunkSid).credentialsLists.create({ credentialListSid }),
            { listed: () => this.listTrunkCredentialLists(trunkSid), sid: credentialListSid },
        );
    }

    listTrunkIpAccessControlLists(trunkSid: string): Promise<string[]> {
        return this.call(`list the IP access control lists of ${trunkSid}`, async () =>
            (await this.sdk.trunking.v1.trunks(trunkSid).ipAccessControlLists.list()).map((l) => l.sid),
        );
    }

    /** Lets the trunk take outbound calls from the list's addresses. */
    associateIpAccessControlList(trunkSid: string, ipAccessControlListSid: string): Promise<true> {
        return this.associate(
            `associate IP access control list ${ipAccessControlListSid} with ${trunkSid}`,
            () => this.sdk.trunking.v1.trunks(trunkSid).ipAccessControlLists.create({ ipAccessControlListSid }),
            { listed: () => this.listTrunkIpAccessControlLists(trunkSid), sid: ipAccessControlListSid },
        );
    }

    listTrunkPhoneNumbers(trunkSid: string): Promise<string[]> {
        return this.call(`list the numbers of ${trunkSid}`, async () =>
            (await this.sdk.trunking.v1.trunks(trunkSid).phoneNumbers.list()).map((n) => n.sid),
        );
    }

    /** Sends the number's calls to the trunk. */
    attachNumberToTrunk(
        trunkSid: string,
        phoneNumberSid: string,
        hint: (failure: ApiFailure) => string | undefined,
    ): Promise<true> {
        return this.associate(
            `attach number ${phoneNumberSid} to SIP trunk ${trunkSid}`,
            () => this.sdk.trunking.v1.trunks(trunkSid).phoneNumbers.create({ phoneNumberSid }),
            { listed: () => this.listTrunkPhoneNumbers(trunkSid), sid: phoneNumberSid, hint },
        );
    }

    /**
     * Associates something with a trunk. When the answer is lost, the association may have been made
     * all the same: found among the trunk's own (`listed`), it counts as made.
     */
    private associate(
        action: string,
        create: () => Promise<unknown>,
        {
            listed,
            sid,
            hint,
        }: { listed: () => Promise<string[]>; sid: string; hint?: (failure: ApiFailure) => string | undefined },
    ): Promise<true> {
        return this.call(
            action,
            async () => {
                await create();
                return true as const;
            },
            { recover: async () => ((await listed()).includes(sid) ? (true as const) : undefined), hint },
        );
    }

    /** Takes the number off the trunk; true when it was on it. */
    detachNumberFromTrunk(trunkSid: string, phoneNumberSid: string): Promise<boolean> {
        return this.call(`detach number ${phoneNumberSid} from SIP trunk ${trunkSid}`, () =>
            removeIgnoringGone(() => this.sdk.trunking.v1.trunks(trunkSid).phoneNumbers(phoneNumberSid).remove()),
        );
    }
}

async function removeIgnoringGone(remove: () => Promise<boolean>): Promise<boolean> {
    try {
        return await remove();
    } catch (error) {
        if ((error as { status?: number }).status === 404) return false;
        throw error;
    }
}

async function fetchIgnoringGone<T>(fetch: () => Promise<T>): Promise<T | undefined> {
    try {
        return await fetch();
    } catch (error) {
        if ((error as { status?: number }).status === 404) return undefined;
        throw error;
    }
}

function incomingNumber(n: {
    sid: string;
    phoneNumber: string;
    friendlyName: string;
    trunkSid: string | null;
    emergencyAddressSid?: string | null;
}): TwilioIncomingNumber {
    return {
        sid: n.sid,
        phoneNumber: n.phoneNumber,
        friendlyName: n.friendlyName ?? "",
        trunkSid: n.trunkSid || null,
        emergencyAddressSid: n.emergencyAddressSid || null,
    };
}

function trunkRecord(t: {
    sid: string;
    friendlyName: string;
    domainName: string | null;
    secure: boolean | null;
}): TwilioTrunkRecord {
    return { sid: t.sid, friendlyName: t.friendlyName ?? "", domainName: t.domainName || null, secure: !!t.secure };
}

function originationUrl(u: TwilioOriginationUrl): TwilioOriginationUrl {
    return {
        sid: u.sid,
        friendlyName: u.friendlyName ?? "",
        sipUrl: u.sipUrl,
        priority: u.priority,
        weight: u.weight,
        enabled: u.enabled,
    };
}

function namedList(l: { sid: string; friendlyName: string }): TwilioNamedList {
    return { sid: l.sid, friendlyName: l.friendlyName ?? "" };
}

function ipAddress(a: TwilioIpAddress): TwilioIpAddress {
    return {
        sid: a.sid,
        friendlyName: a.friendlyName ?? "",
        ipAddress: a.ipAddress,
        cidrPrefixLength: a.cidrPrefixLength,
    };
}

/** A client for a provider resource's inputs or state: only their connection settings reach it. */
export function twilioClientFor(inputs: TwilioConnection): TwilioClient {
    return new TwilioClient({ credentials: inputs.credentials, apiUrl: inputs.apiUrl, retry: inputs.retry });
}
