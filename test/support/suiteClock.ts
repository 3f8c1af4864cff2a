/**
 * Prints how long the mocha run took when it ends: the call tests must keep the whole suite under
 * ten minutes on two cores (issue 11), and CI's log is where that is seen.
 */
const mochaAfter = (globalThis as { after?: (fn: () => void) => void }).after;
if (typeof mochaAfter === "function") {
    mochaAfter(() => console.log(`\n  test run wall time: ${process.uptime().toFixed(1)} s (mocha, after set-up and type-check)`));
}
