import { strict as assert } from "assert";
import { renderConfigFiles, renderSecretFiles, resolveSecrets } from "../../components";
import { onLoopback } from "../../lab/loopback";
import { exampleOffice, exampleStacks } from "../../lab/stacks";
import { RunningAsterisk, startAsterisk } from "../../lab/asterisk";
import { asteriskBuilds } from "../../lab/asteriskBuilds";

/** The files of an office that live in /etc/asterisk, by name. */
export function asteriskFiles(stack: string): Record<string, string> {
    const { office, options } = onLoopback(exampleOffice(stack));
    const files = [...renderConfigFiles(office, options), ...renderSecretFiles(office, resolveSecrets(office))];
    return Object.fromEntries(files.filter((f) => f.path.startsWith("/etc/asterisk/")).map((f) => [f.name, f.text]));
}

/** The montevideo office with its Twilio trunk on Secure Trunking and its phones on UDP: TLS for the trunk alone. */
function secureTrunkOffice() {
    const { office, options } = onLoopback(exampleOffice("montevideo"));
    for (const phone of office.phones) phone.transport = "udp";
    office.server.domain = "pbx.casa-montevideo.example";
    for (const trunk of office.trunks) if (trunk.kind === "twilio") trunk.secureTrunking = true;
    return { office, options };
}

for (const build of asteriskBuilds)
    describe(`rendered configuration in a real Asterisk ${build.version}`, function () {
        this.timeout(90_000);

        describe("a Twilio trunk on Secure Trunking (montevideo, its phones on UDP)", () => {
            let asterisk: RunningAsterisk;
            before(async () => {
                const { office, options } = secureTrunkOffice();
                const files = [
                    ...renderConfigFiles(office, options),
                    ...renderSecretFiles(office, resolveSecrets(office)),
                ];
                asterisk = await startAsterisk(
                    Object.fromEntries(
                        files.filter((f) => f.path.startsWith("/etc/asterisk/")).map((f) => [f.name, f.text]),
                    ),
                    { build, name: "load-secure-trunk", stockConfig: { omit: ["users.conf"] } },
                );
            });
            after(async () => {
                await asterisk?.stop();
            });

            it("loads with no warning or error, its TLS transport checking the provider's certificate against the system's CAs", async () => {
                assert.deepEqual(asterisk.problems(), [], asterisk.logText());
                const transport = await asterisk.cli("pjsip show transport transport-tls");
                for (const [key, value] of [
                    ["verify_server", "Yes"],
                    ["allow_wildcard_certs", "Yes"],
                    ["ca_list_file", "/etc/ssl/certs/ca-certificates.crt"],
                ])
                    assert.match(transport, new RegExp(`^ ${key}\\s*:\\s*${value}\\s*$`, "mi"), transport);
            });

            it("the trunk's endpoint goes over TLS with SRTP required, the phones over UDP", async () => {
                const trunk = await asterisk.cli("pjsip show endpoint twilio");
                assert.match(trunk, /^ transport\s*:\s*transport-tls\s*$/m, trunk);
                assert.match(trunk, /^ media_encryption\s*:\s*sdes\s*$/m, trunk);
                for (const phone of secureTrunkOffice().office.phones)
                    assert.match(
                        await asterisk.cli(`pjsip show endpoint ${phone.name}`),
                        /^ media_encryption\s*:\s*no\s*$/m,
                        phone.name,
                    );
            });
        });

        for (const stack of exampleStacks()) {
            describe(`the ${stack} example`, () => {
                let asterisk: RunningAsterisk;
                const office = onLoopback(exampleOffice(stack)).office;

                before(async () => {
                    asterisk = await startAsterisk(asteriskFiles(stack), {
                        build,
                        name: `load-${stack}`,
                        stockConfig: { omit: ["users.conf"] },
                    });
                });
                after(async () => {
                    await asterisk?.stop();
                });

                it(`runs Asterisk ${build.version}`, async () => {
                    assert.match(
                        await asterisk.cli("core show version"),
                        new RegExp(`^Asterisk ${build.version.replace(/\./g, "\\.")}[.\\s]`, "m"),
                    );
                });

                it("loads with no warning or error in the log", () => {
                    assert.deepEqual(asterisk.problems(), [], asterisk.logText());
                });

                it("phones over TLS get a TLS transport on the server's certificate, and SRTP (SDES) required", async () => {
                    const transports = await asterisk.cli("pjsip show transports");
                    assert.match(transports, /Transport:\s+transport-udp\s+udp\b/, transports);
                    const tlsPhones = office.phones.filter((p) => p.transport === "tls");
                    assert.ok(tlsPhones.length > 0, "every example has a phone over TLS, the default");
                    assert.match(
                        transports,
                        new RegExp(
                            `Transport:\\s+transport-tls\\s+tls\\s+\\S+\\s+\\S+\\s+127\\.0\\.0\\.1:${office.server.tlsPort}`,
                        ),
                        transports,
                    );
                    for (const phone of office.phones) {
                        const endpoint = await asterisk.cli(`pjsip show endpoint ${phone.name}`);
                        const expected = phone.transport === "tls" ? ["transport-tls", "sdes"] : ["", "no"];
                        assert.match(endpoint, new RegExp(`^ transport\\s*:\\s*${expected[0]}\\s*$`, "m"), endpoint);
                        assert.match(
                            endpoint,
                            new RegExp(`^ media_encryption\\s*:\\s*${expected[1]}\\s*$`, "m"),
                            endpoint,
                        );
                    }
                });

                it("pjsip show endpoints lists every phone and trunk", async () => {
                    const endpoints = await asterisk.cli("pjsip show endpoints");
                    const names = [...office.phones.map((p) => p.name), ...office.trunks.map((t) => t.name)];
                    if (office.spa3102?.landline) names.push(office.spa3102.landline.name);
                    for (const name of names) assert.match(endpoints, new RegExp(`Endpoint:\\s+${name}\\b`), endpoints);
                });

                it("each phone's auth carries the password from pjsip.secrets.conf", async () => {
                    for (const phone of office.phones) {
                        const auth = await asterisk.cli(`pjsip show auth ${phone.name}-auth`);
                        assert.match(auth, new RegExp(`username\\s*:\\s*${phone.name}\\b`), auth);
                        assert.match(
                            auth,
                            /password\s*:\s*\S{20,}/,
                            "the (+) section in pjsip.secrets.conf added the password",
                        );
                    }
                });

                it("dialplan show reflects the contexts", async () => {
                    for (const context of [
                        "from-trunks",
                        "from-phones",
                        "outbound",
                        "routes",
                        "refused",
                        "outbound-limits",
                    ]) {
                        const shown = await asterisk.cli(`dialplan show ${context}`);
                        assert.match(shown, new RegExp(`\\[ Context '${context}'`), shown);
                    }
                    const inbound = await asterisk.cli("dialplan show from-trunks");
                    for (const n of office.numbers) assert.ok(inbound.includes(`'${n.e164.slice(1)}' =>`), inbound);
                });

                it("voicemail show users lists each number's mailbox", async () => {
                    const users = await asterisk.cli("voicemail show users");
                    for (const n of office.numbers.filter((n) => n.mailbox))
                        assert.ok(users.includes(n.e164.slice(1)), users);
                });

                it("VoiceMail is registered (the ODBC and IMAP builds stayed out)", async () => {
                    assert.match(
                        await asterisk.cli("core show application VoiceMail"),
                        /-= Info about [Aa]pplication 'VoiceMail' =-/,
                    );
                });
            });
        }
    });
