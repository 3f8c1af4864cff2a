/** The fail2ban filter the install script puts on the server for the asterisk jail, read from the rendered script itself. */
import { renderInstallScript } from "../../components/render/serverFiles";

/** The text of /etc/fail2ban/jail.d/asterisk.conf, and what the install script runs right after writing it (up to the next blank line). */
export function installedJailText(): { text: string; next: string } {
    const script = renderInstallScript();
    const jail = script.match(/cat > \/etc\/fail2ban\/jail\.d\/asterisk\.conf <<'(\w+)'\n([\s\S]*?)\n\1\n/);
    if (!jail) throw new Error("the install script writes no /etc/fail2ban/jail.d/asterisk.conf");
    const after = script.slice(jail.index! + jail[0].length);
    return { text: jail[2], next: after.slice(0, after.search(/\n\n|$/)) };
}

/** The jail's settings, as the rendered install script writes them to /etc/fail2ban/jail.d/asterisk.conf. */
export function installedJail(): Record<string, string> {
    return Object.fromEntries(
        installedJailText()
            .text.split("\n")
            .map((l) => l.match(/^(\w+)\s*=\s*(.*?)\s*$/))
            .filter((m): m is RegExpMatchArray => !!m)
            .map((m) => [m[1], m[2]]),
    );
}

/**
 * The filter file the jail uses: its text when the install script writes it, else the path of the
 * filter fail2ban's package ships (inside the server chroot).
 */
export function installedFilter(): { path: string } | { text: string } {
    const name = installedJail().filter;
    if (!name) throw new Error("the asterisk jail names no filter");
    const script = renderInstallScript();
    const written = script.match(
        new RegExp(`cat > /etc/fail2ban/filter\\.d/${name}\\.conf <<'(\\w+)'\\n([\\s\\S]*?)\\n\\1\\n`),
    );
    return written ? { text: written[2] } : { path: `/etc/fail2ban/filter.d/${name}.conf` };
}
