/**
 * A monorepo-sized repository, made once from the benchmark repository and cached in
 * `<bench cache>/repo-mono.git` (BENCH_CACHE_DIR puts it outside the checkout):
 *   1. one import commit holding PROJECTS copies of main's tip under `projects/pNN/`, each
 *      file's content made distinct by a line naming its project (20k files → 200k);
 *   2. `main`: MAIN_COMMITS small commits (1 to 3 files each, a line added mid-file);
 *   3. `release`, forked FORK_BACK commits before main's tip, with RELEASE_COMMITS of its own.
 * Written with `git fast-import` and not repacked: fast-import deltas a file only against its
 * own earlier versions, so the pack stays as large as the distinct content (a repack would
 * fold the near-identical copies into deltas, a size no real monorepo has). Making it takes
 * minutes; the benchmark reports its files and packed size.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchCacheDir } from '../bench-paths.js';
import { repoStats, type RepoStats } from '../engine/ensure-bench-repo.js';
import { FastImportWriter, type Person } from '../engine/generator/fast-import-writer.js';
import type { FileMode } from '../engine/generator/file-index.js';
import { Prng } from '../engine/generator/prng.js';
import { git } from '../run-command.js';

export const PROJECTS = 10;
const MAIN_COMMITS = 400;
const FORK_BACK = 100;
const RELEASE_COMMITS = 20;
const VERSION = 1;

interface Meta {
  version: number;
  from: string;
  projects: number;
  seconds?: number;
}

interface SourceFile {
  path: string;
  mode: FileMode;
  content: Buffer;
}

export function monorepoDir(): string {
  return join(benchCacheDir, 'repo-mono.git');
}

export async function ensureMonorepo(
  fullDir: string,
): Promise<{ dir: string; stats: RepoStats; seconds?: number }> {
  const dir = monorepoDir();
  const metaPath = join(benchCacheDir, 'repo-mono.json');
  const want: Meta = { version: VERSION, from: git(fullDir, 'rev-parse', 'main'), projects: PROJECTS };
  const have = existsSync(metaPath) ? (JSON.parse(readFileSync(metaPath, 'utf8')) as Meta) : undefined;
  if (
    existsSync(dir) &&
    have?.version === want.version &&
    have.from === want.from &&
    have.projects === want.projects
  )
    return { dir, stats: repoStats(dir), seconds: have.seconds };

  console.log(`making the monorepo variant, ${PROJECTS} projects (once, minutes; cached in ${dir})…`);
  const started = performance.now();
  const tmp = `${dir}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
  git(benchCacheDir, 'init', '-q', '--bare', '-b', 'main', tmp);
  const files = readTip(fullDir);
  const out = new FastImportWriter(tmp);
  try {
    await writeHistory(out, files);
  } finally {
    await out.finish();
  }
  git(tmp, 'pack-refs', '--all');
  git(tmp, 'commit-graph', 'write', '--reachable');
  renameSync(tmp, dir);
  const seconds = (performance.now() - started) / 1000;
  writeFileSync(metaPath, JSON.stringify({ ...want, seconds } satisfies Meta, null, 2));
  return { dir, stats: repoStats(dir), seconds };
}

/** Every file at main's tip, with its content (one `cat-file --batch` for all of them). */
function readTip(repo: string): SourceFile[] {
  const entries = git(repo, 'ls-tree', '-r', '-z', 'main')
    .split('\0')
    .filter((line) => line.length > 0)
    .map((line) => {
      const tab = line.indexOf('\t');
      const [mode, , oid] = line.slice(0, tab).split(' ');
      return { mode: mode as FileMode, oid: oid!, path: line.slice(tab + 1) };
    })
    .filter((e) => (e.mode as string) !== '160000');
  const child = runCommandBuffer(repo, entries.map((e) => e.oid).join('\n') + '\n');
  const files: SourceFile[] = [];
  let at = 0;
  for (const e of entries) {
    const eol = child.indexOf(10, at);
    const size = Number(child.subarray(at, eol).toString().split(' ')[2]);
    files.push({ path: e.path, mode: e.mode, content: child.subarray(eol + 1, eol + 1 + size) });
    at = eol + 1 + size + 1;
  }
  return files;
}

function runCommandBuffer(repo: string, input: string): Buffer {
  const out = spawnSync('git', ['cat-file', '--batch'], { cwd: repo, input, maxBuffer: 1024 * 1024 * 1024 });
  if (out.status !== 0) throw new Error(`git cat-file failed: ${out.stderr.toString().trim()}`);
  return out.stdout;
}

async function writeHistory(out: FastImportWriter, files: SourceFile[]): Promise<void> {
  const rng = new Prng(0x6d6f6e6f);
  const people: Person[] = ['Ana Lima', 'Bo Chen', 'Cy Okafor', 'Dee Park'].map((name) => ({
    name,
    email: `${name.split(' ')[0]!.toLowerCase()}@example.com`,
  }));
  let time = 1_600_000_000;
  const tag = (k: number) => `p${String(k).padStart(2, '0')}`;
  const body = (f: SourceFile, k: number) =>
    f.mode === '120000' ? f.content : Buffer.concat([f.content, Buffer.from(`\n// ${tag(k)}\n`)]);
  // One import commit per project: a commit's changes are held in memory until written.
  for (let k = 0; k < PROJECTS; k++) {
    await out.commit({
      branch: 'main',
      mark: 1 + k,
      ...(k > 0 ? { from: k } : {}),
      author: people[0]!,
      time: time++,
      message: `Import project ${tag(k)}\n`,
      changes: files.map((f) => ({
        op: 'modify' as const,
        path: `projects/${tag(k)}/${f.path}`,
        mode: f.mode,
        content: body(f, k),
      })),
    });
  }
  // Edits go to text files; a file's content is kept only once it has been edited.
  const editable = files.flatMap((f, i) =>
    f.mode === '100644' && /\.(c|h|py|go|md)$/.test(f.path) ? [i] : [],
  );
  const edit = (branch: string, mark: number, from: number, n: number, state: Map<string, Buffer>) => {
    const changes = [];
    for (let c = rng.range(1, 3); c > 0; c--) {
      const k = rng.int(PROJECTS);
      const f = files[rng.pick(editable)]!;
      const path = `projects/${tag(k)}/${f.path}`;
      const lines = (state.get(path) ?? body(f, k)).toString('utf8').split('\n');
      lines.splice(rng.int(lines.length), 0, `// ${branch} change ${n}: handle the empty case`);
      const next = Buffer.from(lines.join('\n'));
      state.set(path, next);
      changes.push({ op: 'modify' as const, path, mode: '100644' as FileMode, content: next });
    }
    return out.commit({
      branch,
      mark,
      from,
      author: rng.pick(people),
      time: time++,
      message: `${branch === 'main' ? 'Fix' : 'Backport'} ${n}: handle the empty case\n`,
      changes,
    });
  };
  const main = new Map<string, Buffer>();
  let release = new Map<string, Buffer>();
  const base = PROJECTS;
  for (let i = 1; i <= MAIN_COMMITS; i++) {
    await edit('main', base + i, base + i - 1, i, main);
    if (i === MAIN_COMMITS - FORK_BACK) release = new Map(main);
  }
  for (let j = 1; j <= RELEASE_COMMITS; j++) {
    const from = j === 1 ? base + MAIN_COMMITS - FORK_BACK : base + MAIN_COMMITS + j - 1;
    await edit('release', base + MAIN_COMMITS + j, from, j, release);
  }
}
