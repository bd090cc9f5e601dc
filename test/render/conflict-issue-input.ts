// The conflict issue's input with every field set, and a check of its fenced blocks: shared by
// the tests of what the body says and of how it stays under GitHub's size limit.
import { expect } from '@jest/globals';
import type { ConflictIssueInput } from '../../src/render/conflict-issue.js';
import { commits, conflictResult, SHA_A, sourcePr } from './fixtures.js';
import { splitFences } from './markdown-check.js';

export function conflictIssueInput(overrides: Partial<ConflictIssueInput> = {}): ConflictIssueInput {
  return {
    source: sourcePr(),
    target: 'v1.2',
    branch: 'release/v1.2',
    backportBranch: 'backport/12-to-v1.2',
    commits: commits(SHA_A),
    result: conflictResult(),
    ...overrides,
  };
}

/** The fenced blocks of a body, checking that every fence closes. */
export function closedBlocks(body: string) {
  const split = splitFences(body);
  expect(split.unclosed).toBe(false);
  return split.blocks;
}
