import { isBinary } from './is-binary.js';
import { displayText } from './lines.js';
import type { ObjectStore } from './object-store.js';
import { TreeReader } from './tree-reader.js';

/** A conflict-marker line left in a file: its 1-based line number and the marker. */
export interface MarkerLine {
  line: number;
  marker: '<<<<<<<' | '|||||||' | '=======' | '>>>>>>>';
}

/** A changed file that holds more marker lines than the same path had before the change. */
export interface MarkedFile {
  /** For people: the path decoded as UTF-8. */
  path: string;
  lines: MarkerLine[];
}

/**
 * git's markers as the engine writes them: seven characters at the start of a line, the
 * side markers followed by a space and a label or by the line's end, the separator alone.
 */
const MARKER = /^(<{7}|\|{7}|>{7})(?:[ \t].*)?\r?$|^(={7})\r?$/;

/** Every conflict-marker line of a text, in order. */
export function findMarkerLines(text: string): MarkerLine[] {
  const found: MarkerLine[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = MARKER.exec(lines[i]!);
    if (m) found.push({ line: i + 1, marker: (m[1] ?? m[2]) as MarkerLine['marker'] });
  }
  return found;
}

/**
 * The files a change (`base` tree → `head` tree) left with conflict markers. A file counts
 * when it holds more marker lines than its version in `base`: a setext heading or a marker
 * quoted in a test that the branch already had is not the change's doing. Binary files,
 * links and submodules are skipped.
 */
export async function findMarkedFiles(
  store: ObjectStore,
  base: string | null,
  head: string,
): Promise<MarkedFile[]> {
  const reader = new TreeReader(store);
  const marked: MarkedFile[] = [];
  const changes = (await reader.diff(base, head)).filter((c) => c.b && /^100[67]/.test(c.b.mode));
  // A partial cache lacks blobs: both versions of every changed file in one batch, not one
  // request per file read below.
  const versions = changes.flatMap((c) => [c.b!, ...(c.a && /^100[67]/.test(c.a.mode) ? [c.a] : [])]);
  await store.prefetchBlobs?.(versions.map((v) => v.oid));
  for (const change of changes) {
    if (!change.b) continue;
    const after = await textOf(store, change.b.oid);
    if (after === undefined) continue;
    const lines = findMarkerLines(after);
    if (lines.length === 0) continue;
    const before = change.a && /^100[67]/.test(change.a.mode) ? await textOf(store, change.a.oid) : '';
    if (lines.length > findMarkerLines(before ?? '').length)
      marked.push({ path: displayText(change.path), lines });
  }
  return marked;
}

async function textOf(store: ObjectStore, oid: string): Promise<string | undefined> {
  const data = await store.readBlob(oid);
  return isBinary(data) ? undefined : Buffer.from(data).toString('latin1');
}
