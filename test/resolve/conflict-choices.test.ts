import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { applyChoices, conflictChoices, parseAnswers } from '../../src/resolve/index.js';
import { ResolveFixture } from './resolve-fixture.js';

const lines = (...xs: string[]) => xs.map((x) => `${x}\n`).join('');
const numbered = (n: number, edit: Record<number, string> = {}) =>
  lines(...Array.from({ length: n }, (_, i) => edit[i + 1] ?? `l${i + 1}`));

const fx = new ResolveFixture();

beforeAll(async () => {
  // Two files: a.txt has two conflicting regions and a clean upstream change, b.txt one region.
  fx.add('content', {
    base: { 'a.txt': numbered(20), 'b.txt': numbered(5) },
    branch: {
      'a.txt': numbered(20, { 3: 'branch3', 15: 'branch15' }),
      'b.txt': numbered(5, { 2: 'branchB' }),
    },
    upstream: {
      'a.txt': numbered(20, { 3: 'up3', 9: 'up9', 15: 'up15' }),
      'b.txt': numbered(5, { 2: 'upB' }),
    },
  });
  // Touching edits of different lines: git conflicts, a line-by-line merge keeps both.
  fx.add('linewise', {
    base: { f: lines('x0', 'x1', 'x2', 'x3') },
    branch: { f: lines('x0', 'X1', 'x2', 'x3') },
    upstream: { f: lines('x0', 'x1', 'X2', 'x3') },
  });
  // The branch deleted two lines upstream edited and added to.
  fx.add('deletion', {
    base: { f: lines('a', 'b', 'c', 'd') },
    branch: { f: lines('a', 'd') },
    upstream: { f: lines('a', 'b2', 'c', 'new', 'd') },
  });
  // Both sides added lines at the same place.
  fx.add('inserted', {
    base: { f: lines('a', 'b') },
    branch: { f: lines('a', 'branch new', 'b') },
    upstream: { f: lines('a', 'upstream new', 'b') },
  });
  fx.add('branch-deleted', {
    base: { f: lines('one', 'two'), g: 'g\n' },
    branch: { f: null },
    upstream: { f: lines('one', 'TWO') },
  });
  fx.add('upstream-deleted', {
    base: { f: lines('one', 'two'), g: 'g\n' },
    branch: { f: lines('ONE', 'two') },
    upstream: { f: null },
  });
  fx.add('added', {
    base: { z: 'z\n' },
    branch: { n: lines('b1', 'b2') },
    upstream: { n: lines('u1', 'u2') },
  });
  fx.add('renamed', {
    base: { 'old.txt': numbered(12) },
    branch: { 'old.txt': null, 'branch.txt': numbered(12) },
    upstream: { 'old.txt': null, 'up.txt': numbered(12, { 11: 'fixed11' }) },
  });
  await fx.build();
});
afterAll(() => fx.remove());

describe('conflictChoices: decisions and candidates', () => {
  it('numbers a file decision before its regions, across files in path order, and is deterministic', async () => {
    const result = await fx.pick('content');
    const decisions = await conflictChoices(fx.repo.store, result);
    expect(decisions.map((d) => [d.id, d.path, d.kind, d.hunk])).toEqual([
      ['1', 'a.txt', 'file', undefined],
      ['2', 'a.txt', 'region', 0],
      ['3', 'a.txt', 'region', 1],
      ['4', 'b.txt', 'file', undefined],
      ['5', 'b.txt', 'region', 0],
    ]);
    expect(decisions[0]!.candidates.map((c) => c.kind)).toEqual(['apply-regions', 'keep-branch-file']);
    expect(decisions[0]!.candidates[0]!.diff).toContain('+up9');
    expect(decisions[1]!.candidates.map((c) => [c.id, c.kind, c.recommended])).toEqual([
      ['A', 'theirs', true],
      ['B', 'ours', false],
      ['C', 'both-ours-first', false],
      ['D', 'both-theirs-first', false],
    ]);
    expect(decisions[1]!.candidates[0]!.diff).toBe(
      '@@ -1,6 +1,6 @@\n l1\n l2\n-branch3\n+up3\n l4\n l5\n l6\n',
    );
    expect(await conflictChoices(fx.repo.store, await fx.pick('content'))).toEqual(decisions);
    // The verdict is untouched: the pick is still a conflict.
    expect(result.status).toBe('conflict');
  });

  it('offers a line-by-line merge where all three versions have as many lines, which git leaves conflicted', async () => {
    const result = await fx.pick('linewise');
    const [file, region] = await conflictChoices(fx.repo.store, result);
    expect(file!.kind).toBe('file');
    expect(region!.candidates[0]!.kind).toBe('line-by-line');
    const applied = await applyChoices(fx.repo.store, result, { '1': 'A', '2': 'A' });
    expect(await fx.blobText(applied.files[0]!.blob)).toBe(lines('x0', 'X1', 'X2', 'x3'));
    const git = fx.mergeFile(
      lines('x0', 'x1', 'x2', 'x3'),
      lines('x0', 'X1', 'x2', 'x3'),
      lines('x0', 'x1', 'X2', 'x3'),
    );
    expect(git.status).toBe(1);
  });

  it("offers the branch's deletion plus upstream's insertions", async () => {
    const result = await fx.pick('deletion');
    const region = (await conflictChoices(fx.repo.store, result))[1]!;
    const c = region.candidates.find((x) => x.kind === 'deletion-plus-insertions')!;
    expect(c.label).toBe("Keep the branch's deletion of 2 lines and add upstream's 2 new lines");
    // Where the branch only deleted, its deletion whole ranks above upstream's insertions and
    // lines (measured on real backports); the aligned merge keeps the deletion and adds `new`.
    expect(region.candidates.map((x) => x.kind).slice(0, 4)).toEqual([
      'aligned-lines',
      'ours',
      'deletion-plus-insertions',
      'theirs',
    ]);
    const applied = await applyChoices(fx.repo.store, result, { '1': 'A', '2': c.id });
    expect(await fx.blobText(applied.files[0]!.blob)).toBe(lines('a', 'b2', 'new', 'd'));
  });

  it('ranks both first where both sides only added lines at one place', async () => {
    const result = await fx.pick('inserted');
    const region = (await conflictChoices(fx.repo.store, result))[1]!;
    expect(region.candidates.map((c) => c.kind)).toEqual([
      'both-ours-first',
      'both-theirs-first',
      'theirs',
      'ours',
    ]);
    const applied = await applyChoices(fx.repo.store, result, { '1': 'A', '2': 'A' });
    const union = fx.mergeFile(
      lines('a', 'b'),
      lines('a', 'branch new', 'b'),
      lines('a', 'upstream new', 'b'),
      '--union',
    );
    expect(await fx.blobText(applied.files[0]!.blob)).toBe(union.text);
  });
});

describe('applyChoices agrees with git merge-file where git has the same resolution', () => {
  it.each([
    ['A', '--theirs'],
    ['B', '--ours'],
    ['C', '--union'],
  ])('every region %s equals git merge-file %s, clean upstream changes included', async (letter, flag) => {
    const result = await fx.pick('content');
    const decisions = await conflictChoices(fx.repo.store, result);
    const answers = parseAnswers(`1A 2${letter} 3${letter} 4A 5${letter}`, decisions);
    const applied = await applyChoices(fx.repo.store, result, answers);
    for (const path of ['a.txt', 'b.txt']) {
      const base = (await fx.blobText(fx.blobAt('content-base', path)))!;
      const ours = (await fx.blobText(fx.blobAt('content-branch', path)))!;
      const theirs = (await fx.blobText(fx.blobAt('content-upstream', path)))!;
      const want = fx.mergeFile(base, ours, theirs, flag).text;
      const got = applied.files.find((f) => f.path === path)!;
      expect(await fx.blobText(got.blob)).toBe(want);
    }
    expect(await fx.lsTree(applied.tree)).toEqual(['a.txt', 'b.txt']);
  });

  it("keeps the branch's file when the file decision says so, and excuses its regions", async () => {
    const result = await fx.pick('content');
    const decisions = await conflictChoices(fx.repo.store, result);
    const applied = await applyChoices(fx.repo.store, result, parseAnswers('1B 4A 5A', decisions));
    expect(applied.files[0]).toEqual({ path: 'a.txt', blob: fx.blobAt('content-branch', 'a.txt') });
  });

  it('applies an add/add choice as git merge-file --union does with an empty base', async () => {
    const result = await fx.pick('added');
    const [decision] = await conflictChoices(fx.repo.store, result);
    expect(decision!.kind).toBe('add/add');
    const union = decision!.candidates.find((c) => c.kind === 'both-ours-first')!;
    const applied = await applyChoices(fx.repo.store, result, { '1': union.id });
    const want = fx.mergeFile('', lines('b1', 'b2'), lines('u1', 'u2'), '--union').text;
    expect(await fx.blobText(applied.files[0]!.blob)).toBe(want);
  });
});

describe('whole-file decisions', () => {
  it("modify/delete where the branch deleted the file: keep it deleted, or restore upstream's version", async () => {
    const result = await fx.pick('branch-deleted');
    const [d] = await conflictChoices(fx.repo.store, result);
    expect([d!.kind, d!.candidates.map((c) => c.kind)]).toEqual([
      'modify/delete',
      ['keep-deleted', 'restore-theirs'],
    ]);
    const kept = await applyChoices(fx.repo.store, result, { '1': 'A' });
    expect(kept.files).toEqual([{ path: 'f', blob: null }]);
    expect(await fx.lsTree(kept.tree)).toEqual(['g']);
    const restored = await applyChoices(fx.repo.store, result, { '1': 'B' });
    expect(restored.files).toEqual([{ path: 'f', blob: fx.blobAt('branch-deleted-upstream', 'f') }]);
  });

  it("modify/delete where upstream deleted the file: delete it, or keep the branch's", async () => {
    const result = await fx.pick('upstream-deleted');
    const [d] = await conflictChoices(fx.repo.store, result);
    expect(d!.candidates.map((c) => c.kind)).toEqual(['delete', 'keep-branch-file']);
    expect(await fx.lsTree((await applyChoices(fx.repo.store, result, { '1': 'A' })).tree)).toEqual(['g']);
    const kept = await applyChoices(fx.repo.store, result, { '1': 'B' });
    expect(kept.files).toEqual([{ path: 'f', blob: fx.blobAt('upstream-deleted-branch', 'f') }]);
  });

  it('rename/rename: one decision, the file at either name with both edits merged', async () => {
    const result = await fx.pick('renamed');
    expect(result.conflicts.map((c) => [c.path, c.kind])).toEqual([
      ['branch.txt', 'rename'],
      ['up.txt', 'rename'],
    ]);
    const decisions = await conflictChoices(fx.repo.store, result);
    expect(decisions.map((d) => [d.id, d.kind])).toEqual([['1', 'rename']]);
    const atBranchName = await applyChoices(fx.repo.store, result, { '1': 'A' });
    expect(await fx.lsTree(atBranchName.tree)).toEqual(['branch.txt']);
    expect(await fx.blobText(atBranchName.files[0]!.blob)).toBe(numbered(12, { 11: 'fixed11' }));
    const atUpstreamName = await applyChoices(fx.repo.store, result, { '1': 'B' });
    expect(await fx.lsTree(atUpstreamName.tree)).toEqual(['up.txt']);
  });
});

describe('bad answers name the decision and apply nothing', () => {
  const codeOf = async (text: string) => {
    const result = await fx.pick('content');
    const decisions = await conflictChoices(fx.repo.store, result);
    try {
      await applyChoices(fx.repo.store, result, parseAnswers(text, decisions));
    } catch (err) {
      const e = err as { code: string; data: unknown };
      return [e.code, e.data];
    }
    return ['applied'];
  };

  it.each([
    ['1A 2A 3A 4A', { reason: 'missing', decision: '5' }],
    ['1A 2A 3A 4A 5A 6A', { reason: 'unknown-decision', decision: '6', answer: 'A' }],
    ['1A 2A 3A 4A 5Z', { reason: 'unknown-label', decision: '5', answer: 'Z' }],
    ['1A 2A 2B 3A 4A 5A', { reason: 'duplicate', decision: '2', answer: 'B' }],
    ['1A 2A please', { reason: 'syntax', answer: 'please' }],
    ['all C', { reason: 'unknown-label', decision: '1', answer: 'C' }],
  ])('%s', async (text, data) => {
    expect(await codeOf(text)).toEqual(['bad-resolution', data]);
  });

  it('accepts "all A", lowercase letters and commas', async () => {
    expect(await codeOf('all A')).toEqual(['applied']);
    expect(await codeOf('1a,2b, 3a 4a 5c')).toEqual(['applied']);
  });
});
