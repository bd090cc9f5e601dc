/**
 * `npm run demo -- [--repo <path> [--commit <rev>]] [--to <branch>]... [--state-dir <dir>] [--json] [--serve]`:
 * the app end to end against the simulated GitHub, offline. Errors are one line and exit 2.
 */
import { isBackportError } from '../src/errors.js';
import { DEMO_USAGE, parseDemoArgs } from './demo/demo-args.js';
import { printDemo } from './demo/print-demo.js';
import { runDemo } from './demo/run-demo.js';

async function main(argv: string[]): Promise<number> {
  try {
    const args = parseDemoArgs(argv);
    if (args.help) {
      console.log(DEMO_USAGE);
      return 0;
    }
    const run = await runDemo(args);
    if (args.json) console.log(JSON.stringify(run.report));
    else printDemo(run);
    for (const p of args.json ? run.problems : []) console.error(`demo: ${p}`);
    if (run.stop) await serveUntilInterrupted(run.dashboardUrl, run.stop);
    return 0;
  } catch (err) {
    // Our own errors are one sentence for a person; anything else is still one line, not a stack.
    const message = isBackportError(err) ? err.message : err instanceof Error ? err.message : String(err);
    console.error(`demo: ${message.split('\n')[0]}`);
    return 2;
  }
}

/** Keeps the app (and its dashboard) up until Ctrl-C, then stops everything and exits. */
async function serveUntilInterrupted(url: string | undefined, stop: () => Promise<void>): Promise<void> {
  console.error(`\nDashboard: ${url ?? '(none)'}\nThe app keeps running; press Ctrl-C to stop.`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await stop();
}

process.exitCode = await main(process.argv.slice(2));
