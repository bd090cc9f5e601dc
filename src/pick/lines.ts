/**
 * Text as git's merge sees it: a sequence of lines, each keeping its own terminator, so
 * `a\r\n`, `a\n` and a final `a` with no newline are three different lines. Contents are
 * decoded as latin1, one char per byte, so any bytes (not only valid UTF-8) round-trip exactly.
 */

export function splitLines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    if (nl === -1) break;
    lines.push(text.slice(start, nl + 1));
    start = nl + 1;
  }
  if (start < text.length) lines.push(text.slice(start));
  return lines;
}

export function bytesToText(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

export function textToBytes(text: string): Uint8Array {
  return Buffer.from(text, 'latin1');
}

/** For people: a latin1-decoded line turned back into the UTF-8 text it most likely was. */
export function displayText(text: string): string {
  return Buffer.from(text, 'latin1').toString('utf8');
}

/**
 * Interns lines to small integers so the diff compares numbers, not strings. One interner
 * is shared by the three versions of a file, so equal lines get equal ids across them.
 */
export class LineInterner {
  private readonly ids = new Map<string, number>();

  intern(lines: readonly string[]): Int32Array {
    const out = new Int32Array(lines.length);
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      let id = this.ids.get(line);
      if (id === undefined) {
        id = this.ids.size;
        this.ids.set(line, id);
      }
      out[i] = id;
    }
    return out;
  }
}
