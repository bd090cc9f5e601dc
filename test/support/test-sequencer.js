// The order Jest starts suites in when it has no timings yet (a fresh clone, CI). Its own
// rule is biggest file first, but the longest suites here are short files that start whole
// app processes (test/e2e/durable/, test/demo/): started last, one of them would run alone
// on one worker for minutes while the other worker sat idle. So without timings: those
// first, then the few unit suites that replay hundreds of cases (tens of seconds each:
// started among the last, one of them was the run's tail), then the other suites of the slow
// projects (e2e, browser, conformance), then the other unit suites (seconds each, they fill
// the gaps at the end); biggest file first within each.
// Once Jest has timings (a second run in the same place) its own order, longest first, is kept.
import Sequencer from '@jest/test-sequencer';

const SLOW_PROJECTS = new Set(['e2e', 'browser', 'conformance']);
const APP_PROCESSES = /\/test\/(e2e\/durable|demo)\//;
/** Unit suites that take as long as an e2e suite (hundreds of generated or replayed cases). */
const LONG_UNIT = [
  'repo/transport/chunked-replay',
  'resolve/apply-patch-fuzz',
  'pick/merge-text',
  'pick/diff-lines',
].map((name) => `/test/${name}.test.ts`);

/** 0 runs first. */
function rank(test) {
  if (APP_PROCESSES.test(test.path)) return 0;
  if (LONG_UNIT.some((end) => test.path.endsWith(end))) return 1;
  return SLOW_PROJECTS.has(test.context.config.displayName?.name) ? 2 : 3;
}

export default class SlowFirstSequencer extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    if (sorted.some((t) => t.duration != null)) return sorted;
    // Array.prototype.sort is stable: the file-size order holds within a rank.
    return [...sorted].sort((a, b) => rank(a) - rank(b));
  }
}
