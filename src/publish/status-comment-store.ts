import { findMarker } from '../render/marker.js';
import {
  parseStatusComment,
  renderStatusComment,
  upsertStatusRow,
  type StatusRow,
} from '../render/status-comment.js';
import { gitHubStatus, type GitHubClient } from './github-client.js';
import { writtenByApp, type GhComment } from '../common/github-types.js';

/**
 * The status comment on the original pull request: one per PR, found by its hidden marker
 * and edited in place, one row per target. Its rows also remember what the app made for
 * each target (the backport PR, the conflict issue), which is how a re-run finds them.
 *
 * Every write re-reads the comment first and merges: the rows this run recorded replace
 * theirs, every other row comes from GitHub as it is now. Rows are never written back from
 * an old read, so another delivery or another instance that wrote a row meanwhile keeps it
 * (the one exception, `recordAll` with `asLoaded`, is a job's first write, right after its
 * load: that load is the write's read).
 *
 * `record` and `recordAll` run one at a time, in the order they were called, so a caller need
 * not await one (the job's "in progress" rows, while it picks) for the next to land after it:
 * a later row never lands before an earlier one, and `settle()` waits for them all.
 */
export class StatusCommentStore {
  private constructor(
    private readonly gh: GitHubClient,
    private readonly source: number,
    private commentId: number | undefined,
    private current: StatusRow[],
    private readonly appLogin: string,
  ) {}

  /** The failure of the latest write, when it failed (see `record`). */
  private unwritten: unknown;
  /** Whether a write was tried since `load` (after one, what `load` read is stale). */
  private written = false;
  /** The rows this run recorded, latest per target: they win over what the comment says. */
  private readonly mine = new Map<string, StatusRow>();
  /** The recorded writes, one after another: the latest one's end. */
  private writes: Promise<void> = Promise.resolve();

  /** `appLogin`: the app's bot login; only its comment is the status comment. */
  static async load(gh: GitHubClient, source: number, appLogin: string): Promise<StatusCommentStore> {
    const mine = await find(gh, source, appLogin);
    return new StatusCommentStore(gh, source, mine?.id, mine ? parseStatusComment(mine.body) : [], appLogin);
  }

  get rows(): readonly StatusRow[] {
    return this.current;
  }

  row(target: string): StatusRow | undefined {
    return this.current.find((r) => r.target === target);
  }

  /**
   * Like `upsert`, but a failed write does not throw: the row is kept, the next write
   * carries it, and `settle()` reports the failure if no later write succeeded. The status
   * comment is a report of the work, so failing to write it must not stop the work.
   */
  async record(row: StatusRow): Promise<void> {
    await this.recordAll([row]);
  }

  /**
   * `record` for several rows, in one write. `asLoaded`: merge them into what `load` read
   * rather than reading the comment again, for a job's first write made right after its
   * load (the load is that write's read; a second read a moment later would only cost a
   * request on the way to the backport PR).
   */
  recordAll(rows: readonly StatusRow[], opts: { asLoaded?: boolean } = {}): Promise<void> {
    if (rows.length === 0) return this.writes;
    // Decided now: a write recorded before this one has not run yet, but will have.
    const asLoaded = opts.asLoaded === true && !this.written;
    this.written = true;
    this.writes = this.writes.then(async () => {
      try {
        await this.upsertAll(rows, asLoaded);
        this.unwritten = undefined;
      } catch (err) {
        this.unwritten = err;
      }
    });
    return this.writes;
  }

  /**
   * Waits for the recorded writes, then throws when the comment does not say what `record`
   * was told (its latest write failed).
   */
  async settle(): Promise<void> {
    await this.writes;
    if (this.unwritten !== undefined) throw this.unwritten;
  }

  /** Resolves once every recorded write has ended (never rejects). */
  idle(): Promise<void> {
    return this.writes;
  }

  /** Writes `row` after the recorded writes; throws when it cannot. */
  async upsert(row: StatusRow): Promise<void> {
    this.written = true;
    const write = this.writes.then(() => this.upsertAll([row], false));
    this.writes = write.catch(() => undefined);
    await write;
  }

  private async upsertAll(mine: readonly StatusRow[], asLoaded: boolean): Promise<void> {
    for (const row of mine) this.mine.set(row.target, row);
    this.written = true;
    const fresh = asLoaded ? undefined : await find(this.gh, this.source, this.appLogin);
    if (fresh) this.commentId = fresh.id;
    let rows = fresh ? parseStatusComment(fresh.body) : this.current;
    for (const r of this.mine.values()) rows = upsertStatusRow(rows, r);
    this.current = rows;
    const body = renderStatusComment(this.source, this.current);
    if (this.commentId !== undefined) {
      await this.gh.write(
        'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}',
        { comment_id: this.commentId, body },
        { idempotent: true },
      );
      return;
    }
    const create = () =>
      this.gh.write<GhComment>(
        'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
        { issue_number: this.source, body },
        { idempotent: false },
      );
    try {
      this.commentId = (await create()).id;
    } catch (err) {
      // A 5xx may hide a comment that was made: look for it before trying once more.
      const status = gitHubStatus(err);
      if (typeof status === 'number' && status < 500) throw err;
      const made = await find(this.gh, this.source, this.appLogin);
      if (!made) {
        this.commentId = (await create()).id;
        return;
      }
      this.commentId = made.id;
      await this.upsertAll(mine, false);
    }
  }
}

/**
 * The rows of a PR's status comment, reading at most `maxPages` pages of comments (the
 * reconciliation's bounded look); [] when there is no status comment.
 */
export async function readStatusRows(
  gh: GitHubClient,
  source: number,
  appLogin: string,
  maxPages: number,
): Promise<StatusRow[]> {
  const mine = await find(gh, source, appLogin, maxPages);
  return mine ? parseStatusComment(mine.body) : [];
}

async function find(
  gh: GitHubClient,
  source: number,
  appLogin: string,
  maxPages?: number,
): Promise<GhComment | undefined> {
  const comments = await gh.paginate<GhComment>(
    'GET /repos/{owner}/{repo}/issues/{issue_number}/comments',
    { issue_number: source },
    maxPages,
  );
  return comments.find(
    (c) => writtenByApp(c, appLogin) && findMarker(c.body, 'status-comment')?.source === source,
  );
}
