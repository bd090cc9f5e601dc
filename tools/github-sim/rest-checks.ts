/**
 * Check runs: the ones a test sets (reported as the simulated CI app's) and the ones an app
 * writes itself (`POST` then `PATCH`), listed together for a commit as GitHub does.
 */
import { revParse } from './git.js';
import { appJson, nodeId } from './serialize-core.js';
import { HttpError, errorBody, notFound, paginate, type Handler, type SimCore } from './rest-types.js';
import type { SimCheckRun, SimRepo } from './state.js';

/** Check runs a test sets are reported as coming from this CI app. */
const CI_APP = { id: 1, slug: 'sim-ci', name: 'Sim CI', owner: 'sim-apps' };

interface CheckRunBody {
  name?: string;
  head_sha?: string;
  status?: SimCheckRun['status'];
  conclusion?: NonNullable<SimCheckRun['conclusion']>;
  details_url?: string;
  external_id?: string;
  started_at?: string;
  completed_at?: string;
  output?: { title?: string; summary?: string; text?: string };
}

const key = (repo: SimRepo, sha: string) => `${repo.fullName.toLowerCase()}@${sha}`;

async function commitOf(repo: SimRepo, ref: string): Promise<string> {
  const sha = await revParse(repo.path, ref);
  if (!sha) throw notFound(`No commit found for the ref ${ref}`);
  return sha;
}

/** The run with this id in the repository, with the commit it belongs to. */
function findRun(sim: SimCore, repo: SimRepo, id: number): { run: SimCheckRun; sha: string } {
  const prefix = `${repo.fullName.toLowerCase()}@`;
  for (const [k, runs] of sim.state.checkRuns) {
    if (!k.startsWith(prefix)) continue;
    const run = runs.find((r) => r.id === id);
    if (run) return { run, sha: k.slice(prefix.length) };
  }
  throw notFound();
}

/** Applies the writable fields of a create or update body; completing sets completed_at. */
function applyBody(sim: SimCore, run: SimCheckRun, body: CheckRunBody): void {
  if (body.name !== undefined) run.name = body.name;
  if (body.conclusion !== undefined) {
    run.conclusion = body.conclusion;
    run.status = 'completed';
  }
  if (body.status !== undefined) run.status = body.status;
  if (body.details_url !== undefined) run.detailsUrl = body.details_url;
  if (body.external_id !== undefined) run.externalId = body.external_id;
  if (body.started_at !== undefined) run.startedAt = body.started_at;
  if (body.output !== undefined) {
    run.output = {
      title: body.output.title ?? run.output?.title ?? null,
      summary: body.output.summary ?? null,
      text: body.output.text ?? null,
    };
  }
  if (run.status === 'completed') run.completedAt = body.completed_at ?? run.completedAt ?? sim.state.now();
  else run.completedAt = null;
}

export function checkRunJson(sim: SimCore, repo: SimRepo, run: SimCheckRun, sha: string) {
  const id = run.id ?? 0;
  const api = `${sim.urls.api}/repos/${repo.fullName}/check-runs/${id}`;
  return {
    id,
    node_id: nodeId('CheckRun', id),
    head_sha: sha,
    external_id: run.externalId ?? '',
    url: api,
    html_url: `${sim.urls.web}/${repo.fullName}/runs/${id}`,
    details_url: run.detailsUrl ?? null,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.startedAt ?? repo.createdAt,
    completed_at: run.status === 'completed' ? (run.completedAt ?? repo.createdAt) : null,
    output: {
      title: run.output?.title ?? null,
      summary: run.output?.summary ?? null,
      text: run.output?.text ?? null,
      annotations_count: 0,
      annotations_url: `${api}/annotations`,
    },
    name: run.name,
    check_suite: { id: 1 },
    app: appJson(run.byApp ? sim.app : CI_APP, sim.state, sim.urls),
    pull_requests: [],
  };
}

export const checkHandlers: Record<string, Handler> = {
  'checks/create': async (req, sim) => {
    const repo = sim.repoFor(req, 'write');
    const body = req.body as CheckRunBody;
    const sha = await revParse(repo.path, body.head_sha!);
    if (!sha) throw new HttpError(422, errorBody(422, `No commit found for SHA: ${body.head_sha}`));
    const run: SimCheckRun = {
      id: sim.state.id(),
      name: body.name!,
      status: 'queued',
      conclusion: null,
      byApp: true,
      startedAt: sim.state.now(),
    };
    applyBody(sim, run, body);
    const runs = sim.state.checkRuns.get(key(repo, sha)) ?? [];
    runs.push(run);
    sim.state.checkRuns.set(key(repo, sha), runs);
    return { status: 201, body: checkRunJson(sim, repo, run, sha) };
  },

  'checks/update': async (req, sim) => {
    const repo = sim.repoFor(req, 'write');
    const { run, sha } = findRun(sim, repo, Number(req.params.check_run_id));
    applyBody(sim, run, req.body as CheckRunBody);
    return { status: 200, body: checkRunJson(sim, repo, run, sha) };
  },

  'checks/list-for-ref': async (req, sim) => {
    const repo = sim.repoFor(req, 'read');
    const sha = await commitOf(repo, req.params.ref!);
    const all = sim.state.checkRuns.get(key(repo, sha)) ?? [];
    // GitHub's default filter, `latest`, keeps the most recent run of each name.
    const latest =
      req.query.filter === 'all'
        ? all
        : all.filter((r, i) => !all.slice(i + 1).some((s) => s.name === r.name));
    const runs = latest.filter(
      (r) =>
        (req.query.check_name === undefined || r.name === req.query.check_name) &&
        (req.query.status === undefined || r.status === req.query.status),
    );
    const { page, headers } = paginate(req, runs);
    return {
      status: 200,
      headers,
      body: { total_count: runs.length, check_runs: page.map((r) => checkRunJson(sim, repo, r, sha)) },
    };
  },
};
