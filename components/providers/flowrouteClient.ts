/**
 * A small typed client for Flowroute's v2 JSON:API (numbers, inbound routes, E911 addresses) over
 * fetch: Flowroute has no maintained Node SDK. Deskphone's retries and secret-free errors apply.
 *
 * Runs inside serialized dynamic providers: nothing runtime is imported at module level but ./retry.
 */
import type { ApiFailure, RetryPolicy } from "./retry";
import { retryPolicy, withRetry } from "./retry";

/** Flowroute API credentials (Flowroute console → Preferences → API Control). */
export interface FlowrouteCredentials {
    accessKey: string;
    secretKey: string;
}

/** How to reach Flowroute. Every field is optional: the usual environment variables fill in. */
export interface FlowrouteConnection {
    /** Default: FLOWROUTE_ACCESS_KEY and FLOWROUTE_SECRET_KEY. */
    credentials?: FlowrouteCredentials;
    /** API base URL. Default: $DESKPHONE_FLOWROUTE_API_URL, else https://api.flowroute.com. */
    apiUrl?: string;
    /** Retry and timeout settings. Default `defaultRetryPolicy`. */
    retry?: Partial<RetryPolicy>;
}

export const flowrouteApiUrlVariable = "DESKPHONE_FLOWROUTE_API_URL";
export const flowrouteDefaultApiUrl = "https://api.flowroute.com";
const jsonApi = "application/vnd.api+json";

export type FlowrouteRouteType = "host" | "uri" | "sip-reg" | "number";

export interface FlowrouteRoute {
    id: string;
    routeType: FlowrouteRouteType;
    /** Host[:port], SIP URI or number; null for the account's registration route. */
    value: string | null;
    alias: string | null;
}

/** A PoP a route receives its calls from ("List Edge Strategies"). */
export interface FlowrouteEdgeStrategy {
    id: string;
    /** E.g. "US-East-VA". */
    name: string;
    /** E.g. "us-east-va.sip.flowroute.com". */
    naptr: string;
}

export interface FlowrouteNumber {
    /** 11 digits, e.g. "12065550100". */
    id: string;
    alias: string | null;
    primaryRouteId: string | null;
    failoverRouteId: string | null;
    e911Id: string | null;
    /** The routes the answer included (the number's primary and failover). */
    routes: FlowrouteRoute[];
}

export interface FlowrouteAvailableNumber {
    /** 11 digits. */
    id: string;
    state: string | null;
    rateCenter: string | null;
}

/** An E911 address as the API names its attributes. */
export interface FlowrouteE911Attributes {
    label: string;
    first_name: string;
    last_name: string;
    street_name: string;
    street_number: string;
    city: string;
    /** Two letters. */
    state: string;
    country: "USA" | "Canada";
    zip: string;
    address_type?: string;
    address_type_number?: string;
}

export interface FlowrouteE911 {
    id: string;
    attributes: FlowrouteE911Attributes;
}

/** The credentials to use: the given ones, else the environment's; throws a clear error when there are none. */
export function resolveFlowrouteCredentials(
    given: FlowrouteCredentials | undefined,
    env: Record<string, string | undefined>,
): FlowrouteCredentials {
    if (given?.accessKey && given.secretKey) return given;
    if (given?.accessKey || given?.secretKey)
        throw new Error("the number provider's Flowroute `credentials` need both accessKey and secretKey");
    const accessKey = env.FLOWROUTE_ACCESS_KEY;
    const secretKey = env.FLOWROUTE_SECRET_KEY;
    if (!accessKey || !secretKey) {
        throw new Error(
            "no Flowroute credentials: set FLOWROUTE_ACCESS_KEY and FLOWROUTE_SECRET_KEY (Flowroute console, Preferences, API Control), or pass `credentials` as a Pulumi secret",
        );
    }
    return { accessKey, secretKey };
}

/** A Flowroute answer that was not a success, carrying the API's own message (no Error subclass: see ProviderError). */
function flowrouteHttpError(status: number, message: string): Error {
    return Object.assign(new Error(message), { name: "FlowrouteHttpError", status });
}

/** What a request threw, as an API failure; undefined for anything that is not one. */
export function flowrouteFailure(error: unknown, timeoutMs: number): ApiFailure | undefined {
    const e = error as { name?: string; status?: number; message?: string; cause?: { code?: string } };
    if (e?.name === "FlowrouteHttpError") return { status: e.status, message: e.message ?? "" };
    if (e?.name === "TimeoutError" || e?.name === "AbortError") return { message: `no answer within ${timeoutMs} ms` };
    if (e?.name === "TypeError" && /fetch failed/.test(e.message ?? ""))
        return { message: `the connection failed (${e.cause?.code ?? "network error"})` };
    return undefined;
}

interface JsonApiResource {
    id?: string | number;
    type?: string;
    attributes?: Record<string, unknown>;
    relationships?: Record<string, { data?: unknown }>;
}

export class FlowrouteClient {
    private readonly credentials: FlowrouteCredentials;
    private readonly apiUrl: string;
    private readonly policy: RetryPolicy;

    constructor(connection: FlowrouteConnection, env: Record<string, string | undefined> = process.env) {
        this.credentials = resolveFlowrouteCredentials(connection.credentials, env);
        this.apiUrl = (connection.apiUrl || env[flowrouteApiUrlVariable] || flowrouteDefaultApiUrl).replace(/\/+$/, "");
        this.policy = retryPolicy(connection.retry);
    }

    /** One request, retried; resolves to the parsed JSON answer (undefined for an empty one). */
    private send<T = unknown>(
        action: string,
        method: "GET" | "POST" | "PATCH" | "DELETE",
        path: string,
        options: {
            query?: Record<string, string | number | undefined>;
            body?: unknown;
            recover?: () => Promise<T | undefined>;
            hint?: (failure: ApiFailure) => string | undefined;
        } = {},
    ): Promise<T> {
        const url = new URL(this.apiUrl + path);
        for (const [key, value] of Object.entries(options.query ?? {}))
            if (value !== undefined) url.searchParams.set(key, String(value));
        const authorization =
            "Basic " + Buffer.from(`${this.credentials.accessKey}:${this.credentials.secretKey}`).toString("base64");
        const timeoutMs = this.policy.timeoutMs;
        return withRetry<T>({
            provider: "Flowroute",
            action,
            policy: this.policy,
            secrets: [this.credentials.secretKey, authorization.replace(/^Basic /, "")],
            toFailure: (error) => flowrouteFailure(error, timeoutMs),
            recover: options.recover,
            hint: options.hint,
            call: async () => {
                const response = await fetch(url, {
                    method,
                    headers: {
                        authorization,
                        accept: jsonApi,
                        ...(options.body !== undefined ? { "content-type": jsonApi } : {}),
                    },
                    body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
                    signal: AbortSignal.timeout(timeoutMs),
                });
                const text = await response.text();
                let parsed: unknown;
                try {
                    parsed = text ? JSON.parse(text) : undefined;
                } catch {
                    parsed = undefined;
                }
                if (!response.ok)
                    throw flowrouteHttpError(
                        response.status,
                        flowrouteMessage(parsed, response.status, response.statusText),
                    );
                return parsed as T;
            },
        });
    }

    /** Numbers for sale; `startsWith` is 1 + area code for a North American area code. */
    async searchAvailableNumbers(filter: {
        startsWith?: string;
        contains?: string;
        limit: number;
    }): Promise<FlowrouteAvailableNumber[]> {
        const answer = await this.send<{ data?: JsonApiResource[] }>(
            "search numbers for sale",
            "GET",
            "/v2/numbers/available",
            {
                query: { starts_with: filter.startsWith, contains: filter.contains, limit: filter.limit },
            },
        );
        return (answer?.data ?? []).map((n) => ({
            id: String(n.attributes?.value ?? n.id),
            state: stringOrNull(n.attributes?.state),
            rateCenter: stringOrNull(n.attributes?.rate_center),
        }));
    }

    /** Every number on the account (paged through), optionally only those containing some digits. */
    async listNumbers(filter: { contains?: string } = {}): Promise<FlowrouteNumber[]> {
        const numbers: FlowrouteNumber[] = [];
        const limit = 200;
        for (let offset = 0; ; offset += limit) {
            const answer = await this.send<{ data?: JsonApiResource[] }>(
                "list the account's numbers",
                "GET",
                "/v2/numbers",
                {
                    query: { contains: filter.contains, limit, offset },
                },
            );
            const page = answer?.data ?? [];
            numbers.push(...page.map((n) => numberRecord(n, [])));
            if (page.length < limit) return numbers;
        }
    }

    /** The number with its routes, or undefined when it is not on the account. */
    async getNumber(id: string): Promise<FlowrouteNumber | undefined> {
        try {
            const answer = await this.send<{ data: JsonApiResource; included?: JsonApiResource[] }>(
                `read number ${id}`,
                "GET",
                `/v2/numbers/${id}`,
            );
            return numberRecord(answer.data, answer.included ?? []);
        } catch (error) {
            if ((error as { status?: number }).status === 404) return undefined;
            throw error;
        }
    }

    /**
     * Buys a number. After a try whose answer was lost, before each retry and when a retry is refused
     * (the lost try may have bought it after all), looks for it on the account: with no alias yet (a
     * purchase is named after it is made) or with `alias`, it is ours.
     */
    async purchaseNumber(
        id: string,
        alias: string,
        hint: (failure: ApiFailure) => string | undefined,
    ): Promise<FlowrouteNumber> {
        const ours = async () => {
            const held = await this.getNumber(id);
            return held && (held.alias === null || held.alias === alias) ? held : undefined;
        };
        const answer = await this.send<{ data: JsonApiResource; included?: JsonApiResource[] } | FlowrouteNumber>(
            `buy +${id}`,
            "POST",
            `/v2/numbers/${id}`,
            {
                recover: ours,
                hint,
            },
        );
        if (answer && "routes" in answer) return answer;
        return answer?.data
            ? numberRecord(answer.data, answer.included ?? [])
            : ((await this.getNumber(id)) ?? emptyNumber(id));
    }

    /** Gives the number back to Flowroute; true when it was there to release. */
    async releaseNumber(id: string): Promise<boolean> {
        try {
            await this.send(`release +${id}`, "DELETE", `/v2/numbers/${id}`);
            return true;
        } catch (error) {
            if ((error as { status?: number }).status === 404) return false;
            throw error;
        }
    }

    /**
     * The body is flat, not JSON:API: flowroute-sdk-v3-python's `set_did_alias`
     * (numbers_controller.py, commit 08224869cf80) sends `{"type": "number", "alias": alias}`, as do
     * the PHP SDK and Flowroute's "Update Alias for a Phone Number" docs.
     */
    async setNumberAlias(id: string, alias: string): Promise<void> {
        await this.send(`name +${id} ${alias}`, "PATCH", `/v2/numbers/${id}`, { body: { type: "number", alias } });
    }

    /** Every inbound route on the account (paged through), optionally of one type. */
    async listRoutes(routeType?: FlowrouteRouteType): Promise<FlowrouteRoute[]> {
        const routes: FlowrouteRoute[] = [];
        const limit = 200;
        for (let offset = 0; ; offset += limit) {
            const answer = await this.send<{ data?: JsonApiResource[] }>(
                "list the account's inbound routes",
                "GET",
                "/v2/routes",
                {
                    query: { route_type: routeType, limit, offset },
                },
            );
            const page = answer?.data ?? [];
            routes.push(...page.map(routeRecord));
            if (page.length < limit) return routes;
        }
    }

    /** The account's edge strategies: the PoPs a route can receive its calls from. */
    async listEdgeStrategies(): Promise<FlowrouteEdgeStrategy[]> {
        const answer = await this.send<{ data?: JsonApiResource[] }>(
            "list the edge strategies",
            "GET",
            "/v2/routes/edge_strategies",
        );
        return (answer?.data ?? []).map((e) => ({
            id: String(e.id),
            name: stringOrNull(e.attributes?.name) ?? "",
            naptr: stringOrNull(e.attributes?.naptr) ?? "",
        }));
    }

    /** Creates an inbound route; before each retry, looks for one with the same type, value and alias. */
    async createRoute(
        route: { routeType: FlowrouteRouteType; value: string; alias: string; edgeStrategy?: string },
        hint: (failure: ApiFailure) => string | undefined,
    ): Promise<FlowrouteRoute> {
        const same = (r: FlowrouteRoute) =>
            r.routeType === route.routeType && r.value === route.value && r.alias === route.alias;
        const attributes = {
            route_type: route.routeType,
            value: route.value,
            alias: route.alias,
            ...(route.edgeStrategy ? { edge_strategy: route.edgeStrategy } : {}),
        };
        const answer = await this.send<{ data?: JsonApiResource } | FlowrouteRoute>(
            `create the ${route.routeType} route ${route.value}`,
            "POST",
            "/v2/routes",
            {
                body: { data: { type: "route", attributes } },
                recover: async () => (await this.listRoutes(route.routeType)).find(same),
                hint,
            },
        );
        if (answer && "routeType" in answer) return answer;
        if (answer?.data?.id !== undefined) return routeRecord(answer.data);
        // The spec documents an empty 201: find the route just made.
        const created = (await this.listRoutes(route.routeType)).find(same);
        if (!created)
            throw new Error(`Flowroute created the route ${route.value} but does not list it; run \`pulumi up\` again`);
        return created;
    }

    /** Removes a route; false when a number still uses it (Flowroute refuses with 403) or it is gone. */
    async deleteRouteIfUnused(id: string): Promise<boolean> {
        try {
            await this.send(`remove route ${id}`, "DELETE", `/v2/routes/${id}`);
            return true;
        } catch (error) {
            const status = (error as { status?: number }).status;
            if (status === 403 || status === 404) return false;
            throw error;
        }
    }

    async setPrimaryRoute(numberId: string, routeId: string): Promise<void> {
        await this.send(
            `send +${numberId} to route ${routeId}`,
            "PATCH",
            `/v2/numbers/${numberId}/relationships/primary_route`,
            {
                body: { data: { type: "route", id: routeId } },
            },
        );
    }

    async setFailoverRoute(numberId: string, routeId: string): Promise<void> {
        await this.send(
            `set the failover route of +${numberId} to ${routeId}`,
            "PATCH",
            `/v2/numbers/${numberId}/relationships/failover_route`,
            {
                body: { data: { type: "route", id: routeId } },
            },
        );
    }

    /** Every E911 address on the account (paged through). */
    async listE911s(): Promise<FlowrouteE911[]> {
        const records: FlowrouteE911[] = [];
        const limit = 200;
        for (let offset = 0; ; offset += limit) {
            const answer = await this.send<{ data?: JsonApiResource[] }>(
                "list the account's E911 addresses",
                "GET",
                "/v2/e911s",
                { query: { limit, offset } },
            );
            const page = answer?.data ?? [];
            records.push(...page.map(e911Record));
            if (page.length < limit) return records;
        }
    }

    /** Asks Flowroute whether the address is one emergency services can find; throws with its reason if not. */
    async validateE911(
        address: FlowrouteE911Attributes,
        hint: (failure: ApiFailure) => string | undefined,
    ): Promise<void> {
        await this.send(`validate the E911 address ${address.label}`, "POST", "/v2/e911s/validate", {
            body: { data: { type: "e911", attributes: address } },
            hint,
        });
    }

    async createE911(
        address: FlowrouteE911Attributes,
        hint: (failure: ApiFailure) => string | undefined,
    ): Promise<FlowrouteE911> {
        const answer = await this.send<{ data?: JsonApiResource } | FlowrouteE911>(
            `create the E911 address ${address.label}`,
            "POST",
            "/v2/e911s",
            {
                body: { data: { type: "e911", attributes: address } },
                recover: async () => (await this.listE911s()).find((e) => e.attributes.label === address.label),
                hint,
            },
        );
        if (answer && "attributes" in answer && !("data" in answer)) return answer as FlowrouteE911;
        const data = (answer as { data?: JsonApiResource })?.data;
        if (data?.id !== undefined) return e911Record(data);
        const created = (await this.listE911s()).find((e) => e.attributes.label === address.label);
        if (!created)
            throw new Error(
                `Flowroute created the E911 address ${address.label} but does not list it; run \`pulumi up\` again`,
            );
        return created;
    }

    async updateE911(
        id: string,
        address: FlowrouteE911Attributes,
        hint: (failure: ApiFailure) => string | undefined,
    ): Promise<void> {
        await this.send(`update the E911 address ${address.label}`, "PATCH", `/v2/e911s/${id}`, {
            body: { data: { type: "e911", id, attributes: address } },
            hint,
        });
    }

    async deleteE911(id: string): Promise<void> {
        try {
            await this.send(`delete E911 address ${id}`, "DELETE", `/v2/e911s/${id}`);
        } catch (error) {
            if ((error as { status?: number }).status !== 404) throw error;
        }
    }

    async attachE911(numberId: string, e911Id: string): Promise<void> {
        await this.send(
            `register E911 address ${e911Id} for +${numberId}`,
            "PATCH",
            `/v2/numbers/${numberId}/relationships/e911s/${e911Id}`,
        );
    }

    async detachE911(numberId: string): Promise<void> {
        try {
            await this.send(
                `remove the E911 address of +${numberId}`,
                "DELETE",
                `/v2/numbers/${numberId}/relationships/e911s`,
            );
        } catch (error) {
            if ((error as { status?: number }).status !== 404) throw error;
        }
    }
}

/** The API's own words from a JSON:API error document. */
function flowrouteMessage(body: unknown, status: number, statusText: string): string {
    const errors = (body as { errors?: { detail?: string; title?: string }[] })?.errors;
    const messages = Array.isArray(errors) ? errors.map((e) => e.detail || e.title).filter(Boolean) : [];
    return messages.length ? messages.join("; ") : statusText || `HTTP ${status}`;
}

function stringOrNull(value: unknown): string | null {
    return typeof value === "string" && value !== "" ? value : typeof value === "number" ? String(value) : null;
}

/** A relationship's id, whether the API gives `{data: {id}}` or `{data: "id"}`. */
function relationshipId(relationship: { data?: unknown } | undefined): string | null {
    const data = relationship?.data;
    if (typeof data === "string" || typeof data === "number") return String(data);
    const id = (data as { id?: unknown } | null)?.id;
    return id === undefined || id === null ? null : String(id);
}

function routeRecord(r: JsonApiResource): FlowrouteRoute {
    return {
        id: String(r.id),
        routeType: (r.attributes?.route_type as FlowrouteRouteType) ?? "sip-reg",
        value: stringOrNull(r.attributes?.value),
        alias: stringOrNull(r.attributes?.alias),
    };
}

function numberRecord(n: JsonApiResource, included: JsonApiResource[]): FlowrouteNumber {
    return {
        id: String(n.attributes?.value ?? n.id),
        alias: stringOrNull(n.attributes?.alias),
        primaryRouteId: relationshipId(n.relationships?.primary_route),
        failoverRouteId: relationshipId(n.relationships?.failover_route),
        e911Id: relationshipId(n.relationships?.e911_address),
        routes: included.filter((r) => r.type === "route").map(routeRecord),
    };
}

function emptyNumber(id: string): FlowrouteNumber {
    return { id, alias: null, primaryRouteId: null, failoverRouteId: null, e911Id: null, routes: [] };
}

function e911Record(e: JsonApiResource): FlowrouteE911 {
    const a = e.attributes ?? {};
    const text = (key: string) => (typeof a[key] === "string" ? (a[key] as string) : "");
    return {
        id: String(e.id),
        attributes: {
            label: text("label"),
            first_name: text("first_name"),
            last_name: text("last_name"),
            street_name: text("street_name"),
            street_number: text("street_number"),
            city: text("city"),
            state: text("state"),
            country: text("country") === "Canada" ? "Canada" : "USA",
            zip: text("zip"),
            ...(text("address_type") ? { address_type: text("address_type") } : {}),
            ...(text("address_type_number") ? { address_type_number: text("address_type_number") } : {}),
        },
    };
}

/** A client for a provider resource's inputs or state: only their connection settings reach it. */
export function flowrouteClientFor(inputs: FlowrouteConnection): FlowrouteClient {
    return new FlowrouteClient({ credentials: inputs.credentials, apiUrl: inputs.apiUrl, retry: inputs.retry });
}
