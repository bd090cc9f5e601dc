/**
 * `npm run eval -- --repo <bare clone> [--branches <glob>…] [--limit N] [--mainline 1] [--out file.jsonl]`:
 * real backports from release branches (cherry-pick trailers), each picked by our engine
 * next to git's own verdict; for those git conflicts on, the choices and prerequisites
 * measured against what the human committed. Prints one table; `--out` keeps every case.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openRepository } from '../../src/repo/open-repository.js';
import { buildTriples, spread } from './build-triples.js';
import { evaluateCase, type CaseResult } from './evaluate-case.js';
import { NativeGit } from './git-verdict.js';
import { formatTable, summarize } from './summarize-eval.js';

const USAGE =
  'usage: npm run eval -- --repo <bare clone> [--branches <glob>…] [--limit N] [--mainline 1] [--out file.jsonl]';

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      repo: { type: 'string' },
      branches: { type: 'string', multiple: true, default: [] },
      limit: { type: 'string' },
      mainline: { type: 'string' },
      out: { type: 'string' },
      'conflicts-only': { type: 'boolean', default: false },
    },
  });
  if (!values.repo) {
    console.error(USAGE);
    return 2;
  }
  const repo = await openRepository(values.repo);
  const mainline = values.mainline === undefined ? undefined : Number(values.mainline);
  const listing = buildTriples(repo.gitdir, { branches: values.branches, mainline });
  const triples = spread(listing.triples, values.limit === undefined ? undefined : Number(values.limit));
  console.log(`${triples.length} backports (skipped: ${JSON.stringify(listing.skipped)})`);
  const scratch = mkdtempSync(join(tmpdir(), 'backport-eval-'));
  const results: CaseResult[] = [];
  try {
    const native = new NativeGit(repo.gitdir, scratch);
    for (const [i, triple] of triples.entries()) {
      if (i > 0 && i % 50 === 0) console.error(`${i}/${triples.length}`);
      const git = native.cherryPick(triple.upstream, triple.target, triple.mainline);
      if (values['conflicts-only'] && git.status !== 'conflict') continue;
      const result = await evaluateCase(repo.store, triple, git);
      const pre = result.conflict?.prerequisites;
      // A clean answer is checked with git itself: the prerequisites, then the commit.
      if (pre?.clean)
        pre.gitAgrees = native.appliesInOrder(
          [...pre.commits, triple.upstream],
          triple.target,
          triple.mainline,
        );
      results.push(result);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  if (values.out) writeFileSync(values.out, results.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const name = basename(repo.gitdir) === 'repo' ? basename(dirname(repo.gitdir)) : basename(repo.gitdir);
  const summary = summarize(results);
  console.log(`\n${formatTable(name, summary)}`);
  return summary.appliedWhereGitConflicts === 0 ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
