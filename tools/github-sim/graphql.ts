/**
 * `POST /graphql`, for the two mutations the app sends (see graphql-schema.ts). Like GitHub:
 * a token is required (401 otherwise); the answer is 200 with `errors` for a document that
 * does not parse or validate, and `data` with the field null plus an error for one that
 * cannot be done (unknown node, auto-merge not allowed). GraphQL is outside the OpenAPI
 * description, so it is checked here instead; every other query is refused.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { resolveRestAuth } from './auth.js';
import { GraphQLSyntaxError, parseOperation, type Field } from './graphql-parse.js';
import { validate, type GraphQLError, type ValidCall } from './graphql-schema.js';
import { readBody } from './rest-dispatch.js';
import { HttpError, type Auth } from './rest-types.js';
import { nodeId } from './serialize-core.js';
import { workOfRequest, type SimInternals } from './sim-internals.js';
import type { SimIssue, SimRepo } from './state.js';

export const GRAPHQL_PATH = /^\/(api\/)?graphql\/?$/;

type Json = Record<string, unknown>;

export async function handleGraphQL(
  sim: SimInternals,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  t0: number,
): Promise<void> {
  sim.stats.restCalls++;
  const body = await readBody(req);
  let status = 200;
  let reply: Json;
  let operationId = 'graphql';
  try {
    if (req.method !== 'POST') throw new HttpError(404, { message: 'Not Found' });
    const auth = resolveRestAuth(req.headers.authorization, sim.state, sim.keys);
    if (auth.kind === 'none')
      throw new HttpError(401, { message: 'This endpoint requires you to be authenticated.' });
    const request = parseRequest(body);
    const result = await answer(sim, auth, request.query, request.variables);
    reply = result.reply;
    if (result.mutations.length > 0) operationId = `graphql/${result.mutations.join(',')}`;
  } catch (err) {
    if (!(err instanceof HttpError)) throw err;
    status = err.status;
    reply = { ...err.body, documentation_url: 'https://docs.github.com/graphql' };
  }
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(reply));
  sim.requestLog.push({
    method: req.method ?? 'POST',
    path: url.pathname,
    operationId,
    status,
    ms: Math.round(performance.now() - t0),
    ...workOfRequest(),
  });
}

function parseRequest(body: Buffer): { query: string; variables: Record<string, unknown> } {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    throw new HttpError(400, { message: 'Problems parsing JSON' });
  }
  const { query, variables } = (json ?? {}) as { query?: unknown; variables?: unknown };
  if (typeof query !== 'string')
    throw new HttpError(400, { message: 'A query attribute must be specified and must be a string.' });
  if (
    variables !== undefined &&
    variables !== null &&
    (typeof variables !== 'object' || Array.isArray(variables))
  )
    throw new HttpError(400, { message: 'Variables are invalid JSON.' });
  return { query, variables: (variables ?? {}) as Record<string, unknown> };
}

async function answer(
  sim: SimInternals,
  auth: Auth,
  query: string,
  variables: Record<string, unknown>,
): Promise<{ reply: Json; mutations: string[] }> {
  let calls: ValidCall[] | GraphQLError[];
  try {
    calls = validate(parseOperation(query), variables);
  } catch (err) {
    if (!(err instanceof GraphQLSyntaxError)) throw err;
    return {
      reply: { errors: [{ message: err.message, locations: [{ line: err.line, column: err.column }] }] },
      mutations: [],
    };
  }
  if (!calls.every((c): c is ValidCall => 'mutation' in c))
    return { reply: { errors: calls }, mutations: [] };
  const data: Json = {};
  const errors: GraphQLError[] = [];
  for (const call of calls) {
    const key = call.field.alias ?? call.field.name;
    try {
      const pr = findPull(sim, auth, String(call.input.pullRequestId));
      const payload = await resolve(sim, call, pr);
      data[key] = select(payload, call.field.selection);
    } catch (err) {
      if (!(err instanceof MutationError)) throw err;
      data[key] = null;
      errors.push({
        type: err.type,
        path: [key],
        locations: [{ line: call.field.line, column: call.field.column }],
        message: err.message,
      });
    }
  }
  return { reply: errors.length > 0 ? { data, errors } : { data }, mutations: calls.map((c) => c.mutation) };
}

class MutationError extends Error {
  constructor(
    readonly type: 'NOT_FOUND' | 'UNPROCESSABLE' | 'FORBIDDEN',
    message: string,
  ) {
    super(message);
  }
}

/** The pull request a global node id names, among the repositories the token may write to. */
function findPull(sim: SimInternals, auth: Auth, id: string): { repo: SimRepo; issue: SimIssue } {
  const notFound = new MutationError(
    'NOT_FOUND',
    `Could not resolve to a node with the global id of '${id}'`,
  );
  for (const repo of sim.state.repos.values()) {
    for (const issue of sim.state.issuesOf(repo.fullName).values()) {
      if (!issue.pull || nodeId('PullRequest', issue.id) !== id) continue;
      const mayWrite =
        (auth.kind === 'installation' && auth.account.toLowerCase() === repo.owner.toLowerCase()) ||
        (auth.kind === 'user' &&
          ['admin', 'maintain', 'write'].includes(sim.state.roleOf(repo, auth.login) ?? ''));
      if (!mayWrite)
        throw repo.private
          ? notFound
          : new MutationError('FORBIDDEN', 'Resource not accessible by integration');
      return { repo, issue };
    }
  }
  throw notFound;
}

async function resolve(
  sim: SimInternals,
  call: ValidCall,
  { repo, issue }: { repo: SimRepo; issue: SimIssue },
): Promise<Json> {
  const pr = issue.pull!;
  if (call.mutation === 'enablePullRequestAutoMerge') {
    if (!repo.allowAutoMerge)
      throw new MutationError('UNPROCESSABLE', 'Pull request Auto merge is not allowed for this repository');
    if (issue.state !== 'open' || pr.draft)
      throw new MutationError('UNPROCESSABLE', "Can't enable auto-merge for this pull request.");
    const method = String(call.input.mergeMethod ?? 'MERGE').toLowerCase() as 'merge' | 'squash' | 'rebase';
    pr.autoMerge = {
      method,
      enabledAt: sim.state.now(),
      enabledBy: sim.botLogin,
      commitTitle: String(call.input.commitHeadline ?? ''),
      commitMessage: String(call.input.commitBody ?? ''),
    };
  } else {
    if (issue.state !== 'open') throw new MutationError('UNPROCESSABLE', 'Pull request is closed');
    pr.draft = false;
    issue.updatedAt = sim.state.now();
  }
  await sim.refreshPull(repo, issue);
  return {
    clientMutationId: call.input.clientMutationId ?? null,
    pullRequest: {
      __typename: 'PullRequest',
      id: nodeId('PullRequest', issue.id),
      number: issue.number,
      isDraft: pr.draft,
      state: pr.merged ? 'MERGED' : issue.state.toUpperCase(),
      url: `${sim.urls.web}/${repo.fullName}/pull/${issue.number}`,
      autoMergeRequest: pr.autoMerge
        ? {
            __typename: 'AutoMergeRequest',
            enabledAt: pr.autoMerge.enabledAt,
            mergeMethod: pr.autoMerge.method.toUpperCase(),
          }
        : null,
    },
  };
}

/** Only the fields the document asked for, under their aliases. */
function select(value: unknown, selection: Field[]): unknown {
  if (value === null || typeof value !== 'object' || selection.length === 0) return value;
  const out: Json = {};
  for (const f of selection) out[f.alias ?? f.name] = select((value as Json)[f.name] ?? null, f.selection);
  return out;
}
