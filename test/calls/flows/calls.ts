/** What the SIPp roles do in a call flow: register, answer, call, listen. Every run is bounded in calls and time. */
import { SippProcess, SippRun } from "../../../lab/sipp";
import { CallLab, listening, Role, scenario, sipp, sippInBackground } from "../../../lab/callLab";
import { finalResponses, received, SipMessage } from "./sipTrace";

/** How long a hold of recorded voice lasts: the 7 s recording and a little more. */
export const voiceMs = 7_500;

/** Registers a phone (REGISTER, 401, REGISTER with digest auth) and returns what Asterisk answered the second REGISTER with. */
export async function register(
    role: Role,
    opts: { password?: string; expires?: number } = {},
): Promise<{ status?: number; run: SippRun }> {
    const run = await sipp(`${role.name} registers from ${role.address}`, {
        scenario: scenario("flow-register.xml"),
        local: role.address,
        localPort: role.port,
        service: role.name,
        vars: { expires: String(opts.expires ?? 3600) },
        extraArgs: ["-au", role.name, "-ap", opts.password ?? role.secret ?? ""],
        timeoutSeconds: 10,
    });
    return { status: finalResponses(run.messages).pop(), run };
}

/**
 * A role waits for a call with `scenarioName` (flow-uas-answer.xml, …); resolves once Asterisk has
 * qualified `endpoint` (the phone or trunk this role plays) and can reach it.
 */
export async function answer(
    lab: CallLab,
    role: Role,
    endpoint: string,
    scenarioName: string,
    opts: { holdMs?: number; label?: string } = {},
): Promise<SippProcess> {
    const process = sippInBackground(opts.label ?? `${role.name} answers on ${role.address}:${role.port}`, {
        scenario: scenario(scenarioName),
        local: role.address,
        localPort: role.port,
        // Each OPTIONS or NOTIFY Asterisk sends counts as a call; the INVITE ends the run.
        calls: 50,
        timeoutSeconds: 60,
        extraArgs: ["-d", String(opts.holdMs ?? voiceMs)],
    });
    await listening(role.address, role.port);
    await lab.reachable(endpoint);
    return process;
}

export interface CallOptions {
    /** User in From (default the role's name). */
    from?: string;
    /** Digest credentials for a challenge (default the role's name and secret, when it has one). */
    credentials?: { username: string; password: string };
    /** How long an answered call is held before this side hangs up, in ms (flow-uac-call.xml). */
    holdMs?: number;
    label?: string;
}

function callArgs(role: Role, to: string, scenarioName: string, opts: CallOptions) {
    const credentials = opts.credentials ?? (role.secret ? { username: role.name, password: role.secret } : undefined);
    return {
        scenario: scenario(scenarioName),
        local: role.address,
        localPort: role.port,
        service: to,
        vars: { from: opts.from ?? role.name },
        extraArgs: [
            "-d",
            String(opts.holdMs ?? voiceMs),
            ...(credentials ? ["-au", credentials.username, "-ap", credentials.password] : []),
        ],
        timeoutSeconds: 45,
    };
}

/** A role places one call to `to` and runs it to its end. */
export function call(role: Role, to: string, scenarioName: string, opts: CallOptions = {}): Promise<SippRun> {
    return sipp(opts.label ?? `${role.name} (${role.address}) calls ${to}`, callArgs(role, to, scenarioName, opts));
}

/** A role places one call to `to` in the background. */
export function callInBackground(role: Role, to: string, scenarioName: string, opts: CallOptions = {}): SippProcess {
    return sippInBackground(
        opts.label ?? `${role.name} (${role.address}) calls ${to}`,
        callArgs(role, to, scenarioName, opts),
    );
}

/**
 * Listeners on every way out of the office that no other role of the test holds (each trunk's
 * provider, and the SPA3102's landline port): whatever leaves the office is seen.
 */
export async function watchTrunks(lab: CallLab, busy: Role[] = []): Promise<{ invites(): Promise<SipMessage[]> }> {
    const exits: Role[] = [...lab.trunks(), ...(lab.office.spa3102?.landline ? [lab.landline()] : [])];
    const free = exits.filter((t) => !busy.some((b) => b.address === t.address && b.port === t.port));
    const watchers = free.map((t) =>
        sippInBackground(`a listener for ${t.name} on ${t.address}:${t.port}`, {
            scenario: scenario("flow-itsp-answer.xml"),
            local: t.address,
            localPort: t.port,
            calls: 50,
            timeoutSeconds: 60,
        }),
    );
    await Promise.all(free.map((t) => listening(t.address, t.port)));
    return {
        async invites() {
            await Promise.all(watchers.map((w) => w.stop()));
            const runs = await Promise.all(watchers.map((w) => w.done));
            return runs.flatMap((run) => received(run.messages, "INVITE"));
        },
    };
}
