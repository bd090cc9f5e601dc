import { describe, expect, it } from '@jest/globals';
import { parseConfig } from '../../src/config/parse-config.js';
import type { ConfigProblem } from '../../src/config/parse-config.js';
import { isBackportError } from '../../src/errors.js';
import { renderCommandRefused, renderTargetsRefused } from '../../src/render/command-reply.js';
import { renderInvalidConfigComment } from '../../src/render/invalid-config-comment.js';
import { findMarker } from '../../src/render/marker.js';
import { mentions, splitFences } from './markdown-check.js';

describe('renderCommandRefused', () => {
  it('says what was refused and why, without pinging the commenter', () => {
    const reply = renderCommandRefused({
      login: 'mallory',
      targets: ['v1.2', '@org/team'],
      permission: 'read',
    });
    expect(reply).toBe(
      '`/backport v1.2 @org/team` was not run: only people with write access to this repository can ask for backports (@&#8203;mallory has `read` access). A maintainer can add the label or repeat the command.',
    );
    expect(mentions(reply)).toEqual([]);
  });
});

describe('renderTargetsRefused', () => {
  it('gives each reason as inline text and says whether the other targets started', () => {
    const input = {
      targets: ['v1..2', 'v1.2'],
      reasons: ['`v1..2` is not a valid branch name: it contains `..`.'],
    };
    expect(renderTargetsRefused({ ...input, othersStarted: true })).toBe(
      '`/backport v1..2 v1.2`: `v1..2` is not a valid branch name: it contains `..`. The other targets were started.',
    );
    expect(renderTargetsRefused({ ...input, othersStarted: false })).toMatch(/ Nothing was started\.$/);
  });

  it('keeps a reason that names someone from pinging them', () => {
    const reply = renderTargetsRefused({
      targets: ['@org/team'],
      reasons: ['@org/team is not a target.'],
      othersStarted: false,
    });
    expect(mentions(reply)).toEqual([]);
  });
});

describe('renderInvalidConfigComment', () => {
  function invalid(raw: unknown): { problems: ConfigProblem[]; message: string } {
    try {
      parseConfig(raw);
    } catch (err) {
      if (isBackportError(err, 'invalid-config')) {
        return { problems: err.data.problems, message: err.message };
      }
    }
    throw new Error('accepted');
  }

  it('names each key and problem, with the full error in a fence and a marker', () => {
    const { problems, message } = invalid({ maxFiles: 'many', lables: [] });
    const body = renderInvalidConfigComment({ source: 12, problems, message });
    expect(body).toContain('**Backport Assistant cannot use `.github/backport.yml`**');
    expect(body).toContain('- `maxFiles` must be a whole number, got "many"');
    expect(body).toContain('- unknown key `lables` (did you mean `labels`?)');
    expect(splitFences(body).blocks).toEqual([{ info: 'text', content: `${message}\n` }]);
    expect(findMarker(body, 'config-error')).toEqual({ type: 'config-error', source: 12 });
  });

  it('keeps hostile values from the file inert', () => {
    const { problems, message } = invalid({
      title: '{@alice} </details>',
      'x`@bob`': 1,
      labels: ['@carol'.repeat(10)],
    });
    const body = renderInvalidConfigComment({ source: 1, problems, message });
    expect(mentions(body)).toEqual([]);
    expect(body.split('</details>')).toHaveLength(2);
    expect(splitFences(body).unclosed).toBe(false);
  });
});
