import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { FastImport, GIT_ENV, git } from '../../support/git.js';
import { Random } from '../../support/random.js';
import type { ObjectReader } from '../../../src/repo/storage/object-reader.js';

export interface GitObject {
  type: string;
  data: Buffer;
}

/** Every object of a repository, as `git cat-file --batch` prints it. */
export function catFileAll(gitdir: string): Map<string, GitObject> {
  const ids = execFileSync(
    'git',
    ['--git-dir', gitdir, 'cat-file', '--batch-all-objects', '--batch-check=%(objectname)'],
    { env: GIT_ENV, encoding: 'latin1' },
  )
    .trim()
    .split('\n');
  return catFile(gitdir, ids);
}

/** The given objects, as `git cat-file --batch` prints them. */
export function catFile(gitdir: string, ids: string[]): Map<string, GitObject> {
  const out = execFileSync('git', ['--git-dir', gitdir, 'cat-file', '--batch'], {
    env: GIT_ENV,
    input: `${ids.join('\n')}\n`,
    maxBuffer: 256 << 20,
  });
  const objects = new Map<string, GitObject>();
  let at = 0;
  while (at < out.length) {
    const nl = out.indexOf(10, at);
    const [oid, type, size] = out.toString('latin1', at, nl).split(' ');
    if (type === 'missing') throw new Error(`git has no object ${oid}`);
    const data = out.subarray(nl + 1, nl + 1 + Number(size));
    objects.set(oid!, { type: type!, data });
    at = nl + 1 + Number(size) + 1;
  }
  return objects;
}

/** Ids for which our reader's answer differs from git's (empty when all agree). */
export function disagreements(reader: ObjectReader, expected: Map<string, GitObject>): string[] {
  const wrong: string[] = [];
  for (const [oid, want] of expected) {
    const got = reader.read(oid);
    if (!got || got.type !== want.type || !got.data.equals(want.data)) wrong.push(oid);
  }
  return wrong;
}

/**
 * A history in which a few files change a little in every commit (the shape that makes
 * long delta chains once repacked), with a subfolder, a binary file and an annotated tag.
 * Written by fast-import, so it lands in one new pack however small; returns the commit ids
 * in order.
 */
export function writeHistory(repo: string, commits: number, seed = 1, ref = 'refs/heads/main'): string[] {
  const random = new Random(seed);
  const files: Record<string, string[]> = {};
  for (const name of ['a.txt', 'b.txt', 'src/c.txt', 'src/deep/d.txt']) {
    files[name] = Array.from({ length: 150 }, (_, i) => `${name} line ${i} ${random.int(1e9)}`);
  }
  const fi = new FastImport();
  const marks: string[] = [];
  for (let c = 0; c < commits; c++) {
    const changed: Record<string, string> = {};
    for (const name of Object.keys(files)) {
      if (c > 0 && !random.chance(0.5)) continue;
      const lines = files[name]!;
      lines[random.int(lines.length)] = `${name} edit ${c} ${random.int(1e9)}`;
      if (random.chance(0.3)) lines.splice(random.int(lines.length), 0, `inserted in ${c}`);
      changed[name] = `${lines.join('\n')}\n`;
    }
    const bytes = Array.from({ length: 300 }, () => String.fromCharCode(random.int(256))).join('');
    changed['bin/data.bin'] = bytes;
    const parent = marks.length > 0 ? [marks[marks.length - 1]!] : undefined;
    marks.push(fi.commit(ref, changed, { parents: parent, message: `change ${c}\n` }));
  }
  // fast-import explodes small imports into loose objects unless told otherwise.
  git(repo, ['config', 'fastimport.unpackLimit', '1']);
  const ids = fi.run(repo);
  return marks.map((m) => ids.get(m)!);
}

export function packNames(gitdir: string): string[] {
  return readdirSync(join(gitdir, 'objects', 'pack'))
    .filter((f) => f.endsWith('.pack'))
    .map((f) => join(gitdir, 'objects', 'pack', f));
}

/** `git verify-pack -v` rows: id, type, offset and delta depth (0 for a whole object). */
export function verifyPack(pack: string): { oid: string; type: string; offset: number; depth: number }[] {
  const text = git(join(pack, '..'), ['verify-pack', '-v', pack]);
  const rows = [];
  for (const line of text.split('\n')) {
    const m = /^([0-9a-f]{40}) (\w+)\s+\d+ \d+ (\d+)(?: (\d+) [0-9a-f]{40})?$/.exec(line);
    if (m) rows.push({ oid: m[1]!, type: m[2]!, offset: Number(m[3]), depth: Number(m[4] ?? 0) });
  }
  return rows;
}
