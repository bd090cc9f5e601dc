/**
 * Thin wrappers over the real `git` binary: the simulator's repositories are ordinary bare
 * repositories, changed only through git plumbing so that what tests see is what git would do.
 */
import { runToEnd } from './git-process.js';
import { countGitProcess } from './sim-internals.js';

export interface GitIdentity {
  name: string;
  email: string;
  /** Seconds since the epoch. */
  time: number;
}

export interface GitRunOptions {
  input?: string | Buffer;
  env?: Record<string, string>;
  /** Exit codes that are answers rather than failures (e.g. 1 for a conflicting merge-tree). */
  okCodes?: number[];
}

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment every simulator git call gets: no user config, no prompts, no hooks of the caller. */
export function gitEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    LANG: 'C',
    ...extra,
  };
}

export async function runGit(cwd: string, args: string[], opts: GitRunOptions = {}): Promise<GitResult> {
  const started = performance.now();
  const ran = await runToEnd(args, { cwd, env: gitEnv(opts.env), input: opts.input });
  const code = ran.code;
  countGitProcess(started);
  const result = {
    code: code ?? -1,
    stdout: ran.stdout.toString('utf8'),
    stderr: ran.stderr.toString('utf8'),
  };
  if (code === 0 || opts.okCodes?.includes(code ?? -1)) return result;
  throw new Error(`git ${args.join(' ')} failed (${code}): ${result.stderr.trim()}`);
}

/** Raw stdout of a successful git command (blobs are bytes, not text). */
export async function gitBytes(cwd: string, args: string[], input = ''): Promise<Buffer> {
  const started = performance.now();
  const { code, stdout } = await runToEnd(args, { cwd, env: gitEnv(), input });
  countGitProcess(started);
  if (code === 0) return stdout;
  throw new Error(`git ${args.join(' ')} failed (${code})`);
}

/** Output of a successful git command, trimmed. */
export async function git(cwd: string, args: string[], opts: GitRunOptions = {}): Promise<string> {
  return (await runGit(cwd, args, opts)).stdout.trim();
}

export function identityEnv(author: GitIdentity, committer: GitIdentity): Record<string, string> {
  return {
    GIT_AUTHOR_NAME: author.name,
    GIT_AUTHOR_EMAIL: author.email,
    GIT_AUTHOR_DATE: `${author.time} +0000`,
    GIT_COMMITTER_NAME: committer.name,
    GIT_COMMITTER_EMAIL: committer.email,
    GIT_COMMITTER_DATE: `${committer.time} +0000`,
  };
}

/** The sha a revision names, or null when it names nothing. */
export async function revParse(repoPath: string, rev: string): Promise<string | null> {
  const r = await runGit(repoPath, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], {
    okCodes: [1, 128],
  });
  return r.code === 0 ? r.stdout.trim() : null;
}

export interface ParsedCommit {
  sha: string;
  tree: string;
  parents: string[];
  author: { name: string; email: string; date: string };
  committer: { name: string; email: string; date: string };
  message: string;
}

function parsePerson(line: string): { name: string; email: string; date: string } {
  const m = /^(.*) <(.*)> (\d+) ([+-]\d{4})$/.exec(line);
  if (!m) return { name: line, email: '', date: new Date(0).toISOString() };
  return {
    name: m[1]!,
    email: m[2]!,
    date: new Date(Number(m[3]) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
}

/**
 * Answers that depend only on object ids, which name content: the same question always has
 * the same answer, so they are asked of git once (GitHub answers them from its own indexes,
 * not a process per request). Bounded: the oldest answers go first.
 */
export class Memo<T> {
  private readonly answers = new Map<string, Promise<T>>();
  constructor(private readonly max: number) {}

  has(key: string): boolean {
    return this.answers.has(key);
  }

  get(key: string, ask: () => Promise<T>): Promise<T> {
    const known = this.answers.get(key);
    if (known) return known;
    const answer = ask();
    this.answers.set(key, answer);
    answer.catch(() => this.answers.delete(key)); // a failure is asked again next time
    if (this.answers.size > this.max) this.answers.delete(this.answers.keys().next().value!);
    return answer;
  }
}

const commits = new Memo<ParsedCommit>(5000);
const ranges = new Memo<string[]>(2000);

export async function readCommit(repoPath: string, sha: string): Promise<ParsedCommit> {
  // Keyed by repository too: a commit one repository lacks must still fail there.
  return commits
    .get(`${repoPath}\0${sha}`, () => readCommitOnce(repoPath, sha))
    .then((c) => structuredClone(c));
}

/**
 * Reads the commits `readCommit` does not know yet with one `git cat-file --batch`, where
 * reading them one by one cost a process each (a page of a pull request's commits: up to 100).
 */
export async function readCommits(repoPath: string, shas: readonly string[]): Promise<void> {
  const missing = [...new Set(shas)].filter((sha) => !commits.has(`${repoPath}\0${sha}`));
  if (missing.length < 2) return;
  const out = await gitBytes(repoPath, ['cat-file', '--batch'], missing.join('\n') + '\n');
  let at = 0;
  for (const sha of missing) {
    const eol = out.indexOf(10, at);
    const [, type, size] = out.subarray(at, eol).toString('utf8').split(' ');
    if (type !== 'commit') {
      at = eol + 1 + (size === undefined ? 0 : Number(size) + 1);
      continue; // not a commit here: readCommit asks git itself, and fails as before
    }
    const raw = out.subarray(eol + 1, eol + 1 + Number(size)).toString('utf8');
    at = eol + 1 + Number(size) + 1;
    // Trimmed as `git cat-file commit` output is by readCommitOnce, so both give the same answer.
    void commits.get(`${repoPath}\0${sha}`, () => Promise.resolve(parseCommit(sha, raw.trim())));
  }
}

async function readCommitOnce(repoPath: string, sha: string): Promise<ParsedCommit> {
  return parseCommit(sha, await git(repoPath, ['cat-file', 'commit', sha]));
}

function parseCommit(sha: string, raw: string): ParsedCommit {
  const split = raw.indexOf('\n\n');
  const header = split === -1 ? raw : raw.slice(0, split);
  const message = split === -1 ? '' : raw.slice(split + 2);
  const c: ParsedCommit = {
    sha,
    tree: '',
    parents: [],
    author: parsePerson(''),
    committer: parsePerson(''),
    message,
  };
  for (const line of header.split('\n')) {
    const space = line.indexOf(' ');
    const key = line.slice(0, space);
    const value = line.slice(space + 1);
    if (key === 'tree') c.tree = value;
    else if (key === 'parent') c.parents.push(value);
    else if (key === 'author') c.author = parsePerson(value);
    else if (key === 'committer') c.committer = parsePerson(value);
  }
  return c;
}

/** Commits reachable from `head` but not from `base`, oldest first. */
export async function commitsBetween(repoPath: string, base: string, head: string): Promise<string[]> {
  const ask = async () => {
    const out = await git(repoPath, ['rev-list', '--reverse', '--topo-order', `${base}..${head}`]);
    return out ? out.split('\n') : [];
  };
  // Only ids are fixed: a branch name's answer changes when the branch moves.
  if (!FULL_ID.test(base) || !FULL_ID.test(head)) return ask();
  return [...(await ranges.get(`${repoPath}\0${base}..${head}`, ask))];
}

const FULL_ID = /^[0-9a-f]{40}$/;

/** All refs of a repository as `{ 'refs/heads/main': sha }`. */
export async function listRefs(repoPath: string): Promise<Record<string, string>> {
  const out = await git(repoPath, ['for-each-ref', '--format=%(refname) %(objectname)']);
  const refs: Record<string, string> = {};
  for (const line of out.split('\n').filter(Boolean)) {
    const [name, sha] = line.split(' ') as [string, string];
    refs[name] = sha;
  }
  return refs;
}
