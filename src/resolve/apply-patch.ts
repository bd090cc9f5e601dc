import parseDiff from 'parse-diff';
import { BackportError } from '../errors.js';
import { bytesToText, displayText, splitLines, textToBytes } from '../pick/lines.js';
import type { ObjectStore } from '../pick/object-store.js';
import { ResultTree } from '../pick/result-tree.js';
import { TreeReader } from '../pick/tree-reader.js';

/** One line of a hunk: its text without the line end, and whether the line end is there. */
interface HunkLine {
  text: string;
  eol: boolean;
}

interface Hunk {
  header: string;
  /** 1-based line of the old file the hunk starts at (for an insertion: the line after which). */
  oldStart: number;
  before: HunkLine[];
  after: HunkLine[];
}

/** A path the patch wrote (display text) and its blob; null when the patch deletes it. */
export interface PatchedFile {
  path: string;
  blob: string | null;
}

export interface PatchedTree {
  tree: string;
  /** Every path the patch wrote (display text), with its blob; null when it deletes the file. */
  files: PatchedFile[];
}

/**
 * Applies a unified diff (as a person pastes it in a ```diff block) to a tree, in memory:
 * the objects are written to the store, no ref moves. Like `git apply` without fuzz, every
 * context and removed line must match exactly (line ends aside: a comment's CRLF and the
 * file's own line ends are both accepted), a hunk may sit elsewhere than its header says
 * when its lines are found there, and hunks apply in order. A hunk that does not apply is a
 * `bad-patch` error naming the file, the hunk and the lines.
 */
export async function applyPatch(store: ObjectStore, tree: string, patch: string): Promise<PatchedTree> {
  const files = readPatch(patch);
  const changesNothing = (f: parseDiff.File) =>
    f.chunks.length === 0 && f.from === f.to && !f.deleted && !f.new && f.oldMode === f.newMode;
  if (files.every(changesNothing)) {
    throw new BackportError(
      'bad-patch',
      'The patch holds no file change: paste a unified diff (`git diff` output).',
      {
        path: '',
        hunk: 0,
        line: 0,
      },
    );
  }
  const reader = new TreeReader(store);
  const result = new ResultTree(store, tree, { ours: 'result', theirs: 'patch' });
  const written: PatchedFile[] = [];
  for (const file of files) {
    const from = file.from && file.from !== '/dev/null' ? file.from : undefined;
    const to = file.to && file.to !== '/dev/null' ? file.to : undefined;
    const shown = to ?? from ?? '';
    const old = from === undefined ? null : await reader.file(tree, latin1(from));
    if (from !== undefined && old === null) {
      throw new BackportError(
        'bad-patch',
        `The patch changes \`${shown}\`, which the result does not have.`,
        {
          path: shown,
          hunk: 1,
          line: 0,
        },
      );
    }
    const oldText = old ? bytesToText(await store.readBlob(old.oid)) : '';
    const newText = applyHunks(shown, oldText, file.chunks.map(toHunk));
    if (from !== undefined && from !== to) await result.remove(latin1(from));
    if (to === undefined || file.deleted) {
      written.push({ path: shown, blob: null });
      continue;
    }
    const oid = await store.writeBlob(textToBytes(newText));
    const mode =
      file.newMode === '100755' || file.newMode === '100644' ? file.newMode : (old?.mode ?? '100644');
    await result.set(latin1(to), { mode, oid }, 'theirs');
    written.push({ path: to, blob: oid });
  }
  return { tree: await result.write(), files: written };
}

/** The patch's files; parse-diff trips over some malformed text (a stray no-newline line), which is the person's to fix. */
function readPatch(patch: string): parseDiff.File[] {
  try {
    return parseDiff(patch.replace(/\r\n/g, '\n'));
  } catch {
    throw new BackportError(
      'bad-patch',
      'The patch cannot be read as a unified diff: paste `git diff` output as it is.',
      {
        path: '',
        hunk: 0,
        line: 0,
      },
    );
  }
}

/** Paths in a comment are UTF-8 text; the tree's names are latin1, one char per byte. */
function latin1(path: string): string {
  return Buffer.from(path, 'utf8').toString('latin1');
}

function toHunk(chunk: parseDiff.Chunk): Hunk {
  const header = /^@@[^@]*@@/.exec(chunk.content)?.[0] ?? chunk.content;
  const hunk: Hunk = { header, oldStart: chunk.oldStart, before: [], after: [] };
  let last: HunkLine[] = [];
  for (const change of chunk.changes) {
    if (change.content.startsWith('\\')) {
      // "\ No newline at end of file" belongs to the line just before it.
      for (const line of last) line.eol = false;
      continue;
    }
    const line = () => ({ text: change.content.slice(1), eol: true });
    if (change.type === 'normal') {
      const [b, a] = [line(), line()];
      hunk.before.push(b);
      hunk.after.push(a);
      last = [b, a];
    } else if (change.type === 'del') {
      last = [line()];
      hunk.before.push(last[0]!);
    } else {
      last = [line()];
      hunk.after.push(last[0]!);
    }
  }
  return hunk;
}

/** The file after the hunks, each found at its header's line or, failing that, the nearest place after the previous one. */
function applyHunks(path: string, text: string, hunks: Hunk[]): string {
  const lines = splitLines(text);
  const eol = /\r\n$/.test(lines[0] ?? '') ? '\r\n' : '\n';
  const out: string[] = [];
  let cursor = 0;
  let shift = 0;
  hunks.forEach((hunk, i) => {
    // An insertion's header names the line after which it goes; other hunks, their first line.
    const base = hunk.before.length === 0 ? hunk.oldStart : hunk.oldStart - 1;
    const wanted = Math.max(cursor, base + shift);
    const at = findHunk(lines, hunk.before, wanted, cursor);
    if (at === undefined) throw mismatch(path, i + 1, hunk, lines, Math.min(wanted, lines.length));
    out.push(...lines.slice(cursor, at));
    out.push(...hunk.after.map((l) => l.text + (l.eol ? eol : '')));
    cursor = at + hunk.before.length;
    shift = at - base;
  });
  out.push(...lines.slice(cursor));
  return out.join('');
}

function matchesAt(lines: readonly string[], before: readonly HunkLine[], at: number): boolean {
  if (at < 0 || at + before.length > lines.length) return false;
  return before.every((b, k) => {
    const line = lines[at + k]!;
    const hasEol = line.endsWith('\n');
    const text = line.replace(/\r?\n$/, '');
    return text === b.text && (hasEol === b.eol || at + k < lines.length - 1);
  });
}

/** The place nearest `wanted` (not before `floor`) where the hunk's old lines are. */
function findHunk(lines: readonly string[], before: readonly HunkLine[], wanted: number, floor: number) {
  for (let d = 0; d <= lines.length; d++) {
    if (matchesAt(lines, before, wanted + d)) return wanted + d;
    if (d > 0 && wanted - d >= floor && matchesAt(lines, before, wanted - d)) return wanted - d;
  }
  return undefined;
}

/** The error for a hunk that does not apply: which lines it expected, and what the file has there. */
function mismatch(path: string, n: number, hunk: Hunk, lines: readonly string[], at: number): BackportError {
  const expected = hunk.before.slice(0, 6).map((l) => `  ${displayText(l.text)}`);
  const found = lines
    .slice(at, at + Math.max(1, Math.min(6, hunk.before.length)))
    .map((l) => `  ${displayText(l.replace(/\r?\n$/, ''))}`);
  const line = at + 1;
  const message = [
    `The patch does not apply: hunk ${n} of \`${path}\` (\`${hunk.header}\`) expects at line ${line}:`,
    ...expected,
    found.length > 0 ? `but ${path} has there:` : `but ${path} has only ${lines.length} lines.`,
    ...found,
  ].join('\n');
  return new BackportError('bad-patch', message, { path, hunk: n, line });
}
