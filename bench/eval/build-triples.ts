/**
 * Real backports as (upstream commit, target, human result) triples, read from release
 * branches whose commits carry git's `(cherry picked from commit …)` trailer:
 * 1. list the branches (globs, default every branch but the default one);
 * 2. per branch, the commits not on the default branch whose message has exactly one trailer
 *    and that have one parent (the target is that parent, the human result their tree);
 * 3. keep those whose upstream commit is in the repository (a merge only with a mainline),
 *    once per (upstream commit, branch).
 */
import { git } from '../run-command.js';

export interface Triple {
  /** The release branch the human backport is on. */
  branch: string;
  /** The upstream commit that was picked. */
  upstream: string;
  /** The parent of the human's backport commit: what the pick was applied onto. */
  target: string;
  /** The human's backport commit and its tree. */
  human: string;
  humanTree: string;
  /** For an upstream merge: the parent (1-based) the change is taken against. */
  mainline?: number;
}

export interface TripleOptions {
  branches: string[];
  mainline?: number;
}

export interface TripleListing {
  triples: Triple[];
  /** Why commits with a trailer were left out, counted. */
  skipped: Record<string, number>;
}

const TRAILER = /\(cherry picked from commit ([0-9a-f]{7,40})\)/g;

export function buildTriples(gitdir: string, options: TripleOptions): TripleListing {
  const main = git(gitdir, 'symbolic-ref', '--short', 'HEAD');
  const branches = listBranches(gitdir, options.branches, main);
  const skipped: Record<string, number> = {};
  const skip = (why: string) => (skipped[why] = (skipped[why] ?? 0) + 1);
  const seen = new Set<string>();
  const triples: Triple[] = [];
  for (const branch of branches) {
    const log = git(
      gitdir,
      'log',
      '--format=%H%x00%P%x00%T%x00%B%x1e',
      `${main}..${branch}`,
      '--grep',
      'cherry picked from commit',
    );
    for (const record of log.split('\x1e')) {
      const [human, parents, humanTree, body] = record.trim().split('\0');
      if (!human || !parents || !humanTree || body === undefined) continue;
      const sources = [...new Set([...body.matchAll(TRAILER)].map((m) => m[1]!))];
      if (sources.length !== 1) {
        skip('several trailers');
        continue;
      }
      if (parents.split(' ').length !== 1) {
        skip('backport is a merge');
        continue;
      }
      const upstream = commitId(gitdir, sources[0]!);
      if (!upstream) {
        skip('upstream commit not in the repository');
        continue;
      }
      const key = `${upstream} ${branch}`;
      if (seen.has(key) || seen.has(human)) {
        skip('duplicate');
        continue;
      }
      seen.add(key).add(human);
      const upstreamParents = git(gitdir, 'rev-list', '--parents', '-n', '1', upstream).split(' ').length - 1;
      if (upstreamParents === 0) {
        skip('upstream is a root commit');
        continue;
      }
      if (upstreamParents > 1 && options.mainline === undefined) {
        skip('upstream is a merge (pass --mainline)');
        continue;
      }
      const mainline = upstreamParents > 1 ? options.mainline : undefined;
      triples.push({ branch, upstream, target: parents, human, humanTree, mainline });
    }
  }
  return { triples, skipped };
}

function listBranches(gitdir: string, globs: string[], main: string): string[] {
  const patterns = globs.length > 0 ? globs.map((g) => `refs/heads/${g}`) : ['refs/heads/'];
  const out = git(gitdir, 'for-each-ref', '--format=%(refname:short)', ...patterns);
  return out.split('\n').filter((b) => b !== '' && b !== main);
}

function commitId(gitdir: string, rev: string): string | undefined {
  try {
    return git(gitdir, 'rev-parse', '--verify', '--quiet', `${rev}^{commit}`);
  } catch {
    return undefined;
  }
}

/** Every n-th triple, so a limited run still spans the branches and the years. */
export function spread<T>(items: T[], limit: number | undefined): T[] {
  if (limit === undefined || items.length <= limit) return items;
  const step = items.length / limit;
  return Array.from({ length: limit }, (_, i) => items[Math.floor(i * step)]!);
}
