/** One mistake in a stack's `deskphone:` config: where it is, what is wrong, what is allowed. */
export interface ConfigProblem {
    /** Config path, e.g. `deskphone:numbers[1].e164`. */
    path: string;
    message: string;
    /** What to write instead, when there is something useful to say. */
    hint?: string;
}

export function formatProblem(problem: ConfigProblem): string {
    return `${problem.path}: ${problem.message}${problem.hint ? ` (${problem.hint})` : ""}`;
}

/** Every problem found in an office's config, reported together before anything is created. */
export class OfficeConfigError extends Error {
    constructor(readonly problems: ConfigProblem[]) {
        super(
            `the deskphone config has ${problems.length} problem${problems.length === 1 ? "" : "s"}:\n` +
                problems.map((p) => `  - ${formatProblem(p)}`).join("\n"),
        );
        this.name = "OfficeConfigError";
    }
}
