import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openRepository } from '../../../src/repo/open-repository.js';
import { git, tempDir } from '../../support/git.js';

describe('abbreviated commit ids', () => {
  let dir: ReturnType<typeof tempDir>;
  const shas: string[] = [];
  beforeAll(() => {
    dir = tempDir('bpa-expand-');
    git(dir.path, ['init', '-q', '-b', 'main']);
    for (let i = 0; i < 40; i++) {
      writeFileSync(join(dir.path, 'f'), `${i}\n`);
      git(dir.path, ['add', 'f']);
      git(dir.path, ['commit', '-qm', `c${i}`]);
      shas.push(git(dir.path, ['rev-parse', 'HEAD']).trim());
    }
  });
  afterAll(() => dir.remove());

  it('resolve like git rev-parse, loose and packed', async () => {
    for (const packed of [false, true]) {
      if (packed) git(dir.path, ['gc', '-q']);
      const repo = await openRepository(dir.path);
      for (const sha of shas.slice(0, 10)) {
        const short = git(dir.path, ['rev-parse', '--short', sha]).trim();
        expect(await repo.resolveCommit(short)).toBe(sha);
      }
    }
  });

  it('say so when an abbreviation matches nothing', async () => {
    const repo = await openRepository(dir.path);
    const unused = ['0000', '1111', 'ffff', 'abcd'].find((p) => !shas.some((s) => s.startsWith(p)))!;
    await expect(repo.resolveCommit(unused)).rejects.toMatchObject({ code: 'unknown-revision' });
  });
});
