/**
 * The shape of the generated project: areas (sources, packages, docs, tools, assets, vendored
 * code, config) holding directories 1 to 5 levels deep, and how each area names and sizes its
 * files.
 */
import type { CodeText, Language } from './code-text.js';
import type { Prng } from './prng.js';

type Area = 'code' | 'docs' | 'tools' | 'assets' | 'vendor' | 'config';

export interface Directory {
  path: string;
  area: Area;
  depth: number;
}

/** What a new file will be, before its content exists. */
export interface FilePlan {
  path: string;
  kind: 'text' | 'binary' | 'symlink';
  lang?: Language;
  executable: boolean;
  bytes: number;
}

const AREA_WEIGHT: Record<Area, number> = { code: 78, docs: 7, tools: 4, assets: 4, vendor: 2, config: 5 };

const EXTENSIONS: Record<Area, [ext: string, weight: number][]> = {
  code: [
    ['ts', 55],
    ['tsx', 10],
    ['js', 12],
    ['c', 6],
    ['h', 5],
    ['json', 5],
    ['png', 1],
  ],
  docs: [
    ['md', 88],
    ['png', 12],
  ],
  tools: [
    ['py', 55],
    ['sh', 35],
    ['json', 10],
  ],
  assets: [
    ['png', 40],
    ['jpg', 20],
    ['woff2', 15],
    ['bin', 5],
    ['svg', 20],
  ],
  vendor: [['js', 100]],
  config: [
    ['json', 60],
    ['yml', 40],
  ],
};

const LANG_OF: Record<string, Language> = {
  ts: 'c',
  tsx: 'c',
  js: 'c',
  c: 'c',
  h: 'c',
  py: 'python',
  sh: 'python',
  md: 'markdown',
  json: 'data',
  yml: 'data',
  svg: 'data',
};

export class RepoLayout {
  readonly dirs: Directory[] = [];
  private readonly weights: number[] = [];
  /** How likely each directory is to get a subdirectory: shallow ones branch more. */
  private readonly branching: number[] = [];

  constructor(
    private readonly rng: Prng,
    private readonly code: CodeText,
    dirCount: number,
  ) {
    const roots: [string, Area][] = [
      ['src', 'code'],
      ['test', 'code'],
      ['docs', 'docs'],
      ['tools', 'tools'],
      ['assets', 'assets'],
      ['vendor', 'vendor'],
      ['config', 'config'],
    ];
    for (let i = 0; i < 14; i++) {
      const pkg = `packages/${code.word()}`;
      roots.push([`${pkg}/src`, 'code'], [`${pkg}/test`, 'code']);
    }
    const seen = new Set<string>();
    for (const [path, area] of roots) {
      if (seen.has(path)) continue;
      seen.add(path);
      this.addDir({ path, area, depth: path.split('/').length });
    }
    while (this.dirs.length < dirCount) {
      const parent = this.dirs[rng.weighted(this.branching)] as Directory;
      const name = rng.chance(0.7) ? code.word() : `${code.word()}-${code.word()}`;
      const path = `${parent.path}/${name}`;
      if (seen.has(path)) continue;
      seen.add(path);
      this.addDir({ path, area: parent.area, depth: parent.depth + 1 });
    }
  }

  private addDir(dir: Directory): void {
    this.dirs.push(dir);
    // Nested directories hold most files, as in real trees; vendor and assets stay small.
    this.weights.push(AREA_WEIGHT[dir.area] * (dir.depth >= 3 ? 2 : 1));
    this.branching.push(AREA_WEIGHT[dir.area] * ([0, 8, 8, 4, 1.5][dir.depth] ?? 0));
  }

  randomDir(): Directory {
    return this.dirs[this.rng.weighted(this.weights)] as Directory;
  }

  /** Plans a new file in `dir` (a random one when absent); `taken` says which paths exist. */
  planFile(taken: (path: string) => boolean, dir = this.randomDir()): FilePlan {
    const rng = this.rng;
    const table = EXTENSIONS[dir.area];
    const ext = (table[rng.weighted(table.map(([, w]) => w))] as [string, number])[0];
    let path: string;
    do {
      const base = rng.chance(0.6) ? this.code.word() : `${this.code.word()}-${this.code.word()}`;
      path = `${dir.path}/${base}.${ext}`;
    } while (taken(path));
    const lang = LANG_OF[ext];
    if (!lang) {
      return { path, kind: 'binary', executable: false, bytes: rng.logUniform(1_000, 400_000) };
    }
    let bytes: number;
    if (dir.area === 'vendor') bytes = rng.logUniform(60_000, 1_200_000);
    else if (rng.chance(0.002)) bytes = rng.logUniform(200_000, 1_500_000);
    else if (rng.chance(0.12)) bytes = rng.logUniform(20_000, 60_000);
    else bytes = rng.logUniform(1_000, 20_000);
    return { path, kind: 'text', lang, executable: ext === 'sh', bytes };
  }
}
