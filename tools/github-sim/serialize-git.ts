/**
 * GitHub's JSON for git-backed things: commits, branches, refs and repository contents.
 */
import { readCommit } from './git.js';
import { nodeId, userJson, type Urls } from './serialize-core.js';
import type { SimRepo, SimState } from './state.js';

type Json = Record<string, unknown>;

/** Maps a noreply address (`123+login@users.noreply.github.com`) back to the GitHub user. */
function userOfEmail(email: string, state: SimState, urls: Urls): Json | null {
  const m = /^\d+\+(.+)@users\.noreply\.github\.com$/.exec(email);
  const u = m ? state.findUser(m[1]!) : undefined;
  return u ? userJson(u, urls) : null;
}

export async function commitJson(repo: SimRepo, sha: string, state: SimState, urls: Urls): Promise<Json> {
  const c = await readCommit(repo.path, sha);
  const api = `${urls.api}/repos/${repo.fullName}`;
  return {
    sha,
    node_id: nodeId('Commit', parseInt(sha.slice(0, 8), 16)),
    url: `${api}/commits/${sha}`,
    html_url: `${urls.web}/${repo.fullName}/commit/${sha}`,
    comments_url: `${api}/commits/${sha}/comments`,
    commit: {
      url: `${api}/git/commits/${sha}`,
      author: c.author,
      committer: c.committer,
      message: c.message.replace(/\n$/, ''),
      comment_count: 0,
      tree: { sha: c.tree, url: `${api}/git/trees/${c.tree}` },
      verification: {
        verified: false,
        reason: 'unsigned',
        signature: null,
        payload: null,
        verified_at: null,
      },
    },
    author: userOfEmail(c.author.email, state, urls),
    committer: userOfEmail(c.committer.email, state, urls),
    parents: c.parents.map((p) => ({
      sha: p,
      url: `${api}/commits/${p}`,
      html_url: `${urls.web}/${repo.fullName}/commit/${p}`,
    })),
  };
}

export async function branchJson(repo: SimRepo, name: string, sha: string, state: SimState, urls: Urls) {
  const api = `${urls.api}/repos/${repo.fullName}/branches/${name}`;
  const isProtected = repo.protectedBranches.has(name);
  return {
    name,
    commit: await commitJson(repo, sha, state, urls),
    _links: { self: api, html: `${urls.web}/${repo.fullName}/tree/${name}` },
    protected: isProtected,
    protection: isProtected
      ? { enabled: true, required_status_checks: { enforcement_level: 'off', contexts: [], checks: [] } }
      : { enabled: false },
    protection_url: `${api}/protection`,
  };
}

export function gitRefJson(repo: SimRepo, ref: string, sha: string, urls: Urls): Json {
  const api = `${urls.api}/repos/${repo.fullName}`;
  return {
    ref,
    node_id: nodeId('Ref', parseInt(sha.slice(0, 8), 16)),
    url: `${api}/git/${ref}`,
    object: { type: 'commit', sha, url: `${api}/git/commits/${sha}` },
  };
}

export interface TreeEntry {
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  sha: string;
  size: number;
  path: string;
}

/** One entry of the contents API (file, dir, symlink or submodule), without `content`. */
export function contentEntryJson(repo: SimRepo, e: TreeEntry, ref: string, urls: Urls): Json {
  const api = `${urls.api}/repos/${repo.fullName}`;
  const type =
    e.type === 'tree' ? 'dir' : e.type === 'commit' ? 'submodule' : e.mode === '120000' ? 'symlink' : 'file';
  const self = `${api}/contents/${e.path}?ref=${encodeURIComponent(ref)}`;
  const html = `${urls.web}/${repo.fullName}/${e.type === 'tree' ? 'tree' : 'blob'}/${ref}/${e.path}`;
  const gitUrl = `${api}/git/${e.type === 'tree' ? 'trees' : 'blobs'}/${e.sha}`;
  return {
    type,
    name: e.path.split('/').pop(),
    path: e.path,
    sha: e.sha,
    size: e.type === 'blob' ? e.size : 0,
    url: self,
    html_url: html,
    git_url: gitUrl,
    download_url: type === 'file' ? `${urls.web}/${repo.fullName}/raw/${ref}/${e.path}` : null,
    _links: { self, git: gitUrl, html },
  };
}
