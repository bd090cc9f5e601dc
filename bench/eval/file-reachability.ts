/**
 * Whether the choices offered for one conflicted file can give the human's file, and whether
 * the first-ranked ones do. It reads the choice plan (src/resolve's internal view: the
 * merged file cut at its regions, and what each candidate writes), so each region is matched
 * on its own against the human's lines instead of trying every combination.
 */
import { bytesToText, splitLines } from '../../src/pick/lines.js';
import type { ObjectStore } from '../../src/pick/object-store.js';
import type { TreeReader } from '../../src/pick/tree-reader.js';
import { assemble } from '../../src/resolve/text-segments.js';
import type { FilePlan } from '../../src/resolve/plan-choices.js';
import type { TextFilePlan } from '../../src/resolve/text-file-plan.js';

export type MissKind =
  /** The human wrote lines of their own inside a conflicting region. */
  | 'new text in a region'
  /** The human also changed settled lines (a clean hunk adapted, code outside the regions). */
  | 'outside the regions'
  /** A whole-file conflict (modify/delete, add/add, rename, binary…) none of whose candidates matches. */
  | 'whole file';

export interface FileVerdict {
  /** Paths of the human's tree this verdict covers. */
  paths: string[];
  reachable: boolean;
  firstRanked: boolean;
  /** The kind of the candidate that matched first (of the file decision or of each region). */
  matched?: string[];
  miss?: MissKind;
}

/** At most this many partial matches are followed per file (the regions' answers rarely collide). */
const MAX_STATES = 256;

export async function fileVerdict(
  store: ObjectStore,
  trees: TreeReader,
  humanTree: string,
  plan: FilePlan,
): Promise<FileVerdict> {
  if (plan.type === 'whole') {
    const { candidates } = plan.decision;
    const ok: boolean[] = [];
    for (const c of candidates) {
      let same = true;
      for (const f of c.files ?? []) {
        const human = await trees.file(humanTree, f.path);
        same &&= human === null ? f.entry === null : human.oid === f.entry?.oid;
      }
      ok.push(same);
    }
    const paths = [...new Set(candidates.flatMap((c) => (c.files ?? []).map((f) => f.path)))];
    const at = ok.indexOf(true);
    return {
      paths,
      reachable: at >= 0,
      firstRanked: ok[0] === true,
      ...(at >= 0 ? { matched: [candidates[at]!.kind] } : { miss: 'whole file' as const }),
    };
  }
  const human = await trees.file(humanTree, plan.treePath);
  const humanText = human ? bytesToText(await store.readBlob(human.oid)) : undefined;
  const verdict = { paths: [plan.treePath], reachable: false, firstRanked: false };
  if (humanText === undefined) return { ...verdict, miss: 'outside the regions' };
  const keep = plan.fileDecision?.candidates.find((c) => c.keepBranchFile);
  const first = plan.fileDecision?.candidates[0]?.keepBranchFile
    ? plan.oursText
    : assemble(plan.text, (i) => plan.regionDecisions[i]?.candidates[0]?.lines ?? []);
  const firstRanked = first === humanText;
  if (keep && plan.oursText === humanText) {
    return { ...verdict, reachable: true, firstRanked, matched: [keep.kind] };
  }
  const path = matchRegions(plan, humanText);
  if (path) return { ...verdict, reachable: true, firstRanked, matched: path };
  return {
    ...verdict,
    firstRanked,
    miss: settledLinesFit(plan, humanText) ? 'new text in a region' : 'outside the regions',
  };
}

/** The candidate kinds, one per region, whose lines give `human`, or undefined. */
function matchRegions(plan: TextFilePlan, human: string): string[] | undefined {
  const lines = splitLines(human);
  let states = new Map<number, number[]>([[0, []]]);
  for (const segment of plan.text.segments) {
    const next = new Map<number, number[]>();
    for (const [at, chosen] of states) {
      if ('lines' in segment) {
        if (startsAt(lines, at, segment.lines)) next.set(at + segment.lines.length, chosen);
        continue;
      }
      const candidates = plan.regionDecisions[segment.region]?.candidates ?? [];
      candidates.forEach((c, k) => {
        const end = at + (c.lines ?? []).length;
        if (!next.has(end) && startsAt(lines, at, c.lines ?? [])) next.set(end, [...chosen, k]);
      });
    }
    states = new Map([...next].slice(0, MAX_STATES));
    if (states.size === 0) return undefined;
  }
  const chosen = states.get(lines.length);
  if (!chosen) return undefined;
  // Line ends at the end of the file are joined by assemble's own rule: check the whole text.
  const text = assemble(plan.text, (i) => plan.regionDecisions[i]?.candidates[chosen[i]!]?.lines ?? []);
  if (text !== human) return undefined;
  return chosen.map((k, i) => plan.regionDecisions[i]!.candidates[k]!.kind);
}

function startsAt(lines: readonly string[], at: number, run: readonly string[]): boolean {
  if (at + run.length > lines.length) return false;
  for (let i = 0; i < run.length; i++) if (noEol(lines[at + i]!) !== noEol(run[i]!)) return false;
  return true;
}

function noEol(line: string): string {
  return line.replace(/\r?\n$/, '');
}

/** True when the settled stretches appear in order in `human` (regions as wildcards). */
function settledLinesFit(plan: TextFilePlan, human: string): boolean {
  const lines = splitLines(human).map(noEol);
  let at = 0;
  for (const segment of plan.text.segments) {
    if (!('lines' in segment)) continue;
    const run = segment.lines.map(noEol);
    let found = -1;
    for (let i = at; i + run.length <= lines.length && found < 0; i++) {
      if (run.every((l, j) => lines[i + j] === l)) found = i;
    }
    if (found < 0) return false;
    at = found + run.length;
  }
  return true;
}
