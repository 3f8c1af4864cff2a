import { strict as assert } from "assert";
import { kindOf, renderSecretFiles, resolveSecrets, Trunk, trunkKinds } from "../../components";
import { renderFail2banTrunks } from "../../components/render/serverFiles";
import { officeView } from "../../components/render/viewModel";
import { exampleOffice, exampleStacks } from "../../lab/stacks";

/** Every trunk of the example offices, with its office. */
const exampleTrunks = exampleStacks().flatMap((stack) =>
    exampleOffice(stack).trunks.map((trunk) => ({ stack, trunk })),
);

describe("trunk kinds", () => {
    it("the example offices show every kind", () => {
        assert.deepEqual(
            [...new Set(exampleTrunks.map(({ trunk }) => trunk.kind))].sort(),
            Object.keys(trunkKinds).sort(),
        );
    });

    for (const { stack, trunk } of exampleTrunks) {
        it(`${stack}'s ${trunk.kind} trunk: the addresses its provider calls from are matched to it and never banned`, () => {
            const office = exampleOffice(stack);
            const view = officeView(office).trunks.find((t) => t.name === trunk.name)!;
            const identify = view.sections.find((s) => s.name === `${trunk.name}-identify`)!;
            const matched = identify.settings.filter((s) => s.key === "match").map((s) => String(s.value));
            const sources = kindOf<Trunk>(trunk).signallingSources(trunk);
            for (const source of sources) assert.ok(matched.includes(source), `${source} matched`);
            const neverBanned = renderFail2banTrunks(office);
            for (const source of sources) assert.ok(neverBanned.includes(source), `${source} in fail2ban's ignoreip`);
        });

        it(`${stack}'s ${trunk.kind} trunk: a password it has is in pjsip.secrets.conf's ${trunk.name}-auth, and its endpoint uses that auth`, () => {
            const office = exampleOffice(stack);
            const view = officeView(office).trunks.find((t) => t.name === trunk.name)!;
            const secret = kindOf<Trunk>(trunk).sipSecret(trunk);
            const secrets = renderSecretFiles(office, resolveSecrets(office)).find(
                (f) => f.name === "pjsip.secrets.conf",
            )!.text;
            assert.equal(secrets.includes(`[${trunk.name}-auth]`), secret !== undefined, "pjsip.secrets.conf");
            const endpoint = view.sections[0].settings;
            assert.equal(
                endpoint.some((s) => s.key === "outbound_auth" && s.value === `${trunk.name}-auth`),
                secret !== undefined,
            );
            assert.equal(
                view.sections.some((s) => s.name === `${trunk.name}-auth`),
                secret !== undefined,
            );
        });
    }
});
