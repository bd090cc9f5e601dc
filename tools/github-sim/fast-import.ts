/**
 * Writes commits with one `git fast-import` process, however many there are. The plumbing it
 * replaces (`hash-object` per file, `read-tree`, `update-index`, `write-tree`, `commit-tree`,
 * `update-ref`) cost six processes and more per commit, and tests' stories write thousands
 * of commits; fast-import writes the same objects (blobs, trees and commits are named by
 * their content) and moves the refs at the end, refusing any update that is not a fast-forward.
 * Small imports are unpacked into loose objects, as the plumbing left them (fastimport.unpackLimit).
 */
import type { GitIdentity } from './git.js';
import { git } from './git.js';

export interface ImportedCommit {
  /** The full ref the commit lands on, e.g. `refs/heads/main`. */
  ref: string;
  /** The parent: a commit id, an earlier commit of the same import as `:<index + 1>`, or null (a root). */
  parent: string | null;
  /** Path → new content; `null` deletes the file. */
  files: Record<string, string | Buffer | null>;
  message: string;
  author: GitIdentity;
  committer: GitIdentity;
}

/** Imports `commits` in order into the bare repository `dir`; returns their ids, in order. */
export async function importCommits(dir: string, commits: readonly ImportedCommit[]): Promise<string[]> {
  const chunks: Buffer[] = [];
  const text = (s: string) => chunks.push(Buffer.from(s, 'utf8'));
  const data = (content: string | Buffer) => {
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    text(`data ${bytes.length}\n`);
    chunks.push(bytes);
    text('\n');
  };
  for (const [i, c] of commits.entries()) {
    text(`commit ${c.ref}\nmark :${i + 1}\n`);
    text(`author ${person(c.author)}\ncommitter ${person(c.committer)}\n`);
    data(c.message);
    if (c.parent) text(`from ${c.parent}\n`);
    for (const [path, content] of Object.entries(c.files)) {
      if (content === null) {
        text(`D ${quotePath(path)}\n`);
      } else {
        text(`M 100644 inline ${quotePath(path)}\n`);
        data(content);
      }
    }
    text(`\nget-mark :${i + 1}\n`);
  }
  text('done\n');
  const out = await git(dir, ['fast-import', '--quiet', '--done', '--date-format=raw'], {
    input: Buffer.concat(chunks),
  });
  const ids = out.split('\n');
  if (ids.length !== commits.length)
    throw new Error(`fast-import returned ${ids.length} ids for ${commits.length} commits`);
  return ids;
}

function person(p: GitIdentity): string {
  return `${p.name} <${p.email}> ${p.time} +0000`;
}

/** fast-import reads a path as the rest of the line unless it starts with a quote: C-style quoting. */
function quotePath(path: string): string {
  if (!/^"|[\n\\"]/.test(path)) return path;
  return `"${path.replace(/[\\"]/g, (ch) => `\\${ch}`).replace(/\n/g, '\\n')}"`;
}
