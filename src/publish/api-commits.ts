import { BackportError } from '../errors.js';
import { entryKind, type ObjectStore } from '../pick/object-store.js';
import { TreeReader } from '../pick/tree-reader.js';
import { gitHubStatus, type GitHubClient } from './github-client.js';

interface TreeEntryInput {
  path: string;
  mode: string;
  type: 'blob' | 'commit';
  sha: string | null;
}

/**
 * Writes commits made in the cache to a branch through the Git Database API instead of a push
 * (`commits: api`), so that GitHub signs them and they show as Verified: for each commit, one
 * blob per changed file, one tree on `base_tree`, one commit; then the ref. O(changed files)
 * calls. GitHub signs only commits with no custom author or committer, so the commits are the
 * app's, and the original author is credited with a `Co-authored-by:` trailer. Each tree GitHub
 * builds must be the tree made here, or nothing is published. Returns GitHub's head commit.
 * `stillOnBase`, when given, is awaited before the ref is moved: false (the target left
 * `base` meanwhile) leaves the ref as it was, and the answer is 'moved' (the objects written
 * are named by no ref).
 */
export async function writeCommitsThroughApi(
  gh: GitHubClient,
  store: ObjectStore,
  opts: {
    branch: string;
    base: string;
    commits: readonly string[];
    exists: boolean;
    stillOnBase?: Promise<boolean> | undefined;
  },
): Promise<string | 'moved'> {
  const reader = new TreeReader(store);
  let parent = opts.base;
  for (const oid of opts.commits) {
    const commit = await store.readCommit(oid);
    const before = (await store.readCommit(commit.parents[0]!)).tree;
    const tree = await writeTree(gh, store, reader, before, commit.tree);
    const made = await gh.write<{ sha: string }>(
      'POST /repos/{owner}/{repo}/git/commits',
      {
        message: withCoAuthor(commit.message, commit.author),
        tree,
        parents: [parent],
      },
      { idempotent: true },
    );
    parent = made.sha;
  }
  if (opts.stillOnBase && !(await opts.stillOnBase)) return 'moved';
  await moveBranch(gh, opts.branch, parent, opts.exists);
  return parent;
}

/** The tree of one commit, built on its parent's: only the changed paths are sent. */
async function writeTree(
  gh: GitHubClient,
  store: ObjectStore,
  reader: TreeReader,
  before: string,
  after: string,
): Promise<string> {
  const entries: TreeEntryInput[] = [];
  for (const change of await reader.diff(before, after)) {
    if (!change.b) {
      entries.push({ path: change.path, mode: change.a!.mode, type: 'blob', sha: null });
      continue;
    }
    const kind = entryKind(change.b.mode);
    if (kind === 'tree') throw mismatch(`${change.path} became a directory`);
    if (kind === 'gitlink') {
      entries.push({ path: change.path, mode: '160000', type: 'commit', sha: change.b.oid });
      continue;
    }
    const content = Buffer.from(await store.readBlob(change.b.oid)).toString('base64');
    const blob = await gh.write<{ sha: string }>(
      'POST /repos/{owner}/{repo}/git/blobs',
      { content, encoding: 'base64' },
      { idempotent: true },
    );
    if (blob.sha !== change.b.oid) throw mismatch(`GitHub stored ${change.path} as another blob`);
    entries.push({ path: change.path, mode: change.b.mode, type: 'blob', sha: blob.sha });
  }
  const tree = await gh.write<{ sha: string }>(
    'POST /repos/{owner}/{repo}/git/trees',
    { base_tree: before, tree: entries },
    { idempotent: true },
  );
  if (tree.sha !== after) throw mismatch(`GitHub built tree ${tree.sha}, not ${after}`);
  return tree.sha;
}

/** Creates or moves the branch (forced: it is the app's own, checked before). */
async function moveBranch(gh: GitHubClient, branch: string, sha: string, exists: boolean): Promise<void> {
  const update = () =>
    gh.write(
      'PATCH /repos/{owner}/{repo}/git/refs/{ref}',
      { ref: `heads/${branch}`, sha, force: true },
      { idempotent: true },
    );
  if (exists) return void (await update());
  try {
    await gh.write(
      'POST /repos/{owner}/{repo}/git/refs',
      { ref: `refs/heads/${branch}`, sha },
      { idempotent: false },
    );
  } catch (err) {
    // Made meanwhile (or by a lost answer): move it instead.
    if (gitHubStatus(err) !== 422) throw err;
    await update();
  }
}

function withCoAuthor(message: string, author: { name: string; email: string }): string {
  const trailer = `Co-authored-by: ${author.name} <${author.email}>`;
  if (message.includes(trailer)) return message;
  const body = message.replace(/\s*$/, '');
  // In the last paragraph with git's `(cherry picked from commit …)` line or other trailers.
  const lastLine = body.slice(body.lastIndexOf('\n') + 1);
  const joins =
    /^(\(cherry picked from commit [0-9a-f]+\)|[\w-]+: .+)$/.test(lastLine) && body.includes('\n');
  return `${body}\n${joins ? '' : '\n'}${trailer}\n`;
}

function mismatch(why: string): BackportError {
  return new BackportError(
    'push-rejected',
    `The commits could not be written through GitHub's API: ${why}.`,
    {},
  );
}
