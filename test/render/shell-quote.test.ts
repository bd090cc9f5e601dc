import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { shellCommand, shellQuote } from '../../src/render/shell-quote.js';

describe('shellQuote', () => {
  it('leaves ordinary words alone', () => {
    expect(shellCommand(['git', 'switch', '-c', 'backport/12-to-v1.2', 'origin/v1.2'])).toBe(
      'git switch -c backport/12-to-v1.2 origin/v1.2',
    );
  });

  it('reaches bash as the exact word, whatever a branch name holds', () => {
    const words = [
      '$(touch pwned)',
      '`id`',
      "it's",
      'a;b&&c|d',
      'x y',
      '"double"',
      'star*?',
      '!bang',
      '#hash',
      '~tilde',
      'back\\slash',
      "'",
      '',
      'ünïcode',
    ];
    const script = `printf '%s\\0' ${words.map(shellQuote).join(' ')}`;
    const run = spawnSync('bash', ['-c', script], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout.split('\0').slice(0, -1)).toEqual(words);
  });
});
