/**
 * The facts of one repository read back from GitHub alone, for a new install, a lost
 * database or an on-demand rebuild. The same conversions as the webhooks use
 * (facts-from-github.ts), so the rebuilt ledger equals the live one.
 *
 * 1. Every pull request (state=all, paged): sources, and the app's backport PRs with the
 *    checks of each open one.
 * 2. The app's own issues (creator=app, state=all, paged): conflict issues.
 * 3. Only where the state is still in doubt (a merged source whose backport is "requested"
 *    or "abandoned"), the app's status comment: it holds requests newer than the last closed
 *    attempt (a re-request). Reading it for every PR would cost one call per PR.
 */
import { findMarker } from '../render/marker.js';
import { factFromIssue, factsFromPull, requestsFromStatusComment } from './facts-from-github.js';
import type { LabelRules } from '../config/label-rules.js';
import type { Fact } from './ledger-facts.js';
import type { LedgerGitHub } from './ledger-ports.js';
import { isApp } from '../common/is-app.js';
import { deriveLedger } from './ledger-reducer.js';

export async function factsFromGitHub(
  github: LedgerGitHub,
  repo: string,
  appLogin: string,
  rules: LabelRules,
): Promise<Fact[]> {
  const facts: Fact[] = [];
  for (const pull of await github.pulls()) {
    // A marker in someone else's PR is just text: only the app's PRs are backports.
    const own = isApp(pull.user, appLogin);
    const backport = own && findMarker(pull.body, 'backport-pr') !== undefined;
    const sha = pull.head?.sha;
    const checks = backport && pull.state === 'open' && sha ? await github.checks(sha) : null;
    facts.push(...factsFromPull(repo, own ? pull : { ...pull, body: null }, checks));
  }
  for (const issue of await github.appIssues()) {
    const fact = isApp(issue.user, appLogin) ? factFromIssue(repo, issue) : undefined;
    if (fact) facts.push(fact);
  }
  const doubtful = new Set(
    deriveLedger(facts, rules)
      .filter((i) => (i.state === 'requested' || i.state === 'abandoned') && i.sourceMergedAt !== null)
      .map((i) => i.source),
  );
  for (const source of [...doubtful].sort((a, b) => a - b)) {
    for (const body of await github.appComments(source)) facts.push(...requestsFromStatusComment(repo, body));
  }
  return facts;
}
