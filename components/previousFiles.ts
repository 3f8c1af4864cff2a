/**
 * A server deskphone did not create keeps its own files: before deskphone first writes, a dated copy
 * of /etc/asterisk and of every other file it will write goes to /var/lib/deskphone/previous-<date>;
 * `pulumi destroy` puts them back, removes the files that were not there before, takes deskphone's
 * firewall table down and restarts Asterisk on its own configuration again.
 */

import { shellQuote } from "./shell";

/** deskphone's state on a server: the apply step's queue, and the copy kept (`backup` names the one in use). */
export const stateDir = "/var/lib/deskphone";

/** Every file deskphone writes says so in its first lines (but msmtp.password, which holds a password alone). */
const deskphoneMark = "written by deskphone";

/** The distribution's files an office must not have: deskphone's dialplan does not use users.conf, and Asterisk warns that it is deprecated. */
export const stockFilesSetAside = ["/etc/asterisk/users.conf"];

/** The paths to keep: /etc/asterisk whole (every file deskphone writes there), and each file elsewhere. */
export function pathsToKeep(paths: string[]): string[] {
    return ["/etc/asterisk", ...paths.filter((p) => !p.startsWith("/etc/asterisk/"))];
}

/**
 * Keeps each path as it is now, unless a copy was kept before (so a later `up` never copies
 * deskphone's own files). `owner` says which office keeps it: a replacement adds itself before the
 * one it replaces removes itself, so only the last owner's destroy restores.
 */
export function keepPreviousScript(paths: string[]): string {
    return [
        "set -eu",
        `state=${stateDir}; owner="$1"`,
        'if [ ! -d "$state/backup" ]; then',
        '  dir="$state/previous-$(date -u +%Y%m%dT%H%M%SZ)"',
        '  mkdir -p "$dir/files"; : > "$dir/manifest"; : > "$dir/owners"',
        '  ln -sfn "$dir" "$state/backup"',
        "fi",
        'backup=$(readlink -f "$state/backup")',
        'grep -qxF "$owner" "$backup/owners" || echo "$owner" >> "$backup/owners"',
        `for path in ${pathsToKeep(paths).map(shellQuote).join(" ")}; do`,
        '  if cut -d " " -f 2- "$backup/manifest" | grep -qxF "$path"; then continue; fi',
        // An office an earlier deskphone set up, before copies were kept: the server's own files are gone.
        `  if grep -rqsi ${shellQuote(deskphoneMark)} "$path"; then`,
        '    echo "deskphone $path" >> "$backup/manifest"',
        '  elif [ -e "$path" ]; then',
        '    mkdir -p "$backup/files$(dirname "$path")"; cp -a "$path" "$backup/files$path"; echo "present $path" >> "$backup/manifest"',
        "  else",
        '    echo "absent $path" >> "$backup/manifest"',
        "  fi",
        "done",
        `rm -f ${stockFilesSetAside.map(shellQuote).join(" ")}`,
        'echo "the server\'s own files, as they were before deskphone wrote any, are kept in $backup; pulumi destroy puts them back"',
    ].join("\n");
}

/**
 * Puts the kept files back (when `owner` is the last office using them) and restarts Asterisk on them.
 * Where deskphone's files were there before any copy was kept, only deskphone's own `paths` are removed.
 */
export function restorePreviousScript(owner: string, paths: string[]): string {
    return [
        "set -eu",
        `state=${stateDir}; owner=${shellQuote(owner)}`,
        'if [ ! -d "$state/backup" ]; then echo "no copy of the server\'s own files was kept: nothing to put back"; exit 0; fi',
        'backup=$(readlink -f "$state/backup")',
        'grep -vxF "$owner" "$backup/owners" > "$backup/owners.left" || true',
        'mv "$backup/owners.left" "$backup/owners"',
        'if [ -s "$backup/owners" ]; then echo "the configuration is still deskphone\'s ($(cat "$backup/owners")): nothing put back"; exit 0; fi',
        "while read -r was path; do",
        '  case "$was" in',
        '    present) rm -rf "$path"; cp -a "$backup/files$path" "$path" ;;',
        '    absent) rm -rf "$path" ;;',
        `    deskphone) for file in ${paths.map(shellQuote).join(" ")}; do case "$file" in "$path" | "$path"/*) rm -f "$file" ;; esac; done ;;`,
        "  esac",
        'done < "$backup/manifest"',
        "if [ -d /run/systemd/system ]; then",
        "  systemctl disable --now deskphone-firewall >/dev/null 2>&1 || true",
        "  nft delete table inet deskphone 2>/dev/null || true",
        "fi",
        "if fail2ban-client ping >/dev/null 2>&1; then fail2ban-client reload >/dev/null || true; fi",
        // Asterisk leaves deskphone's phones and trunks behind only when it starts afresh on its own files.
        "asterisk -rx 'core restart now' >/dev/null 2>&1 || true",
        "i=0",
        "until asterisk -rx 'core waitfullybooted' >/dev/null 2>&1; do",
        '  i=$((i + 1)); if [ "$i" -ge 60 ]; then echo "Asterisk did not come back on its own configuration within 60 s" >&2; exit 1; fi',
        "  sleep 1",
        "done",
        'rm -rf "$state"',
        'echo "the server\'s own files are back, from $backup; Asterisk runs on them"',
    ].join("\n");
}
