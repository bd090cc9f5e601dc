import type { GitHubClient } from './github-client.js';

/** Pages of 100 events read, newest first, to find who added the labels. */
export const LABEL_EVENT_PAGES = 3;

interface GhIssueEvent {
  event: string;
  actor: { login: string } | null;
  label?: { name: string };
}

/**
 * Who added each of `labels` (case-insensitive) to issue or pull request `number`: the actor
 * of its latest `labeled` event. The event list is oldest first, so it is read from its last
 * page backwards, at most `LABEL_EVENT_PAGES` pages (and one request for the first page,
 * which names the last): at most four requests, however long the history. A label whose
 * event is not within them is left out of the answer: the caller must not guess.
 */
export async function findLabelAdders(
  gh: GitHubClient,
  number: number,
  labels: readonly string[],
): Promise<Map<string, string>> {
  const wanted = new Set(labels.map((l) => l.toLowerCase()));
  const found = new Map<string, string>();
  const route = 'GET /repos/{owner}/{repo}/issues/{issue_number}/events';
  const first = await gh.getResponse<GhIssueEvent[]>(route, { issue_number: number, per_page: 100, page: 1 });
  const last = lastPage(first.headers.link);
  for (let page = last, read = 0; page >= 1 && read < LABEL_EVENT_PAGES; page--, read++) {
    const events =
      page === 1
        ? first.data
        : await gh.get<GhIssueEvent[]>(route, { issue_number: number, per_page: 100, page });
    for (const e of [...events].reverse()) {
      const name = e.label?.name.toLowerCase();
      if (e.event !== 'labeled' || !name || !wanted.has(name) || found.has(name) || !e.actor) continue;
      found.set(name, e.actor.login);
    }
    if (found.size === wanted.size) break;
  }
  return new Map(
    labels.flatMap((l) => (found.has(l.toLowerCase()) ? [[l, found.get(l.toLowerCase())!]] : [])),
  );
}

/** The `page` of a `link` header's rel="last", or 1 when the list has one page. */
function lastPage(link: unknown): number {
  if (typeof link !== 'string') return 1;
  const last = /<([^>]*)>;\s*rel="last"/.exec(link);
  const page = last ? Number(new URL(last[1]!).searchParams.get('page')) : 1;
  return Number.isInteger(page) && page >= 1 ? page : 1;
}
