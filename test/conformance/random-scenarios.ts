import type { Random } from '../support/random.js';
import { join, type Files, type Scenario } from './scenario-types.js';
import { codeText, randomEdit, remove } from './text-tools.js';

/** Random multi-file scenarios: several files, edits on both sides anywhere. */
export function randomScenarios(rng: Random, add: (scenario: Scenario) => void): void {
  for (let v = 0; v < 70; v++) add(randomScenario(rng, v));
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
