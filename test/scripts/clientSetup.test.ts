/**
 * What `npm run local` prints for softphones and for calling in, checked on the example stacks, and
 * the printed baresip accounts line given to a real baresip, which must log in with it.
 */
import { strict as assert } from "assert";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { resolveSecrets, standInNumbers, withNumbers } from "../../components";
import { didAsSent } from "../calls/flows/officeFlows";
import { exampleOffice, exampleStacks, repoRoot } from "../../lab/stacks";
import {
    baresipAccount,
    baresipCommand,
    clientInstructions,
    inboundCallCommands,
    linphonecRegister,
    numberAsProviderSends,
    sipLogins,
} from "../../scripts/clientSetup";
import { baresipLogsIn } from "./baresipLogin";

const server = { address: "127.0.0.1", port: 5060, transport: "udp" as const };
const provider = { address: "127.0.0.2", port: 5060 };

/** An example office as local mode runs it: numbers still to buy under stand-in numbers. */
function localOffice(stack: string) {
    const loaded = exampleOffice(stack);
    const office = withNumbers(loaded, standInNumbers(loaded));
    return { office, secrets: resolveSecrets(office) };
}

describe("npm run local: what it prints for softphones and the stand-in provider", () => {
    const { office, secrets } = localOffice("freelancer");
    const [desk] = sipLogins(office, secrets);
    const deskPassword = secrets[office.phones[0].secret.path];

    it("lists every phone of the office, and the SPA3102's landline port, with its own password", () => {
        assert.deepEqual(
            sipLogins(office, secrets).map((l) => l.user),
            ["desk"],
        );
        assert.equal(desk.password, deskPassword);
        const montevideo = localOffice("montevideo");
        assert.deepEqual(
            sipLogins(montevideo.office, montevideo.secrets).map((l) => l.user),
            ["casa", "laptop", "landline"],
        );
    });

    it("gives baresip an accounts line with the user, the server, UDP and the password", () => {
        assert.equal(baresipAccount(desk, server), `<sip:desk@127.0.0.1;transport=udp>;auth_pass=${deskPassword}`);
        assert.equal(
            baresipAccount(desk, { ...server, address: "192.168.1.20", port: 5080 }),
            `<sip:desk@192.168.1.20:5080;transport=udp>;auth_pass=${deskPassword}`,
        );
        assert.equal(
            baresipCommand(desk, server),
            `mkdir -p ~/.baresip && echo '<sip:desk@127.0.0.1;transport=udp>;auth_pass=${deskPassword}' >> ~/.baresip/accounts && baresip`,
        );
    });

    it("leaves out of baresip's line a password its format cannot carry, so that baresip asks for it", () => {
        assert.equal(baresipAccount({ ...desk, password: "a;b>c" }, server), "<sip:desk@127.0.0.1;transport=udp>");
    });

    it("gives linphonec the register command with identity, proxy and password", () => {
        assert.equal(
            linphonecRegister(desk, server),
            `register sip:desk@127.0.0.1 sip:127.0.0.1;transport=udp ${deskPassword}`,
        );
    });

    it("prints a SIPp call from the provider's address to each of the office's numbers, as each provider sends it", () => {
        const quebec = localOffice("quebec").office;
        const commands = inboundCallCommands(quebec, server, provider);
        assert.deepEqual(
            commands.map((c) => c.e164),
            quebec.numbers.map((n) => n.e164),
        );
        for (const { e164, command } of commands) {
            assert.match(
                command,
                /^sipp 127\.0\.0\.1:5060 -sf (\S+) -i 127\.0\.0\.2 -p 5060 -t u1 -m 1 -s (\S+) -set from 12125550147 -d 20000$/,
            );
            const [, scenarioFile, dialed] = command.match(/-sf (\S+) .* -s (\S+)/)!;
            assert.ok(existsSync(join(repoRoot, scenarioFile)), `${scenarioFile} is a scenario in the repository`);
            assert.equal(
                dialed,
                didAsSent(quebec, e164),
                "the number as its provider sends it (a registration trunk sends its contact user)",
            );
        }
    });

    it("calls each number as the call tests' provider does, in every example stack (Twilio in E.164)", () => {
        for (const stack of exampleStacks()) {
            const { office } = localOffice(stack);
            for (const n of office.numbers)
                assert.equal(numberAsProviderSends(office, n.e164), didAsSent(office, n.e164), `${stack} ${n.e164}`);
        }
        const montevideo = localOffice("montevideo").office;
        assert.equal(numberAsProviderSends(montevideo, "+59829001234"), "+59829001234");
    });

    it("puts the logins, both clients' snippets and the inbound calls on screen", () => {
        const text = clientInstructions(office, secrets, server, provider).join("\n");
        assert.ok(text.includes(`baresip:   ${baresipCommand(desk, server)}`));
        assert.ok(text.includes(`linphonec: run linphonec, then type  ${linphonecRegister(desk, server)}`));
        assert.ok(text.includes(`+13235550100: ${inboundCallCommands(office, server, provider)[0].command}`));
    });

    it("the printed accounts line logs a real baresip in as desk with desk's password", async function () {
        this.timeout(20_000);
        const login = await baresipLogsIn(
            baresipAccount(desk, server),
            { ...server, realm: "deskphone" },
            deskPassword,
        );
        assert.equal(login.requestUri, "sip:127.0.0.1;transport=udp");
        assert.equal(login.from, "sip:desk@127.0.0.1");
        assert.equal(login.digest.username, "desk");
        assert.equal(login.digestMatches, true, "baresip's digest answer is made with desk's password");
    });
});
