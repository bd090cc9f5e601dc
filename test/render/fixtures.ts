/** Small builders for renderer inputs, so each test states only what it is about. */
import type { ConflictHunk, ConflictResult, FileConflict } from '../../src/pick/types.js';
import type { CommitInfo, SourcePullRequest } from '../../src/common/source-pull-request.js';

export const SHA_A = 'a'.repeat(40);
export const SHA_B = 'b'.repeat(40);
export const SHA_C = 'c'.repeat(40);

export function sourcePr(overrides: Partial<SourcePullRequest> = {}): SourcePullRequest {
  return {
    number: 12,
    title: 'Fix the parser',
    url: 'https://github.com/acme/widgets/pull/12',
    author: 'alice',
    merger: 'bob',
    base: 'main',
    mergeMethod: 'squash',
    ...overrides,
  };
}

export function commits(...shas: string[]): CommitInfo[] {
  return shas.map((sha, i) => ({ sha, subject: `Commit ${i + 1}` }));
}

export function hunk(overrides: Partial<ConflictHunk> = {}): ConflictHunk {
  return {
    ours: { start: 10, count: 2 },
    base: { start: 8, count: 2 },
    theirs: { start: 8, count: 2 },
    baseLines: ['const a = 1;\n', 'const b = 2;\n'],
    oursLines: ['const a = 1; // target\n', 'const b = 3;\n'],
    theirsLines: ['const a = 10;\n', 'const b = 2;\n'],
    patch: '@@ -8,2 +8,2 @@\n-const a = 1;\n+const a = 10;\n const b = 2;\n',
    ...overrides,
  };
}

export function contentConflict(path: string, hunks: ConflictHunk[] = [hunk()]): FileConflict {
  return {
    path,
    kind: 'content',
    message: `Merge conflict in ${path}`,
    paths: { base: path, ours: path, theirs: path },
    hunks,
  };
}

export function conflictResult(overrides: Partial<ConflictResult> = {}): ConflictResult {
  return {
    status: 'conflict',
    commit: SHA_A,
    index: 0,
    picked: [],
    conflicts: [contentConflict('src/a.ts')],
    merged: ['src/clean.ts'],
    markerTree: 'f'.repeat(40),
    onto: 'e'.repeat(40),
    ...overrides,
  };
}
