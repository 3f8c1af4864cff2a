/**
 * Renders an example (or your own) stack's office to out/<stack>/ and prints a one-screen summary.
 *   npm start -- freelancer
 */
import * as fs from "fs";
import * as path from "path";
import {
    loadStackOffice,
    numberLabel,
    numbersToBuy,
    renderConfigFiles,
    renderSecretFiles,
    resolveSecrets,
    officeSummary,
    OfficeConfigError,
    spa3102Documents,
    standInNumbers,
    withNumbers,
} from "../components";

function main(): number {
    const stack = process.argv[2] ?? "freelancer";
    const root = path.join(__dirname, "..");
    const stackFile = path.join(root, "stacks", `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(stackFile)) {
        const known = fs.readdirSync(path.join(root, "stacks")).map((f) => f.replace(/^Pulumi\.|\.yaml$/g, ""));
        console.error(`no stack file ${path.relative(root, stackFile)}; stacks: ${known.join(", ")}`);
        return 2;
    }
    try {
        const loaded = loadStackOffice(stackFile, process.env.PULUMI_CONFIG_PASSPHRASE);
        const standIns = standInNumbers(loaded.office);
        const office = withNumbers(loaded.office, standIns);
        const secrets = resolveSecrets(office);
        const files = [...renderConfigFiles(office), ...renderSecretFiles(office, secrets)];
        if (office.spa3102) {
            // The adapter's records, with the server's address as the stack gives it (a placeholder until it exists).
            const publicAddress =
                office.server.publicAddress ??
                (office.server.host.kind === "existing" ? office.server.host.host : "SERVER-ADDRESS");
            for (const doc of spa3102Documents(office, { publicAddress, secrets })) {
                files.push({
                    name: doc.name,
                    path: `/spa3102/${doc.name}`,
                    text: doc.text,
                    secret: doc.secret,
                    apply: "true",
                });
            }
        }
        const outDir = path.join(root, "out", stack);
        fs.rmSync(outDir, { recursive: true, force: true });
        for (const file of files) {
            const target = path.join(outDir, file.path);
            fs.mkdirSync(path.dirname(target), { recursive: true });
            fs.writeFileSync(target, file.text, { mode: file.secret ? 0o600 : 0o644 });
        }
        const notes = [
            `Written to ${path.relative(process.cwd(), outDir) || "."}/ (secret files mode 600; generated passwords are new on every run).`,
        ];
        for (const n of numbersToBuy(loaded.office))
            notes.push(`Number ${numberLabel(n)} is bought by \`pulumi up\`; rendered here as ${standIns[n.name]}.`);
        if (loaded.undecrypted.length)
            notes.push(`Left encrypted (set PULUMI_CONFIG_PASSPHRASE to decrypt): ${loaded.undecrypted.join(", ")}`);
        console.log(officeSummary(office, files, notes));
        return 0;
    } catch (error) {
        if (error instanceof OfficeConfigError) {
            console.error(error.message);
            return 1;
        }
        throw error;
    }
}

process.exitCode = main();
