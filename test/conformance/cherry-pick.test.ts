import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cherryPick } from '../../src/pick/cherry-pick.js';
import type { PickResult } from '../../src/pick/types.js';
import { openRepository, type LocalRepository } from '../../src/repo/open-repository.js';
import { rmSync } from 'node:fs';
import { FastImport, git, gitRun, tempDir } from '../support/git.js';
import { Random } from '../support/random.js';
import { generateScenarios, type Scenario } from './scenarios.js';

/**
 * The engine against the real `git cherry-pick`, on generated scenarios covering every case
 * the engine handles. For each: clean or conflict, the set of conflicted paths, and for
 * clean picks the exact result tree.
 */

interface Built {
  scenario: Scenario;
  onto: string;
  commits: string[];
  mainline?: number;
}

interface Outcome {
  clean: boolean;
  tree?: string;
  paths: string[];
  failedAt?: number;
}

const committer = { name: 'Cy Committer', email: 'cy@example.com', timestamp: 1700000000, timezoneOffset: 0 };

function build(repo: string, scenarios: Scenario[]): Built[] {
  const fi = new FastImport();
  const pending = scenarios.map((scenario, i) => {
    const ref = (name: string) => `refs/heads/s${i}/${name}`;
    const base = fi.commit(ref('base'), scenario.base, { message: `base ${i}` });
    let onto = base;
    for (const change of scenario.target) onto = fi.commit(ref('target'), change, { parents: [onto] });
    const pick = scenario.pick;
    let commits: string[];
    let mainline: number | undefined;
    if (pick.kind === 'single') {
      commits = [fi.commit(ref('pick'), pick.change, { parents: [base], message: `pick ${i}` })];
    } else if (pick.kind === 'series') {
      commits = [];
      let prev = base;
      for (const change of pick.changes)
        commits.push((prev = fi.commit(ref('pick'), change, { parents: [prev] })));
    } else {
      const p1 = fi.commit(ref('mainline'), pick.mainlineChange, { parents: [base] });
      const feature = fi.commit(ref('feature'), pick.featureChange, { parents: [base] });
      commits = [
        fi.commit(ref('pick'), pick.featureChange, { parents: [p1, feature], message: `merge ${i}` }),
      ];
      mainline = pick.mainline;
    }
    return { scenario, onto, commits, mainline };
  });
  const marks = fi.run(repo);
  const oid = (mark: string) => marks.get(mark)!;
  return pending.map((p) => ({ ...p, onto: oid(p.onto), commits: p.commits.map(oid) }));
}

/** git's unmerged paths, minus its side-named copies (`path~HEAD`) and both-deleted stubs. */
function gitConflictPaths(lsFiles: string): string[] {
  const stages = new Map<string, Set<number>>();
  for (const rec of lsFiles.split('\0')) {
    const m = /^\d+ [0-9a-f]+ (\d)\t(.*)$/s.exec(rec);
    if (!m) continue;
    const path = m[2]!.replace(/~(HEAD|[0-9a-f]{7,} \(.*\))$/, '');
    const set = stages.get(path) ?? new Set<number>();
    set.add(Number(m[1]));
    stages.set(path, set);
  }
  return [...stages]
    .filter(([, s]) => s.has(2) || s.has(3))
    .map(([p]) => p)
    .sort();
}

async function runGit(work: string, b: Built): Promise<Outcome> {
  await gitAsync(work, ['checkout', '-q', '-f', '--detach', b.onto]);
  await gitAsync(work, ['clean', '-fdxq']);
  const args = [
    'cherry-pick',
    '--no-commit',
    ...(b.mainline ? ['-m', String(b.mainline)] : []),
    ...b.commits,
  ];
  const r = await gitAsync(work, args);
  if (r.status === 0)
    return { clean: true, tree: (await gitAsync(work, ['write-tree'])).stdout.trim(), paths: [] };
  const failed = /could not apply ([0-9a-f]+)/.exec(r.stderr)?.[1];
  if (!failed) throw new Error(`git cherry-pick failed oddly: ${r.stderr}`);
  const outcome = {
    clean: false,
    paths: gitConflictPaths((await gitAsync(work, ['ls-files', '-u', '-z'])).stdout),
    failedAt: b.commits.findIndex((c) => c.startsWith(failed)),
  };
  // Forget the interrupted pick without another process; the next checkout resets the rest.
  rmSync(`${work}/.git/sequencer`, { recursive: true, force: true });
  rmSync(`${work}/.git/CHERRY_PICK_HEAD`, { force: true });
  return outcome;
}

function gitAsync(cwd: string, args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return gitRun(cwd, args, { encoding: 'latin1' });
}

/** Runs git's side of every scenario, spread over a few worktrees in parallel. */
async function runAllGit(works: string[], builds: Built[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = new Array(builds.length);
  let next = 0;
  await Promise.all(
    works.map(async (work) => {
      while (next < builds.length) {
        const i = next++;
        outcomes[i] = await runGit(work, builds[i]!);
      }
    }),
  );
  return outcomes;
}

function fromEngine(result: PickResult): Outcome {
  if (result.status === 'applied') return { clean: true, tree: result.tree, paths: [] };
  return { clean: false, paths: result.conflicts.map((c) => c.path).sort(), failedAt: result.index };
}

describe('conformance with git cherry-pick', () => {
  let dir: ReturnType<typeof tempDir>;
  let repo: LocalRepository;
  let built: Built[];
  let works: string[];

  beforeAll(async () => {
    dir = tempDir('bpa-conformance-');
    const bare = `${dir.path}/repo.git`;
    git(dir.path, ['init', '-q', '--bare', bare]);
    built = build(bare, generateScenarios(new Random(2026)));
    works = [1, 2, 3].map((n) => `${dir.path}/work${n}`);
    for (const work of works) git(dir.path, ['clone', '-q', '--shared', '--no-checkout', bare, work]);
    repo = await openRepository(bare);
  });
  afterAll(() => dir.remove());

  it('covers every case with at least 200 scenarios', () => {
    const byCategory = new Map<string, number>();
    for (const b of built)
      byCategory.set(b.scenario.category, (byCategory.get(b.scenario.category) ?? 0) + 1);
    expect(built.length).toBeGreaterThanOrEqual(200);
    for (const category of [
      'modify/modify',
      'identical',
      'add/add',
      'modify/delete',
      'mode',
      'symlink',
      'submodule',
      'binary',
      'file/directory',
      'rename on target',
      'rename by commit',
      'directory rename',
      'rename tie',
      'line endings',
      'no final newline',
      'empty file',
      'already applied',
      'merge commit',
      'series',
      'random',
    ]) {
      expect([category, byCategory.get(category) ?? 0]).toEqual([category, expect.any(Number)]);
      expect(byCategory.get(category)).toBeGreaterThanOrEqual(4);
    }
  });

  it('agrees with git on outcome, conflicted paths and result tree in every scenario', async () => {
    const gitOutcomes = await runAllGit(works, built);
    const mismatches: string[] = [];
    let clean = 0;
    let empty = 0;
    for (const [i, b] of built.entries()) {
      const expected = gitOutcomes[i]!;
      const result = await cherryPick(repo.store, {
        commits: b.commits,
        onto: b.onto,
        mainline: b.mainline,
        committer,
      });
      const actual = fromEngine(result);
      const ontoTree = (await repo.store.readCommit(b.onto)).tree;
      if (expected.clean) clean++;
      if (expected.clean && expected.tree === ontoTree) {
        empty++;
        // An empty pick must be reported as such.
        if (result.status !== 'applied' || !result.empty)
          mismatches.push(`#${i} ${b.scenario.description}: not reported as empty`);
      }
      if (JSON.stringify(actual) !== JSON.stringify(expected)) {
        mismatches.push(
          `#${i} [${b.scenario.category}] ${b.scenario.description}: git ${JSON.stringify(expected)} ours ${JSON.stringify(actual)}`,
        );
      }
    }
    expect(mismatches).toEqual([]);
    expect(clean).toBeGreaterThan(60);
    expect(built.length - clean).toBeGreaterThan(60);
    expect(empty).toBeGreaterThanOrEqual(10);
  });
});
