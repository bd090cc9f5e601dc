import { diffLines } from '../pick/diff-lines.js';
import { LineInterner } from '../pick/lines.js';
import { joinRuns, type RegionSides } from './text-segments.js';

/** A resolution of one region before it is lettered: what it is called and the lines it gives. */
export interface RegionOption {
  kind: string;
  label: string;
  lines: string[];
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The basic resolutions of one conflicting region, each the exact lines it would leave:
 * the branch's lines, upstream's, both in either order, the branch's deletion plus
 * upstream's insertions, and a line-by-line merge when all three versions have as many
 * lines. Combining kinds come first (they keep both sides' intent), then the two sides,
 * then the two concatenations, which are rarely right but sometimes are.
 */
export function basicRegionOptions(r: RegionSides, eol: string): RegionOption[] {
  const options: RegionOption[] = [];
  const lineWise = lineByLine(r);
  if (lineWise) {
    options.push({
      kind: 'line-by-line',
      label: "Line by line: each line as the side that changed it has it (both sides' edits kept)",
      lines: lineWise,
    });
  }
  const deletion = deletionPlusInsertions(r);
  if (deletion) options.push(deletion);
  options.push(
    {
      kind: 'theirs',
      label: "Take upstream's lines; drop the branch's change here",
      lines: r.theirs,
    },
    {
      kind: 'ours',
      label: "Keep the branch's lines; drop upstream's change here",
      lines: r.ours,
    },
    {
      kind: 'both-ours-first',
      label: "Both: the branch's lines, then upstream's",
      lines: splitJoined(joinRuns([r.ours, r.theirs], eol)),
    },
    {
      kind: 'both-theirs-first',
      label: "Both: upstream's lines, then the branch's",
      lines: splitJoined(joinRuns([r.theirs, r.ours], eol)),
    },
  );
  return options;
}

function splitJoined(text: string): string[] {
  return text === '' ? [] : text.split(/(?<=\n)/);
}

/**
 * When base, branch and upstream have the same number of lines in the region, each line
 * is merged on its own: a line only one side changed takes that side's version. Offered
 * only when no line was changed differently by both sides.
 */
function lineByLine(r: RegionSides): string[] | undefined {
  const n = r.base.length;
  if (n === 0 || r.ours.length !== n || r.theirs.length !== n) return undefined;
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const [b, o, t] = [r.base[i]!, r.ours[i]!, r.theirs[i]!];
    if (o === b || o === t) out.push(t);
    else if (t === b) out.push(o);
    else return undefined;
  }
  return out;
}

/**
 * When the branch only deleted lines here: upstream's version of the region without the
 * base lines the branch deleted. Upstream's new lines are all kept; its replacements of
 * lines the branch deleted lose their old lines, so the deletion stands.
 */
function deletionPlusInsertions(r: RegionSides): RegionOption | undefined {
  const interner = new LineInterner();
  const b = interner.intern(r.base);
  const o = interner.intern(r.ours);
  const t = interner.intern(r.theirs);
  const oursHunks = diffLines(b, o);
  if (oursHunks.length === 0 || oursHunks.some((h) => h.countB > 0)) return undefined;
  const deleted = new Uint8Array(b.length);
  for (const h of oursHunks) deleted.fill(1, h.startA, h.startA + h.countA);
  const lines: string[] = [];
  let bi = 0;
  let ti = 0;
  let inserted = 0;
  for (const h of [...diffLines(b, t), { startA: b.length, countA: 0, startB: t.length, countB: 0 }]) {
    // Lines both versions share, up to upstream's next change: kept unless the branch deleted them.
    for (; bi < h.startA; bi++, ti++) if (!deleted[bi]) lines.push(r.theirs[ti]!);
    lines.push(...r.theirs.slice(h.startB, h.startB + h.countB));
    inserted += h.countB;
    bi = h.startA + h.countA;
    ti = h.startB + h.countB;
  }
  if (inserted === 0) return undefined;
  const removed = oursHunks.reduce((s, h) => s + h.countA, 0);
  return {
    kind: 'deletion-plus-insertions',
    label: `Keep the branch's deletion of ${plural(removed, 'line')} and add upstream's ${plural(inserted, 'new line')}`,
    lines,
  };
}
