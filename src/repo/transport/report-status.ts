import { lineText, PktLineReader } from './pkt-line.js';

export interface PushReport {
  /** `ok`, or the reason the server could not unpack what was sent. */
  unpack: string;
  /** Ref name → undefined when updated, or the server's reason for refusing it. */
  refs: Map<string, string | undefined>;
}

/** Parses receive-pack's `report-status`: `unpack ok|<error>`, then `ok <ref>` / `ng <ref> <reason>`. */
export function parseReportStatus(data: Buffer): PushReport | undefined {
  const reader = new PktLineReader();
  reader.push(data);
  const report: PushReport = { unpack: '', refs: new Map() };
  let first = true;
  for (;;) {
    const pkt = reader.read();
    if (pkt === undefined || pkt === 'flush') break;
    const line = lineText(pkt);
    if (first) {
      if (!line.startsWith('unpack ')) return undefined;
      report.unpack = line.slice('unpack '.length);
      first = false;
      continue;
    }
    if (line.startsWith('ok ')) report.refs.set(line.slice(3), undefined);
    else if (line.startsWith('ng ')) {
      const rest = line.slice(3);
      const space = rest.indexOf(' ');
      if (space === -1) report.refs.set(rest, 'the server refused it');
      else report.refs.set(rest.slice(0, space), rest.slice(space + 1));
    }
  }
  return first ? undefined : report;
}
