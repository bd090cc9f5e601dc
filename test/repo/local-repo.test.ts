import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ancestorsOf, isAncestor, mergeBases, openLocalRepo, walkRange } from '../../src/repo/local-repo.js';
import { git, tempDir } from '../support/git.js';

/** merge-base and ancestry as git answers them, on histories with several best bases. */
describe('local repository: merge bases and ancestry', () => {
  let tmp: ReturnType<typeof tempDir>;
  const at: Record<string, string> = {};
  beforeAll(() => {
    tmp = tempDir('bpa-local-repo-');
    const d = tmp.path;
    git(d, ['init', '-q', '-b', 'main']);
    const commit = (name: string) => {
      writeFileSync(join(d, `${name}.txt`), `${name}\n`);
      git(d, ['add', '.']);
      git(d, ['commit', '-qm', name]);
      at[name] = git(d, ['rev-parse', 'HEAD']).trim();
    };
    commit('root');
    git(d, ['branch', 'side']);
    commit('a1');
    git(d, ['switch', '-q', 'side']);
    commit('b1');
    // Criss-cross: each side merges the other's first commit, so a2 and b2 have two best bases.
    git(d, ['merge', '-q', '--no-ff', '-m', 'b merges a1', at.a1!]);
    at.b2 = git(d, ['rev-parse', 'HEAD']).trim();
    git(d, ['switch', '-q', 'main']);
    git(d, ['merge', '-q', '--no-ff', '-m', 'a merges b1', at.b1!]);
    at.a2 = git(d, ['rev-parse', 'HEAD']).trim();
    commit('a3');
    git(d, ['switch', '-q', 'side']);
    commit('b3');
  });
  afterAll(() => tmp.remove());

  const gitBases = (a: string, b: string) =>
    git(tmp.path, ['merge-base', '--all', a, b]).trim().split('\n').filter(Boolean).sort();

  it('finds every best common ancestor, as git merge-base --all does', async () => {
    const repo = openLocalRepo(tmp.path);
    const pairs: [string, string][] = [
      ['a3', 'b3'],
      ['a2', 'b2'],
      ['a3', 'a1'],
      ['b3', 'root'],
      ['a1', 'b1'],
      ['a3', 'a3'],
    ];
    for (const [x, y] of pairs) {
      expect({ pair: [x, y], bases: await mergeBases(repo, at[x]!, at[y]!) }).toEqual({
        pair: [x, y],
        bases: gitBases(at[x]!, at[y]!),
      });
    }
    expect(await mergeBases(repo, at.a3!, at.b3!)).toHaveLength(2);
  });

  it('walks a range as git rev-list tip ^exclude does, newest first', async () => {
    const repo = openLocalRepo(tmp.path);
    const ranges: [string, string[]][] = [
      ['a3', ['b3']],
      ['b3', ['a3']],
      ['a3', ['root']],
      ['b3', ['a1', 'b1']],
      ['a2', ['a2']],
    ];
    for (const [tip, exclude] of ranges) {
      const walked = await walkRange(
        repo,
        at[tip]!,
        exclude.map((x) => at[x]!),
      );
      const listed = git(tmp.path, ['rev-list', at[tip]!, ...exclude.map((x) => `^${at[x]!}`)])
        .split('\n')
        .filter(Boolean);
      expect({ tip, exclude, walked: walked.map((c) => c.oid).sort() }).toEqual({
        tip,
        exclude,
        walked: [...listed].sort(),
      });
      const times = walked.map((c) => c.time);
      expect(times).toEqual([...times].sort((x, y) => y - x));
    }
  });

  it('tells ancestry as git merge-base --is-ancestor does', async () => {
    const repo = openLocalRepo(tmp.path);
    for (const y of Object.keys(at)) {
      const reachable = git(tmp.path, ['rev-list', at[y]!]).split('\n');
      for (const x of Object.keys(at)) {
        const expected = reachable.includes(at[x]!);
        expect({ x, y, is: await isAncestor(repo, at[x]!, at[y]!) }).toEqual({ x, y, is: expected });
      }
    }
  });

  it('answers ancestry for many commits with one walk (issue 10 e)', async () => {
    const repo = openLocalRepo(tmp.path);
    let reads = 0;
    const counted = {
      ...repo,
      store: {
        readCommit: (oid: string) => {
          reads++;
          return repo.store.readCommit(oid);
        },
        expandPrefix: (p: string) => repo.store.expandPrefix(p),
      },
    };
    for (const y of Object.keys(at)) {
      const reachable = git(tmp.path, ['rev-list', at[y]!]).split('\n');
      const onBranch = ancestorsOf(counted, at[y]!);
      reads = 0;
      // Every commit asked about three times: each commit of the history is read once.
      for (let round = 0; round < 3; round++) {
        for (const x of Object.keys(at)) {
          expect({ x, y, is: await onBranch(at[x]!) }).toEqual({ x, y, is: reachable.includes(at[x]!) });
        }
      }
      expect(reads).toBe(reachable.filter(Boolean).length);
    }
  });
});
