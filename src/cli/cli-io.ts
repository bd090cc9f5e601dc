import type { Readable } from 'node:stream';
import { BackportError } from '../errors.js';
import type { Signature } from '../pick/types.js';

/** What a command writes its answers and notes to: a stream, or the bin's FdOutput. */
export interface OutputStream {
  write(chunk: string, callback?: (err?: Error | null) => void): boolean;
}

/** Where a command reads and writes; the tests pass their own streams. */
export interface CliIo {
  stdin: Readable;
  stdout: OutputStream;
  stderr: OutputStream;
  cwd: string;
}

/** Writes a note to stderr once per distinct text (a batch repeats the same target often). */
export function noticeOnce(io: CliIo): (line: string) => void {
  const said = new Set<string>();
  return (line) => {
    if (said.has(line)) return;
    said.add(line);
    io.stderr.write(`backport-assistant: ${line}\n`);
  };
}

/** Parses `Name <email>` as git writes identities. */
export function parseIdentity(text: string, now = Date.now()): Signature {
  const m = /^\s*([^<>]*?)\s*<([^<>]*)>\s*$/.exec(text);
  if (!m || m[1] === '' || m[2] === '') {
    throw new BackportError('bad-argument', `--committer must look like "Name <email>", got "${text}".`);
  }
  return { name: m[1]!, email: m[2]!, timestamp: Math.floor(now / 1000), timezoneOffset: 0 };
}

export function parseMainline(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[1-9]\d*$/.test(text)) {
    throw new BackportError('bad-mainline', `--mainline takes a parent number (1, 2, …), got "${text}".`);
  }
  return Number(text);
}
