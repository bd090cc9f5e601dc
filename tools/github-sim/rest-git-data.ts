/**
 * The Git Database API: blobs, trees (with `base_tree`), commits and refs, written as real
 * objects into the bare repository, so git (and the app's fetches) see them. As on GitHub, a
 * commit an app's installation makes with no custom author, committer or signature is made by
 * its bot and signed by GitHub (a `gpgsig` header, `verification.verified`); any custom
 * identity leaves it unsigned. Ref writes refuse protected branches, an existing ref on create
 * and a non-fast-forward update without `force`, and are recorded in the push log.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { git, readCommit, runGit } from './git.js';
import { nodeId } from './serialize-core.js';
import { gitRefJson } from './serialize-git.js';
import {
  HttpError,
  errorBody,
  notFound,
  validationFailed,
  type Handler,
  type RestRequest,
  type SimCore,
} from './rest-types.js';
import type { SimRepo } from './state.js';

const ZERO = '0'.repeat(40);
const SIGNATURE = [
  '-----BEGIN PGP SIGNATURE-----',
  '',
  'c2ltdWxhdGVkIEdpdEh1YiBzaWduYXR1cmU=',
  '-----END PGP SIGNATURE-----',
];

interface TreeInput {
  path: string;
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  sha?: string | null;
  content?: string;
}

interface Identity {
  name: string;
  email: string;
  date?: string;
}

const unprocessable = (message: string) => new HttpError(422, errorBody(422, message));

async function objectType(repo: SimRepo, sha: string): Promise<string | null> {
  const r = await runGit(repo.path, ['cat-file', '-t', sha], { okCodes: [1, 128] });
  return r.code === 0 ? r.stdout.trim() : null;
}

async function writeBlob(repo: SimRepo, content: Buffer): Promise<string> {
  return git(repo.path, ['hash-object', '-w', '--stdin'], { input: content });
}

/** A tree from `base_tree` (or nothing) with the entries replaced, added or (sha null) removed. */
async function writeTree(repo: SimRepo, base: string | undefined, entries: TreeInput[]): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'sim-tree-'));
  const env = { GIT_INDEX_FILE: join(dir, 'index') };
  try {
    await git(repo.path, base ? ['read-tree', base] : ['read-tree', '--empty'], { env });
    const lines: string[] = [];
    for (const e of entries) {
      const path = e.path.replace(/^\/+/, '');
      if (!path || path.split('/').some((p) => p === '' || p === '.' || p === '..' || p === '.git'))
        throw validationFailed([
          { resource: 'Tree', code: 'invalid', field: 'path', message: `invalid path ${e.path}` },
        ]);
      if (e.type === 'tree') throw unprocessable('tree.type tree entries are not supported by the simulator');
      let sha = e.sha;
      if (e.content !== undefined) sha = await writeBlob(repo, Buffer.from(e.content, 'utf8'));
      if (sha === null || sha === undefined) {
        lines.push(`0 ${ZERO}\t${path}`);
        continue;
      }
      const want = e.type === 'commit' ? 'commit' : 'blob';
      if (want === 'blob' && (await objectType(repo, sha)) !== 'blob')
        throw unprocessable(`tree.sha ${sha} is not a valid blob`);
      lines.push(`${e.mode} ${sha}\t${path}`);
    }
    if (lines.length > 0)
      await git(repo.path, ['update-index', '--index-info'], { env, input: `${lines.join('\n')}\n` });
    return await git(repo.path, ['write-tree'], { env });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function gitDate(iso: string | undefined): string {
  const ms = iso ? Date.parse(iso) : NaN;
  return `${Math.floor((Number.isNaN(ms) ? Date.now() : ms) / 1000)} +0000`;
}

/** The commit object's text, signed when GitHub would sign it. */
function commitText(c: {
  tree: string;
  parents: string[];
  author: Identity;
  committer: Identity;
  message: string;
  signed: boolean;
}): string {
  const lines = [`tree ${c.tree}`, ...c.parents.map((p) => `parent ${p}`)];
  lines.push(`author ${c.author.name} <${c.author.email}> ${gitDate(c.author.date)}`);
  lines.push(`committer ${c.committer.name} <${c.committer.email}> ${gitDate(c.committer.date)}`);
  if (c.signed) lines.push(`gpgsig ${SIGNATURE.join('\n ')}`);
  return `${lines.join('\n')}\n\n${c.message}`;
}

async function commitJson(repo: SimRepo, sha: string, sim: SimCore) {
  const c = await readCommit(repo.path, sha);
  const raw = await git(repo.path, ['cat-file', 'commit', sha]);
  const signed = /^gpgsig /m.test(raw.split('\n\n')[0]!);
  const api = `${sim.urls.api}/repos/${repo.fullName}/git`;
  return {
    sha,
    node_id: nodeId('Commit', parseInt(sha.slice(0, 8), 16)),
    url: `${api}/commits/${sha}`,
    html_url: `${sim.urls.web}/${repo.fullName}/commit/${sha}`,
    author: c.author,
    committer: c.committer,
    tree: { sha: c.tree, url: `${api}/trees/${c.tree}` },
    message: c.message,
    parents: c.parents.map((p) => ({
      sha: p,
      url: `${api}/commits/${p}`,
      html_url: `${sim.urls.web}/${repo.fullName}/commit/${p}`,
    })),
    verification: signed
      ? {
          verified: true,
          reason: 'valid',
          signature: SIGNATURE.join('\n'),
          payload: raw.replace(/^gpgsig [\s\S]*?-----END PGP SIGNATURE-----\n/m, ''),
          verified_at: c.committer.date,
        }
      : { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
  };
}

async function moveRef(
  req: RestRequest,
  sim: SimCore,
  repo: SimRepo,
  ref: string,
  sha: string,
  old: string,
): Promise<void> {
  const branch = ref.replace(/^refs\/heads\//, '');
  if (ref.startsWith('refs/heads/') && repo.protectedBranches.has(branch))
    throw unprocessable(`Protected branch update failed for ${ref}.`);
  await git(repo.path, ['update-ref', ref, sha, old]);
  sim.pushLog.push({
    repo: repo.fullName,
    ref,
    old,
    new: sha,
    accepted: true,
    installationId: req.auth.kind === 'installation' ? req.auth.installationId : null,
    token: req.auth.kind === 'installation' || req.auth.kind === 'user' ? req.auth.token : null,
  });
  sim.refsChanged(repo);
}

export const gitDataHandlers: Record<string, Handler> = {
  'git/create-blob': async (req, sim) => {
    const repo = sim.repoFor(req, 'write');
    const { content, encoding } = req.body as { content: string; encoding?: string };
    if (encoding !== undefined && encoding !== 'utf-8' && encoding !== 'base64')
      throw validationFailed([{ resource: 'Blob', code: 'invalid', field: 'encoding' }]);
    const sha = await writeBlob(repo, Buffer.from(content, encoding === 'base64' ? 'base64' : 'utf8'));
    return { status: 201, body: { sha, url: `${sim.urls.api}/repos/${repo.fullName}/git/blobs/${sha}` } };
  },

  'git/create-tree': async (req, sim) => {
    const repo = sim.repoFor(req, 'write');
    const { tree, base_tree: base } = req.body as { tree: TreeInput[]; base_tree?: string };
    if (base !== undefined && (await objectType(repo, base)) !== 'tree')
      throw unprocessable('base_tree is not a valid tree oid');
    const sha = await writeTree(repo, base, tree);
    const listing = await git(repo.path, ['ls-tree', '-l', sha]);
    const api = `${sim.urls.api}/repos/${repo.fullName}/git`;
    const entries = listing
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [meta, path] = line.split('\t') as [string, string];
        const [mode, type, oid, size] = meta.split(/\s+/) as [string, string, string, string];
        return {
          path,
          mode,
          type,
          sha: oid,
          ...(size === '-' ? {} : { size: Number(size) }),
          url: `${api}/${type}s/${oid}`,
        };
      });
    return { status: 201, body: { sha, url: `${api}/trees/${sha}`, tree: entries, truncated: false } };
  },

  'git/create-commit': async (req, sim) => {
    const repo = sim.repoFor(req, 'write');
    const body = req.body as {
      message: string;
      tree: string;
      parents?: string[];
      author?: Identity;
      committer?: Identity;
      signature?: string;
    };
    if ((await objectType(repo, body.tree)) !== 'tree') throw unprocessable('Tree SHA does not exist');
    for (const p of body.parents ?? [])
      if ((await objectType(repo, p)) !== 'commit')
        throw unprocessable('Parent SHA does not exist or is not a commit object');
    const now = new Date(sim.state.now()).toISOString();
    const bot = sim.state.user(sim.botLogin);
    const botIdentity = {
      name: bot.login,
      email: `${bot.id}+${bot.login}@users.noreply.github.com`,
      date: now,
    };
    const author = body.author ? { ...body.author, date: body.author.date ?? now } : botIdentity;
    const committer = body.committer ? { ...body.committer, date: body.committer.date ?? now } : author;
    // GitHub signs only what it made itself: the app's own identity, no signature given.
    const signed = req.auth.kind === 'installation' && !body.author && !body.committer && !body.signature;
    const text = commitText({
      tree: body.tree,
      parents: body.parents ?? [],
      author,
      committer,
      message: body.message,
      signed,
    });
    const sha = await git(repo.path, ['hash-object', '-t', 'commit', '-w', '--stdin'], { input: text });
    return { status: 201, body: await commitJson(repo, sha, sim) };
  },

  'git/get-commit': async (req, sim) => {
    const repo = sim.repoFor(req, 'read');
    const sha = req.params.commit_sha!;
    if (!/^[0-9a-f]{40}$/.test(sha) || (await objectType(repo, sha)) !== 'commit') throw notFound();
    return { status: 200, body: await commitJson(repo, sha, sim) };
  },

  'git/create-ref': async (req, sim) => {
    const repo = sim.repoFor(req, 'write');
    const { ref, sha } = req.body as { ref: string; sha: string };
    if (!/^refs\/[^/]+\/.+/.test(ref))
      throw unprocessable('Reference name must start with refs/ and have at least two slashes.');
    if ((await objectType(repo, sha)) === null) throw unprocessable('Object does not exist');
    if ((await runGit(repo.path, ['show-ref', '--verify', '--quiet', ref], { okCodes: [1] })).code === 0)
      throw unprocessable('Reference already exists');
    await moveRef(req, sim, repo, ref, sha, ZERO);
    return { status: 201, body: gitRefJson(repo, ref, sha, sim.urls) };
  },

  'git/update-ref': async (req, sim) => {
    const repo = sim.repoFor(req, 'write');
    const ref = `refs/${req.params.ref!.replace(/^refs\//, '')}`;
    const { sha, force } = req.body as { sha: string; force?: boolean };
    const old = (
      await runGit(repo.path, ['rev-parse', '--verify', '--quiet', ref], { okCodes: [1] })
    ).stdout.trim();
    if (!old) throw unprocessable('Reference does not exist');
    if ((await objectType(repo, sha)) !== 'commit') throw unprocessable('Object does not exist');
    const ff =
      (await runGit(repo.path, ['merge-base', '--is-ancestor', old, sha], { okCodes: [1] })).code === 0;
    if (!ff && !force) throw unprocessable('Update is not a fast forward');
    await moveRef(req, sim, repo, ref, sha, old);
    return { status: 200, body: gitRefJson(repo, ref, sha, sim.urls) };
  },
};
