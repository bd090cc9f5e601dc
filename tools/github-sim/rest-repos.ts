/**
 * Repository endpoints: metadata, contents (JSON and raw), branches, refs, permissions, and what
 * GitHub knows about a commit (its pull requests, check runs, statuses).
 */
import { commitsBetween, git, gitBytes, revParse, runGit } from './git.js';
import { nodeId, repoJson, userJson } from './serialize-core.js';
import { branchJson, contentEntryJson, gitRefJson, type TreeEntry } from './serialize-git.js';
import { pullJson } from './serialize-issue.js';
import { notFound, paginate, type Handler, type RestRequest, type SimCore } from './rest-types.js';
import type { SimRepo } from './state.js';

function parseTree(out: string, prefix: string): TreeEntry[] {
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [meta, name] = line.split('\t') as [string, string];
      const [mode, type, sha, size] = meta.split(/\s+/) as [string, TreeEntry['type'], string, string];
      const path = prefix && !name.startsWith(prefix) ? `${prefix}${name}` : name;
      return { mode, type, sha, size: size === '-' ? 0 : Number(size), path };
    });
}

async function commitOf(repo: SimRepo, ref: string): Promise<string> {
  const sha = await revParse(repo.path, ref);
  if (!sha) throw notFound(`No commit found for the ref ${ref}`);
  return sha;
}

function wantsRaw(req: RestRequest): boolean {
  return /application\/vnd\.github(\.v3)?\.raw/.test(String(req.headers.accept ?? ''));
}

async function getContent(req: RestRequest, sim: SimCore) {
  const repo = sim.repoFor(req, 'read');
  const ref = typeof req.query.ref === 'string' && req.query.ref ? req.query.ref : repo.defaultBranch;
  const path = req.params.path!.replace(/^\/+|\/+$/g, '');
  let entry: TreeEntry | undefined;
  let sha: string;
  if (path) {
    // One process where a rev-parse and an ls-tree were two: ls-tree fails on a ref that
    // names no commit, and answers nothing for a path the commit lacks.
    const listed = ref.startsWith('-')
      ? undefined
      : await runGit(repo.path, ['ls-tree', '-l', '--full-tree', `${ref}^{commit}`, '--', path], {
          okCodes: [128],
        });
    if (listed?.code !== 0) throw notFound(`No commit found for the ref ${ref}`);
    entry = parseTree(listed.stdout.trim(), '').find((e) => e.path === path);
    if (!entry) throw notFound();
    sha = `${ref}^{commit}`;
  } else {
    sha = await commitOf(repo, ref);
  }
  if (!entry || entry.type === 'tree') {
    const listing = parseTree(
      await git(repo.path, ['ls-tree', '-l', '--full-tree', sha, '--', path ? `${path}/` : '.']),
      '',
    );
    // A directory is JSON even when raw was asked for; Probot's config loader relies on that.
    return { status: 200, body: listing.map((e) => contentEntryJson(repo, e, ref, sim.urls)) };
  }
  const bytes = entry.type === 'blob' ? await blobBytes(repo, entry.sha) : Buffer.alloc(0);
  if (wantsRaw(req)) {
    return { status: 200, raw: bytes, headers: { 'content-type': 'text/plain; charset=utf-8' } };
  }
  const base = contentEntryJson(repo, entry, ref, sim.urls);
  if (base.type === 'symlink') return { status: 200, body: { ...base, target: bytes.toString('utf8') } };
  if (base.type === 'submodule') return { status: 200, body: { ...base, submodule_git_url: '' } };
  const b64 = bytes.toString('base64').replace(/(.{60})/g, '$1\n');
  return { status: 200, body: { ...base, content: b64 ? `${b64}\n` : '', encoding: 'base64' } };
}

function blobBytes(repo: SimRepo, sha: string): Promise<Buffer> {
  return gitBytes(repo.path, ['cat-file', 'blob', sha]);
}

const PERMISSION_OF_ROLE = {
  admin: 'admin',
  maintain: 'write',
  write: 'write',
  triage: 'read',
  read: 'read',
} as const;

export const repoHandlers: Record<string, Handler> = {
  'repos/get': async (req, sim) => {
    const repo = sim.repoFor(req, 'read');
    const body: Record<string, unknown> = repoJson(repo, sim.state, sim.urls);
    if (req.auth.kind === 'installation') {
      body.permissions = { admin: false, maintain: false, push: true, triage: true, pull: true };
    }
    if (req.auth.kind === 'user') {
      const role = sim.state.roleOf(repo, req.auth.login);
      const rank = ['read', 'triage', 'write', 'maintain', 'admin'].indexOf(role ?? 'read');
      body.permissions = {
        admin: rank >= 4,
        maintain: rank >= 3,
        push: rank >= 2,
        triage: rank >= 1,
        pull: true,
      };
    }
    return { status: 200, body };
  },

  'repos/get-content': getContent,

  'repos/get-branch': async (req, sim) => {
    const repo = sim.repoFor(req, 'read');
    const name = req.params.branch!;
    const sha = await revParse(repo.path, `refs/heads/${name}`);
    if (!sha) throw notFound('Branch not found');
    return { status: 200, body: await branchJson(repo, name, sha, sim.state, sim.urls) };
  },

  'git/get-ref': async (req, sim) => {
    const repo = sim.repoFor(req, 'read');
    const ref = `refs/${req.params.ref!.replace(/^refs\//, '')}`;
    const out = await git(repo.path, ['for-each-ref', '--format=%(refname) %(objectname)', ref]);
    const exact = out.split('\n').find((l) => l.startsWith(`${ref} `));
    if (!exact) throw notFound();
    return { status: 200, body: gitRefJson(repo, ref, exact.split(' ')[1]!, sim.urls) };
  },

  'repos/get-collaborator-permission-level': async (req, sim) => {
    const repo = sim.repoFor(req, 'read');
    const user = sim.state.findUser(req.params.username!);
    if (!user) throw notFound(`${req.params.username} is not a user`);
    const role = sim.state.roleOf(repo, user.login);
    const roleName = role ?? (repo.private ? 'none' : 'read');
    const permission = role ? PERMISSION_OF_ROLE[role] : roleName;
    const rank = ['none', 'read', 'triage', 'write', 'maintain', 'admin'].indexOf(role ?? roleName);
    return {
      status: 200,
      body: {
        permission,
        role_name: roleName,
        user: {
          ...userJson(user, sim.urls),
          role_name: roleName,
          permissions: {
            pull: rank >= 1,
            triage: rank >= 2,
            push: rank >= 3,
            maintain: rank >= 4,
            admin: rank >= 5,
          },
        },
      },
    };
  },

  'repos/list-pull-requests-associated-with-commit': async (req, sim) => {
    const repo = sim.repoFor(req, 'read');
    const sha = await commitOf(repo, req.params.commit_sha!);
    const tip = await revParse(repo.path, `refs/heads/${repo.defaultBranch}`);
    const onDefault =
      tip !== null &&
      (await runGit(repo.path, ['merge-base', '--is-ancestor', sha, tip], { okCodes: [1] })).code === 0;
    const found = [];
    for (const issue of [...sim.state.issuesOf(repo.fullName).values()].sort((a, b) => a.number - b.number)) {
      const pr = issue.pull;
      if (!pr) continue;
      await sim.refreshPull(repo, issue);
      const landed = pr.landedCommits.includes(sha);
      const inPr = !landed && (await commitsBetween(repo.path, pr.baseSha, pr.headSha)).includes(sha);
      if (landed || (inPr && (!onDefault || pr.merged))) found.push(issue);
    }
    const { page, headers } = paginate(req, found);
    return { status: 200, headers, body: page.map((i) => pullJson(repo, i, sim.state, sim.urls)) };
  },

  'repos/get-combined-status-for-ref': async (req, sim) => {
    const repo = sim.repoFor(req, 'read');
    const sha = await commitOf(repo, req.params.ref!);
    const statuses = sim.state.statuses.get(`${repo.fullName.toLowerCase()}@${sha}`) ?? [];
    const states = statuses.map((s) => s.state);
    const state = states.some((s) => s === 'failure' || s === 'error')
      ? 'failure'
      : states.length > 0 && states.every((s) => s === 'success')
        ? 'success'
        : 'pending';
    const api = `${sim.urls.api}/repos/${repo.fullName}`;
    return {
      status: 200,
      body: {
        state,
        sha,
        total_count: statuses.length,
        statuses: statuses.map((s, i) => ({
          id: 7000 + i,
          node_id: nodeId('StatusContext', 7000 + i),
          url: `${api}/statuses/${sha}`,
          avatar_url: null,
          state: s.state,
          description: s.description ?? null,
          target_url: s.targetUrl ?? null,
          context: s.context,
          created_at: repo.createdAt,
          updated_at: repo.createdAt,
        })),
        repository: repoJson(repo, sim.state, sim.urls),
        commit_url: `${api}/commits/${sha}`,
        url: `${api}/commits/${sha}/status`,
      },
    };
  },
};
