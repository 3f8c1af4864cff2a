import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { dirname } from "node:path";
import { certificateScriptPath, tlsCertificateFiles } from "./render/serverFiles";

/** What every kind of server gives the rest of the office. */
export interface AsteriskHost {
    /** Address trunks and phones reach Asterisk at. */
    readonly publicAddress: pulumi.Output<string>;
    /** SSH connection deskphone writes the configuration over (as root). */
    readonly connection: pulumi.Output<command.types.input.remote.ConnectionArgs>;
    /** Done when Asterisk is installed and answering; configuration waits for it. */
    readonly ready: pulumi.Resource;
    /** Which machine it is: a new one (a replaced droplet) gets every file written again. */
    readonly machineId: pulumi.Output<string>;
    /** The SHA-256 fingerprint of the certificate Asterisk's TLS transport serves (AB:CD:…), as the server read it once ready. */
    readonly certificateFingerprint: pulumi.Output<string>;
}

/**
 * Reads the TLS certificate's fingerprint on the server once it is ready, and again on a new machine. A
 * self-signed one lasts 825 days; a Let's Encrypt one changes at each renewal, when phones check it by its
 * CA instead. `pulumi destroy` takes deskphone's certificate off the server, and certbot's lineage with it
 * (else its renewal would install it again); only off the machine it was read on: a replaced droplet's
 * reserved IP already leads to its successor.
 */
export function readCertificateFingerprint(
    name: string,
    host: pulumi.Resource & Pick<AsteriskHost, "connection" | "ready" | "machineId">,
): pulumi.Output<string> {
    const { connection, ready, machineId } = host;
    const directory = dirname(tlsCertificateFiles.certificate);
    const owner = `${directory}/machine`;
    const read = new command.remote.Command(
        name,
        {
            connection,
            addPreviousOutputInEnv: false,
            create: pulumi.interpolate`echo '${machineId}' > ${owner} && ${certificateScriptPath} fingerprint`,
            delete: pulumi.interpolate`if [ "$(cat ${owner} 2>/dev/null)" = '${machineId}' ]; then
  rm -rf ${directory}
  rmdir --ignore-fail-on-non-empty ${dirname(directory)}
  if command -v certbot >/dev/null; then certbot delete --non-interactive --cert-name deskphone >/dev/null 2>&1 || true; fi
fi`,
            triggers: [machineId],
        },
        { parent: host, dependsOn: [ready] },
    );
    return read.stdout.apply((out) => out.trim());
}

/** Waits (bounded) until Asterisk answers on the server. */
export const waitForAsterisk = [
    "i=0",
    "until asterisk -rx 'core waitfullybooted' >/dev/null 2>&1; do",
    "  i=$((i + 1)); if [ \"$i\" -ge 300 ]; then echo 'Asterisk did not answer within 300 s' >&2; exit 1; fi",
    "  sleep 1",
    "done",
    "asterisk -rx 'core show version'",
].join("\n");
