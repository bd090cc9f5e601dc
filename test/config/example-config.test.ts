import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
// The same YAML parser Probot's `context.config` uses.
import { parse } from 'yaml';
import { parseConfig } from '../../src/config/parse-config.js';

describe('docs/backport.example.yml', () => {
  it('is accepted by the loader and sets what its comments say', () => {
    const raw: unknown = parse(
      readFileSync(new URL('../../docs/backport.example.yml', import.meta.url), 'utf8'),
    );
    const config = parseConfig(raw);
    expect(config.targetBranch).toBe('release/{target}');
    expect(config.conflict).toBe('both');
    expect(config.copyMilestone).toBe(false);
    expect(config.branches).toEqual({ pattern: '^release/\\d+\\.\\d+$' });
    expect(config.body).toContain('Backport of #{number}');
    expect(new RegExp(config.labelPattern).exec('backport-to: 1.2')?.groups?.target).toBe('1.2');
  });
});
