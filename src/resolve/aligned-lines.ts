import { diffLines } from '../pick/diff-lines.js';
import type { Hunk } from '../pick/edit-script.js';
import { LineInterner } from '../pick/lines.js';
import type { RegionSides } from './text-segments.js';

/** What one side did to one base line. */
type Action = { keep: true } | { del: true } | { rep: string } | { block: Hunk };

interface SideEdits {
  actions: Action[];
  /** Lines inserted before base line i (i = base length: at the end). */
  inserts: Map<number, string[]>;
  lines: readonly string[];
}

/** How two line changes of one base line are settled when both sides changed it. */
export type BothChanged = 'refuse' | 'theirs';

/**
 * A line-by-line merge of a region through the base: each base line takes the one side
 * that changed it, lines a side replaced one for one count as changed one by one, a
 * deletion by the branch stands over upstream's change of the same line, and insertions go
 * where they were made. A stretch one side rewrote (a different number of lines) must be
 * untouched by the other. When both sides changed one line differently, `refuse` gives no
 * result and `theirs` takes upstream's line. Returns undefined when the sides cannot be
 * lined up that way.
 */
export function alignedLines(r: RegionSides, both: BothChanged): string[] | undefined {
  const interner = new LineInterner();
  const b = interner.intern(r.base);
  const ours = sideEdits(r.base.length, diffLines(b, interner.intern(r.ours)), r.ours);
  const theirs = sideEdits(r.base.length, diffLines(b, interner.intern(r.theirs)), r.theirs);
  const out: string[] = [];
  for (let i = 0; i <= r.base.length; i++) {
    const [oi, ti] = [ours.inserts.get(i), theirs.inserts.get(i)];
    if (oi && ti && oi.join('') !== ti.join('')) return undefined;
    out.push(...(oi ?? ti ?? []));
    if (i === r.base.length) break;
    const step = mergeLine(r, i, ours, theirs, both, out);
    if (step === undefined) return undefined;
    i += step - 1;
  }
  return out;
}

/** Settles base line i (or a block starting there); returns how many base lines it consumed. */
function mergeLine(
  r: RegionSides,
  i: number,
  ours: SideEdits,
  theirs: SideEdits,
  both: BothChanged,
  out: string[],
): number | undefined {
  const [o, t] = [ours.actions[i]!, theirs.actions[i]!];
  if ('block' in o || 'block' in t) {
    const [side, other] = 'block' in o ? [ours, theirs] : [theirs, ours];
    const h = ('block' in o ? o : t) as { block: Hunk };
    const end = h.block.startA + h.block.countA;
    if (h.block.startA !== i) return undefined;
    for (let k = i; k < end; k++) if (!('keep' in other.actions[k]!)) return undefined;
    for (let k = i + 1; k < end; k++) if (other.inserts.has(k)) return undefined;
    out.push(...side.lines.slice(h.block.startB, h.block.startB + h.block.countB));
    return h.block.countA;
  }
  if ('keep' in o && 'keep' in t) out.push(r.base[i]!);
  else if ('keep' in o) push(out, t);
  else if ('keep' in t || 'del' in o) push(out, o);
  else if ('del' in t) return undefined;
  else if (o.rep === t.rep || both === 'theirs') out.push(t.rep);
  else return undefined;
  return 1;
}

function push(out: string[], a: Action): void {
  if ('rep' in a) out.push(a.rep);
}

function sideEdits(baseLength: number, hunks: readonly Hunk[], lines: readonly string[]): SideEdits {
  const actions: Action[] = Array.from({ length: baseLength }, () => ({ keep: true }));
  const inserts = new Map<number, string[]>();
  for (const h of hunks) {
    if (h.countA === 0) {
      inserts.set(h.startA, lines.slice(h.startB, h.startB + h.countB));
    } else if (h.countB === 0) {
      for (let k = 0; k < h.countA; k++) actions[h.startA + k] = { del: true };
    } else if (h.countA === h.countB) {
      for (let k = 0; k < h.countA; k++) actions[h.startA + k] = { rep: lines[h.startB + k]! };
    } else {
      for (let k = 0; k < h.countA; k++) actions[h.startA + k] = { block: h };
    }
  }
  return { actions, inserts, lines };
}
