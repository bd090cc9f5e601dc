import { gunzipSync } from 'node:zlib';

/** What one upload-pack POST asked for, as the request log shows it to tests. */
export interface UploadRequestSummary {
  /** `ls-refs` or `fetch` (protocol v2), or `v0` for the original protocol's one request. */
  command: 'ls-refs' | 'fetch' | 'v0';
  /** How many objects it wanted. */
  wants: number;
  /** The `filter` it asked for (`blob:none`), if any. */
  filter?: string;
  /** The `deepen` it asked for, if any. */
  deepen?: number;
}

/**
 * Reads the pkt-lines of an upload-pack request (gzip or not). Tests assert request
 * sequences with the summary: a fetch and a ref listing are both POSTs to the same endpoint.
 * The wanted ids are kept apart from it, for faults aimed at one fetch (`FaultSpec.wanting`);
 * the request log shows only their count.
 */
export function readUploadRequest(
  body: Buffer,
  contentEncoding?: string,
): { summary: UploadRequestSummary; wantIds: string[] } {
  const data = contentEncoding === 'gzip' ? gunzipSync(body) : body;
  const summary: UploadRequestSummary = { command: 'v0', wants: 0 };
  const wantIds: string[] = [];
  for (let at = 0; at + 4 <= data.length;) {
    const len = parseInt(data.subarray(at, at + 4).toString('latin1'), 16);
    if (!Number.isFinite(len)) break;
    // 0000 flush, 0001 delim, 0002 end: no payload.
    if (len < 4) {
      at += 4;
      continue;
    }
    const line = data
      .subarray(at + 4, at + len)
      .toString('utf8')
      .replace(/\n$/, '');
    at += len;
    const word = line.split(' ')[0]!;
    if (line === 'command=ls-refs' || line === 'command=fetch') {
      summary.command = line === 'command=ls-refs' ? 'ls-refs' : 'fetch';
    } else if (word === 'want') {
      summary.wants++;
      // v0's first want carries capabilities after the id.
      wantIds.push(line.split(' ')[1]!);
    } else if (word === 'filter') summary.filter = line.slice('filter '.length);
    else if (word === 'deepen') summary.deepen = Number(line.slice('deepen '.length));
  }
  return { summary, wantIds };
}
