import { diffLines } from './diff-lines.js';
import type { Hunk } from './edit-script.js';
import { isBinary } from './is-binary.js';
import { LineInterner, bytesToText, displayText, splitLines } from './lines.js';
import type { ObjectStore } from './object-store.js';
import { TreeReader, type Entry } from './tree-reader.js';

/** A change as two trees: before and after. */
export interface TreeChange {
  from: string;
  to: string;
}

/**
 * How one file's change on the target compares with upstream's:
 * - `identical`: the same patch, line numbers and context included;
 * - `context`: the same lines removed and added, around other context or at other lines;
 * - `adapted`: other lines removed or added; `diff` compares the two patches as `git
 *   range-diff` does (outer `-` upstream's patch only, `+` the backport's only, ` ` both);
 * - `upstream-only` / `backport-only`: one side does not change the file.
 */
export type FileComparison =
  | { path: string; kind: 'identical' | 'context' | 'upstream-only' | 'backport-only' }
  | { path: string; kind: 'adapted'; diff: string[] };

const CONTEXT = 3;

/** Compares upstream's change with the backport's, file by file, in path order. */
export async function compareChanges(
  store: ObjectStore,
  upstream: TreeChange,
  backport: TreeChange,
): Promise<FileComparison[]> {
  const reader = new TreeReader(store);
  const up = new Map((await reader.diff(upstream.from, upstream.to)).map((c) => [c.path, c]));
  const back = new Map((await reader.diff(backport.from, backport.to)).map((c) => [c.path, c]));
  const out: FileComparison[] = [];
  for (const path of [...new Set([...up.keys(), ...back.keys()])].sort()) {
    const u = up.get(path);
    const b = back.get(path);
    if (!u) out.push({ path, kind: 'backport-only' });
    else if (!b) out.push({ path, kind: 'upstream-only' });
    else out.push(await compareFile(store, path, [u.a, u.b], [b.a, b.b]));
  }
  return out;
}

type Sides = [Entry | null, Entry | null];

async function compareFile(
  store: ObjectStore,
  path: string,
  up: Sides,
  back: Sides,
): Promise<FileComparison> {
  const same = (x: Entry | null, y: Entry | null) => x?.oid === y?.oid && x?.mode === y?.mode;
  if (same(up[0], back[0]) && same(up[1], back[1])) return { path, kind: 'identical' };
  const [u, b] = [await patchOf(store, up), await patchOf(store, back)];
  if (u === null || b === null) return { path, kind: 'adapted', diff: [] };
  if (u.join('') === b.join('')) return { path, kind: 'identical' };
  const changed = (p: string[]) => p.filter((l) => l[0] === '+' || l[0] === '-').join('');
  if (changed(u) === changed(b)) return { path, kind: 'context' };
  return { path, kind: 'adapted', diff: rangeDiff(u, b) };
}

/** The file's unified patch (lines keep their own endings), or null for binary content. */
async function patchOf(store: ObjectStore, [a, b]: Sides): Promise<string[] | null> {
  const read = async (e: Entry | null) =>
    e && /^10/.test(e.mode) ? await store.readBlob(e.oid) : new Uint8Array();
  const [x, y] = [await read(a), await read(b)];
  if (isBinary(x) || isBinary(y)) return null;
  const [la, lb] = [splitLines(bytesToText(x)), splitLines(bytesToText(y))];
  const interner = new LineInterner();
  return unified(la, lb, diffLines(interner.intern(la), interner.intern(lb)));
}

/** Hunks with `CONTEXT` lines around, joined when their context touches, as `git diff` does. */
function unified(a: string[], b: string[], hunks: Hunk[]): string[] {
  const out: string[] = [];
  const nl = (l: string) => (l.endsWith('\n') ? l : `${l}\n`);
  for (let i = 0; i < hunks.length;) {
    let j = i;
    while (
      j + 1 < hunks.length &&
      hunks[j + 1]!.startA - (hunks[j]!.startA + hunks[j]!.countA) <= 2 * CONTEXT
    )
      j++;
    const first = hunks[i]!;
    const last = hunks[j]!;
    const startA = Math.max(0, first.startA - CONTEXT);
    const endA = Math.min(a.length, last.startA + last.countA + CONTEXT);
    const startB = first.startB - (first.startA - startA);
    const endB = last.startB + last.countB + (endA - (last.startA + last.countA));
    out.push(`@@ -${startA + 1},${endA - startA} +${startB + 1},${endB - startB} @@\n`);
    let pa = startA;
    for (const h of hunks.slice(i, j + 1)) {
      for (; pa < h.startA; pa++) out.push(nl(` ${a[pa]!}`));
      for (let k = 0; k < h.countA; k++) out.push(nl(`-${a[h.startA + k]!}`));
      for (let k = 0; k < h.countB; k++) out.push(nl(`+${b[h.startB + k]!}`));
      pa = h.startA + h.countA;
    }
    for (; pa < endA; pa++) out.push(nl(` ${a[pa]!}`));
    i = j + 1;
  }
  return out;
}

/**
 * The two patches compared line by line, hunk headers without their numbers (moving is not
 * adapting): each line of the result is an outer mark and a patch line, only the regions that
 * differ with one line around them, `@@` between regions.
 */
function rangeDiff(up: string[], back: string[]): string[] {
  const strip = (p: string[]) => p.map((l) => (l.startsWith('@@ ') ? '@@\n' : l));
  const [u, b] = [strip(up), strip(back)];
  const interner = new LineInterner();
  const hunks = diffLines(interner.intern(u), interner.intern(b));
  const out: string[] = [];
  for (const h of hunks) {
    if (out.length > 0) out.push('@@\n');
    if (h.startA > 0) out.push(` ${u[h.startA - 1]!}`);
    for (let k = 0; k < h.countA; k++) out.push(`-${u[h.startA + k]!}`);
    for (let k = 0; k < h.countB; k++) out.push(`+${b[h.startB + k]!}`);
    if (h.startA + h.countA < u.length) out.push(` ${u[h.startA + h.countA]!}`);
  }
  return out.map((l) => displayText(l.replace(/\r?\n$/, '')));
}
