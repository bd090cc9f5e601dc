import type { GitHubSim } from '../../tools/github-sim/index.js';

/** What the app created, as `npm run demo -- --json` prints it. */
export interface DemoReport {
  pulls: { number: number; base: string; head: string; headSha: string; title: string; url: string }[];
  issues: { number: number; title: string; body: string; labels: string[] }[];
  comments: { issue: number; body: string }[];
}

/** Everything in the repository written by the app's bot user, read from the simulator's state. */
export async function collectReport(sim: GitHubSim, repo: string): Promise<DemoReport> {
  const bot = sim.botLogin;
  const pulls: DemoReport['pulls'] = [];
  for (const p of sim.pulls(repo)) {
    if (p.user !== bot || !p.pull) continue;
    // The state record follows the head branch lazily; the branch itself is the truth.
    const headSha = (await sim.resolve(repo, `refs/heads/${p.pull.headRef}`)) ?? p.pull.headSha;
    pulls.push({
      number: p.number,
      base: p.pull.baseRef,
      head: p.pull.headRef,
      headSha,
      title: p.title,
      url: `${sim.apiUrl}/${repo}/pull/${p.number}`,
    });
  }
  const issues = sim
    .issues(repo)
    .filter((i) => i.user === bot)
    .map((i) => ({ number: i.number, title: i.title, body: i.body ?? '', labels: i.labels }));
  const numbers = [...sim.pulls(repo), ...sim.issues(repo)].map((i) => i.number).sort((a, b) => a - b);
  const comments = numbers.flatMap((n) =>
    sim
      .comments(repo, n)
      .filter((c) => c.user === bot)
      .map((c) => ({ issue: n, body: c.body })),
  );
  return { pulls, issues, comments };
}
