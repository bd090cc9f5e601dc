/**
 * Options for property-based fuzzing with fast-check: a modest number of runs (each fuzz
 * test stays within a few seconds) and a seed that is random unless FUZZ_SEED sets it.
 * fast-check prints the seed and the shrunk counterexample of any failure, so
 * `FUZZ_SEED=<seed> npx jest <file>` replays it.
 */
export function fuzzOptions(numRuns: number): { seed: number; numRuns: number } {
  const fixed = Number(process.env.FUZZ_SEED);
  return { seed: Number.isInteger(fixed) ? fixed : Math.floor(Math.random() * 2 ** 31), numRuns };
}

/**
 * True for the failures a parser may raise on bad input: our own error types with a
 * message. A TypeError, RangeError or the like means the parser tripped over the input.
 */
export function isCleanFailure(err: unknown): boolean {
  if (!(err instanceof Error) || err.message.length === 0) return false;
  return ['Error', 'TransportError', 'BackportError'].includes(err.name);
}
