// Mocha runs every test/**/*.test.ts through tsx, or only the test files named on its command line
// (a `spec` here would otherwise be added to them: `mocha test/calls/harness.test.ts` would run everything).
const named = process.argv.slice(2).some((arg) => !arg.startsWith("-") && /\.ts$/.test(arg));
module.exports = {
    ...(named ? {} : { spec: ["test/**/*.test.ts"] }),
    import: "tsx",
    // Loaded with every run: prints the run's wall time at its end.
    file: ["test/support/suiteClock.ts"],
    timeout: 60000,
};
