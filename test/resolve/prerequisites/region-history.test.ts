import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { commitRange } from '../../../src/resolve/prerequisites/commit-range.js';
import { FileLines } from '../../../src/resolve/prerequisites/file-lines.js';
import { regionHistory } from '../../../src/resolve/prerequisites/region-history.js';
import { WalkBudget } from '../../../src/resolve/prerequisites/walk-budget.js';
import { openRepository, type LocalRepository } from '../../../src/repo/open-repository.js';
import { FastImport, git, gitStatus, tempDir } from '../../support/git.js';
import { Random } from '../../support/random.js';

/** A linear history of one file with distinct lines, renamed once along the way. */
function history(rng: Random, fi: FastImport, ref: string): { tip: string; path: string } {
  let serial = 0;
  const fresh = () => `line ${++serial} ${rng.int(1000)}\n`;
  let lines = Array.from({ length: 20 + rng.int(20) }, fresh);
  let path = 'src/a.go';
  let tip = fi.commit(ref, { [path]: lines.join(''), 'other.txt': 'x\n' });
  const renameAt = 3 + rng.int(8);
  for (let n = 1; n <= 14; n++) {
    lines = [...lines];
    for (let e = 1 + rng.int(3); e > 0; e--) {
      const at = rng.int(lines.length + 1);
      const kind = rng.int(3);
      if (kind === 0) lines.splice(at, 0, ...Array.from({ length: 1 + rng.int(3) }, fresh));
      else if (kind === 1 && lines.length > 5) lines.splice(at, 1 + rng.int(3));
      else if (at < lines.length) lines[at] = fresh();
    }
    const files: Record<string, string | null> = { [path]: null };
    if (n === renameAt) path = 'pkg/renamed.go';
    files[path] = lines.join('');
    if (n % 4 === 0) files['other.txt'] = `x${n}\n`;
    tip = fi.commit(ref, files, { parents: [tip] });
  }
  return { tip, path };
}

function gitBlame(dir: string, tip: string, path: string, from: number, to: number): string[] {
  const out = git(dir, [
    'blame',
    '--porcelain',
    '--diff-algorithm=histogram',
    '-L',
    `${from},${to}`,
    tip,
    '--',
    path,
  ]);
  return out
    .split('\n')
    .filter((l) => /^[0-9a-f]{40} \d+ \d+/.test(l))
    .map((l) => l.slice(0, 40));
}

describe('regionHistory', () => {
  let dir: ReturnType<typeof tempDir>;
  let repo: LocalRepository;
  const cases: { tip: string; path: string; unrelated: string; seed: number }[] = [];

  beforeAll(async () => {
    dir = tempDir('region-history-');
    git(dir.path, ['init', '-q', '--bare', 'r.git']);
    const fi = new FastImport();
    const unrelated = fi.commit('refs/heads/unrelated', { 'u.txt': 'u\n' });
    const marks: { tip: string; path: string; seed: number }[] = [];
    for (let seed = 1; seed <= 12; seed++)
      marks.push({ ...history(new Random(seed), fi, `refs/heads/h${seed}`), seed });
    const ids = fi.run(`${dir.path}/r.git`);
    for (const m of marks) cases.push({ ...m, tip: ids.get(m.tip)!, unrelated: ids.get(unrelated)! });
    repo = await openRepository(`${dir.path}/r.git`);
  });
  afterAll(() => dir.remove());

  it('blames every line of random ranges as git blame does, through a rename', async () => {
    let beforeRename = 0;
    for (const c of cases) {
      const rng = new Random(c.seed * 7);
      const length = git(`${dir.path}/r.git`, ['show', `${c.tip}:${c.path}`]).split('\n').length - 1;
      const from = 1 + rng.int(length);
      const to = Math.min(length, from + rng.int(8));
      const budget = new WalkBudget(repo.store);
      const range = await commitRange(c.tip, c.unrelated, budget);
      const lines = Array.from({ length: to - from + 1 }, (_, i) => from - 1 + i);
      const history = await regionHistory(new FileLines(repo.store), budget, range.fromOnly, c.tip, {
        path: c.path,
        lines,
      });
      const ours = lines.map((l) => history.blame.get(l));
      const r = `${dir.path}/r.git`;
      beforeRename += ours.filter(
        (o) => o && gitStatus(r, ['cat-file', '-e', `${o}:${c.path}`]).status !== 0,
      ).length;
      expect({ seed: c.seed, blame: ours }).toEqual({
        seed: c.seed,
        blame: gitBlame(`${dir.path}/r.git`, c.tip, c.path, from, to),
      });
    }
    // The comparison means something only if some lines were written before the rename.
    expect(beforeRename).toBeGreaterThan(0);
  });
});
