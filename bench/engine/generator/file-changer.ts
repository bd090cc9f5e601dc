/**
 * How one file changes in a commit: added, deleted, renamed, edited, or its mode flipped.
 * It draws from the history's PRNG, shared rather than forked, so reordering its draws changes
 * every object after them (and the benchmark repository's cache key: GENERATOR_VERSION).
 */
import { posix } from 'node:path';
import { binaryContent, editBinary } from './binary-content.js';
import type { CodeText } from './code-text.js';
import { editText, type EditFocus } from './edit-text.js';
import type { FileChange } from './fast-import-writer.js';
import type { FileIndex, FileEntry } from './file-index.js';
import type { Prng } from './prng.js';
import type { Directory, FilePlan, RepoLayout } from './repo-layout.js';

export class FileChanger {
  /** Where edits to a file cluster; contested files get one so both branches edit the same lines. */
  readonly focus = new Map<string, EditFocus>();

  constructor(
    private readonly rng: Prng,
    private readonly code: CodeText,
    private readonly layout: RepoLayout,
  ) {}

  /** One file's part of a commit, recorded in `changes` and applied to `index`. */
  change(index: FileIndex, changes: FileChange[], path: string, pDelete: number, pRename: number) {
    const rng = this.rng;
    const entry = index.get(path);
    if (!entry || entry.mode === '120000') return;
    const r = rng.next();
    if (r < pDelete) {
      index.delete(path);
      changes.push({ op: 'delete', path });
      return;
    }
    let target = path;
    if (r < pDelete + pRename) {
      const dir = rng.chance(0.6) ? posix.dirname(path) : this.layout.randomDir().path;
      target = `${dir}/${this.code.word()}${posix.extname(path)}`;
      if (index.has(target)) return;
      index.delete(path);
      index.set(target, entry);
      changes.push({ op: 'rename', from: path, to: target });
      const focus = this.focus.get(path);
      if (focus) this.focus.set(target, focus);
      if (rng.chance(0.5)) return;
    }
    let next: FileEntry;
    if (entry.lang === undefined) {
      const old = entry.content as Buffer;
      const fresh = rng.chance(0.3);
      next = {
        ...entry,
        content: fresh ? binaryContent(rng, old.length, posix.extname(path).slice(1)) : editBinary(rng, old),
      };
    } else if (rng.chance(0.004)) {
      next = { ...entry, mode: entry.mode === '100755' ? '100644' : '100755' };
    } else {
      const content = editText(entry.content as string, entry.lang, this.code, rng, this.focus.get(target));
      next = { ...entry, content };
    }
    index.set(target, next);
    changes.push({ op: 'modify', path: target, mode: next.mode, content: next.content });
  }

  /** A new file in `dir`, recorded in `changes` and applied to `index`. */
  add(index: FileIndex, changes: FileChange[], dir: Directory): void {
    const plan = this.layout.planFile((p) => index.has(p), dir);
    const entry = this.materialize(plan);
    index.set(plan.path, entry);
    changes.push({ op: 'modify', path: plan.path, mode: entry.mode, content: entry.content });
  }

  /** The content and mode a planned file is born with. */
  materialize(plan: FilePlan): FileEntry {
    if (plan.kind === 'binary') {
      return {
        mode: '100644',
        content: binaryContent(this.rng, plan.bytes, posix.extname(plan.path).slice(1)),
      };
    }
    const lang = plan.lang ?? 'c';
    return { mode: plan.executable ? '100755' : '100644', lang, content: this.code.file(lang, plan.bytes) };
  }
}
