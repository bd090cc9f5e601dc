/** The figures one engine benchmark run produces, as written to engine-results.json. */
import type { PickCase } from './choose-cases.js';
import type { ReadCounts } from './counting-store.js';
import type { RepoStats } from './ensure-bench-repo.js';
import type { PickVerdict } from './pick-verdict.js';
import type { Summary } from './summarize.js';

export interface CaseResult extends PickCase {
  git: PickVerdict;
  oursWarm?: PickVerdict;
  oursCold?: PickVerdict;
  /** What our first warm pick of it read from the object store. */
  oursReads?: ReadCounts;
  ms: {
    gitCherryPick: number[];
    gitMergeTree: number[];
    gitMergeTreeWrite: number[];
    oursWarm: number[];
    oursCold: number[];
  };
}

export interface Target {
  label: string;
  /** Undefined when it could not be measured. */
  met?: boolean;
  value?: string;
}

export interface EngineResults {
  createdAt: string;
  machine: { cpus: number; loadavg: number[]; node: string; git: string };
  repo: RepoStats & { generatedSeconds?: { importSeconds: number; repackSeconds: number; now: boolean } };
  options: { cases: number; rounds: number; coldRounds: number };
  ours: {
    /** Why a part could not be measured. */
    warmError?: string;
    coldError?: string;
    buildNote?: string;
    openMs?: number;
    resolveMs?: number;
  };
  summary: {
    oursWarm?: Summary;
    oursWarmFirstRound?: Summary;
    oursCold?: Summary;
    gitCherryPick?: Summary;
    gitMergeTree?: Summary;
    gitMergeTreeWrite?: Summary;
    /** Median ours-warm (first round: each commit's first pick) over median git cherry-pick. */
    warmToGit?: number;
    /** The same with every round, later ones served mostly from the store's caches. */
    warmAllRoundsToGit?: number;
  };
  memoryMb: { oursWarm?: number; oursColdMax?: number; oursColdMedian?: number; gitCherryPickMax?: number };
  targets: Target[];
  agreement: { compared: number; cleanTreesCompared: number; disagreements: string[]; notes: string[] };
  cases: CaseResult[];
}
