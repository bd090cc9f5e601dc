/**
 * The regular expressions of `.github/backport.yml` (`labelPattern`, `copyLabels`,
 * `noBackportToPattern`, `branches.pattern`), run on RE2's linear-time engine (re2js).
 *
 * A repository's configuration is untrusted input read on the app's one thread: a
 * backtracking pattern such as `^(a+)+$` would freeze every installation at once. RE2 runs
 * any pattern in time linear in the text; what it cannot run that way (backreferences,
 * lookaround) is refused as a configuration error.
 */
import { RE2JS } from 're2js';

/** Longer patterns are refused: no label rule needs more. */
export const MAX_PATTERN_LENGTH = 200;

export interface SafePattern {
  test(text: string): boolean;
  /** The named group `target` of the first match, if the pattern matches and captures it. */
  target(text: string): string | undefined;
}

// Patterns come from a handful of configurations; compiling once per distinct source keeps
// the planner's per-label calls cheap. Bounded, oldest out first.
const cache = new Map<string, { pattern: RE2JS; hasTarget: boolean }>();
const CACHE_SIZE = 256;

/** Why a pattern cannot be used, as the invalid-config comment says it, or undefined. */
export function patternProblem(source: string, needsTarget: boolean): string | undefined {
  if (source.length > MAX_PATTERN_LENGTH) return `is longer than ${MAX_PATTERN_LENGTH} characters`;
  let compiled: { hasTarget: boolean };
  try {
    compiled = compileOnce(source);
  } catch (err) {
    const why = err instanceof Error ? err.message.replace(/^error parsing regexp: /, '') : String(err);
    // What JavaScript allows and RE2 does not: say so, or the maintainer hunts for a typo.
    const hint = /escape sequence|unsupported Perl|named capture/.test(why)
      ? '; backreferences and lookaround are not supported'
      : '';
    return `is not a valid regular expression (${why}${hint})`;
  }
  if (needsTarget && !compiled.hasTarget) return 'has no named group `target`, as in `(?<target>\\S+)`';
  return undefined;
}

/**
 * A configured pattern, ready to match. The configuration parser has refused the sources
 * this would throw on, so a throw here is a bug of ours.
 */
export function safePattern(source: string): SafePattern {
  const { pattern, hasTarget } = compileOnce(source);
  return {
    test: (text) => pattern.test(text),
    target: (text) => {
      if (!hasTarget) return undefined;
      const m = pattern.matcher(text);
      return m.find() ? (m.group('target') ?? undefined) : undefined;
    },
  };
}

function compileOnce(source: string): { pattern: RE2JS; hasTarget: boolean } {
  const hit = cache.get(source);
  if (hit) return hit;
  const pattern = RE2JS.compile(source);
  const entry = { pattern, hasTarget: Object.hasOwn(pattern.namedGroups(), 'target') };
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(source, entry);
  return entry;
}
