/**
 * `npm run bench -- engine [--cases N] [--rounds N] [--cold-rounds N] [--profile] [--verbose]`
 *   1. make (once) or reuse the generated repository, and choose the picks;
 *   2. clone it twice for this run (hardlinked objects): a bare one for us, a worktree for git;
 *   3. time native git, then ours warm (one process), then ours cold (a process per pick);
 *   4. check our verdicts and trees against git's, print the table, write engine-results.json.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchCacheDir } from '../bench-paths.js';
import { git } from '../run-command.js';
import { checkAgreement } from './check-agreement.js';
import { chooseCases } from './choose-cases.js';
import type { CaseResult, EngineResults, Target } from './engine-results.js';
import { ensureBenchRepo } from './ensure-bench-repo.js';
import { haveGnuTime } from './gnu-time.js';
import { printEngineTable } from './print-engine-table.js';
import { summarize } from './summarize.js';
import { summarizeCpuProfile } from './summarize-cpu-profile.js';
import { prepareNativeClone, timeNativeGit } from './time-native-git.js';
import { timeOursCold } from './time-ours-cold.js';
import { timeOursWarm } from './time-ours-warm.js';

const WARM_VS_GIT = 2;
const COLD_LIMIT_MS = 1500;
const MEMORY_LIMIT_MB = 300;

export async function runEngineBench(argv: string[]): Promise<number> {
  const { options, profile, verbose } = parseEngineOptions(argv);
  if (!haveGnuTime())
    console.log('note: /usr/bin/time is missing (apt-get install time): no peak RSS for cold picks');

  const repo = await ensureBenchRepo();
  const cases = chooseCases(repo.dir, options.cases);
  const runDir = join(benchCacheDir, 'run');
  rmSync(runDir, { recursive: true, force: true });
  mkdirSync(runDir, { recursive: true });
  const oursDir = join(runDir, 'ours.git');
  const nativeDir = join(runDir, 'native');
  console.log(`preparing this run's clones in ${runDir}…`);
  git(runDir, 'clone', '-q', '--bare', '--local', repo.dir, oursDir);
  prepareNativeClone(repo.dir, nativeDir);

  console.log(`timing native git (${cases.length} picks × ${options.rounds} rounds)…`);
  const native = timeNativeGit(nativeDir, cases, options.rounds);

  console.log(`timing ours, warm (${cases.length} picks × ${options.rounds} rounds in one process)…`);
  const profileDir = profile ? join(benchCacheDir, 'profiles') : undefined;
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });
  const warm = timeOursWarm(
    { repoDir: oursDir, onto: 'release', shas: cases.map((c) => c.sha), rounds: options.rounds },
    runDir,
    profileDir,
  );

  console.log(`timing ours, cold (${cases.length} processes × ${options.coldRounds} rounds)…`);
  const cold = await timeOursCold(oursDir, cases, options.coldRounds, runDir);

  const caseResults = joinCases(cases, native, warm, cold);
  const { summary, memoryMb, targets } = summarizeRun(caseResults, native, warm, cold);
  const results: EngineResults = {
    createdAt: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      loadavg: loadavg(),
      node: process.version,
      git: git(runDir, '--version'),
    },
    repo: { ...repo.stats, generatedSeconds: repo.generated },
    options,
    ours: {
      warmError: warm.ok ? undefined : `ours warm not measured: ${warm.error}`,
      coldError: cold.ok ? undefined : `ours cold not measured: ${cold.error}`,
      buildNote: cold.ok ? cold.buildNote : undefined,
      openMs: warm.ok ? warm.openMs : undefined,
      resolveMs: warm.ok ? warm.resolveMs : undefined,
    },
    summary,
    memoryMb,
    targets,
    agreement: checkAgreement(caseResults),
    cases: caseResults,
  };
  printEngineTable(results, verbose);
  if (profileDir) printProfile(profileDir);
  const out = join(benchCacheDir, 'engine-results.json');
  writeFileSync(out, JSON.stringify(results, null, 2));
  console.log(`\nfigures written to ${out}`);
  return warm.ok && cold.ok && results.agreement.disagreements.length === 0 ? 0 : 1;
}

/** The command line, checked: counts must be positive whole numbers. */
function parseEngineOptions(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      cases: { type: 'string', default: '30' },
      rounds: { type: 'string', default: '3' },
      'cold-rounds': { type: 'string', default: '1' },
      profile: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
    },
  });
  const count = (name: string, text: string) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1)
      throw new Error(`--${name} needs a positive whole number, not "${text}"`);
    return n;
  };
  const options = {
    cases: count('cases', values.cases),
    rounds: count('rounds', values.rounds),
    coldRounds: count('cold-rounds', values['cold-rounds']),
  };
  return { options, profile: values.profile, verbose: values.verbose };
}

type Native = ReturnType<typeof timeNativeGit>;
type Warm = ReturnType<typeof timeOursWarm>;
type Cold = Awaited<ReturnType<typeof timeOursCold>>;

/** Each case with git's verdict and every timing taken of it. */
function joinCases(
  cases: ReturnType<typeof chooseCases>,
  native: Native,
  warm: Warm,
  cold: Cold,
): CaseResult[] {
  return cases.map((c, i) => {
    const t = native.timings.get(c.sha);
    const w = warm.ok ? warm.picks[i] : undefined;
    const k = cold.ok ? cold.picks[i] : undefined;
    return {
      ...c,
      git: native.verdicts.get(c.sha) ?? { status: 'error', detail: 'not run' },
      oursWarm: w?.verdict,
      oursCold: k?.verdict,
      oursReads: w?.reads,
      ms: {
        gitCherryPick: t?.cherryPick ?? [],
        gitMergeTree: t?.mergeTree ?? [],
        gitMergeTreeWrite: t?.mergeTreeWrite ?? [],
        oursWarm: w?.ms ?? [],
        oursCold: k?.ms ?? [],
      },
    };
  });
}

/** Medians and percentiles, peak memory, and each target with whether it was met. */
function summarizeRun(caseResults: CaseResult[], native: Native, warm: Warm, cold: Cold) {
  const all = (pick: (c: CaseResult) => number[]) => caseResults.flatMap(pick);
  const summary: EngineResults['summary'] = {
    oursWarm: summarize(all((c) => c.ms.oursWarm)),
    oursWarmFirstRound: summarize(all((c) => c.ms.oursWarm.slice(0, 1))),
    oursCold: summarize(all((c) => c.ms.oursCold)),
    gitCherryPick: summarize(all((c) => c.ms.gitCherryPick)),
    gitMergeTree: summarize(all((c) => c.ms.gitMergeTree)),
    gitMergeTreeWrite: summarize(all((c) => c.ms.gitMergeTreeWrite)),
  };
  if (summary.oursWarmFirstRound && summary.gitCherryPick) {
    summary.warmToGit = summary.oursWarmFirstRound.median / summary.gitCherryPick.median;
  }
  if (summary.oursWarm && summary.gitCherryPick) {
    summary.warmAllRoundsToGit = summary.oursWarm.median / summary.gitCherryPick.median;
  }
  const coldRss = cold.ok ? summarize(cold.picks.flatMap((p) => p.peakRssKb)) : undefined;
  const toMb = (kb: number | undefined) => (kb === undefined ? undefined : (kb * 1024) / 1e6);
  const memoryMb: EngineResults['memoryMb'] = {
    oursWarm: toMb(warm.ok ? warm.peakRssKb : undefined),
    oursColdMax: toMb(coldRss?.max),
    oursColdMedian: toMb(coldRss?.median),
    gitCherryPickMax: toMb(native.peakRssKb),
  };
  const peaks = [memoryMb.oursWarm, memoryMb.oursColdMax].filter((v): v is number => v !== undefined);
  const targets: Target[] = [
    {
      // The first round: later rounds re-pick the same commits and mostly hit the store's
      // caches, which a server picking new commits would not.
      label: `warm median (first round) within ${WARM_VS_GIT}× of native git cherry-pick`,
      met: summary.warmToGit === undefined ? undefined : summary.warmToGit <= WARM_VS_GIT,
      value: summary.warmToGit === undefined ? undefined : `${summary.warmToGit.toFixed(2)}×`,
    },
    {
      label: `cold pick under ${COLD_LIMIT_MS / 1000} s (p90)`,
      met: summary.oursCold ? summary.oursCold.p90 < COLD_LIMIT_MS : undefined,
      value: summary.oursCold ? `p90 ${(summary.oursCold.p90 / 1000).toFixed(2)} s` : undefined,
    },
    {
      label: `peak memory under ${MEMORY_LIMIT_MB} MB (warm and every cold process)`,
      met: peaks.length === 2 ? Math.max(...peaks) < MEMORY_LIMIT_MB : undefined,
      value: peaks.length > 0 ? `${Math.max(...peaks).toFixed(0)} MB` : undefined,
    },
  ];
  return { summary, memoryMb, targets };
}

function printProfile(dir: string): void {
  // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile: thread 0 is the main thread (the
  // others are tsx's loader).
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile') && f.split('.')[4] === '0');
  for (const file of files) {
    const p = summarizeCpuProfile(join(dir, file));
    console.log(
      `\nCPU profile of the warm process (${join(dir, file)}), ${(p.totalMs / 1000).toFixed(1)} s sampled`,
    );
    console.log('  self time by area:');
    for (const a of p.byArea.slice(0, 12)) console.log(`    ${a.ms.toFixed(0).padStart(7)} ms  ${a.name}`);
    console.log('  hottest functions (self time):');
    for (const f of p.hottest) console.log(`    ${f.ms.toFixed(0).padStart(7)} ms  ${f.name}`);
  }
}
