import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startGitHubSim, type GitHubSim } from '../../tools/github-sim/index.js';
import { installationClient, raw } from './helpers.js';
import { testAppKey } from '../support/app-key.js';

const ENABLE = `mutation Enable($id: ID!, $method: PullRequestMergeMethod) {
  enablePullRequestAutoMerge(input: { pullRequestId: $id, mergeMethod: $method }) {
    pullRequest { number autoMergeRequest { mergeMethod } }
  }
}`;
const READY = `mutation($id: ID!) {
  markPullRequestReadyForReview(input: { pullRequestId: $id }) { pullRequest { isDraft } }
}`;

describe('github-sim GraphQL: the two mutations, and GitHub-like refusals', () => {
  let sim: GitHubSim;
  let token: string;
  const ids: Record<string, string> = {};

  const post = async (query: unknown, variables?: unknown, auth = token) =>
    (await raw(sim, 'POST', '/graphql', { token: auth, body: { query, variables } })).json() as {
      data?: Record<string, unknown> | null;
      errors?: { message: string; type?: string }[];
    };

  beforeAll(async () => {
    sim = await startGitHubSim({ appPrivateKey: testAppKey() });
    for (const [name, allow] of [
      ['allows', true],
      ['forbids', false],
    ] as const) {
      await sim.createRepo({ owner: 'acme', name, allowAutoMerge: allow });
      await sim.commitFiles(`acme/${name}`, { branch: 'main', files: { 'a.txt': 'a\n' }, message: 'a' });
      await sim.commitFiles(`acme/${name}`, { branch: 'fix', files: { 'a.txt': 'b\n' }, message: 'b' });
      const n = await sim.createPull({
        repo: `acme/${name}`,
        head: 'fix',
        base: 'main',
        title: 'x',
        user: 'acme',
        draft: name === 'forbids',
      });
      const octokit = installationClient(sim, 'acme');
      ids[name] = (await octokit.rest.pulls.get({ owner: 'acme', repo: name, pull_number: n })).data.node_id;
    }
    token = sim.createInstallationToken('acme');
  });
  afterAll(() => sim.stop());

  it('enables auto-merge where the repository allows it, as REST then shows', async () => {
    const res = await post(ENABLE, { id: ids.allows, method: 'SQUASH' });
    expect(res).toEqual({
      data: {
        enablePullRequestAutoMerge: {
          pullRequest: { number: 1, autoMergeRequest: { mergeMethod: 'SQUASH' } },
        },
      },
    });
    const octokit = installationClient(sim, 'acme');
    const pull = await octokit.rest.pulls.get({ owner: 'acme', repo: 'allows', pull_number: 1 });
    expect(pull.data.auto_merge).toMatchObject({
      merge_method: 'squash',
      enabled_by: { login: sim.botLogin },
    });
    const forbidden = await post(ENABLE, { id: ids.forbids, method: 'MERGE' });
    expect(forbidden.data).toEqual({ enablePullRequestAutoMerge: null });
    expect(forbidden.errors).toEqual([
      expect.objectContaining({
        type: 'UNPROCESSABLE',
        message: 'Pull request Auto merge is not allowed for this repository',
      }),
    ]);
  });

  it('marks a draft ready for review', async () => {
    expect(await post(READY, { id: ids.forbids })).toEqual({
      data: { markPullRequestReadyForReview: { pullRequest: { isDraft: false } } },
    });
    expect(sim.pulls('acme/forbids')[0]!.pull!.draft).toBe(false);
  });

  it('refuses what it does not know, with GitHub’s words', async () => {
    const first = async (query: string, variables?: unknown) =>
      (await post(query, variables)).errors?.[0]?.message;
    expect(await first('{ viewer { login } }')).toBe("Field 'viewer' doesn't exist on type 'Query'");
    expect(
      await first('mutation { mergePullRequest(input: {pullRequestId: "x"}) { clientMutationId } }'),
    ).toBe("Field 'mergePullRequest' doesn't exist on type 'Mutation'");
    expect(await first(READY, {})).toBe('Variable $id of type ID! was provided invalid value');
    expect(await first(ENABLE, { id: ids.allows, method: 'FAST_FORWARD' })).toBe(
      'Variable $method of type PullRequestMergeMethod was provided invalid value',
    );
    expect(
      await first(
        'mutation { markPullRequestReadyForReview(input: {pullRequestId: "x", force: true}) { clientMutationId } }',
      ),
    ).toBe("InputObject 'MarkPullRequestReadyForReviewInput' doesn't accept argument 'force'");
    expect(
      await first(
        'mutation($id: ID!, $x: String) { markPullRequestReadyForReview(input: {pullRequestId: $id}) { clientMutationId } }',
        { id: 'x' },
      ),
    ).toBe('Variable $x is declared by anonymous mutation but not used');
    expect(
      await first(
        'mutation { markPullRequestReadyForReview(input: {pullRequestId: "x"}) { pullRequest { title } } }',
      ),
    ).toBe("Field 'title' doesn't exist on type 'PullRequest'");
    expect(await first('mutation { markPullRequestReadyForReview(input: {pullRequestId: "x"}) {')).toMatch(
      /^Parse error on end of file/,
    );
    const unknown = await post(READY, { id: 'PR_nope' });
    expect(unknown.errors).toEqual([expect.objectContaining({ type: 'NOT_FOUND' })]);
    const anonymous = await raw(sim, 'POST', '/graphql', { body: { query: READY } });
    expect(anonymous.status).toBe(401);
    expect(sim.violations).toEqual([]);
  });
});
