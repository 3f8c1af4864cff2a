import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import { keepPreviousScript, restorePreviousScript, stateDir } from "./previousFiles";
import { shellQuote } from "./shell";

/** One file to write to the server. */
export interface ConfigFileArgs {
    /** File name, unique within the office, e.g. "pjsip.conf"; names the resource. */
    name: string;
    /** Absolute path on the server. */
    path: string;
    /** The file's text; may wait on other resources (e.g. the server's address). */
    text: pulumi.Input<string>;
    /** Holds secrets: its text is a Pulumi secret and the file is readable by root and asterisk only. */
    secret: boolean;
    /** Shell command that makes the server use the new file without dropping calls. */
    apply: string;
}

export interface AsteriskConfigArgs {
    /** SSH connection to the server, as root. */
    connection: pulumi.Input<command.types.input.remote.ConnectionArgs>;
    /** The files, each its own resource so that `pulumi preview --diff` shows its changed lines. */
    files: ConfigFileArgs[];
    /** Which machine they go to (`AsteriskHost.machineId`): when it changes, every file is written again. */
    machineId?: pulumi.Input<string>;
    /**
     * Keep the server's own files before the first write and put them back on destroy: for a server
     * deskphone did not create. Default false (a droplet is deleted with the office).
     */
    keepPrevious?: boolean;
}

/**
 * Writes an office's rendered files to its server and applies them: each file is its own command
 * whose input is the file's text (secret files as secrets), and one final command runs the reloads
 * of the files that changed, checks Asterisk's log, and restores the previous files if Asterisk
 * complained.
 */
export class AsteriskConfig extends pulumi.ComponentResource {
    /** The server paths written, in order. */
    public readonly paths: pulumi.Output<string[]>;
    /** What the last apply printed ("applied", "nothing to apply"). */
    public readonly applied: pulumi.Output<string>;

    constructor(name: string, args: AsteriskConfigArgs, opts?: pulumi.ComponentResourceOptions) {
        super("deskphone:index:AsteriskConfig", name, {}, opts);
        const previous = args.keepPrevious ? [this.keepPrevious(name, args)] : [];
        const writes = args.files.map(
            (file) =>
                new command.remote.Command(
                    `${name}-${file.name}`,
                    {
                        connection: args.connection,
                        addPreviousOutputInEnv: false,
                        create: writeFileScript(file),
                        update: writeFileScript(file),
                        stdin: file.secret ? pulumi.secret(file.text) : file.text,
                        triggers: [args.machineId ?? ""],
                    },
                    { parent: this, dependsOn: previous },
                ),
        );
        // Runs again (an update, not a replacement) whenever any file's text changes: the files' hashes
        // ride along in its stdin, which is secret because some of them hash secrets.
        const hashes = args.files.map((file) => pulumi.output(file.text).apply(textHash));
        const apply = new command.remote.Command(
            `${name}-apply`,
            {
                connection: args.connection,
                addPreviousOutputInEnv: false,
                // The script goes in on stdin so that a failure prints Asterisk's complaint, not the script.
                create: "sh -s # deskphone-apply",
                update: "sh -s # deskphone-apply",
                stdin: pulumi.secret(pulumi.all(hashes).apply((h) => `${applyScript}\n# files: ${h.join(" ")}\n`)),
                triggers: [args.machineId ?? ""],
            },
            { parent: this, dependsOn: writes },
        );
        this.paths = pulumi.output(args.files.map((f) => f.path));
        this.applied = apply.stdout;
        this.registerOutputs({ paths: this.paths, applied: this.applied });
    }

    /** The copy of the server's own files, made before the first write and put back when it is deleted. */
    private keepPrevious(name: string, args: AsteriskConfigArgs): command.remote.Command {
        const owner = pulumi.interpolate`${pulumi.getProject()}/${pulumi.getStack()}/${name}@${args.machineId ?? ""}`;
        return new command.remote.Command(
            `${name}-previous`,
            {
                connection: args.connection,
                addPreviousOutputInEnv: false,
                create: owner.apply(
                    (o) =>
                        `sh -s ${shellQuote(o)} # deskphone: keep the server's own files before the first write; pulumi destroy puts them back`,
                ),
                stdin: keepPreviousScript(args.files.map((f) => f.path)),
                delete: owner.apply((o) =>
                    restorePreviousScript(
                        o,
                        args.files.map((f) => f.path),
                    ),
                ),
                triggers: [args.machineId ?? ""],
            },
            { parent: this },
        );
    }
}

export function textHash(text: string): string {
    return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

/** Writes stdin to the file only if it differs, keeps the previous copy, and queues its apply command. */
export function writeFileScript(file: Pick<ConfigFileArgs, "path" | "secret" | "apply">): string {
    const target = shellQuote(file.path);
    const mode = file.secret ? "0640" : "0644";
    return [
        "set -eu",
        `mkdir -p ${stateDir} "$(dirname ${target})"`,
        "new=$(mktemp)",
        'cat > "$new"',
        `if [ -f ${target} ] && cmp -s "$new" ${target}; then rm -f "$new"; echo unchanged; exit 0; fi`,
        `if [ -f ${target} ]; then cp -p ${target} ${shellQuote(`${file.path}.deskphone-previous`)}; fi`,
        `group=root; if getent group asterisk >/dev/null; then group=asterisk; fi`,
        `install -m ${mode} -o root -g "$group" "$new" ${target}`,
        'rm -f "$new"',
        `echo ${target} >> ${stateDir}/changed`,
        `echo ${shellQuote(file.apply)} >> ${stateDir}/pending`,
        "echo changed",
    ].join("\n");
}

/**
 * Asterisk's log lines about one peer's TLS connection rather than the configuration: a reload must not be
 * rolled back because a phone connected or a scanner hung up meanwhile. pjproject before 2.16 (Asterisk
 * 20.6.0's, so Ubuntu 24.04's) logs "Error reading CA certificates from buffer" as an ERROR for every TLS
 * connection when no CA list is set (pjsip/pjproject#4291, fixed in 2.16); a peer that closes its connection
 * or breaks its records logs an SSL_ERROR (Read) or (Write) warning. A CA file that cannot be read names the
 * file, not "buffer", and still counts.
 */
const peerConnectionLines = [
    "pjproject: .*Error reading CA certificates from buffer",
    "pjproject: .*SSL.*\\((Read|Write)\\)",
];

/** Shell filter: of Asterisk's log lines on stdin, the warnings and errors that say a configuration was refused. */
export const configProblemsFilter = `grep -E '(WARNING|ERROR)\\[' | grep -Ev '${peerConnectionLines.join("|")}'`;

/** Runs the queued reloads, then rolls every changed file back if Asterisk logged a warning or error. */
export const applyScript = [
    "set -eu",
    `pending=${stateDir}/pending; changed=${stateDir}/changed`,
    'if [ ! -s "$pending" ]; then echo "nothing to apply"; exit 0; fi',
    "log=/var/log/asterisk/messages.log",
    'mark=$(stat -c %s "$log" 2>/dev/null || echo 0)',
    'sort -u "$pending" | while IFS= read -r cmd; do sh -c "$cmd"; done',
    // Asterisk's logger writes from a thread of its own: wait until the log has been quiet for 0.3 s (at most 3 s).
    "size=-1; quiet=0; i=0",
    'while [ "$quiet" -lt 3 ] && [ "$i" -lt 30 ]; do',
    '  now=$(stat -c %s "$log" 2>/dev/null || echo 0)',
    '  if [ "$now" = "$size" ]; then quiet=$((quiet + 1)); else quiet=0; size=$now; fi',
    "  i=$((i + 1)); sleep 0.1",
    "done",
    `problems=$(tail -c +$((mark + 1)) "$log" 2>/dev/null | ${configProblemsFilter} || true)`,
    'if [ -n "$problems" ]; then',
    '  echo "Asterisk did not accept the new configuration; the previous files are back in place:" >&2',
    '  echo "$problems" >&2',
    '  sort -u "$changed" | while IFS= read -r f; do if [ -f "$f.deskphone-previous" ]; then mv "$f.deskphone-previous" "$f"; fi; done',
    '  sort -u "$pending" | while IFS= read -r cmd; do sh -c "$cmd" || true; done',
    '  rm -f "$pending" "$changed"',
    "  exit 1",
    "fi",
    'sort -u "$changed" | while IFS= read -r f; do rm -f "$f.deskphone-previous"; done',
    'rm -f "$pending" "$changed"',
    "echo applied",
].join("\n");
