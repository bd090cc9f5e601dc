import type { Random } from '../support/random.js';
import { type AddScenario, join, single } from './scenario-types.js';
import { codeText, crlf, modify } from './text-tools.js';

/** CRLF files, files without a final newline, and empty files. */
export function textShapeScenarios(rng: Random, add: AddScenario): void {
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
}
