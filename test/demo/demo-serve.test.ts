import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..');

/**
 * `npm run demo -- --serve`: the sample scenario, then the dashboard stays up until
 * interrupted. What a release manager would look at must be there for both branches.
 */
describe('npm run demo -- --serve', () => {
  it('serves a dashboard showing every ledger state on both branches, and stops on Ctrl-C', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.NODE_OPTIONS;
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', '--serve'], {
      cwd: ROOT,
      env,
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.resume();
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      const url = await new Promise<string>((ok, fail) => {
        const timer = setTimeout(() => fail(new Error(`no dashboard URL; stderr: ${stderr}`)), 120_000);
        child.stderr.on('data', () => {
          const m = /Dashboard: (\S+)/.exec(stderr);
          if (m) {
            clearTimeout(timer);
            ok(m[1]!);
          }
        });
      });
      const page = await (await fetch(`${url}acme/ratelimit`)).text();
      const text = page.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
      for (const branch of ['v2.0', 'v1.4']) {
        const section = text.slice(text.indexOf(`Branch ${branch}`));
        const own = section.slice(
          0,
          section.indexOf('Branch ', 10) > 0 ? section.indexOf('Branch ', 10) : undefined,
        );
        // Each state of the ledger appears for this branch.
        expect(own).toContain('Open backport PRs');
        expect(own).toContain('Conflicts');
        expect(own).toMatch(/merged \S+ after the upstream merge/);
        expect(own).toContain('abandoned');
        expect(own).toContain('declined (no backport at all)');
        expect(own).toContain('requested (PR not merged yet)');
        expect(own).toContain('Missing fixes');
        expect(own).toContain('fix: clamp the refill interval');
      }
      expect(text).toMatch(/passing/);
      expect(text).toMatch(/failing/);
      expect(page).toContain('<svg');
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  }, 180_000);
});
