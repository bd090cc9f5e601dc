/**
 * `npx tsx scripts/docker-sim-check.ts [--repos N] [--prs-per-repo M]`: compose.yaml's two
 * instances and PostgreSQL, built from this checkout, against the simulated GitHub. Called by
 * scripts/docker-smoke.sh (which sets the environment below); needs a Docker daemon.
 *
 * The simulator listens on the host's loopback, so the two app containers get the host's
 * network (on ports 3001 and 3002, as compose.yaml publishes them) and PostgreSQL is published
 * on a loopback port; everything else is compose.yaml as shipped. A small proxy
 * puts the simulator behind GitHub Enterprise Server's `/api/v3` layout, so the containers are
 * configured as production is (Probot's GHE_HOST), with nothing test-only in the image.
 *
 * Webhooks go to the first instance only. The check passes when every merged PR has exactly
 * one backport PR and one status comment, and both instances completed jobs: the second
 * instance took work it never received, through the shared job queue.
 *
 * Environment: BPA_COMPOSE (the compose command, e.g. "docker compose"), BPA_POSTGRES_IMAGE
 * (instead of compose.yaml's postgres image), BPA_BUILD_NETWORK (`build.network`).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import YAML from 'yaml';
import { buildLoadWorld, loadOutcome, mergeBurst } from '../bench/load/load-world.js';
import { freePort } from '../test/e2e/durable/app-child.js';
import { startGitHubSim, type GitHubSim } from '../tools/github-sim/index.js';

const APP_PORTS = [3001, 3002];
const repoRoot = resolve(import.meta.dirname, '..');

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      repos: { type: 'string', default: '3' },
      'prs-per-repo': { type: 'string', default: '2' },
      timeout: { type: 'string', default: '600' },
    },
  });
  const repos = Number(values.repos);
  const prs = repos * Number(values['prs-per-repo']);
  const compose = (process.env.BPA_COMPOSE ?? 'docker compose').split(' ');
  const sim = await startGitHubSim();
  const proxy = await enterpriseLayout(sim);
  const pgPort = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'bpa-docker-sim-'));
  const project = `bpa-sim-${process.pid}`;
  const file = join(dir, 'compose.yaml');
  const run = (...args: string[]) => {
    const done = spawnSync(compose[0]!, [...compose.slice(1), '-p', project, '-f', file, ...args], {
      encoding: 'utf8',
    });
    const output = `${done.stdout ?? ''}${done.stderr ?? ''}`;
    if (done.status !== 0)
      throw new Error(`${compose.join(' ')} ${args.join(' ')} failed:\n${output.slice(-3000)}`);
    return output;
  };
  try {
    console.log(`simulated GitHub at ${sim.apiUrl}, as GitHub Enterprise at ${proxy.host}/api/v3`);
    const pulls = await buildLoadWorld(sim, prs, repos);
    console.log(`${repos} repositories, ${pulls.length} labelled PRs to merge`);
    writeComposeFiles(dir, sim, proxy.host, pgPort);
    console.log(`${compose.join(' ')} up -d --build (${file})`);
    run('up', '-d', '--build');
    for (const port of APP_PORTS) await healthy(port, 180_000);
    console.log(`both instances answer /healthz (ports ${APP_PORTS.join(', ')})`);

    sim.webhookUrl = `http://127.0.0.1:${APP_PORTS[0]}/api/github/webhooks`;
    await mergeBurst(sim, pulls);
    const end = Date.now() + Number(values.timeout) * 1000;
    let outcome = loadOutcome(sim, pulls);
    while (outcome.unfinished.length > 0 && outcome.duplicates.length === 0 && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 1000));
      outcome = loadOutcome(sim, pulls);
    }
    console.log(
      `backports: ${outcome.complete}/${pulls.length} complete, ${outcome.duplicates.length} duplicates`,
    );
    for (const line of [...outcome.unfinished, ...outcome.duplicates]) console.log(`  ${line}`);

    // Jobs the backports set off (the app following its own PRs) finish too before counting.
    let jobs = await jobRows(pgPort);
    while (jobs.some((j) => j.state === 'queued' || j.state === 'running') && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 1000));
      jobs = await jobRows(pgPort);
    }
    console.log('backport_jobs in the shared PostgreSQL:');
    for (const j of jobs)
      console.log(`  #${j.id} ${j.repo}#${j.pull} ${j.kind}: ${j.state}, claimed ${j.claims}x`);
    const completed = await Promise.all(APP_PORTS.map((port) => completedJobs(port)));
    APP_PORTS.forEach((port, i) => console.log(`instance on ${port}: ${completed[i]} jobs completed`));
    console.log(`off-spec requests seen by the simulator: ${sim.violations.length}`);

    const ok =
      outcome.complete === pulls.length &&
      outcome.duplicates.length === 0 &&
      completed.every((n) => n > 0) &&
      sim.violations.length === 0;
    console.log(ok ? 'PASS' : 'FAIL');
    if (!ok) console.log(run('logs', '--no-color', '--tail', '40'));
    return ok ? 0 : 1;
  } finally {
    try {
      run('down', '-v', '--remove-orphans', '--rmi', 'local');
    } finally {
      await proxy.close();
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

/**
 * compose.yaml as shipped, with what running beside the simulator needs: the app containers
 * on the host's network (the simulator is on its loopback; compose cannot drop the `ports` of
 * a service in an override file, hence a changed copy), PostgreSQL published on a loopback
 * port for them, one job at a time per instance so that the second has to take its share.
 * The app is configured with production's variables only.
 */
function writeComposeFiles(dir: string, sim: GitHubSim, gheHost: string, pgPort: number): void {
  writeFileSync(
    join(dir, '.env'),
    `APP_ID=${sim.appId}\nWEBHOOK_SECRET=${sim.webhookSecret}\nGHE_HOST=${gheHost}\nGHE_PROTOCOL=http\n` +
      'BACKPORT_CONCURRENCY=1\nLOG_LEVEL=info\n',
  );
  const file = YAML.parse(readFileSync(join(repoRoot, 'compose.yaml'), 'utf8'), { merge: true }) as {
    services: Record<string, Record<string, unknown>>;
  };
  const { postgres, ...apps } = file.services;
  if (!postgres || Object.keys(apps).join() !== 'app-1,app-2')
    throw new Error(`compose.yaml's services changed: ${Object.keys(file.services).join(', ')}`);
  if (process.env.BPA_POSTGRES_IMAGE) postgres.image = process.env.BPA_POSTGRES_IMAGE;
  postgres.ports = [`127.0.0.1:${pgPort}:5432`];
  Object.values(apps).forEach((app, i) => {
    const network = process.env.BPA_BUILD_NETWORK;
    app.build = network ? { context: repoRoot, network } : repoRoot;
    delete app.ports;
    app.network_mode = 'host';
    app.environment = {
      ...(app.environment as Record<string, string>),
      PORT: String(APP_PORTS[i]),
      DATABASE_URL: `postgres://backport:backport@127.0.0.1:${pgPort}/backport`,
      PRIVATE_KEY: sim.privateKey,
    };
  });
  writeFileSync(join(dir, 'compose.yaml'), YAML.stringify(file));
}

/** The simulator behind GitHub Enterprise Server's paths: REST under /api/v3, GraphQL at /api/graphql. */
async function enterpriseLayout(sim: GitHubSim): Promise<{ host: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').replace(/^\/api\/v3(?=\/|\?|$)/, '').replace(/^\/api\/graphql/, '/graphql');
    const upstream = request(
      new URL(path || '/', sim.apiUrl),
      { method: req.method, headers: req.headers, agent: false },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    host: `127.0.0.1:${(server.address() as { port: number }).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

async function healthy(port: number, withinMs: number): Promise<void> {
  const end = Date.now() + withinMs;
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    if (Date.now() > end) throw new Error(`the instance on port ${port} never answered /healthz`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function completedJobs(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('backport_jobs_completed_total'));
  return Number(line?.split(' ').at(-1) ?? 0);
}

interface JobRow {
  id: number;
  repo: string;
  pull: number;
  /** Why it was queued (the request's origin). */
  kind: string;
  state: string;
  claims: number;
}

async function jobRows(pgPort: number): Promise<JobRow[]> {
  const client = new pg.Client({
    connectionString: `postgres://backport:backport@127.0.0.1:${pgPort}/backport`,
  });
  await client.connect();
  try {
    const { rows } = await client.query<Omit<JobRow, 'kind'> & { request: string }>(
      'SELECT id, repo, pull, state, claims, request FROM backport_jobs ORDER BY id',
    );
    return rows.map(({ request, ...row }) => ({
      ...row,
      kind: (JSON.parse(request) as { origin: string }).origin,
    }));
  } finally {
    await client.end();
  }
}

process.exitCode = await main();
