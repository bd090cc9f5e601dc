/**
 * `npm run bench [-- <name> [options]]`: runs the named sub-benchmark, or all of them in turn.
 * Each sub-benchmark owns its options; this file only dispatches.
 */
import { benchmarks } from './benchmarks.js';

async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  const names = Object.keys(benchmarks);
  if (first === '--help' || first === '-h') {
    console.log(`usage: npm run bench [-- <${names.join('|')}> [options]]`);
    return 0;
  }
  const selected = first === undefined || first.startsWith('-') ? names : [first];
  const options = first === undefined || first.startsWith('-') ? argv : rest;
  let exitCode = 0;
  for (const name of selected) {
    const bench = benchmarks[name];
    if (!bench) {
      console.error(`unknown benchmark "${name}" (known: ${names.join(', ')})`);
      return 2;
    }
    console.log(`\n=== bench: ${name} ===`);
    try {
      exitCode = Math.max(exitCode, await bench(options));
    } catch (err) {
      // Bad options and missing tools end up here: one line, not a stack.
      console.error(`bench ${name} failed: ${err instanceof Error ? err.message : String(err)}`);
      exitCode = 2;
    }
  }
  return exitCode;
}

process.exitCode = await main(process.argv.slice(2));
