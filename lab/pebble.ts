import { execFileSync, spawn, type ChildProcess } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { inChrootCommand } from "./chroot";

const pebbleScript = path.join(__dirname, "pebble.sh");

/** Pebble's binary, built once by lab/pebble.sh (as test/setup.sh does); throws loudly when it cannot be built. */
export function pebbleBinary(): string {
    try {
        return execFileSync("sh", [pebbleScript], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
    } catch (e) {
        throw new Error(
            `could not build Pebble with ${pebbleScript}: ${(e as { stderr?: string }).stderr?.trim() || (e as Error).message}`,
            { cause: e },
        );
    }
}

/** A local ACME server as certbot sees it, running inside a chroot. */
export interface LocalAcme {
    /** The ACME directory URL, for certbot's --server. */
    directory: string;
    /** The CA that signed Pebble's own HTTPS certificate, inside the chroot: certbot's REQUESTS_CA_BUNDLE. */
    caBundle: string;
    stop(): void;
}

/**
 * Starts Pebble (Let's Encrypt's ACME test server) inside `root`, joined to a network namespace, listening
 * on `address`:14000 with an HTTPS certificate from a CA made here. It checks HTTP-01 challenges for real on
 * port 80 of whatever the chroot's /etc/hosts says a name is, with no random sleeps, nonce rejections or
 * reused authorizations (PEBBLE_VA_NOSLEEP, PEBBLE_WFE_NONCEREJECT, PEBBLE_AUTHZREUSE), so a renewal
 * is validated again. Resolves once it serves its directory.
 */
export async function startPebble(root: string, networkNamespace: string, address = "127.0.0.2"): Promise<LocalAcme> {
    const dir = path.join(root, "etc/pebble");
    fs.mkdirSync(dir, { recursive: true });
    makeListenerCertificate(dir, address);
    fs.copyFileSync(pebbleBinary(), path.join(root, "usr/local/bin/pebble"));
    fs.chmodSync(path.join(root, "usr/local/bin/pebble"), 0o755);
    const config = {
        pebble: {
            listenAddress: `${address}:14000`,
            managementListenAddress: `${address}:15000`,
            certificate: "/etc/pebble/cert.pem",
            privateKey: "/etc/pebble/key.pem",
            httpPort: 80,
            tlsPort: 5001,
            ocspResponderURL: "",
            externalAccountBindingRequired: false,
            domainBlocklist: [],
            retryAfter: { authz: 1, order: 1 },
            keyAlgorithm: "ecdsa",
            profiles: { default: { description: "deskphone's certificate tests", validityPeriod: 7776000 } },
        },
    };
    fs.writeFileSync(path.join(dir, "config.json"), JSON.stringify(config, null, 2));
    const env = "PEBBLE_VA_NOSLEEP=1 PEBBLE_WFE_NONCEREJECT=0 PEBBLE_AUTHZREUSE=0";
    const [command, args] = inChrootCommand(root, `${env} exec /usr/local/bin/pebble -config /etc/pebble/config.json`, {
        networkNamespace,
    });
    const pebble: ChildProcess = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`Pebble did not start within 20 s:\n${output}`)), 20_000);
        const seen = (d: Buffer) => {
            output += d;
            if (/Listening on: /.test(output)) {
                clearTimeout(timer);
                resolve();
            }
        };
        pebble.stdout!.on("data", seen);
        pebble.stderr!.on("data", seen);
        pebble.once("exit", (code) => {
            clearTimeout(timer);
            reject(new Error(`Pebble exited (${code}) before it listened:\n${output}`));
        });
    });
    return {
        directory: `https://${address}:14000/dir`,
        caBundle: "/etc/pebble/ca.pem",
        stop: () => pebble.kill("SIGKILL"),
    };
}

/** A CA (ca.pem) and Pebble's HTTPS certificate for `address` signed by it (cert.pem, key.pem), valid two days. */
function makeListenerCertificate(dir: string, address: string): void {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "deskphone-acme-ca-"));
    // Arguments are split on spaces; a subject with spaces is passed on its own.
    const openssl = (args: string, ...more: string[]) =>
        execFileSync("openssl", [...args.split(" "), ...more], { cwd: work, stdio: ["ignore", "ignore", "pipe"] });
    try {
        openssl(
            "req -x509 -newkey rsa:2048 -nodes -days 2 -keyout ca.key -out ca.pem" +
                " -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign -subj",
            "/CN=deskphone test ACME CA",
        );
        openssl(`req -newkey rsa:2048 -nodes -subj /CN=${address} -keyout key.pem -out request.csr`);
        fs.writeFileSync(
            path.join(work, "leaf.ext"),
            [
                `subjectAltName=IP:${address}`,
                "basicConstraints=critical,CA:FALSE",
                "keyUsage=critical,digitalSignature,keyEncipherment",
                "extendedKeyUsage=serverAuth",
                "subjectKeyIdentifier=hash",
                "authorityKeyIdentifier=keyid",
            ].join("\n") + "\n",
        );
        openssl(
            "x509 -req -in request.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile leaf.ext -out cert.pem",
        );
        for (const file of ["ca.pem", "cert.pem", "key.pem"])
            fs.copyFileSync(path.join(work, file), path.join(dir, file));
    } finally {
        fs.rmSync(work, { recursive: true, force: true });
    }
}
