/** The app benchmark's report on the terminal, in the engine benchmark's style. */
import { summarizeCpuProfile } from '../engine/summarize-cpu-profile.js';
import type { AppResults, BackportTiming, FreshPickRuns, FreshPicks, VariantResult } from './app-results.js';
import { formatBytes } from './request-timeline.js';

const ms = (v: number | undefined) =>
  v === undefined ? 'n/a' : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(0)} ms`;
const median = (xs: number[]) =>
  xs.length === 0 ? undefined : [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

export function printAppTable(r: AppResults, verbose: boolean): void {
  console.log('');
  for (const v of r.variants) {
    const s = v.repo;
    console.log(
      `repo "${v.name}": ${s.files.toLocaleString('en')} files, ${s.mainCommits.toLocaleString('en')} commits on main ` +
        `(+${s.releaseCommits} on release), ${s.packedHuman} packed, ${(s.treeBytes / 1e6).toFixed(0)} MB at main's tip; ` +
        `copied into the simulator in ${v.copySeconds.toFixed(1)} s (untimed); the app's peak RSS ` +
        `${v.peakRssBytes.map(formatBytes).join(', ')}, its cache ${v.cacheBytes === undefined ? 'n/a' : formatBytes(v.cacheBytes)} on disk`,
    );
  }
  console.log(
    `latency ${r.options.latencyMs} ms per request; the simulator's git started by ${r.options.simGit === 'fork' ? 'a fork of the bench process' : 'its spawner process'}; rounds: ${r.options.coldRounds} cold, ${r.options.warmRounds} warm; ` +
      `load avg ${r.machine.loadavg.map((l) => l.toFixed(2)).join(' ')}`,
  );
  console.log(
    'the app runs in its own process (lib/, built); each empty-cache round starts a new one with an empty cache (untimed),\n' +
      'the warm rounds follow in the last; the simulator and its git http-backend children run beside it\n',
  );
  console.log(
    `${'webhook → (median)'.padEnd(30)}${'answer'.padStart(9)}${'PR'.padStart(9)}${'idle'.padStart(9)}` +
      `${'fetched'.padStart(11)}${'pushed'.padStart(10)}${'REST'.padStart(6)}${'git'.padStart(5)}${'n'.padStart(4)}`,
  );
  for (const v of r.variants) {
    for (const [kind, runs] of [
      ['cold', v.cold],
      ['warm', v.warm],
    ] as const) {
      const ok = runs.filter((t) => t.opened);
      const m = (pick: (t: BackportTiming) => number | undefined) =>
        median(ok.flatMap((t) => (pick(t) === undefined ? [] : [pick(t)!])));
      const bytes = (x: number | undefined) => (x === undefined ? 'n/a' : formatBytes(x));
      console.log(
        `${`${v.label}, ${kind}`.padEnd(30)}${ms(m((t) => t.toAnswerMs)).padStart(9)}${ms(m((t) => t.toPrMs)).padStart(9)}` +
          `${ms(m((t) => t.toIdleMs)).padStart(9)}${bytes(m((t) => t.fetchedBytes)).padStart(11)}` +
          `${bytes(m((t) => t.pushedBytes)).padStart(10)}${String(m((t) => t.restCalls) ?? '-').padStart(6)}` +
          `${String(m((t) => t.gitRequests) ?? '-').padStart(5)}${`${ok.length}/${runs.length}`.padStart(4)}`,
      );
    }
  }
  console.log('\nbytes of each upload-pack answer, cold:');
  for (const v of r.variants) {
    const app = (v.cold[0]?.requests ?? []).filter((q) => q.op === 'git/upload-pack');
    console.log(`  app, ${v.label}: ${app.map((q) => formatBytes(q.bytes)).join(', ') || 'n/a'}`);
    const g = v.gitReference;
    const ms = (x: number | undefined) => (x === undefined ? '' : ` in ${(x / 1000).toFixed(2)} s`);
    if (g?.error) console.log(`  git, ${v.label}: not measured: ${g.error}`);
    else if (g?.mainBytes !== undefined) {
      console.log(
        `  git fetch, ${v.label}: ${formatBytes(g.mainBytes)}${ms(g.mainMs)} (main, --depth 2), ` +
          `${formatBytes(g.targetBytes ?? 0)}${ms(g.targetMs)} (release, --depth 1)`,
      );
    } else if (g)
      console.log(`  git fetch, ${v.label}: whole trees not measured (over a gigabyte at the tip)`);
    const f = g?.filtered;
    if (f) {
      console.log(
        `  git fetch --filter=blob:none, ${v.label}: ${formatBytes(f.mainBytes)}${ms(f.mainMs)} (main), ` +
          `${formatBytes(f.targetBytes)}${ms(f.targetMs)} (release); no blob at all, less than a pick reads`,
      );
    }
  }
  if (r.fresh) printFreshPicks(r.fresh);
  if (verbose) for (const v of r.variants) printMemory(v);
  for (const v of r.variants) printWhereTimeGoes(v, verbose);
  console.log('\ntargets:');
  for (const t of r.targets) {
    const mark = t.met === undefined ? '[n/a]   ' : t.met ? '[met]   ' : '[MISSED]';
    console.log(`  ${mark} ${t.label}${t.value ? ` (${t.value})` : ''}`);
  }
  for (const t of r.variants.flatMap((v) => [...v.cold, ...v.warm])) {
    if (!t.opened) console.log(`\n!! ${t.variant} ${t.kind} #${t.round}: ${t.error}`);
  }
}

/**
 * What each app process's memory held when it was ready and at the highest RSS sampled (every
 * 10 ms): V8's heap spaces (committed), buffers, and the rest of the RSS (code, node itself,
 * native allocations). The sample may miss the top, which VmHWM has, by a few megabytes.
 */
function printMemory(v: VariantResult): void {
  (v.memory ?? []).forEach((m, i) => {
    const line = (label: string, x: (typeof m)['atReady']) => {
      const heap = Object.values(x.spaces).reduce((sum, s) => sum + s.committed, 0);
      const spaces = Object.entries(x.spaces)
        .filter(([, s]) => s.committed >= 512 * 1024)
        .map(([name, s]) => `${name.replace(/_space$/, '')} ${formatBytes(s.committed)}`)
        .join(', ');
      return (
        `    ${label}: RSS ${formatBytes(x.rss)} = V8 heap ${formatBytes(heap)} (${spaces}; ${formatBytes(x.heapUsed)} used) + ` +
        `buffers ${formatBytes(x.external)} + the rest ${formatBytes(Math.max(0, x.rss - heap - x.external))}`
      );
    };
    console.log(`
${v.label}, app process ${i + 1}, peak RSS ${formatBytes(v.peakRssBytes[i] ?? 0)}:`);
    console.log(line('ready', m.atReady));
    console.log(line('at the sampled peak', m.atPeak));
  });
}

/** Where one cold and one warm backport spent their time, from the request timeline. */
function printWhereTimeGoes(v: VariantResult, verbose: boolean): void {
  const shown = verbose ? [...v.cold, ...v.warm] : [v.cold[0], v.warm[0]].filter((t) => t !== undefined);
  for (const t of shown) {
    const b = t.breakdown;
    console.log(
      `\n${v.label}, ${t.kind} #${t.round} (${ms(t.toIdleMs)} to idle): REST ${ms(b.ms.rest)} (${b.calls.rest} calls), ` +
        `fetch ${ms(b.ms.fetch)} (${b.calls.fetch} requests, ${formatBytes(t.fetchedBytes)}), ` +
        `push ${ms(b.ms.push)} (${b.calls.push}), app between requests ${ms(b.betweenMs)}; ` +
        `the app's CPU time ${ms(t.appCpuMs)} (${ms(t.appCpuToIdleMs)} to idle), load ${t.load1.toFixed(1)}`,
    );
    const sim = b.simulator;
    const chain = (c: { requests: number; ms: number } | undefined) =>
      c ? `${c.requests} requests, ${ms(c.ms)}` : 'n/a';
    console.log(
      `    one after another: ${chain(b.chain.toPr)} to the PR, ${chain(b.chain.all)} to idle; ` +
        `of all requests' time, ${ms(sim.latencyMs)} is injected latency and ${ms(sim.gitMs)} the simulator's ` +
        `${sim.gitProcesses} git processes (the rest: its own code, the loopback)`,
    );
    for (const g of b.longestGaps.filter((x) => x.ms >= 50)) {
      console.log(`    ${ms(g.ms).padStart(9)} of app work after ${g.after}, before ${g.before}`);
    }
    if (verbose || t.kind === 'warm') {
      const ops = Object.entries(b.byOperation).sort((x, y) => y[1].ms - x[1].ms);
      const detail = (o: (typeof ops)[number][1]) =>
        o.gitProcesses > 0
          ? ` (latency ${ms(o.latencyMs)}, ${o.gitProcesses} git ${ms(o.gitMs)})`
          : ` (latency ${ms(o.latencyMs)})`;
      console.log(
        `    requests: ${ops.map(([op, o]) => `${op} ×${o.count} ${ms(o.ms)}${detail(o)}`).join(', ')}`,
      );
    }
    if (verbose) {
      for (const q of t.requests) {
        console.log(
          `      ${ms(q.at).padStart(9)} +${ms(q.ms).padEnd(8)} ${q.op} ${q.status}${q.bytes ? ` ${formatBytes(q.bytes)}` : ''}${q.upload ? ` (${q.upload})` : ''}`,
        );
      }
    }
    if (t.profile) {
      const p = summarizeCpuProfile(t.profile, 8);
      console.log(
        `    CPU profile (${t.profile}), ${(p.totalMs / 1000).toFixed(1)} s sampled; self time by area:`,
      );
      for (const a of p.byArea.slice(0, 8)) console.log(`      ${a.ms.toFixed(0).padStart(7)} ms  ${a.name}`);
      console.log('    hottest functions:');
      for (const f of p.hottest) console.log(`      ${f.ms.toFixed(0).padStart(7)} ms  ${f.name}`);
    }
  }
}

/**
 * The first picks beside bare node's start in the same environment, with NODE_EXTRA_CA_CERTS
 * as given and unset when it is set (node parses that bundle at every start, before any of
 * the CLI's code runs), then with the CLI's compile cache off (what a first run after an
 * install costs). "above node" is the difference of the medians: the CLI's own part.
 */
function printFreshPicks(f: FreshPicks): void {
  if (f.error) {
    console.log(`\nfirst pick in a fresh process: not measured: ${f.error}`);
    return;
  }
  console.log(
    `\nfirst pick in a fresh process (CLI pick --dry-run --json, a process each, ${f.ms.length} runs per row), ` +
      `beside node's own start (node -e 0 after each pick, same environment):`,
  );
  const certs = f.extraCaCerts;
  const rows: [string, FreshPickRuns][] = [
    [
      certs
        ? `NODE_EXTRA_CA_CERTS as given (${certs.certificates ?? '?'} certificates)`
        : 'as given (NODE_EXTRA_CA_CERTS not set)',
      f,
    ],
  ];
  if (f.withoutExtraCaCerts) rows.push(['NODE_EXTRA_CA_CERTS unset', f.withoutExtraCaCerts]);
  if (f.withoutCompileCache)
    rows.push(['compile cache off (as a first run), as given', f.withoutCompileCache]);
  console.log(
    `  ${''.padEnd(48)}${'first pick'.padStart(11)}${'min–max'.padStart(17)}${'node -e 0'.padStart(11)}` +
      `${'above node'.padStart(12)}${'load'.padStart(6)}`,
  );
  for (const [label, runs] of rows) {
    const pick = median(runs.ms);
    const node = median(runs.nodeMs);
    const spread = runs.ms.length > 0 ? `${ms(Math.min(...runs.ms))}–${ms(Math.max(...runs.ms))}` : 'n/a';
    console.log(
      `  ${label.padEnd(48)}${ms(pick).padStart(11)}${spread.padStart(17)}${ms(node).padStart(11)}` +
        `${(pick === undefined || node === undefined ? 'n/a' : ms(pick - node)).padStart(12)}` +
        `${(runs.loadavg[0]?.toFixed(1) ?? '?').padStart(6)}`,
    );
  }
  console.log(
    `  medians; peak RSS of a pick up to ${formatBytes(Math.max(0, ...f.peakRssKb) * 1024)}; ` +
      `verdicts ${[...new Set(f.verdicts)].join(', ')}`,
  );
}
