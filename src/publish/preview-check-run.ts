import { PREVIEW_CHECK_NAME, type PreviewCheckText } from '../render/preview-check.js';
import { gitHubStatus, type GitHubClient } from './github-client.js';

export type PreviewConclusion = 'neutral' | 'success' | 'failure';

interface GhCheckRun {
  id: number;
  name: string;
}

/**
 * The "Backport preview" check run of one commit (a pull request's head). A later update of
 * the same commit edits the run in place instead of adding another; a new head gets a new run,
 * as GitHub shows checks per commit. Writes nothing but that check run.
 */
export class PreviewCheckRun {
  private constructor(
    private readonly gh: GitHubClient,
    private readonly headSha: string,
    private existing: number | undefined,
  ) {}

  /** Looks for the run an earlier update made on this commit. */
  static async load(gh: GitHubClient, headSha: string): Promise<PreviewCheckRun> {
    const list = await gh.get<{ check_runs: GhCheckRun[] }>(
      'GET /repos/{owner}/{repo}/commits/{ref}/check-runs',
      {
        ref: headSha,
        check_name: PREVIEW_CHECK_NAME,
        filter: 'latest',
      },
    );
    return new PreviewCheckRun(gh, headSha, list.check_runs[0]?.id);
  }

  /** True when this commit already shows a preview (which an update must then correct). */
  get exists(): boolean {
    return this.existing !== undefined;
  }

  /** Completes the run with this output and conclusion, creating it when there is none. */
  async publish(output: PreviewCheckText, conclusion: PreviewConclusion): Promise<void> {
    const fields = { status: 'completed', conclusion, output };
    if (this.existing !== undefined) {
      try {
        await this.gh.write(
          'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}',
          { check_run_id: this.existing, ...fields },
          { idempotent: true },
        );
        return;
      } catch (err) {
        // Another app's run of the same name: ours is a run of its own.
        if (gitHubStatus(err) !== 403) throw err;
      }
    }
    // A create is repeatable: a second run on the commit is superseded by the newest.
    const made = await this.gh.write<GhCheckRun>(
      'POST /repos/{owner}/{repo}/check-runs',
      { name: PREVIEW_CHECK_NAME, head_sha: this.headSha, ...fields },
      { idempotent: true },
    );
    this.existing = made.id;
  }
}
