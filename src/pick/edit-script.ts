/** One changed region: `countA` lines of `a` from `startA` became `countB` lines of `b` from `startB` (0-based). */
export interface Hunk {
  startA: number;
  countA: number;
  startB: number;
  countB: number;
}

/** Turns the two change maps of a diff into its hunks, in file order. */
export function editScript(changedA: Uint8Array, changedB: Uint8Array): Hunk[] {
  const hunks: Hunk[] = [];
  let i = 0;
  let j = 0;
  const na = changedA.length;
  const nb = changedB.length;
  while (i < na || j < nb) {
    if ((i < na && changedA[i] === 1) || (j < nb && changedB[j] === 1)) {
      const startA = i;
      const startB = j;
      while (i < na && changedA[i] === 1) i++;
      while (j < nb && changedB[j] === 1) j++;
      hunks.push({ startA, countA: i - startA, startB, countB: j - startB });
    } else {
      i++;
      j++;
    }
  }
  return hunks;
}
