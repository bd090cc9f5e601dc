/**
 * `npx tsx bench/engine/real-picks.ts --repo <bare clone> [--limit N] [--out verdicts.jsonl]
 *   [--slowest N] [--cases file] [--spawned N]`
 *
 * The engine's time per pick on real backports next to git's in-process merge on the same
 * cases, interleaved (see real-history.ts); `npm run bench -- real` runs the same. `--out`
 * keeps each verdict (status and tree, or conflicted paths) so two runs can be compared with
 * `cmp`; `--cases` re-runs chosen `<upstream> <target>` lines, e.g. under
 * `node --import tsx --cpu-prof` to profile them.
 */
import { runRealBench } from './run-real-bench.js';

process.exitCode = await runRealBench(process.argv.slice(2));
