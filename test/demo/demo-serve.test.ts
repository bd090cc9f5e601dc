import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..');
/**
 * The dashboard page of a run, as the determinism check compares it. To accept a new page
 * after an intended change to the story or the dashboard, run
 *   UPDATE_DEMO_PAGE=1 NODE_OPTIONS=--experimental-vm-modules npx jest test/demo/demo-serve
 * and commit the file.
 */
const PAGE_BASELINE = join(import.meta.dirname, '__pages__', 'acme-ratelimit.html');
const HOUR = 3_600_000;
/**
 * How long a demo may take to print its dashboard before it is taken for hung. The story
 * (twelve weeks of backports through the simulator) takes about 90 s on a quiet 2-core
 * machine, and Jest runs another suite beside it on the other worker: a bound on hangs,
 * not a speed check (timings belong in `npm run bench`).
 */
const SERVE_BOUND_MS = 400_000;
const DAY = 24 * HOUR;

interface Served {
  /** The repository's dashboard page, as served. */
  page: string;
  /** The page as text, tags removed. */
  text: string;
  /** Interrupts the demo (Ctrl-C) once; resolves with its exit code. */
  stop(): Promise<number | null>;
}

/** `npm run demo -- --serve` as a child process, until it prints the dashboard's URL. */
async function serve(): Promise<Served> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.NODE_OPTIONS;
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', '--serve'], {
    cwd: ROOT,
    env,
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.resume();
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  let stopped: Promise<number | null> | undefined;
  const stop = () => {
    if (!stopped) {
      child.kill('SIGINT');
      stopped = exited;
    }
    return stopped;
  };
  try {
    const url = await new Promise<string>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`no dashboard URL; stderr: ${stderr}`)), SERVE_BOUND_MS);
      child.stderr.on('data', () => {
        const m = /Dashboard: (\S+)/.exec(stderr);
        if (m) {
          clearTimeout(timer);
          ok(m[1]!);
        }
      });
    });
    const page = await (await fetch(`${url}acme/ratelimit`)).text();
    return { page, text: page.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' '), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** The page without the demo's address (a free port, another on every run). */
const local = (page: string) => page.replace(/127\.0\.0\.1:\d+/g, 'HOST');

/** One branch's section of the page text. */
function branchText(text: string, branch: string): string {
  const section = text.slice(text.indexOf(`Branch ${branch}`));
  const next = section.indexOf('Branch ', 10);
  return section.slice(0, next > 0 ? next : undefined);
}

/** A duration as the dashboard writes it (`45m`, `5h`, `3d 4h`), in milliseconds. */
function parseDuration(s: string): number {
  const unit: Record<string, number> = { m: 60_000, h: HOUR, d: DAY };
  const parts = [...s.matchAll(/(\d+)([mhd])/g)];
  if (parts.length === 0) throw new Error(`not a duration: ${s}`);
  return parts.reduce((ms, [, n, u]) => ms + Number(n) * unit[u!]!, 0);
}

/** The chart's marks, from their titles: branch, latency and the day the backport merged. */
function chartMarks(page: string): { branch: string; latencyMs: number; day: string }[] {
  return [
    ...page.matchAll(/<title>([^:<]+): #\d+ took ([^<(]+) \(merged (\d{4}-\d{2}-\d{2})\)<\/title>/g),
  ].map(([, branch, took, day]) => ({ branch: branch!, latencyMs: parseDuration(took!), day: day! }));
}

/**
 * `npm run demo -- --serve`: the sample scenario and twelve weeks of history, then the
 * dashboard stays up until interrupted. What a release manager would look at must be there
 * for both branches, with dates that mean something, the same on every run.
 */
describe('npm run demo -- --serve', () => {
  let first: Served;
  beforeAll(async () => {
    first = await serve();
  }, SERVE_BOUND_MS + 20_000);
  afterAll(async () => {
    await first?.stop();
  });

  it('serves a dashboard showing every ledger state on both branches', () => {
    const { text, page } = first;
    for (const branch of ['v2.0', 'v1.4']) {
      const own = branchText(text, branch);
      // Each state of the ledger appears for this branch.
      expect(own).toContain('Open backport PRs');
      expect(own).toContain('Conflicts');
      expect(own).toMatch(/merged \S+ after the upstream merge/);
      expect(own).toContain('abandoned');
      expect(own).toContain('declined (no backport at all)');
      expect(own).toContain('requested (PR not merged yet)');
      expect(own).toContain('Missing fixes');
      expect(own).toContain('fix: clamp the refill interval');
    }
    expect(text).toMatch(/passing/);
    expect(text).toMatch(/failing/);
    expect(page).toContain('<svg');
  });

  it('tells a story of weeks: backports take hours to weeks, merged on many days', () => {
    const marks = chartMarks(first.page);
    const medians: Record<string, number> = {};
    for (const branch of ['v2.0', 'v1.4']) {
      const own = branchText(first.text, branch);
      const mine = marks.filter((m) => m.branch === branch);
      // One mark per merged backport, each merged on its own day.
      expect(mine.length).toBeGreaterThanOrEqual(5);
      expect(Number(/Merged \(90 d\) (\d+)/.exec(own)?.[1])).toBe(mine.length);
      expect(new Set(mine.map((m) => m.day)).size).toBe(mine.length);
      const days = mine.map((m) => Date.parse(m.day));
      expect(Math.max(...days) - Math.min(...days)).toBeGreaterThanOrEqual(4 * 7 * DAY);
      for (const m of mine) expect(m.latencyMs).toBeGreaterThanOrEqual(HOUR);
      const median = parseDuration(/Median \(90 d\) (\d+[mhd](?: \d+[mhd])?)/.exec(own)![1]!);
      const p90 = parseDuration(/p90 \(90 d\) (\d+[mhd](?: \d+[mhd])?)/.exec(own)![1]!);
      expect(median).toBeGreaterThanOrEqual(HOUR);
      expect(median).toBeLessThanOrEqual(4 * 7 * DAY);
      expect(p90).toBeGreaterThan(median);
      medians[branch] = median;
    }
    // The older release line takes its backports later: days against v2.0's hours.
    expect(medians['v2.0']).toBeLessThan(DAY);
    expect(medians['v1.4']).toBeGreaterThanOrEqual(2 * DAY);
    expect(Math.max(...marks.map((m) => m.latencyMs))).toBeGreaterThanOrEqual(14 * DAY);
    // The oldest open item has waited for weeks, and the list is oldest first.
    const oldest = /Oldest open (.*?) Branch /.exec(first.text)![1]!;
    const ages = [...oldest.matchAll(/open for (\d+[mhd](?: \d+[mhd])?)/g)].map((m) => parseDuration(m[1]!));
    expect(ages.length).toBeGreaterThanOrEqual(3);
    expect(ages[0]).toBeGreaterThanOrEqual(4 * 7 * DAY);
    expect([...ages].sort((a, b) => b - a)).toEqual(ages);
  });

  it('serves the same page on every run: dates come from the scripted clock', () => {
    // Compared with the page an earlier run served, checked in (see PAGE_BASELINE): one story
    // per test run instead of two back to back, and a date or order taken from the wall clock
    // or a race shows up against any earlier day's run, not only against a run minutes apart.
    const page = local(first.page);
    if (process.env.UPDATE_DEMO_PAGE === '1') {
      mkdirSync(dirname(PAGE_BASELINE), { recursive: true });
      writeFileSync(PAGE_BASELINE, page);
    }
    if (!existsSync(PAGE_BASELINE)) {
      throw new Error(`No page at ${PAGE_BASELINE}; run with UPDATE_DEMO_PAGE=1 to record it.`);
    }
    const recorded = readFileSync(PAGE_BASELINE, 'utf8');
    if (page !== recorded) {
      const actual = join(mkdtempSync(join(tmpdir(), 'demo-page-')), 'actual.html');
      writeFileSync(actual, page);
      // toBe's diff of two long one-line pages is unreadable: say where they part.
      let at = 0;
      while (page[at] === recorded[at]) at++;
      throw new Error(
        `The demo served a page other than ${PAGE_BASELINE} (see ${actual}); they part at ` +
          `character ${at}: recorded ${JSON.stringify(recorded.slice(at, at + 80))}, ` +
          `served ${JSON.stringify(page.slice(at, at + 80))}. If the story or the dashboard was ` +
          'changed on purpose, rerun with UPDATE_DEMO_PAGE=1 and commit the page.',
      );
    }
  });

  it('stops on Ctrl-C', async () => {
    expect(await first.stop()).toBe(0);
  });
});
