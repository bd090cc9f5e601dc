/**
 * `npm run bench -- real --repo <bare clone> [--limit N] [--out file] [--slowest N]
 *   [--cases file] [--spawned N]`: the engine on real backports (see real-history.ts).
 * Without `--repo` there is nothing to measure: it says so and succeeds, so a plain
 * `npm run bench` still runs the other benchmarks.
 */
import { parseArgs } from 'node:util';
import { printRealHistory, runRealHistory } from './real-history.js';

export async function runRealBench(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      repo: { type: 'string' },
      limit: { type: 'string' },
      out: { type: 'string' },
      slowest: { type: 'string', default: '10' },
      cases: { type: 'string' },
      spawned: { type: 'string', default: '100' },
    },
  });
  if (!values.repo) {
    console.log(
      'skipped: give a bare clone with release branches and cherry-pick trailers, e.g. ' +
        '`npm run bench -- real --repo /path/to/runc.git` (see README, Benchmarks)',
    );
    return 0;
  }
  const run = await runRealHistory({
    repo: values.repo,
    limit: values.limit === undefined ? undefined : Number(values.limit),
    out: values.out,
    cases: values.cases,
    spawned: Number(values.spawned),
  });
  printRealHistory(run, Number(values.slowest));
  return 0;
}
