/**
 * Turns zod's issues into the sentences a maintainer reads in the invalid-config comment:
 * each one names the key, says what is wrong and shows what was found.
 */
import type { z } from 'zod';
import type { ConfigProblem } from '../errors.js';

// Declared beside the invalid-config error that carries it.
export type { ConfigProblem } from '../errors.js';

const TEMPLATE_KEYS = new Set(['label', 'targetBranch', 'branchName', 'title', 'body']);

export function keyPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    out += typeof part === 'number' ? `[${part}]` : out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

/** A short, human description of a parsed YAML value. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') {
    const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return JSON.stringify(shown);
  }
  return String(value);
}

export function issuesToProblems(
  issues: readonly z.core.$ZodIssue[],
  allowedKeys: (path: PropertyKey[]) => string[],
): ConfigProblem[] {
  return issues.flatMap((issue) => issueToProblems(issue, [], allowedKeys));
}

function issueToProblems(
  issue: z.core.$ZodIssue,
  prefix: PropertyKey[],
  allowedKeys: (path: PropertyKey[]) => string[],
): ConfigProblem[] {
  const path = [...prefix, ...issue.path];
  const key = keyPath(path);
  const named = `\`${key}\``;
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((unknown) => {
        const full = keyPath([...path, unknown]);
        const guess = didYouMean(unknown, allowedKeys(path));
        return {
          key: full,
          problem: `unknown key \`${full}\`${guess ? ` (did you mean \`${keyPath([...path, guess])}\`?)` : ''}`,
        };
      });
    case 'invalid_union': {
      // The two shapes of `branches`: follow the one whose type matches what was written.
      const input = issue.input;
      const branch = issue.errors.find(
        (errs) => !errs.some((e) => e.code === 'invalid_type' && e.path.length === 0),
      );
      if (input !== null && typeof input === 'object' && branch) {
        return branch.flatMap((inner) => issueToProblems(inner, path, allowedKeys));
      }
      return [{ key, problem: `${named} ${issue.message}, got ${describeValue(input)}` }];
    }
    case 'invalid_type': {
      if (issue.input === undefined) return [{ key, problem: `${named} is missing` }];
      const hint =
        TEMPLATE_KEYS.has(key) && typeof issue.input === 'object' && issue.input !== null
          ? ' (quote the value: in YAML an unquoted `{` or `[` starts a mapping or a list)'
          : '';
      return [{ key, problem: `${named} ${issue.message}, got ${describeValue(issue.input)}${hint}` }];
    }
    case 'invalid_format':
      return [{ key, problem: `${named} ${issue.message}, got ${describeValue(issue.input)}` }];
    case 'invalid_value':
    case 'too_small':
    case 'too_big':
      return [
        {
          key,
          problem:
            typeof issue.input === 'number' || issue.code === 'invalid_value'
              ? `${named} ${issue.message}, got ${describeValue(issue.input)}`
              : `${named} ${issue.message}`,
        },
      ];
    default:
      return [{ key, problem: `${named} ${issue.message}` }];
  }
}

/** The closest known key, when the unknown one looks like a typo of it. */
export function didYouMean(unknown: string, known: readonly string[]): string | undefined {
  let best: { key: string; distance: number } | undefined;
  for (const key of known) {
    const distance = editDistance(unknown.toLowerCase(), key.toLowerCase());
    if (!best || distance < best.distance) best = { key, distance };
  }
  if (!best) return undefined;
  const tolerance = Math.max(1, Math.floor(best.key.length / 3));
  return best.distance <= tolerance ? best.key : undefined;
}

/** Damerau–Levenshtein distance (optimal string alignment), so a swapped pair counts once. */
function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        value = Math.min(value, d[i - 2]![j - 2]! + 1);
      d[i]![j] = value;
    }
  }
  return d[a.length]![b.length]!;
}
