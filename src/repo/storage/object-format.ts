import { createHash } from 'node:crypto';
import type { NewCommit, TreeEntry } from '../../pick/object-store.js';
import { indexTree, rawEntry } from '../../pick/raw-tree.js';
import type { Signature } from '../../pick/types.js';

/**
 * git's object encodings, parsed and written here rather than through isomorphic-git's
 * models so that ids can be computed in memory (no write for a dry run) and names round-trip
 * byte for byte (latin1 strings).
 */

export type ObjectType = 'blob' | 'tree' | 'commit' | 'tag';

export function hashObject(type: ObjectType, content: Uint8Array): string {
  const hash = createHash('sha1');
  hash.update(`${type} ${content.byteLength}\0`);
  hash.update(content);
  return hash.digest('hex');
}

export function parseTree(content: Uint8Array): TreeEntry[] {
  const tree = indexTree(content);
  const entries: TreeEntry[] = [];
  for (let i = 0; i < tree.count; i++) entries.push(rawEntry(tree, i));
  return entries;
}

/** git sorts tree entries by name, comparing a subtree's name as if it ended in '/'. */
export function compareEntries(a: TreeEntry, b: TreeEntry): number {
  const ka = a.mode === '040000' ? `${a.name}/` : a.name;
  const kb = b.mode === '040000' ? `${b.name}/` : b.name;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

export function serializeTree(entries: readonly TreeEntry[]): Uint8Array {
  const sorted = [...entries].sort(compareEntries);
  const parts: Buffer[] = [];
  for (const e of sorted) {
    // git writes tree modes without the leading zero.
    const mode = e.mode === '040000' ? '40000' : e.mode;
    parts.push(Buffer.from(`${mode} ${e.name}\0`, 'latin1'), Buffer.from(e.oid, 'hex'));
  }
  return Buffer.concat(parts);
}

export interface ParsedCommit extends NewCommit {
  /** Headers this parser does not model (gpgsig, encoding, mergetag…), kept verbatim. */
  extraHeaders: string[];
}

export function parseCommit(content: Uint8Array): ParsedCommit {
  const text = Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString('utf8');
  const split = text.indexOf('\n\n');
  const head = split === -1 ? text : text.slice(0, split);
  const message = split === -1 ? '' : text.slice(split + 2);
  let tree = '';
  const parents: string[] = [];
  let author: Signature | undefined;
  let committer: Signature | undefined;
  const extraHeaders: string[] = [];
  for (const line of head.split('\n')) {
    if (line.startsWith(' ') && extraHeaders.length > 0) {
      extraHeaders[extraHeaders.length - 1] += `\n${line}`;
      continue;
    }
    const sp = line.indexOf(' ');
    const key = line.slice(0, sp);
    const value = line.slice(sp + 1);
    if (key === 'tree') tree = value;
    else if (key === 'parent') parents.push(value);
    else if (key === 'author') author = parseSignature(value);
    else if (key === 'committer') committer = parseSignature(value);
    else extraHeaders.push(line);
  }
  if (!/^[0-9a-f]{40}$/.test(tree) || !author || !committer) throw new Error('malformed commit');
  return { tree, parents, author, committer, message, extraHeaders };
}

function parseSignature(value: string): Signature {
  const m = /^(.*?) ?<([^>]*)> (-?\d+) ([+-])(\d\d)(\d\d)$/.exec(value);
  if (!m) throw new Error(`malformed signature: ${value}`);
  const offset = Number(m[5]) * 60 + Number(m[6]);
  return {
    name: m[1]!,
    email: m[2]!,
    timestamp: Number(m[3]),
    timezoneOffset: m[4] === '-' ? -offset : offset,
  };
}

export function formatSignature(s: Signature): string {
  const abs = Math.abs(s.timezoneOffset);
  const sign = s.timezoneOffset < 0 ? '-' : '+';
  const tz = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
  return `${s.name} <${s.email}> ${s.timestamp} ${tz}`;
}

export function serializeCommit(c: NewCommit): Uint8Array {
  let text = `tree ${c.tree}\n`;
  for (const p of c.parents) text += `parent ${p}\n`;
  text += `author ${formatSignature(c.author)}\n`;
  text += `committer ${formatSignature(c.committer)}\n`;
  text += `\n${c.message}`;
  return Buffer.from(text, 'utf8');
}
