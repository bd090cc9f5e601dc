/**
 * The simulated GitHub starts its git processes from a small process of its own in the test
 * suites (see tools/github-sim/git-process.ts): forked from a Jest worker, each cost 10–25 ms
 * of CPU before git ran. Set before a suite's modules load; a run may set it to 0 to compare.
 */
process.env.GITHUB_SIM_GIT_SPAWNER ??= '1';
