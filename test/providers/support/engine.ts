/**
 * Runs a dynamic provider the way the Pulumi engine does: serialized with
 * pulumi.runtime.serializeFunction, evaluated from text in a module of its own (as
 * @pulumi/pulumi's dynamic-provider host does with require-from-string), and driven through
 * check → diff → create/update/replace, read and delete with state that round-trips through JSON.
 */
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Module = require("module") as {
    new (
        id: string,
        parent?: unknown,
    ): { filename: string; paths: string[]; exports: any; _compile(code: string, filename: string): void };
    _nodeModulePaths(from: string): string[];
};

/** The provider as the engine gets it: serialized, then evaluated from text. */
export async function serializedProvider<T extends pulumi.dynamic.ResourceProvider>(
    provider: T,
): Promise<{ provider: T; text: string }> {
    const serialized = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
    const m = new Module("", undefined);
    m.filename = "";
    m.paths = Module._nodeModulePaths(path.dirname(""));
    m._compile(serialized.text, "");
    return { provider: m.exports.handler() as T, text: serialized.text };
}

type Props = Record<string, any>;

/** What one `pulumi up` did to the resource. */
export type Step = "create" | "update" | "replace" | "same";

/** One resource's life in a stack, driven as the engine drives it. */
export class EngineResource {
    id?: string;
    outputs?: Props;
    readonly steps: Step[] = [];

    constructor(private readonly provider: pulumi.dynamic.ResourceProvider) {}

    private static wire<T>(value: T): T {
        return JSON.parse(JSON.stringify(value));
    }

    /** `pulumi up` with these inputs. */
    async up(args: Props): Promise<Step> {
        const p = this.provider;
        const news = EngineResource.wire(args);
        const checked = p.check ? await p.check(this.outputs ?? {}, news) : { inputs: news };
        if (checked.failures?.length)
            throw new Error(`check failed: ${checked.failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`);
        const inputs = EngineResource.wire(checked.inputs ?? news);
        let step: Step;
        if (!this.id || !this.outputs) {
            await this.create(inputs);
            step = "create";
        } else if (this.initFailed) {
            // A resource that failed to initialize is updated on the next up, whatever the diff says.
            this.outputs = EngineResource.wire({
                ...this.outputs,
                ...((await p.update!(this.id, this.outputs, inputs)).outs ?? {}),
            });
            this.initFailed = false;
            step = "update";
        } else {
            const diff = p.diff ? await p.diff(this.id, this.outputs, inputs) : { changes: true };
            if (diff.replaces && diff.replaces.length > 0) {
                // Create before delete, as the engine replaces by default, unless the provider asks otherwise.
                const old = { id: this.id, outputs: this.outputs };
                if (diff.deleteBeforeReplace) {
                    if (p.delete) await p.delete(old.id, old.outputs);
                    this.id = undefined;
                    this.outputs = undefined;
                    await this.create(inputs);
                } else {
                    await this.create(inputs);
                    if (p.delete) await p.delete(old.id, old.outputs);
                }
                step = "replace";
            } else if (diff.changes) {
                this.outputs = EngineResource.wire(
                    (await p.update!(this.id, this.outputs, inputs)).outs ?? this.outputs,
                );
                step = "update";
            } else {
                step = "same";
            }
        }
        this.steps.push(step);
        return step;
    }

    private initFailed = false;

    private async create(inputs: Props): Promise<void> {
        try {
            const result = await this.provider.create(inputs);
            this.id = result.id;
            this.outputs = EngineResource.wire(result.outs);
        } catch (error) {
            const partial = error as { id?: string; properties?: Props };
            if (partial.id) {
                // "Created, failed to initialize": the engine keeps the resource in state.
                this.id = partial.id;
                this.outputs = EngineResource.wire(partial.properties);
                this.initFailed = true;
            }
            throw error;
        }
    }

    /** `pulumi refresh`. */
    async refresh(): Promise<void> {
        if (!this.id || !this.provider.read) return;
        const result = await this.provider.read(this.id, this.outputs);
        if (!result.id) {
            this.id = undefined;
            this.outputs = undefined;
            return;
        }
        this.outputs = EngineResource.wire(result.props);
    }

    /** `pulumi destroy` (or removing the resource from the program). */
    async destroy(): Promise<void> {
        if (!this.id) return;
        if (this.provider.delete) await this.provider.delete(this.id, this.outputs);
        this.id = undefined;
        this.outputs = undefined;
    }
}
