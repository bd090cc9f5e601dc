/**
 * The read side of the simulator's test API (what the app did: pull requests, issues,
 * comments, refs, deliveries) plus the knobs a test sets beside git (check runs, statuses),
 * and raw webhook delivery.
 */
import { listRefs, revParse } from './git.js';
import type { GitHubSim } from './github-sim.js';
import type { SimCheckRun, SimComment, SimIssue, SimRepo, SimStatus } from './state.js';
import type { Delivery } from './webhooks.js';

export abstract class SimQueries {
  protected abstract get sim(): GitHubSim;

  protected repo(fullName: string): SimRepo {
    const repo = this.sim.state.repo(fullName);
    if (!repo) throw new Error(`github-sim: no repository ${fullName}`);
    return repo;
  }

  protected issue(fullName: string, number: number): SimIssue {
    const issue = this.sim.state.issuesOf(fullName).get(number);
    if (!issue) throw new Error(`github-sim: ${fullName} has no issue or pull request #${number}`);
    return issue;
  }

  async setCheckRuns(fullName: string, ref: string, runs: SimCheckRun[]): Promise<void> {
    const repo = this.repo(fullName);
    const sha = await revParse(repo.path, ref);
    if (!sha) throw new Error(`github-sim: ${fullName} has no revision ${ref}`);
    const made = runs.map((r) => ({ ...r, id: r.id ?? this.sim.state.id() }));
    this.sim.state.checkRuns.set(`${repo.fullName.toLowerCase()}@${sha}`, made);
  }

  /** Every check run of a commit (copies), oldest first: a test's and the app's own. */
  async checkRuns(fullName: string, ref: string): Promise<SimCheckRun[]> {
    const repo = this.repo(fullName);
    const sha = await revParse(repo.path, ref);
    if (!sha) throw new Error(`github-sim: ${fullName} has no revision ${ref}`);
    return structuredClone(this.sim.state.checkRuns.get(`${repo.fullName.toLowerCase()}@${sha}`) ?? []);
  }

  async setStatuses(fullName: string, ref: string, statuses: SimStatus[]): Promise<void> {
    const repo = this.repo(fullName);
    const sha = await revParse(repo.path, ref);
    if (!sha) throw new Error(`github-sim: ${fullName} has no revision ${ref}`);
    this.sim.state.statuses.set(`${repo.fullName.toLowerCase()}@${sha}`, statuses);
  }

  /** Signs and sends any payload as `event`; resolves with the app's HTTP status (null: unreachable). */
  async deliver(event: string, payload: Record<string, unknown>): Promise<number | null> {
    return (await this.sim.webhooks.deliver(event, payload)).status;
  }

  async redeliver(deliveryId: string): Promise<number | null> {
    return (await this.sim.webhooks.redeliver(deliveryId)).status;
  }

  get deliveries(): readonly Delivery[] {
    return this.sim.webhooks.deliveries;
  }

  /** Pull requests of the repository (copies), by number. */
  pulls(fullName: string): SimIssue[] {
    return [...this.sim.state.issuesOf(this.repo(fullName).fullName).values()]
      .filter((i) => i.pull)
      .sort((a, b) => a.number - b.number)
      .map((i) => structuredClone(i));
  }

  /** Plain issues of the repository (copies), by number; pull requests are in pulls(). */
  issues(fullName: string): SimIssue[] {
    return [...this.sim.state.issuesOf(this.repo(fullName).fullName).values()]
      .filter((i) => !i.pull)
      .sort((a, b) => a.number - b.number)
      .map((i) => structuredClone(i));
  }

  comments(fullName: string, number: number): SimComment[] {
    return this.sim.state
      .commentsOf(this.repo(fullName).fullName, number)
      .sort((a, b) => a.id - b.id)
      .map((c) => structuredClone(c));
  }

  refs(fullName: string): Promise<Record<string, string>> {
    return listRefs(this.repo(fullName).path);
  }

  resolve(fullName: string, rev: string): Promise<string | null> {
    return revParse(this.repo(fullName).path, rev);
  }
}
