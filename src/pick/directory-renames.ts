import type { Rename } from './detect-renames.js';

export function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i === -1 ? '' : path.slice(0, i);
}

/** Every directory above `path`, deepest first ('' is the root and is not included). */
export function ancestors(path: string): string[] {
  const out: string[] = [];
  for (let d = dirname(path); d !== ''; d = dirname(d)) out.push(d);
  return out;
}

/**
 * Infers whole-directory renames from one side's file renames, as git's merge does: a
 * directory that side removed entirely, whose files mostly went to one new directory, was
 * renamed there. Each rename votes for its directory and, while the trailing directory
 * names agree, for their parents too. A tie is no rename.
 */
export function inferDirectoryRenames(
  renames: readonly Rename[],
  removed: ReadonlySet<string>,
): Map<string, string> {
  const votes = new Map<string, Map<string, number>>();
  for (const r of renames) {
    let from = dirname(r.from);
    let to = dirname(r.to);
    while (from !== '' && from !== to) {
      if (removed.has(from)) {
        const counts = votes.get(from) ?? new Map<string, number>();
        counts.set(to, (counts.get(to) ?? 0) + 1);
        votes.set(from, counts);
      }
      const fromName = from.slice(from.lastIndexOf('/') + 1);
      const toName = to.slice(to.lastIndexOf('/') + 1);
      if (fromName !== toName || to === '') break;
      from = dirname(from);
      to = dirname(to);
    }
  }
  const result = new Map<string, string>();
  for (const [from, counts] of votes) {
    let best: string | undefined;
    let bestCount = 0;
    let tie = false;
    for (const [to, n] of counts) {
      if (n > bestCount) {
        best = to;
        bestCount = n;
        tie = false;
      } else if (n === bestCount) {
        tie = true;
      }
    }
    if (best !== undefined && !tie) result.set(from, best);
  }
  return result;
}

/** Where `path` lands if its deepest renamed ancestor directory moved, or undefined. */
export function applyDirectoryRename(path: string, renames: ReadonlyMap<string, string>): string | undefined {
  for (const dir of ancestors(path)) {
    const to = renames.get(dir);
    if (to !== undefined) return (to === '' ? '' : `${to}/`) + path.slice(dir.length + 1);
  }
  return undefined;
}
