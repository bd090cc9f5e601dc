/**
 * GitHub's JSON for users, repositories, labels and the app, built from simulator state. The
 * shapes follow the OpenAPI fixture (every required field present) so responses validate, and
 * every URL points back at the simulator so an app that follows one stays local.
 */
import type { SimInstallation, SimLabel, SimRepo, SimState, SimUser } from './state.js';

export interface Urls {
  /** REST base, e.g. http://127.0.0.1:1234 */
  api: string;
  /** Web and git base (the same server). */
  web: string;
}

export interface AppIdentity {
  id: number;
  slug: string;
  name: string;
  owner: string;
}

type Json = Record<string, unknown>;

export function nodeId(kind: string, id: number): string {
  return Buffer.from(`0:${kind}${id}`).toString('base64').replace(/=+$/, '');
}

export function userJson(u: SimUser, urls: Urls): Json {
  const api = `${urls.api}/users/${encodeURIComponent(u.login)}`;
  return {
    login: u.login,
    id: u.id,
    node_id: nodeId(u.type, u.id),
    avatar_url: `${urls.web}/avatars/u/${u.id}`,
    gravatar_id: '',
    url: api,
    html_url: `${urls.web}/${u.type === 'Bot' ? `apps/${u.login.replace(/\[bot\]$/, '')}` : u.login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: u.type,
    user_view_type: 'public',
    site_admin: false,
  };
}

/** The URL templates every repository object carries, relative to its API URL. */
const REPO_URL_TEMPLATES: Record<string, string> = {
  archive_url: '/{archive_format}{/ref}',
  assignees_url: '/assignees{/user}',
  blobs_url: '/git/blobs{/sha}',
  branches_url: '/branches{/branch}',
  collaborators_url: '/collaborators{/collaborator}',
  comments_url: '/comments{/number}',
  commits_url: '/commits{/sha}',
  compare_url: '/compare/{base}...{head}',
  contents_url: '/contents/{+path}',
  contributors_url: '/contributors',
  deployments_url: '/deployments',
  downloads_url: '/downloads',
  events_url: '/events',
  forks_url: '/forks',
  git_commits_url: '/git/commits{/sha}',
  git_refs_url: '/git/refs{/sha}',
  git_tags_url: '/git/tags{/sha}',
  hooks_url: '/hooks',
  issue_comment_url: '/issues/comments{/number}',
  issue_events_url: '/issues/events{/number}',
  issues_url: '/issues{/number}',
  keys_url: '/keys{/key_id}',
  labels_url: '/labels{/name}',
  languages_url: '/languages',
  merges_url: '/merges',
  milestones_url: '/milestones{/number}',
  notifications_url: '/notifications{?since,all,participating}',
  pulls_url: '/pulls{/number}',
  releases_url: '/releases{/id}',
  stargazers_url: '/stargazers',
  statuses_url: '/statuses/{sha}',
  subscribers_url: '/subscribers',
  subscription_url: '/subscription',
  tags_url: '/tags',
  teams_url: '/teams',
  trees_url: '/git/trees{/sha}',
};

export function repoJson(repo: SimRepo, state: SimState, urls: Urls, depth = 0): Json {
  const api = `${urls.api}/repos/${repo.fullName}`;
  const owner = state.user(repo.owner);
  const openIssues = [...state.issuesOf(repo.fullName).values()].filter((i) => i.state === 'open').length;
  const out: Json = {
    id: repo.id,
    node_id: nodeId('Repository', repo.id),
    name: repo.name,
    full_name: repo.fullName,
    owner: userJson(owner, urls),
    private: repo.private,
    visibility: repo.private ? 'private' : 'public',
    html_url: `${urls.web}/${repo.fullName}`,
    description: null,
    fork: repo.forkOf !== null,
    url: api,
    ...Object.fromEntries(Object.entries(REPO_URL_TEMPLATES).map(([k, v]) => [k, api + v])),
    clone_url: `${urls.web}/${repo.fullName}.git`,
    git_url: `${urls.web.replace(/^http/, 'git')}/${repo.fullName}.git`,
    ssh_url: `git@127.0.0.1:${repo.fullName}.git`,
    svn_url: `${urls.web}/${repo.fullName}`,
    mirror_url: null,
    homepage: null,
    language: null,
    size: 0,
    default_branch: repo.defaultBranch,
    forks: 0,
    forks_count: 0,
    stargazers_count: 0,
    watchers: 0,
    watchers_count: 0,
    open_issues: openIssues,
    open_issues_count: openIssues,
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: false,
    disabled: false,
    is_template: false,
    license: null,
    topics: [],
    allow_forking: true,
    web_commit_signoff_required: false,
    pushed_at: repo.createdAt,
    created_at: repo.createdAt,
    updated_at: repo.createdAt,
    network_count: 0,
    subscribers_count: 0,
    allow_merge_commit: true,
    allow_squash_merge: true,
    allow_rebase_merge: true,
    allow_auto_merge: repo.allowAutoMerge,
  };
  if (owner.type === 'Organization') out.organization = userJson(owner, urls);
  if (repo.forkOf && depth === 0) {
    const parent = state.repo(repo.forkOf);
    if (parent) {
      out.parent = repoJson(parent, state, urls, 1);
      out.source = out.parent;
    }
  }
  return out;
}

export function labelJson(repo: SimRepo, l: SimLabel, urls: Urls): Json {
  return {
    id: l.id,
    node_id: nodeId('Label', l.id),
    url: `${urls.api}/repos/${repo.fullName}/labels/${encodeURIComponent(l.name)}`,
    name: l.name,
    color: l.color,
    default: false,
    // GitHub sends null for a label without a description, but its OpenAPI description types
    // labels inside some pull request shapes as a plain string; '' satisfies both readings.
    description: l.description ?? '',
  };
}

export const APP_PERMISSIONS = {
  contents: 'write',
  issues: 'write',
  pull_requests: 'write',
  metadata: 'read',
  checks: 'write',
  statuses: 'read',
};
export const APP_EVENTS = ['issue_comment', 'issues', 'pull_request', 'push'];

export function appJson(app: AppIdentity, state: SimState, urls: Urls): Json {
  return {
    id: app.id,
    slug: app.slug,
    client_id: `Iv1.${app.id.toString(16).padStart(16, '0')}`,
    node_id: nodeId('App', app.id),
    owner: userJson(state.user(app.owner, 'Organization'), urls),
    name: app.name,
    description: 'Simulated GitHub App',
    external_url: `${urls.web}/apps/${app.slug}`,
    html_url: `${urls.web}/apps/${app.slug}`,
    created_at: '2024-01-01T00:00:00Z',
    updated_at: '2024-01-01T00:00:00Z',
    permissions: APP_PERMISSIONS,
    events: APP_EVENTS,
    installations_count: state.installations.size,
  };
}

export function installationJson(inst: SimInstallation, app: AppIdentity, state: SimState, urls: Urls): Json {
  const account = state.user(inst.account);
  return {
    id: inst.id,
    // GitHub's description of the installation list asks the account to be a user and an
    // enterprise at once (allOf), so it carries the fields of both.
    account: {
      ...userJson(account, urls),
      name: account.login,
      slug: account.login.toLowerCase(),
      created_at: inst.createdAt,
      updated_at: inst.createdAt,
    },
    repository_selection: 'all',
    access_tokens_url: `${urls.api}/app/installations/${inst.id}/access_tokens`,
    repositories_url: `${urls.api}/installation/repositories`,
    html_url: `${urls.web}/organizations/${account.login}/settings/installations/${inst.id}`,
    app_id: app.id,
    app_slug: app.slug,
    target_id: account.id,
    target_type: account.type === 'Organization' ? 'Organization' : 'User',
    permissions: APP_PERMISSIONS,
    events: APP_EVENTS,
    created_at: inst.createdAt,
    updated_at: inst.createdAt,
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [],
    suspended_by: null,
    suspended_at: null,
  };
}

export function authorAssociation(repo: SimRepo, login: string, state: SimState): string {
  if (login.toLowerCase() === repo.owner.toLowerCase()) return 'OWNER';
  return state.roleOf(repo, login) ? 'COLLABORATOR' : 'NONE';
}
