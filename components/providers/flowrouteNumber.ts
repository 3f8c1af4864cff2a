/**
 * A Flowroute number pointed at an office's server, as a dynamic provider: bought (searched and
 * purchased, then named with its deskphone tag as alias) or adopted (already on the account); a host
 * route to the server made its primary route, an optional failover route, and an optional E911
 * address validated, created and registered for it. Routes are reused when the account has one to
 * the same place, and a route deskphone made goes once no number uses it. Deleting it parks it on
 * the account's registration route and keeps it, unless `releaseOnDelete` is true.
 */
import * as pulumi from "@pulumi/pulumi";
import { isProviderError } from "./retry";
import type {
    FlowrouteCredentials,
    FlowrouteE911Attributes,
    FlowrouteNumber as FlowrouteNumberRecord,
    FlowrouteRoute,
} from "./flowrouteClient";
import type { E911Address, FailoverRoute, NumberResourceArgs, NumberResourceInputs } from "./numberSettings";
import { FlowrouteClient, flowrouteClientFor } from "./flowrouteClient";
import {
    checkE911Address,
    deskphoneTag,
    flowrouteNumberId,
    maxTagLength,
    normalizeE164,
    numberMatches,
} from "./numberSettings";
import type { Fail } from "./providerSupport";
import {
    changedKeys,
    checkBuyByCriteria,
    checkMode,
    checkSipPort,
    checkTag,
    connectionInputs,
    e164Input,
    Failure,
    failureList,
    findOwn,
    hostPort,
    isHost,
    isUnknown,
    normalizeHost,
    normalizeText,
    partiallyCreated,
    serverAddressInput,
    stableJson,
    tagParts,
} from "./providerSupport";
import { numberResourceInputs, withSecretOutputs } from "./numberResource";

/**
 * A Flowroute number: the shared number settings (Flowroute sells North American numbers: `e164` is
 * +1 and 10 digits, `country` "US" or "CA", where `areaCode` is required; `contains` is digits), plus
 * where its calls go and its emergency address. Its routes are tagged `deskphone:<stack>:<office>`.
 */
export interface FlowrouteNumberArgs extends NumberResourceArgs<FlowrouteCredentials> {
    /** Address (IPv4 or host name) of the Asterisk server the number's calls go to. */
    serverAddress: pulumi.Input<string>;
    /** SIP port of the server. Default 5060. */
    sipPort?: pulumi.Input<number>;
    /**
     * The trunk's Flowroute PoP, e.g. "us-west-or": routes deskphone creates get its edge strategy, so
     * calls come from the PoP whose addresses the server admits. Default: none (Flowroute's default).
     */
    pop?: pulumi.Input<string>;
    /** Where calls go when the server does not answer. Default: none (removing it later leaves Flowroute's setting as it is). */
    failoverRoute?: pulumi.Input<FailoverRoute>;
    /** Emergency address to register for the number. Default: none. */
    e911?: pulumi.Input<E911Address>;
}

/** The provider's inputs, after `check` filled in defaults; the tag is the alias of a bought number. */
export interface FlowrouteNumberInputs extends NumberResourceInputs<FlowrouteCredentials> {
    /** `deskphone:<stack>:<office>`: the start of the alias of each route deskphone creates. */
    routeAlias: string;
    serverAddress: string;
    sipPort: number;
    /** "" for none. */
    pop: string;
    failoverRoute?: FailoverRoute;
    e911?: E911Address;
}

export interface FlowrouteNumberOutputs extends FlowrouteNumberInputs {
    /** 11 digits, Flowroute's id of the number. */
    numberId: string;
    /** E.164. */
    phoneNumber: string;
    /** Whether deskphone bought it (rather than adopted it). */
    purchased: boolean;
    /** The number's alias at Flowroute. */
    alias: string;
    primaryRouteId: string;
    /** What the primary route reaches: "host:port" for a host route, else "<type>:<value>"; "" for none. */
    primaryRoute: string;
    failoverRouteId: string;
    /** "<type>:<value>" of the failover route, "" for none. */
    failoverRouteValue: string;
    /** The registered E911 address record, "" for none. */
    e911Id: string;
    /** The registered address as Flowroute has it, or null. */
    e911Address: FlowrouteE911Attributes | null;
    /** Where an adopted number's calls went before deskphone (primary and failover route ids, "" for none): destroy puts them back. */
    formerPrimaryRouteId: string;
    formerFailoverRouteId: string;
}

/** The host route value for the server: "203.0.113.7:5060". */
export function serverRouteValue(serverAddress: string, sipPort: number): string {
    return `${normalizeHost(serverAddress)}:${sipPort}`;
}

/** A route as deskphone compares it: "host:port" for host routes, "<type>:<value>" for others. */
export function describeRoute(route: { routeType: string; value: string | null } | undefined): string {
    if (!route) return "";
    return route.routeType === "host" ? hostPort(route.value) : `${route.routeType}:${normalizeText(route.value)}`;
}

/** The failover route the inputs ask for, described as `describeRoute` does. */
export function describeFailover(failover: FailoverRoute | undefined): string {
    if (!failover) return "";
    return failover.type === "host" ? hostPort(failover.value) : `${failover.type}:${normalizeText(failover.value)}`;
}

/** A stack's emergency address as Flowroute's attributes. */
export function flowrouteE911Attributes(address: E911Address, defaultLabel: string): FlowrouteE911Attributes {
    return {
        label: normalizeText(address.label) || defaultLabel,
        first_name: normalizeText(address.firstName),
        last_name: normalizeText(address.lastName),
        street_name: normalizeText(address.streetName),
        street_number: normalizeText(address.streetNumber),
        city: normalizeText(address.city),
        state: normalizeText(address.state).toUpperCase(),
        country: address.country === "CA" ? "Canada" : "USA",
        zip: normalizeText(address.zip),
        ...(normalizeText(address.addressType) ? { address_type: normalizeText(address.addressType) } : {}),
        ...(normalizeText(address.addressTypeNumber)
            ? { address_type_number: normalizeText(address.addressTypeNumber) }
            : {}),
    };
}

export function checkFlowrouteNumberInputs(news: Partial<FlowrouteNumberInputs>): {
    inputs: FlowrouteNumberInputs;
    failures: Failure[];
} {
    const { failures, fail } = failureList();
    const inputs = flowrouteNumberInputs(news);
    checkTag(news, inputs, fail, {
        office: "the office name is required: it names a bought number at Flowroute",
        name: "the number's name within the office is required",
        tooLong: `the number's Flowroute alias "${inputs.tag}" is over ${maxTagLength} characters: use shorter office, stack or number names`,
    });
    checkFlowrouteNumberChoice(news, inputs, fail);
    checkFlowroutePurchaseCriteria(inputs, fail);
    checkFlowrouteServer(news, inputs, fail);
    if (inputs.failoverRoute && !isUnknown(inputs.failoverRoute)) checkFailoverRoute(inputs.failoverRoute, fail);
    if (inputs.e911 && !isUnknown(inputs.e911)) {
        for (const problem of checkE911Address(inputs.e911, "e911"))
            fail("e911", `${problem.path}: ${problem.message}${problem.hint ? ` (${problem.hint})` : ""}`);
    }
    return { inputs, failures };
}

/** The inputs with defaults filled in and values normalized; unknown values of a preview kept as they are. */
function flowrouteNumberInputs(news: Partial<FlowrouteNumberInputs>): FlowrouteNumberInputs {
    const parts = tagParts(news);
    return {
        ...parts,
        routeAlias: deskphoneTag(parts.stack, parts.office),
        mode: news.mode ?? "buy",
        e164: e164Input(news.e164),
        country: normalizeText(news.country || "US").toUpperCase(),
        areaCode: normalizeText(news.areaCode),
        contains: normalizeText(news.contains),
        serverAddress: serverAddressInput(news.serverAddress),
        sipPort: (news.sipPort ?? 5060) as number,
        pop: normalizeText(news.pop).toLowerCase(),
        ...(news.failoverRoute ? { failoverRoute: news.failoverRoute } : {}),
        ...(news.e911 ? { e911: news.e911 } : {}),
        releaseOnDelete: news.releaseOnDelete === true,
        ...connectionInputs(news),
    };
}

/** Which number: adopted by its North American E.164, or bought by criteria alone. */
function checkFlowrouteNumberChoice(
    news: Partial<FlowrouteNumberInputs>,
    inputs: FlowrouteNumberInputs,
    fail: Fail,
): void {
    checkMode(inputs.mode, fail);
    const e164 = normalizeE164(news.e164);
    if (news.e164 && !isUnknown(news.e164) && (e164 === undefined || !/^\+1\d{10}$/.test(e164)))
        fail("e164", `"${news.e164}" is not a North American E.164 number, e.g. "+12065550100"`);
    if (inputs.mode === "adopt" && !inputs.e164) fail("e164", "adopting a Flowroute number needs its e164");
    checkBuyByCriteria(inputs.mode, Boolean(inputs.e164), fail);
}

/** What a number to buy is searched by: a US or Canadian area code (required in Canada) and digits. */
function checkFlowroutePurchaseCriteria(inputs: FlowrouteNumberInputs, fail: Fail): void {
    if (inputs.country !== "US" && inputs.country !== "CA")
        fail("country", `Flowroute sells US and Canadian numbers, not "${inputs.country}"`);
    if (inputs.mode === "buy" && inputs.country === "CA" && !inputs.areaCode)
        fail("areaCode", "Flowroute searches by area code: give a Canadian area code to buy a Canadian number");
    if (inputs.areaCode && !/^[2-9]\d{2}$/.test(inputs.areaCode))
        fail("areaCode", `"${inputs.areaCode}" is not a North American area code (3 digits)`);
    if (inputs.contains && !/^\d{1,7}$/.test(inputs.contains))
        fail("contains", "Flowroute searches by digits only (at most 7)");
}

/** Where the number's calls go: the server's address and SIP port, and the PoP they come from. */
function checkFlowrouteServer(news: Partial<FlowrouteNumberInputs>, inputs: FlowrouteNumberInputs, fail: Fail): void {
    if (!isUnknown(news.serverAddress) && !isHost(inputs.serverAddress))
        fail("serverAddress", `"${inputs.serverAddress}" is not an address or host name of the server`);
    checkSipPort(news.sipPort, inputs.sipPort, fail);
    if (inputs.pop && !/^[a-z][a-z0-9-]*$/.test(inputs.pop))
        fail("pop", `"${inputs.pop}" is not a Flowroute PoP, e.g. "us-west-or"`);
}

/** The failover route's type, and a value of the form that type takes; one failure at most. */
function checkFailoverRoute({ type, value }: FailoverRoute, fail: Fail): void {
    if (!["host", "uri", "number"].includes(type))
        fail("failoverRoute", `unknown route type "${type}": use "host", "uri" or "number"`);
    else if (type === "number" && !/^\d{11}$/.test(value ?? ""))
        fail("failoverRoute", "a number route takes 11 digits, e.g. 12065550123");
    else if (type === "uri" && !/^sips?:/.test(value ?? ""))
        fail("failoverRoute", 'a uri route takes a SIP URI, e.g. "sip:desk@backup.example"');
    else if (type === "host" && !isHost(hostPort(value).replace(/:\d+$/, "")))
        fail("failoverRoute", 'a host route takes "host[:port]"');
}

/**
 * Replacement means another number: another number to adopt, other purchase criteria, switching from
 * adopt to buy, or another account. The server moving only changes the route (an update in place).
 */
export function diffFlowrouteNumber(
    olds: FlowrouteNumberOutputs,
    news: FlowrouteNumberInputs,
): pulumi.dynamic.DiffResult {
    const replaces: string[] = [];
    const oldKey = olds.credentials?.accessKey;
    const newKey = news.credentials?.accessKey;
    if (oldKey && newKey && !isUnknown(news.credentials) && oldKey !== newKey) replaces.push("credentials");
    if (news.mode === "adopt") {
        if (!isUnknown(news.e164) && news.e164 && news.e164 !== olds.phoneNumber) replaces.push("e164");
    } else if (olds.mode === "adopt") {
        replaces.push("mode");
    } else {
        replaces.push(...changedKeys(olds, news, ["country", "areaCode", "contains"]).map(String));
    }
    const wantedRoute =
        isUnknown(news.serverAddress) || isUnknown(news.sipPort)
            ? news.serverAddress
            : hostPort(serverRouteValue(news.serverAddress, news.sipPort));
    const routeMoved = wantedRoute !== olds.primaryRoute;
    const failoverChanged =
        news.failoverRoute !== undefined &&
        (isUnknown(news.failoverRoute) || describeFailover(news.failoverRoute) !== olds.failoverRouteValue);
    const wantedE911 = news.e911 && !isUnknown(news.e911) ? flowrouteE911Attributes(news.e911, news.tag) : news.e911;
    const e911Changed = news.e911
        ? !olds.e911Id || stableJson(wantedE911) !== stableJson(olds.e911Address)
        : registeredByDeskphone(olds);
    const retag = olds.purchased && olds.alias !== news.tag;
    const changed = changedKeys(olds, news, ["mode", "e164", "releaseOnDelete", "routeAlias", "credentials"]);
    return {
        changes:
            replaces.length > 0 ||
            routeMoved ||
            failoverChanged ||
            e911Changed ||
            retag ||
            changed.length > 0 ||
            olds.tag !== news.tag,
        replaces,
        // Delete before replace: the old number is parked (kept, or released if asked) before the new
        // one is looked for, so a kept number that fits the new ask is found again rather than
        // claimed by both resources at once.
        deleteBeforeReplace: replaces.length > 0,
    };
}

const purchaseHint = () =>
    "the number was taken or cannot be bought on this account; run `pulumi up` again to pick another, or change areaCode/contains";

/** The number to use: found by its alias (bought before, answer lost), adopted, or bought now. */
export async function acquireFlowrouteNumber(
    client: FlowrouteClient,
    inputs: FlowrouteNumberInputs,
): Promise<{ number: FlowrouteNumberRecord; purchased: boolean }> {
    if (inputs.mode === "adopt") {
        const number = await client.getNumber(flowrouteNumberId(inputs.e164));
        if (!number) {
            throw new Error(
                `the Flowroute account has no number ${inputs.e164} to adopt: check e164 in the stack's deskphone:numbers, or set mode "buy" to buy one`,
            );
        }
        return { number, purchased: false };
    }
    // A number with this alias and fitting the criteria was bought by an earlier run whose answer was
    // lost, or kept by an earlier destroy: it is this resource's number, and nothing is bought twice.
    // (One that no longer fits was kept by a replacement that asked for another number.)
    const criteria = { areaCode: inputs.areaCode, contains: inputs.contains };
    const tagged = (await client.listNumbers()).find(
        (n) => n.alias === inputs.tag && numberMatches(`+${n.id}`, criteria),
    );
    if (tagged) return { number: (await client.getNumber(tagged.id)) ?? tagged, purchased: true };
    const candidates = await client.searchAvailableNumbers({
        startsWith: inputs.areaCode ? `1${inputs.areaCode}` : undefined,
        contains: inputs.contains || undefined,
        limit: 5,
    });
    if (candidates.length === 0) {
        throw new Error(
            `Flowroute has no numbers for sale${inputs.areaCode ? ` in area code ${inputs.areaCode}` : ""}${inputs.contains ? ` containing ${inputs.contains}` : ""}: ` +
                "change or remove areaCode/contains in the stack's deskphone:numbers",
        );
    }
    let lastError: unknown;
    for (const candidate of candidates.slice(0, 3)) {
        try {
            return { number: await client.purchaseNumber(candidate.id, inputs.tag, purchaseHint), purchased: true };
        } catch (error) {
            // Someone else bought it between the search and the purchase: try the next one.
            const status = isProviderError(error) ? error.status : undefined;
            if (status !== undefined && status >= 400 && status < 500 && status !== 401 && status !== 403) {
                lastError = error;
                continue;
            }
            throw error;
        }
    }
    throw lastError;
}

/** Whether the number's emergency address is one the stack had deskphone register (and so deskphone's to take off). */
function registeredByDeskphone(state: Partial<FlowrouteNumberOutputs>): boolean {
    return !!state.e911 && !!state.e911Id;
}

/** The attributes of an E911 record on the account, or null for none ("" or gone). */
async function e911AddressOf(client: FlowrouteClient, e911Id: string): Promise<FlowrouteE911Attributes | null> {
    return e911Id ? ((await client.listE911s()).find((e) => e.id === e911Id)?.attributes ?? null) : null;
}

/** Whether deskphone named (and so may delete) an E911 record; a label given in the stack may name someone else's. */
function isDeskphoneRecord(address: FlowrouteE911Attributes | null | undefined): boolean {
    return !!address?.label?.startsWith("deskphone:");
}

/** The alias of a route deskphone creates: unique, as Flowroute documents route aliases to be. */
export function officeRouteAlias(routeAlias: string, routeType: FlowrouteRoute["routeType"], value: string): string {
    return `${routeAlias}:${routeType}:${value}`;
}

/** Whether deskphone made the route for this office (and so may remove it once no number uses it). */
function isOfficeRoute(route: FlowrouteRoute | undefined, routeAlias: string): boolean {
    return !!route?.alias && (route.alias === routeAlias || route.alias.startsWith(`${routeAlias}:`));
}

/** The id of the edge strategy of a PoP ("us-west-or" is "US-West-OR", us-west-or.sip.flowroute.com). */
async function edgeStrategyOf(client: FlowrouteClient, pop: string): Promise<string | undefined> {
    if (!pop) return undefined;
    const strategies = await client.listEdgeStrategies();
    const strategy = strategies.find(
        (e) => e.name.toLowerCase() === pop || e.naptr.toLowerCase() === `${pop}.sip.flowroute.com`,
    );
    if (!strategy) {
        throw new Error(
            `Flowroute lists no edge strategy for the PoP "${pop}" (it lists: ${strategies.map((e) => e.name).join(", ") || "none"}): set the trunk's pop in deskphone:trunks to one of them`,
        );
    }
    return strategy.id;
}

/**
 * The route with this type and value: one the account already has (whoever made it; Flowroute
 * refuses a second, with 403), else a new one with its own alias and the PoP's edge strategy.
 */
async function routeTo(
    client: FlowrouteClient,
    routes: FlowrouteRoute[],
    inputs: FlowrouteNumberInputs,
    routeType: FlowrouteRoute["routeType"],
    value: string,
): Promise<FlowrouteRoute> {
    const wanted = describeRoute({ routeType, value });
    const found = routes.find((r) => describeRoute(r) === wanted);
    if (found) return found;
    const alias = officeRouteAlias(inputs.routeAlias, routeType, value);
    const hint = (failure: { status?: number }) =>
        failure.status === 403
            ? `Flowroute refuses a route whose value or alias the account already has; deskphone found no ${routeType} route to ${value}, so route "${alias}" must be taken: rename or remove it in the Flowroute console (Inbound Routes), then run \`pulumi up\` again`
            : `Flowroute refused the route "${value}": check serverAddress/sipPort or failoverRoute`;
    const created = await client.createRoute(
        { routeType, value, alias, edgeStrategy: await edgeStrategyOf(client, inputs.pop) },
        hint,
    );
    routes.push(created);
    return created;
}

/** Removes routes this office's deskphone made that the number left, once no number uses them (Flowroute refuses while one does). */
async function removeLeftRoutes(
    client: FlowrouteClient,
    routes: FlowrouteRoute[],
    routeAlias: string,
    left: (string | null | undefined)[],
    kept: string[],
): Promise<void> {
    for (const id of new Set(left)) {
        if (
            id &&
            !kept.includes(id) &&
            isOfficeRoute(
                routes.find((r) => r.id === id),
                routeAlias,
            )
        )
            await client.deleteRouteIfUnused(id);
    }
}

/** Makes Flowroute match the inputs for a number the account holds: alias, routes, E911. */
export async function settleFlowrouteNumber(
    client: FlowrouteClient,
    inputs: FlowrouteNumberInputs,
    number: FlowrouteNumberRecord,
    purchased: boolean,
    known: Partial<FlowrouteNumberOutputs>,
): Promise<FlowrouteNumberOutputs> {
    let alias = number.alias ?? "";
    if (purchased && alias !== inputs.tag) {
        await client.setNumberAlias(number.id, inputs.tag);
        alias = inputs.tag;
    }

    const routes = await client.listRoutes();
    const primary = await routeTo(
        client,
        routes,
        inputs,
        "host",
        serverRouteValue(inputs.serverAddress, inputs.sipPort),
    );
    if (number.primaryRouteId !== primary.id) await client.setPrimaryRoute(number.id, primary.id);

    let failoverRouteId = number.failoverRouteId ?? "";
    let failoverRouteValue = known.failoverRouteValue ?? "";
    if (inputs.failoverRoute) {
        const failover = await routeTo(client, routes, inputs, inputs.failoverRoute.type, inputs.failoverRoute.value);
        if (number.failoverRouteId !== failover.id) await client.setFailoverRoute(number.id, failover.id);
        failoverRouteId = failover.id;
        failoverRouteValue = describeRoute(failover);
    }
    await removeLeftRoutes(
        client,
        routes,
        inputs.routeAlias,
        [number.primaryRouteId, number.failoverRouteId],
        [primary.id, failoverRouteId],
    );

    const { e911Id, e911Address } = await settleE911(client, inputs, number, known);

    return {
        ...inputs,
        numberId: number.id,
        phoneNumber: `+${number.id}`,
        purchased,
        alias,
        primaryRouteId: primary.id,
        primaryRoute: describeRoute(primary),
        failoverRouteId,
        failoverRouteValue,
        e911Id,
        e911Address,
        formerPrimaryRouteId: known.formerPrimaryRouteId ?? "",
        formerFailoverRouteId: known.formerFailoverRouteId ?? "",
    };
}

/** The number's emergency address: the stack's, registered (validated first) and attached; or, when the stack gives none, the one the number has. */
async function settleE911(
    client: FlowrouteClient,
    inputs: FlowrouteNumberInputs,
    number: FlowrouteNumberRecord,
    known: Partial<FlowrouteNumberOutputs>,
): Promise<{ e911Id: string; e911Address: FlowrouteE911Attributes | null }> {
    let e911Id = "";
    let e911Address: FlowrouteE911Attributes | null = null;
    const e911Hint = () =>
        "Flowroute could not use the emergency address: correct deskphone:numbers[].e911 (street, city, state, zip as the post office writes them)";
    if (inputs.e911) {
        const wanted = flowrouteE911Attributes(inputs.e911, inputs.tag);
        const records = await client.listE911s();
        let record = findOwn(
            records,
            known.e911Id,
            (e) => e.id,
            (e) => e.attributes.label === wanted.label,
        );
        if (!record) {
            await client.validateE911(wanted, e911Hint);
            record = await client.createE911(wanted, e911Hint);
        } else if (stableJson(record.attributes) !== stableJson(wanted)) {
            await client.validateE911(wanted, e911Hint);
            await client.updateE911(record.id, wanted, e911Hint);
            record = { id: record.id, attributes: wanted };
        }
        if (number.e911Id !== record.id) await client.attachE911(number.id, record.id);
        e911Id = record.id;
        e911Address = record.attributes;
    } else if (registeredByDeskphone(known)) {
        // The stack no longer registers an address: take it off, and delete the record if deskphone named it.
        if (number.e911Id === known.e911Id) await client.detachE911(number.id);
        if (isDeskphoneRecord(known.e911Address)) await client.deleteE911(known.e911Id!);
    } else {
        // The stack registers none: whatever address the number has at Flowroute (set in its console) stays.
        e911Id = number.e911Id ?? "";
        e911Address = await e911AddressOf(client, e911Id);
    }
    return { e911Id, e911Address };
}

/** What Flowroute has now, in the shape of the outputs; undefined when the number is gone. */
export async function readFlowrouteNumber(
    client: FlowrouteClient,
    props: FlowrouteNumberOutputs,
): Promise<FlowrouteNumberOutputs | undefined> {
    const number = await client.getNumber(props.numberId);
    if (!number) return undefined;
    const needsList = [number.primaryRouteId, number.failoverRouteId].some(
        (id) => id && !number.routes.some((r) => r.id === id),
    );
    const routes = needsList ? [...number.routes, ...(await client.listRoutes())] : number.routes;
    const route = (id: string | null) => (id ? routes.find((r) => r.id === id) : undefined);
    return {
        ...props,
        alias: number.alias ?? "",
        primaryRouteId: number.primaryRouteId ?? "",
        primaryRoute: describeRoute(route(number.primaryRouteId)),
        failoverRouteId: number.failoverRouteId ?? "",
        failoverRouteValue: describeRoute(route(number.failoverRouteId)),
        e911Id: number.e911Id ?? "",
        e911Address: await e911AddressOf(client, number.e911Id ?? ""),
    };
}

/**
 * Kept: routed away from the server that is going away: an adopted number back to the routes it had
 * before deskphone (when they are still on the account), any other to the account's registration
 * route (Flowroute has no "no route"). A route a person set since is left alone. Its alias stays, so
 * the same stack brought up again finds it; its E911 address stays, since it may still be dialled from there.
 */
async function keepFlowrouteNumber(
    client: FlowrouteClient,
    props: FlowrouteNumberOutputs,
    number: FlowrouteNumberRecord,
): Promise<void> {
    const routes = await client.listRoutes();
    const onAccount = (id: string | undefined) => (id && routes.some((r) => r.id === id) ? id : undefined);
    const left: string[] = [];
    if (number.primaryRouteId && number.primaryRouteId === props.primaryRouteId) {
        const back = onAccount(props.formerPrimaryRouteId) ?? routes.find((r) => r.routeType === "sip-reg")?.id;
        if (!back) {
            throw new Error(
                `Flowroute has no registration route to park ${props.phoneNumber} on: set its primary route in the Flowroute console, then run \`pulumi destroy\` again`,
            );
        }
        await client.setPrimaryRoute(number.id, back);
        left.push(number.primaryRouteId);
    }
    const formerFailover = onAccount(props.formerFailoverRouteId);
    if (
        formerFailover &&
        number.failoverRouteId &&
        number.failoverRouteId === props.failoverRouteId &&
        formerFailover !== number.failoverRouteId
    ) {
        await client.setFailoverRoute(number.id, formerFailover);
        left.push(number.failoverRouteId);
    }
    await removeLeftRoutes(client, routes, props.routeAlias, left, []);
}

/** The dynamic provider. Its methods use only what they capture by value or require inside. */
export const flowrouteNumberProvider: pulumi.dynamic.ResourceProvider<FlowrouteNumberInputs, FlowrouteNumberOutputs> = {
    async check(_olds, news) {
        return checkFlowrouteNumberInputs(news);
    },

    async diff(_id, olds, news) {
        return diffFlowrouteNumber(olds, news);
    },

    async create(inputs) {
        const client = flowrouteClientFor(inputs);
        const { number, purchased } = await acquireFlowrouteNumber(client, inputs);
        const former = purchased
            ? {}
            : {
                  formerPrimaryRouteId: number.primaryRouteId ?? "",
                  formerFailoverRouteId: number.failoverRouteId ?? "",
              };
        try {
            const outs = await settleFlowrouteNumber(client, inputs, number, purchased, former);
            return { id: outs.numberId, outs };
        } catch (error) {
            const held: FlowrouteNumberOutputs = {
                ...inputs,
                numberId: number.id,
                phoneNumber: `+${number.id}`,
                purchased,
                alias: number.alias ?? "",
                primaryRouteId: number.primaryRouteId ?? "",
                primaryRoute: "",
                failoverRouteId: number.failoverRouteId ?? "",
                failoverRouteValue: "",
                e911Id: "",
                e911Address: null,
                formerPrimaryRouteId: former.formerPrimaryRouteId ?? "",
                formerFailoverRouteId: former.formerFailoverRouteId ?? "",
            };
            throw partiallyCreated(
                number.id,
                held,
                inputs,
                error,
                `${purchased ? "bought" : "adopted"} +${number.id} is not routed to the server yet`,
            );
        }
    },

    async read(id, props) {
        if (!props) return { id, props };
        const current = await readFlowrouteNumber(flowrouteClientFor(props), {
            ...props,
            numberId: props.numberId || id,
        });
        // An empty id tells the engine the number is gone (released in the Flowroute console).
        return current ? { id, props: current } : { id: "" };
    },

    async update(_id, olds, news) {
        const client = flowrouteClientFor(news);
        const number = await client.getNumber(olds.numberId);
        if (!number)
            throw new Error(
                `Flowroute number ${olds.phoneNumber} is no longer on the account: run \`pulumi refresh\`, then \`pulumi up\``,
            );
        return { outs: await settleFlowrouteNumber(client, news, number, olds.purchased, olds) };
    },

    async delete(id, props) {
        const client = flowrouteClientFor(props);
        const numberId = props.numberId || id;
        const number = await client.getNumber(numberId);
        if (!number) return;
        if (props.releaseOnDelete) {
            if (props.e911Id) {
                if (number.e911Id === props.e911Id) await client.detachE911(numberId);
                if (isDeskphoneRecord(props.e911Address)) await client.deleteE911(props.e911Id);
            }
            await client.releaseNumber(numberId);
            await removeLeftRoutes(
                client,
                await client.listRoutes(),
                props.routeAlias,
                [number.primaryRouteId, number.failoverRouteId],
                [],
            );
            return;
        }
        await keepFlowrouteNumber(client, { ...props, numberId }, number);
    },
};

/**
 * A Flowroute number routed to an office's server. Type token `pulumi-nodejs:dynamic/deskphone:FlowrouteNumber`.
 *
 * Not `retainOnDelete`: the provider's delete must run, because a kept number has to be routed away
 * from the server (else it rings a deleted server), and that delete never releases a number unless
 * `releaseOnDelete` is true, on destroy and on replacement alike. `retainOnDelete` would skip that
 * and leave the number routed; a stack that wants Pulumi to forget a number untouched can still pass it.
 */
export class FlowrouteNumber extends pulumi.dynamic.Resource {
    /** The number, E.164. */
    declare public readonly phoneNumber: pulumi.Output<string>;
    /** Flowroute's id of the number (11 digits). */
    declare public readonly numberId: pulumi.Output<string>;
    /** Whether deskphone bought it. */
    declare public readonly purchased: pulumi.Output<boolean>;
    /** The route to the server, e.g. "203.0.113.7:5060". */
    declare public readonly primaryRoute: pulumi.Output<string>;
    /** The registered E911 address record ("" for none). */
    declare public readonly e911Id: pulumi.Output<string>;

    constructor(name: string, args: FlowrouteNumberArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            flowrouteNumberProvider,
            name,
            {
                ...numberResourceInputs(name, args),
                serverAddress: args.serverAddress,
                sipPort: args.sipPort,
                pop: args.pop,
                failoverRoute: args.failoverRoute,
                e911: args.e911,
                tag: undefined,
                routeAlias: undefined,
                numberId: undefined,
                phoneNumber: undefined,
                purchased: undefined,
                alias: undefined,
                primaryRouteId: undefined,
                primaryRoute: undefined,
                failoverRouteId: undefined,
                failoverRouteValue: undefined,
                e911Id: undefined,
                e911Address: undefined,
                formerPrimaryRouteId: undefined,
                formerFailoverRouteId: undefined,
            },
            withSecretOutputs(opts),
            "deskphone",
            "FlowrouteNumber",
        );
    }
}
