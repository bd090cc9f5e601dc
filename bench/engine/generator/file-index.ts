/**
 * The working state of one branch while the history is generated: every file's content, plus
 * the lookups a commit needs (a random file, the files of a directory) kept cheap.
 */
import { posix } from 'node:path';
import type { Language } from './code-text.js';
import type { Prng } from './prng.js';

export type FileMode = '100644' | '100755' | '120000';

export interface FileEntry {
  content: string | Buffer;
  mode: FileMode;
  /** Absent for binary files and symlinks. */
  lang?: Language;
}

export class FileIndex {
  private readonly files = new Map<string, FileEntry>();
  private readonly paths: string[] = [];
  private readonly slot = new Map<string, number>();
  private readonly byDir = new Map<string, Set<string>>();

  get size(): number {
    return this.files.size;
  }

  get(path: string): FileEntry | undefined {
    return this.files.get(path);
  }

  has(path: string): boolean {
    return this.files.has(path);
  }

  set(path: string, entry: FileEntry): void {
    if (!this.files.has(path)) {
      this.slot.set(path, this.paths.length);
      this.paths.push(path);
      const dir = posix.dirname(path);
      let set = this.byDir.get(dir);
      if (!set) this.byDir.set(dir, (set = new Set()));
      set.add(path);
    }
    this.files.set(path, entry);
  }

  delete(path: string): void {
    const at = this.slot.get(path);
    if (at === undefined) return;
    const last = this.paths.pop() as string;
    if (last !== path) {
      this.paths[at] = last;
      this.slot.set(last, at);
    }
    this.slot.delete(path);
    this.files.delete(path);
    this.byDir.get(posix.dirname(path))?.delete(path);
  }

  randomPath(rng: Prng): string {
    return rng.pick(this.paths);
  }

  /** The files directly in a directory. */
  inDir(dir: string): string[] {
    return [...(this.byDir.get(dir) ?? [])];
  }

  /** An independent copy for a branch that forks here (contents are shared, never mutated). */
  clone(): FileIndex {
    const copy = new FileIndex();
    for (const path of this.paths) copy.set(path, this.files.get(path) as FileEntry);
    return copy;
  }
}
