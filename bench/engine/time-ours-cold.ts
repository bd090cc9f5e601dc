/**
 * The cold measurement: one `backport-assistant pick … --dry-run --json` process per pick, as
 * a person or a script runs it, timed from spawn to exit.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../bench-paths.js';
import { runInherited } from '../run-command.js';
import type { PickCase } from './choose-cases.js';
import { runWithPeakRss } from './gnu-time.js';
import { verdictOf, type PickVerdict } from './pick-verdict.js';

// The package's bin: the bundled CLI `npm run build` writes (scripts/bundle-cli.mjs).
const CLI = join(projectRoot, 'lib', 'bin', 'backport-assistant.cjs');

export interface ColdPick {
  sha: string;
  ms: number[];
  verdict: PickVerdict;
  peakRssKb: number[];
}

export type ColdOutput = { ok: true; picks: ColdPick[]; buildNote?: string } | { ok: false; error: string };

/** Builds `lib/` when any source is newer than the bundled CLI (or it is missing). */
export async function ensureBuilt(): Promise<{ ok: boolean; note?: string }> {
  if (!existsSync(join(projectRoot, 'src', 'cli', 'main.ts'))) {
    return { ok: false, note: 'the CLI is not there yet (missing src/cli/main.ts)' };
  }
  const built = existsSync(CLI) ? statSync(CLI).mtimeMs : 0;
  if (built >= newestMtime(join(projectRoot, 'src'))) return { ok: true };
  console.log('  lib/ is stale: npm run build');
  const code = await runInherited('npm', ['run', '--silent', 'build'], projectRoot);
  if (code === 0) return { ok: true };
  // tsc still emits when other files have type errors; measure what was built, and say so.
  return existsSync(CLI)
    ? { ok: true, note: `npm run build exited ${code}; measured the JavaScript it emitted anyway` }
    : { ok: false, note: `npm run build exited ${code} and lib/bin/backport-assistant.cjs is missing` };
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export async function timeOursCold(
  repoDir: string,
  cases: PickCase[],
  rounds: number,
  workDir: string,
  /** The CLI's environment (this process's by default). */
  env?: NodeJS.ProcessEnv,
  /** Run after each pick's process (a reference measurement that should see the same load). */
  afterEach?: () => void,
): Promise<ColdOutput> {
  const build = await ensureBuilt();
  if (!build.ok) return { ok: false, error: build.note ?? 'build failed' };
  // The CLI's compile cache (see src/cli/compile-cache.ts) in the run's own directory: made
  // by the first pick, used by the rest, and none of the user's read or written.
  const cliEnv = { ...(env ?? process.env), BACKPORT_COMPILE_CACHE: join(workDir, 'compile-cache') };
  const picks: ColdPick[] = cases.map((c) => ({
    sha: c.sha,
    ms: [],
    peakRssKb: [],
    verdict: { status: 'error', detail: 'not run' },
  }));
  for (let round = 0; round < rounds; round++) {
    for (const pick of picks) {
      const args = [CLI, 'pick', pick.sha, '--onto', 'release', '--repo', repoDir, '--dry-run', '--json'];
      const run = runWithPeakRss(process.execPath, args, projectRoot, join(workDir, 'cold-rss.txt'), cliEnv);
      pick.ms.push(run.ms);
      if (run.peakRssKb !== undefined) pick.peakRssKb.push(run.peakRssKb);
      afterEach?.();
      if (round > 0) continue;
      if (run.status === 0 || run.status === 1) {
        try {
          pick.verdict = verdictOf(JSON.parse(run.stdout));
        } catch {
          pick.verdict = { status: 'error', detail: `not JSON: ${run.stdout.slice(0, 200)}` };
        }
        // The CLI's contract: exit 0 when applied, 1 on conflict.
        if (pick.verdict.status !== 'error' && (run.status === 0) !== (pick.verdict.status === 'applied')) {
          pick.verdict = {
            status: 'error',
            detail: `exit ${run.status} but the JSON says ${pick.verdict.status}`,
          };
        }
      } else {
        pick.verdict = { status: 'error', detail: `exit ${run.status}: ${run.stderr.trim().slice(0, 300)}` };
      }
    }
  }
  return { ok: true, picks, buildNote: build.note };
}
