import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";

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
