/**
 * Pulumi program evaluation under mocks for 1, 10 and 50 offices: deskphone's PhoneSystem per office
 * against a bare program that declares the same raw resources (types, names, inputs) directly, with
 * no component, no rendering and no dynamic provider.
 *   npm run bench:program
 * Each figure is the wall time from the first declaration until the mock engine has registered
 * every resource; the first (warm-up) round is not counted.
 */
import * as pulumi from "@pulumi/pulumi";
import { Office, PhoneSystem } from "../components";
import { exampleOffice } from "../lab/stacks";
import { Comparison, comparisonTable, machineFacts, median } from "./support/report";
import { version as pulumiVersion } from "@pulumi/pulumi/package.json";

const officeCounts = [1, 10, 50];
const rounds = 3;

interface Declared {
    type: string;
    name: string;
    inputs: Record<string, unknown>;
}

let registered = 0;
let recording: Declared[] | undefined;

async function installMocks(): Promise<void> {
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => {
                registered++;
                recording?.push({ type: args.type, name: args.name, inputs: args.inputs });
                return {
                    id: `${args.name}-id`,
                    state: {
                        ...args.inputs,
                        ipAddress: "203.0.113.7",
                        fingerprint: "aa:bb",
                        trunkSid: "TK00000000000000000000000000000001",
                        value: "x",
                        publicKey: "ssh-ed25519 AAAA x",
                    },
                };
            },
            call: (args) => args.inputs,
        },
        "deskphone",
        "bench",
        false,
    );
}

/** Resolves once `count` more resources have been registered with the mock engine. */
async function registrations(count: number): Promise<void> {
    const target = registered + count;
    while (registered < target) await new Promise((r) => setImmediate(r));
}

function phoneSystems(office: Office, offices: number, round: string): void {
    for (let i = 0; i < offices; i++) new PhoneSystem(`${round}-office${i}`, { office });
}

/** A custom resource of any type, declared as the engine receives it. */
class RawResource extends pulumi.CustomResource {
    constructor(type: string, name: string, inputs: Record<string, unknown>) {
        super(type, name, inputs);
    }
}

/** The same resources as one office's PhoneSystem, declared as plain custom resources. */
function bareResources(resources: Declared[], offices: number, round: string): void {
    for (let i = 0; i < offices; i++) {
        for (const r of resources) new RawResource(r.type, `${round}-office${i}-${r.name}`, r.inputs);
    }
}

async function timed(declare: () => void, expected: number): Promise<number> {
    const start = process.hrtime.bigint();
    declare();
    await registrations(expected);
    return Number(process.hrtime.bigint() - start) / 1e6;
}

async function main(): Promise<void> {
    await installMocks();
    const office = exampleOffice("freelancer");
    // What one office declares: every custom resource (components are not registered with mocks).
    recording = [];
    new PhoneSystem("record", { office });
    await new Promise((r) => setTimeout(r, 500));
    const resources = recording;
    recording = undefined;
    const perOffice = resources.length;

    const rows: Comparison[] = [];
    for (const offices of officeCounts) {
        const desk: number[] = [];
        const bare: number[] = [];
        for (let round = 0; round <= rounds; round++) {
            const d = await timed(() => phoneSystems(office, offices, `d${offices}r${round}`), perOffice * offices);
            const b = await timed(() => bareResources(resources, offices, `b${offices}r${round}`), perOffice * offices);
            if (round > 0) {
                desk.push(d);
                bare.push(b);
            }
        }
        rows.push({
            what: `${offices} office${offices > 1 ? "s" : ""} (${perOffice * offices} resources)`,
            deskphone: median(desk),
            plain: median(bare),
            unit: "ms",
            plainIs: "bare program, same resources declared directly",
        });
    }
    console.log(comparisonTable(`Pulumi program evaluation under mocks (median of ${rounds})`, rows));
    console.log("");
    console.log(machineFacts({ pulumi: `@pulumi/pulumi ${pulumiVersion}` }));
}

main().catch((error) => {
    console.error(error);
    process.exit(1);
});
