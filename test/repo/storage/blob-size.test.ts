import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openRepository } from '../../../src/repo/open-repository.js';
import { git, tempDir } from '../../support/git.js';

describe('blob sizes without reading the blobs', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeAll(() => {
    dir = tempDir('bpa-blob-size-');
    git(dir.path, ['init', '-q', '-b', 'main']);
    // Versions of growing and shrinking files, so the packed ones are stored as deltas,
    // including a large one whose delta does not fit the first bytes read.
    const body = Array.from({ length: 3000 }, (_, i) => `line ${i} ${'x'.repeat(i % 50)}\n`);
    for (let i = 0; i < 12; i++) {
      writeFileSync(join(dir.path, 'big.txt'), body.slice(0, 1000 + i * 150).join('') + `v${i}\n`);
      writeFileSync(join(dir.path, 'small.txt'), `${'abc\n'.repeat(20 - i)}${i}\n`);
      writeFileSync(join(dir.path, 'empty.txt'), i % 2 ? '' : 'not empty\n');
      git(dir.path, ['add', '-A']);
      git(dir.path, ['commit', '-qm', `c${i}`]);
    }
  });
  afterAll(() => dir.remove());

  it('match git for every blob, loose and packed (whole and delta)', async () => {
    for (const packed of [false, true]) {
      if (packed) git(dir.path, ['gc', '-q', '--aggressive']);
      const listing = git(dir.path, ['cat-file', '--batch-all-objects', '--batch-check']).trim().split('\n');
      const blobs = listing.map((l) => l.split(' ')).filter(([, type]) => type === 'blob');
      expect(blobs.length).toBeGreaterThanOrEqual(25);
      const repo = await openRepository(dir.path);
      for (const [oid, , size] of blobs)
        expect([oid, await repo.store.blobSize(oid!)]).toEqual([oid, Number(size)]);
    }
    const deltas = git(dir.path, ['verify-pack', '-v', ...listPacks(dir.path)])
      .split('\n')
      .filter((l) => / blob +\d+ \d+ \d+ \d+ [0-9a-f]{40}$/.test(l));
    expect(deltas.length).toBeGreaterThan(5);
  });
});

function listPacks(repo: string): string[] {
  const packDir = join(repo, '.git', 'objects', 'pack');
  return readdirSync(packDir)
    .filter((f) => f.endsWith('.idx'))
    .map((f) => join(packDir, f));
}
