/**
 * A small, generic OpenAPI 3 request checker for the fake providers: finds the operation for a
 * method and path, and checks path, query, form and JSON body parameters (required, type, enum,
 * pattern, length, bounds) against it; also checks the fake's own answers against the declared
 * responses. What the spec does not declare is accepted (as the spec does) but noted, so tests can
 * insist that deskphone sends only declared things.
 */
import * as fs from "fs";
import * as path from "path";

export const specsDir = path.join(__dirname, "..", "specs");

type Schema = Record<string, any>;
type Operation = Record<string, any>;

export interface MatchedOperation {
    method: string;
    template: string;
    operation: Operation;
    pathParams: Record<string, string>;
    /** The host the spec serves this path from, e.g. "trunking.twilio.com". */
    serverHost: string;
    doc: ApiDescription;
}

export interface IncomingRequest {
    method: string;
    /** Path without the query. */
    path: string;
    query: URLSearchParams;
    headers: Record<string, string | string[] | undefined>;
    /** The raw body ("" for none). */
    body: string;
}

export interface RequestCheck {
    /** What the spec rejects: the fake answers 400 and the test fails. */
    problems: string[];
    /** What the spec does not declare but accepts. */
    undeclared: string[];
    /** The parsed body: form fields or JSON. */
    form?: Record<string, string | string[]>;
    json?: any;
}

/** One API description (an OpenAPI document, optionally with fragments merged in). */
export class ApiDescription {
    private readonly routes: {
        method: string;
        template: string;
        regex: RegExp;
        names: string[];
        operation: Operation;
        serverHost: string;
    }[] = [];
    /** Form parameters ("POST /path Name") whose empty value clears the field, which their schema's pattern does not allow for. */
    private readonly clearedWhenEmpty = new Set<string>();

    constructor(
        readonly name: string,
        readonly doc: Schema,
    ) {
        const defaultHost = new URL(doc.servers?.[0]?.url ?? "http://localhost").host;
        for (const [template, item] of Object.entries<Schema>(doc.paths ?? {})) {
            const names: string[] = [];
            const pattern = template
                .split(/(\{[^}]+\})/)
                .map((part) => {
                    const param = /^\{([^}]+)\}$/.exec(part);
                    if (param) {
                        names.push(param[1]);
                        return "([^/]+)";
                    }
                    return part.replace(/[.*+?^$()|[\]\\]/g, "\\$&");
                })
                .join("");
            const serverHost = item.servers?.[0]?.url ? new URL(item.servers[0].url).host : defaultHost;
            for (const method of ["get", "post", "put", "patch", "delete"]) {
                const operation = item[method];
                if (!operation) continue;
                const parameters = [...(item.parameters ?? []), ...(operation.parameters ?? [])];
                this.routes.push({
                    method: method.toUpperCase(),
                    template,
                    regex: new RegExp(`^${pattern}$`),
                    names,
                    operation: { ...operation, parameters },
                    serverHost,
                });
            }
        }
        // Literal segments win over parameters: /IncomingPhoneNumbers/Local.json before /{Sid}.json.
        this.routes.sort((a, b) => a.names.length - b.names.length || b.template.length - a.template.length);
    }

    static load(name: string, files: string[]): ApiDescription {
        const [main, ...fragments] = files.map((file) =>
            JSON.parse(fs.readFileSync(path.join(specsDir, file), "utf8")),
        );
        for (const fragment of fragments) {
            for (const [template, item] of Object.entries<Schema>(fragment.paths ?? {}))
                main.paths[template] = { ...(main.paths[template] ?? {}), ...item };
            main.components.schemas = { ...main.components.schemas, ...(fragment.components?.schemas ?? {}) };
        }
        return new ApiDescription(name, main);
    }

    /** Accepts an empty value of a form parameter as "none", as the API's own docs say it is. */
    allowEmptyToClear(method: string, template: string, parameter: string): this {
        this.clearedWhenEmpty.add(`${method} ${template} ${parameter}`);
        return this;
    }

    /** The operation for a method and path; a string saying why there is none otherwise. */
    match(method: string, requestPath: string): MatchedOperation | string {
        let pathKnown = false;
        for (const route of this.routes) {
            const m = route.regex.exec(requestPath);
            if (!m) continue;
            pathKnown = true;
            if (route.method !== method) continue;
            const pathParams: Record<string, string> = {};
            route.names.forEach((name, i) => (pathParams[name] = decodeURIComponent(m[i + 1])));
            return {
                method,
                template: route.template,
                operation: route.operation,
                pathParams,
                serverHost: route.serverHost,
                doc: this,
            };
        }
        return pathKnown
            ? `${method} is not an operation of ${requestPath} in ${this.name}`
            : `${requestPath} is not a path of ${this.name}`;
    }

    resolve(schema: Schema | undefined): Schema | undefined {
        let current = schema;
        for (let i = 0; current?.$ref && i < 20; i++) {
            const parts = String(current.$ref).replace(/^#\//, "").split("/");
            current = parts.reduce<any>((node, part) => node?.[part.replace(/~1/g, "/").replace(/~0/g, "~")], this.doc);
        }
        return current;
    }

    /** Checks a request against its operation. */
    checkRequest(matched: MatchedOperation, request: IncomingRequest): RequestCheck {
        const check: RequestCheck = { problems: [], undeclared: [] };
        const op = matched.operation;
        const params: Schema[] = op.parameters ?? [];

        for (const p of params.filter((p) => p.in === "path")) {
            this.checkText(
                matched.pathParams[p.name],
                this.resolve(p.schema),
                `path parameter ${p.name}`,
                check.problems,
            );
        }
        const declaredQuery = new Set(params.filter((p) => p.in === "query").map((p) => p.name));
        for (const p of params.filter((p) => p.in === "query")) {
            const values = request.query.getAll(p.name);
            if (values.length === 0) {
                if (p.required) check.problems.push(`query parameter ${p.name} is required`);
                continue;
            }
            for (const value of values)
                this.checkText(value, this.resolve(p.schema), `query parameter ${p.name}`, check.problems);
        }
        for (const key of new Set(request.query.keys()))
            if (!declaredQuery.has(key)) check.undeclared.push(`query parameter ${key}`);

        const contentType = String(request.headers["content-type"] ?? "")
            .split(";")[0]
            .trim()
            .toLowerCase();
        const requestBody = op.requestBody;
        if (!requestBody) {
            if (request.body.length > 0)
                check.undeclared.push(`a body (${contentType || "no content type"}) on an operation that takes none`);
            return check;
        }
        if (request.body.length === 0) {
            if (requestBody.required) check.problems.push("the request body is required");
            return check;
        }
        const media = requestBody.content?.[contentType];
        if (!media) {
            check.problems.push(
                `content type ${contentType || "(none)"} is not one of ${Object.keys(requestBody.content ?? {}).join(", ")}`,
            );
            return check;
        }
        const schema = this.resolve(media.schema) ?? {};
        if (contentType === "application/x-www-form-urlencoded") {
            const form: Record<string, string | string[]> = {};
            const parsed = new URLSearchParams(request.body);
            for (const key of new Set(parsed.keys())) {
                const values = parsed.getAll(key);
                form[key] = values.length === 1 ? values[0] : values;
            }
            check.form = form;
            for (const name of schema.required ?? [])
                if (form[name] === undefined) check.problems.push(`form parameter ${name} is required`);
            for (const [key, value] of Object.entries(form)) {
                const property = this.resolve(schema.properties?.[key]);
                if (!property) {
                    check.undeclared.push(`form parameter ${key}`);
                    continue;
                }
                if (value === "" && this.clearedWhenEmpty.has(`${matched.method} ${matched.template} ${key}`)) continue;
                for (const v of Array.isArray(value) ? value : [value]) {
                    this.checkText(
                        v,
                        property.type === "array" ? this.resolve(property.items) : property,
                        `form parameter ${key}`,
                        check.problems,
                    );
                }
            }
        } else {
            try {
                check.json = JSON.parse(request.body);
            } catch {
                check.problems.push("the body is not JSON");
                return check;
            }
            this.checkJson(check.json, schema, "body", check.problems, check.undeclared);
        }
        return check;
    }

    /**
     * Checks the fake's own answer: a declared status, and a body of the declared types. Formats are
     * not checked (Twilio answers relative `uri`s its description calls URIs), and fields the
     * description lacks are returned apart, in `notes`, since some descriptions lag their APIs.
     */
    checkResponse(matched: MatchedOperation, status: number, body: unknown, notes: string[] = []): string[] {
        const problems: string[] = [];
        const responses = matched.operation.responses ?? {};
        const response = this.resolve(responses[String(status)]);
        if (!response) {
            problems.push(
                `status ${status} is not a declared response of ${matched.method} ${matched.template} (${Object.keys(responses).join(", ")})`,
            );
            return problems;
        }
        const content = response.content ? Object.values<Schema>(response.content)[0] : undefined;
        if (content?.schema && body !== undefined) {
            const undeclared: string[] = [];
            this.checkingFormats = false;
            try {
                this.checkJson(body, this.resolve(content.schema) ?? {}, "answer", problems, undeclared);
            } finally {
                this.checkingFormats = true;
            }
            notes.push(...undeclared.map((u) => `the fake answered with ${u}`));
        }
        return problems;
    }

    /** A path, query or form value (always text on the wire) against a parameter schema. */
    private checkText(value: string | undefined, schema: Schema | undefined, where: string, problems: string[]): void {
        if (value === undefined || !schema) return;
        const type = schema.type;
        if (type === "integer" && !/^-?\d+$/.test(value))
            return void problems.push(`${where} "${value}" is not an integer`);
        if (type === "number" && !(value.trim() !== "" && Number.isFinite(Number(value))))
            return void problems.push(`${where} "${value}" is not a number`);
        if (type === "boolean" && value !== "true" && value !== "false")
            return void problems.push(`${where} "${value}" is not true or false`);
        const typed =
            type === "integer" || type === "number" ? Number(value) : type === "boolean" ? value === "true" : value;
        this.checkConstraints(typed, schema, where, problems);
    }

    private checkingFormats = true;

    private checkConstraints(value: unknown, schema: Schema, where: string, problems: string[]): void {
        if (schema.enum && !schema.enum.includes(value))
            problems.push(`${where} "${String(value)}" is not one of ${schema.enum.join(", ")}`);
        if (typeof value === "string") {
            if (schema.pattern && !new RegExp(schema.pattern).test(value))
                problems.push(`${where} "${value}" does not match ${schema.pattern}`);
            if (schema.minLength !== undefined && value.length < schema.minLength)
                problems.push(`${where} is shorter than ${schema.minLength}`);
            if (schema.maxLength !== undefined && value.length > schema.maxLength)
                problems.push(`${where} is longer than ${schema.maxLength}`);
            if (this.checkingFormats && schema.format === "uri" && !URL.canParse(value))
                problems.push(`${where} "${value}" is not a URI`);
            if (this.checkingFormats && schema.format === "iso-country-code" && !/^[A-Z]{2}$/.test(value))
                problems.push(`${where} "${value}" is not an ISO country code`);
        }
        if (typeof value === "number") {
            if (schema.minimum !== undefined && value < schema.minimum)
                problems.push(`${where} ${value} is below ${schema.minimum}`);
            if (schema.maximum !== undefined && value > schema.maximum)
                problems.push(`${where} ${value} is above ${schema.maximum}`);
        }
    }

    private checkJson(value: unknown, schemaIn: Schema, where: string, problems: string[], undeclared: string[]): void {
        const schema = this.resolve(schemaIn) ?? {};
        if (value === null) {
            if (!schema.nullable && schema.type !== undefined) problems.push(`${where} is null`);
            return;
        }
        const type = schema.type ?? (schema.properties ? "object" : undefined);
        const actual = Array.isArray(value) ? "array" : typeof value;
        if (
            type === "integer"
                ? !Number.isInteger(value)
                : type === "number"
                  ? actual !== "number"
                  : type !== undefined && type !== actual
        ) {
            problems.push(`${where} is ${actual}, not ${type}`);
            return;
        }
        this.checkConstraints(value, schema, where, problems);
        if (actual === "array" && schema.items)
            (value as unknown[]).forEach((item, i) =>
                this.checkJson(item, schema.items, `${where}[${i}]`, problems, undeclared),
            );
        if (actual === "object" && type === "object") {
            const record = value as Record<string, unknown>;
            for (const name of schema.required ?? [])
                if (record[name] === undefined) problems.push(`${where}.${name} is required`);
            if (!schema.properties) return;
            for (const [key, v] of Object.entries(record)) {
                const property = schema.properties[key];
                if (!property) undeclared.push(`${where}.${key}`);
                else this.checkJson(v, property, `${where}.${key}`, problems, undeclared);
            }
        }
    }
}
