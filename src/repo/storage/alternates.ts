import fs from 'node:fs';
import path from 'node:path';

/** git follows alternates of alternates this deep, and no deeper (sha1-file.c). */
const MAX_ALTERNATE_DEPTH = 5;

/**
 * A repository's object directories: its own `objects/`, then those its
 * `objects/info/alternates` names (a clone made with `--shared` or `--reference`), and
 * theirs in turn, in git's order. A relative entry is relative to the objects directory whose
 * file names it; blank lines and `#` comments are skipped; a directory that does not exist is
 * left out, as git leaves it out (with a warning), and one reached twice is read once.
 */
export function objectDirectories(objectsDir: string): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  const visit = (dir: string, depth: number) => {
    const key = realPath(dir);
    if (key === undefined || seen.has(key)) return;
    seen.add(key);
    found.push(dir);
    if (depth >= MAX_ALTERNATE_DEPTH) return;
    for (const entry of alternatesOf(dir)) visit(path.resolve(dir, entry), depth + 1);
  };
  visit(objectsDir, 0);
  // The repository's own directory is listed even before it exists (a fresh init).
  return found.length > 0 ? found : [objectsDir];
}

function alternatesOf(objectsDir: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(path.join(objectsDir, 'info', 'alternates'), 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .map((line) => line.replace(/\r$/, ''))
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => (line.startsWith('"') ? unquote(line) : line));
}

const ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };

/** git writes a path with unusual characters C-quoted: "a\"b\\c\tz\303\251". */
function unquote(line: string): string {
  const bytes: number[] = [];
  const body = line.endsWith('"') ? line.slice(1, -1) : line.slice(1);
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      bytes.push(...Buffer.from(c, 'utf8'));
      continue;
    }
    const octal = /^[0-7]{3}/.exec(body.slice(i + 1))?.[0];
    if (octal) {
      bytes.push(Number.parseInt(octal, 8));
      i += 3;
    } else {
      const escaped = ESCAPES[body[i + 1] ?? ''];
      bytes.push(escaped ?? 92);
      if (escaped !== undefined) i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function realPath(dir: string): string | undefined {
  try {
    return fs.realpathSync(dir);
  } catch {
    return undefined;
  }
}
