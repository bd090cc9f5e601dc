/**
 * Generates the benchmark repository's history into an empty bare repository:
 *   1. an initial import of most files (nested directories, code, docs, assets, vendored code);
 *   2. `main`: small commits touching 1 to 10 nearby files (edits in the middle of files,
 *      some adds, deletes, renames, binary and mode changes);
 *   3. `release`, forked `forkBack` commits before main's tip, with its own commits, most of
 *      them on "contested" files that later main commits also edit, so some picks conflict.
 * Everything is drawn from one seeded PRNG: the same shape gives the same object ids.
 */
import { posix } from 'node:path';
import { CodeText } from './code-text.js';
import { FastImportWriter, type FileChange, type Person } from './fast-import-writer.js';
import { FileChanger } from './file-changer.js';
import { FileIndex, type FileEntry } from './file-index.js';
import { Prng } from './prng.js';
import { RepoLayout, type Directory } from './repo-layout.js';

export interface HistoryShape {
  seed: number;
  dirs: number;
  initialFiles: number;
  mainCommits: number;
  forkBack: number;
  releaseCommits: number;
  contestedFiles: number;
}

export const DEFAULT_SHAPE: HistoryShape = {
  seed: 0x5eed2024,
  dirs: 1600,
  initialFiles: 19_300,
  mainCommits: 5_000,
  forkBack: 500,
  releaseCommits: 50,
  contestedFiles: 70,
};

const COMMIT_SIZE_WEIGHTS = [30, 22, 15, 10, 7, 5, 4, 3, 2, 2];
const VERBS = ['fix', 'add', 'update', 'refactor', 'remove', 'improve', 'handle', 'support', 'clean up'];

class HistoryGenerator {
  private readonly rng: Prng;
  private readonly code: CodeText;
  private readonly layout: RepoLayout;
  private readonly dirOf = new Map<string, Directory>();
  private readonly people: Person[] = [];
  private readonly hot: string[] = [];
  private readonly files: FileChanger;
  private contested: string[] = [];
  private time = 1_546_300_800;

  constructor(
    private readonly shape: HistoryShape,
    private readonly out: FastImportWriter,
  ) {
    this.rng = new Prng(shape.seed);
    this.code = new CodeText(this.rng.fork());
    this.layout = new RepoLayout(this.rng.fork(), this.code, shape.dirs);
    this.files = new FileChanger(this.rng, this.code, this.layout);
    for (const dir of this.layout.dirs) this.dirOf.set(dir.path, dir);
    for (let i = 0; i < 25; i++) {
      const first = this.capital(this.code.word());
      const last = this.capital(this.code.word());
      this.people.push({ name: `${first} ${last}`, email: `${first}.${last}@example.com`.toLowerCase() });
    }
  }

  async run(): Promise<void> {
    const { mainCommits, forkBack, releaseCommits } = this.shape;
    const main = new FileIndex();
    await this.initialImport(main);
    const forkIndex = mainCommits - 1 - forkBack;
    const releaseEvery = Math.floor(forkBack / releaseCommits);
    let release: FileIndex | undefined;
    let releaseDone = 0;
    for (let i = 1; i < mainCommits; i++) {
      await this.mainCommit(main, i, i > forkIndex);
      if (i === forkIndex) release = this.fork(main);
      const sinceFork = i - forkIndex;
      if (release && releaseDone < releaseCommits && sinceFork % releaseEvery === releaseEvery >> 1) {
        const parent = releaseDone === 0 ? forkIndex + 1 : mainCommits + releaseDone;
        await this.releaseCommit(release, releaseDone, parent);
        releaseDone++;
      }
    }
  }

  private async initialImport(main: FileIndex): Promise<void> {
    const changes: FileChange[] = [];
    while (main.size < this.shape.initialFiles) {
      const plan = this.layout.planFile((p) => main.has(p));
      const entry = this.files.materialize(plan);
      main.set(plan.path, entry);
      changes.push({ op: 'modify', path: plan.path, mode: entry.mode, content: entry.content });
      if (entry.lang && entry.lang !== 'data' && this.hot.length < 1500 && this.rng.chance(0.1)) {
        this.hot.push(plan.path);
      }
    }
    // A few symlinks, as real projects have (a README pointing into docs, shared configs).
    for (let i = 0; i < 10; i++) {
      const target = main.randomPath(this.rng);
      const dir = this.layout.randomDir().path;
      const path = `${dir}/${this.code.word()}-link${posix.extname(target)}`;
      if (main.has(path)) continue;
      const entry: FileEntry = { mode: '120000', content: posix.relative(dir, target) };
      main.set(path, entry);
      changes.push({ op: 'modify', path, mode: entry.mode, content: entry.content });
    }
    await this.out.commit({
      branch: 'main',
      mark: 1,
      author: this.people[0] as Person,
      time: this.tick(),
      message: 'Initial import\n',
      changes,
    });
  }

  private async mainCommit(main: FileIndex, i: number, afterFork: boolean): Promise<void> {
    const rng = this.rng;
    const size = rng.weighted(COMMIT_SIZE_WEIGHTS) + 1;
    const live = (list: string[]) => list.filter((p) => main.has(p));
    let anchor: string;
    const contested = afterFork ? live(this.contested) : [];
    if (contested.length > 0 && rng.chance(0.3)) anchor = rng.pick(contested);
    else if (rng.chance(0.4) && live(this.hot).length > 0) anchor = rng.pick(live(this.hot));
    else anchor = main.randomPath(rng);
    const dir = posix.dirname(anchor);
    const siblings = main.inDir(dir);
    const touched = new Set<string>([anchor]);
    for (let tries = 0; touched.size < size && tries < 40; tries++) {
      touched.add(rng.chance(0.6) && siblings.length > 1 ? rng.pick(siblings) : main.randomPath(rng));
    }
    const changes: FileChange[] = [];
    if (size > 1 && rng.chance(0.3)) {
      const home = this.dirOf.get(dir) ?? this.layout.randomDir();
      this.files.add(main, changes, home);
    }
    for (const path of touched) {
      if (changes.length >= size) break;
      this.files.change(main, changes, path, 0.025, 0.02);
    }
    if (changes.length === 0) this.files.change(main, changes, live(this.hot)[0] ?? anchor, 0, 0);
    await this.out.commit({
      branch: 'main',
      mark: i + 1,
      from: i,
      author: rng.pick(this.people),
      time: this.tick(),
      message: this.message(anchor),
      changes,
    });
  }

  private fork(main: FileIndex): FileIndex {
    const rng = this.rng;
    const pool = this.hot.filter((p) => {
      const e = main.get(p);
      return e?.lang === 'c' || e?.lang === 'python';
    });
    const chosen = new Set<string>();
    while (chosen.size < Math.min(this.shape.contestedFiles, pool.length)) chosen.add(rng.pick(pool));
    for (let tries = 0, binaries = 0; binaries < 2 && tries < 10_000; tries++) {
      const p = main.randomPath(rng);
      if (main.get(p)?.lang === undefined && main.get(p)?.mode === '100644' && !chosen.has(p)) {
        chosen.add(p);
        binaries++;
      }
    }
    this.contested = [...chosen];
    for (const p of this.contested) this.files.focus.set(p, { at: 0.15 + rng.next() * 0.7, spread: 12 });
    return main.clone();
  }

  private async releaseCommit(release: FileIndex, j: number, parentMark: number): Promise<void> {
    const rng = this.rng;
    const live = this.contested.filter((p) => release.has(p));
    const changes: FileChange[] = [];
    const first = rng.pick(live);
    if (j % 16 === 7) {
      // Renames on the old branch are what make naive backports report false conflicts.
      this.files.change(release, changes, first, 0, 1);
    } else if (j === 33) {
      changes.push({ op: 'delete', path: first });
      release.delete(first);
    } else if (j === 12 || j === 41) {
      this.files.add(release, changes, this.dirOf.get(posix.dirname(first)) ?? this.layout.randomDir());
    } else {
      const count = rng.range(1, 4);
      const touched = new Set<string>([first]);
      for (let k = 1; k < count; k++) {
        touched.add(rng.chance(0.8) ? rng.pick(live) : release.randomPath(rng));
      }
      for (const path of touched) this.files.change(release, changes, path, 0, 0);
    }
    await this.out.commit({
      branch: 'release',
      mark: this.shape.mainCommits + 1 + j,
      from: parentMark,
      author: rng.pick(this.people),
      time: this.time + rng.range(60, 3600),
      message: `[release] ${this.message(first)}`,
      changes,
    });
  }

  private message(anchor: string): string {
    const rng = this.rng;
    const area = posix.basename(posix.dirname(anchor));
    let message = `${area}: ${rng.pick(VERBS)} ${this.code.phrase(rng.range(2, 6))}\n`;
    if (rng.chance(0.4)) {
      message += '\n';
      const lines = rng.range(1, 4);
      for (let k = 0; k < lines; k++) message += `${this.code.phrase(rng.range(6, 12))}\n`;
    }
    return message;
  }

  private tick(): number {
    this.time += this.rng.range(300, 60_000);
    return this.time;
  }

  private capital(word: string): string {
    return word.charAt(0).toUpperCase() + word.slice(1);
  }
}

/** Writes the whole history into `gitDir` (an empty bare repository) with git fast-import. */
export async function generateHistory(gitDir: string, shape: HistoryShape = DEFAULT_SHAPE): Promise<void> {
  const out = new FastImportWriter(gitDir);
  try {
    await new HistoryGenerator(shape, out).run();
  } finally {
    await out.finish();
  }
}
