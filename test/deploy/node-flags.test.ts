import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';

const root = join(import.meta.dirname, '..', '..');

/** The node options before `lib/index.js` in a command line, or undefined when it does not run it. */
function nodeFlags(words: readonly string[]): string[] | undefined {
  const node = words.indexOf('node');
  const entry = words.findIndex((w) => /^(\.\/)?lib\/index\.js$/.test(w));
  if (node < 0 || entry < node) return undefined;
  return words.slice(node + 1, entry);
}

function npmStartFlags(): string[] | undefined {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { start: string } };
  return nodeFlags(pkg.scripts.start.split(/\s+/));
}

function dockerCmdFlags(): string[] | undefined {
  const cmd = /^CMD (\[.*\])$/m.exec(readFileSync(join(root, 'Dockerfile'), 'utf8'));
  return cmd ? nodeFlags(JSON.parse(cmd[1]!) as string[]) : undefined;
}

/*
 * V8's heap settings are part of what keeps the app's peak RSS in bounds (see the README's
 * memory note): `npm start`, the image (and so compose) and the app benchmark, which reads
 * package.json, must run the app with the same ones.
 */
describe('the node flags the app runs with', () => {
  it('are the same for npm start and the Docker image', () => {
    expect(npmStartFlags()).toBeDefined();
    expect(dockerCmdFlags()).toEqual(npmStartFlags());
  });

  it('cap the young generation and keep WebAssembly on the baseline compiler', () => {
    expect(npmStartFlags()?.some((f) => /^--max-semi-space-size=\d+$/.test(f))).toBe(true);
    expect(npmStartFlags()).toContain('--liftoff-only');
  });
});
