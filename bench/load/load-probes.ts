/**
 * What the load benchmark measures beside the app: when each merge's webhook left the
 * simulated GitHub, when each backport PR came to exist, the instances' peak RSS and the
 * database's connection count.
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';
import type { GitHubSim, RequestLogEntry } from '../../tools/github-sim/index.js';

export interface Stamps {
  /** `owner/repo#number` of the merged PR → performance.now() when its webhook was sent. */
  delivered: Map<string, number>;
  /** `owner/repo#number` of the merged PR → performance.now() when its backport PR existed. */
  opened: Map<string, number>;
}

/**
 * Wraps the simulator's webhook sender (the delivery time) and request log (the simulator
 * logs `pulls/create` once the PR is stored: the repository's new bot PRs are stamped then).
 */
export function stampLoad(sim: GitHubSim): Stamps {
  const stamps: Stamps = { delivered: new Map(), opened: new Map() };
  const deliver = sim.webhooks.deliver.bind(sim.webhooks);
  sim.webhooks.deliver = (event, payload) => {
    const pr = payload.pull_request as { number?: number } | undefined;
    const repo = (payload.repository as { full_name?: string } | undefined)?.full_name;
    const key = `${repo}#${pr?.number}`;
    if (event === 'pull_request' && payload.action === 'closed' && !stamps.delivered.has(key))
      stamps.delivered.set(key, performance.now());
    return deliver(event, payload);
  };
  const log = sim.requestLog as RequestLogEntry[];
  const push = log.push.bind(log);
  log.push = (...entries: RequestLogEntry[]) => {
    const now = performance.now();
    for (const e of entries) {
      const repo = /^\/repos\/([^/]+\/[^/]+)\/pulls$/.exec(e.path)?.[1];
      if (e.operationId === 'pulls/create' && e.status === 201 && repo) stampNewPulls(sim, repo, stamps, now);
    }
    return push(...entries);
  };
  return stamps;
}

function stampNewPulls(sim: GitHubSim, repo: string, stamps: Stamps, now: number): void {
  for (const p of sim.pulls(repo)) {
    const source = /^backport\/(\d+)-to-/.exec(p.pull?.headRef ?? '')?.[1];
    const key = `${repo}#${source}`;
    if (p.user === sim.botLogin && source && !stamps.opened.has(key)) stamps.opened.set(key, now);
  }
}

/** Peak resident set of a live process (VmHWM), in bytes; undefined when unreadable. */
export function peakRss(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const kb = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}

/**
 * CPU seconds (user + system) a live process has used; with `reaped`, also what its children
 * that ended used (the simulator's git processes). Undefined when unreadable.
 */
export function cpuSeconds(pid: number | 'self' | undefined, reaped = false): number | undefined {
  if (pid === undefined) return undefined;
  try {
    // Fields after the command name (which may hold spaces): utime, stime, cutime and cstime
    // are the 12th to 15th, in clock ticks (100 a second on Linux).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number);
    return (f[11]! + f[12]! + (reaped ? f[13]! + f[14]! : 0)) / 100;
  } catch {
    return undefined;
  }
}

/** Samples the number of connections to one database every `everyMs`, keeping the peak. */
export async function sampleConnections(
  adminUrl: string,
  databaseUrl: string,
  everyMs = 200,
): Promise<{ peak(): number; stop(): Promise<void> }> {
  const name = new URL(databaseUrl).pathname.slice(1);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  let peak = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const { rows } = await client.query<{ n: string }>(
        'SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1',
        [name],
      );
      peak = Math.max(peak, Number(rows[0]?.n ?? 0));
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    peak: () => peak,
    stop: async () => {
      running = false;
      await loop;
      await client.end();
    },
  };
}
