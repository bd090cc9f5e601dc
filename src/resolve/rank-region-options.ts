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
  'token-merge',
  're-anchored',
  'deletion-plus-insertions',
  'theirs',
  'ours',
  'both-ours-first',
  'both-theirs-first',
];

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
  for (const o of [tokenMergeOption(r), branchNamesOption(r, ctx.subs), reanchoredOption(r, ctx)]) {
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
  const seen = new Set<string>();
  return all.filter((o) => {
    const key = JSON.stringify([o.lines, o.elsewhere ?? null]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
