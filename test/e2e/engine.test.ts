import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { applyScript, writeFileScript } from "../../components/asteriskConfig";
import { runSipp, startSipp } from "../../lab/sipp";
import { repoRoot } from "../../lab/stacks";
import { PulumiProject, PulumiResult } from "../../lab/pulumiCli";
import { SshServer, startSshServer } from "../../lab/sshServer";

const scenario = (name: string) => path.join(repoRoot, "lab", "scenarios", name);

/** A SIPp desk phone: registers, answers qualify OPTIONS and calls like a real phone, until stopped. */
function deskPhone(password: string) {
    return startSipp({
        scenario: scenario("e2e-phone.xml"),
        local: deskAddress,
        remote: `${server}:5060`,
        service: "desk",
        timeoutSeconds: 300,
        extraArgs: ["-au", "desk", "-ap", password, "-oocsf", scenario("e2e-phone-calls.xml")],
    });
}
// Its own loopback addresses, so a call test's Asterisk on 127.0.0.1 can run beside it.
const server = "127.0.0.11";
const itspAddress = "127.0.0.12";
const newItsp = "127.0.0.15";
const deskAddress = "127.0.0.13";
const caller = "127.0.0.14";
const sshPort = 2222;

/** The office the engine deploys to this machine: one phone, one number, an in/out-peers ITSP on loopback. */
function e2eStack(itsp: string): Record<string, unknown> {
    return {
        config: {
            "deskphone:office": {
                name: "E2E",
                country: "US",
                timezone: "America/New_York",
                voicemailFrom: "vm@e2e.example",
            },
            "deskphone:trunks": [
                { name: "itsp", kind: "peers", inboundAddresses: [itspAddress, newItsp], outboundHost: `${itsp}:5060` },
            ],
            "deskphone:numbers": [{ e164: "+13235550100", ringSeconds: 30 }],
            // SIPp plays the desk phone, over plain SIP; the laptop keeps the default, TLS, and is never logged in.
            "deskphone:phones": [
                { name: "desk", extension: "100", callerId: "+13235550100", transport: "udp" },
                { name: "laptop", extension: "101", callerId: "+13235550100" },
            ],
            "deskphone:server": { bindAddress: server, existing: { host: server, port: sshPort } },
        },
    };
}

/** Rewrites the stack file's deskphone: keys, keeping the engine's encryption salt and secure values. */
function writeStack(project: PulumiProject, stack: string, itsp: string): void {
    const file = project.stackFile(stack);
    const current = fs.existsSync(file) ? YAML.parse(fs.readFileSync(file, "utf8")) : {};
    const next = e2eStack(itsp) as { config: Record<string, any> };
    const key = current.config?.["deskphone:server"]?.existing?.privateKey;
    if (key) next.config["deskphone:server"].existing.privateKey = key;
    fs.writeFileSync(file, YAML.stringify({ ...current, config: { ...current.config, ...next.config } }));
}

/** Polls a condition (bounded) instead of sleeping. */
async function waitFor(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
        await new Promise((r) => setTimeout(r, 200));
    }
}

function step(name: string, result: PulumiResult): void {
    console.log(`      ${name}: ${result.seconds.toFixed(1)} s`);
}

describe("deskphone with the real Pulumi engine, against a server on this machine", function () {
    this.timeout(20 * 60_000);
    let project: PulumiProject;
    let host: SshServer;
    let phonePassword = "";
    let serversOwnFiles = "";
    const stack = "e2e";
    /** Every file under the server's /etc/asterisk with its checksum, and deskphone's files elsewhere. */
    const configTree = () =>
        host.run(
            "cd /etc/asterisk && find . -type f | sort | xargs sha256sum; ls /etc/msmtprc /etc/nftables.d/deskphone.nft /etc/fail2ban/jail.d/deskphone-trunks.local 2>&1 || true",
        );

    before(async () => {
        project = new PulumiProject("e2e");
        host = await startSshServer(server, sshPort);
        await project.ok(["stack", "init", stack, "--secrets-provider", "passphrase"]);
        writeStack(project, stack, itspAddress);
        await project.ok([
            "config",
            "set",
            "--stack",
            stack,
            "--secret",
            "--path",
            "deskphone:server.existing.privateKey",
            "--",
            host.privateKey,
        ]);
        serversOwnFiles = configTree();
    });

    after(async () => {
        await host?.stop();
        project?.remove();
    });

    it("1. preview lists the resources; up uploads the configs, Asterisk loads them, and a call to the DID rings the phone", async () => {
        const preview = await project.ok(["preview", "--stack", stack]);
        step("preview (fresh stack)", preview);
        for (const expected of [
            "deskphone:index:PhoneSystem",
            "deskphone:index:ExistingServer",
            "deskphone:index:AsteriskConfig",
            "e2e-config-pjsip.conf",
            "e2e-config-apply",
        ]) {
            assert.ok(preview.stdout.includes(expected), `${expected} missing from the preview:\n${preview.stdout}`);
        }
        assert.match(
            preview.stdout,
            /e2e-config-previous/,
            "the preview shows the step that keeps the server's own files",
        );
        const up = await project.ok(["up", "--stack", stack, "--yes", "--skip-preview"]);
        step("up (fresh stack, install + configs)", up);
        const kept = host.run("cat /var/lib/deskphone/backup/manifest");
        assert.match(
            kept,
            /^present \/etc\/asterisk$/m,
            "the server's own /etc/asterisk was kept before the first write",
        );
        assert.match(kept, /^absent \/etc\/fail2ban\/jail\.d\/deskphone-trunks\.local$/m);
        assert.ok(
            host.run("ls /var/lib/deskphone/backup/files/etc/asterisk").includes("users.conf"),
            "with the stock users.conf deskphone sets aside",
        );
        assert.match(host.run("asterisk -rx 'pjsip show endpoints'"), /Endpoint:\s+desk\b[\s\S]*Endpoint:\s+itsp\b/);

        const phones = JSON.parse(
            (await project.ok(["stack", "output", "phones", "--show-secrets", "--json", "--stack", stack])).stdout,
        );
        phonePassword = phones[0].password;
        assert.ok(phonePassword.length >= 24, "a long generated password");
        assert.deepEqual(
            phones.map((p: { transport: string; port: number }) => [p.transport, p.port]),
            [
                ["udp", 5060],
                ["tls", 5061],
            ],
        );
        assert.equal(
            phones[1].certificateFingerprint,
            host
                .run("openssl x509 -in /etc/deskphone/tls/deskphone.crt -noout -fingerprint -sha256")
                .trim()
                .replace(/^[^=]*=/, ""),
            "the laptop is given the fingerprint of the certificate the server made",
        );
        const phone = deskPhone(phonePassword);
        await waitFor(
            () => host.run("asterisk -rx 'pjsip show contacts'").includes("desk/sip:desk@127.0.0.13"),
            "the phone registered",
        );
        const call = await runSipp({
            scenario: scenario("e2e-uac-call.xml"),
            local: itspAddress,
            remote: `${server}:5060`,
            service: "13235550100",
            vars: { from: "12125550147" },
            timeoutSeconds: 30,
            extraArgs: ["-d", "1000"],
        });
        await phone.stop();
        const answered = await phone.done;
        assert.equal(call.exitCode, 0, call.messages);
        assert.match(answered.messages, /INVITE sip:desk@127\.0\.0\.13/, "the phone was rung");
    });

    it("2. a trunk change previews as changed config lines, no server replacement, and no secret", async () => {
        writeStack(project, stack, newItsp);
        const preview = await project.ok(["preview", "--diff", "--stack", stack]);
        step("preview --diff (trunk change)", preview);
        assert.match(preview.stdout, /contact=sip:127\.0\.0\.12:5060/);
        assert.match(preview.stdout, /contact=sip:127\.0\.0\.15:5060/);
        assert.match(
            preview.stdout,
            /~ command:remote:Command: \(update\)\s+\[id=[^\]]*\]\s+\[urn=[^\]]*e2e-config-pjsip\.conf\]/,
        );
        assert.doesNotMatch(preview.stdout, /\(replace\)|\+-|-\+/, `nothing is replaced:\n${preview.stdout}`);
        assert.doesNotMatch(preview.stdout, /e2e-server-install.*update/);
        for (const secret of [phonePassword, host.privateKey.split("\n")[1]])
            assert.ok(
                !preview.stdout.includes(secret) && !preview.stderr.includes(secret),
                "a secret leaked into the preview",
            );
    });

    it("3. up while a call is up applies the change, the call stays up, and a new call goes to the new trunk", async () => {
        const phone = deskPhone(phonePassword);
        await waitFor(
            () => /desk\/sip:desk@127\.0\.0\.13\S*\s+\S+\s+Avail/.test(host.run("asterisk -rx 'pjsip show contacts'")),
            "the phone registered and answers qualify",
        );
        const call = startSipp({
            scenario: scenario("e2e-uac-call.xml"),
            local: itspAddress,
            remote: `${server}:5060`,
            service: "13235550100",
            vars: { from: "12125550147" },
            timeoutSeconds: 110,
            extraArgs: ["-d", "45000"],
        });
        await new Promise((r) => setTimeout(r, 3000));
        const up = await project.ok(["up", "--stack", stack, "--yes", "--skip-preview"]);
        step("up (trunk change, a call up)", up);
        assert.match(host.run("cat /etc/asterisk/pjsip.conf"), /contact=sip:127\.0\.0\.15:5060/);
        const held = await call.done;
        await phone.stop();
        assert.equal(held.exitCode, 0, `the call dropped during the update:\n${held.messages}`);

        const itsp = startSipp({ scenario: scenario("e2e-uas-answer.xml"), local: newItsp, timeoutSeconds: 30 });
        const outbound = await runSipp({
            scenario: scenario("e2e-uac-call.xml"),
            local: caller,
            remote: `${server}:5060`,
            service: "2125550147",
            vars: { from: "desk" },
            timeoutSeconds: 20,
            extraArgs: ["-d", "500", "-au", "desk", "-ap", phonePassword],
        });
        const reached = await itsp.done;
        assert.equal(outbound.exitCode, 0, outbound.messages);
        assert.match(reached.messages, /INVITE sip:12125550147@127\.0\.0\.15/, reached.messages);
    });

    it("a file Asterisk rejects is put back: the apply step fails with Asterisk's complaint and the previous file is loaded again", async () => {
        const pjsip = "/etc/asterisk/pjsip.conf";
        const good = host.run(`cat ${pjsip}`);
        fs.writeFileSync(
            path.join(host.root, "tmp/rejected-pjsip.conf"),
            `${good}\n[bogus]\ntype=endpoint\nno_such_option=yes\n`,
        );
        const write = writeFileScript({
            path: pjsip,
            secret: false,
            apply: "asterisk -rx 'module reload res_pjsip.so'",
        });
        assert.equal(
            host.run(`sh -c '${write.replaceAll("'", "'\\''")}' < /tmp/rejected-pjsip.conf`).trim(),
            "changed",
        );
        let failure = "";
        try {
            host.run(`sh -c '${applyScript.replaceAll("'", "'\\''")}'`);
        } catch (error) {
            failure = String((error as { stderr?: string }).stderr);
        }
        assert.match(failure, /Asterisk did not accept the new configuration; the previous files are back in place/);
        assert.match(failure, /no_such_option/, "Asterisk's own complaint");
        assert.equal(host.run(`cat ${pjsip}`), good);
        assert.doesNotMatch(host.run("asterisk -rx 'pjsip show endpoints'"), /bogus/);
        assert.match(host.run("asterisk -rx 'pjsip show endpoints'"), /Endpoint:\s+desk\b/);
        assert.deepEqual(
            host
                .run("ls /var/lib/deskphone")
                .split("\n")
                .filter((f) => /^(changed|pending)$/.test(f)),
            [],
            "nothing left pending",
        );
    });

    it("5. a bad stack file fails preview with every validation error, naming each setting, and creates nothing", async () => {
        await project.ok(["stack", "init", "bad", "--secrets-provider", "passphrase"]);
        const bad = e2eStack(itspAddress) as { config: Record<string, any> };
        bad.config["deskphone:numbers"][0].e164 = "+1555";
        bad.config["deskphone:phones"][0].extenson = "100";
        fs.writeFileSync(project.stackFile("bad"), YAML.stringify(bad));
        const preview = await project.run(["preview", "--stack", "bad"]);
        step("preview (bad stack)", preview);
        assert.notEqual(preview.code, 0);
        const text = preview.stdout + preview.stderr;
        assert.match(text, /deskphone:numbers\[0\]\.e164: "\+1555" is not an E\.164 number/);
        assert.match(text, /deskphone:phones\[0\]\.extenson: unknown setting "extenson"/);
        assert.match(text, /deskphone:server\.existing\.privateKey: is required/);
        assert.doesNotMatch(text, /at \w+ \(.*\.ts:\d+/, "no stack trace");

        // The hint works as printed, for a key whose first line begins with dashes.
        const hint = text.match(
            /store it with: (pulumi config set --secret --path 'deskphone:server\.existing\.privateKey' .*)\)/,
        )?.[1];
        assert.ok(hint, text);
        const home = fs.mkdtempSync(path.join(project.dir, "home-"));
        fs.mkdirSync(path.join(home, ".ssh"));
        fs.writeFileSync(path.join(home, ".ssh/id_ed25519"), host.privateKey);
        await project.ok(["stack", "select", "bad"]);
        const { status, stdout, stderr } = spawnSync("sh", ["-c", hint], {
            cwd: project.dir,
            env: { ...project.env, HOME: home },
            encoding: "utf8",
        });
        assert.equal(status, 0, `${stdout}${stderr}`);
        assert.ok(!`${stdout}${stderr}`.includes(host.privateKey.split("\n")[1]), "the key is not echoed");
        const read = await project.ok([
            "config",
            "get",
            "--path",
            "deskphone:server.existing.privateKey",
            "--stack",
            "bad",
        ]);
        assert.equal(read.stdout.trim(), host.privateKey.trim(), "the whole key is stored");
        const resources =
            JSON.parse((await project.ok(["stack", "export", "--stack", "bad"])).stdout).deployment.resources ?? [];
        assert.deepEqual(
            resources.filter((r: { type: string }) => r.type !== "pulumi:pulumi:Stack"),
            [],
        );
    });

    it("6. up twice in a row: the second changes nothing", async () => {
        const again = await project.ok(["up", "--stack", stack, "--yes", "--expect-no-changes", "--diff"]);
        step("up (no change)", again);
    });

    it("7. destroy puts the server's own files back: deskphone's configuration and trunk are gone, and the phone's password no longer registers", async () => {
        const destroy = await project.ok(["destroy", "--stack", stack, "--yes", "--skip-preview"]);
        step("destroy", destroy);
        assert.equal(configTree(), serversOwnFiles, "every file as it was before the first up");
        assert.ok(!host.run("ls /var/lib").includes("deskphone"), "no copy or state left");
        const endpoints = host.run("asterisk -rx 'pjsip show endpoints'");
        assert.doesNotMatch(endpoints, /Endpoint:\s+(desk|itsp)\b/, endpoints);
        const registered = await runSipp({
            scenario: scenario("e2e-register.xml"),
            local: deskAddress,
            remote: `${server}:5060`,
            service: "desk",
            timeoutSeconds: 10,
            extraArgs: ["-au", "desk", "-ap", phonePassword],
        });
        assert.doesNotMatch(
            registered.messages,
            /SIP\/2\.0 200 OK[\s\S]*CSeq: \d+ REGISTER/,
            "the old password registered after destroy",
        );
    });
});
