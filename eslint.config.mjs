// The linter `npm test` runs: typescript-eslint's recommended rules over the library, its tests, scripts and benchmarks,
// and no function over 60 lines outside the tests.
import eslint from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";

export default tseslint.config(
    { ignores: ["node_modules/", "out/"] },
    eslint.configs.recommended,
    tseslint.configs.recommended,
    {
        // Dynamic providers require their modules inside their methods, so that Pulumi can serialize them.
        files: ["components/**/*.ts"],
        rules: { "@typescript-eslint/no-require-imports": "off" },
    },
    {
        // One job per function: the library, the lab, scripts and benchmarks (a test's describe block reads as its list of cases).
        files: ["components/**/*.ts", "lab/**/*.ts", "scripts/**/*.ts", "bench/**/*.ts"],
        rules: { "max-lines-per-function": ["error", { max: 60, skipBlankLines: true, skipComments: true }] },
    },
    {
        // Tests hand deliberately malformed stack files and provider payloads to the code under test.
        files: ["test/**/*.ts"],
        rules: { "@typescript-eslint/no-explicit-any": "off" },
    },
    { files: ["**/*.cjs"], languageOptions: { globals: globals.node, sourceType: "commonjs" } },
);
