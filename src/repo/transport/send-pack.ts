import { postService, readBody } from './git-http-request.js';
import { FLUSH_PKT, PktLineReader, pktLine } from './pkt-line.js';
import { parseReportStatus, type PushReport } from './report-status.js';
import { SideBandReader } from './side-band-reader.js';
import { AGENT } from './upload-pack-request.js';

export interface SendPackOptions {
  /** The remote's URL as the receive-pack advertisement answered at. */
  url: string;
  token?: () => Promise<string>;
  serverCapabilities: ReadonlyMap<string, string>;
  ref: string;
  /** The ref's value the server advertised (zeros for a new ref): the update is refused if it moved. */
  old: string;
  new: string;
  pack: Buffer;
}

export interface SendPackResult {
  /** Undefined when the server sent no report (it did not offer report-status). */
  report: PushReport | undefined;
  /** What hooks and the server printed (side-band 2). */
  messages: string[];
}

/** `POST …/git-receive-pack`: one ref update and its pack, then the server's report. */
export async function sendPack(o: SendPackOptions): Promise<SendPackResult> {
  const caps = ['report-status', 'side-band-64k'].filter((c) => o.serverCapabilities.has(c));
  caps.push(`agent=${AGENT}`);
  const body = Buffer.concat([pktLine(`${o.old} ${o.new} ${o.ref}\0${caps.join(' ')}`), FLUSH_PKT, o.pack]);
  const res = await postService(o.url, 'receive-pack', o.token, body);
  const answer = await readBody(res);
  if (!caps.includes('side-band-64k')) {
    return { report: caps.includes('report-status') ? parseReportStatus(answer) : undefined, messages: [] };
  }
  const data: Buffer[] = [];
  const sideBand = new SideBandReader((chunk) => data.push(Buffer.from(chunk)));
  const reader = new PktLineReader();
  reader.push(answer);
  sideBand.drain(reader);
  return { report: parseReportStatus(Buffer.concat(data)), messages: sideBand.progress };
}
