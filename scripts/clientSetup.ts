/**
 * What `npm run local` prints so that a softphone or SIPp can use the local office: a baresip
 * accounts line, linphone's CLI register command, and a SIPp command line that plays the stand-in
 * provider calling each of the office's numbers. Pure functions of the office and its secrets.
 */
import * as path from "path";
import { kindOf, Office, SecretValues } from "../components";

/** A SIP login Asterisk answers with digest auth: a phone, or the SPA3102's landline port. */
export interface SipLogin {
    user: string;
    password: string;
    /** What the login is, for the reader: "extension 100, caller ID +13235550100". */
    about: string;
}

/** Where the local Asterisk listens for SIP. */
export interface SipServer {
    address: string;
    port: number;
    transport: "udp" | "tls";
}

/** Every login of the office: its phones, then the SPA3102's landline port. */
export function sipLogins(office: Office, secrets: SecretValues): SipLogin[] {
    const logins = office.phones.map((p) => ({
        user: p.name,
        password: secrets[p.secret.path],
        about: `extension ${p.extension}, caller ID ${p.callerId}`,
    }));
    const landline = office.spa3102?.landline;
    if (landline)
        logins.push({
            user: landline.name,
            password: secrets[landline.secret.path],
            about: "the SPA3102's landline port",
        });
    return logins;
}

/** The host part of a SIP URI for the server: the port only when it is not SIP's 5060. */
function hostPart(server: SipServer): string {
    return server.port === 5060 ? server.address : `${server.address}:${server.port}`;
}

/**
 * Characters baresip's accounts line cannot carry in a parameter value (it ends at `;`, the address
 * at `>`, and values are not unquoted): with any of them, baresip is left to ask for the password.
 */
const unsafeInAccountsLine = /[;>,"\s\\]/;

/** A line for ~/.baresip/accounts: `<sip:desk@127.0.0.1;transport=udp>;auth_pass=…`. */
export function baresipAccount(login: SipLogin, server: SipServer): string {
    const address = `<sip:${login.user}@${hostPart(server)};transport=${server.transport}>`;
    return unsafeInAccountsLine.test(login.password) ? address : `${address};auth_pass=${login.password}`;
}

/** A shell command that adds the login to baresip's accounts and starts baresip. */
export function baresipCommand(login: SipLogin, server: SipServer): string {
    return `mkdir -p ~/.baresip && echo ${shellQuote(baresipAccount(login, server))} >> ~/.baresip/accounts && baresip`;
}

/** What to type at linphonec's prompt: `register <identity> <proxy> <password>`. */
export function linphonecRegister(login: SipLogin, server: SipServer): string {
    const host = hostPart(server);
    return `register sip:${login.user}@${host} sip:${host};transport=${server.transport} ${login.password}`;
}

/** The stand-in provider, where every trunk of the local office points. */
export interface StandInProvider {
    address: string;
    port: number;
}

/** The scenario SIPp plays as the provider delivering a call (relative to the repository). */
export const inboundCallScenario = path.join("lab", "scenarios", "flow-uac-call.xml");

/** The caller the stand-in provider presents: a number outside every example office. */
export const outsideCaller = "12125550147";

/**
 * A number as its trunk's provider puts it in the Request-URI of a call to the office: Twilio in
 * E.164, a registration trunk as its contact user when that is the number's tail, the others digits.
 */
export function numberAsProviderSends(office: Office, e164: string): string {
    const number = office.numbers.find((n) => n.e164 === e164);
    if (!number) throw new Error(`the office has no number ${e164}`);
    const trunk = office.trunks.find((t) => t.name === number.trunk)!;
    return kindOf(trunk).inboundForm(trunk, e164);
}

/** For each of the office's numbers, a SIPp command line that calls it from the stand-in provider's address. */
export function inboundCallCommands(
    office: Office,
    server: SipServer,
    provider: StandInProvider,
    holdMs = 20_000,
): { e164: string; command: string }[] {
    return office.numbers.map((n) => ({
        e164: n.e164,
        command: [
            `sipp ${server.address}:${server.port} -sf ${inboundCallScenario}`,
            `-i ${provider.address} -p ${provider.port} -t u1 -m 1`,
            `-s ${shellQuote(numberAsProviderSends(office, n.e164))} -set from ${outsideCaller} -d ${holdMs}`,
        ].join(" "),
    }));
}

/** Quotes a word for a POSIX shell when it needs it. */
export function shellQuote(word: string): string {
    return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The lines `npm run local` prints for each login and number: how to register each client and how to call in. */
export function clientInstructions(
    office: Office,
    secrets: SecretValues,
    server: SipServer,
    provider: StandInProvider,
    holdMs = 20_000,
): string[] {
    const lines = [
        `Register a softphone (server ${server.address}, port ${server.port}, ${server.transport.toUpperCase()}, user, password):`,
    ];
    for (const login of sipLogins(office, secrets)) {
        lines.push(
            `  ${login.user} (${login.about}): server ${server.address}  user ${login.user}  password ${login.password}`,
            `    baresip:   ${baresipCommand(login, server)}`,
            `    linphonec: run linphonec, then type  ${linphonecRegister(login, server)}`,
        );
    }
    lines.push(
        "",
        `A call from the stand-in provider's address (${provider.address}, where every trunk points) to each of the office's numbers, with SIPp`,
        `(run from the repository; answered, it plays recorded voice and hangs up after ${holdMs / 1000} s):`,
    );
    for (const { e164, command } of inboundCallCommands(office, server, provider, holdMs))
        lines.push(`  ${e164}: ${command}`);
    return lines;
}
