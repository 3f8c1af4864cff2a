/**
 * Every example stack renders with the toll-fraud and intrusion defences of issue 7 on. What a real
 * attack shows is proven in attacks.test.ts; this file checks, for each example, what no single call
 * can show: that the defence is in the rendered files at all.
 */
import { strict as assert } from "assert";
import { resolveSecrets } from "../../components";
import { inboundRules } from "../../components/dropletServer";
import { flowroutePops, twilioEdges } from "../../components/office/data/providerNetworks";
import { planFor, trunkContext } from "../../components/render/dialplan";
import { sipSources, trunkSignallingSources } from "../../components/office/sipSources";
import { hasUdpPhones } from "../../components/office/transports";
import { renderInstallScript } from "../../components/render/serverFiles";
import {
    dialTargets,
    extensionSteps,
    parseConf,
    parseDialplan,
    pjsipObject,
    reachableContexts,
} from "../support/asteriskConf";
import { exampleOffice, exampleStacks, renderOffice } from "../../lab/stacks";
import { installedJail } from "./installedFilter";

describe("security defences in every example stack (issue 7)", () => {
    for (const stack of exampleStacks()) {
        describe(`the ${stack} example`, () => {
            const rendered = renderOffice(exampleOffice(stack));
            const { office } = rendered;
            const pjsip = rendered.text("pjsip.conf");
            const dialplan = parseDialplan(rendered.text("extensions.conf"));
            const endpoints = parseConf(pjsip).filter(
                (s) => !s.template && s.settings.some(([k, v]) => k === "type" && v === "endpoint"),
            );
            const trunkNames = new Set(office.trunks.map((t) => t.name));

            it("has no anonymous or guest endpoint: every endpoint is a phone that must authenticate or a trunk known by its addresses", () => {
                for (const section of endpoints) {
                    assert.ok(!/^(anonymous|guest)$/i.test(section.name), `endpoint ${section.name}`);
                    const endpoint = pjsipObject(pjsip, section.name, "endpoint")!;
                    if (trunkNames.has(section.name)) {
                        assert.deepEqual(endpoint.identify_by, ["ip"], `${section.name} is identified only by address`);
                        assert.equal(
                            endpoint.auth,
                            undefined,
                            `${section.name} takes no registrations or calls by password`,
                        );
                        const identify = pjsipObject(pjsip, `${section.name}-identify`, "identify");
                        assert.ok(identify?.match?.length, `${section.name} has match= addresses`);
                    } else {
                        assert.equal(endpoint.auth?.length, 1, `${section.name} must authenticate`);
                        assert.deepEqual(pjsipObject(pjsip, endpoint.auth![0], "auth")?.auth_type, ["userpass"]);
                    }
                }
                assert.doesNotMatch(pjsip, /allow_unauthenticated_options\s*=\s*yes/);
            });

            it("generates a long, random password for every phone the stack gives none", () => {
                const bare = structuredClone(office);
                for (const phone of bare.phones) delete phone.secret.value;
                const [first, second] = [resolveSecrets(bare), resolveSecrets(bare)];
                for (const phone of bare.phones) {
                    const secret = first[phone.secret.path];
                    assert.match(
                        secret,
                        /^[\w-]{32,}$/,
                        `${phone.name}: 32 or more URL-safe characters (at least 190 bits)`,
                    );
                    assert.notEqual(secret, second[phone.secret.path], `${phone.name}: a new one each time`);
                    assert.ok(
                        !secret.includes(phone.name) && !secret.includes(phone.extension),
                        `${phone.name}: not derived from the phone`,
                    );
                }
            });

            it("calls from trunks can reach only the office's phones and mailboxes", () => {
                const reachable = reachableContexts(dialplan, "from-trunks");
                for (const forbidden of [
                    "from-phones",
                    "outbound",
                    "routes",
                    "outbound-limits",
                    ...office.trunks.map((t) => trunkContext(t.name)),
                ]) {
                    assert.ok(
                        !reachable.has(forbidden),
                        `from-trunks reaches ${forbidden}: ${[...reachable].join(", ")}`,
                    );
                }
                const phones = new Set(office.phones.map((p) => `PJSIP/${p.name}`));
                for (const target of dialTargets(dialplan, reachable))
                    for (const part of target.split("&")) assert.ok(phones.has(part), `from-trunks dials ${target}`);
                for (const name of trunkNames)
                    assert.deepEqual(pjsipObject(pjsip, name, "endpoint")?.context, ["from-trunks"]);
            });

            it("refuses international and premium numbers unless the stack allows them, and never refuses emergency calls", () => {
                const plan = planFor(office);
                const refusing = (exten: string) =>
                    extensionSteps(dialplan, "outbound", exten).some(
                        (s) => s.app === "Goto" && s.args === "refused,${EXTEN},1",
                    );
                assert.equal(refusing("_X."), !office.routes.allow.includes("international"), "every other country");
                for (const p of plan.premium)
                    assert.equal(
                        refusing(`_${p.pattern}`),
                        !office.routes.allow.includes("premium"),
                        `premium ${p.pattern}`,
                    );
                for (const p of plan.foreign)
                    assert.equal(
                        refusing(`_${p.pattern}`),
                        !office.routes.allow.includes("international"),
                        `foreign ${p.pattern}`,
                    );
                if (office.office.country === "US" || office.office.country === "CA") {
                    for (const exten of ["_1900NXXXXXX", "_1976NXXXXXX"]) assert.ok(refusing(exten), exten);
                    assert.deepEqual(
                        extensionSteps(dialplan, "from-phones", "_011X.").map((s) => s.args),
                        ["outbound,${EXTEN:3},1"],
                        "011 numbers are classified as E.164",
                    );
                }
                for (const number of plan.emergencyNumbers) {
                    assert.deepEqual(
                        extensionSteps(dialplan, "from-phones", number).map((s) => `${s.app}(${s.args})`),
                        ["Goto(emergency,${EXTEN},1)"],
                        number,
                    );
                }
                const emergency = extensionSteps(dialplan, "emergency", "_X.");
                assert.ok(
                    emergency.some((s) => s.app === "Dial"),
                    "emergency numbers are dialed",
                );
                assert.ok(
                    !emergency.some((s) => s.app === "Gosub" || s.args.startsWith("outbound,")),
                    "emergency numbers are neither classified nor limited",
                );
            });

            it("limits each phone's and the office's simultaneous outbound calls on every way out", () => {
                for (const trunk of office.trunks) {
                    const [first] = extensionSteps(dialplan, trunkContext(trunk.name), "_X.");
                    assert.deepEqual(
                        first && `${first.app}(${first.args})`,
                        "Gosub(outbound-limits,s,1)",
                        `${trunkContext(trunk.name)} checks the limits first`,
                    );
                }
                const limits = (dialplan.get("outbound-limits") ?? []).map((s) => s.args).join("\n");
                assert.ok(
                    limits.includes(`\${GROUP_COUNT(office@outbound)} > ${office.routes.maxOutboundCalls}`),
                    limits,
                );
                assert.ok(limits.includes("> ${LINE_MAX_CALLS}"), limits);
                for (const phone of office.phones)
                    assert.ok(
                        pjsipObject(pjsip, phone.name, "endpoint")?.set_var?.includes(
                            `LINE_MAX_CALLS=${phone.maxOutboundCalls}`,
                        ),
                        phone.name,
                    );
            });

            it("identifies Twilio and Flowroute only by the published address ranges in providerNetworks.ts, each with its source", () => {
                for (const trunk of office.trunks) {
                    const ranges =
                        trunk.kind === "twilio"
                            ? trunk.edges.flatMap((e) => twilioEdges[e].signalling)
                            : trunk.kind === "flowroute"
                              ? flowroutePops[trunk.pop].signalling
                              : undefined;
                    if (!ranges) continue;
                    assert.deepEqual(
                        pjsipObject(pjsip, `${trunk.name}-identify`, "identify")?.match,
                        ranges.map((r) => r.cidr),
                    );
                    for (const r of ranges) assert.match(r.source, /https:\/\/\S+/, `${r.cidr} cites its source`);
                }
            });

            it("admits plain SIP through the host and cloud firewalls only from the trunks, and from the phones' networks only when a phone uses it", () => {
                const nft = rendered.text("deskphone.nft");
                const elements = nft.match(/elements = \{ ([^}]*) \}/)![1].split(", ");
                assert.deepEqual(elements, sipSources(office));
                assert.match(nft, /udp dport \d+ ip saddr != @sip_sources drop/);
                const trunks = trunkSignallingSources(office);
                if (hasUdpPhones(office)) assert.deepEqual(sipSources(office), ["0.0.0.0/0"], "phones from anywhere");
                else
                    assert.deepEqual(
                        sipSources(office),
                        trunks,
                        "TLS phones only: a REGISTER over plain SIP never arrives",
                    );
                // A phone on UDP, from narrowed networks: everything else is shut out, the trunks stay in.
                const narrowed = structuredClone(office);
                narrowed.server.phoneNetworks = ["198.51.100.0/24"];
                narrowed.phones[0].transport = "udp";
                const sources = sipSources(narrowed);
                assert.deepEqual(sources, [...new Set([...trunks, "198.51.100.0/24"])]);
                const sipRules = inboundRules({
                    sipSources: sources,
                    sipPort: 5060,
                    rtpPorts: { start: 10000, end: 20000 },
                }).filter((r) => r.portRange === "5060");
                assert.equal(sipRules.length, 2);
                for (const rule of sipRules) assert.deepEqual(rule.sourceAddresses, sources);
            });

            it("loads only the modules it needs, with the manager interface and HTTP server off and on loopback", () => {
                const modules = rendered.text("modules.conf");
                assert.match(modules, /^autoload=no\b/m);
                for (const risky of [
                    "chan_sip.so",
                    "chan_iax2.so",
                    "res_ari.so",
                    "res_http_websocket.so",
                    "app_system.so",
                    "func_shell.so",
                    "pbx_lua.so",
                    "res_agi.so",
                ]) {
                    assert.doesNotMatch(modules, new RegExp(`^load => ${risky.replace(".", "\\.")}`, "m"), risky);
                }
                for (const name of ["manager.conf", "http.conf"]) {
                    const general = parseConf(rendered.text(name)).find((s) => s.name === "general")!;
                    assert.deepEqual(
                        Object.fromEntries(general.settings),
                        { enabled: "no", bindaddr: "127.0.0.1" },
                        name,
                    );
                }
            });

            it("writes security events to security.log, which the install script's fail2ban jail watches", () => {
                const logger = parseConf(rendered.text("logger.conf"));
                assert.deepEqual(
                    logger.find((s) => s.name === "logfiles")?.settings.find(([k]) => k === "security.log"),
                    ["security.log", "security"],
                );
                assert.match(rendered.text("modules.conf"), /^load => res_security_log\.so$/m);
                const jail = installedJail();
                assert.equal(jail.enabled, "true");
                assert.equal(jail.logpath, "/var/log/asterisk/security.log");
                assert.ok(Number(jail.maxretry) > 0 && jail.filter, JSON.stringify(jail));
            });
        });
    }

    it("the install script installs fail2ban and enables it", () => {
        const script = renderInstallScript();
        assert.match(script, /apt_get install [^\n]*\\\n[^\n]*fail2ban/);
        assert.match(script, /systemctl enable [^\n]*fail2ban/);
    });
});
