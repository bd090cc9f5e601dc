/**
 * LoadedFile's scan (see similarity.ts) as a small WebAssembly function: cut a file into
 * spans, hash them as git does, and add each span's bytes to a table indexed by its hash.
 * Rename detection runs it over every added file whose size is close to a deleted one's (a
 * thousand files and 1.7 MB in docker/cli's slowest real backport). As JavaScript the loop
 * took some 56 instructions a byte once optimized and more before (callgrind, those 1.7 MB:
 * 196M instructions in a process's first pass, 97M later); here 64M, then 53M. WebAssembly is
 * compiled before its first call, so the first large pick of a process does not wait for V8
 * to optimize the loop.
 *
 * Memory: the table (HASHBASE 32-bit counts) at 0, the list of hashes the last file touched
 * after it, then the file's bytes, copied in by the caller.
 */

export const HASHBASE = 107927;
const TOUCHED_AT = HASHBASE * 4;
const DATA_AT = 2 * HASHBASE * 4;
const PAGE = 65536;
/** Memory kept past one file: a larger one is replaced before the next (wasm memory never shrinks). */
const KEPT_BYTES = 8 << 20;

/**
 * `load(length, isText, touchedBefore) → touched`: clears the `touchedBefore` table entries
 * the previous file set, scans the `length` bytes at DATA_AT, and returns how many distinct
 * hashes this file set. The same loop as similarity.ts's scanSpans; in text format:
 *
 *   for (i = 0; i < touchedBefore; i++) table[touched[i]] = 0
 *   for (i = 0; i < length;) {
 *     c = data[i++]
 *     if (c == '\r' && isText && i < length && data[i] == '\n') continue
 *     old1 = a1; a1 = ((a1 << 7) ^ (a2 >>> 25)) + c; a2 = (a2 << 7) ^ (old1 >>> 25)
 *     if (++n < 64 && c != '\n') continue
 *     hash = (a1 + a2 * 0x61) % HASHBASE            (unsigned)
 *     if (table[hash] == 0) touched[count++] = hash
 *     table[hash] += n; n = a1 = a2 = 0
 *   }
 *   return count
 */
function moduleBytes(): Uint8Array {
  // Locals: 0 length, 1 isText, 2 touchedBefore (parameters), then these.
  const [i, c, a1, a2, old1, n, hash, count, t] = [3, 4, 5, 6, 7, 8, 9, 10, 11];
  const get = (x: number) => [0x20, x];
  const set = (x: number) => [0x21, x];
  const tee = (x: number) => [0x22, x];
  const i32 = (v: number) => [0x41, ...sleb(v)];
  const load32 = (offset: number) => [0x28, 2, ...uleb(offset)];
  const load8 = (offset: number) => [0x2d, 0, ...uleb(offset)];
  const store32 = (offset: number) => [0x36, 2, ...uleb(offset)];
  const [block, loop, if_, end] = [[0x02, 0x40], [0x03, 0x40], [0x04, 0x40], [0x0b]];
  const [br, brIf, eqz, eq, ne, ltU, geU] = [0x0c, 0x0d, 0x45, 0x46, 0x47, 0x49, 0x4f];
  const [add, mul, remU, and, xor, shl, shrU] = [0x6a, 0x6c, 0x70, 0x71, 0x73, 0x74, 0x76];
  // prettier-ignore
  const code = [
    // Clear what the previous file set.
    ...block, ...loop,
    ...get(i), ...get(2), geU, brIf, 1,
    ...get(i), ...i32(2), shl, ...load32(TOUCHED_AT), ...i32(2), shl, ...i32(0), ...store32(0),
    ...get(i), ...i32(1), add, ...set(i),
    br, 0, ...end, ...end,
    ...i32(0), ...set(i),
    // Scan.
    ...block, ...loop,
    ...get(i), ...get(0), geU, brIf, 1,
    ...get(i), ...load8(DATA_AT), ...set(c),
    ...get(i), ...i32(1), add, ...set(i),
    ...get(c), ...i32(0x0d), eq, ...if_,
    ...get(1), ...if_,
    ...get(i), ...get(0), ltU, ...if_,
    ...get(i), ...load8(DATA_AT), ...i32(0x0a), eq, brIf, 3,
    ...end, ...end, ...end,
    ...get(a1), ...set(old1),
    ...get(a1), ...i32(7), shl, ...get(a2), ...i32(25), shrU, xor, ...get(c), add, ...set(a1),
    ...get(a2), ...i32(7), shl, ...get(old1), ...i32(25), shrU, xor, ...set(a2),
    ...get(n), ...i32(1), add, ...tee(n), ...i32(64), ltU, ...get(c), ...i32(0x0a), ne, and, brIf, 0,
    ...get(a1), ...get(a2), ...i32(0x61), mul, add, ...i32(HASHBASE), remU, ...set(hash),
    ...get(hash), ...i32(2), shl, ...load32(0), ...tee(t), eqz, ...if_,
    ...get(count), ...i32(2), shl, ...get(hash), ...store32(TOUCHED_AT),
    ...get(count), ...i32(1), add, ...set(count),
    ...end,
    ...get(hash), ...i32(2), shl, ...get(t), ...get(n), add, ...store32(0),
    ...i32(0), ...set(n), ...i32(0), ...set(a1), ...i32(0), ...set(a2),
    br, 0, ...end, ...end,
    ...get(count), ...end,
  ];
  const body = [1, 9, 0x7f, ...code]; // nine i32 locals
  const text = (s: string) => [s.length, ...Buffer.from(s, 'latin1')];
  const section = (id: number, content: number[]) => [id, ...uleb(content.length), ...content];
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [1, 0x60, 3, 0x7f, 0x7f, 0x7f, 1, 0x7f]),
    ...section(2, [1, ...text('m'), ...text('memory'), 0x02, 0x00, ...uleb(pagesFor(DATA_AT))]),
    ...section(3, [1, 0]),
    ...section(7, [1, ...text('load'), 0x00, 0]),
    ...section(10, [1, ...uleb(body.length), ...body]),
  ]);
}

function uleb(v: number): number[] {
  const out: number[] = [];
  do {
    const byte = v & 0x7f;
    v >>>= 7;
    out.push(v === 0 ? byte : byte | 0x80);
  } while (v !== 0);
  return out;
}

function sleb(v: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && !(byte & 0x40)) || (v === -1 && byte & 0x40)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

function pagesFor(bytes: number): number {
  return Math.ceil(bytes / PAGE);
}

/** The little of the WebAssembly API used here (Node's types leave it out). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (limits: { initial: number }) => WasmMemory;
}

interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

const wasmApi = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

let compiled: object | null | undefined;

/** The compiled module, or null where WebAssembly is not available (node --jitless). */
function spanModule(): object | null {
  if (compiled === undefined) {
    try {
      compiled = wasmApi ? new wasmApi.Module(moduleBytes()) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/** One table of bytes per span hash, filled by the WebAssembly scan. */
export class WasmSpanTable {
  private memory!: WasmMemory;
  private scan!: (length: number, isText: number, touchedBefore: number) => number;
  private heap!: Uint8Array;
  /** Bytes per hash of the last file scanned: valid until the next scan. */
  table!: Uint32Array;
  private touched = 0;

  private constructor(private readonly module: object) {
    this.reset(DATA_AT);
  }

  /** A table, or undefined where WebAssembly is not available. */
  static create(): WasmSpanTable | undefined {
    const module = spanModule();
    return module ? new WasmSpanTable(module) : undefined;
  }

  /** Scans `data` into `table`, replacing the previous file's counts. */
  load(data: Uint8Array, isText: boolean): void {
    const need = DATA_AT + data.length;
    const have = this.memory.buffer.byteLength;
    if (have > KEPT_BYTES && need <= KEPT_BYTES) this.reset(need);
    else if (need > have) {
      this.memory.grow(pagesFor(need) - have / PAGE);
      this.views();
    }
    this.heap.set(data, DATA_AT);
    this.touched = this.scan(data.length, isText ? 1 : 0, this.touched);
  }

  /** A fresh memory (zeroed, so nothing to clear) of at least `bytes`. */
  private reset(bytes: number): void {
    this.memory = new wasmApi!.Memory({ initial: pagesFor(bytes) });
    const instance = new wasmApi!.Instance(this.module, { m: { memory: this.memory } });
    this.scan = instance.exports.load as (length: number, isText: number, touchedBefore: number) => number;
    this.touched = 0;
    this.views();
  }

  private views(): void {
    this.heap = new Uint8Array(this.memory.buffer);
    this.table = new Uint32Array(this.memory.buffer, 0, HASHBASE);
  }
}
