/**
 * git's pkt-line framing: four hex digits giving the length of the line including those
 * four, then the payload; `0000` is a flush (end of a section). Every smart-HTTP request
 * and answer is made of these, apart from the pack data itself.
 */

/** The largest pkt-line git sends or accepts (65520 bytes with its length). */
export const MAX_PKT_LENGTH = 65520;

export const FLUSH_PKT = Buffer.from('0000', 'latin1');

/** Frames one line; text lines end in a newline, as git writes them. */
export function pktLine(payload: string | Buffer): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  const length = body.length + 4;
  if (length > MAX_PKT_LENGTH) throw new Error(`a pkt-line of ${length} bytes is too long`);
  return Buffer.concat([Buffer.from(length.toString(16).padStart(4, '0'), 'latin1'), body]);
}

/** A line's text without its trailing newline. */
export function lineText(payload: Buffer): string {
  const text = payload.toString('utf8');
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}

/** What the reader hands out: a payload, a flush, or nothing yet (more bytes needed). */
export type Packet = Buffer | 'flush';
export type PacketV2 = Packet | 'delim' | 'end';

export const DELIM_PKT = Buffer.from('0001', 'latin1');

/**
 * Cuts pkt-lines out of bytes that arrive in chunks of any size. A payload that lies within
 * one chunk is handed out as a view of it, not a copy: pack data passes through here.
 */
export class PktLineReader {
  private chunks: Buffer[] = [];
  private length = 0;

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  /** Bytes received but not yet handed out. */
  get buffered(): number {
    return this.length;
  }

  /** The next packet, or undefined when it has not fully arrived. */
  read(): Packet | undefined {
    const pkt = this.readV2();
    // 0001 and 0002 (delimiter, response end) belong to protocol v2 answers only.
    if (pkt === 'delim' || pkt === 'end') throw new Error('unexpected protocol v2 pkt-line');
    return pkt;
  }

  /** The next packet of a protocol v2 answer, where `0001` ends a section and `0002` a response. */
  readV2(): PacketV2 | undefined {
    if (this.length < 4) return undefined;
    const head = this.peek(4).toString('latin1');
    if (!/^[0-9a-f]{4}$/i.test(head)) throw new Error(`not a pkt-line length: ${JSON.stringify(head)}`);
    const length = parseInt(head, 16);
    if (length < 4) {
      if (length === 3) throw new Error(`unexpected pkt-line ${head}`);
      this.take(4);
      return length === 0 ? 'flush' : length === 1 ? 'delim' : 'end';
    }
    if (this.length < length) return undefined;
    this.take(4);
    return this.take(length - 4);
  }

  /** Everything buffered, unframed (for a pack that follows the pkt-lines as is). */
  takeRest(): Buffer {
    return this.take(this.length);
  }

  /** The next `n` bytes, left in place (fewer when fewer are buffered). */
  peek(n: number): Buffer {
    if (this.length < n) n = this.length;
    if (n === 0) return Buffer.alloc(0);
    const first = this.chunks[0]!;
    if (first.length >= n) return first.subarray(0, n);
    const out = Buffer.allocUnsafe(n);
    let at = 0;
    for (const chunk of this.chunks) {
      if (at >= n) break;
      at += chunk.copy(out, at, 0, Math.min(chunk.length, n - at));
    }
    return out;
  }

  private take(n: number): Buffer {
    const first = this.chunks[0];
    if (!first || n === 0) return Buffer.alloc(0);
    this.length -= n;
    if (first.length > n) {
      this.chunks[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    if (first.length === n) {
      this.chunks.shift();
      return first;
    }
    const out = Buffer.allocUnsafe(n);
    let at = 0;
    while (at < n) {
      const chunk = this.chunks[0]!;
      const part = Math.min(chunk.length, n - at);
      chunk.copy(out, at, 0, part);
      at += part;
      if (part === chunk.length) this.chunks.shift();
      else this.chunks[0] = chunk.subarray(part);
    }
    return out;
  }
}
