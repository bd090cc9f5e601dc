import { lineText, type PktLineReader } from './pkt-line.js';
import { TransportError } from './transport-error.js';

/**
 * Demultiplexes side-band pkt-lines: band 1 is data (the pack, or a report), band 2 progress
 * (hook output lands here too: kept, in case it explains a failure), band 3 a fatal error.
 */
export class SideBandReader {
  readonly progress: string[] = [];
  private ended = false;

  constructor(private readonly onData: (chunk: Buffer) => void) {}

  /** Handles every whole packet in `reader`; true once the closing flush was seen. */
  drain(reader: PktLineReader): boolean {
    for (;;) {
      if (this.ended) return true;
      const pkt = reader.read();
      if (pkt === undefined) return false;
      this.handle(pkt);
    }
  }

  handle(pkt: Buffer | 'flush'): void {
    if (pkt === 'flush') {
      this.ended = true;
      return;
    }
    const band = pkt[0];
    const payload = pkt.subarray(1);
    if (band === 1) this.onData(payload);
    else if (band === 2) this.progress.push(...splitLines(payload));
    else if (band === 3) {
      throw new TransportError('the server reported an error', { remoteMessage: lineText(payload).trim() });
    } else if (lineText(pkt).startsWith('ERR ')) {
      throw new TransportError('the server reported an error', { remoteMessage: lineText(pkt).slice(4) });
    } else {
      throw new TransportError('the server sent an unknown side-band');
    }
  }

  get done(): boolean {
    return this.ended;
  }
}

function splitLines(payload: Buffer): string[] {
  return payload
    .toString('utf8')
    .split(/[\r\n]+/)
    .map((l) => l.trim())
    .filter(Boolean);
}
