/**
 * The benchmark repository with a short history: the same `main` and `release` tips (same
 * trees, so the same files and bytes at every tip the app reads) but only the last
 * SHORT_HISTORY commits of main. Everything older is folded into one root commit carrying
 * the tree it had reached; release is replayed on a root holding its fork point's tree.
 * Packed the same way as the full one (`repack -adf`, packed refs, commit-graph), so the
 * only difference the app can see is how much history lies behind the tips.
 * Cached in `.cache/bench/repo-short.git`, rebuilt when the full repository's tips change.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchCacheDir } from '../bench-paths.js';
import { git, runCommand } from '../run-command.js';
import { repoStats, type RepoStats } from '../engine/ensure-bench-repo.js';

export const SHORT_HISTORY = 100;
const VERSION = 1;

interface Meta {
  version: number;
  main: string;
  release: string;
  history: number;
}

interface CommitMeta {
  tree: string;
  message: string;
  env: NodeJS.ProcessEnv;
}

export function ensureShortHistoryRepo(fullDir: string): {
  dir: string;
  stats: RepoStats;
  builtNow: boolean;
} {
  const dir = join(benchCacheDir, 'repo-short.git');
  const metaPath = join(benchCacheDir, 'repo-short.json');
  const want: Meta = {
    version: VERSION,
    main: git(fullDir, 'rev-parse', 'main'),
    release: git(fullDir, 'rev-parse', 'release'),
    history: SHORT_HISTORY,
  };
  const have = existsSync(metaPath) ? (JSON.parse(readFileSync(metaPath, 'utf8')) as Meta) : undefined;
  if (existsSync(dir) && JSON.stringify(have) === JSON.stringify(want)) {
    return { dir, stats: repoStats(dir), builtNow: false };
  }
  console.log(`making the ${SHORT_HISTORY}-commit variant (once; cached in ${dir})…`);
  const tmp = `${dir}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
  // Hardlinked objects: cheap, and the repack below writes a pack of its own.
  git(benchCacheDir, 'clone', '-q', '--bare', '--local', fullDir, tmp);

  const mainChain = readCommits(tmp, ['-n', String(SHORT_HISTORY), 'main']);
  const newMain = replay(tmp, mainChain, undefined);
  const fork = git(tmp, 'merge-base', 'main', 'release');
  const forkTree = git(tmp, 'rev-parse', `${fork}^{tree}`);
  const releaseRoot = commitTree(tmp, {
    tree: forkTree,
    message: `The release fork point ${fork.slice(0, 10)}, its history folded into this commit\n`,
    env: readCommits(tmp, ['-n', '1', fork])[0]!.env,
  });
  const newRelease = replay(tmp, readCommits(tmp, [`${fork}..release`]), releaseRoot);
  git(tmp, 'update-ref', 'refs/heads/main', newMain);
  git(tmp, 'update-ref', 'refs/heads/release', newRelease);
  if (git(tmp, 'rev-parse', 'main^{tree}') !== git(fullDir, 'rev-parse', 'main^{tree}')) {
    throw new Error('the short-history main does not have the full repository tip tree');
  }
  git(tmp, 'reflog', 'expire', '--expire=now', '--all');
  const code = runCommand('git', ['repack', '-adf', '-q'], { cwd: tmp });
  if (code.status !== 0) throw new Error(`git repack failed: ${code.stderr.trim()}`);
  git(tmp, 'prune', '--expire=now');
  git(tmp, 'pack-refs', '--all');
  git(tmp, 'commit-graph', 'write', '--reachable');
  renameSync(tmp, dir);
  writeFileSync(metaPath, JSON.stringify(want, null, 2));
  return { dir, stats: repoStats(dir), builtNow: true };
}

/** Commits (oldest first) with their trees, messages and identities, to write again. */
function readCommits(dir: string, range: string[]): CommitMeta[] {
  const format = ['%T', '%an', '%ae', '%ad', '%cn', '%ce', '%cd', '%B'].join('%x00') + '%x1e';
  const out = runCommand('git', ['log', '--reverse', '--date=raw', `--format=${format}`, ...range], {
    cwd: dir,
  });
  if (out.status !== 0) throw new Error(`git log failed: ${out.stderr.trim()}`);
  return out.stdout
    .split('\x1e')
    .map((r) => r.replace(/^\n/, ''))
    .filter((r) => r.length > 0)
    .map((record) => {
      const [tree, an, ae, ad, cn, ce, cd, message] = record.split('\x00') as string[];
      return {
        tree: tree!,
        message: message!,
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: an,
          GIT_AUTHOR_EMAIL: ae,
          GIT_AUTHOR_DATE: ad,
          GIT_COMMITTER_NAME: cn,
          GIT_COMMITTER_EMAIL: ce,
          GIT_COMMITTER_DATE: cd,
        },
      };
    });
}

/** Writes the commits again in order on `parent` (none: the first becomes a root); returns the tip. */
function replay(dir: string, commits: CommitMeta[], parent: string | undefined): string {
  let tip = parent;
  for (const c of commits) tip = commitTree(dir, c, tip);
  if (!tip) throw new Error('nothing to replay');
  return tip;
}

function commitTree(dir: string, c: CommitMeta, parent?: string): string {
  const args = ['commit-tree', c.tree, ...(parent ? ['-p', parent] : []), '-F', '-'];
  const out = runCommand('git', args, { cwd: dir, input: c.message, env: c.env });
  if (out.status !== 0) throw new Error(`git commit-tree failed: ${out.stderr.trim()}`);
  return out.stdout.trim();
}
