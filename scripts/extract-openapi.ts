/**
 * Writes tools/github-sim/openapi/operations.json: the slice of GitHub's REST description that the
 * simulated GitHub serves, so the simulator can check every request and response against it.
 *
 * Run once with `npx tsx scripts/extract-openapi.ts` and commit the result. The full package is
 * about 400 MB installed, so it is never a dependency: we `npm pack` it into a temp dir and read
 * one file out of the tarball.
 *
 * 1. npm pack @octokit/openapi@VERSION, untar generated/api.github.com.json
 * 2. keep the listed operations; resolve parameter, response and request-body $refs in place
 * 3. copy the component schemas they reach (transitively), dropping prose and examples
 * 4. write the fixture with the package version
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE = '@octokit/openapi';
const VERSION = '23.0.2';

/** Every REST operation the simulator implements, as `METHOD path`. */
export const OPERATIONS = [
  'GET /app',
  'GET /app/installations',
  'POST /app/installations/{installation_id}/access_tokens',
  'GET /installation/repositories',
  'GET /repos/{owner}/{repo}',
  'GET /repos/{owner}/{repo}/contents/{path}',
  'GET /repos/{owner}/{repo}/branches/{branch}',
  'GET /repos/{owner}/{repo}/git/ref/{ref}',
  'GET /repos/{owner}/{repo}/pulls',
  'POST /repos/{owner}/{repo}/pulls',
  'GET /repos/{owner}/{repo}/pulls/{pull_number}',
  'PATCH /repos/{owner}/{repo}/pulls/{pull_number}',
  'GET /repos/{owner}/{repo}/pulls/{pull_number}/commits',
  'POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers',
  'GET /repos/{owner}/{repo}/issues',
  'POST /repos/{owner}/{repo}/issues',
  'GET /repos/{owner}/{repo}/issues/{issue_number}',
  'PATCH /repos/{owner}/{repo}/issues/{issue_number}',
  'GET /repos/{owner}/{repo}/issues/{issue_number}/comments',
  // Who added each label, for BACKPORT_LABEL_PERMISSION when a job reads the labels itself.
  'GET /repos/{owner}/{repo}/issues/{issue_number}/events',
  'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
  'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}',
  'POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions',
  'POST /repos/{owner}/{repo}/issues/{issue_number}/labels',
  'DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}',
  'POST /repos/{owner}/{repo}/issues/{issue_number}/assignees',
  'GET /repos/{owner}/{repo}/collaborators/{username}/permission',
  'GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls',
  'GET /repos/{owner}/{repo}/commits/{ref}/check-runs',
  'GET /repos/{owner}/{repo}/commits/{ref}/status',
  // The release managers' view: which installation serves a repository (an on-demand
  // rebuild), and who signed in to the dashboard.
  'GET /repos/{owner}/{repo}/installation',
  'GET /user',
  // Check runs the app writes: the backport preview on open PRs and the conflict-marker gate.
  'POST /repos/{owner}/{repo}/check-runs',
  'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}',
  // The Git Database API, for backport commits GitHub signs (`commits: api`).
  'POST /repos/{owner}/{repo}/git/blobs',
  'POST /repos/{owner}/{repo}/git/trees',
  'POST /repos/{owner}/{repo}/git/commits',
  'GET /repos/{owner}/{repo}/git/commits/{commit_sha}',
  'POST /repos/{owner}/{repo}/git/refs',
  'PATCH /repos/{owner}/{repo}/git/refs/{ref}',
];

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

/** Keys that carry prose or samples only; dropping them keeps the fixture small. */
const DROP = new Set(['description', 'example', 'examples', 'externalDocs', 'title', 'summary', 'x-github']);

function lookup(spec: Obj, ref: string): Obj {
  let node: Json = spec;
  for (const part of ref.replace(/^#\//, '').split('/')) node = (node as Obj)[part] as Json;
  if (!node || typeof node !== 'object') throw new Error(`unresolved $ref ${ref}`);
  return node as Obj;
}

/** Follows a non-schema $ref (parameters, responses, headers) until a concrete object. */
function deref(spec: Obj, node: Obj): Obj {
  let cur = node;
  while (typeof cur.$ref === 'string') cur = lookup(spec, cur.$ref);
  return cur;
}

/** Copies a schema without prose, recording every component schema it names. */
function trim(node: Json, reached: Set<string>): Json {
  if (Array.isArray(node)) return node.map((n) => trim(n, reached));
  if (!node || typeof node !== 'object') return node;
  const out: Obj = {};
  for (const [k, v] of Object.entries(node)) {
    if (DROP.has(k)) continue;
    if (k === '$ref' && typeof v === 'string') reached.add(v.replace('#/components/schemas/', ''));
    // A property may literally be called "description" or "title": keep those under `properties`.
    out[k] = k === 'properties' ? trimProperties(v as Obj, reached) : trim(v, reached);
  }
  return out;
}

function trimProperties(props: Obj, reached: Set<string>): Obj {
  const out: Obj = {};
  for (const [name, schema] of Object.entries(props)) out[name] = trim(schema, reached);
  return out;
}

function jsonSchemaOf(content: Obj | undefined): Json | undefined {
  if (!content) return undefined;
  const json = (content['application/json'] ?? content['application/scim+json']) as Obj | undefined;
  return json?.schema;
}

function extract(spec: Obj): Obj {
  const paths = spec.paths as Obj;
  const reached = new Set<string>();
  const operations: Json[] = [];
  for (const entry of OPERATIONS) {
    const [method, path] = entry.split(' ') as [string, string];
    const op = (paths[path] as Obj | undefined)?.[method.toLowerCase()] as Obj | undefined;
    if (!op) throw new Error(`operation not in the spec: ${entry}`);
    const parameters = ((op.parameters ?? []) as Obj[]).map((p) => {
      const param = deref(spec, p);
      return trim(
        { name: param.name!, in: param.in!, required: param.required ?? false, schema: param.schema! },
        reached,
      );
    });
    const body = op.requestBody ? deref(spec, op.requestBody as Obj) : undefined;
    const responses: Obj = {};
    for (const [status, r] of Object.entries(op.responses as Obj)) {
      const response = deref(spec, r as Obj);
      const schema = jsonSchemaOf(response.content as Obj | undefined);
      responses[status] = schema === undefined ? {} : { schema: trim(schema, reached) };
    }
    operations.push({
      operationId: op.operationId!,
      method,
      path,
      parameters,
      ...(body
        ? {
            requestBody: {
              required: body.required ?? false,
              schema: trim(jsonSchemaOf(body.content as Obj)!, reached),
            },
          }
        : {}),
      responses,
    });
  }
  const all = (spec.components as Obj).schemas as Obj;
  const schemas: Obj = {};
  const queue = [...reached];
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (name in schemas) continue;
    const found = new Set<string>();
    schemas[name] = trim(all[name]!, found);
    for (const n of found) if (!(n in schemas)) queue.push(n);
  }
  const sorted: Obj = {};
  for (const name of Object.keys(schemas).sort()) sorted[name] = schemas[name]!;
  return {
    source: `${PACKAGE}@${VERSION} generated/api.github.com.json`,
    operations,
    components: { schemas: sorted },
  };
}

function main(): void {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const work = mkdtempSync(join(tmpdir(), 'openapi-'));
  try {
    const tarball = execFileSync('npm', ['pack', `${PACKAGE}@${VERSION}`, '--silent'], { cwd: work })
      .toString()
      .trim()
      .split('\n')
      .pop()!;
    execFileSync('tar', ['-xzf', tarball, 'package/generated/api.github.com.json'], { cwd: work });
    const spec = JSON.parse(readFileSync(join(work, 'package/generated/api.github.com.json'), 'utf8')) as Obj;
    const fixture = extract(spec);
    const out = join(root, 'tools/github-sim/openapi/operations.json');
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, JSON.stringify(fixture, null, 1) + '\n');
    const kb = Math.round(Buffer.byteLength(JSON.stringify(fixture)) / 1024);
    console.log(`wrote ${out}: ${OPERATIONS.length} operations, ~${kb} KB`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main();
