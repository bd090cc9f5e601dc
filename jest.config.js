// Jest runs the TypeScript sources as native ESM (Probot 14 is ESM-only), compiled by SWC.
// Type checking is `tsc --noEmit`, run by `npm run lint`.
//
// Four projects, so one can be run alone (`npm run test:unit`, `test:conformance`, `test:e2e`,
// `test:browser`, or `npm run jest -- --selectProjects e2e`) and each waits as long as its
// kind of test needs. The timeouts leave room for a shared, busy machine; they bound hangs,
// they do not measure speed (timings belong in `npm run bench`).
const shared = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } },
    ],
  },
  // Sources import './x.js' (NodeNext style); map that back to the .ts file.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  setupFiles: ['<rootDir>/test/support/sim-git-spawner.ts'],
  // Jest ignores `testTimeout` in a project, so each sets `globals.projectTimeout` and this applies it.
  setupFilesAfterEnv: ['<rootDir>/test/support/project-timeout.ts'],
};

/** The suites that drive a real Chromium (Debian's `chromium`). */
const browser = [
  '<rootDir>/test/dashboard/dashboard-browser.test.ts',
  '<rootDir>/test/e2e/dashboard-access.test.ts',
];

/** Suites that run the app, the demo or the simulated GitHub over real HTTP. */
const e2e = [
  '<rootDir>/test/e2e/**/*.test.ts',
  '<rootDir>/test/demo/**/*.test.ts',
  '<rootDir>/test/github-sim/**/*.test.ts',
];

export default {
  // Two suites at a time on the 2-core machines the suite runs on: most e2e time is spent
  // waiting on child processes (git, app processes) and the network, so a second worker
  // nearly halves the run. Suites never share state: each has its own ports (listen 0),
  // temporary directories and PostgreSQL database. `--maxWorkers=1` runs them one by one.
  maxWorkers: 2,
  // A worker is replaced once a suite leaves it above this much memory. Jest keeps a worker's
  // every loaded module graph (ESM) alive, so a worker that ran a few dozen suites grew past
  // 500 MB; every git, app or browser process a suite starts is forked from its worker, and
  // fork copies the page tables of all of it (on this machine about 20 ms of CPU per spawn at
  // 300 MB against 4 at 140 MB), and the collector walks all of it. A new worker costs well
  // under a second.
  workerIdleMemoryLimit: '250MB',
  // The longest suites first when Jest has no timings yet (see the file).
  testSequencer: '<rootDir>/test/support/test-sequencer.js',
  projects: [
    {
      ...shared,
      displayName: 'unit',
      // One module, or a few, against real git or a database: seconds, but some replay
      // hundreds of cases through git.
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: [
        '/node_modules/',
        '<rootDir>/test/(conformance|e2e|demo|github-sim)/',
        ...browser,
      ],
      globals: { projectTimeout: 60_000 },
    },
    {
      ...shared,
      displayName: 'conformance',
      // Hundreds of generated scenarios, each replayed through the real `git cherry-pick`.
      testMatch: ['<rootDir>/test/conformance/**/*.test.ts'],
      globals: { projectTimeout: 300_000 },
    },
    {
      ...shared,
      displayName: 'e2e',
      // Webhook → app → simulated GitHub → git http-backend: several processes per test.
      testMatch: e2e,
      testPathIgnorePatterns: ['/node_modules/', ...browser],
      globals: { projectTimeout: 120_000 },
    },
    {
      ...shared,
      displayName: 'browser',
      // A Chromium start, page loads and screenshots, on top of an app for the e2e one.
      testMatch: browser,
      globals: { projectTimeout: 120_000 },
    },
  ],
};
