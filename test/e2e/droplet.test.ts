import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { repoRoot } from "../../lab/stacks";
import { PulumiProject } from "../../lab/pulumiCli";

const offlineEnv = {
    PULUMI_CONFIG_PASSPHRASE: "deskphone-example",
    DIGITALOCEAN_TOKEN: "dummy-token-for-offline-preview",
};

interface PreviewStep {
    op: string;
    urn: string;
    newState?: { type: string; inputs: Record<string, unknown> };
}

/** The preview's steps, by resource name. */
function steps(json: string): Map<string, PreviewStep> {
    const parsed = JSON.parse(json) as { steps: PreviewStep[] };
    return new Map(parsed.steps.map((s) => [s.urn.split("::").pop()!, s]));
}

describe("a DropletServer stack previewed by the real engine and DigitalOcean plugin, offline", function () {
    this.timeout(5 * 60_000);
    let project: PulumiProject;

    before(async () => {
        project = new PulumiProject("droplet");
        fs.copyFileSync(path.join(repoRoot, "stacks", "Pulumi.freelancer.yaml"), project.stackFile("freelancer"));
        await project.ok(["stack", "init", "freelancer"], undefined, offlineEnv);
    });
    after(() => project?.remove());

    it("7. preview --diff passes the provider's own input checks and shows droplet, reserved IP, firewall, volume and user data", async () => {
        const preview = await project.ok(["preview", "--diff", "--stack", "freelancer"], undefined, offlineEnv, true);
        console.log(`      preview --diff (droplet stack, no network): ${preview.seconds.toFixed(1)} s`);
        const out = preview.stdout;
        assert.match(
            out,
            /\+ digitalocean:index\/droplet:Droplet: \(create\)[\s\S]*image\s*: "ubuntu-24-04-x64"[\s\S]*size\s*: "s-1vcpu-512mb-10gb"/,
        );
        assert.match(
            out,
            /userData\s*: \(yaml\) \{[\s\S]*\/usr\/local\/sbin\/deskphone-install[\s\S]*Installs and hardens Asterisk/,
            "the cloud-init user data is shown",
        );
        assert.match(out, /\+ digitalocean:index\/reservedIp:ReservedIp: \(create\)/);
        assert.match(out, /\+ digitalocean:index\/volume:Volume: \(create\)[\s\S]*size\s*: 1/);
        assert.match(out, /\+ digitalocean:index\/firewall:Firewall: \(create\)[\s\S]*portRange\s*: "10000-20000"/);
        assert.match(out, /34\.210\.91\.112\/28|0\.0\.0\.0\/0/, "SIP sources listed");
        assert.ok(!out.includes("example-flowroute-sip-password"), "no secret in the preview");
    });

    it("7. a trunk change changes config resources only: the droplet, volume and reserved IP inputs stay identical", async () => {
        const before = steps(
            (await project.ok(["preview", "--json", "--stack", "freelancer"], undefined, offlineEnv, true)).stdout,
        );
        const file = project.stackFile("freelancer");
        fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("pop: us-west-or", "pop: us-east-va"));
        const after = steps(
            (await project.ok(["preview", "--json", "--stack", "freelancer"], undefined, offlineEnv, true)).stdout,
        );
        for (const name of ["freelancer-server-droplet", "freelancer-server-voicemail", "freelancer-server-address"]) {
            assert.ok(before.has(name), `${name} is in the preview`);
            assert.deepEqual(after.get(name)?.newState?.inputs, before.get(name)?.newState?.inputs, name);
        }
        assert.notDeepEqual(
            after.get("freelancer-config-pjsip.conf")?.newState?.inputs.stdin,
            before.get("freelancer-config-pjsip.conf")?.newState?.inputs.stdin,
        );
    });
});
