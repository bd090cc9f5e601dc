/**
 * `npx tsx bench/engine/real-picks.ts --repo <bare clone> [--limit N] [--out verdicts.jsonl] [--slowest N] [--cases file]`
 *
 * The engine's time per pick on real backports (release-branch commits with cherry-pick
 * trailers, as `npm run eval` finds them), all in one process, next to one
 * `git merge-tree --write-tree --stdin` process fed the same merges, one per line: each case
 * gets three synthetic commits (the upstream commit's parent tree as base, the target and the
 * commit as its children) so git's merge base is the commit's parent, as in a cherry-pick.
 * Prints median, p90 and p99 for both and the slowest picks; `--out` keeps each verdict
 * (status and tree, or conflicted paths) so two runs can be compared with `diff`.
 * Merge commits are left out. Run it under `node --cpu-prof` to profile the engine.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { cherryPick } from '../../src/pick/cherry-pick.js';
import { openRepository } from '../../src/repo/open-repository.js';
import { buildTriples, spread, type Triple } from '../eval/build-triples.js';
import { NativeGit } from '../eval/git-verdict.js';

const committer = { name: 'bench', email: 'bench@example.com', timestamp: 1700000000, timezoneOffset: 0 };

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      repo: { type: 'string' },
      limit: { type: 'string' },
      out: { type: 'string' },
      slowest: { type: 'string', default: '10' },
      cases: { type: 'string' },
    },
  });
  if (!values.repo) throw new Error('usage: real-picks.ts --repo <bare clone> [--limit N] [--out file]');
  const repo = await openRepository(values.repo);
  const listing = buildTriples(repo.gitdir, { branches: [] });
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  let triples = spread(
    listing.triples.filter((t) => t.mainline === undefined),
    limit,
  );
  if (values.cases) {
    // Only these "upstream target" lines, e.g. the slowest of an earlier run, to profile them.
    const wanted = new Set(readFileSync(values.cases, 'utf8').split('\n').filter(Boolean));
    triples = triples.filter((t) => wanted.has(`${t.upstream} ${t.target}`));
  }

  const ours: number[] = [];
  const lines: string[] = [];
  for (const t of triples) {
    const started = performance.now();
    const result = await cherryPick(repo.store, { commits: [t.upstream], onto: t.target, committer });
    ours.push(performance.now() - started);
    repo.store.discard();
    const verdict =
      result.status === 'applied'
        ? { status: 'applied', tree: result.tree }
        : { status: 'conflict', paths: result.conflicts.map((c) => c.path).sort() };
    lines.push(JSON.stringify({ upstream: t.upstream, target: t.target, ...verdict }));
  }
  if (values.out) writeFileSync(values.out, `${lines.join('\n')}\n`);

  const gitMs = await timeMergeTree(repo.gitdir, triples);
  console.log(`${triples.length} picks of ${repo.gitdir}`);
  console.log(`first pick in this process: ${ours[0]?.toFixed(1)} ms`);
  console.log(row('engine, one process', ours.slice(1)));
  console.log(row('git merge-tree --stdin', gitMs));
  const slowest = ours
    .map((ms, i) => ({ ms, t: triples[i]! }))
    .slice(1)
    .sort((a, b) => b.ms - a.ms)
    .slice(0, Number(values.slowest));
  for (const s of slowest) console.log(`  ${s.ms.toFixed(1)} ms  ${s.t.upstream} ${s.t.target}`);
}

function row(label: string, ms: number[]): string {
  const sorted = [...ms].sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!.toFixed(1);
  return `${label.padEnd(26)} median ${q(0.5)} ms, p90 ${q(0.9)} ms, p99 ${q(0.99)} ms`;
}

/** Per-merge times of one `git merge-tree --write-tree --stdin` over the cases, in order. */
async function timeMergeTree(gitdir: string, triples: Triple[]): Promise<number[]> {
  const scratch = mkdtempSync(join(tmpdir(), 'real-picks-'));
  try {
    const native = new NativeGit(gitdir, scratch);
    const input = triples.map((t) => {
      const base = native.out('commit-tree', native.out('rev-parse', `${t.upstream}^^{tree}`), '-m', 'base');
      const side = (rev: string) =>
        native.out('commit-tree', native.out('rev-parse', `${rev}^{tree}`), '-p', base, '-m', rev);
      return `${side(t.target)} ${side(t.upstream)}\n`;
    });
    return await streamMerges(gitdir, scratch, input);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Feeds all merges at once and timestamps each answer as it arrives (unbuffered output):
 * git answers one merge after another, so the gaps are the per-merge times. Each answer
 * ends with an empty NUL-terminated field.
 */
function streamMerges(gitdir: string, scratch: string, input: string[]): Promise<number[]> {
  const env = {
    ...process.env,
    GIT_OBJECT_DIRECTORY: join(scratch, 'objects'),
    GIT_ALTERNATE_OBJECT_DIRECTORIES: join(gitdir, 'objects'),
  };
  const args = ['-o0', 'git', 'merge-tree', '--write-tree', '--stdin', '--name-only', '--no-messages'];
  const child = spawn('stdbuf', args, { cwd: gitdir, env, stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const times: number[] = [];
    let last = performance.now();
    let pending = '';
    child.stdout.setEncoding('latin1');
    child.stdout.on('data', (chunk: string) => {
      pending += chunk;
      let end: number;
      while ((end = pending.indexOf('\0\0')) !== -1) {
        pending = pending.slice(end + 2);
        const now = performance.now();
        times.push(now - last);
        last = now;
      }
    });
    child.on('error', reject);
    child.on('close', () =>
      times.length === input.length
        ? resolve(times)
        : reject(new Error(`git answered ${times.length}/${input.length}`)),
    );
    last = performance.now();
    child.stdin.end(input.join(''));
  });
}

await main(process.argv.slice(2));
