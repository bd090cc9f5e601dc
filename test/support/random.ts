import { mulberry32 } from '../../tools/github-sim/seeded-random.js';

/**
 * A small seeded PRNG so generated scenarios are the same on every run: the simulator's
 * generator (mulberry32, which its random faults draw from), with helpers for picking.
 */
export class Random {
  readonly next: () => number;

  constructor(seed: number) {
    this.next = mulberry32(seed);
  }

  int(max: number): number {
    return Math.floor(this.next() * max);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}
