import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mergeText } from '../../src/pick/merge-text.js';
import { FastImport, git, gitRun, tempDir } from '../support/git.js';
import { Random } from '../support/random.js';

const labels = { ours: 'ours', base: 'base', theirs: 'theirs' };

interface Case {
  base: string;
  ours: string;
  theirs: string;
}

function generate(rng: Random): Case {
  const alphabet = Array.from({ length: 3 + rng.int(15) }, (_, i) => (i === 0 ? '\n' : `l${i}\n`));
  const crlf = rng.chance(0.1);
  const fix = (lines: string[]) => {
    let text = lines.join('');
    if (crlf) text = text.replace(/\n/g, '\r\n');
    if (rng.chance(0.1)) text = text.replace(/\r?\n$/, '');
    return text;
  };
  const base = Array.from({ length: rng.int(40) }, () => rng.pick(alphabet));
  const edit = (lines: string[]) => {
    const out = [...lines];
    for (let n = 1 + rng.int(4); n > 0; n--) {
      const at = rng.int(out.length + 1);
      const k = rng.int(3);
      if (k === 0) out.splice(at, 0, `new${rng.int(5)}\n`);
      else if (k === 1) out.splice(at, 1 + rng.int(2));
      else out.splice(at, 1, `mod${rng.int(5)}\n`);
    }
    return out;
  };
  const ours = edit(base);
  // Sometimes both sides make the same edit, sometimes overlapping ones.
  const theirs = rng.chance(0.15) ? [...ours] : rng.chance(0.3) ? edit(ours) : edit(base);
  return { base: fix(base), ours: fix(ours), theirs: fix(theirs) };
}

describe('mergeText agrees with git merge-ort on clean vs conflict and on the merged text', () => {
  let repo: ReturnType<typeof tempDir>;
  const cases: Case[] = [];
  const refs: Array<{ ours: string; theirs: string }> = [];

  beforeAll(() => {
    repo = tempDir('bpa-merge-text-');
    git(repo.path, ['init', '-q', '--bare']);
    const rng = new Random(424242);
    const fi = new FastImport();
    for (let k = 0; k < 500; k++) {
      const c = generate(rng);
      cases.push(c);
      const b = fi.commit(`refs/heads/b${k}`, { f: c.base });
      fi.commit(`refs/heads/o${k}`, { f: c.ours }, { parents: [b] });
      fi.commit(`refs/heads/t${k}`, { f: c.theirs }, { parents: [b] });
      refs.push({ ours: `o${k}`, theirs: `t${k}` });
    }
    fi.run(repo.path);
  });
  afterAll(() => repo.remove());

  it('on 500 generated three-way merges', async () => {
    const disagreements: string[] = [];
    let conflicts = 0;
    for (let k = 0; k < cases.length; k++) {
      const c = cases[k]!;
      const ref = refs[k]!;
      let gitClean = true;
      let tree = '';
      const r = await gitRun(repo.path, ['merge-tree', '--write-tree', ref.ours, ref.theirs]);
      if (r.status === 0) tree = r.stdout.split('\n')[0]!;
      else gitClean = false;
      const ours = mergeText(c.base, c.ours, c.theirs, labels);
      if (!gitClean) conflicts++;
      if (ours.clean !== gitClean) {
        disagreements.push(
          `case ${k}: git ${gitClean ? 'clean' : 'conflict'}, ours ${ours.clean ? 'clean' : 'conflict'}`,
        );
        continue;
      }
      if (gitClean) {
        const blob = await gitRun(repo.path, ['cat-file', 'blob', `${tree}:f`], { encoding: 'latin1' });
        if (blob.status !== 0) throw new Error(`git cat-file failed: ${blob.stderr}`);
        const merged = blob.stdout;
        if (merged !== ours.text) disagreements.push(`case ${k}: merged text differs`);
      } else if (ours.hunks.length === 0) {
        disagreements.push(`case ${k}: conflict without hunks`);
      }
    }
    expect(disagreements).toEqual([]);
    // The generator must exercise both outcomes, or the comparison proves little.
    expect(conflicts).toBeGreaterThan(100);
    expect(cases.length - conflicts).toBeGreaterThan(100);
  });
});
