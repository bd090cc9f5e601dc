import type { Random } from '../support/random.js';
import { type AddScenario, type Files, join, single } from './scenario-types.js';
import { codeText, insert, modify } from './text-tools.js';

/** File renames on either side or both, then whole-directory renames. */
export function renameScenarios(rng: Random, add: AddScenario): void {
  fileRenames(rng, add);
  directoryRenames(rng, add);
  copiedDirectoryTies(add);
}

/**
 * A directory renamed and copied, so two files with the same name are equally good rename
 * destinations: git breaks the tie by the order its merge walks the trees. These use no
 * random draws, so the scenarios generated after them stay the same.
 */
function copiedDirectoryTies(add: AddScenario): void {
  const lines = Array.from({ length: 30 }, (_, i) => `line ${i + 1} of the test file\n`);
  const edit = (n: number) => join(modify(lines, n, 1, `e${n}`));
  const layouts: Array<{ source: string; copies: string[] }> = [
    { source: 'a', copies: ['b', 'c'] },
    { source: 'a', copies: ['z', 'b'] },
    { source: 'a', copies: ['aa', 'zz'] },
    { source: 'a', copies: ['a2', 'b'] },
    { source: 'a', copies: ['b', 'bb'] },
    { source: 'a', copies: ['b', 'c', 'd', 'e', 'f'] },
    { source: 'a', copies: ['p', 'p/b'] },
    { source: 'a', copies: ['p/q', 'p/r', 'p'] },
    { source: 'a', copies: ['b/q', 'c'] },
    { source: 'a', copies: ['', 'b'] },
    { source: 's/a', copies: ['s/b', 's/c'] },
    { source: 's/a', copies: ['b', 's/c'] },
    { source: 's/a', copies: ['s/b', 't'] },
    // Names beyond ASCII: git hashes a directory's bytes as they are, not re-encoded.
    { source: 'a', copies: ['ça', 'ü'] },
    { source: 'a', copies: ['ö', 'über'] },
  ];
  for (const { source, copies } of layouts) {
    const at = (dir: string, name: string) => (dir === '' ? name : `${dir}/${name}`);
    const base: Files = { [at(source, 'x_test.go')]: join(lines), [at(source, 'y.go')]: 'package y\n' };
    const copied = (contents: (k: number) => string): Files => {
      const files: Files = { [at(source, 'x_test.go')]: null, [at(source, 'y.go')]: null };
      copies.forEach((dir, k) => {
        files[at(dir, 'x_test.go')] = contents(k);
        files[at(dir, 'y.go')] = 'package y\n';
      });
      return files;
    };
    const upstream = { [at(source, 'x_test.go')]: edit(20) };
    const label = `${source}/ renamed and copied to ${copies.map((c) => c || '.').join(', ')}`;
    add('rename tie', `${label}: identical copies`, base, [copied(() => join(lines))], single(upstream));
    add(
      'rename tie',
      `${label}: copies edited apart, equal scores`,
      base,
      [copied((k) => edit(3 + k))],
      single(upstream),
    );
    add('rename tie', `${label}: copies edited alike`, base, [copied(() => edit(3))], single(upstream));
    add(
      'rename tie',
      `${label}: only the last copy identical`,
      base,
      [copied((k) => (k === copies.length - 1 ? join(lines) : edit(5)))],
      single(upstream),
    );
    add(
      'rename tie',
      `${label}: by the commit, target edited the file`,
      base,
      [upstream],
      single(copied(() => join(lines))),
    );
  }
}

/** A file renamed by the target, by the commit, or by both. */
function fileRenames(rng: Random, add: AddScenario): void {
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
}

/** A directory renamed by one side while the other adds or edits files in it. */
function directoryRenames(rng: Random, add: AddScenario): void {
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
}
