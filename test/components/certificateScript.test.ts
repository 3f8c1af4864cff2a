import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import {
    certificateScriptPath,
    renderCertificateScript,
    renderHostFirewall,
    tlsCertificateFiles,
} from "../../components/render/serverFiles";
import { asterisk20, asterisk22, buildRoot, type AsteriskBuild } from "../../lab/asteriskBuilds";
import { inboundRules } from "../../components/dropletServer";
import { renderInstallScript } from "../../components/render/serverFiles";
import { freshServerRoot, removeServerRoot, runInChroot } from "../../lab/chroot";
import { NetworkNamespace } from "../../lab/networkNamespace";
import { startPebble, type LocalAcme } from "../../lab/pebble";
import { exampleOffice } from "../../lab/stacks";
import { fingerprintOf } from "../../lab/serverCertificate";

/** A Debian server with what the install script puts there for certificates (certbot, openssl, nftables) and Asterisk 22. */
const serverPackages = "asterisk,certbot,python3-cffi-backend,openssl,nftables,iproute2,ca-certificates";
const domain = "pbx.deskphone.test";
/** Where the server's name points, in the chroot's /etc/hosts, which Pebble's HTTP-01 check resolves it by. */
const serverAddress = "127.0.0.5";
/** A TLS port of the tests' own, on the server's address; the shipped transport is the PJSIP templates' business. */
const tlsPort = 5061;

/** The uid and gid of a user in the chroot's /etc/passwd. */
function chrootUser(root: string, name: string): { uid: number; gid: number } {
    const line = fs
        .readFileSync(path.join(root, "etc/passwd"), "utf8")
        .split("\n")
        .find((l) => l.startsWith(`${name}:`));
    assert.ok(line, `the chroot has a ${name} user`);
    const [, , uid, gid] = line.split(":");
    return { uid: Number(uid), gid: Number(gid) };
}

function assertInstalledForAsterisk(root: string): void {
    const asterisk = chrootUser(root, "asterisk");
    const key = fs.statSync(path.join(root, tlsCertificateFiles.key));
    assert.equal(key.mode & 0o777, 0o600, "the key is readable by its owner only");
    assert.deepEqual({ uid: key.uid, gid: key.gid }, asterisk, "the key is Asterisk's");
    const certificate = fs.statSync(path.join(root, tlsCertificateFiles.certificate));
    assert.deepEqual({ uid: certificate.uid, gid: certificate.gid }, asterisk);
    const modulus = (args: string[]) => execFileSync("openssl", args, { encoding: "utf8" });
    assert.equal(
        modulus(["x509", "-in", path.join(root, tlsCertificateFiles.certificate), "-noout", "-pubkey"]),
        modulus(["pkey", "-in", path.join(root, tlsCertificateFiles.key), "-pubout"]),
        "the key is the certificate's",
    );
}

/** A throwaway Asterisk config: res_pjsip with one TLS transport on the installed files (not the shipped pjsip.conf). */
function writeTlsOnlyAsterisk(root: string): void {
    const etc = path.join(root, "etc/asterisk");
    fs.writeFileSync(
        path.join(etc, "modules.conf"),
        [
            "[modules]",
            "autoload=no",
            ...[
                "res_sorcery_config.so",
                "res_sorcery_memory.so",
                "res_sorcery_astdb.so",
                "res_pjproject.so",
                "res_pjsip.so",
            ].map((m) => `load => ${m}`),
            "",
        ].join("\n"),
    );
    fs.writeFileSync(
        path.join(etc, "pjsip.conf"),
        [
            "[tls]",
            "type=transport",
            "protocol=tls",
            `bind=${serverAddress}:${tlsPort}`,
            `cert_file=${tlsCertificateFiles.certificate}`,
            `priv_key_file=${tlsCertificateFiles.key}`,
            "method=tlsv1_2",
            "",
        ].join("\n"),
    );
}

/**
 * Asterisk 20.6.0 beside the chroot's packaged 22, laid out as Ubuntu's package is (configuration in /etc/asterisk,
 * its control socket in /var/run/asterisk), so that the certificate script's `asterisk -rx` reaches whichever runs.
 */
function add20(root: string): void {
    const prefix = "/opt/asterisk-20.6.0";
    if (fs.existsSync(path.join(root, prefix))) return;
    execFileSync("cp", ["-a", path.join(buildRoot(asterisk20), prefix), path.join(root, "opt/")]);
    const dirs = asterisk20.directories(root);
    fs.writeFileSync(
        path.join(root, prefix, "etc/asterisk/asterisk.conf"),
        [
            "[directories]",
            "astetcdir => /etc/asterisk",
            ...Object.entries(dirs).map(([k, v]) => `${k} => ${v}`),
            "astdbdir => /var/lib/asterisk",
            "astspooldir => /var/spool/asterisk",
            "astrundir => /var/run/asterisk",
            "astlogdir => /var/log/asterisk",
            "",
        ].join("\n"),
    );
}

/** PATH inside the chroot that makes `asterisk` the build's binary. */
function pathFor(build: AsteriskBuild): string {
    return `PATH=${path.dirname(build.binary)}:/usr/sbin:/usr/bin:/sbin:/bin`;
}

describe("port 80 and certbot, only for a server with a DNS name", () => {
    const rtpPorts = { start: 10000, end: 20000 };
    it("the cloud firewall admits HTTP from everywhere (Let's Encrypt publishes no addresses) only when the stack names the server", () => {
        const http = (domain?: string) =>
            inboundRules({ sipSources: ["0.0.0.0/0"], rtpPorts, domain }).filter((r) => r.portRange === "80");
        assert.deepEqual(http(domain), [{ protocol: "tcp", portRange: "80", sourceAddresses: ["0.0.0.0/0", "::/0"] }]);
        assert.deepEqual(http(), []);
    });

    it("the install script installs certbot only for a named server; the host firewall's port 80 rule exists only then", () => {
        assert.match(renderInstallScript({ domain }), / certbot/);
        assert.doesNotMatch(renderInstallScript(), /certbot/);
        const office = exampleOffice("freelancer");
        assert.doesNotMatch(renderHostFirewall(office), /dport 80/, "no name: deskphone leaves port 80 alone");
        office.server.domain = domain;
        assert.match(renderHostFirewall(office), /tcp dport 80 tcp dport != @acme_http drop/);
    });
});

describe("the server's TLS certificate", function () {
    this.timeout(10 * 60_000);
    let root = "";
    let namespace: NetworkNamespace | undefined;

    before(async () => {
        root = freshServerRoot("deskphone-certbot", serverPackages);
        namespace = await NetworkNamespace.create();
    });

    after(() => {
        namespace?.stop();
        if (root) removeServerRoot(root);
    });

    const inServer = (script: string, timeoutMs = 180_000) =>
        runInChroot(root, script, timeoutMs, { networkNamespace: namespace!.path });

    describe("without a DNS name: self-signed, made once on the server", () => {
        it("the fingerprint it prints is the installed certificate's SHA-256 as openssl reads it, the key is Asterisk's alone, and a second run keeps it", async () => {
            fs.writeFileSync(path.join(root, certificateScriptPath.slice(1)), renderCertificateScript(), {
                mode: 0o755,
            });
            const made = await inServer(
                `rm -rf /etc/deskphone/tls && ${certificateScriptPath} && ${certificateScriptPath} fingerprint`,
            );
            assert.equal(made.code, 0, made.output);
            const fingerprint = fingerprintOf(path.join(root, tlsCertificateFiles.certificate));
            assert.match(fingerprint, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
            assert.match(made.output, new RegExp(`made a self-signed certificate \\(SHA-256 ${fingerprint}\\)`));
            assert.equal(
                made.output.trim().split("\n").pop(),
                fingerprint,
                "`deskphone-certificate fingerprint` prints it alone",
            );
            assert.doesNotMatch(made.output, /PRIVATE KEY/);
            assertInstalledForAsterisk(root);
            const again = await inServer(`${certificateScriptPath} && ${certificateScriptPath} fingerprint`);
            assert.equal(again.code, 0, again.output);
            assert.equal(again.output.trim(), fingerprint, "made once: the phones' pinned fingerprint stays valid");
        });
    });

    describe("with a DNS name: Let's Encrypt's, by certbot against a local ACME server (Pebble)", () => {
        let acme: LocalAcme | undefined;
        let acmeEnv = "";

        before(async () => {
            fs.appendFileSync(path.join(root, "etc/hosts"), `${serverAddress} ${domain}\n`);
            fs.writeFileSync(path.join(root, certificateScriptPath.slice(1)), renderCertificateScript(domain), {
                mode: 0o755,
            });
            const office = exampleOffice("freelancer");
            office.server.domain = domain;
            fs.mkdirSync(path.join(root, "etc/nftables.d"), { recursive: true });
            fs.writeFileSync(path.join(root, "etc/nftables.d/deskphone.nft"), renderHostFirewall(office));
            acme = await startPebble(root, namespace!.path);
            acmeEnv = `DESKPHONE_ACME_SERVER=${acme.directory} REQUESTS_CA_BUNDLE=${acme.caBundle}`;
        });

        after(() => acme?.stop());

        it("certbot gets it by HTTP-01 on port 80, which the host firewall opens only while certbot runs, and the deploy hook installs it as Asterisk's alone", async () => {
            const firewall = await inServer(
                "nft -f /etc/nftables.d/deskphone.nft && nft list set inet deskphone acme_http",
            );
            assert.equal(firewall.code, 0, firewall.output);
            assert.doesNotMatch(firewall.output, /elements/, "port 80 is closed before certbot runs");
            const started = Date.now();
            const { code, output } = await inServer(`${acmeEnv} ${certificateScriptPath}`);
            console.log(
                `      certbot against Pebble: a certificate in ${((Date.now() - started) / 1000).toFixed(1)} s`,
            );
            assert.equal(code, 0, output);
            assertInstalledForAsterisk(root);
            const certificate = path.join(root, tlsCertificateFiles.certificate);
            const text = execFileSync(
                "openssl",
                ["x509", "-in", certificate, "-noout", "-subject", "-issuer", "-ext", "subjectAltName"],
                { encoding: "utf8" },
            );
            assert.match(text, new RegExp(`DNS:${domain.replace(/\./g, "\\.")}`));
            assert.match(text, /issuer=.*Pebble/, "issued by the local ACME server");
            const log = fs.readFileSync(path.join(root, "var/log/letsencrypt/letsencrypt.log"), "utf8");
            assert.match(
                log,
                new RegExp(
                    `deskphone-certificate: installed the certificate for ${domain} \\(SHA-256 ${fingerprintOf(certificate)}\\)`,
                ),
                "the deploy hook ran",
            );
            const after = await inServer("nft list set inet deskphone acme_http");
            assert.doesNotMatch(after.output, /elements/, "port 80 is closed again");
            const renewal = fs.readFileSync(path.join(root, "etc/letsencrypt/renewal/deskphone.conf"), "utf8");
            assert.match(
                renewal,
                new RegExp(`^renew_hook = ${certificateScriptPath} deploy$`, "m"),
                "certbot.timer's renewals run the deploy hook",
            );
            assert.match(renewal, new RegExp(`^pre_hook = ${certificateScriptPath} open-http$`, "m"));
        });

        for (const build of [asterisk22, asterisk20]) {
            it(`Asterisk ${build.version} serves it on a TLS transport; a forced renewal replaces it, the deploy hook reloads the transport, and Asterisk serves the new one`, async () => {
                if (build === asterisk20) add20(root);
                writeTlsOnlyAsterisk(root);
                const served = `echo | openssl s_client -connect ${serverAddress}:${tlsPort} 2>/dev/null | openssl x509 -noout -fingerprint -sha256`;
                const start = await inServer(
                    `export ${pathFor(build)}; asterisk -U asterisk -G asterisk </dev/null >/dev/null 2>&1 && i=0; until asterisk -rx 'core waitfullybooted' >/dev/null 2>&1; do i=$((i+1)); [ $i -lt 60 ] || exit 1; sleep 0.5; done; asterisk -rx 'core show version'; ${served}`,
                );
                try {
                    assert.equal(start.code, 0, start.output);
                    assert.match(start.output, new RegExp(`Asterisk ${build.version.replace(/\./g, "\\.")}`));
                    const certificate = path.join(root, tlsCertificateFiles.certificate);
                    const before = fingerprintOf(certificate);
                    assert.match(
                        start.output,
                        new RegExp(`Fingerprint=${before}`),
                        "the transport serves the installed certificate",
                    );
                    const renewStarted = Date.now();
                    const renew = await inServer(
                        `export ${pathFor(build)}; ${acmeEnv} certbot renew --force-renewal --no-random-sleep-on-renew --non-interactive 2>&1`,
                        300_000,
                    );
                    console.log(
                        `      certbot renew --force-renewal with Asterisk ${build.version} running: ${((Date.now() - renewStarted) / 1000).toFixed(1)} s`,
                    );
                    assert.equal(renew.code, 0, renew.output);
                    const renewed = fingerprintOf(certificate);
                    assert.notEqual(renewed, before, "a new certificate is installed");
                    assertInstalledForAsterisk(root);
                    assert.match(
                        renew.output,
                        new RegExp(
                            `deskphone-certificate: installed the certificate for ${domain.replace(/\./g, "\\.")} \\(SHA-256 ${renewed}\\) and reloaded`,
                        ),
                    );
                    const now = await inServer(served);
                    assert.match(
                        now.output,
                        new RegExp(`Fingerprint=${renewed}`),
                        "Asterisk serves the renewed certificate without a restart",
                    );
                } finally {
                    await inServer(
                        `export ${pathFor(build)}; asterisk -rx 'core stop now'; i=0; while asterisk -rx 'core show version' >/dev/null 2>&1; do i=$((i+1)); [ $i -lt 40 ] || exit 1; sleep 0.25; done`,
                    );
                }
            });
        }

        it("an unreachable ACME server fails the script, naming the domain and the server", async () => {
            const unreachable = "https://127.0.0.9:14000/dir";
            const { code, output } = await inServer(
                `rm -rf /etc/letsencrypt; DESKPHONE_ACME_SERVER=${unreachable} REQUESTS_CA_BUNDLE=${acme!.caBundle} ${certificateScriptPath}`,
            );
            assert.equal(code, 1, output);
            assert.match(
                output,
                new RegExp(
                    `could not get a certificate for ${domain.replace(/\./g, "\\.")} from ${unreachable.replace(/\./g, "\\.")}`,
                ),
            );
            assert.doesNotMatch(output, /PRIVATE KEY/);
        });
    });
});
