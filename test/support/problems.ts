import { strict as assert } from "assert";
import { formatProblem, OfficeConfigError, RawOfficeConfig, validateOffice } from "../../components";

/** Every problem validation finds in a stack's settings, as a user reads them; `plainText` paths count as written without --secret. */
export function problems(raw: RawOfficeConfig, plainText: string[] = []): string[] {
    try {
        validateOffice(raw, (p) => plainText.includes(p));
    } catch (error) {
        assert.ok(error instanceof OfficeConfigError, String(error));
        return error.problems.map(formatProblem);
    }
    return [];
}
