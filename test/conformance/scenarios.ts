import type { Random } from '../support/random.js';
import { binaryData, codeText, crlf, insert, modify, randomEdit, remove } from './text-tools.js';

export type FileValue = string | { mode: string; data: string } | null;
export type Files = Record<string, FileValue>;

export type Pick =
  | { kind: 'single'; change: Files }
  | { kind: 'series'; changes: Files[] }
  | { kind: 'merge'; mainlineChange: Files; featureChange: Files; mainline: 1 | 2 };

export interface Scenario {
  category: string;
  description: string;
  /** Every file of the base commit. */
  base: Files;
  /** Commits made on the target branch since the base, each a set of changes. */
  target: Files[];
  pick: Pick;
}

const SUB_A = 'a'.repeat(40);
const SUB_B = 'b'.repeat(40);
const SUB_C = 'c'.repeat(40);

const join = (lines: string[]) => lines.join('');
const single = (change: Files): Pick => ({ kind: 'single', change });

/** Every category the engine must match git on, with a few seeded variations each. */
export function generateScenarios(rng: Random): Scenario[] {
  const out: Scenario[] = [];
  const add = (category: string, description: string, base: Files, target: Files[], pick: Pick) =>
    out.push({ category, description, base, target, pick });

  for (let v = 0; v < 12; v++) {
    const lines = codeText(rng, 30 + rng.int(30), `f${v}`);
    const n = lines.length;
    const base = { 'src/file.c': join(lines), README: 'readme\n' };
    // Edits far apart merge cleanly; overlapping or touching ones conflict.
    add(
      'modify/modify',
      'separate regions',
      base,
      [{ 'src/file.c': join(modify(lines, 2, 2, 'o')) }],
      single({ 'src/file.c': join(modify(lines, n - 5, 2, 't')) }),
    );
    add(
      'modify/modify',
      'same lines',
      base,
      [{ 'src/file.c': join(modify(lines, 10, 2, 'o')) }],
      single({ 'src/file.c': join(modify(lines, 10 + rng.int(2), 2, 't')) }),
    );
    add(
      'modify/modify',
      'adjacent lines',
      base,
      [{ 'src/file.c': join(modify(lines, 10, 1, 'o')) }],
      single({ 'src/file.c': join(modify(lines, 11, 1, 't')) }),
    );
    add(
      'modify/modify',
      'one line apart',
      base,
      [{ 'src/file.c': join(modify(lines, 10, 1, 'o')) }],
      single({ 'src/file.c': join(modify(lines, 12, 1, 't')) }),
    );
    add(
      'modify/modify',
      'insert next to a change',
      base,
      [{ 'src/file.c': join(insert(lines, 15, 2, 'o')) }],
      single({ 'src/file.c': join(modify(lines, 14 + rng.int(3), 1, 't')) }),
    );
    const same = join(modify(lines, 5, 3, 'x'));
    add(
      'identical',
      'the same change on both sides',
      base,
      [{ 'src/file.c': same }],
      single({ 'src/file.c': same }),
    );
    add(
      'identical',
      'the same change plus another',
      base,
      [{ 'src/file.c': same }],
      single({ 'src/file.c': join(modify(modify(lines, 5, 3, 'x'), n - 3, 1, 't')) }),
    );
  }

  for (let v = 0; v < 6; v++) {
    const lines = codeText(rng, 20, `a${v}`);
    const base = { 'keep.txt': 'keep\n' };
    add(
      'add/add',
      'same content added on both sides',
      base,
      [{ 'new.c': join(lines) }],
      single({ 'new.c': join(lines) }),
    );
    add(
      'add/add',
      'different content added on both sides',
      base,
      [{ 'new.c': join(lines) }],
      single({ 'new.c': join(modify(lines, 4, 1, 't')) }),
    );
    add('add/add', 'empty file against content', base, [{ 'new.c': '' }], single({ 'new.c': join(lines) }));
    add(
      'add/add',
      'same content, different mode',
      base,
      [{ 'new.c': join(lines) }],
      single({ 'new.c': { mode: '100755', data: join(lines) } }),
    );
  }

  for (let v = 0; v < 5; v++) {
    const lines = codeText(rng, 25, `d${v}`);
    const base = { 'lib/x.c': join(lines), 'lib/y.c': 'y\n' };
    add(
      'modify/delete',
      'target deleted what the commit modifies',
      base,
      [{ 'lib/x.c': null }],
      single({ 'lib/x.c': join(modify(lines, 3, 1, 't')) }),
    );
    add(
      'modify/delete',
      'commit deletes what the target modified',
      base,
      [{ 'lib/x.c': join(modify(lines, 3, 1, 'o')) }],
      single({ 'lib/x.c': null }),
    );
    add(
      'modify/delete',
      'both delete',
      base,
      [{ 'lib/x.c': null }],
      single({ 'lib/x.c': null, 'lib/y.c': 'y2\n' }),
    );
    add(
      'modify/delete',
      'commit deletes an unchanged file',
      base,
      [{ 'lib/y.c': 'y3\n' }],
      single({ 'lib/x.c': null }),
    );
  }

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

  for (let v = 0; v < 8; v++) {
    const lines = codeText(rng, 40, `r${v}`);
    const base = { 'src/old_name.c': join(lines), 'src/other.c': 'other\n' };
    const moved = { 'src/old_name.c': null, 'src/new_name.c': join(modify(lines, 1, 1, 'o')) };
    add(
      'rename on target',
      'commit edits a file the target renamed',
      base,
      [moved],
      single({ 'src/old_name.c': join(modify(lines, 30, 2, 't')) }),
    );
    add(
      'rename on target',
      'commit edits the lines the target changed while renaming',
      base,
      [moved],
      single({ 'src/old_name.c': join(modify(lines, 1, 1, 't')) }),
    );
    add(
      'rename on target',
      'renamed into another directory',
      base,
      [{ 'src/old_name.c': null, 'lib/moved.c': join(lines) }],
      single({ 'src/old_name.c': join(insert(lines, 20, 2, 't')) }),
    );
    add(
      'rename on target',
      'commit deletes a file the target renamed',
      base,
      [{ 'src/old_name.c': null, 'src/new_name.c': join(lines) }],
      single({ 'src/old_name.c': null }),
    );
    add(
      'rename on target',
      'renamed and mostly rewritten (below 50 %)',
      base,
      [{ 'src/old_name.c': null, 'src/new_name.c': join(codeText(rng, 40, `z${v}`)) }],
      single({ 'src/old_name.c': join(modify(lines, 30, 1, 't')) }),
    );
    add(
      'rename by commit',
      'commit renames a file the target edited',
      base,
      [{ 'src/old_name.c': join(modify(lines, 2, 1, 'o')) }],
      single({ 'src/old_name.c': null, 'src/new_name.c': join(modify(lines, 35, 1, 't')) }),
    );
    add(
      'rename by commit',
      'commit renames a file the target deleted',
      base,
      [{ 'src/old_name.c': null }],
      single({ 'src/old_name.c': null, 'src/new_name.c': join(lines) }),
    );
    add(
      'rename by commit',
      'both rename to different names',
      base,
      [{ 'src/old_name.c': null, 'src/ours.c': join(lines) }],
      single({ 'src/old_name.c': null, 'src/theirs.c': join(lines) }),
    );
    add(
      'rename by commit',
      'both rename to the same name with edits',
      base,
      [{ 'src/old_name.c': null, 'src/same.c': join(modify(lines, 3, 1, 'o')) }],
      single({ 'src/old_name.c': null, 'src/same.c': join(modify(lines, 33, 1, 't')) }),
    );
  }

  for (let v = 0; v < 3; v++) {
    const files: Files = {};
    for (let k = 0; k < 4; k++) files[`pkg${v}/f${k}.c`] = join(codeText(rng, 15, `p${v}${k}`));
    const renamed: Files = {};
    for (const [p, c] of Object.entries(files)) {
      renamed[p] = null;
      renamed[p.replace(`pkg${v}/`, `lib${v}/`)] = c;
    }
    add(
      'directory rename',
      'commit adds a file in a directory the target renamed',
      files,
      [renamed],
      single({ [`pkg${v}/added.c`]: 'added\n' }),
    );
    add(
      'directory rename',
      'commit edits a file in a directory the target renamed',
      files,
      [renamed],
      single({ [`pkg${v}/f1.c`]: `${files[`pkg${v}/f1.c`]}tail\n` }),
    );
    add(
      'directory rename',
      'commit renames a directory the target added a file to',
      files,
      [{ [`pkg${v}/target-added.c`]: 'target\n' }],
      single(renamed),
    );
    add(
      'directory rename',
      'commit renames a directory, target edited a file in it',
      files,
      [{ [`pkg${v}/f2.c`]: `head\n${files[`pkg${v}/f2.c`]}` }],
      single(renamed),
    );
    const nested: Files = {};
    const nestedRenamed: Files = {};
    for (let k = 0; k < 3; k++) {
      const text = join(codeText(rng, 12, `n${v}${k}`));
      nested[`deep${v}/sub/n${k}.c`] = text;
      nestedRenamed[`deep${v}/sub/n${k}.c`] = null;
      nestedRenamed[`moved${v}/sub/n${k}.c`] = text;
    }
    add(
      'directory rename',
      'commit renames a parent directory, target added a file in a subdirectory',
      nested,
      [{ [`deep${v}/sub/added.c`]: 'added\n' }],
      single(nestedRenamed),
    );
    add(
      'directory rename',
      'target renamed a parent directory, commit adds a file in a subdirectory',
      nested,
      [nestedRenamed],
      single({ [`deep${v}/sub/added.c`]: 'added\n' }),
    );
  }

  for (let v = 0; v < 4; v++) {
    const lines = codeText(rng, 20, `w${v}`);
    const base = { 'win.txt': crlf(join(lines)) };
    add(
      'line endings',
      'CRLF file, separate edits',
      base,
      [{ 'win.txt': crlf(join(modify(lines, 1, 1, 'o'))) }],
      single({ 'win.txt': crlf(join(modify(lines, 17, 1, 't'))) }),
    );
    add(
      'line endings',
      'target converted to LF, commit edits',
      base,
      [{ 'win.txt': join(lines) }],
      single({ 'win.txt': crlf(join(modify(lines, 10, 1, 't'))) }),
    );
    const noNl = join(lines).replace(/\n$/, '');
    add(
      'no final newline',
      'commit edits the last line',
      { 'e.txt': noNl },
      [{ 'e.txt': join(modify(lines, 0, 1, 'o')).replace(/\n$/, '') }],
      single({ 'e.txt': `${noNl}X` }),
    );
    add(
      'no final newline',
      'commit adds the final newline',
      { 'e.txt': noNl },
      [{ 'e.txt': join(modify(lines, 0, 1, 'o')).replace(/\n$/, '') }],
      single({ 'e.txt': `${noNl}\n` }),
    );
    add(
      'no final newline',
      'both append after the last line',
      { 'e.txt': noNl },
      [{ 'e.txt': `${noNl}\nours\n` }],
      single({ 'e.txt': `${noNl}\ntheirs\n` }),
    );
    add(
      'empty file',
      'commit fills an empty file',
      { empty: '', o: 'o\n' },
      [{ o: 'o2\n' }],
      single({ empty: 'now\n' }),
    );
    add(
      'empty file',
      'commit empties a file the target edited elsewhere',
      { f: join(lines), o: 'o\n' },
      [{ o: 'o2\n' }],
      single({ f: '' }),
    );
    add(
      'empty file',
      'commit adds an empty file',
      { o: 'o\n' },
      [{ o: 'o2\n' }],
      single({ 'new-empty': '' }),
    );
  }

  for (let v = 0; v < 5; v++) {
    const lines = codeText(rng, 30, `k${v}`);
    const fixed = join(modify(lines, 12, 1, 'fix'));
    const base = { 'core.c': join(lines) };
    add(
      'already applied',
      'the fix is already on the target',
      base,
      [{ 'core.c': fixed }],
      single({ 'core.c': fixed }),
    );
    add(
      'already applied',
      'the fix is there and the target moved on',
      base,
      [{ 'core.c': fixed }, { 'core.c': join(modify(modify(lines, 12, 1, 'fix'), 25, 1, 'later')) }],
      single({ 'core.c': fixed }),
    );
  }

  for (let v = 0; v < 4; v++) {
    const lines = codeText(rng, 30, `g${v}`);
    const base = { 'main.c': join(lines), 'feature.c': 'feature\n', 'other.c': 'other\n' };
    add('merge commit', 'mainline 1 picks the feature side', base, [{ 'other.c': 'other changed\n' }], {
      kind: 'merge',
      mainlineChange: { 'main.c': join(modify(lines, 2, 1, 'ml')) },
      featureChange: { 'feature.c': 'feature v2\n', 'main.c': null },
      mainline: 1,
    });
    add('merge commit', 'mainline 1 conflicts with the target', base, [{ 'feature.c': 'target edit\n' }], {
      kind: 'merge',
      mainlineChange: { 'main.c': join(modify(lines, 2, 1, 'ml')) },
      featureChange: { 'feature.c': 'feature v2\n' },
      mainline: 1,
    });
    add('merge commit', 'mainline 2 picks the mainline side', base, [{ 'other.c': 'other changed\n' }], {
      kind: 'merge',
      mainlineChange: { 'main.c': join(modify(lines, 20, 1, 'ml')) },
      featureChange: { 'feature.c': 'feature v2\n' },
      mainline: 2,
    });
  }

  for (let v = 0; v < 4; v++) {
    const lines = codeText(rng, 40, `s${v}`);
    const base = { 'a.c': join(lines), 'b.c': 'b\n' };
    const c1 = join(modify(lines, 5, 1, 'one'));
    const c2 = join(modify(modify(lines, 5, 1, 'one'), 30, 1, 'two'));
    add('series', 'two commits apply in order', base, [{ 'b.c': 'b2\n' }], {
      kind: 'series',
      changes: [{ 'a.c': c1 }, { 'a.c': c2 }],
    });
    add('series', 'second commit conflicts', base, [{ 'a.c': join(modify(lines, 30, 1, 'o')) }], {
      kind: 'series',
      changes: [{ 'a.c': c1 }, { 'a.c': c2 }],
    });
    add('series', 'first already applied, second applies', base, [{ 'a.c': c1 }], {
      kind: 'series',
      changes: [{ 'a.c': c1 }, { 'a.c': c2 }],
    });
  }

  // Random multi-file scenarios: several files, edits on both sides anywhere.
  for (let v = 0; v < 70; v++) out.push(randomScenario(rng, v));
  return out;
}

function randomScenario(rng: Random, v: number): Scenario {
  const base: Files = {};
  const contents = new Map<string, string[]>();
  const fileCount = 2 + rng.int(5);
  for (let k = 0; k < fileCount; k++) {
    const path = `${rng.pick(['src', 'lib', 'test', 'src/sub'])}/file${k}.c`;
    const lines = codeText(rng, 10 + rng.int(50), `q${v}_${k}`);
    contents.set(path, lines);
    base[path] = join(lines);
  }
  const ours: Files = {};
  const theirs: Files = {};
  for (const [path, lines] of contents) {
    const roll = rng.int(10);
    const n = lines.length;
    if (roll < 3) ours[path] = join(randomEdit(rng, lines, 0, n, 'o'));
    if (roll >= 2 && roll < 7) theirs[path] = join(randomEdit(rng, lines, 0, n, 't'));
    if (roll === 7)
      theirs[path] = join(randomEdit(rng, randomEdit(rng, lines, 0, n / 2, 't'), n / 2, n, 'u'));
    if (roll === 8 && rng.chance(0.5)) ours[path] = null;
    if (roll === 9) {
      ours[path] = join(randomEdit(rng, lines, 0, n / 2, 'o'));
      theirs[path] = join(randomEdit(rng, lines, n / 2, n, 't'));
    }
  }
  if (Object.keys(theirs).length === 0) theirs[`new${v}.txt`] = 'new\n';
  if (rng.chance(0.2)) {
    const [path, lines] = [...contents][0]!;
    if (ours[path] === undefined && theirs[path] === undefined) {
      ours[path] = null;
      ours[path.replace(/file/, 'renamed')] = join(lines);
      theirs[path] = join(remove(lines, 0, 1));
    }
  }
  return {
    category: 'random',
    description: `random mix ${v}`,
    base,
    target: [ours],
    pick: { kind: 'single', change: theirs },
  };
}
