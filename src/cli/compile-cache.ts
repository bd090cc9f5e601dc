import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import zlib from 'node:zlib';

/**
 * V8's code cache for the bundled CLI's files. Node 20 compiles every file a process loads
 * from its source, and each function again from its source the first time it is called
 * (there is no compile cache for modules before Node 22); for a first pick that was about a
 * third of what the CLI's own code cost. Here each bundled file is compiled as a
 * `vm.Script` given the code V8 made for it in an earlier run: the functions that run
 * (compiled lazily during that run, then serialized with `createCachedData`) come back
 * without being parsed or compiled.
 *
 * A cache file is used only when it is whole and made for exactly this file and this Node:
 * it holds a copy of the source it was made from (compared byte for byte), Node's version,
 * and a CRC-32 of V8's data, which V8 itself does not check in release builds (it checks
 * only the source's length, its own version and its flags). Anything else is ignored, and
 * written anew after the run. Files are written whole under a temporary name, then renamed.
 * They live in the user's cache directory (never in a repository), and one is kept per
 * bundled file and set of node flags.
 */

const MAGIC = 'bpa-code-cache 1\n';

/** What became of a file's cache when it was loaded, and after the run. */
export type CacheState =
  | 'used'
  /** No cache directory (BACKPORT_DISABLE_COMPILE_CACHE, or no home directory). */
  | 'off'
  /** No cache file yet. */
  | 'missing'
  /** Made for another source, another Node, or another machine's architecture. */
  | 'stale'
  /** Truncated, or its data does not match its checksum. */
  | 'corrupt'
  /** Whole and for this source, but V8 refused it (other V8 flags). */
  | 'rejected';

/** The values a cache file must have been made with to be used. */
export interface CacheKey {
  node: string;
  arch: string;
}

/** This process's key. */
export function currentKey(): CacheKey {
  return { node: process.version, arch: process.arch };
}

/**
 * A cache file's bytes: a header line, the source it was made from, then V8's data. `runs`
 * names the runs whose code it holds (see CompileCache.save).
 */
export function encodeCacheFile(
  source: Buffer,
  data: Buffer,
  runs: readonly string[],
  key: CacheKey = currentKey(),
): Buffer {
  const header = JSON.stringify({
    node: key.node,
    arch: key.arch,
    runs,
    sourceBytes: source.length,
    dataBytes: data.length,
    dataCrc: zlib.crc32(data),
  });
  return Buffer.concat([Buffer.from(`${MAGIC}${header}\n`), source, data]);
}

/** V8's data from a cache file made for `source` and this key, or why there is none. */
export function decodeCacheFile(
  file: Buffer,
  source: Buffer,
  key: CacheKey = currentKey(),
): { data: Buffer; runs: string[] } | { state: 'stale' | 'corrupt' } {
  const corrupt = { state: 'corrupt' } as const;
  if (file.toString('latin1', 0, MAGIC.length) !== MAGIC) return corrupt;
  const end = file.indexOf(0x0a, MAGIC.length);
  if (end < 0) return corrupt;
  let header: unknown;
  try {
    header = JSON.parse(file.toString('utf8', MAGIC.length, end));
  } catch {
    return corrupt;
  }
  if (!isHeader(header)) return corrupt;
  if (header.node !== key.node || header.arch !== key.arch) return { state: 'stale' };
  const sourceAt = end + 1;
  const dataAt = sourceAt + header.sourceBytes;
  if (file.length !== dataAt + header.dataBytes) return corrupt;
  if (header.sourceBytes !== source.length || !source.equals(file.subarray(sourceAt, dataAt)))
    return { state: 'stale' };
  const data = file.subarray(dataAt);
  if (zlib.crc32(data) !== header.dataCrc) return corrupt;
  return { data, runs: header.runs };
}

interface Header {
  node: string;
  arch: string;
  runs: string[];
  sourceBytes: number;
  dataBytes: number;
  dataCrc: number;
}

function isHeader(value: unknown): value is Header {
  if (typeof value !== 'object' || value === null) return false;
  const h = value as Record<string, unknown>;
  const count = (n: unknown) => Number.isSafeInteger(n) && (n as number) >= 0;
  return (
    typeof h.node === 'string' &&
    typeof h.arch === 'string' &&
    Array.isArray(h.runs) &&
    h.runs.every((run) => typeof run === 'string') &&
    count(h.sourceBytes) &&
    count(h.dataBytes) &&
    count(h.dataCrc)
  );
}

/**
 * Where the caches live: BACKPORT_COMPILE_CACHE when set, else the user's cache directory
 * (as git and most tools keep theirs); none when BACKPORT_DISABLE_COMPILE_CACHE is set or
 * there is no home directory.
 */
export function compileCacheDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  // On POSIX, os.homedir() is HOME when it is set: node:os is loaded only without it.
  home: () => string = () =>
    (platform !== 'win32' && env.HOME) || process.getBuiltinModule('node:os').homedir(),
): string | undefined {
  if (env.BACKPORT_DISABLE_COMPILE_CACHE) return undefined;
  if (env.BACKPORT_COMPILE_CACHE) return path.resolve(env.BACKPORT_COMPILE_CACHE);
  let base: string | undefined;
  try {
    if (platform === 'win32') base = env.LOCALAPPDATA || path.join(home(), 'AppData', 'Local');
    else if (platform === 'darwin') base = path.join(home(), 'Library', 'Caches');
    else
      base =
        env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME)
          ? env.XDG_CACHE_HOME
          : path.join(home(), '.cache');
  } catch {
    // No home directory (a user without one): no cache, as with none configured.
    return undefined;
  }
  return base ? path.join(base, 'backport-assistant', 'compile-cache') : undefined;
}

/**
 * The cache file's name for a bundled file: its own name and a hash of its full path and of
 * the node flags (V8 refuses data made under other flags), so that two installed copies, or
 * runs with and without a flag, do not overwrite each other's cache at every run.
 */
export function cacheFileName(file: string, flags: string): string {
  return `${path.basename(file)}-${fnv1a(`${path.resolve(file)}\0${flags}`)}.cache`;
}

/** The node flags of this process that reach V8: its own, and NODE_OPTIONS. */
export function currentFlags(): string {
  return `${process.execArgv.join(' ')}\0${process.env.NODE_OPTIONS ?? ''}`;
}

function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** What a bundled file is given, as CommonJS gives a module. */
type ModuleFunction = (
  exports: unknown,
  require: (id: string) => unknown,
  module: { exports: unknown },
  filename: string,
  dirname: string,
) => void;

interface Loaded {
  file: string;
  source: Buffer;
  script: vm.Script;
  state: CacheState;
  /** The runs whose code the cache it was given holds. */
  runs: string[];
  exports: unknown;
}

/**
 * Loads bundled files (each `(function (exports, require, module, __filename, __dirname)
 * { … })`, as scripts/bundle-cli.mjs writes them) with their caches, and writes the caches
 * that were missing or not usable once the command has run.
 */
export class CompileCache {
  private readonly loaded = new Map<string, Loaded>();

  constructor(
    /** No directory: files are compiled from their source, and nothing is written. */
    private readonly dir: string | undefined,
    /** Node's require, for its built-in modules. */
    private readonly nodeRequire: (id: string) => unknown,
    /** Told what became of each cache (BACKPORT_DEBUG). */
    private readonly report?: (line: string) => void,
    private readonly flags: string = currentFlags(),
  ) {}

  /**
   * A bundled file's exports. Its `require` loads the bundled files it names by a relative
   * path (`./vendor/….cjs`) the same way, once each, and anything else with Node's.
   */
  load(file: string): unknown {
    const known = this.loaded.get(file);
    if (known) return known.exports;
    const source = fs.readFileSync(file);
    const { cachedData, state, runs } = this.read(source, file);
    const script = new vm.Script(source.toString('utf8'), { filename: file, cachedData });
    const entry: Loaded = {
      file,
      source,
      script,
      state: cachedData && script.cachedDataRejected ? 'rejected' : state,
      runs: runs ?? [],
      exports: {},
    };
    this.report?.(`compile cache: ${path.basename(file)}: ${entry.state}`);
    this.loaded.set(file, entry);
    const dir = path.dirname(file);
    const require = (id: string) =>
      id.startsWith('./') ? this.load(path.join(dir, id)) : this.nodeRequire(id);
    const module = { exports: entry.exports };
    (script.runInThisContext() as ModuleFunction)(module.exports, require, module, file, dir);
    entry.exports = module.exports;
    return entry.exports;
  }

  /**
   * Writes a cache for every file loaded without a usable one, with the functions compiled
   * so far: call it once the command has run, so that its code is in the cache. `run` names
   * what ran (a command and how it ended): a cache that was used is written again, with the
   * code it had and this run's, when it holds no run of that name, so that a cache first
   * made by `check` comes to hold `pick`'s code too, and a clean pick's the code of a
   * conflict's. Never throws: a cache that cannot be written is only slower.
   */
  save(run: string): void {
    if (!this.dir) return;
    for (const entry of this.loaded.values()) {
      if (entry.state === 'off' || (entry.state === 'used' && entry.runs.includes(run))) continue;
      const runs = entry.state === 'used' ? [...entry.runs, run] : [run];
      const target = path.join(this.dir, cacheFileName(entry.file, this.flags));
      const temporary = `${target}.${process.pid}.tmp`;
      try {
        fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
        fs.writeFileSync(temporary, encodeCacheFile(entry.source, entry.script.createCachedData(), runs), {
          mode: 0o600,
        });
        fs.renameSync(temporary, target);
        this.report?.(`compile cache: ${path.basename(entry.file)}: written`);
      } catch (err) {
        try {
          fs.rmSync(temporary, { force: true });
        } catch {
          // Left behind; the next write under this process id replaces it.
        }
        this.report?.(`compile cache: ${path.basename(entry.file)}: not written (${(err as Error).message})`);
      }
    }
  }

  private read(source: Buffer, file: string): { cachedData?: Buffer; state: CacheState; runs?: string[] } {
    if (!this.dir) return { state: 'off' };
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(path.join(this.dir, cacheFileName(file, this.flags)));
    } catch {
      return { state: 'missing' };
    }
    const decoded = decodeCacheFile(bytes, source);
    return 'data' in decoded ? { cachedData: decoded.data, state: 'used', runs: decoded.runs } : decoded;
  }
}
