import type { Random } from '../support/random.js';
import { type AddScenario, join, single } from './scenario-types.js';
import { codeText, insert, modify } from './text-tools.js';

/** Both sides editing, adding or deleting the same text file, in this order. */
export function contentScenarios(rng: Random, add: AddScenario): void {
  modifyModify(rng, add);
  addAdd(rng, add);
  modifyDelete(rng, add);
}

/** Edits apart, overlapping or touching, and the same edit made on both sides. */
function modifyModify(rng: Random, add: AddScenario): void {
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
}

/** A file added on both sides. */
function addAdd(rng: Random, add: AddScenario): void {
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
}

/** A file deleted on one side or both. */
function modifyDelete(rng: Random, add: AddScenario): void {
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
}
