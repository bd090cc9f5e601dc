import { diffLines } from '../pick/diff-lines.js';
import { displayText, LineInterner } from '../pick/lines.js';
import type { RegionOption } from './region-candidates.js';
import { substitute, type Substitutions } from './renames-learned.js';
import type { RegionSides, SettledEdit } from './text-segments.js';
import { diffTokens, isIdentifier, mergeTokens, tokenize } from './tokens.js';

/** What the richer candidates need beyond the region: the branch's whole file and its renames. */
export interface RegionContext {
  oursLines: readonly string[];
  subs: Substitutions;
  /** True when the region is a whole file added on both sides (add/add). */
  wholeFile?: boolean;
}

function linesOf(text: string): string[] {
  return text === '' ? [] : text.split(/(?<=\n)/);
}

/**
 * A three-way merge of the region word by word: offered only when the two sides' edits
 * touch different tokens, so both are kept with nothing to arbitrate.
 */
export function tokenMergeOption(r: RegionSides): RegionOption | undefined {
  const merged = mergeTokens(
    tokenize(r.base.join('')),
    tokenize(r.ours.join('')),
    tokenize(r.theirs.join('')),
  );
  if (!merged) return undefined;
  return {
    kind: 'token-merge',
    label: "Word by word: the branch's and upstream's edits change different words here; both kept",
    lines: linesOf(merged.join('')),
  };
}

/**
 * Upstream's edit written in the branch's names: the identifiers the branch renamed in this
 * file are renamed in upstream's lines too (and in base's, so the merge lines up), then the
 * region is merged word by word; when that still conflicts, upstream's renamed lines alone.
 */
export function branchNamesOption(r: RegionSides, subs: Substitutions): RegionOption | undefined {
  if (subs.size === 0) return undefined;
  const base = tokenize(r.base.join(''));
  const theirs = tokenize(r.theirs.join(''));
  // Only names upstream writes anew count: a name it merely keeps, the word merge handles.
  const inserted = diffTokens(base, theirs).flatMap((h) => theirs.slice(h.startB, h.startB + h.countB));
  const used = [...new Set(inserted.filter((t) => isIdentifier(t) && subs.has(t)))];
  if (used.length === 0) return undefined;
  const renamedTheirs = substitute(theirs, subs);
  const merged = mergeTokens(substitute(base, subs), tokenize(r.ours.join('')), renamedTheirs);
  const pairs = used.slice(0, 4).map((t) => `${displayText(t)} → ${displayText(subs.get(t)!)}`);
  if (used.length > 4) pairs.push('…');
  return {
    kind: 'branch-names',
    label: `Upstream's edit in the branch's names (${pairs.join(', ')})${merged ? ", with the branch's other edits here" : ''}`,
    lines: linesOf((merged ?? renamedTheirs).join('')),
  };
}

/** A re-anchored candidate: the branch's lines stay here, upstream's edit goes where its lines moved. */
export type ReanchoredOption = RegionOption & { elsewhere: SettledEdit };

/**
 * Upstream's edit re-anchored: when the lines upstream changed here appear exactly once
 * elsewhere in the branch's file (the branch moved them), the edit is made there and the
 * branch's lines here are kept. Lines too short to identify a place (a lone brace) do not
 * count.
 */
export function reanchoredOption(r: RegionSides, ctx: RegionContext): ReanchoredOption | undefined {
  const interner = new LineInterner();
  const hunks = diffLines(interner.intern(r.base), interner.intern(r.theirs));
  const first = hunks[0];
  const last = hunks[hunks.length - 1];
  if (!first || !last) return undefined;
  const removed = r.base.slice(first.startA, last.startA + last.countA);
  if (!removed.some((l) => l.replace(/\s/g, '').length >= 6)) return undefined;
  const inserted = r.theirs.slice(first.startB, last.startB + last.countB);
  const found = occurrences(ctx.oursLines, removed);
  if (found.length !== 1) return undefined;
  const at = found[0]!;
  const regionEnd = r.oursStart + r.ours.length;
  if (at < regionEnd && at + removed.length > r.oursStart) return undefined;
  return {
    kind: 're-anchored',
    label: `Upstream's edit made at line ${at + 1}, where the branch has the lines it changes; the branch's lines here kept`,
    lines: r.ours,
    elsewhere: { oursStart: at, count: removed.length, lines: inserted },
  };
}

function occurrences(lines: readonly string[], block: readonly string[]): number[] {
  const out: number[] = [];
  for (let i = 0; i + block.length <= lines.length; i++) {
    let k = 0;
    while (k < block.length && lines[i + k] === block[k]) k++;
    if (k === block.length) out.push(i);
    if (out.length > 1) break;
  }
  return out;
}
