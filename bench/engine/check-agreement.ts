/**
 * Our verdicts against git's: the same clean/conflict call for every case, and for clean picks
 * the very tree `git write-tree` gives after git's own cherry-pick.
 */
import type { CaseResult, EngineResults } from './engine-results.js';

export function checkAgreement(cases: CaseResult[]): EngineResults['agreement'] {
  const disagreements: string[] = [];
  const notes: string[] = [];
  let compared = 0;
  let cleanTreesCompared = 0;
  for (const c of cases) {
    const name = `${c.sha.slice(0, 10)} (${c.subject.slice(0, 40)})`;
    if (c.git.status === 'error') {
      notes.push(`${name}: git itself failed: ${c.git.detail ?? ''}`);
      continue;
    }
    for (const [label, ours] of [
      ['warm', c.oursWarm],
      ['cold', c.oursCold],
    ] as const) {
      if (!ours) continue;
      compared++;
      if (ours.status !== c.git.status) {
        const why = ours.status === 'error' ? `: ${ours.detail ?? ''}` : '';
        disagreements.push(`${name} [${label}]: git says ${c.git.status}, ours says ${ours.status}${why}`);
      } else if (ours.status === 'applied') {
        cleanTreesCompared++;
        if (ours.tree !== c.git.tree) {
          disagreements.push(`${name} [${label}]: result tree ${ours.tree} but git's is ${c.git.tree}`);
        }
      } else if (label === 'warm' && ours.conflicts?.join('\n') !== c.git.conflicts?.join('\n')) {
        notes.push(
          `${name}: conflicting paths differ: git ${c.git.conflicts?.join(', ')}; ours ${ours.conflicts?.join(', ')}`,
        );
      }
    }
  }
  return { compared, cleanTreesCompared, disagreements, notes };
}
