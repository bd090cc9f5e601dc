/** Distribution figures for a list of timings (milliseconds) or sizes. */
export interface Summary {
  n: number;
  median: number;
  p90: number;
  min: number;
  max: number;
}

/** Nearest-rank percentiles: with ~30 samples, interpolating would invent precision. */
export function summarize(values: readonly number[]): Summary | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] as number;
  return {
    n: sorted.length,
    median: rank(0.5),
    p90: rank(0.9),
    min: sorted[0] as number,
    max: sorted[sorted.length - 1] as number,
  };
}
