/**
 * An office on a DigitalOcean droplet, in a model of the droplet's network (test/support/dropletNetwork.ts):
 * a real Asterisk runs the rendered office on the "droplet", the egress script the install script writes
 * routes it through the anchor gateway, and the "provider" sees where each packet came from.
 */
import { strict as assert } from "assert";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderConfigFiles, RenderOptions, renderSecretFiles, resolveSecrets } from "../../components";
import type { Office, Phone } from "../../components/office/types";
import { renderEgressScript } from "../../components/render/serverFiles";
import { renderInstallScript } from "../../components/render/serverFiles";
import { dropletAddresses as addresses, DropletNetwork, startDropletNetwork } from "../support/dropletNetwork";
import { exampleOffice } from "../../lab/stacks";
import { RunningAsterisk, startAsterisk } from "../../lab/asterisk";
import { finalResponses, header, received } from "./flows/sipTrace";
import { scenario } from "../../lab/callLab";
import { runSipp, startSipp } from "../../lab/sipp";

describe("an office on a DigitalOcean droplet, in a model of the droplet's network", function () {
    this.timeout(180_000);
    let net: DropletNetwork;
    let asterisk: RunningAsterisk | undefined;
    const egress = renderEgressScript();
    const runEgress = (env = "") => {
        try {
            return { code: 0, output: net.run(net.droplet, ["sh", "-c", `${env}\n${egress}`]) };
        } catch (e) {
            const failed = e as { status: number; stdout: string; stderr: string };
            return { code: failed.status, output: `${failed.stdout}${failed.stderr}` };
        }
    };

    /** Renders the office for the droplet (phones and trunks reach the reserved IP) and starts its Asterisk there. */
    const startOffice = async (office: Office, options: RenderOptions, name: string) => {
        const secrets = resolveSecrets(office);
        const files = [...renderConfigFiles(office, options), ...renderSecretFiles(office, secrets)];
        const etc = files.filter((f) => f.path.startsWith("/etc/asterisk/"));
        asterisk = await startAsterisk(Object.fromEntries(etc.map((f) => [f.name, f.text])), {
            name: `${name}-${process.pid}`,
            stockConfig: { omit: ["users.conf"] },
            netns: net.droplet,
        });
        return { secrets, files };
    };
    /** SIPp on the phone's address registers the phone with its password, over plain SIP to the reserved IP. */
    const registerPhone = (phone: Phone, password: string, timeoutSeconds: number) =>
        runSipp({
            scenario: scenario("flow-register.xml"),
            local: addresses.phone,
            remote: `${addresses.reserved}:5060`,
            service: phone.name,
            vars: { expires: "3600" },
            extraArgs: ["-au", phone.name, "-ap", password],
            timeoutSeconds,
            netns: net.internet,
        });

    before(() => {
        net = startDropletNetwork();
    });
    after(async () => {
        await asterisk?.stop();
        await net?.remove();
    });

    it("as DigitalOcean documents: until routed through the anchor gateway, the droplet sends from its own IP, not the reserved IP", () => {
        const before = net.counters();
        net.run(net.droplet, [
            "python3",
            "-c",
            `import socket; socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"x", ("${addresses.provider}", 5060))`,
        ]);
        const after = net.counters();
        assert.equal(after.sipFromOwn - before.sipFromOwn, 1, "it arrived from the droplet's own IP");
        assert.equal(after.sipFromReserved - before.sipFromReserved, 0);
    });

    it("the egress script waits for a reserved IP, bounded, and fails naming it when none is assigned", async () => {
        assert.ok(
            renderInstallScript({ droplet: { voicemailDevice: "/dev/sda" } }).includes(egress.trimEnd()),
            "the install script writes this script",
        );
        await net.serveMetadata(false);
        const run = runEgress("export DESKPHONE_RESERVED_IP_TIMEOUT=2");
        assert.equal(run.code, 1, run.output);
        assert.match(
            run.output,
            /deskphone-egress: no reserved IP is assigned to this droplet, so its traffic still leaves from its own IP/,
        );
        assert.match(
            net.run(net.droplet, ["ip", "route", "show", "default"]),
            new RegExp(`via ${addresses.ownGateway.replaceAll(".", "\\.")}`),
            "routes untouched",
        );
    });

    it("the egress script routes through the anchor gateway, keeps replies from the droplet's own IP on its gateway, and may run again", async () => {
        await net.serveMetadata(true);
        for (const pass of [1, 2]) {
            const run = runEgress();
            assert.equal(run.code, 0, `run ${pass}: ${run.output}`);
        }
        assert.equal(
            net.run(net.droplet, ["ip", "route", "show", "default"]).trim(),
            `default via ${addresses.anchorGateway} dev eth0 src ${addresses.anchor} `.trim(),
        );
        const rules = net.run(net.droplet, ["ip", "rule", "show"]);
        assert.equal(
            rules.match(new RegExp(`from ${addresses.own.replaceAll(".", "\\.")} lookup 100`, "g"))?.length,
            1,
            rules,
        );
        assert.match(
            net.run(net.droplet, ["ip", "route", "show", "table", "100"]),
            new RegExp(`^default via ${addresses.ownGateway.replaceAll(".", "\\.")} dev eth0`, "m"),
        );
    });

    it("a call out from a phone reaches the provider from the reserved IP, with the reserved IP in Via, Contact and c=, and its audio from it too", async () => {
        const office = exampleOffice("freelancer");
        // SIPp plays the desk phone, over plain SIP and RTP.
        for (const phone of office.phones) phone.transport = "udp";
        const trunk = office.trunks[0];
        const options = {
            publicAddress: addresses.reserved,
            trunkAddresses: { [trunk.name]: { host: `${addresses.provider}:5060`, matches: [addresses.provider] } },
        };
        const { secrets } = await startOffice(office, options, "droplet");
        assert.deepEqual(asterisk!.problems(), []);
        const phone = office.phones[0];
        const server = `${addresses.reserved}:5060`;
        const itsp = startSipp({
            scenario: scenario("flow-itsp-answer.xml"),
            local: addresses.provider,
            remote: server,
            calls: 20,
            timeoutSeconds: 40,
            netns: net.internet,
        });
        const before = net.counters();

        const registered = await registerPhone(phone, secrets[phone.secret.path], 10);
        assert.equal(finalResponses(registered.messages).pop(), 200, registered.messages);
        const called = await runSipp({
            scenario: scenario("flow-uac-call.xml"),
            local: addresses.phone,
            remote: server,
            service: "2125550147",
            vars: { from: phone.name },
            extraArgs: ["-d", "2000", "-au", phone.name, "-ap", secrets[phone.secret.path]],
            timeoutSeconds: 30,
            netns: net.internet,
        });
        assert.equal(called.exitCode, 0, `${called.errors}\n${asterisk!.logText().slice(-3000)}`);
        const provider = await itsp.done;
        const after = net.counters();

        const invites = received(provider.messages, "INVITE");
        assert.ok(invites.length >= 1, "the call reached the provider");
        for (const invite of invites) {
            assert.match(
                header(invite, "Via"),
                new RegExp(`^SIP/2\\.0/UDP ${addresses.reserved.replaceAll(".", "\\.")}:5060`),
                "Via",
            );
            assert.match(
                header(invite, "Contact"),
                new RegExp(`@${addresses.reserved.replaceAll(".", "\\.")}:5060`),
                "Contact",
            );
            assert.match(invite.body, new RegExp(`^c=IN IP4 ${addresses.reserved.replaceAll(".", "\\.")}$`, "m"), "c=");
            const text = JSON.stringify(invite);
            assert.ok(
                !text.includes(addresses.anchor) && !text.includes(addresses.own),
                `no droplet address in the INVITE:\n${text}`,
            );
        }
        const sent = (name: string) => after[name] - before[name];
        assert.ok(sent("sipFromReserved") > 0, "SIP arrived from the reserved IP");
        assert.equal(sent("sipFromOwn"), 0, "and none from the droplet's own IP");
        assert.ok(
            sent("rtpFromReserved") > 50,
            `audio arrived from the reserved IP (${sent("rtpFromReserved")} packets)`,
        );
        assert.equal(sent("rtpFromOwn"), 0, "and none from the droplet's own IP");
    });
    it("a TLS phone's password gets no answer over plain SIP, which the host firewall keeps for the trunks, and the trunk is still answered", async () => {
        await asterisk?.stop();
        // Québec's phones all use TLS; its peers ITSP calls from the model's provider address.
        const office = exampleOffice("quebec");
        const itsp = office.trunks.find((t) => t.kind === "peers")!;
        if (itsp.kind === "peers") itsp.inboundAddresses = [addresses.provider];
        const options = {
            publicAddress: addresses.reserved,
            trunkAddresses: Object.fromEntries(
                office.trunks.map((t) => [
                    t.name,
                    t === itsp
                        ? { host: `${addresses.provider}:5060`, matches: [addresses.provider] }
                        : { host: `${addresses.provider}:5070`, matches: ["192.0.2.80"] },
                ]),
            ),
        };
        const { secrets, files } = await startOffice(office, options, "droplet-tls");
        const phone = office.phones.find((p) => p.transport === "tls")!;
        const server = `${addresses.reserved}:5060`;
        const register = () => registerPhone(phone, secrets[phone.secret.path], 6);
        const unguarded = await register();
        assert.equal(
            finalResponses(unguarded.messages).pop(),
            200,
            "Asterisk alone takes it: its registrar checks no transport, so the firewall must",
        );
        const nft = files.find((f) => f.name === "deskphone.nft")!;
        const scratch = mkdtempSync(join(tmpdir(), "deskphone-nft-"));
        writeFileSync(join(scratch, "deskphone.nft"), nft.text);
        try {
            net.run(net.droplet, ["nft", "-f", join(scratch, "deskphone.nft")]);
            const guarded = await register();
            assert.deepEqual(finalResponses(guarded.messages), [], `no answer at all:\n${guarded.messages}`);
            const ping = await runSipp({
                scenario: scenario("options-ping.xml"),
                local: addresses.provider,
                remote: server,
                timeoutSeconds: 6,
                netns: net.internet,
            });
            assert.equal(ping.exitCode, 0, `the trunk's OPTIONS is answered:\n${ping.errors}`);
        } finally {
            net.run(net.droplet, ["nft", "delete", "table", "inet", "deskphone"]);
            rmSync(scratch, { recursive: true, force: true });
        }
    });
});
