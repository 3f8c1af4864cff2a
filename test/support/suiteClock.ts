/**
 * Prints how long the mocha run took when it ends, so CI's log shows it: issue 11 asked for ten minutes on two
 * cores; with two Asterisk versions and two softphones in the matrix the suite now takes longer (README).
 */
const mochaAfter = (globalThis as { after?: (fn: () => void) => void }).after;
if (typeof mochaAfter === "function") {
    mochaAfter(() =>
        console.log(`\n  test run wall time: ${process.uptime().toFixed(1)} s (mocha, after set-up and type-check)`),
    );
}
