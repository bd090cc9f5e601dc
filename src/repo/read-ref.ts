import fs from 'node:fs';
import path from 'node:path';

const OID = /^[0-9a-f]{40}/;
/** Symbolic refs pointing at symbolic refs: git stops after five. */
const MAX_SYMREF_DEPTH = 5;

/**
 * The commit (or tag object) a ref name points at, or undefined: read straight from the
 * repository's files, so a CLI run that names a branch does not load isomorphic-git (a few
 * hundred milliseconds of a fresh process's first pick). `name` is looked up as git's
 * rev-parse does, first match wins: `<name>` (HEAD-like names only), `refs/<name>`,
 * `refs/tags/<name>`, `refs/heads/<name>`, `refs/remotes/<name>`, `refs/remotes/<name>/HEAD`;
 * each as a loose file, then in `packed-refs`. Symbolic refs are followed.
 */
export function readRef(gitdir: string, name: string): string | undefined {
  let packed: Map<string, string> | undefined;
  const packedRefs = () => (packed ??= readPackedRefs(gitdir));
  for (const candidate of candidates(name)) {
    const oid = resolveExact(gitdir, candidate, packedRefs, 0);
    if (oid) return oid;
  }
  return undefined;
}

function candidates(name: string): string[] {
  if (name.startsWith('refs/')) return [name];
  // `$GIT_DIR/<name>` only for HEAD-like names: `config` or `description` are not refs.
  const root = /^[A-Z_]+$/.test(name) ? [name] : [];
  return [
    ...root,
    `refs/${name}`,
    `refs/tags/${name}`,
    `refs/heads/${name}`,
    `refs/remotes/${name}`,
    `refs/remotes/${name}/HEAD`,
  ];
}

function resolveExact(
  gitdir: string,
  ref: string,
  packedRefs: () => Map<string, string>,
  depth: number,
): string | undefined {
  if (depth > MAX_SYMREF_DEPTH || ref.split('/').some((part) => part === '..' || part === ''))
    return undefined;
  const text = readLoose(path.join(gitdir, ref));
  if (text !== undefined) {
    const oid = OID.exec(text)?.[0];
    if (oid) return oid;
    const target = /^ref:\s*(\S+)/.exec(text)?.[1];
    return target ? resolveExact(gitdir, target, packedRefs, depth + 1) : undefined;
  }
  return packedRefs().get(ref);
}

function readLoose(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    // Absent, or a directory (refs/heads/release when release/1.0 exists): not a loose ref.
    return undefined;
  }
}

/**
 * The names of the refs under `prefix` (`refs/remotes/origin`), relative to it: loose files
 * and `packed-refs` lines, as isomorphic-git's `listRefs` gives them, sorted. Read with
 * synchronous calls: a job's fetch waits for the haves chosen from these, and awaiting a
 * file read per ref let whatever else the process had to do (the job's other answers) go
 * first, tens of milliseconds before the fetch was even asked.
 */
export function listRefNames(gitdir: string, prefix: string): string[] {
  const names = new Set<string>();
  const walk = (dir: string, rel: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const name = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(dir, e.name), name);
      else if (e.isFile() && !e.name.endsWith('.lock')) names.add(name);
    }
  };
  walk(path.join(gitdir, prefix), '');
  const under = `${prefix}/`;
  for (const ref of readPackedRefs(gitdir).keys())
    if (ref.startsWith(under)) names.add(ref.slice(under.length));
  return [...names].sort();
}

/** `packed-refs`: `<oid> <ref>` lines; `#` comments and `^<oid>` peeled lines are skipped. */
function readPackedRefs(gitdir: string): Map<string, string> {
  const refs = new Map<string, string>();
  let text: string;
  try {
    text = fs.readFileSync(path.join(gitdir, 'packed-refs'), 'utf8');
  } catch {
    return refs;
  }
  for (const line of text.split('\n')) {
    const m = /^([0-9a-f]{40}) (\S+)$/.exec(line.trimEnd());
    if (m) refs.set(m[2]!, m[1]!);
  }
  return refs;
}
