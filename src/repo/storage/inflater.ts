import zlib from 'node:zlib';

/**
 * The part of Node's zlib binding behind every `zlib.Inflate` (`stream._handle`) that this
 * module drives directly. Stable since Node 10, but not documented: `createInflater()`
 * checks its shape and falls back to `zlib.inflateSync` when it is not what is expected.
 */
interface ZlibHandle {
  writeSync(
    flush: number,
    input: Uint8Array,
    inOffset: number,
    inLength: number,
    output: Uint8Array,
    outOffset: number,
    outLength: number,
  ): void;
  reset(): void;
  onerror: (message: string, errno: number, code?: string) => void;
}

/** Inflates zlib streams, one after another, synchronously. */
export interface Inflater {
  /**
   * Inflates the zlib stream at the start of `input` (bytes after its end are ignored) into
   * exactly `size` bytes. Throws when it inflates to more or fewer, when it is damaged
   * (its Adler-32 included), and with code `Z_BUF_ERROR` when `input` ends before it does.
   * With `scratch` (of more than `size` bytes) the result may be a view into it, valid until
   * the scratch is written again.
   */
  inflate(input: Uint8Array, size: number, scratch?: Buffer): Buffer;
  /** As `inflate`, on the `length` bytes of `buf` from `from`, without a view made of them. */
  inflateAt(buf: Uint8Array, from: number, length: number, size: number, scratch?: Buffer): Buffer;
  /**
   * The first up to `length` inflated bytes of a stream whose start is in `input`: fewer when
   * the stream or `input` ends first; undefined when those bytes are damaged.
   */
  inflatePrefix(input: Uint8Array, length: number): Buffer | undefined;
}

/**
 * `zlib.inflateSync` builds a whole Transform stream and a zlib state per call, which costs
 * several times the inflating of a tree or a delta (tens of microseconds against a few, and
 * a pick reads thousands of them). This inflater keeps one zlib state and resets it
 * between objects, as git does with its one `z_stream`.
 */
export function createInflater(): Inflater {
  try {
    return new ReusedInflater();
  } catch {
    return new OneShotInflater();
  }
}

/** zlib's documented one-call API; the fallback. */
export class OneShotInflater implements Inflater {
  inflate(input: Uint8Array, size: number): Buffer {
    // Output sized to the object: one exact allocation, and no larger than it claims to be.
    const data = zlib.inflateSync(input, {
      chunkSize: Math.max(64, size + 1),
      maxOutputLength: Math.max(1, size),
    });
    if (data.length !== size) throw new Error(`inflates to ${data.length} bytes, not ${size}`);
    return data;
  }

  inflateAt(buf: Uint8Array, from: number, length: number, size: number): Buffer {
    return this.inflate(buf.subarray(from, from + length), size);
  }

  inflatePrefix(input: Uint8Array, length: number): Buffer | undefined {
    try {
      const data = zlib.inflateSync(input, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
      return data.subarray(0, length);
    } catch {
      return undefined;
    }
  }
}

/** One zlib state driven through the binding, reset after every stream. */
export class ReusedInflater implements Inflater {
  private stream: zlib.Inflate;
  private handle: ZlibHandle;
  /** What the binding writes after each call: output bytes left, input bytes left. */
  private state: Uint32Array;
  private error: { message: string; code?: string } | undefined;

  constructor() {
    ({ stream: this.stream, handle: this.handle, state: this.state } = this.open());
  }

  inflate(input: Uint8Array, size: number, scratch?: Buffer): Buffer {
    return this.inflateAt(input, 0, input.length, size, scratch);
  }

  /**
   * Input and output are handed to zlib as offsets and lengths: a view of the input and one
   * of the scratch were two objects made per inflate, and a pick inflates thousands.
   */
  inflateAt(buf: Uint8Array, from: number, length: number, size: number, scratch?: Buffer): Buffer {
    // One spare byte: an object longer than it claims fills it instead of stopping short.
    const out = scratch && scratch.length > size ? scratch : Buffer.allocUnsafeSlow(size + 1);
    this.run(zlib.constants.Z_FINISH, buf, from, length, out, size + 1);
    const produced = size + 1 - this.state[0]!;
    if (produced !== size) throw new Error(`inflates to more or fewer bytes than ${size}`);
    return out.subarray(0, size);
  }

  inflatePrefix(input: Uint8Array, length: number): Buffer | undefined {
    const out = Buffer.alloc(length);
    try {
      this.run(zlib.constants.Z_SYNC_FLUSH, input, 0, input.length, out, length);
    } catch {
      return undefined;
    }
    return out.subarray(0, length - this.state[0]!);
  }

  private run(
    flush: number,
    input: Uint8Array,
    from: number,
    length: number,
    out: Buffer,
    outLength: number,
  ): void {
    this.error = undefined;
    this.handle.writeSync(flush, input, from, length, out, 0, outLength);
    const error = this.error as { message: string; code?: string } | undefined;
    if (error) {
      // A state that failed is not trusted again: a new one replaces it.
      this.stream.close();
      ({ stream: this.stream, handle: this.handle, state: this.state } = this.open());
      throw Object.assign(new Error(error.message), { code: error.code });
    }
    this.handle.reset();
  }

  private open(): { stream: zlib.Inflate; handle: ZlibHandle; state: Uint32Array } {
    const stream = new zlib.Inflate();
    const internals = stream as unknown as { _handle: ZlibHandle; _writeState: Uint32Array };
    const handle = internals._handle;
    if (
      typeof handle?.writeSync !== 'function' ||
      typeof handle.reset !== 'function' ||
      // Not `instanceof`: the binding's array may come from another realm (a test's VM).
      Object.prototype.toString.call(internals._writeState) !== '[object Uint32Array]'
    ) {
      throw new Error("this Node's zlib binding is not the one ReusedInflater knows");
    }
    // Errors arrive through this callback, during writeSync; the stream's own handler would
    // destroy the stream and report them asynchronously.
    handle.onerror = (message, _errno, code) => {
      this.error = { message, code };
    };
    return { stream, handle, state: internals._writeState };
  }
}
