/** The engine benchmark's report on the terminal. */
import type { EngineResults } from './engine-results.js';
import type { Summary } from './summarize.js';

const ms = (v: number | undefined) =>
  v === undefined ? 'n/a' : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(v < 10 ? 1 : 0)} ms`;
const mb = (v: number | undefined) => (v === undefined ? 'n/a' : `${v.toFixed(0)} MB`);

export function printEngineTable(r: EngineResults, verbose: boolean): void {
  const { repo } = r;
  const clean = r.cases.filter((c) => c.git.status === 'applied').length;
  const conflicts = r.cases.filter((c) => c.git.status === 'conflict').length;
  const g = repo.generatedSeconds;
  const generated = g
    ? `, generated ${g.now ? 'now' : 'once (cached)'} in ${g.importSeconds.toFixed(0)} s + ${g.repackSeconds.toFixed(0)} s repack`
    : '';
  console.log(
    `\nrepo: ${repo.files.toLocaleString('en')} files, ${repo.mainCommits.toLocaleString('en')} commits on main ` +
      `(+${repo.releaseCommits} on release), ${repo.packedHuman} packed, ` +
      `${(repo.treeBytes / 1e6).toFixed(0)} MB at main's tip${generated}`,
  );
  console.log(
    `cases: ${r.cases.length} picks onto release (git: ${clean} clean, ${conflicts} conflict); ` +
      `rounds: ${r.options.rounds} warm/git, ${r.options.coldRounds} cold; load avg ${r.machine.loadavg.map((l) => l.toFixed(2)).join(' ')}\n`,
  );
  const rows: [string, Summary | undefined][] = [
    ['ours, warm (all rounds)', r.summary.oursWarm],
    ['ours, warm (first round)', r.summary.oursWarmFirstRound],
    ['ours, cold (a process per pick)', r.summary.oursCold],
    ['git cherry-pick --no-commit', r.summary.gitCherryPick],
    ['git merge-tree <base> release <c>', r.summary.gitMergeTree],
    ['git merge-tree --write-tree (own base)', r.summary.gitMergeTreeWrite],
  ];
  console.log(
    `${'per pick (wall time)'.padEnd(40)}${'median'.padStart(10)}${'p90'.padStart(10)}${'n'.padStart(6)}`,
  );
  for (const [label, s] of rows) {
    console.log(
      `${label.padEnd(40)}${ms(s?.median).padStart(10)}${ms(s?.p90).padStart(10)}${String(s?.n ?? '-').padStart(6)}`,
    );
  }
  const ratio = (v: number | undefined) => (v === undefined ? 'n/a' : `${v.toFixed(2)}×`);
  console.log(
    `\nours warm / git cherry-pick (medians): ${ratio(r.summary.warmToGit)} first round, ` +
      `${ratio(r.summary.warmAllRoundsToGit)} all rounds`,
  );
  if (r.ours.openMs !== undefined) {
    console.log(`ours warm: open repository ${ms(r.ours.openMs)}, resolve release ${ms(r.ours.resolveMs)}`);
  }
  const m = r.memoryMb;
  console.log(
    `peak RSS: ours warm ${mb(m.oursWarm)}, ours cold ${mb(m.oursColdMedian)} median / ${mb(m.oursColdMax)} max, ` +
      `git cherry-pick ${mb(m.gitCherryPickMax)} max`,
  );
  console.log('\ntargets:');
  for (const t of r.targets) {
    const mark = t.met === undefined ? '[n/a]   ' : t.met ? '[met]   ' : '[MISSED]';
    console.log(`  ${mark} ${t.label}${t.value ? ` (${t.value})` : ''}`);
  }
  for (const problem of [r.ours.warmError, r.ours.coldError, r.ours.buildNote]) {
    if (problem) console.log(`\n!! ${problem}`);
  }
  const a = r.agreement;
  console.log(
    `\nagreement with git: ${a.compared - a.disagreements.length}/${a.compared} verdicts agree, ` +
      `${a.cleanTreesCompared} clean result trees compared`,
  );
  if (a.disagreements.length > 0) {
    console.log('\n' + '!'.repeat(72));
    console.log(`!! ${a.disagreements.length} DISAGREEMENT(S) WITH GIT:`);
    for (const d of a.disagreements) console.log(`!!   ${d}`);
    console.log('!'.repeat(72));
  }
  for (const n of a.notes) console.log(`note: ${n}`);
  if (verbose) printCases(r);
}

function printCases(r: EngineResults): void {
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
  console.log(
    `\n${'commit'.padEnd(12)}${'files'.padStart(6)}  ${'git'.padEnd(9)}${'ours'.padEnd(9)}` +
      `${'git'.padStart(9)}${'warm 1st'.padStart(9)}${'warm'.padStart(9)}${'cold'.padStart(9)}` +
      `${'read: trees'.padStart(13)}${'blobs'.padStart(7)}${'KB'.padStart(7)}  subject`,
  );
  for (const c of r.cases) {
    const reads = c.oursReads;
    console.log(
      `${c.sha.slice(0, 10).padEnd(12)}${String(c.files).padStart(6)}  ${c.git.status.padEnd(9)}` +
        `${(c.oursWarm?.status ?? '-').padEnd(9)}${ms(median(c.ms.gitCherryPick)).padStart(9)}` +
        `${ms(c.ms.oursWarm[0]).padStart(9)}${ms(median(c.ms.oursWarm.slice(1))).padStart(9)}` +
        `${ms(median(c.ms.oursCold)).padStart(9)}${String(reads?.trees ?? '-').padStart(13)}` +
        `${String(reads?.blobs ?? '-').padStart(7)}${(reads ? (reads.blobBytes / 1000).toFixed(0) : '-').padStart(7)}  ` +
        `${c.movedOnRelease ? '[moved on release] ' : ''}${c.subject.slice(0, 40)}`,
    );
  }
}
