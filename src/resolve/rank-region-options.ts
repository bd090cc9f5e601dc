import { alignedLines } from './aligned-lines.js';
import { basicRegionOptions, type RegionOption } from './region-candidates.js';
import {
  branchNamesOption,
  reanchoredOption,
  tokenMergeOption,
  type RegionContext,
} from './rich-region-options.js';
import type { RegionSides, SettledEdit } from './text-segments.js';
import { newWords, tokenize } from './tokens.js';
import { displayText } from '../pick/lines.js';

export type RankedOption = RegionOption & { elsewhere?: SettledEdit };

/** The order candidates are offered in, best first, before the rules below. */
const RANK = [
  'branch-names',
  'line-by-line',
  're-anchored',
  'aligned-lines',
  'token-merge',
  'aligned-lines-theirs',
  'deletion-plus-insertions',
  'theirs',
  'ours',
  'both-ours-first',
  'both-theirs-first',
];

/** The line-by-line merges through base (aligned-lines.ts), when the sides line up. */
function alignedOptions(r: RegionSides): RankedOption[] {
  const out: RankedOption[] = [];
  const plain = alignedLines(r, 'refuse');
  if (plain) {
    out.push({
      kind: 'aligned-lines',
      label:
        "Line by line through base: each line as the side that changed it has it; the branch's deletions stand",
      lines: plain,
    });
  }
  const theirs = alignedLines(r, 'theirs');
  if (theirs) {
    out.push({
      kind: 'aligned-lines-theirs',
      label:
        "Line by line through base, upstream's line where both changed one; the branch's other edits and deletions stand",
      lines: theirs,
    });
  }
  return out;
}

/** Moves the options of `kinds` (in that order) just before the first option of `before`. */
function promote(all: RankedOption[], kinds: string[], before: string[]): RankedOption[] {
  const moved = kinds.flatMap((k) => all.filter((o) => o.kind === k));
  const rest = all.filter((o) => !kinds.includes(o.kind));
  const at = rest.findIndex((o) => before.includes(o.kind));
  return at === -1 ? [...rest, ...moved] : [...rest.slice(0, at), ...moved, ...rest.slice(at)];
}

/**
 * Every resolution of one region, ranked and without duplicates. Candidates that keep both
 * sides' intent come first (upstream's edit in the branch's names, which a word merge would
 * otherwise write in the old names; line then word merges; the edit at its new place), then
 * either side, then the concatenations. Measured on real backports (npm run eval): where the
 * branch only deleted lines, people mostly kept the deletion whole, so the branch's lines
 * come before upstream's; where both sides only added lines at one place (not a whole file
 * added twice), both come first. And when the branch's lines already contain every word
 * upstream brings in, the fix is most likely there already in another form, so "keep the
 * branch's lines" goes first and its label says why. Candidates giving the same result are
 * one: the higher-ranked stays.
 */
export function regionOptions(r: RegionSides, ctx: RegionContext, eol: string): RankedOption[] {
  let all: RankedOption[] = [...basicRegionOptions(r, eol)];
  for (const o of [
    tokenMergeOption(r),
    branchNamesOption(r, ctx.subs),
    reanchoredOption(r, ctx),
    ...alignedOptions(r),
  ]) {
    if (o) all.push(o);
  }
  all.sort((a, b) => RANK.indexOf(a.kind) - RANK.indexOf(b.kind));
  if (all.some((o) => o.kind === 'deletion-plus-insertions')) {
    all = promote(all, ['ours'], ['deletion-plus-insertions', 'theirs']);
  }
  if (r.base.length === 0 && !ctx.wholeFile)
    all = promote(all, ['both-ours-first', 'both-theirs-first'], ['theirs', 'ours']);
  const brought = [...newWords(tokenize(r.base.join('')), tokenize(r.theirs.join('')))];
  const oursWords = new Set(tokenize(r.ours.join('')));
  if (brought.length > 0 && brought.every((w) => oursWords.has(w))) {
    const i = all.findIndex((o) => o.kind === 'ours');
    const shown = brought.slice(0, 4).map(displayText).join(', ') + (brought.length > 4 ? ', …' : '');
    const ours = {
      ...all[i]!,
      label: `Keep the branch's lines: they already contain upstream's new words (${shown}); drop upstream's change here`,
    };
    all.splice(i, 1);
    all.unshift(ours);
  }
  return dedupe(all);
}

/** The plainest names first: of candidates with one result, a person reads the plainest. */
const PLAIN = [
  'ours',
  'theirs',
  'both-ours-first',
  'both-theirs-first',
  'line-by-line',
  'deletion-plus-insertions',
];
const plainness = (kind: string) => (PLAIN.includes(kind) ? PLAIN.indexOf(kind) : PLAIN.length);

/**
 * Candidates giving the same result are one: it keeps the rank of the best-ranked of them
 * and the kind and label of the plainest ("take upstream's lines" rather than a line merge
 * that happens to give upstream's lines).
 */
function dedupe(all: readonly RankedOption[]): RankedOption[] {
  const byKey = new Map<string, RankedOption>();
  const out: RankedOption[] = [];
  for (const o of all) {
    const key = JSON.stringify([o.lines, o.elsewhere ?? null]);
    const kept = byKey.get(key);
    if (!kept) {
      const copy = { ...o };
      byKey.set(key, copy);
      out.push(copy);
    } else if (plainness(o.kind) < plainness(kept.kind)) {
      kept.kind = o.kind;
      kept.label = o.label;
    }
  }
  return out;
}
