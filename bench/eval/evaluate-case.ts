/**
 * One real backport through our engine: the pick, and when it conflicts the choices and
 * the prerequisites (timed together, as a conflict answer computes them), then what the
 * human did measured against them.
 */
import { cherryPick } from '../../src/pick/cherry-pick.js';
import { TreeReader } from '../../src/pick/tree-reader.js';
import type { ConflictResult } from '../../src/pick/types.js';
import type { GitObjectStore } from '../../src/repo/storage/git-object-store.js';
import { conflictChoices } from '../../src/resolve/index.js';
import { planChoices } from '../../src/resolve/plan-choices.js';
import { findPrerequisites } from '../../src/resolve/prerequisites/find-prerequisites.js';
import type { Triple } from './build-triples.js';
import { fileVerdict, type FileVerdict } from './file-reachability.js';
import type { GitVerdict } from './git-verdict.js';

export interface CaseResult {
  triple: Triple;
  git: GitVerdict['status'];
  ours: 'applied' | 'conflict' | 'error';
  /** Both applied, to different trees. */
  treeDiffers?: boolean;
  error?: string;
  conflict?: ConflictDetail;
}

export interface ConflictDetail {
  files: FileVerdict[];
  /** The human changed a path that is neither conflicted nor merged the same way. */
  cleanPathsDiffer: string[];
  decisions: number;
  prerequisites: {
    clean: boolean;
    commits: string[];
    tried: number;
    truncated?: string;
    /** When not clean: why not. */
    blocked?: string;
    /** For a clean answer: whether git's own cherry-picks of the same commits apply too. */
    gitAgrees?: boolean;
  };
  /** Milliseconds for the choices plus the prerequisites. */
  ms: number;
}

export async function evaluateCase(
  store: GitObjectStore,
  triple: Triple,
  git: GitVerdict,
): Promise<CaseResult> {
  const base = { triple, git: git.status };
  try {
    const pick = await cherryPick(store, {
      commits: [triple.upstream],
      onto: triple.target,
      mainline: triple.mainline,
    });
    if (pick.status === 'applied') {
      return { ...base, ours: 'applied', treeDiffers: git.status === 'applied' && git.tree !== pick.tree };
    }
    if (git.status === 'applied') return { ...base, ours: 'conflict' };
    return { ...base, ours: 'conflict', conflict: await measureConflict(store, triple, pick) };
  } catch (err) {
    return { ...base, ours: 'error', error: err instanceof Error ? err.message : String(err) };
  } finally {
    store.discard();
  }
}

async function measureConflict(
  store: GitObjectStore,
  triple: Triple,
  pick: ConflictResult,
): Promise<ConflictDetail> {
  const started = performance.now();
  const decisions = await conflictChoices(store, pick);
  const prerequisites = await findPrerequisites(store, {
    commit: triple.upstream,
    onto: triple.target,
    conflict: pick,
    mainline: triple.mainline,
  });
  const ms = performance.now() - started;
  const trees = new TreeReader(store);
  const plan = await planChoices(store, pick);
  const files: FileVerdict[] = [];
  for (const file of plan.files) files.push(await fileVerdict(store, trees, triple.humanTree, file));
  const conflicted = new Set(files.flatMap((f) => f.paths));
  for (const c of pick.conflicts)
    for (const p of [c.path, ...Object.values(c.paths)]) conflicted.add(latin1(p));
  const cleanPathsDiffer = (await trees.diff(pick.markerTree, triple.humanTree))
    .map((d) => d.path)
    .filter((p) => !conflicted.has(p));
  return {
    files,
    cleanPathsDiffer,
    decisions: decisions.length,
    prerequisites: {
      clean: prerequisites.clean,
      commits: prerequisites.commits,
      tried: prerequisites.tried.length,
      truncated: prerequisites.truncated,
      blocked: prerequisites.blocked?.reason,
    },
    ms,
  };
}

/** Conflict paths are display text (UTF-8); tree paths are latin1, one char per byte. */
function latin1(display: string): string {
  return Buffer.from(display, 'utf8').toString('latin1');
}
