import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { applyChoices, conflictChoices } from '../../src/resolve/index.js';
import type { Decision } from '../../src/resolve/index.js';
import { ResolveFixture } from './resolve-fixture.js';

const lines = (...xs: string[]) => xs.map((x) => `${x}\n`).join('');

const bucket = (names: { last: string; elapsed: string }, update: string) =>
  lines(
    'class Bucket {',
    '  refill(now) {',
    `    const ${names.elapsed} = (now - this.${names.last}) / 1000;`,
    `    this.tokens += ${names.elapsed} * this.rate;`,
    update,
    '  }',
    '}',
  );
const oldNames = { last: 'lastRefill', elapsed: 'elapsedSeconds' };
const newNames = { last: 'last', elapsed: 'elapsed' };
const filler = lines(...Array.from({ length: 12 }, (_, i) => `filler line number ${i}`));

const fx = new ResolveFixture();

beforeAll(async () => {
  fx.add('tokens', {
    base: { f: lines('start', 'const total = price * count;', 'end') },
    branch: { f: lines('start', 'const total = price * count + tax;', 'end') },
    upstream: { f: lines('start', 'let total = price * count;', 'end') },
  });
  // The example: the branch renamed two fields, upstream fixed a line using them.
  fx.add('names', {
    base: { 'bucket.js': bucket(oldNames, '    this.lastRefill = now;') },
    branch: { 'bucket.js': bucket(newNames, '    this.last = now;') },
    upstream: { 'bucket.js': bucket(oldNames, '    this.lastRefill = Math.max(now, this.lastRefill);') },
  });
  // The branch moved check() to the end of the file and wrote a comment in its place.
  fx.add('moved', {
    base: { f: lines('a', 'function check() {', '  return value > limit;', '}', 'b') + filler },
    branch: {
      f:
        lines('a', '// check() moved below', 'b') +
        filler +
        lines('function check() {', '  return value > limit;', '}'),
    },
    upstream: { f: lines('a', 'function check() {', '  return value >= limit;', '}', 'b') + filler },
  });
  // The branch dropped an import; upstream renamed the module of all three.
  fx.add('imports', {
    base: { f: lines('(', '"tools/assert"', 'is "tools/assert/cmp"', '"tools/golden"', ')') },
    branch: { f: lines('(', '"tools/assert"', '"tools/golden"', ')') },
    upstream: { f: lines('(', '"tools/v3/assert"', 'is "tools/v3/assert/cmp"', '"tools/v3/golden"', ')') },
  });
  // Both bumped versions; both bumped y differently.
  fx.add('versions', {
    base: { f: lines('[', 'x 1', 'y 1', 'z 1', ']') },
    branch: { f: lines('[', 'x 2', 'y 2', 'z 2', ']') },
    upstream: { f: lines('[', 'x 1', 'y 3', 'z 1', ']') },
  });
  // The branch already has upstream's guard, in another order.
  fx.add('already', {
    base: { f: lines('x', 'if (n > 0) return;', 'y') },
    branch: { f: lines('x', 'if (ready && n > 0) return;', 'y') },
    upstream: { f: lines('x', 'if (n > 0 && ready) return;', 'y') },
  });
  // The branch folded f.txt into g.txt; upstream fixed a line of f.txt.
  const body = lines(...Array.from({ length: 10 }, (_, i) => `body line ${i} of the helper`));
  fx.add('folded', {
    base: { 'f.txt': body, 'g.txt': 'g header\n' },
    branch: { 'f.txt': null, 'g.txt': 'g header\n' + body },
    upstream: { 'f.txt': body.replace('body line 8 of', 'fixed line 8 of') },
  });
  await fx.build();
});
afterAll(() => fx.remove());

/** Applies candidate `letter` of decision `id`, every other decision answered A. */
async function applyOne(name: string, decisions: Decision[], id: string, letter: string) {
  const answers = Object.fromEntries(decisions.map((d) => [d.id, d.id === id ? letter : 'A']));
  return applyChoices(fx.repo.store, await fx.pick(name), answers);
}

async function regionResult(name: string, kind: string): Promise<{ label: string; text: string | null }> {
  const decisions = await conflictChoices(fx.repo.store, await fx.pick(name));
  const region = decisions.find((d) => d.kind === 'region')!;
  const c = region.candidates.find((x) => x.kind === kind);
  if (!c) throw new Error(`no ${kind} among ${region.candidates.map((x) => x.kind).join(', ')}`);
  const applied = await applyOne(name, decisions, region.id, c.id);
  return { label: c.label, text: await fx.blobText(applied.files[0]!.blob) };
}

describe('richer region candidates', () => {
  it('merges word by word when the edits touch different words, where git conflicts on the line', async () => {
    const got = await regionResult('tokens', 'token-merge');
    expect(got.text).toBe(lines('start', 'let total = price * count + tax;', 'end'));
    const git = fx.mergeFile(
      lines('start', 'const total = price * count;', 'end'),
      lines('start', 'const total = price * count + tax;', 'end'),
      lines('start', 'let total = price * count;', 'end'),
    );
    expect(git.status).toBe(1);
  });

  it("writes upstream's edit in the branch's names, first, ahead of a word merge that would keep the old name", async () => {
    const decisions = await conflictChoices(fx.repo.store, await fx.pick('names'));
    const kinds = decisions[1]!.candidates.map((c) => c.kind);
    expect(kinds[0]).toBe('branch-names');
    expect(kinds).toContain('token-merge');
    const got = await regionResult('names', 'branch-names');
    expect(got.label).toContain('lastRefill → last');
    expect(got.text).toBe(bucket(newNames, '    this.last = Math.max(now, this.last);'));
    const word = await regionResult('names', 'token-merge');
    expect(word.text).toContain('this.last = Math.max(now, this.lastRefill);');
  });

  it("lines the sides up through base: upstream's changed lines where the branch kept them, its deletions standing", async () => {
    const got = await regionResult('imports', 'aligned-lines');
    expect(got.text).toBe(lines('(', '"tools/v3/assert"', '"tools/v3/golden"', ')'));
    const git = fx.mergeFile(
      lines('(', '"tools/assert"', 'is "tools/assert/cmp"', '"tools/golden"', ')'),
      lines('(', '"tools/assert"', '"tools/golden"', ')'),
      lines('(', '"tools/v3/assert"', 'is "tools/v3/assert/cmp"', '"tools/v3/golden"', ')'),
    );
    expect(git.status).toBe(1);
  });

  it("where both changed one line, offers upstream's line with the branch's other lines, and no plain aligned merge", async () => {
    const decisions = await conflictChoices(fx.repo.store, await fx.pick('versions'));
    expect(decisions[1]!.candidates.map((c) => c.kind)).not.toContain('aligned-lines');
    const got = await regionResult('versions', 'aligned-lines-theirs');
    expect(got.text).toBe(lines('[', 'x 2', 'y 3', 'z 2', ']'));
  });

  it("re-anchors upstream's edit where the branch moved the lines it changes", async () => {
    const got = await regionResult('moved', 're-anchored');
    expect(got.label).toMatch(/^Upstream's edit made at line 17,/);
    expect(got.text).toBe(
      lines('a', '// check() moved below', 'b') +
        filler +
        lines('function check() {', '  return value >= limit;', '}'),
    );
  });

  it("ranks the branch's lines first when they already hold every word upstream brings, and says so", async () => {
    const decisions = await conflictChoices(fx.repo.store, await fx.pick('already'));
    const first = decisions[1]!.candidates[0]!;
    expect([first.kind, first.recommended]).toEqual(['ours', true]);
    expect(first.label).toContain("already contain upstream's new words (ready)");
  });

  it("modify/delete: applies upstream's edit to the branch file most like the deleted one, naming it", async () => {
    const result = await fx.pick('folded');
    const [d] = await conflictChoices(fx.repo.store, result);
    expect(d!.candidates.map((c) => c.kind)).toEqual(['similar-file', 'keep-deleted', 'restore-theirs']);
    expect(d!.candidates[0]!.label).toMatch(/^Apply upstream's edit to g\.txt \(\d+% like the deleted file/);
    const applied = await applyChoices(fx.repo.store, result, { '1': 'A' });
    const g = applied.files.find((f) => f.path === 'g.txt')!;
    expect(await fx.blobText(g.blob)).toContain('fixed line 8 of the helper');
    expect(applied.files.find((f) => f.path === 'f.txt')).toEqual({ path: 'f.txt', blob: null });
    expect(await fx.lsTree(applied.tree)).toEqual(['g.txt']);
  });
});

describe('every candidate of a decision gives a different result', () => {
  it.each(['tokens', 'names', 'moved', 'already', 'folded', 'imports', 'versions'])('%s', async (name) => {
    const decisions = await conflictChoices(fx.repo.store, await fx.pick(name));
    for (const d of decisions.filter((x) => x.kind !== 'file')) {
      const trees = new Set<string>();
      for (const c of d.candidates) trees.add((await applyOne(name, decisions, d.id, c.id)).tree);
      expect(trees.size).toBe(d.candidates.length);
    }
  });
});
