/**
 * The droplet's voicemail volume, played by a loop device: DigitalOcean attaches the volume after the
 * droplet exists and names it /dev/disk/by-id/scsi-0DO_Volume_<name> ("How to Mount Volumes"), so the
 * mount script waits for it; a replacement droplet (a new server chroot, with another asterisk uid)
 * mounts the same volume and finds the old messages.
 */
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { renderInstallScript, renderVoicemailVolumeScript } from "../../components/render/serverFiles";
import { serverPackages } from "../../lab/fail2ban";
import { freshServerRoot, removeServerRoot, runInChroot } from "../../lab/chroot";

const device = "/dev/disk/by-id/scsi-0DO_Volume_office-server-voicemail";
const message = "/var/spool/asterisk/voicemail/default/13235550100/INBOX/msg0000.txt";

/** A loop device over a new 32 MB image, formatted as DigitalOcean formats a volume created with an ext4 filesystem (or left blank). */
function volume(dir: string, name: string, formatted: boolean): { loop: string; detach: () => void } {
    const image = path.join(dir, `${name}.img`);
    fs.writeFileSync(image, Buffer.alloc(0));
    fs.truncateSync(image, 32 * 1024 * 1024);
    if (formatted) execFileSync("mkfs.ext4", ["-q", "-F", image]);
    const loop = execFileSync("losetup", ["--find", "--show", image], { encoding: "utf8" }).trim();
    return { loop, detach: () => execFileSync("losetup", ["-d", loop]) };
}

/** Runs `script` on a "droplet" (a server chroot with an empty /dev of its own) where `loop`, if given, is attached as the volume. */
function onDroplet(root: string, loop: string | undefined, script: string) {
    const attach = loop
        ? [
              `mknod -m 660 /dev/${path.basename(loop)} b ${majorMinor(loop)}`,
              "mkdir -p /dev/disk/by-id",
              `ln -s ../../${path.basename(loop)} ${device}`,
          ]
        : [];
    const prelude = ["set -eu", "mknod -m 666 /dev/null c 1 3", ...attach];
    fs.writeFileSync(
        path.join(root, "usr/local/sbin/deskphone-voicemail-volume"),
        renderVoicemailVolumeScript(device),
        { mode: 0o755 },
    );
    return runInChroot(root, [...prelude, script].join("\n"), 60_000, { privateDev: true });
}

function majorMinor(loop: string): string {
    const [major, minor] = execFileSync("stat", ["-c", "%t %T", loop], { encoding: "utf8" })
        .trim()
        .split(" ")
        .map((hex) => parseInt(hex, 16));
    return `${major} ${minor}`;
}

describe("the droplet's voicemail volume", function () {
    this.timeout(5 * 60_000);
    const roots: string[] = [];
    const detach: (() => void)[] = [];
    let dir = "";

    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "deskphone-volume-"));
    });
    after(() => {
        for (const d of detach) d();
        for (const root of roots) removeServerRoot(root);
        fs.rmSync(dir, { recursive: true, force: true });
    });
    const droplet = (copy: string) => {
        const root = freshServerRoot("deskphone-server", serverPackages, { copy });
        roots.push(root);
        return root;
    };

    it("is mounted by the script the install script writes, and a replacement droplet finds the messages left on it", async () => {
        assert.ok(
            renderInstallScript({ droplet: { voicemailDevice: device } }).includes(
                renderVoicemailVolumeScript(device).trimEnd(),
            ),
            "the install script writes this script",
        );
        const { loop, detach: d } = volume(dir, "voicemail", true);
        detach.push(d);

        const first = await onDroplet(
            droplet("volume-first"),
            loop,
            [
                "/usr/local/sbin/deskphone-voicemail-volume",
                `mkdir -p ${path.dirname(message)} && echo 'a message left on the first droplet' > ${message} && chown -R asterisk:asterisk /var/spool/asterisk/voicemail`,
                "umount /var/spool/asterisk/voicemail",
            ].join("\n"),
        );
        assert.equal(first.code, 0, first.output);
        assert.match(first.output, new RegExp(`deskphone: voicemail is on ${device}`));

        const replacement = droplet("volume-replacement");
        const second = await onDroplet(
            replacement,
            loop,
            [
                "usermod -u 4242 asterisk", // a new droplet's asterisk user need not have the old one's uid
                "/usr/local/sbin/deskphone-voicemail-volume",
                `cat ${message}`,
                `stat -c '%u %U' ${message}`,
                "mountpoint /var/spool/asterisk/voicemail",
                "umount /var/spool/asterisk/voicemail",
            ].join("\n"),
        );
        assert.equal(second.code, 0, second.output);
        assert.match(second.output, /a message left on the first droplet/);
        assert.match(second.output, /^4242 asterisk$/m, "the replacement's asterisk user owns the old messages");
        assert.match(
            fs.readFileSync(path.join(replacement, "etc/fstab"), "utf8"),
            new RegExp(`^${device} /var/spool/asterisk/voicemail ext4 defaults,nofail,discard 0 2$`, "m"),
            "mounted again at every boot",
        );
    });

    it("formats a blank volume, and never one that holds a filesystem", async () => {
        const { loop, detach: d } = volume(dir, "blank", false);
        detach.push(d);
        const root = droplet("volume-blank");
        const run = await onDroplet(
            root,
            loop,
            "/usr/local/sbin/deskphone-voicemail-volume\numount /var/spool/asterisk/voicemail",
        );
        assert.equal(run.code, 0, run.output);
        assert.match(execFileSync("blkid", ["-o", "export", loop], { encoding: "utf8" }), /^LABEL=voicemail$/m);
    });

    it("waits for the volume, bounded, and fails naming it when it is never attached", async () => {
        const started = Date.now();
        const run = await onDroplet(
            droplet("volume-missing"),
            undefined,
            "DESKPHONE_VOLUME_TIMEOUT=3 /usr/local/sbin/deskphone-voicemail-volume",
        );
        assert.equal(run.code, 1, run.output);
        assert.ok(Date.now() - started >= 2_000, "it waited");
        assert.match(
            run.output,
            new RegExp(`deskphone: the voicemail volume ${device} is not attached to this droplet`),
        );
    });
});
