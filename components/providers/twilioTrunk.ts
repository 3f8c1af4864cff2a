/**
 * An office's Twilio Elastic SIP Trunk, as a dynamic provider: the trunk, its origination URL
 * (`sip:<server address>`, or `sip:<server>:<tlsPort>;transport=tls` with Secure Trunking), a credential list with the office's SIP user and an IP access control
 * list with the server's address, both associated with the trunk. Everything deskphone creates is
 * named `deskphone:<stack>:<office>:<trunk>`, which is how a create that lost its answer finds its
 * work, and why two trunks of one office stay two.
 */
import * as pulumi from "@pulumi/pulumi";
import type { RetryPolicy } from "./retry";
import { isNotFound } from "./retry";
import type { TwilioCredentials, TwilioOriginationUrl, TwilioTrunkRecord } from "./twilioClient";
import { TwilioClient, twilioClientFor } from "./twilioClient";
import { deskphoneTag, maxTagLength } from "./numberSettings";
import type { Fail } from "./providerSupport";
import {
    changedKeys,
    checkSipPort,
    checkTag,
    connectionInputs,
    Failure,
    failureList,
    findOrCreate,
    findOwn,
    isIpv4,
    isUnknown,
    normalizeHost,
    normalizeText,
    serverAddressInput,
    tagParts,
    wholeNumber,
} from "./providerSupport";
import { tagInputs, withSecretOutputs } from "./numberResource";

export interface TwilioTrunkArgs {
    /** Office name; tags everything deskphone creates at Twilio as `deskphone:<stack>:<office>`. */
    office: pulumi.Input<string>;
    /** Stack name in the tag. Default: the current stack. */
    stack?: pulumi.Input<string>;
    /** The trunk's name within the office, e.g. "twilio"; the last part of the tag. Default: the resource name. */
    name?: pulumi.Input<string>;
    /** IPv4 address of the Asterisk server: Twilio sends calls there and takes calls from there. */
    serverAddress: pulumi.Input<string>;
    /** SIP port of the server. Default 5060. */
    sipPort?: pulumi.Input<number>;
    /** Twilio Secure Trunking: TLS signalling and SRTP media on every call, origination over TLS. Default false. */
    secure?: pulumi.Input<boolean>;
    /** The server's port of SIP over TLS, in the origination URLs of a secure trunk. Default 5061. */
    tlsPort?: pulumi.Input<number>;
    /** The server's DNS name (its TLS certificate's), in the origination URLs of a secure trunk. Default: serverAddress. */
    serverName?: pulumi.Input<string>;
    /** Priority of the origination URL; lower is tried first. Default 10. */
    originationPriority?: pulumi.Input<number>;
    /** Weight of the origination URL among those of the same priority. Default 10. */
    originationWeight?: pulumi.Input<number>;
    /**
     * Twilio edges that send the office's incoming calls, e.g. ["ashburn", "umatilla"]: one origination
     * URL each, `sip:<server>;edge=<edge>`, tried in this order. Default: none (Twilio picks the edge).
     */
    edges?: pulumi.Input<string[]>;
    /**
     * Termination SIP domain, e.g. "acme.pstn.twilio.com"; an edge form ("acme.pstn.sao-paulo.twilio.com")
     * names the same trunk, whose DomainName is then "acme.pstn.twilio.com". Default: none.
     */
    terminationDomain?: pulumi.Input<string>;
    /** SIP user Asterisk authenticates outbound calls with. */
    username: pulumi.Input<string>;
    /** Its password, kept as a Pulumi secret (Twilio: 12+ characters, upper and lower case, a digit). */
    password: pulumi.Input<string>;
    /** Twilio credentials, kept as a Pulumi secret. Default: TWILIO_* environment variables. */
    credentials?: pulumi.Input<TwilioCredentials>;
    /** Twilio API base URL. Default: $DESKPHONE_TWILIO_API_URL, else Twilio's own hosts. */
    apiUrl?: pulumi.Input<string>;
    /** Retry and timeout settings. Default `defaultRetryPolicy`. */
    retry?: Partial<RetryPolicy>;
}

/** The provider's inputs, after `check` filled in defaults. */
export interface TwilioTrunkInputs {
    office: string;
    stack: string;
    name: string;
    /** `deskphone:<stack>:<office>:<name>`: the FriendlyName of the trunk and of each thing in it. */
    tag: string;
    serverAddress: string;
    sipPort: number;
    secure: boolean;
    tlsPort: number;
    /** "" for none: origination URLs then name serverAddress. */
    serverName: string;
    originationPriority: number;
    originationWeight: number;
    /** Edges of the origination URLs, in order; [] for one URL without an edge. */
    edges: string[];
    /** The trunk's DomainName, never in edge form; "" for none. */
    terminationDomain: string;
    username: string;
    password: string;
    credentials?: TwilioCredentials;
    apiUrl?: string;
    retry?: Partial<RetryPolicy>;
}

/** What the provider keeps in state: the inputs as Twilio has them, and the SIDs. */
export interface TwilioTrunkOutputs extends TwilioTrunkInputs {
    trunkSid: string;
    /** The first origination URL, `sip:<server address>[:port][;transport=tls][;edge=<edge>]`. */
    sipUrl: string;
    originationUrlSid: string;
    /** Every origination URL deskphone keeps on the trunk, one per edge, in order. */
    sipUrls: string[];
    originationUrlSids: string[];
    credentialListSid: string;
    credentialSid: string;
    ipAccessControlListSid: string;
    ipAddressSid: string;
    /** The address the IP access control list allows ("" when it is gone). */
    allowedAddress: string;
}

/** Where Twilio sends the trunk's calls: a host and port, over TLS or not. */
export interface OriginationTarget {
    host: string;
    port: number;
    tls: boolean;
}

/** The server's address and SIP port; with Secure Trunking its name (its certificate's) and TLS port, over TLS. */
export function originationTarget(
    inputs: Pick<TwilioTrunkInputs, "serverAddress" | "sipPort" | "secure" | "tlsPort" | "serverName">,
): OriginationTarget {
    return inputs.secure
        ? { host: inputs.serverName || inputs.serverAddress, port: inputs.tlsPort, tls: true }
        : { host: inputs.serverAddress, port: inputs.sipPort, tls: false };
}

/**
 * `sip:203.0.113.7`, with the port only when it is not 5060; over TLS `sip:203.0.113.7:5061;transport=tls`,
 * the port always written, as Twilio's Secure Trunking asks of origination URIs.
 */
export function originationSipUrl(target: OriginationTarget): string {
    const host = normalizeHost(target.host);
    if (target.tls) return `sip:${host}:${target.port};transport=tls`;
    return `sip:${host}${target.port === 5060 ? "" : `:${target.port}`}`;
}

/**
 * The trunk's origination URLs: one per edge with `;edge=<edge>`, so that Twilio sends each call from
 * the edge whose addresses the server admits (Twilio changelog 2020-07-30, "edge" parameter on
 * origination URLs), else one without an edge.
 */
export function originationSipUrls(target: OriginationTarget, edges: string[]): string[] {
    const base = originationSipUrl(target);
    return edges.length > 0 ? edges.map((edge) => `${base};edge=${edge}`) : [base];
}

/** The host, port and transport an origination URL points at, or undefined for a URL deskphone would not write. */
export function parseOriginationSipUrl(sipUrl: string): (OriginationTarget & { edge?: string }) | undefined {
    const match = /^sip:([^:;?]+)(?::(\d+))?(;transport=tls)?(?:;edge=([a-z0-9-]+))?$/i.exec(sipUrl.trim());
    if (!match) return undefined;
    const tls = !!match[3];
    return {
        host: normalizeHost(match[1]),
        port: match[2] ? Number(match[2]) : tls ? 5061 : 5060,
        tls,
        ...(match[4] ? { edge: match[4] } : {}),
    };
}

/**
 * The trunk's DomainName for a termination host: Twilio names a trunk `<name>.pstn.twilio.com` and
 * reaches it through any edge as `<name>.pstn.<edge>.twilio.com`, so the edge form maps to the first.
 */
export function trunkDomainName(terminationHost: string): string {
    const host = normalizeHost(terminationHost);
    const edgeForm = /^(.+)\.pstn\.[a-z0-9-]+\.twilio\.com$/.exec(host);
    return edgeForm ? `${edgeForm[1]}.pstn.twilio.com` : host;
}

/** Checks the inputs and fills in defaults; failures name the argument and what to write instead. */
export function checkTwilioTrunkInputs(news: Partial<TwilioTrunkInputs>): {
    inputs: TwilioTrunkInputs;
    failures: Failure[];
} {
    const { failures, fail } = failureList();
    const inputs = twilioTrunkInputs(news);
    checkTag(news, inputs, fail, {
        office: "the office name is required: it names the trunk at Twilio",
        name: "the trunk's name within the office is required: it names the trunk at Twilio",
        tooLong: `the trunk's Twilio name "${inputs.tag}" is over ${maxTagLength} characters: use a shorter office, stack or trunk name`,
    });
    checkServer(news, inputs, fail);
    checkSecure(news, inputs, fail);
    checkOriginationOrder(news, inputs, fail);
    checkTerminationDomain(news, inputs, fail);
    checkEdges(news, inputs, fail);
    checkSipUser(news, inputs, fail);
    return { inputs, failures };
}

/** The inputs with defaults filled in and values normalized; unknown values of a preview kept as they are. */
function twilioTrunkInputs(news: Partial<TwilioTrunkInputs>): TwilioTrunkInputs {
    return {
        ...tagParts(news),
        serverAddress: serverAddressInput(news.serverAddress),
        sipPort: (news.sipPort ?? 5060) as number,
        secure: (news.secure ?? false) as boolean,
        tlsPort: (news.tlsPort ?? 5061) as number,
        serverName: isUnknown(news.serverName) ? (news.serverName as string) : normalizeHost(news.serverName),
        originationPriority: (news.originationPriority ?? 10) as number,
        originationWeight: (news.originationWeight ?? 10) as number,
        edges: isUnknown(news.edges) ? (news.edges as string[]) : (news.edges ?? []).map(normalizeText),
        terminationDomain: isUnknown(news.terminationDomain)
            ? (news.terminationDomain as string)
            : trunkDomainName(news.terminationDomain ?? ""),
        username: normalizeText(news.username),
        password: news.password ?? "",
        ...connectionInputs(news),
    };
}

/** The server's address and SIP port: the address must be IPv4, since it also goes into the IP access control list. */
function checkServer(news: Partial<TwilioTrunkInputs>, inputs: TwilioTrunkInputs, fail: Fail): void {
    if (!isUnknown(news.serverAddress) && !isIpv4(inputs.serverAddress))
        fail(
            "serverAddress",
            `"${inputs.serverAddress}" is not an IPv4 address: Twilio's IP access control lists hold addresses, give the server's public IPv4 address`,
        );
    checkSipPort(news.sipPort, inputs.sipPort, fail);
}

/** Secure Trunking's switch and where Twilio reaches the server over TLS. */
function checkSecure(news: Partial<TwilioTrunkInputs>, inputs: TwilioTrunkInputs, fail: Fail): void {
    if (!isUnknown(news.secure) && typeof inputs.secure !== "boolean")
        fail("secure", `${JSON.stringify(inputs.secure)} is not true or false: Secure Trunking is on or off`);
    if (!isUnknown(news.tlsPort) && wholeNumber(inputs.tlsPort, 1, 65535) === undefined)
        fail("tlsPort", "the TLS port must be a whole number from 1 to 65535 (default 5061)");
    if (inputs.serverName && !isUnknown(news.serverName) && !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(inputs.serverName))
        fail("serverName", `"${inputs.serverName}" is not a DNS name: give the name the server's certificate is for`);
}

/** The origination URLs' priority and weight, within the ranges Twilio takes. */
function checkOriginationOrder(news: Partial<TwilioTrunkInputs>, inputs: TwilioTrunkInputs, fail: Fail): void {
    if (!isUnknown(news.originationPriority) && wholeNumber(inputs.originationPriority, 0, 65535) === undefined)
        fail("originationPriority", "Twilio takes a priority from 0 to 65535 (default 10)");
    if (!isUnknown(news.originationWeight) && wholeNumber(inputs.originationWeight, 1, 65535) === undefined)
        fail("originationWeight", "Twilio takes a weight from 1 to 65535 (default 10)");
}

function checkTerminationDomain(news: Partial<TwilioTrunkInputs>, inputs: TwilioTrunkInputs, fail: Fail): void {
    if (
        inputs.terminationDomain &&
        !isUnknown(news.terminationDomain) &&
        !/^[a-z0-9-]+(\.[a-z0-9-]+)*\.pstn\.twilio\.com$/.test(inputs.terminationDomain)
    )
        fail(
            "terminationDomain",
            `"${inputs.terminationDomain}" is not a Twilio termination domain: use <name>.pstn.twilio.com`,
        );
}

function checkEdges(news: Partial<TwilioTrunkInputs>, inputs: TwilioTrunkInputs, fail: Fail): void {
    if (!isUnknown(news.edges) && inputs.edges.some((edge) => !/^[a-z][a-z0-9-]*$/.test(edge)))
        fail(
            "edges",
            `${JSON.stringify(inputs.edges)} are not Twilio edge names: use names such as "ashburn" or "sao-paulo"`,
        );
}

/** The SIP user and password Asterisk authenticates outbound calls with, within Twilio's rules for credentials. */
function checkSipUser(news: Partial<TwilioTrunkInputs>, inputs: TwilioTrunkInputs, fail: Fail): void {
    if (!inputs.username && !isUnknown(news.username))
        fail("username", "the SIP user Asterisk authenticates outbound calls with is required");
    if (inputs.username.length > 32 && !isUnknown(news.username))
        fail(
            "username",
            `the SIP user "${inputs.username}" is over 32 characters, Twilio's limit for credential user names: use a shorter one`,
        );
    if (!isUnknown(news.password) && !isTwilioSipPassword(inputs.password))
        fail(
            "password",
            "Twilio requires SIP passwords of at least 12 characters with upper and lower case letters and a digit (the password itself is not shown)",
        );
}

/** Whether Twilio takes this as a SIP credential's password: 12 or more characters, upper and lower case, a digit. */
function isTwilioSipPassword(password: string): boolean {
    return password.length >= 12 && /[a-z]/.test(password) && /[A-Z]/.test(password) && /\d/.test(password);
}

/**
 * What `diff` compares. The server address moving is an update in place (the origination URL and
 * the IP access control list are edited); only a different Twilio account replaces the trunk.
 */
export function diffTwilioTrunk(olds: TwilioTrunkOutputs, news: TwilioTrunkInputs): pulumi.dynamic.DiffResult {
    const replaces: string[] = [];
    const oldAccount = olds.credentials?.accountSid;
    const newAccount = news.credentials?.accountSid;
    if (oldAccount && newAccount && !isUnknown(news.credentials) && oldAccount !== newAccount)
        replaces.push("credentials");
    const desired = {
        tag: news.tag,
        sipUrls: [news.serverAddress, news.edges, news.secure, news.serverName].some(isUnknown)
            ? news.serverAddress
            : originationSipUrls(originationTarget(news), news.edges),
        secure: news.secure,
        allowedAddress: news.serverAddress,
        originationPriority: news.originationPriority,
        originationWeight: news.originationWeight,
        terminationDomain: news.terminationDomain,
        username: news.username,
        password: news.password,
        // New credentials (a rotated token) are an update, so that later reads and deletes use them.
        credentials: news.credentials,
    };
    const current = {
        tag: olds.tag,
        sipUrls: olds.sipUrls ?? [olds.sipUrl],
        // A state from before Secure Trunking was a setting: its trunk was not secure.
        secure: olds.secure ?? false,
        allowedAddress: olds.allowedAddress,
        originationPriority: olds.originationPriority,
        originationWeight: olds.originationWeight,
        terminationDomain: olds.terminationDomain,
        username: olds.username,
        password: olds.password,
        credentials: olds.credentials,
    };
    const changes = changedKeys(current, desired, Object.keys(desired) as (keyof typeof desired)[]);
    return { changes: changes.length > 0 || replaces.length > 0, replaces, deleteBeforeReplace: false };
}

/**
 * Makes Twilio match the inputs, finding each piece by its SID (when known) or by the tag, creating
 * what is missing and editing what differs. Create and update both run it, so it is safe to repeat.
 */
export async function convergeTwilioTrunk(
    client: TwilioClient,
    inputs: TwilioTrunkInputs,
    known: Partial<TwilioTrunkOutputs>,
    passwordChanged: boolean,
): Promise<TwilioTrunkOutputs> {
    const tag = inputs.tag;
    const domainHint = () =>
        inputs.terminationDomain
            ? `check the trunk's terminationDomain "${inputs.terminationDomain}": it must be unique across Twilio and end in pstn.twilio.com`
            : undefined;

    let trunk = await findOrCreateTrunk(client, inputs, known, domainHint);
    if (
        trunk.friendlyName !== tag ||
        normalizeHost(trunk.domainName ?? "") !== inputs.terminationDomain ||
        trunk.secure !== inputs.secure
    ) {
        // Secure is one of the trunk's own settings (POST /v1/Trunks/{Sid}): switching it is an update in place.
        trunk = await client.updateTrunk(
            trunk.sid,
            {
                friendlyName: tag,
                ...(inputs.terminationDomain ? { domainName: inputs.terminationDomain } : {}),
                secure: inputs.secure,
            },
            domainHint,
        );
    }

    const urls = await convergeOriginationUrls(client, trunk.sid, inputs, known);

    const { credentialList, credential } = await convergeCredential(client, inputs, known, passwordChanged);
    const { ipList, address } = await convergeAllowedAddress(client, inputs, known);

    // Both lists associated with the trunk.
    if (!(await client.listTrunkCredentialLists(trunk.sid)).includes(credentialList.sid))
        await client.associateCredentialList(trunk.sid, credentialList.sid);
    if (!(await client.listTrunkIpAccessControlLists(trunk.sid)).includes(ipList.sid))
        await client.associateIpAccessControlList(trunk.sid, ipList.sid);

    return {
        ...inputs,
        trunkSid: trunk.sid,
        sipUrl: urls[0].sipUrl,
        originationUrlSid: urls[0].sid,
        sipUrls: urls.map((u) => u.sipUrl),
        originationUrlSids: urls.map((u) => u.sid),
        credentialListSid: credentialList.sid,
        credentialSid: credential.sid,
        ipAccessControlListSid: ipList.sid,
        ipAddressSid: address.sid,
        allowedAddress: address.ipAddress,
    };
}

/** Whether a record's FriendlyName is the trunk's tag, or the tag it had before. */
const taggedFor =
    (inputs: TwilioTrunkInputs, known: Partial<TwilioTrunkOutputs>) => (record: { friendlyName: string }) =>
        record.friendlyName === inputs.tag || record.friendlyName === known.tag;

/** The credential list with the office's SIP user, its password set when it changed; a credential deskphone made for another user is deleted. */
async function convergeCredential(
    client: TwilioClient,
    inputs: TwilioTrunkInputs,
    known: Partial<TwilioTrunkOutputs>,
    passwordChanged: boolean,
) {
    const credentialList = await findOrCreate(
        await client.listCredentialLists(),
        known.credentialListSid,
        (l) => l.sid,
        taggedFor(inputs, known),
        () => client.createCredentialList(inputs.tag),
    );
    const passwordHint = () =>
        "Twilio refused the SIP user or password: use at least 12 characters with upper and lower case letters and a digit";
    const credentials = await client.listCredentials(credentialList.sid);
    let credential = credentials.find((c) => c.username === inputs.username);
    if (!credential) {
        credential = await client.createCredential(credentialList.sid, inputs.username, inputs.password, passwordHint);
    } else if (passwordChanged) {
        await client.setCredentialPassword(credentialList.sid, credential.sid, inputs.password, passwordHint);
    }
    for (const stale of credentials.filter((c) => c.sid !== credential.sid && c.sid === known.credentialSid)) {
        await client.deleteCredential(credentialList.sid, stale.sid);
    }
    return { credentialList, credential };
}

/** The IP access control list with the server's address, the one address Twilio takes calls for the trunk from. */
async function convergeAllowedAddress(
    client: TwilioClient,
    inputs: TwilioTrunkInputs,
    known: Partial<TwilioTrunkOutputs>,
) {
    const tagged = taggedFor(inputs, known);
    const ipList = await findOrCreate(
        await client.listIpAccessControlLists(),
        known.ipAccessControlListSid,
        (l) => l.sid,
        tagged,
        () => client.createIpAccessControlList(inputs.tag),
    );
    const addressHint = () => `check serverAddress "${inputs.serverAddress}": Twilio takes a public IPv4 address`;
    let address = findOwn(await client.listIpAddresses(ipList.sid), known.ipAddressSid, (a) => a.sid, tagged);
    if (!address) address = await client.createIpAddress(ipList.sid, inputs.tag, inputs.serverAddress, addressHint);
    else if (address.ipAddress !== inputs.serverAddress)
        address = await client.updateIpAddress(ipList.sid, address.sid, inputs.serverAddress, addressHint);
    return { ipList, address };
}

/** Whether a FriendlyName is deskphone's tag for some trunk of this stack's office (any trunk name, or none as before trunks were named). */
export function isOfficeTrunkTag(friendlyName: string, stack: string, office: string): boolean {
    const officeTag = deskphoneTag(stack, office);
    return (
        friendlyName === officeTag ||
        (friendlyName.startsWith(`${officeTag}:`) && !friendlyName.slice(officeTag.length + 1).includes(":"))
    );
}

/**
 * The trunk: by its SID when known, else by its tag (a create whose answer was lost), else the
 * office's trunk holding the termination domain asked for (the trunk renamed in the stack: the
 * resource of the old name leaves it alone on delete), else a new one.
 */
async function findOrCreateTrunk(
    client: TwilioClient,
    inputs: TwilioTrunkInputs,
    known: Partial<TwilioTrunkOutputs>,
    domainHint: () => string | undefined,
): Promise<TwilioTrunkRecord> {
    const byKnownSid = known.trunkSid ? await client.fetchTrunk(known.trunkSid) : undefined;
    if (byKnownSid) return byKnownSid;
    const trunks = await client.listTrunks();
    const byTag = trunks.find(
        (t) => t.friendlyName === inputs.tag || (known.tag !== undefined && t.friendlyName === known.tag),
    );
    if (byTag) return byTag;
    const renamed = inputs.terminationDomain
        ? trunks.find(
              (t) =>
                  normalizeHost(t.domainName ?? "") === inputs.terminationDomain &&
                  isOfficeTrunkTag(t.friendlyName, inputs.stack, inputs.office),
          )
        : undefined;
    return (
        renamed ??
        (await client.createTrunk(
            inputs.tag,
            { ...(inputs.terminationDomain ? { domainName: inputs.terminationDomain } : {}), secure: inputs.secure },
            domainHint,
        ))
    );
}

/**
 * The trunk's origination URLs (where Twilio sends the office's incoming calls), one per edge: each
 * of deskphone's URLs (known SID or tag) is kept, edited or deleted, and missing ones are created.
 */
async function convergeOriginationUrls(
    client: TwilioClient,
    trunkSid: string,
    inputs: TwilioTrunkInputs,
    known: Partial<TwilioTrunkOutputs>,
): Promise<TwilioOriginationUrl[]> {
    const knownSids = new Set([known.originationUrlSid, ...(known.originationUrlSids ?? [])].filter(Boolean));
    const unused = (await client.listOriginationUrls(trunkSid)).filter(
        (u) => knownSids.has(u.sid) || u.friendlyName === inputs.tag || u.friendlyName === known.tag,
    );
    const take = (fits: (u: TwilioOriginationUrl) => boolean) => {
        const index = unused.findIndex(fits);
        return index < 0 ? undefined : unused.splice(index, 1)[0];
    };
    const kept: TwilioOriginationUrl[] = [];
    const sipUrls = originationSipUrls(originationTarget(inputs), inputs.edges);
    for (const [index, sipUrl] of sipUrls.entries()) {
        // Later edges are tried when earlier ones fail: each one step of priority after the one before.
        const wanted = {
            friendlyName: inputs.tag,
            sipUrl,
            priority: Math.min(65535, inputs.originationPriority + 10 * index),
            weight: inputs.originationWeight,
            enabled: true,
        };
        let url = take((u) => u.sipUrl === sipUrl) ?? take(() => true);
        if (!url) url = await client.createOriginationUrl(trunkSid, wanted);
        else if (
            changedKeys(url, { ...url, ...wanted }, ["friendlyName", "sipUrl", "priority", "weight", "enabled"])
                .length > 0
        )
            url = await client.updateOriginationUrl(trunkSid, url.sid, wanted);
        kept.push(url);
    }
    for (const stale of unused) await client.deleteOriginationUrl(trunkSid, stale.sid);
    return kept;
}

/** What Twilio has now, in the shape of the outputs; undefined when the trunk is gone. */
export async function readTwilioTrunk(
    client: TwilioClient,
    props: TwilioTrunkOutputs,
): Promise<TwilioTrunkOutputs | undefined> {
    const trunk = await client.fetchTrunk(props.trunkSid);
    if (!trunk) return undefined;
    const sids = props.originationUrlSids ?? [props.originationUrlSid];
    const urls = (await client.listOriginationUrls(trunk.sid))
        .filter((u) => sids.includes(u.sid))
        .sort((a, b) => sids.indexOf(a.sid) - sids.indexOf(b.sid));
    const url = urls[0];
    const target = url ? parseOriginationSipUrl(url.sipUrl) : undefined;
    const credentialListAssociated = (await client.listTrunkCredentialLists(trunk.sid)).includes(
        props.credentialListSid,
    );
    const credentials = credentialListAssociated
        ? await client.listCredentials(props.credentialListSid).catch(emptyIfGone)
        : [];
    const credential = credentials.find((c) => c.sid === props.credentialSid);
    const ipListAssociated = (await client.listTrunkIpAccessControlLists(trunk.sid)).includes(
        props.ipAccessControlListSid,
    );
    const addresses = ipListAssociated
        ? await client.listIpAddresses(props.ipAccessControlListSid).catch(emptyIfGone)
        : [];
    const address = addresses.find((a) => a.sid === props.ipAddressSid);
    return {
        ...props,
        // A piece that is gone reads as empty, so that the next diff sees the difference and `up` puts it back.
        tag: trunk.friendlyName,
        terminationDomain: normalizeHost(trunk.domainName ?? ""),
        secure: trunk.secure,
        sipUrl: url?.sipUrl ?? "",
        originationUrlSid: url?.sid ?? "",
        sipUrls: urls.map((u) => u.sipUrl),
        originationUrlSids: urls.map((u) => u.sid),
        edges: urls.map((u) => parseOriginationSipUrl(u.sipUrl)?.edge).filter((edge): edge is string => !!edge),
        ...originationFields(target, props),
        originationPriority: url?.priority ?? props.originationPriority,
        originationWeight: url?.weight ?? props.originationWeight,
        username: credential?.username ?? "",
        credentialSid: credential?.sid ?? "",
        allowedAddress: address?.ipAddress ?? "",
        ipAddressSid: address?.sid ?? "",
    };
}

/** The server's address and ports as the first origination URL names them; a URL naming the server by its DNS name keeps the address. */
function originationFields(
    target: OriginationTarget | undefined,
    props: TwilioTrunkOutputs,
): Pick<TwilioTrunkOutputs, "serverAddress" | "sipPort" | "tlsPort"> {
    if (!target) return { serverAddress: "", sipPort: props.sipPort, tlsPort: props.tlsPort };
    const byName = !!props.serverName && target.host === props.serverName;
    return {
        serverAddress: byName ? props.serverAddress : target.host,
        sipPort: target.tls ? props.sipPort : target.port,
        tlsPort: target.tls ? target.port : props.tlsPort,
    };
}

/** A list that is gone reads as empty; any other failure stays a failure. */
function emptyIfGone(error: unknown): never[] {
    if (isNotFound(error)) return [];
    throw error;
}

/**
 * Deletes the trunk and its two account-wide lists; numbers were detached first (they depend on the
 * trunk). A trunk that another trunk resource of the office has taken over (the trunk renamed in the
 * stack) is that resource's now: only this resource's own origination URL and lists go.
 */
export async function deleteTwilioTrunk(client: TwilioClient, props: TwilioTrunkOutputs): Promise<void> {
    const trunk = await client.fetchTrunk(props.trunkSid);
    const takenOver =
        !!trunk && trunk.friendlyName !== props.tag && isOfficeTrunkTag(trunk.friendlyName, props.stack, props.office);
    if (takenOver) {
        for (const sid of new Set([props.originationUrlSid, ...(props.originationUrlSids ?? [])]))
            if (sid) await client.deleteOriginationUrl(props.trunkSid, sid);
    } else if (trunk) {
        await client.deleteTrunk(props.trunkSid);
    }
    if (props.credentialListSid) await client.deleteCredentialList(props.credentialListSid);
    if (props.ipAccessControlListSid) await client.deleteIpAccessControlList(props.ipAccessControlListSid);
}

/** The dynamic provider. Its methods use only what they capture by value or require inside. */
export const twilioTrunkProvider: pulumi.dynamic.ResourceProvider<TwilioTrunkInputs, TwilioTrunkOutputs> = {
    async check(_olds, news) {
        const { inputs, failures } = checkTwilioTrunkInputs(news);
        return { inputs, failures };
    },

    async diff(_id, olds, news) {
        return diffTwilioTrunk(olds, news);
    },

    async create(inputs) {
        const outs = await convergeTwilioTrunk(twilioClientFor(inputs), inputs, {}, true);
        return { id: outs.trunkSid, outs };
    },

    async read(id, props) {
        if (!props) return { id, props };
        const current = await readTwilioTrunk(twilioClientFor(props), { ...props, trunkSid: props.trunkSid || id });
        // An empty id tells the engine the trunk is gone (deleted in the Twilio console).
        return current ? { id, props: current } : { id: "" };
    },

    async update(_id, olds, news) {
        const outs = await convergeTwilioTrunk(
            twilioClientFor(news),
            news,
            olds,
            olds.password !== news.password || olds.credentialSid === "",
        );
        return { outs };
    },

    async delete(id, props) {
        await deleteTwilioTrunk(twilioClientFor(props), { ...props, trunkSid: props.trunkSid || id });
    },
};

/**
 * An office's Elastic SIP Trunk at Twilio. Numbers join it through `TwilioNumber`.
 * Type token `pulumi-nodejs:dynamic/deskphone:TwilioTrunk`.
 */
export class TwilioTrunk extends pulumi.dynamic.Resource {
    /** Trunk SID (TK…). */
    declare public readonly trunkSid: pulumi.Output<string>;
    /** Where Twilio sends incoming calls, e.g. `sip:203.0.113.7`. */
    declare public readonly sipUrl: pulumi.Output<string>;
    /** The termination domain ("" for none). */
    declare public readonly terminationDomain: pulumi.Output<string>;
    declare public readonly originationUrlSid: pulumi.Output<string>;
    declare public readonly credentialListSid: pulumi.Output<string>;
    declare public readonly ipAccessControlListSid: pulumi.Output<string>;
    /** `deskphone:<stack>:<office>:<name>`, the FriendlyName of everything in the trunk. */
    declare public readonly tag: pulumi.Output<string>;

    constructor(name: string, args: TwilioTrunkArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            twilioTrunkProvider,
            name,
            {
                ...tagInputs(name, args),
                serverAddress: args.serverAddress,
                sipPort: args.sipPort,
                secure: args.secure,
                tlsPort: args.tlsPort,
                serverName: args.serverName,
                originationPriority: args.originationPriority,
                originationWeight: args.originationWeight,
                edges: args.edges,
                terminationDomain: args.terminationDomain,
                username: args.username,
                password: pulumi.secret(args.password),
                credentials: args.credentials === undefined ? undefined : pulumi.secret(args.credentials),
                apiUrl: args.apiUrl,
                retry: args.retry,
                tag: undefined,
                trunkSid: undefined,
                sipUrl: undefined,
                originationUrlSid: undefined,
                sipUrls: undefined,
                originationUrlSids: undefined,
                credentialListSid: undefined,
                credentialSid: undefined,
                ipAccessControlListSid: undefined,
                ipAddressSid: undefined,
                allowedAddress: undefined,
            },
            withSecretOutputs(opts, "password"),
            "deskphone",
            "TwilioTrunk",
        );
    }
}
