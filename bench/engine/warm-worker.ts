/**
 * The warm measurement, in a process of its own so its peak RSS is the engine's alone: open
 * the repository once, then pick every case `rounds` times, timing each pick.
 *
 * Usage: node --import tsx warm-worker.ts <input.json> <output.json>
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cherryPick } from '../../src/pick/cherry-pick.js';
import { openRepository } from '../../src/repo/open-repository.js';
import { countingStore, emptyCounts, type ReadCounts } from './counting-store.js';
import { verdictOf, type PickVerdict } from './pick-verdict.js';

export interface WarmInput {
  repoDir: string;
  onto: string;
  shas: string[];
  rounds: number;
}

export type WarmOutput =
  | {
      ok: true;
      openMs: number;
      resolveMs: number;
      /** Per pick: wall times by round, the first round's verdict and what it read. */
      picks: { sha: string; ms: number[]; verdict: PickVerdict; reads: ReadCounts }[];
      peakRssKb: number;
    }
  | { ok: false; error: string };

async function main(inputPath: string, outputPath: string): Promise<void> {
  const input = JSON.parse(readFileSync(inputPath, 'utf8')) as WarmInput;
  let output: WarmOutput;
  try {
    let started = performance.now();
    const repo = await openRepository(input.repoDir);
    const openMs = performance.now() - started;
    started = performance.now();
    const onto = await repo.resolveCommit(input.onto);
    const resolveMs = performance.now() - started;
    const picks = input.shas.map((sha) => ({
      sha,
      ms: [] as number[],
      verdict: undefined as PickVerdict | undefined,
      reads: emptyCounts(),
    }));
    let counting = emptyCounts();
    const store = countingStore(repo.store, () => counting);
    for (let round = 0; round < input.rounds; round++) {
      for (const pick of picks) {
        counting = round === 0 ? pick.reads : emptyCounts();
        started = performance.now();
        let verdict: PickVerdict;
        try {
          verdict = verdictOf(await cherryPick(store, { commits: [pick.sha], onto }));
        } catch (err) {
          verdict = { status: 'error', detail: err instanceof Error ? err.message : String(err) };
        }
        pick.ms.push(performance.now() - started);
        pick.verdict ??= verdict;
      }
    }
    output = {
      ok: true,
      openMs,
      resolveMs,
      picks: picks.map((p) => ({ ...p, verdict: p.verdict as PickVerdict })),
      peakRssKb: ownPeakRssKb(),
    };
  } catch (err) {
    output = {
      ok: false,
      error: err instanceof Error ? (err.stack ?? err.message) : String(err),
    };
  }
  writeFileSync(outputPath, JSON.stringify(output));
}

const [inputPath, outputPath] = process.argv.slice(2);
if (!inputPath || !outputPath) throw new Error('usage: warm-worker.ts <input.json> <output.json>');
await main(inputPath, outputPath);

/**
 * This process's peak resident set (VmHWM), in KiB. Not getrusage's maxRSS: on Linux that
 * also counts the spawning benchmark's RSS as it was at the fork. maxRSS without /proc.
 */
function ownPeakRssKb(): number {
  try {
    const kb = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (kb !== undefined) return Number(kb);
  } catch {
    // Not Linux.
  }
  return process.resourceUsage().maxRSS;
}
