import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { startGitHubSim } from '../../tools/github-sim/index.js';
import { tempDir } from './helpers.js';
import { testAppKey } from '../support/app-key.js';

describe('github-sim lifecycle and repository set-up', () => {
  const tmp = tempDir('sim-life-');
  afterAll(() => tmp.remove());

  it('copies a local working repository without touching it, keeping its branches and HEAD', async () => {
    const src = join(tmp.path, 'src');
    const g = (...args: string[]) => execFileSync('git', args, { cwd: src, encoding: 'utf8' }).trim();
    execFileSync('git', ['init', '--quiet', '-b', 'trunk', src]);
    writeFileSync(join(src, 'f.txt'), 'f\n');
    g('add', 'f.txt');
    g('-c', 'user.name=T', '-c', 'user.email=t@e', 'commit', '--quiet', '-m', 'one');
    g('branch', 'v1.0');
    const refsBefore = g('for-each-ref');
    const sim = await startGitHubSim({ appPrivateKey: testAppKey() });
    try {
      const info = await sim.createRepo({ owner: 'acme', name: 'copy', from: src });
      expect(info.defaultBranch).toBe('trunk');
      expect(Object.keys(await sim.refs('acme/copy')).sort()).toEqual([
        'refs/heads/trunk',
        'refs/heads/v1.0',
      ]);
      await sim.commitFiles('acme/copy', {
        branch: 'trunk',
        files: { 'f.txt': null, 'g.txt': 'g\n' },
        message: 'two',
      });
      expect(
        execFileSync('git', ['ls-tree', '--name-only', 'trunk'], { cwd: info.path, encoding: 'utf8' }),
      ).toBe('g.txt\n');
      expect(g('for-each-ref')).toBe(refsBefore);
    } finally {
      await sim.stop();
    }
  });

  it('writes the same commit ids for the same history (fixed commit clock)', async () => {
    const shas: string[] = [];
    for (let i = 0; i < 2; i++) {
      const sim = await startGitHubSim({ appPrivateKey: testAppKey() });
      await sim.createRepo({ owner: 'acme', name: 'w' });
      await sim.commitFiles('acme/w', {
        branch: 'main',
        files: { 'a.txt': 'a\n' },
        message: 'a',
        author: 'alice',
      });
      shas.push(await sim.commitFiles('acme/w', { branch: 'main', files: { 'b.txt': 'b\n' }, message: 'b' }));
      await sim.stop();
    }
    expect(shas[0]).toBe(shas[1]);
  });

  it('dates records, pull requests, merges and commits by a scripted clock, never the wall clock', async () => {
    const sim = await startGitHubSim({ appPrivateKey: testAppKey(), startTime: '2025-01-06T09:00:00Z' });
    try {
      await sim.createRepo({ owner: 'acme', name: 'w' });
      await sim.commitFiles('acme/w', { branch: 'main', files: { 'a.txt': 'a\n' }, message: 'a' });
      sim.setTime('2025-02-03T10:00:00Z');
      await sim.commitFiles('acme/w', { branch: 'fix', files: { 'b.txt': 'b\n' }, message: 'b' });
      const n = await sim.createPull({
        repo: 'acme/w',
        head: 'fix',
        base: 'main',
        title: 'B',
        user: 'alice',
      });
      sim.setTime('2025-02-05T16:30:00Z');
      const merge = await sim.mergePull({ repo: 'acme/w', number: n, method: 'merge', mergedBy: 'alice' });
      const pull = sim.pulls('acme/w').find((p) => p.number === n)!;
      expect(pull.createdAt).toBe('2025-02-03T10:00:00Z');
      expect(pull.pull!.mergedAt).toBe('2025-02-05T16:30:00Z');
      // The app under test reads the same clock: right after the merge, not today.
      const afterMerge = sim.state.appTime().getTime() - Date.parse('2025-02-05T16:30:00Z');
      expect(afterMerge).toBeGreaterThan(0);
      expect(afterMerge).toBeLessThan(60_000);
      const dates = execFileSync('git', ['log', '--format=%cI', merge], {
        cwd: sim.repoPath('acme/w'),
        encoding: 'utf8',
      });
      expect(dates.trim().split('\n')).toEqual([
        '2025-02-05T16:30:00+00:00',
        '2025-02-03T10:00:00+00:00',
        '2025-01-06T09:00:00+00:00',
      ]);
      // GitHub's times only grow: the clock refuses to go back, even to the latest second.
      expect(() => sim.setTime('2025-02-05T16:30:00Z')).toThrow(/cannot go back to 2025-02-05T16:30:00/);
      expect(() => sim.setTime('not a date')).toThrow(/no time/);
    } finally {
      await sim.stop();
    }
  });

  it('removes its own temp dir on stop, and keeps a caller stateDir with a JSON dump', async () => {
    const own = await startGitHubSim({ appPrivateKey: testAppKey() });
    const ownPath = (await own.createRepo({ owner: 'acme', name: 'x' })).path;
    await own.stop();
    expect(existsSync(ownPath)).toBe(false);

    const stateDir = join(tmp.path, 'state');
    const kept = await startGitHubSim({ appPrivateKey: testAppKey(), stateDir });
    await kept.createRepo({ owner: 'acme', name: 'y' });
    await kept.commitFiles('acme/y', { branch: 'main', files: { 'a.txt': 'a\n' }, message: 'a' });
    await kept.createIssue({ repo: 'acme/y', title: 'kept', user: 'alice' });
    await kept.stop();
    const dump = JSON.parse(readFileSync(join(stateDir, 'sim-state.json'), 'utf8')) as {
      issues: Record<string, Record<string, { title: string }>>;
    };
    expect(dump.issues['acme/y']?.['1']?.title).toBe('kept');
    expect(existsSync(join(stateDir, 'repos', 'acme', 'y.git', 'HEAD'))).toBe(true);
  });
});
