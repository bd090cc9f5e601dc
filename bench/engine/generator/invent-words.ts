/**
 * The made-up words the generated files are written in, built from syllables so the generator
 * needs no word list and one seed always gives the same vocabulary.
 */
import type { Prng } from './prng.js';

// Kept in rows: prettier would give each syllable a line of its own.
// prettier-ignore
const SYLLABLES = [
  'ka', 'lo', 'mi', 're', 'sa', 'tu', 'ven', 'dor', 'pi', 'nex', 'qua', 'zel', 'bri', 'cor', 'fa',
  'gen', 'hal', 'jo', 'mar', 'no', 'ost', 'pre', 'rin', 'sto', 'tra', 'ul', 'vi', 'wen', 'xa', 'yo',
  'ab', 'el', 'in', 'or', 'ser', 'val', 'ter', 'ish', 'ant', 'ble', 'dex', 'fig', 'lin', 'mod', 'pa',
];

/** `count` distinct words of one to three syllables, at least three letters long. */
export function inventWords(rng: Prng, count: number): string[] {
  const seen = new Set<string>();
  while (seen.size < count) {
    let word = '';
    const parts = rng.range(1, 3);
    for (let i = 0; i < parts; i++) word += rng.pick(SYLLABLES);
    if (word.length >= 3) seen.add(word);
  }
  return [...seen];
}
