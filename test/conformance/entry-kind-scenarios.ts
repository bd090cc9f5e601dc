import type { Random } from '../support/random.js';
import { type AddScenario, join, single } from './scenario-types.js';
import { binaryData, codeText, modify } from './text-tools.js';

const SUB_A = 'a'.repeat(40);
const SUB_B = 'b'.repeat(40);
const SUB_C = 'c'.repeat(40);

/** Modes, symlinks, submodules, binary files and file/directory clashes, in this order. */
export function entryKindScenarios(rng: Random, add: AddScenario): void {
  modeChanges(rng, add);
  symlinks(rng, add);
  submodules(rng, add);
  binaryFiles(rng, add);
  fileDirectoryClashes(rng, add);
}

/** The executable bit changed on one side or both. */
function modeChanges(rng: Random, add: AddScenario): void {
  for (let v = 0; v < 4; v++) {
    const lines = codeText(rng, 20, `m${v}`);
    const text = join(lines);
    const base = { 'run.sh': text };
    const exec = (data: string) => ({ mode: '100755', data });
    add(
      'mode',
      'commit makes it executable, target edits',
      base,
      [{ 'run.sh': join(modify(lines, 2, 1, 'o')) }],
      single({ 'run.sh': exec(text) }),
    );
    add(
      'mode',
      'target made it executable, commit edits',
      base,
      [{ 'run.sh': exec(text) }],
      single({ 'run.sh': join(modify(lines, 15, 1, 't')) }),
    );
    add(
      'mode',
      'both make it executable',
      base,
      [{ 'run.sh': exec(join(modify(lines, 2, 1, 'o'))) }],
      single({ 'run.sh': exec(text) }),
    );
    add(
      'mode',
      'target executable, commit edits the same lines',
      base,
      [{ 'run.sh': exec(join(modify(lines, 5, 1, 'o'))) }],
      single({ 'run.sh': join(modify(lines, 5, 1, 't')) }),
    );
  }
}

/** Symlinks retargeted, added, or replacing a file. */
function symlinks(_rng: Random, add: AddScenario): void {
  for (let v = 0; v < 3; v++) {
    const link = (target: string) => ({ mode: '120000', data: target });
    const base = { current: link(`releases/v${v}`), 'f.txt': 'a\nb\n' };
    add(
      'symlink',
      'commit retargets a link',
      base,
      [{ 'f.txt': 'a\nc\n' }],
      single({ current: link(`releases/v${v + 1}`) }),
    );
    add(
      'symlink',
      'both retarget differently',
      base,
      [{ current: link('releases/x') }],
      single({ current: link('releases/y') }),
    );
    add(
      'symlink',
      'both retarget the same',
      base,
      [{ current: link('releases/z') }],
      single({ current: link('releases/z') }),
    );
    add(
      'symlink',
      'target turned a file into a link, commit edits the file',
      base,
      [{ 'f.txt': link('elsewhere') }],
      single({ 'f.txt': 'a\nd\n' }),
    );
    add(
      'symlink',
      'commit adds a link',
      base,
      [{ 'f.txt': 'a\nc\n' }],
      single({ 'new-link': link('f.txt') }),
    );
  }
}

/** Submodule commits moved on one side or both. */
function submodules(_rng: Random, add: AddScenario): void {
  for (let v = 0; v < 3; v++) {
    const sub = (sha: string) => ({ mode: '160000', data: sha });
    const base = { 'vendor/lib': sub(SUB_A), 'x.txt': `x${v}\n` };
    add(
      'submodule',
      'commit bumps a submodule',
      base,
      [{ 'x.txt': 'changed\n' }],
      single({ 'vendor/lib': sub(SUB_B) }),
    );
    add(
      'submodule',
      'both bump differently',
      base,
      [{ 'vendor/lib': sub(SUB_C) }],
      single({ 'vendor/lib': sub(SUB_B) }),
    );
    add(
      'submodule',
      'both bump the same',
      base,
      [{ 'vendor/lib': sub(SUB_B) }],
      single({ 'vendor/lib': sub(SUB_B) }),
    );
    add(
      'submodule',
      'target removed it, commit bumps it',
      base,
      [{ 'vendor/lib': null }],
      single({ 'vendor/lib': sub(SUB_B) }),
    );
  }
}

/** Binary files changed on one side or both. */
function binaryFiles(rng: Random, add: AddScenario): void {
  for (let v = 0; v < 4; v++) {
    const base = { 'logo.png': binaryData(rng, 300), 'a.txt': 'a\n' };
    add(
      'binary',
      'commit changes a binary file',
      base,
      [{ 'a.txt': 'b\n' }],
      single({ 'logo.png': binaryData(rng, 300) }),
    );
    add(
      'binary',
      'both change a binary file',
      base,
      [{ 'logo.png': binaryData(rng, 300) }],
      single({ 'logo.png': binaryData(rng, 300) }),
    );
    const same = binaryData(rng, 200);
    add(
      'binary',
      'both make the same binary change',
      base,
      [{ 'logo.png': same }],
      single({ 'logo.png': same }),
    );
    add(
      'binary',
      'text becomes binary on one side, edited on the other',
      base,
      [{ 'a.txt': 'a\nmore\n' }],
      single({ 'a.txt': binaryData(rng, 50) }),
    );
  }
}

/** A file on one side where the other has a directory. */
function fileDirectoryClashes(_rng: Random, add: AddScenario): void {
  for (let v = 0; v < 3; v++) {
    add(
      'file/directory',
      'commit adds a file under a path the target made a file',
      { 'o.txt': 'o\n' },
      [{ a: 'file\n' }],
      single({ 'a/b': 'x\n' }),
    );
    add(
      'file/directory',
      'commit replaces a directory by a file the target edited in',
      { 'd/x': 'x\n', 'o.txt': `${v}\n` },
      [{ 'd/x': 'x\nmore\n' }],
      single({ 'd/x': null, d: 'file\n' }),
    );
    add(
      'file/directory',
      'commit adds a file where the target has a directory',
      { 'o.txt': 'o\n' },
      [{ 'p/q.txt': 'q\n' }],
      single({ p: 'file\n' }),
    );
    add(
      'file/directory',
      'commit turns a file into a directory',
      { c: 'c\n', 'o.txt': 'o\n' },
      [{ 'o.txt': 'o2\n' }],
      single({ c: null, 'c/inner.txt': 'inner\n' }),
    );
  }
}
