/**
 * A rebase merge without a process per commit, for the common case where the base branch has
 * not moved since the pull request branched (its tree is the tree the first commit was made
 * on). Then every cherry-pick is a three-way merge whose "ours" side changed nothing, so each
 * replayed commit has its original's tree: only the parent and the committer change. That is
 * computed here and written with one `git hash-object`, where cherry-picking in a worktree
 * cost three processes per commit (a 252-commit pull request: over 750). The commits are
 * byte for byte those `git cherry-pick` writes (test/github-sim/commit-series.test.ts
 * compares the two); anything this does not reproduce exactly goes the cherry-pick way.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runGit } from './git.js';

interface RawCommit {
  tree: string;
  parents: string[];
  author: string;
  message: string;
  /** Headers other than tree, parent, author and committer (encoding, gpgsig, ...). */
  other: number;
}

function parseRaw(raw: string): RawCommit {
  const split = raw.indexOf('\n\n');
  const c: RawCommit = { tree: '', parents: [], author: '', message: raw.slice(split + 2), other: 0 };
  for (const line of raw.slice(0, split).split('\n')) {
    const space = line.indexOf(' ');
    const [key, value] = [line.slice(0, space), line.slice(space + 1)];
    if (key === 'tree') c.tree = value;
    else if (key === 'parent') c.parents.push(value);
    else if (key === 'author') c.author = value;
    else if (key !== 'committer') c.other++;
  }
  return c;
}

/** Raw objects of `revs`, in order, from one `git cat-file --batch`; null if any is not plain text. */
async function readRaw(repoPath: string, revs: string[]): Promise<string[] | null> {
  const r = await runGit(repoPath, ['cat-file', '--batch'], { input: revs.join('\n') + '\n' });
  // Sizes count bytes: a message that is not UTF-8 would not survive as a string.
  if (r.stdout.includes('\uFFFD')) return null;
  const out = Buffer.from(r.stdout, 'utf8');
  const raws: string[] = [];
  let at = 0;
  for (let i = 0; i < revs.length; i++) {
    const eol = out.indexOf(10, at);
    const [, type, size] = out.subarray(at, eol).toString('utf8').split(' ');
    if (type !== 'commit') return null;
    raws.push(out.subarray(eol + 1, eol + 1 + Number(size)).toString('utf8'));
    at = eol + 1 + Number(size) + 1;
  }
  return raws;
}

/**
 * Replays `commits` (oldest first, a chain) on `baseSha` as `git cherry-pick` would with
 * `committer` (a full ident line but for the time) and one time per commit from `nextTime`;
 * null when the base moved or a commit is one this cannot copy exactly.
 */
export async function replayOnUnmovedBase(
  repoPath: string,
  baseSha: string,
  commits: string[],
  committer: string,
  nextTime: () => number,
): Promise<string[] | null> {
  const raws = await readRaw(repoPath, [baseSha, `${commits[0]}^`, ...commits]);
  if (!raws) return null;
  const [base, forkPoint, ...originals] = raws.map(parseRaw) as [RawCommit, RawCommit, ...RawCommit[]];
  if (base.tree !== forkPoint.tree) return null;
  for (const [i, c] of originals.entries()) {
    if (c.parents.length !== 1 || c.other > 0) return null;
    if (i > 0 && c.parents[0] !== commits[i - 1]) return null;
    // cherry-pick drops blank lines before the message: leave that to it.
    if (c.message.startsWith('\n')) return null;
  }
  const tmp = mkdtempSync(join(tmpdir(), 'sim-replay-'));
  try {
    const shas: string[] = [];
    const files: string[] = [];
    let parent = baseSha;
    for (const c of originals) {
      const raw = Buffer.from(
        `tree ${c.tree}\nparent ${parent}\nauthor ${c.author}\n` +
          `committer ${committer} ${nextTime()} +0000\n\n${c.message}`,
        'utf8',
      );
      parent = createHash('sha1')
        .update(Buffer.concat([Buffer.from(`commit ${raw.length}\0`), raw]))
        .digest('hex');
      shas.push(parent);
      files.push(join(tmp, `${shas.length}`));
      writeFileSync(files[files.length - 1]!, raw);
    }
    const written = await runGit(repoPath, ['hash-object', '-t', 'commit', '-w', '--stdin-paths'], {
      input: files.join('\n') + '\n',
    });
    if (written.stdout.trim() !== shas.join('\n')) {
      throw new Error('mergePull: git named the replayed commits otherwise than computed');
    }
    return shas;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
