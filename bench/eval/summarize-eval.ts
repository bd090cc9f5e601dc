/** The eval's numbers from its per-case results, and the table that prints them next to issue 8's targets. */
import type { CaseResult, ConflictDetail } from './evaluate-case.js';

export interface EvalSummary {
  cases: number;
  gitConflicts: number;
  oursConflicts: number;
  /** Must be 0: a check that says "applied" where git conflicts. */
  appliedWhereGitConflicts: number;
  conflictWhereGitApplies: number;
  treeDiffers: number;
  errors: number;
  measured: number;
  files: number;
  reachable: number;
  firstRanked: number;
  wholeReachable: number;
  prerequisitesClean: number;
  prerequisitesTruncated: number;
  /** Clean prerequisite answers that git's own cherry-picks contradict. */
  prerequisitesGitDisagrees: number;
  medianMs: number;
  p90Ms: number;
  misses: Record<string, number>;
  /** Why prerequisites did not make a conflict clean. */
  blocked: Record<string, number>;
  matched: Record<string, number>;
}

export function summarize(results: readonly CaseResult[]): EvalSummary {
  const details = results.flatMap((r) => (r.conflict ? [r.conflict] : []));
  const files = details.flatMap((d) => d.files);
  const ms = details.map((d) => d.ms).sort((a, b) => a - b);
  const count = (items: readonly string[]) =>
    items.reduce<Record<string, number>>((acc, k) => ((acc[k] = (acc[k] ?? 0) + 1), acc), {});
  return {
    cases: results.length,
    gitConflicts: results.filter((r) => r.git === 'conflict').length,
    oursConflicts: results.filter((r) => r.ours === 'conflict').length,
    appliedWhereGitConflicts: results.filter((r) => r.git === 'conflict' && r.ours === 'applied').length,
    conflictWhereGitApplies: results.filter((r) => r.git === 'applied' && r.ours === 'conflict').length,
    treeDiffers: results.filter((r) => r.treeDiffers).length,
    errors: results.filter((r) => r.ours === 'error').length,
    measured: details.length,
    files: files.length,
    reachable: files.filter((f) => f.reachable).length,
    firstRanked: files.filter((f) => f.reachable && f.firstRanked).length,
    wholeReachable: details.filter(wholeReachable).length,
    prerequisitesClean: details.filter((d) => d.prerequisites.clean).length,
    prerequisitesTruncated: details.filter((d) => d.prerequisites.truncated !== undefined).length,
    prerequisitesGitDisagrees: details.filter((d) => d.prerequisites.gitAgrees === false).length,
    medianMs: quantile(ms, 0.5),
    p90Ms: quantile(ms, 0.9),
    misses: count(files.flatMap((f) => (f.miss ? [f.miss] : []))),
    blocked: count(details.flatMap((d) => (d.prerequisites.blocked ? [d.prerequisites.blocked] : []))),
    matched: count(
      files.flatMap((f) =>
        f.matched && f.matched.length === 1 ? f.matched : f.matched ? ['per-region mix'] : [],
      ),
    ),
  };
}

/** Every conflicted file reachable, and the human changed nothing else the pick did not. */
export function wholeReachable(d: ConflictDetail): boolean {
  return d.files.every((f) => f.reachable) && d.cleanPathsDiffer.length === 0;
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

const pct = (n: number, d: number) => (d === 0 ? 'n/a' : `${((100 * n) / d).toFixed(1)} %`);

export function formatTable(name: string, s: EvalSummary): string {
  const rows: [string, string, string][] = [
    ['backports (triples)', String(s.cases), ''],
    ['git conflicts / ours', `${s.gitConflicts} / ${s.oursConflicts}`, ''],
    ['"applied" where git conflicts', String(s.appliedWhereGitConflicts), '0'],
    [
      'conflict where git applies; both applied, other tree; errors',
      `${s.conflictWhereGitApplies}; ${s.treeDiffers}; ${s.errors}`,
      '',
    ],
    [
      'conflicted files reachable from the choices',
      `${s.reachable} / ${s.files} = ${pct(s.reachable, s.files)}`,
      '≥ 60 %',
    ],
    [
      'first-ranked choices give it',
      `${s.firstRanked} / ${s.reachable} = ${pct(s.firstRanked, s.reachable)}`,
      '≥ 50 %',
    ],
    [
      'conflicted backports wholly reachable',
      `${s.wholeReachable} / ${s.measured} = ${pct(s.wholeReachable, s.measured)}`,
      '≥ 35 %',
    ],
    [
      'conflicts made clean by prerequisites',
      `${s.prerequisitesClean} / ${s.measured} = ${pct(s.prerequisitesClean, s.measured)}`,
      '≥ 10 % (Go)',
    ],
    [
      '… of which git does not apply; searches cut short',
      `${s.prerequisitesGitDisagrees}; ${s.prerequisitesTruncated}`,
      '0; ',
    ],
    [
      'choices + prerequisites per conflict',
      `median ${s.medianMs.toFixed(0)} ms, p90 ${s.p90Ms.toFixed(0)} ms`,
      '< 300 ms',
    ],
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  const lines = [
    `| ${name.padEnd(w0)} | ${'measured'.padEnd(w1)} | target |`,
    `|${'-'.repeat(w0 + 2)}|${'-'.repeat(w1 + 2)}|---|`,
  ];
  for (const [a, b, c] of rows) lines.push(`| ${a.padEnd(w0)} | ${b.padEnd(w1)} | ${c} |`);
  lines.push(
    '',
    `matched by: ${JSON.stringify(s.matched)}`,
    `misses: ${JSON.stringify(s.misses)}`,
    `prerequisites not clean: ${JSON.stringify(s.blocked)}`,
  );
  return lines.join('\n');
}
