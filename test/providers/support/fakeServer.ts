/**
 * What the fake Twilio and Flowroute share: an HTTP server on 127.0.0.1 (random port) that checks
 * every request against the provider's published API description before a fake handles it, records
 * requests, and injects faults (rate limits, server errors, answers that never come).
 */
import * as http from "http";
import type { AddressInfo } from "net";
import { ApiDescription, IncomingRequest, MatchedOperation, RequestCheck } from "./openapi";

/**
 * `429`, `500-before` and `hang-before` fail without doing anything; `500-after` and `hang-after` do
 * the work and then lose the answer (an error, or none at all), like a purchase whose answer is lost.
 * `hang-late` never answers and does the work only when the next request with the same method and
 * path arrives, just before serving that one: a purchase that completes after deskphone looked for it.
 */
export type Fault = "429" | "500-before" | "500-after" | "hang-before" | "hang-after" | "hang-late";

export interface FaultRule {
    method: string;
    path: RegExp;
    fault: Fault;
    /** How many matching requests fail. Default 1. */
    times?: number;
}

export interface RecordedRequest {
    method: string;
    path: string;
    query: URLSearchParams;
    form?: Record<string, string | string[]>;
    json?: unknown;
    authorization?: string;
    status?: number;
    fault?: Fault;
}

export interface FakeAnswer {
    status: number;
    body?: unknown;
}

export abstract class FakeApi {
    /** Requests the API description rejects, and answers of the fake that break it: both fail a test. */
    readonly violations: string[] = [];
    /** Things sent that the description does not declare (accepted, but deskphone should not send them). */
    readonly undeclared: string[] = [];
    /** Fields of the fake's answers that the description lacks (where a description lags its API). */
    readonly answerNotes: string[] = [];
    readonly requests: RecordedRequest[] = [];
    url = "";
    private readonly server: http.Server;
    private readonly faults: FaultRule[] = [];
    /** Work of `hang-late` requests, by "METHOD path", done when the next such request arrives. */
    private readonly lateWork = new Map<string, () => void>();

    constructor(
        private readonly specs: ApiDescription[],
        private readonly contentType: string,
    ) {
        this.server = http.createServer((req, res) => {
            const chunks: Buffer[] = [];
            req.on("data", (c: Buffer) => chunks.push(c));
            req.on("end", () => {
                try {
                    this.serve(req, res, Buffer.concat(chunks).toString("utf8"));
                } catch (error) {
                    this.violations.push(`the fake crashed on ${req.method} ${req.url}: ${(error as Error).stack}`);
                    this.send(res, { status: 500, body: this.errorBody(500, "fake crashed") });
                }
            });
        });
    }

    async start(): Promise<this> {
        await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
        this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
        return this;
    }

    async stop(): Promise<void> {
        this.server.closeAllConnections();
        await new Promise<void>((resolve) => this.server.close(() => resolve()));
    }

    inject(rule: FaultRule): void {
        this.faults.push({ times: 1, ...rule });
    }

    /** Requests with this method whose path matches. */
    count(method: string, path: RegExp): number {
        return this.requests.filter((r) => r.method === method && path.test(r.path)).length;
    }

    /** An answer of the provider's error shape. */
    protected abstract errorBody(status: number, message: string, code?: number): unknown;

    /** Undefined when the request carries this account's credentials, else the 401/403 answer. */
    protected abstract authenticate(request: IncomingRequest, matched: MatchedOperation): FakeAnswer | undefined;

    /** Provider-specific header rules; each string is a violation. */
    protected abstract checkHeaders(request: IncomingRequest, matched: MatchedOperation): string[];

    /** Does what the request asks to the fake's state. */
    protected abstract handle(matched: MatchedOperation, check: RequestCheck, request: IncomingRequest): FakeAnswer;

    private serve(req: http.IncomingMessage, res: http.ServerResponse, body: string): void {
        const url = new URL(req.url ?? "/", "http://fake");
        const request: IncomingRequest = {
            method: req.method ?? "GET",
            path: url.pathname,
            query: url.searchParams,
            headers: req.headers,
            body,
        };
        const recorded: RecordedRequest = {
            method: request.method,
            path: request.path,
            query: request.query,
            authorization: req.headers.authorization,
        };
        this.requests.push(recorded);
        const answer = (a: FakeAnswer) => {
            recorded.status = a.status;
            this.send(res, a);
        };

        let matched: MatchedOperation | string = "no API description";
        for (const spec of this.specs) {
            matched = spec.match(request.method, request.path);
            if (typeof matched !== "string") break;
        }
        if (typeof matched === "string") {
            this.violations.push(`${request.method} ${request.path}: ${matched}`);
            return answer({ status: 404, body: this.errorBody(404, matched) });
        }
        const denied = this.authenticate(request, matched);
        if (denied) return answer(denied);

        const check = matched.doc.checkRequest(matched, request);
        recorded.form = check.form;
        recorded.json = check.json;
        const problems = [...check.problems, ...this.checkHeaders(request, matched)];
        this.undeclared.push(...check.undeclared.map((u) => `${request.method} ${matched.template}: ${u}`));
        if (problems.length > 0) {
            this.violations.push(...problems.map((p) => `${request.method} ${request.path}: ${p}`));
            return answer({ status: 400, body: this.errorBody(400, problems.join("; "), 20001) });
        }

        const key = `${request.method} ${request.path}`;
        const late = this.lateWork.get(key);
        if (late) {
            this.lateWork.delete(key);
            late();
        }
        const rule = this.faults.find(
            (f) => (f.times ?? 1) > 0 && f.method === request.method && f.path.test(request.path),
        );
        if (rule) {
            rule.times = (rule.times ?? 1) - 1;
            recorded.fault = rule.fault;
            if (rule.fault === "429")
                return answer({ status: 429, body: this.errorBody(429, "Too Many Requests", 20429) });
            if (rule.fault === "500-before")
                return answer({ status: 500, body: this.errorBody(500, "Internal Server Error", 20500) });
            if (rule.fault === "hang-before") return;
            if (rule.fault === "hang-late") {
                const work = matched;
                this.lateWork.set(key, () => void this.handle(work, check, request));
                return;
            }
        }

        const result = this.handle(matched, check, request);
        if (result.status < 400) {
            const responseProblems = matched.doc.checkResponse(matched, result.status, result.body, this.answerNotes);
            this.violations.push(
                ...responseProblems.map((p) => `fake answer to ${request.method} ${request.path}: ${p}`),
            );
        }
        if (rule?.fault === "500-after")
            return answer({ status: 500, body: this.errorBody(500, "Internal Server Error", 20500) });
        if (rule?.fault === "hang-after") return;
        answer(result);
    }

    private send(res: http.ServerResponse, answer: FakeAnswer): void {
        if (res.writableEnded || res.destroyed) return;
        if (answer.body === undefined) {
            res.writeHead(answer.status).end();
            return;
        }
        res.writeHead(answer.status, { "content-type": this.contentType }).end(JSON.stringify(answer.body));
    }
}

/** The user and password of a Basic Authorization header, or undefined. */
export function basicCredentials(
    header: string | string[] | undefined,
): { user: string; password: string } | undefined {
    const value = Array.isArray(header) ? header[0] : header;
    const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(value ?? "");
    if (!match) return undefined;
    const decoded = Buffer.from(match[1], "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    return colon < 0 ? undefined : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** A Twilio-style SID: prefix and 32 hex digits, counting up so tests read predictably. */
export function sidMaker(): (prefix: string) => string {
    let n = 0;
    return (prefix) => `${prefix}${(++n).toString(16).padStart(32, "0")}`;
}
