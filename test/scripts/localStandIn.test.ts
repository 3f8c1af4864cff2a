/**
 * `npm run local`'s stand-in provider, driven as a user would: local mode runs the freelancer office in a network
 * namespace of the test's own; a SIPp phone dials out and the stand-in provider prints the call as it arrived
 * (Request-URI, From, P-Asserted-Identity); a number typed on local mode's input has the provider call it, and the
 * registered phone rings.
 */
import { strict as assert } from "assert";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { outboundRegistrationWithinMs } from "../../lab/asterisk";
import { waitFor } from "../../lab/callLab";
import { runSipp, startSipp } from "../../lab/sipp";
import { aLawTone, parseLoggedCall } from "../../scripts/standInProvider";

const repoRoot = join(__dirname, "..", "..");
const scenario = (name: string) => join(repoRoot, "lab", "scenarios", name);
const phone = "127.0.0.3";

describe("npm run local's stand-in provider on 127.0.0.2", function () {
    this.timeout(120_000);
    const netns = `deskphone-local-${process.pid}`;
    let local: ChildProcess | undefined;
    let output = "";
    let password = "";

    before(async function () {
        this.timeout(120_000);
        local = await startLocal("freelancer", netns, (d) => (output += d));
        password = output.match(/^\s+desk \(extension 100[^\n]*password (\S+)$/m)?.[1] ?? "";
        assert.ok(password, `desk's password on screen:\n${output}`);
    });

    after(async () => {
        await stopLocal(local, netns);
    });

    it("says on screen how to have it call in, and that it answers outbound calls", () => {
        assert.match(
            output,
            /stand-in provider on 127\.0\.0\.2:5060: it answers with a tone\nand prints the Request-URI, From and P-Asserted-Identity it received/,
        );
        assert.match(output, /type a number of the office and Enter \(just Enter: \+13235550100\)/);
    });

    it("answers a phone's outbound call with a tone and prints its Request-URI, From and P-Asserted-Identity", async () => {
        const placed = runSipp({
            scenario: scenario("flow-uac-call.xml"),
            local: phone,
            service: "2125550147",
            vars: { from: "desk" },
            extraArgs: ["-au", "desk", "-ap", password, "-d", "4000"],
            timeoutSeconds: 30,
            netns,
        });
        // While the call is up, the trunk's leg of it receives the provider's RTP (the tone), as Asterisk counts it.
        const [, root, conf] = output.match(/Asterisk's console: chroot (\S+) asterisk -C (\S+) -r/) ?? [];
        assert.ok(conf, "local mode prints Asterisk's console command");
        const received = await waitFor("RTP from the stand-in provider on the trunk's channel", 10_000, () => {
            const stats = execFileSync("chroot", [root, "asterisk", "-C", conf, "-rx", "pjsip show channelstats"], {
                encoding: "utf8",
            });
            const count = Number(stats.match(/^\s*\S+\s+flowroute-\S+\s+\S+\s+\S+\s+(\d+)/m)?.[1] ?? 0);
            return count >= 50 ? count : undefined;
        });
        assert.ok(received >= 50);
        const call = await placed;
        assert.match(call.messages, /^SIP\/2\.0 200 OK/m, `the call was answered:\n${call.messages.slice(-3000)}`);
        const line = await waitFor(
            () => `the stand-in provider to print the call:\n${output}`,
            10_000,
            () => output.match(/^stand-in provider: call to .*$/m)?.[0],
        );
        // A 10-digit number goes out with its leading 1, from the line's caller ID (the freelancer's +1 323 555 0100).
        assert.match(line, /call to sip:12125550147@127\.0\.0\.2\b/, line);
        assert.match(line, /From [^,]*13235550100/, line);
        assert.match(line, /P-Asserted-Identity [^;]*\+?13235550100/, line);
    });

    it("calls a typed number of the office in, and the registered phone rings", async () => {
        const registered = await runSipp({
            scenario: scenario("flow-register.xml"),
            local: phone,
            service: "desk",
            vars: { expires: "300" },
            extraArgs: ["-au", "desk", "-ap", password],
            timeoutSeconds: 15,
            netns,
        });
        assert.match(registered.messages, /^SIP\/2\.0 200 OK/m, registered.messages.slice(-2000));
        const ringing = startSipp({
            scenario: scenario("flow-uas-answer.xml"),
            local: phone,
            timeoutSeconds: 60,
            netns,
        });
        try {
            local!.stdin!.write("+1 323 555 0100\n");
            const answered = await ringing.done;
            const invite = answered.messages.match(/^INVITE sip:[\s\S]*?\r?\n\r?\n/m)?.[0] ?? "";
            assert.ok(invite, `the phone got the call:\n${answered.messages.slice(-3000)}\n${output}`);
            assert.match(invite, /^From:[^\n]*12125550147/m, "from the stand-in provider's caller");
            await waitFor(
                () => `local mode to report the call:\n${output}`,
                40_000,
                () => output.includes("the call to +13235550100 was answered and has ended") || undefined,
            );
        } finally {
            await ringing.stop();
        }
    });

    it("reads back the lines its SIPp scenario logs for each INVITE", () => {
        assert.deepEqual(
            parseLoggedCall(
                "call 3|sip:12125550147@127.0.0.2|From: <sip:13235550100@127.0.0.1>;tag=x|P-Asserted-Identity: <sip:+13235550100@127.0.0.1>",
            ),
            {
                requestUri: "sip:12125550147@127.0.0.2",
                from: "<sip:13235550100@127.0.0.1>;tag=x",
                pai: "<sip:+13235550100@127.0.0.1>",
            },
        );
        assert.equal(parseLoggedCall("call 4|sip:911@127.0.0.2|From: <sip:1@x>|")?.pai, undefined, "no PAI sent");
    });

    it("answers with a tone that loops without a click: a whole number of cycles of a sine in A-law", () => {
        const tone = aLawTone(440, 8000);
        assert.equal(tone.length, 8000);
        // A-law's zero-crossing codes are 0xd5 (+0) and 0x55 (-0); a 440 Hz tone has 880 sign changes a second.
        const positive = [...tone].map((b) => ((b ^ 0x55) & 0x80) !== 0);
        const changes =
            positive.filter((p, i) => i > 0 && p !== positive[i - 1]).length + (positive[0] !== positive[7999] ? 1 : 0);
        assert.ok(Math.abs(changes - 880) <= 2, `${changes} sign changes`);
    });
});

describe("npm run local's stand-in provider and a registration trunk (the quebec office)", function () {
    this.timeout(120_000);
    const netns = `deskphone-local-quebec-${process.pid}`;
    let local: ChildProcess | undefined;
    let output = "";

    before(async function () {
        this.timeout(120_000);
        local = await startLocal("quebec", netns, (d) => (output += d));
    });

    after(async () => {
        await stopLocal(local, netns);
    });

    it("answers the registration trunk's REGISTER: Asterisk shows it registered within seconds of starting, having logged no problem", async () => {
        const [, root, conf] = output.match(/Asterisk's console: chroot (\S+) asterisk -C (\S+) -r/) ?? [];
        assert.ok(conf, output);
        const cli = (command: string) =>
            execFileSync("chroot", [root, "asterisk", "-C", conf, "-rx", command], { encoding: "utf8" });
        const registered = await waitFor(
            "the registration trunk to be registered",
            outboundRegistrationWithinMs,
            () =>
                cli("pjsip show registrations").match(
                    /^\s*provider-registration\/sip:127\.0\.0\.2:5060\s+\S+\s+Registered\b.*$/m,
                )?.[0],
        );
        assert.match(registered, /Registered\s+\(exp\. \d+s\)/);
        assert.doesNotMatch(output, /Asterisk logged while loading the office/, output);
    });
});

/** Runs `npm run local -- stack` in a network namespace of its own (made here), until it says it is ready. */
async function startLocal(stack: string, netns: string, onOutput: (text: string) => void): Promise<ChildProcess> {
    execFileSync("ip", ["netns", "add", netns]);
    execFileSync("ip", ["-n", netns, "link", "set", "lo", "up"]);
    const tsx = join(repoRoot, "node_modules", ".bin", "tsx");
    const local = spawn(
        "ip",
        [
            "netns",
            "exec",
            netns,
            "setpriv",
            "--pdeathsig",
            "KILL",
            "--",
            tsx,
            join(repoRoot, "scripts", "local.ts"),
            stack,
        ],
        { cwd: repoRoot, stdio: ["pipe", "pipe", "pipe"] },
    );
    let output = "";
    const take = (d: string) => {
        output += d;
        onOutput(d);
    };
    local.stdout!.setEncoding("utf8").on("data", take);
    local.stderr!.setEncoding("utf8").on("data", take);
    await waitFor(
        () => `npm run local -- ${stack} to be ready:\n${output}`,
        110_000,
        () =>
            output.includes("Ctrl-C stops") ||
            (local.exitCode !== null ? Promise.reject(new Error(output)) : undefined),
    );
    return local;
}

/** Ctrl-C for local mode, as a user stops it, then the namespace goes. */
async function stopLocal(local: ChildProcess | undefined, netns: string): Promise<void> {
    if (local && local.exitCode === null) {
        const closed = new Promise((r) => local.once("close", r));
        local.kill("SIGINT");
        await closed;
    }
    try {
        execFileSync("ip", ["netns", "del", netns]);
    } catch {
        // never made
    }
}
