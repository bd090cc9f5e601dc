/**
 * The first pick in a fresh process: `backport-assistant pick … --dry-run --json` on the
 * generated repository, a process per pick, with bare node's start (`node -e 0`) timed right
 * after each pick in the same environment, so that both see the same load. The difference is
 * what the CLI's own code costs; the target is judged on the whole figure.
 *
 * When NODE_EXTRA_CA_CERTS is set, node parses that bundle at every start, before any of the
 * CLI's code runs (with the 144-certificate system bundle, about 5 times the instructions of a
 * bare start), so the same runs are made again with it unset, and both are reported.
 *
 * The CLI keeps V8's code cache for its files (src/cli/compile-cache.ts), here in the run's own
 * directory: the first pick writes it, the others use it, as a person's picks after their
 * first do. The same runs are made a last time with it off, for what a first run costs.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseCases, type PickCase } from '../engine/choose-cases.js';
import { runWithPeakRss } from '../engine/gnu-time.js';
import { timeOursCold } from '../engine/time-ours-cold.js';
import { git } from '../run-command.js';
import type { FreshPickRuns, FreshPicks } from './app-results.js';

const ROUNDS = 2;

export async function timeFreshPicks(repoDir: string, count: number): Promise<FreshPicks> {
  const runDir = mkdtempSync(join(tmpdir(), 'bpa-bench-fresh-'));
  try {
    const clone = join(runDir, 'repo.git');
    git(runDir, 'clone', '-q', '--bare', '--local', repoDir, clone);
    const cases = chooseCases(clone, count);
    const given = await timeSetting(clone, cases, runDir, process.env);
    if (!given.ok) return { error: given.error, ms: [], nodeMs: [], peakRssKb: [], loadavg: [] };
    const fresh: FreshPicks = { ...given.runs, peakRssKb: given.peakRssKb, verdicts: given.verdicts };
    const certs = process.env.NODE_EXTRA_CA_CERTS;
    if (certs) {
      fresh.extraCaCerts = { file: certs, certificates: countCertificates(certs) };
      const env = { ...process.env };
      delete env.NODE_EXTRA_CA_CERTS;
      const unset = await timeSetting(clone, cases, runDir, env);
      if (unset.ok) fresh.withoutExtraCaCerts = unset.runs;
    }
    const uncached = await timeSetting(clone, cases, runDir, {
      ...process.env,
      BACKPORT_DISABLE_COMPILE_CACHE: '1',
    });
    if (uncached.ok) fresh.withoutCompileCache = uncached.runs;
    return fresh;
  } finally {
    rmSync(runDir, { recursive: true, force: true });
  }
}

type Setting =
  { ok: true; runs: FreshPickRuns; peakRssKb: number[]; verdicts: string[] } | { ok: false; error: string };

/** Every case, ROUNDS times, each pick followed by a `node -e 0` in the same environment. */
async function timeSetting(
  clone: string,
  cases: PickCase[],
  runDir: string,
  env: NodeJS.ProcessEnv,
): Promise<Setting> {
  const nodeMs: number[] = [];
  const bareNode = () => {
    nodeMs.push(runWithPeakRss(process.execPath, ['-e', '0'], runDir, join(runDir, 'node-rss.txt'), env).ms);
  };
  const cold = await timeOursCold(clone, cases, ROUNDS, runDir, env, bareNode);
  if (!cold.ok) return { ok: false, error: cold.error };
  return {
    ok: true,
    runs: { ms: cold.picks.flatMap((p) => p.ms), nodeMs, loadavg: loadavg() },
    peakRssKb: cold.picks.flatMap((p) => p.peakRssKb),
    verdicts: cold.picks.map((p) => p.verdict.status),
  };
}

function countCertificates(file: string): number | undefined {
  try {
    return readFileSync(file, 'latin1').split('-----BEGIN CERTIFICATE-----').length - 1;
  } catch {
    // Unreadable: node warns and goes on without it.
    return undefined;
  }
}
