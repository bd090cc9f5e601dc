/**
 * The benchmark repository with a tree twice as large: the same history, plus one commit on
 * `main` and one on `release` that add `mirror/`, a copy of main's tip with every path
 * component renamed (`a/b.ts` → `mirror/m-a/m-b.ts`). The renaming gives every directory of
 * the copy a tree object of its own, so the tips hold twice the files and twice the tree
 * bytes; the blobs are shared, so the pack hardly grows. A backport whose fetch grows with
 * the change, not with the tree, fetches the same bytes here as on the original.
 * Cached in `<bench cache>/repo-wide.git`, rebuilt when the original's tips change.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchCacheDir } from '../bench-paths.js';
import { repoStats, type RepoStats } from '../engine/ensure-bench-repo.js';
import { git, runCommand } from '../run-command.js';

const VERSION = 1;
const MIRROR = 'mirror';
/** A fixed identity and date: the same original gives the same object ids. */
export const IDENTITY = {
  GIT_AUTHOR_NAME: 'Bench Vendor',
  GIT_AUTHOR_EMAIL: 'vendor@example.com',
  GIT_AUTHOR_DATE: '1700000000 +0000',
  GIT_COMMITTER_NAME: 'Bench Vendor',
  GIT_COMMITTER_EMAIL: 'vendor@example.com',
  GIT_COMMITTER_DATE: '1700000000 +0000',
};

interface Meta {
  version: number;
  main: string;
  release: string;
}

export function ensureWideTreeRepo(fullDir: string): { dir: string; stats: RepoStats } {
  const dir = join(benchCacheDir, 'repo-wide.git');
  const metaPath = join(benchCacheDir, 'repo-wide.json');
  const want: Meta = {
    version: VERSION,
    main: git(fullDir, 'rev-parse', 'main'),
    release: git(fullDir, 'rev-parse', 'release'),
  };
  const have = existsSync(metaPath) ? (JSON.parse(readFileSync(metaPath, 'utf8')) as Meta) : undefined;
  if (existsSync(dir) && JSON.stringify(have) === JSON.stringify(want)) return { dir, stats: repoStats(dir) };

  console.log(`making the twice-as-wide variant (once; cached in ${dir})…`);
  const tmp = `${dir}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
  git(benchCacheDir, 'clone', '-q', '--bare', '--local', fullDir, tmp);
  const mirror = git(tmp, 'ls-tree', '-r', '-z', 'main')
    .split('\0')
    .filter((line) => line.length > 0)
    .map((line) => {
      const tab = line.indexOf('\t');
      const [mode, , oid] = line.slice(0, tab).split(' ');
      const path = line
        .slice(tab + 1)
        .split('/')
        .map((part) => `m-${part}`)
        .join('/');
      return `${mode} ${oid}\t${MIRROR}/${path}\n`;
    })
    .join('');
  for (const branch of ['main', 'release']) {
    const index = join(tmp, `mirror-${branch}.index`);
    const env = { ...process.env, ...IDENTITY, GIT_INDEX_FILE: index };
    const run = (args: string[], input?: string) => {
      const out = runCommand('git', args, { cwd: tmp, env, input });
      if (out.status !== 0) throw new Error(`git ${args[0]} failed: ${out.stderr.trim()}`);
      return out.stdout.trim();
    };
    run(['read-tree', branch]);
    run(['update-index', '--index-info'], mirror);
    const tree = run(['write-tree']);
    const commit = run([
      'commit-tree',
      tree,
      '-p',
      branch,
      '-m',
      `Vendor a copy of the tree under ${MIRROR}/`,
    ]);
    git(tmp, 'update-ref', `refs/heads/${branch}`, commit);
    rmSync(index, { force: true });
  }
  const code = runCommand('git', ['repack', '-ad', '-q'], { cwd: tmp });
  if (code.status !== 0) throw new Error(`git repack failed: ${code.stderr.trim()}`);
  git(tmp, 'pack-refs', '--all');
  git(tmp, 'commit-graph', 'write', '--reachable');
  renameSync(tmp, dir);
  writeFileSync(metaPath, JSON.stringify(want, null, 2));
  return { dir, stats: repoStats(dir) };
}
