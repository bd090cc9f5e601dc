/**
 * The simulated GitHub: one local HTTP server with REST (checked against GitHub's OpenAPI
 * description), git smart HTTP (the real `git http-backend`) and webhook deliveries, plus the
 * typed API tests use to build a world and inspect what the app did. See README.md here.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appKeysOf, generateAppKeys, mintToken, mintUserToken } from './auth.js';
import { Faults } from './faults.js';
import { GIT_PATH, handleGit } from './git-dispatch.js';
import { GRAPHQL_PATH, handleGraphQL } from './graphql.js';
import { OAUTH_PATH, handleOAuth, type OAuthClient } from './oauth.js';
import { commitsBetween, listRefs } from './git.js';
import { OpenApiValidator, defaultFixturePath } from './openapi-validator.js';
import { CommitClock, RepoStore } from './repo-store.js';
import { handleRest } from './rest-dispatch.js';
import { type ApiEvent, type RestRequest } from './rest-types.js';
import { repoForRequest } from './repo-permission.js';
import { pullStats, testMerge, testMergeKnown } from './pull-stats.js';
import { Router } from './router.js';
import type { AppIdentity, Urls } from './serialize-core.js';
import type { PullStats } from './serialize-issue.js';
import { SimPeopleActions } from './sim-people-actions.js';
import type { PushLogEntry, RequestLogEntry, SimInternals, SimStats, Violation } from './sim-internals.js';
import { requestWork, sleep, type RequestWork } from './sim-internals.js';
import { SimState, type SimIssue, type SimRepo } from './state.js';
import { buildPayload } from './webhook-events.js';
import { WebhookSender } from './webhooks.js';

export interface GitHubSimOptions {
  /** Where bare repositories live; kept (with a sim-state.json dump) on stop when given. */
  stateDir?: string;
  latencyMs?: number;
  webhookUrl?: string;
  webhookSecret?: string;
  appId?: number;
  appSlug?: string;
  /**
   * The app's private key (PKCS#1 PEM). Default: a new 2048-bit key, which takes 0.1–0.3 s
   * of CPU to generate; test harnesses that start many simulators pass one key to all.
   */
  appPrivateKey?: string;
  /** Also deliver webhooks for the app's own REST writes (PR opened, comment created...). Default false. */
  apiWebhooks?: boolean;
  /** Another OpenAPI fixture (tests of the validator). */
  fixturePath?: string;
  /** The app's OAuth client id and secret, for the web sign-in flow (defaults below). */
  oauthClientId?: string;
  oauthClientSecret?: string;
  /** What the git server speaks (see `GitServing`); default: protocol v2 with `filter`, as GitHub. */
  git?: Partial<GitServing>;
  /**
   * Starts GitHub's clock at this time, scripted (see `setTime`): records and commits are
   * dated from here, whatever the wall clock says. Default: the wall clock.
   */
  startTime?: Date | string;
}

/** How the simulator's git http-backend answers fetches; settable later through `sim.git`. */
export interface GitServing {
  /** Protocol v2 when the client asks for it (`Git-Protocol: version=2`); false: always v0. */
  protocolV2: boolean;
  /** `uploadpack.allowFilter`: partial fetches (`filter blob:none`); false: the server offers none. */
  allowFilter: boolean;
}

/** Compiled schemas are pure, so simulators in one process share them (compiling takes ~1 s). */
const validators = new Map<string, OpenApiValidator>();
function sharedValidator(fixturePath = defaultFixturePath()): OpenApiValidator {
  let v = validators.get(fixturePath);
  if (!v) {
    v = new OpenApiValidator(fixturePath);
    validators.set(fixturePath, v);
  }
  return v;
}

export class GitHubSim extends SimPeopleActions implements SimInternals {
  readonly state = new SimState();
  readonly store: RepoStore;
  readonly app: AppIdentity;
  readonly privateKey: string;
  readonly keys: SimInternals['keys'];
  readonly validator: OpenApiValidator;
  readonly router: Router;
  readonly faults = new Faults();
  readonly requestLog: RequestLogEntry[] = [];
  readonly pushLog: PushLogEntry[] = [];
  readonly violations: Violation[] = [];
  readonly stats: SimStats = { restCalls: 0, gitRequests: 0, gitUploadBytes: 0, gitReceiveBytes: 0 };
  readonly webhooks: WebhookSender;
  urls: Urls = { api: '', web: '' };
  latencyMs: number;
  /** What the git server speaks; tests may change it between requests. */
  git: GitServing;
  /** The app's OAuth client (GitHub Apps have one for signing people in). */
  readonly oauth: OAuthClient;
  /**
   * Who is signed in to the simulated github.com when a browser reaches the authorize page:
   * they are sent back to the app at once, as GitHub does for someone who authorized the app
   * before. Undefined: nobody is, and the page asks to sign in.
   */
  oauthLoginAs: string | undefined;
  private server: Server | undefined;
  private readonly ownsStateDir: boolean;
  private readonly stateDir: string;
  private readonly apiWebhooks: boolean;
  private readonly pending = new Set<Promise<unknown>>();
  /** Bumped on every ref change; a pull request refreshes its head only when this moved. */
  private generation = 0;
  private readonly refreshed = new WeakMap<SimIssue, { generation: number; done: Promise<void> }>();
  private readonly refSnapshots = new Map<
    string,
    { generation: number; refs: Promise<Record<string, string>> }
  >();

  private constructor(opts: GitHubSimOptions) {
    super();
    this.ownsStateDir = !opts.stateDir;
    this.stateDir = opts.stateDir ?? mkdtempSync(join(tmpdir(), 'github-sim-'));
    mkdirSync(join(this.stateDir, 'repos'), { recursive: true });
    this.store = new RepoStore(join(this.stateDir, 'repos'), new CommitClock());
    const appId = opts.appId ?? 4242;
    const slug = opts.appSlug ?? 'backport-assistant';
    this.app = { id: appId, slug, name: slug, owner: 'sim-apps' };
    const keys = opts.appPrivateKey ? appKeysOf(opts.appPrivateKey) : generateAppKeys();
    this.privateKey = keys.privateKey;
    this.keys = { publicKey: keys.publicKey, appId };
    this.validator = sharedValidator(opts.fixturePath);
    this.router = new Router(this.validator.operations);
    this.webhooks = new WebhookSender(opts.webhookUrl, opts.webhookSecret ?? 'sim-webhook-secret', appId);
    this.latencyMs = opts.latencyMs ?? 0;
    this.git = { protocolV2: true, allowFilter: true, ...opts.git };
    this.apiWebhooks = opts.apiWebhooks ?? false;
    this.oauth = {
      clientId: opts.oauthClientId ?? 'Iv1.sim0auth0client',
      clientSecret: opts.oauthClientSecret ?? 'sim-oauth-client-secret',
    };
    this.state.user(this.botLogin, 'Bot');
    if (opts.startTime !== undefined) this.setTime(opts.startTime);
  }

  static async start(opts: GitHubSimOptions = {}): Promise<GitHubSim> {
    const sim = new GitHubSim(opts);
    const server = createServer((req, res) => void sim.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('github-sim: no port');
    sim.server = server;
    const base = `http://127.0.0.1:${address.port}`;
    sim.urls = { api: base, web: base };
    return sim;
  }

  protected get sim(): GitHubSim {
    return this;
  }

  get apiUrl(): string {
    return this.urls.api;
  }
  get appId(): number {
    return this.app.id;
  }
  get webhookSecret(): string {
    return this.webhooks.secret;
  }
  get webhookUrl(): string | undefined {
    return this.webhooks.url;
  }
  set webhookUrl(url: string | undefined) {
    this.webhooks.url = url;
  }
  get botLogin(): string {
    return `${this.app.slug}[bot]`;
  }

  setLatency(ms: number): void {
    this.latencyMs = ms;
  }

  private handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const work = { latencyMs: 0, gitProcesses: 0, gitMs: 0 };
    return requestWork.run(work, () => this.answer(req, res, work));
  }

  private async answer(req: IncomingMessage, res: ServerResponse, work: RequestWork) {
    const t0 = performance.now();
    const url = new URL(req.url ?? '/', this.urls.api);
    await sleep(this.latencyMs);
    work.latencyMs = performance.now() - t0;
    try {
      if (GIT_PATH.test(url.pathname)) await handleGit(this, req, res, url, t0);
      else if (OAUTH_PATH.test(url.pathname)) await handleOAuth(this, req, res, url, t0);
      else if (GRAPHQL_PATH.test(url.pathname)) await handleGraphQL(this, req, res, url, t0);
      else await handleRest(this, req, res, url, t0);
    } catch (err) {
      // A bug of the simulator must show up as a 500 in the test, not as an unhandled rejection.
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(err instanceof Error ? err.message : String(err));
    }
  }

  // ---- SimCore, for the handlers ----

  repoFor(req: RestRequest, access: 'read' | 'write'): SimRepo {
    return repoForRequest(this.state, req, access);
  }

  pullStats(repo: SimRepo, issue: SimIssue, mergeability?: 'wait' | 'background'): Promise<PullStats> {
    return pullStats(repo, issue, mergeability);
  }

  /**
   * GitHub's background job that works out an open pull request's mergeability (its test
   * merge, `refs/pull/N/merge`), started once the answer that said `mergeable: null` is
   * sent. `settle` and `stop` wait for it; a read of the pull request meanwhile waits for
   * it too (see `testMerge`), so no test sees the result change under it.
   */
  startTestMerge(repo: SimRepo, issue: SimIssue): void {
    if (issue.state !== 'open' || testMergeKnown(issue)) return;
    const p = testMerge(repo, issue)
      .catch(() => undefined) // the next read of the pull request tries again
      .finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  /**
   * An open PR's head, base and commit count, read again when refs moved. A caller finding a
   * refresh of the current refs under way waits for it: a stale base fails a merge's update-ref.
   */
  async refreshPull(repo: SimRepo, issue: SimIssue): Promise<void> {
    const pr = issue.pull;
    if (!pr || issue.state !== 'open') return;
    const current = this.refreshed.get(issue);
    if (current?.generation === this.generation) return current.done;
    const generation = this.generation;
    const done = this.readPull(repo, issue, generation);
    this.refreshed.set(issue, { generation, done });
    done.catch(() => this.refreshed.delete(issue)); // a failed read is tried again next time
    return done;
  }

  private async readPull(repo: SimRepo, issue: SimIssue, generation: number): Promise<void> {
    const pr = issue.pull!;
    const headRepo = this.state.repo(pr.headRepo);
    const tip = headRepo ? ((await this.refsOf(headRepo.path))[`refs/heads/${pr.headRef}`] ?? null) : null;
    if (tip && tip !== pr.headSha) {
      const ref = `refs/pull/${issue.number}/head`;
      if (headRepo === repo) await this.store.setRef(repo.fullName, ref, tip);
      else await this.store.fetchInto(repo.fullName, pr.headRepo, `refs/heads/${pr.headRef}`, ref);
    }
    const headSha = tip ?? pr.headSha;
    const baseSha = (await this.refsOf(repo.path))[`refs/heads/${pr.baseRef}`] ?? pr.baseSha;
    const commits = (await commitsBetween(repo.path, baseSha, headSha)).length;
    // Refs moved while this read them (a merge, a push): what was read may be stale, and a
    // refresh that started later may already have stored newer values. Read again.
    if (this.generation !== generation) return this.refreshPull(repo, issue);
    Object.assign(pr, { headSha, baseSha, commits });
  }

  refsChanged(_repo: SimRepo): void {
    this.generation++;
  }

  /**
   * Every ref of a repository as of the current generation: one `git for-each-ref` answers
   * all the pull requests a list refreshes, where a `rev-parse` per head and base cost two
   * processes per open pull request (GitHub keeps its refs in a database, not in processes).
   * Valid exactly as long as `refreshPull`'s own generation check.
   */
  refsOf(repoPath: string): Promise<Record<string, string>> {
    const known = this.refSnapshots.get(repoPath);
    if (known?.generation === this.generation) return known.refs;
    const refs = listRefs(repoPath);
    this.refSnapshots.set(repoPath, { generation: this.generation, refs });
    refs.catch(() => this.refSnapshots.delete(repoPath));
    return refs;
  }

  issueTokenFor(installationId: number): { token: string; expiresAt: number } {
    return mintToken(this.state, installationId);
  }

  raise(e: ApiEvent): void {
    if (!this.apiWebhooks || !this.webhookUrl) return;
    const p = buildPayload(this, e)
      .then((payload) => this.webhooks.deliver(e.event, payload))
      .catch(() => undefined)
      .finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  // ---- tokens ----

  installationId(owner: string): number {
    const inst = this.state.installations.get(owner.toLowerCase());
    if (!inst) throw new Error(`github-sim: no installation for ${owner}`);
    return inst.id;
  }

  /** An installation token for the owner's installation, without the JWT dance. */
  createInstallationToken(owner: string): string {
    return mintToken(this.state, this.installationId(owner)).token;
  }

  /** A user token for `login`, as the OAuth web flow would give, without the browser. */
  createUserToken(login: string): string {
    return mintUserToken(this.state, this.state.user(login).login).token;
  }

  /**
   * Moves GitHub's clock forward to `at` (it never goes back) and scripts it from then on:
   * the next record and the next commit are dated `at`, later ones follow a second (a commit,
   * a minute) apart, and the wall clock no longer counts. Tokens still expire by the wall
   * clock, as the app's JWTs are signed with it. An app under test reads `state.appTime()`.
   */
  setTime(at: Date | string): void {
    const ms = new Date(at).getTime();
    this.state.setTime(ms);
    this.store.clock.advanceTo(ms / 1000);
  }

  /** Makes every token issued so far expired (the app must fetch a new one). */
  expireTokens(): void {
    for (const t of this.state.tokens.values()) t.expiresAt = Date.now() - 1000;
    for (const t of this.state.userTokens.values()) t.expiresAt = Date.now() - 1000;
  }

  /** Waits for webhook deliveries raised by the app's REST writes (apiWebhooks) and background test merges. */
  async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  async stop(): Promise<void> {
    await this.settle();
    if (this.server) {
      const server = this.server;
      this.server = undefined;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    if (this.ownsStateDir) {
      rmSync(this.stateDir, { recursive: true, force: true });
    } else {
      const dump = {
        ...this.state.snapshot(),
        pushLog: this.pushLog,
        requestLog: this.requestLog,
        violations: this.violations,
        deliveries: this.webhooks.deliveries,
        stats: this.stats,
      };
      writeFileSync(join(this.stateDir, 'sim-state.json'), JSON.stringify(dump, null, 2));
    }
  }
}

/** Starts a simulator on 127.0.0.1 and a random port. */
export function startGitHubSim(opts: GitHubSimOptions = {}): Promise<GitHubSim> {
  return GitHubSim.start(opts);
}
