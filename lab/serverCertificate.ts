/**
 * The TLS certificate a lab Asterisk serves, where deskphone's install puts the server's own
 * (/etc/deskphone/tls, the paths pjsip.transport.conf names): self-signed for the loopback address Asterisk
 * listens on, as deskphone-certificate makes one for a server without a DNS name. TLS clients in the tests
 * trust it as their CA, or are given it to refuse.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { tlsCertificateFiles } from "../components/render/serverFiles";
import { roles } from "./loopback";

export interface ServerCertificate {
    /** Host paths of the certificate and its key. */
    certificate: string;
    key: string;
    /** Its SHA-256 fingerprint, as openssl prints it (AB:CD:…). */
    fingerprint: string;
}

const openssl = (...args: string[]) =>
    execFileSync("openssl", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

/** Makes a self-signed RSA certificate and its key (unencrypted), with `extensions` (`-addext` values). */
export function selfSignedCertificate(
    certificate: string,
    key: string,
    { subject, days, extensions = [] }: { subject: string; days: number; extensions?: string[] },
): void {
    mkdirSync(dirname(certificate), { recursive: true });
    openssl(
        ..."req -x509 -newkey rsa:2048 -nodes".split(" "),
        ...["-days", String(days), "-subj", subject, ...extensions.flatMap((e) => ["-addext", e])],
        ...["-keyout", key, "-out", certificate],
    );
}

/** The SHA-256 fingerprint of a PEM certificate on this machine, as openssl prints it (AB:CD:…). */
export function fingerprintOf(certificate: string): string {
    return openssl("x509", "-in", certificate, "-noout", "-fingerprint", "-sha256")
        .trim()
        .replace(/^[^=]*=/, "");
}

/** Makes the certificate in the chroot at `root` unless one is there that is valid for another day and names the address as a DNS name. */
export function serverCertificate(root: string): ServerCertificate {
    const certificate = join(root, tlsCertificateFiles.certificate);
    const key = join(root, tlsCertificateFiles.key);
    const valid = () => {
        try {
            openssl("x509", "-in", certificate, "-noout", "-checkend", "86400");
            return true;
        } catch {
            return false;
        }
    };
    const names = (dns: string) =>
        openssl("x509", "-in", certificate, "-noout", "-ext", "subjectAltName").includes(`DNS:${dns}`);
    if (!existsSync(certificate) || !existsSync(key) || !valid() || !names(roles.asterisk))
        selfSignedCertificate(certificate, key, {
            subject: `/CN=${roles.asterisk}`,
            days: 825,
            // The address as a DNS name too: liblinphone's mbedTLS and baresip's libre match only DNS names.
            extensions: [`subjectAltName=IP:${roles.asterisk},DNS:${roles.asterisk}`],
        });
    return { certificate, key, fingerprint: fingerprintOf(certificate) };
}
