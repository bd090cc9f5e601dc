/**
 * The benchmark repository, generated once into `.cache/bench/repo.git` and reused. It is made
 * again only when missing or when GENERATOR_VERSION changes (bump it whenever a change to the
 * generator would change the objects).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchCacheDir } from '../bench-paths.js';
import { git, runInherited } from '../run-command.js';
import { DEFAULT_SHAPE, generateHistory } from './generator/generate-history.js';

export const GENERATOR_VERSION = 1;

export interface RepoStats {
  /** Files at main's tip. */
  files: number;
  /** Commits reachable from main. */
  mainCommits: number;
  /** Commits on release that main does not have. */
  releaseCommits: number;
  /** Bytes of every blob at main's tip, unpacked. */
  treeBytes: number;
  /** `size-pack` of `git count-objects -v`, in bytes. */
  packedBytes: number;
  /** `size-pack` as `git count-objects -vH` prints it. */
  packedHuman: string;
  objects: number;
}

export interface BenchRepo {
  dir: string;
  stats: RepoStats;
  /** Seconds spent generating and repacking (by this run, or by the one that cached it). */
  generated?: { importSeconds: number; repackSeconds: number; now: boolean };
}

interface Meta {
  version: number;
  generated: { importSeconds: number; repackSeconds: number };
}

export async function ensureBenchRepo(): Promise<BenchRepo> {
  const dir = join(benchCacheDir, 'repo.git');
  const metaPath = join(benchCacheDir, 'repo.json');
  const meta = existsSync(metaPath) ? (JSON.parse(readFileSync(metaPath, 'utf8')) as Meta) : undefined;
  if (existsSync(dir) && meta?.version === GENERATOR_VERSION) {
    return { dir, stats: repoStats(dir), generated: meta.generated && { ...meta.generated, now: false } };
  }
  mkdirSync(benchCacheDir, { recursive: true });
  const tmp = `${dir}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
  git(benchCacheDir, 'init', '-q', '--bare', '-b', 'main', tmp);
  console.log('generating the benchmark repository (once; cached in .cache/bench/repo.git)…');
  let started = performance.now();
  await generateHistory(tmp, DEFAULT_SHAPE);
  const importSeconds = (performance.now() - started) / 1000;
  console.log(`  fast-import done in ${importSeconds.toFixed(1)} s; repacking (git repack -adf)…`);
  started = performance.now();
  // A real clone is fully packed with good deltas, refs packed and a commit-graph: bench that.
  const code = await runInherited('git', ['repack', '-adf', '-q'], tmp);
  if (code !== 0) throw new Error(`git repack failed (${code})`);
  git(tmp, 'pack-refs', '--all');
  git(tmp, 'commit-graph', 'write', '--reachable');
  const repackSeconds = (performance.now() - started) / 1000;
  console.log(`  repack done in ${repackSeconds.toFixed(1)} s`);
  renameSync(tmp, dir);
  const generated = { importSeconds, repackSeconds };
  writeFileSync(metaPath, JSON.stringify({ version: GENERATOR_VERSION, generated } satisfies Meta, null, 2));
  return { dir, stats: repoStats(dir), generated: { ...generated, now: true } };
}

export function repoStats(dir: string): RepoStats {
  const tree = git(dir, 'ls-tree', '-r', '-l', 'main').split('\n');
  let treeBytes = 0;
  for (const line of tree) {
    const size = Number(line.split(/\s+/)[3]);
    if (Number.isFinite(size)) treeBytes += size;
  }
  const counts = parseCountObjects(git(dir, 'count-objects', '-v'));
  const human = parseCountObjects(git(dir, 'count-objects', '-vH'));
  return {
    files: tree.length,
    mainCommits: Number(git(dir, 'rev-list', '--count', 'main')),
    releaseCommits: Number(git(dir, 'rev-list', '--count', 'main..release')),
    treeBytes,
    packedBytes: Number(counts['size-pack']) * 1024,
    packedHuman: human['size-pack'] ?? '?',
    objects: Number(counts['in-pack']) + Number(counts['count']),
  };
}

function parseCountObjects(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const at = line.indexOf(':');
    if (at > 0) out[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return out;
}
