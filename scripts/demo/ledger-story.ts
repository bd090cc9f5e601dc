/**
 * History for the release managers' view (`--serve`): twelve weeks of the sample repository
 * after the demo's own pull request (merged Monday 6 January 2025), played on GitHub's
 * scripted clock so every run gets the same dates. What it leaves on the dashboard:
 *   - merged:    five more fixes backported to both branches. v2.0 takes its backports within
 *                hours to two days; v1.4, the older line, takes days to three weeks;
 *   - PR open:   a fix whose backport PRs stay open, one with passing checks, one failing;
 *   - conflict:  the demo's own fix on v1.4, open since week one (the oldest open item), and a
 *                docs fix that conflicts on both branches: on v1.4 the issue is closed without
 *                a PR (abandoned), on v2.0 it stays open;
 *   - abandoned: on v2.0, a backport PR closed without merging;
 *   - declined:  a PR labelled `no-backport`;
 *   - requested: an open PR already labelled for both branches;
 *   - missing:   a merged `bug` fix nobody asked to backport, and a direct `fix:` commit.
 * Steps: play the timeline in order, each at its time and until the app is idle; then move
 * the clock to the end of the story, the "now" the dashboard is read at.
 */
import type { GitHubSim } from '../../tools/github-sim/index.js';
import { README } from './sample-repo.js';
import type { Fix, StoryStep } from './story-steps.js';
import {
  ciResult,
  closeBackport,
  dropConflict,
  mergeBackport,
  mergeFix,
  openFix,
  pushToMain,
} from './story-steps.js';

/** The story's "now": a Friday afternoon, twelve weeks after the demo's pull request. */
export const STORY_END = '2025-03-28T16:00:00Z';

const BOTH = ['backport-to: v2.0', 'backport-to: v1.4'];

/** A fix adding one small file: it applies to both release lines as it is. */
const newFile = (branch: string, title: string, path: string, text: string, labels = BOTH): Fix => ({
  branch,
  title,
  files: { [path]: text },
  labels,
});

const ERRORS = newFile(
  'fix-error-types',
  'Export a typed RateLimited error',
  'src/errors.ts',
  'export class RateLimited extends Error {\n  readonly code = "rate-limited";\n}\n',
  [...BOTH, 'bug'],
);
const NAN_RATE = newFile(
  'fix-nan-rate',
  'fix: reject NaN and infinite refill rates',
  'src/rate.ts',
  'export function checkRate(rate: number): number {\n' +
    '  if (!Number.isFinite(rate) || rate <= 0) throw new RangeError("rate must be a positive number");\n' +
    '  return rate;\n}\n',
);
const METRICS = newFile(
  'add-metrics',
  'Count taken and refused tokens',
  'src/metrics.ts',
  'export const metrics = { taken: 0, refused: 0 };\n',
  ['backport-to: v2.0'],
);
const WAIT_ROUNDING = newFile(
  'fix-wait-rounding',
  'fix: round waitTime up to whole milliseconds',
  'src/wait.ts',
  'export const roundWait = (ms: number): number => Math.ceil(ms);\n',
);
const CONTRIBUTING = newFile(
  'tidy-readme',
  'Add contributing notes',
  'CONTRIBUTING.md',
  'Run `npm test` before sending a PR.\n',
  ['no-backport'],
);
const FRACTIONAL = newFile(
  'fix-fractional-take',
  'fix: refuse fractional token amounts',
  'src/amount.ts',
  'export function checkAmount(n: number): number {\n' +
    '  if (!Number.isInteger(n) || n < 0) throw new RangeError("n must be a whole number");\n' +
    '  return n;\n}\n',
);
const OVERFLOW = newFile(
  'fix-token-overflow',
  'fix: keep the token count within MAX_SAFE_INTEGER',
  'src/limits.ts',
  'export const MAX_TOKENS = Number.MAX_SAFE_INTEGER;\n',
);
// The sample's README differs on both release lines: this one needs a person everywhere.
const DOCS = newFile(
  'docs-clock-skew',
  'Document fake clocks',
  'README.md',
  `${README}\nWorks with any \`Clock\`, including a fake one in tests.\n`,
);
const VALIDATE = newFile(
  'fix-validate-input',
  'fix: reject non-positive token counts',
  'src/validate.ts',
  'export function assertTokens(n: number): void {\n  if (!(n > 0)) throw new RangeError("n must be positive");\n}\n',
);
const ZERO_CAPACITY = newFile(
  'fix-zero-capacity',
  'Refuse a zero capacity',
  'src/capacity.ts',
  'export const MIN_CAPACITY = 1;\n',
  ['bug'],
);
const BURST = newFile(
  'fix-burst',
  'fix: cap bursts at 100 tokens',
  'src/burst.ts',
  'export const MAX_BURST = 100;\n',
);

/** The timeline after the demo's pull request (head `demoHead`) merged; times are UTC. */
function timeline(demoHead: string): StoryStep[] {
  return [
    mergeBackport('2025-01-07T15:00:00Z', demoHead, 'v2.0'),
    ...mergeFix('2025-01-13T11:00:00Z', ERRORS),
    mergeBackport('2025-01-13T15:00:00Z', ERRORS.branch, 'v2.0'),
    mergeBackport('2025-01-20T11:00:00Z', ERRORS.branch, 'v1.4'),
    ...mergeFix('2025-01-22T09:30:00Z', NAN_RATE),
    mergeBackport('2025-01-22T16:30:00Z', NAN_RATE.branch, 'v2.0'),
    mergeBackport('2025-01-24T15:30:00Z', NAN_RATE.branch, 'v1.4'),
    ...mergeFix('2025-01-28T10:00:00Z', METRICS),
    closeBackport('2025-01-30T09:00:00Z', METRICS.branch, 'v2.0'),
    ...mergeFix('2025-02-04T14:00:00Z', WAIT_ROUNDING),
    mergeBackport('2025-02-06T10:00:00Z', WAIT_ROUNDING.branch, 'v2.0'),
    ...mergeFix('2025-02-11T15:00:00Z', CONTRIBUTING),
    ...mergeFix('2025-02-18T10:00:00Z', FRACTIONAL),
    mergeBackport('2025-02-18T13:00:00Z', FRACTIONAL.branch, 'v2.0'),
    mergeBackport('2025-02-25T14:00:00Z', WAIT_ROUNDING.branch, 'v1.4'),
    mergeBackport('2025-02-27T10:00:00Z', FRACTIONAL.branch, 'v1.4'),
    ...mergeFix('2025-03-04T11:00:00Z', OVERFLOW),
    mergeBackport('2025-03-05T08:00:00Z', OVERFLOW.branch, 'v2.0'),
    ...mergeFix('2025-03-10T10:00:00Z', DOCS),
    dropConflict('2025-03-11T09:00:00Z', DOCS.branch, 'v1.4'),
    mergeBackport('2025-03-14T11:00:00Z', OVERFLOW.branch, 'v1.4'),
    ...mergeFix('2025-03-17T11:00:00Z', VALIDATE),
    ciResult('2025-03-17T11:40:00Z', VALIDATE.branch, 'v2.0', 'success'),
    ciResult('2025-03-17T11:50:00Z', VALIDATE.branch, 'v1.4', 'failure'),
    pushToMain(
      '2025-03-19T17:00:00Z',
      { 'src/interval.ts': 'export const MIN_INTERVAL_MS = 1;\n' },
      'fix: clamp the refill interval\n\nA zero interval divided by zero.',
    ),
    ...mergeFix('2025-03-20T10:00:00Z', ZERO_CAPACITY),
    openFix('2025-03-25T14:00:00Z', BURST),
  ];
}

/**
 * Plays the timeline on the sample repository after the demo's pull request `demo` (its head
 * branch and number) merged. `settle` waits until the app has done all it was asked.
 */
export async function playLedgerStory(
  sim: GitHubSim,
  settle: () => Promise<void>,
  demo: { head: string; number: number },
): Promise<string[]> {
  const ctx = { sim, sources: new Map([[demo.head, demo.number]]) };
  const steps = timeline(demo.head).sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  for (const step of steps) {
    sim.setTime(step.at);
    await step.run(ctx);
    await settle();
  }
  sim.setTime(STORY_END);
  return [
    `release managers' view: twelve weeks of history, to ${STORY_END.slice(0, 10)}, so both branches ` +
      'show every ledger state (merged, PR open with checks, conflict, abandoned, declined, requested), ' +
      'backport latencies and missing fixes',
  ];
}
