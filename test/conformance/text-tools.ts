import type { Random } from '../support/random.js';

const WORDS = [
  'alpha',
  'beta',
  'gamma',
  'delta',
  'return',
  'value',
  'count',
  'index',
  'node',
  'error',
  'state',
];

/** Code-like text: mostly distinct lines, with the blank lines and braces real code repeats. */
export function codeText(rng: Random, lines: number, tag: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const r = rng.int(10);
    if (r === 0) out.push('\n');
    else if (r === 1) out.push('}\n');
    else out.push(`  ${tag}_${i} = ${rng.pick(WORDS)}(${rng.int(1000)}); // ${rng.pick(WORDS)}\n`);
  }
  return out;
}

/** Replaces `count` lines at `at` with fresh ones. */
export function modify(lines: string[], at: number, count: number, tag: string): string[] {
  const out = [...lines];
  const fresh = Array.from({ length: count }, (_, k) => `  changed_${tag}_${at + k}();\n`);
  out.splice(at, count, ...fresh);
  return out;
}

export function insert(lines: string[], at: number, count: number, tag: string): string[] {
  const out = [...lines];
  out.splice(at, 0, ...Array.from({ length: count }, (_, k) => `  inserted_${tag}_${k}();\n`));
  return out;
}

export function remove(lines: string[], at: number, count: number): string[] {
  const out = [...lines];
  out.splice(at, count);
  return out;
}

/** A random small edit somewhere within [from, to) of the file. */
export function randomEdit(rng: Random, lines: string[], from: number, to: number, tag: string): string[] {
  const span = Math.max(1, to - from);
  const at = Math.min(lines.length, from + rng.int(span));
  switch (rng.int(3)) {
    case 0:
      return modify(lines, at, Math.min(1 + rng.int(3), Math.max(1, lines.length - at)), tag);
    case 1:
      return insert(lines, at, 1 + rng.int(3), tag);
    default:
      return lines.length > at
        ? remove(lines, at, 1 + rng.int(Math.min(3, lines.length - at)))
        : insert(lines, at, 1, tag);
  }
}

export function crlf(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

/** Bytes with a NUL early on, so git treats them as binary. */
export function binaryData(rng: Random, size: number): string {
  let s = '\0PNG';
  for (let i = 0; i < size; i++) s += String.fromCharCode(rng.int(256));
  return s;
}
