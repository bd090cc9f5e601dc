/**
 * The commits to pick: a seeded sample of recent main commits that change 1 to 10 files. One
 * commit per file that release renamed or deleted comes first (rename following and
 * modify/delete are where backport tools go wrong), then half of the rest (when there are
 * enough) touch files release changed too, since those picks can conflict.
 */
import { git } from '../run-command.js';
import { Prng } from './generator/prng.js';

export interface PickCase {
  sha: string;
  subject: string;
  /** Paths the commit changes (renames count as two). */
  files: number;
  /** Whether it touches a path that release changed since the fork. */
  overlapsRelease: boolean;
  /** A path it changes that release renamed or deleted, if any. */
  movedOnRelease?: string;
}

export function chooseCases(repoDir: string, count: number, window = 500): PickCase[] {
  const fork = git(repoDir, 'merge-base', 'main', 'release');
  const releasePaths = new Set(
    git(repoDir, 'diff', '--name-only', '--no-renames', fork, 'release').split('\n'),
  );
  const moved = new Set<string>();
  for (const line of git(repoDir, 'diff', '--name-status', '-M', fork, 'release').split('\n')) {
    const [status = '', path = ''] = line.split('\t');
    if (status.startsWith('R') || status === 'D') moved.add(path);
  }
  const log = git(repoDir, 'log', '--no-renames', '--name-only', '--format=@%H %s', `-${window}`, 'main');
  const candidates: PickCase[] = [];
  for (const entry of log.split('\n@').map((e) => e.replace(/^@/, ''))) {
    const [head = '', ...rest] = entry.split('\n');
    const paths = rest.filter((p) => p.length > 0);
    const space = head.indexOf(' ');
    if (paths.length < 1 || paths.length > 10) continue;
    candidates.push({
      sha: head.slice(0, space),
      subject: head.slice(space + 1),
      files: paths.length,
      overlapsRelease: paths.some((p) => releasePaths.has(p)),
      movedOnRelease: paths.find((p) => moved.has(p)),
    });
  }
  const rng = new Prng(0xca5e5);
  const take = (pool: PickCase[], n: number) => {
    const copy = [...pool];
    const out: PickCase[] = [];
    while (out.length < n && copy.length > 0) out.push(copy.splice(rng.int(copy.length), 1)[0] as PickCase);
    return out;
  };
  const chosen: PickCase[] = [];
  for (const path of [...moved].sort()) {
    chosen.push(
      ...take(
        candidates.filter((c) => c.movedOnRelease === path),
        1,
      ).slice(0, count - chosen.length),
    );
  }
  const unchosen = (c: PickCase) => !chosen.includes(c);
  const overlapping = Math.max(0, Math.ceil(count / 2) - chosen.length);
  chosen.push(
    ...take(
      candidates.filter((c) => c.overlapsRelease && unchosen(c)),
      overlapping,
    ),
  );
  chosen.push(
    ...take(
      candidates.filter((c) => !c.overlapsRelease && unchosen(c)),
      count - chosen.length,
    ),
  );
  const order = new Map(candidates.map((c, i) => [c.sha, i]));
  // Oldest first, as a person backporting a series would go.
  return chosen.sort((a, b) => (order.get(b.sha) ?? 0) - (order.get(a.sha) ?? 0));
}
