/** Rounds at most: each brings at least the wanted trees no other wanted tree contains. */
const MAX_ROUNDS = 8;

/**
 * Fetches the absent ones of `oids` with `fetch` (one request, `filter tree:0`), then again
 * those still absent, while each round brings some. git answers `tree:0` with exactly the
 * objects wanted, except a wanted tree that is an entry of a tree wanted before it (seen
 * there first, at depth 1, and left out as the filter says); the next round asks for it
 * alone. Callers order wants children first where they can, so one round is the rule.
 */
export async function fetchExactly(
  oids: readonly string[],
  /** The ones of a batch not yet here (one look at the packs per batch, not per id). */
  absentOf: (oids: readonly string[]) => string[],
  fetch: (wants: string[]) => Promise<void>,
): Promise<void> {
  let absent = absentOf(oids);
  for (let round = 0; round < MAX_ROUNDS && absent.length > 0; round++) {
    await fetch(absent);
    const still = absentOf(absent);
    // Nothing came: the server will not send them; whoever reads them says what is missing.
    if (still.length === absent.length) return;
    absent = still;
  }
}
