/**
 * A fake Flowroute v2 (numbers, inbound routes, E911 addresses) that keeps one account's state.
 * Every request is first checked against Flowroute's OpenAPI description plus the endpoints its
 * SDKs call that the description omits (see FakeApi and specs/flowroute/omitted_endpoints.json).
 */
import { ApiDescription, IncomingRequest, MatchedOperation, RequestCheck } from "./openapi";
import { basicCredentials, FakeAnswer, FakeApi } from "./fakeServer";

export interface FakeFlowrouteNumber {
    id: string;
    alias: string;
    primaryRouteId: string | null;
    failoverRouteId: string | null;
    e911Id: string | null;
}

export interface FakeRoute {
    id: string;
    routeType: "host" | "uri" | "sip-reg" | "number";
    value: string | null;
    alias: string;
    /** The edge strategy id it was created with, if any. */
    edgeStrategy?: string;
}

/**
 * The account's edge strategies. US-East-VA (id 4) is the example answer of Flowroute's "List Edge
 * Strategies" docs; its second entry (Oregon) is cut off there, so its id here is the fake's own.
 */
export const fakeEdgeStrategies = [
    {
        id: 4,
        name: "US-East-VA",
        naptr: "us-east-va.sip.flowroute.com",
        firewall_rules: "34.226.36.32/28, 34.226.36.32-34.226.36.47",
        region: "North Virginia",
    },
    {
        id: 5,
        name: "US-West-OR",
        naptr: "us-west-or.sip.flowroute.com",
        firewall_rules: "34.210.91.112/28",
        region: "Oregon",
    },
];

export type FakeE911 = Record<string, string>;

let description: ApiDescription | undefined;
function flowrouteDescription(): ApiDescription {
    description ??= ApiDescription.load("Flowroute API v2", [
        "flowroute/flowroute_api_v2.json",
        "flowroute/omitted_endpoints.json",
    ]);
    return description;
}

const jsonApi = "application/vnd.api+json";

export class FakeFlowroute extends FakeApi {
    readonly accessKey = "12345678";
    readonly secretKey = "fake-flowroute-secret-key-abcdef";
    readonly available: { id: string; state: string; rateCenter: string }[] = [];
    readonly numbers = new Map<string, FakeFlowrouteNumber>();
    /** Every account has the registration route (calls ring registered devices). */
    readonly routes = new Map<string, FakeRoute>([
        ["1", { id: "1", routeType: "sip-reg", value: null, alias: "sip-reg" }],
    ]);
    readonly e911s = new Map<string, FakeE911>();
    private nextId = 100;

    constructor() {
        super([flowrouteDescription()], jsonApi);
    }

    offer(ids: string[], state = "WA", rateCenter = "SEATTLE"): void {
        this.available.push(...ids.map((id) => ({ id, state, rateCenter })));
    }

    own(id: string, alias = ""): FakeFlowrouteNumber {
        const number = { id, alias, primaryRouteId: "1", failoverRouteId: null, e911Id: null };
        this.numbers.set(id, number);
        return number;
    }

    routeOf(numberId: string): FakeRoute | undefined {
        const id = this.numbers.get(numberId)?.primaryRouteId;
        return id ? this.routes.get(id) : undefined;
    }

    protected errorBody(status: number, message: string): unknown {
        return { errors: [{ id: `fake-${status}`, status, title: message.slice(0, 40), detail: message }] };
    }

    protected authenticate(request: IncomingRequest): FakeAnswer | undefined {
        const credentials = basicCredentials(request.headers.authorization);
        if (credentials?.user === this.accessKey && credentials.password === this.secretKey) return undefined;
        return {
            status: 401,
            body: {
                errors: [
                    {
                        id: "fake-401",
                        status: 401,
                        title: "Unauthorized",
                        detail: "Authentication failed: check your API credentials",
                    },
                ],
            },
        };
    }

    protected checkHeaders(request: IncomingRequest): string[] {
        // Flowroute's JSON:API endpoints answer application/vnd.api+json (shared/specs/README.md).
        return request.headers.accept === jsonApi
            ? []
            : [`accept is ${String(request.headers.accept)}, not ${jsonApi}`];
    }

    private error(status: number, message: string): FakeAnswer {
        return { status, body: this.errorBody(status, message) };
    }

    private routeJson(r: FakeRoute) {
        return {
            attributes: { alias: r.alias, route_type: r.routeType, ...(r.value !== null ? { value: r.value } : {}) },
            id: r.id,
            links: { self: `https://api.flowroute.com/v2/routes/${r.id}` },
            type: "route",
        };
    }

    private numberResource(n: FakeFlowrouteNumber) {
        return {
            attributes: {
                alias: n.alias,
                cnam_lookups_enabled: false,
                number_type: "standard",
                rate_center: "SEATTLE",
                state: "WA",
                value: Number(n.id),
            },
            id: n.id,
            links: { self: `https://api.flowroute.com/v2/numbers/${n.id}` },
            relationships: {
                ...(n.primaryRouteId ? { primary_route: { data: { id: n.primaryRouteId, type: "route" } } } : {}),
                // The description types these two as plain strings.
                ...(n.failoverRouteId ? { failover_route: { data: n.failoverRouteId } } : {}),
                ...(n.e911Id ? { e911_address: { data: n.e911Id } } : {}),
            },
            type: "number",
        };
    }

    private numberDocument(n: FakeFlowrouteNumber) {
        const included = [n.primaryRouteId, n.failoverRouteId]
            .filter((id): id is string => !!id && this.routes.has(id))
            .map((id) => this.routeJson(this.routes.get(id)!));
        return { data: this.numberResource(n), included };
    }

    private e911Json(id: string, attributes: FakeE911) {
        return { type: "e911", id, attributes, links: { self: `https://api.flowroute.com/v2/e911s/${id}` } };
    }

    private page<T>(request: IncomingRequest, items: T[]): T[] {
        const offset = Number(request.query.get("offset") ?? 0);
        const limit = Math.min(Number(request.query.get("limit") ?? 10), 200);
        return items.slice(offset, offset + limit);
    }

    protected handle(matched: MatchedOperation, check: RequestCheck, request: IncomingRequest): FakeAnswer {
        const p = matched.pathParams;
        const body = check.json as
            { data?: { id?: string; type?: string; attributes?: Record<string, string> } } | undefined;
        const route = `${matched.method} ${matched.template}`;
        switch (route) {
            case "GET /v2/numbers/available": {
                const startsWith = request.query.get("starts_with") ?? "";
                const contains = request.query.get("contains") ?? "";
                const found = this.available.filter((n) => n.id.startsWith(startsWith) && n.id.includes(contains));
                return {
                    status: 200,
                    body: {
                        data: this.page(request, found).map((n) => ({
                            attributes: {
                                monthly_cost: 1.25,
                                number_type: "standard",
                                rate_center: n.rateCenter,
                                setup_cost: 1,
                                state: n.state,
                                value: Number(n.id),
                            },
                            id: n.id,
                            links: { related: `https://api.flowroute.com/v2/numbers/${n.id}` },
                            type: "number",
                        })),
                        links: { self: "https://api.flowroute.com/v2/numbers/available" },
                    },
                };
            }
            case "GET /v2/numbers": {
                const contains = request.query.get("contains") ?? "";
                const found = [...this.numbers.values()].filter((n) => n.id.includes(contains));
                // Items are number resources, as the API answers; the description's Numbers schema nests them one level too deep.
                return {
                    status: 200,
                    body: {
                        data: this.page(request, found).map((n) => this.numberResource(n)),
                        links: { self: "https://api.flowroute.com/v2/numbers" },
                    },
                };
            }
            case "GET /v2/numbers/{id}": {
                const number = this.numbers.get(p.id);
                return number
                    ? { status: 200, body: this.numberDocument(number) }
                    : this.error(404, `Number ${p.id} not found on this account`);
            }
            case "POST /v2/numbers/{id}": {
                const index = this.available.findIndex((n) => n.id === p.id);
                if (index < 0) return this.error(422, `Number ${p.id} is not available for purchase`);
                this.available.splice(index, 1);
                const number: FakeFlowrouteNumber = {
                    id: p.id,
                    alias: "",
                    primaryRouteId: "1",
                    failoverRouteId: null,
                    e911Id: null,
                };
                this.numbers.set(number.id, number);
                return { status: 201, body: this.numberDocument(number) };
            }
            case "DELETE /v2/numbers/{id}":
                return this.numbers.delete(p.id)
                    ? { status: 204 }
                    : this.error(404, `Number ${p.id} not found on this account`);
            case "PATCH /v2/numbers/{id}": {
                const number = this.numbers.get(p.id);
                if (!number) return this.error(404, `Number ${p.id} not found on this account`);
                // A flat body (flowroute-sdk-v3-python set_did_alias): a JSON:API one sets nothing.
                const alias = (check.json as { type?: string; alias?: unknown } | undefined)?.alias;
                if (typeof alias !== "string") return this.error(400, "alias is required");
                number.alias = alias;
                return { status: 200, body: this.numberDocument(number) };
            }
            case "GET /v2/routes": {
                const type = request.query.get("route_type");
                const found = [...this.routes.values()].filter((r) => !type || r.routeType === type);
                return {
                    status: 200,
                    body: {
                        data: this.page(request, found).map((r) => this.routeJson(r)),
                        links: { self: "https://api.flowroute.com/v2/routes" },
                    },
                };
            }
            case "GET /v2/routes/edge_strategies":
                return {
                    status: 200,
                    body: {
                        data: fakeEdgeStrategies.map((e) => ({
                            attributes: {
                                description: `Data will be sent preferentially from our edge systems in ${e.region}. We will fall back to other regions if necessary.`,
                                firewall_rules: e.firewall_rules,
                                name: e.name,
                                naptr: e.naptr,
                            },
                            id: e.id,
                            type: "edge_strategy",
                        })),
                    },
                };
            case "POST /v2/routes": {
                const a = body!.data!.attributes!;
                if (body!.data!.type !== "route") return this.error(422, "data.type must be route");
                if (a.route_type === "host" && !/^[A-Za-z0-9.-]+(:\d+)?$/.test(a.value))
                    return this.error(422, `${a.value} is not a host`);
                if (a.edge_strategy !== undefined && !fakeEdgeStrategies.some((e) => String(e.id) === a.edge_strategy))
                    return this.error(422, `Edge strategy ${a.edge_strategy} does not exist`);
                // "Unique friendly name for the inbound route" ("Create an Inbound Route"); creating a route the account
                // already has is refused with 403 (flowroute-sdk-v3-python's demo). The docs give no status for a taken alias: 403 too.
                const existing = [...this.routes.values()];
                if (existing.some((r) => r.routeType === a.route_type && r.value === a.value))
                    return this.error(403, `A ${a.route_type} route to ${a.value} already exists`);
                if (existing.some((r) => r.alias === a.alias))
                    return this.error(403, `A route with alias ${a.alias} already exists`);
                const created: FakeRoute = {
                    id: String(this.nextId++),
                    routeType: a.route_type as FakeRoute["routeType"],
                    value: a.value,
                    alias: a.alias,
                    ...(a.edge_strategy !== undefined ? { edgeStrategy: a.edge_strategy } : {}),
                };
                this.routes.set(created.id, created);
                // The description declares an empty 201; the API answers the new route, which deskphone reads when present.
                return {
                    status: 201,
                    body: {
                        data: this.routeJson(created),
                        links: { self: `https://api.flowroute.com/v2/routes/${created.id}` },
                    },
                };
            }
            case "DELETE /v2/routes/{id}": {
                if (!this.routes.has(p.id)) return this.error(404, "Invalid Route Id");
                // "the route specified must not be in use by any TNs as either a Primary or Failover Route" ("Remove an inbound route").
                if ([...this.numbers.values()].some((n) => n.primaryRouteId === p.id || n.failoverRouteId === p.id)) {
                    return {
                        status: 403,
                        body: {
                            errors: [
                                {
                                    detail: "Please disassociate all numbers before deleting.",
                                    id: "fake-403",
                                    status: 403,
                                    title: "This Route has numbers still associated to it.",
                                },
                            ],
                        },
                    };
                }
                this.routes.delete(p.id);
                return { status: 204 };
            }
            case "PATCH /v2/numbers/{number_id}/relationships/primary_route":
            case "PATCH /v2/numbers/{number_id}/relationships/failover_route": {
                const number = this.numbers.get(p.number_id);
                const routeId = body?.data?.id;
                if (!number) return this.error(404, `Number ${p.number_id} not found on this account`);
                if (!routeId || !this.routes.has(routeId) || body?.data?.type !== "route")
                    return this.error(422, `Route ${routeId} does not exist`);
                if (route.endsWith("primary_route")) number.primaryRouteId = routeId;
                else number.failoverRouteId = routeId;
                return { status: 204 };
            }
            case "GET /v2/e911s":
                return {
                    status: 200,
                    body: {
                        data: this.page(
                            request,
                            [...this.e911s].map(([id, a]) => this.e911Json(id, a)),
                        ),
                        links: { self: "https://api.flowroute.com/v2/e911s" },
                    },
                };
            case "POST /v2/e911s/validate":
            case "POST /v2/e911s":
            case "PATCH /v2/e911s/{id}": {
                const attributes = body!.data!.attributes!;
                if (/^0+$/.test(attributes.zip) || /nowhere/i.test(attributes.street_name))
                    return this.error(422, "Address could not be validated: check the street and ZIP code");
                if (route === "POST /v2/e911s/validate") return { status: 204 };
                if (route === "PATCH /v2/e911s/{id}") {
                    if (!this.e911s.has(p.id)) return this.error(404, `E911 record ${p.id} not found`);
                    this.e911s.set(p.id, { ...attributes });
                    return { status: 200, body: { data: this.e911Json(p.id, attributes) } };
                }
                const id = String(this.nextId++);
                this.e911s.set(id, { ...attributes });
                return { status: 201, body: { data: this.e911Json(id, attributes) } };
            }
            case "GET /v2/e911s/{id}": {
                const attributes = this.e911s.get(p.id);
                return attributes
                    ? { status: 200, body: { data: this.e911Json(p.id, attributes) } }
                    : this.error(404, `E911 record ${p.id} not found`);
            }
            case "DELETE /v2/e911s/{id}":
                if ([...this.numbers.values()].some((n) => n.e911Id === p.id))
                    return this.error(422, `E911 record ${p.id} is still assigned to a number`);
                return this.e911s.delete(p.id) ? { status: 204 } : this.error(404, `E911 record ${p.id} not found`);
            case "PATCH /v2/numbers/{did}/relationships/e911s/{e911_id}": {
                const number = this.numbers.get(p.did);
                if (!number) return this.error(404, `Number ${p.did} not found on this account`);
                if (!this.e911s.has(p.e911_id)) return this.error(404, `E911 record ${p.e911_id} not found`);
                number.e911Id = p.e911_id;
                return { status: 204 };
            }
            case "DELETE /v2/numbers/{did}/relationships/e911s": {
                const number = this.numbers.get(p.did);
                if (!number?.e911Id) return this.error(404, `Number ${p.did} has no E911 record`);
                number.e911Id = null;
                return { status: 204 };
            }
        }
        this.violations.push(
            `the fake does not implement ${route} (the spec has it: implement it in the fake before deskphone uses it)`,
        );
        return this.error(501, `not implemented by the fake: ${route}`);
    }
}
