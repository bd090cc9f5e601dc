/**
 * The demo's built-in repository: a small rate-limiting library with two release lines.
 * `v2.0` was cut after the clock was made injectable, so the fix applies there as is;
 * `v1.4` still reads `Date.now()` in the lines the fix changes, so that backport needs a
 * person, and the conflict issue has real code to show.
 */
import type { GitHubSim } from '../../tools/github-sim/index.js';
import type { DemoPull } from './demo-pull.js';

export const SAMPLE_REPO = 'acme/ratelimit';

/**
 * When the sample's history starts on GitHub's scripted clock: the library in March 2024,
 * 1.4 in June, 2.0 in October, and the demo's fix merged on Monday 6 January 2025. Fixed
 * dates give the same commits, pull requests and dashboard on every run.
 */
export const SAMPLE_START = '2024-03-04T10:00:00Z';

export const README = `# ratelimit

A token bucket for Node.js services.

\`\`\`ts
const bucket = new TokenBucket(10, 5); // 10 tokens, 5 per second
if (!bucket.take()) throw new TooManyRequests(bucket.waitTime());
\`\`\`
`;

const packageJson = (version: string) =>
  `${JSON.stringify({ name: '@acme/ratelimit', version, type: 'module', main: 'lib/index.js' }, null, 2)}\n`;

const INDEX = `export { TokenBucket } from './token-bucket.js';\n`;

/** The 1.x bucket: wall-clock time, read where it is needed. */
const BUCKET_V1 = `/**
 * A token bucket: holds up to \`capacity\` tokens and gains \`ratePerSecond\` of them every
 * second. Callers take tokens before doing rate-limited work.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly capacity: number,
    private readonly ratePerSecond: number,
  ) {
    this.tokens = capacity;
    this.last = Date.now();
  }

  /** Takes \`n\` tokens if there are enough; returns whether it did. */
  take(n = 1): boolean {
    this.refill();
    if (this.tokens < n) return false;
    this.tokens -= n;
    return true;
  }

  /** Milliseconds until \`n\` tokens are available. */
  waitTime(n = 1): number {
    this.refill();
    if (this.tokens >= n) return 0;
    return Math.ceil(((n - this.tokens) / this.ratePerSecond) * 1000);
  }

  private refill(): void {
    const now = Date.now();
    const elapsed = (now - this.last) / 1000;
    this.tokens = Math.min(this.capacity, this.tokens + elapsed * this.ratePerSecond);
    this.last = now;
  }
}
`;

/** 2.x: the clock is injected, so tests can move time. */
const bucketV2 = (refill: string) => `/** Where the bucket reads the time, in milliseconds. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => performance.now() };

/**
 * A token bucket: holds up to \`capacity\` tokens and gains \`ratePerSecond\` of them every
 * second. Callers take tokens before doing rate-limited work.
 */
export class TokenBucket {
  private tokens: number;
  private lastRefill: number;

  constructor(
    private readonly capacity: number,
    private readonly ratePerSecond: number,
    private readonly clock: Clock = systemClock,
  ) {
    this.tokens = capacity;
    this.lastRefill = clock.now();
  }

  /** Takes \`n\` tokens if there are enough; returns whether it did. */
  take(n = 1): boolean {
    this.refill();
    if (this.tokens < n) return false;
    this.tokens -= n;
    return true;
  }

  /** Milliseconds until \`n\` tokens are available. */
  waitTime(n = 1): number {
    this.refill();
    if (this.tokens >= n) return 0;
    return Math.ceil(((n - this.tokens) / this.ratePerSecond) * 1000);
  }

  private refill(): void {
${refill}  }
}
`;

const REFILL_V2 = `    const now = this.clock.now();
    const elapsedSeconds = (now - this.lastRefill) / 1000;
    this.tokens = Math.min(this.capacity, this.tokens + elapsedSeconds * this.ratePerSecond);
    this.lastRefill = now;
`;

const REFILL_FIXED = `    const now = this.clock.now();
    // A clock that steps back (NTP, a resumed VM) must not take tokens away.
    const elapsedSeconds = Math.max(0, now - this.lastRefill) / 1000;
    this.tokens = Math.min(this.capacity, this.tokens + elapsedSeconds * this.ratePerSecond);
    this.lastRefill = Math.max(now, this.lastRefill);
`;

const CLOCK_TEST = `import { TokenBucket, type Clock } from '../src/token-bucket.js';

test('a clock that steps back does not drain the bucket', () => {
  let t = 10_000;
  const clock: Clock = { now: () => t };
  const bucket = new TokenBucket(10, 1, clock);
  expect(bucket.take(5)).toBe(true);
  t -= 60_000;
  expect(bucket.take(5)).toBe(true);
});
`;

/** Builds the repository in the simulator and pushes the fix branch; returns the PR to open. */
export async function buildSampleRepo(sim: GitHubSim): Promise<DemoPull> {
  const [owner, name] = SAMPLE_REPO.split('/') as [string, string];
  await sim.createRepo({ owner, name });
  const commit = (branch: string, files: Record<string, string>, message: string, author: string) =>
    sim.commitFiles(SAMPLE_REPO, { branch, files, message, author });

  await commit(
    'main',
    {
      'README.md': README,
      // The supported release lines, for the release managers' view.
      '.github/backport.yml': 'branches: [v2.0, v1.4]\n',
      'package.json': packageJson('1.4.0'),
      'src/index.ts': INDEX,
      'src/token-bucket.ts': BUCKET_V1,
    },
    'Token bucket rate limiter',
    'alice',
  );
  sim.setTime('2024-06-10T14:00:00Z');
  await sim.createBranch(SAMPLE_REPO, 'v1.4', 'main');
  await commit('v1.4', { 'package.json': packageJson('1.4.1') }, 'Release 1.4.1', 'maint');
  sim.setTime('2024-10-01T09:00:00Z');
  await commit(
    'main',
    { 'src/token-bucket.ts': bucketV2(REFILL_V2), 'src/index.ts': `export * from './token-bucket.js';\n` },
    'Inject the clock into TokenBucket',
    'bob',
  );
  sim.setTime('2024-10-15T11:00:00Z');
  await commit('main', { 'package.json': packageJson('2.0.0') }, 'Release 2.0.0', 'maint');
  await sim.createBranch(SAMPLE_REPO, 'v2.0', 'main');
  sim.setTime('2024-11-05T16:00:00Z');
  await commit(
    'main',
    { 'README.md': `${README}\nWorks with any \`Clock\`.\n` },
    'Document the clock',
    'bob',
  );

  sim.setTime('2025-01-03T15:00:00Z');
  await commit(
    'fix-clock-step-back',
    { 'src/token-bucket.ts': bucketV2(REFILL_FIXED), 'test/clock-step-back.test.ts': CLOCK_TEST },
    "Don't drain the bucket when the clock steps back",
    'alice',
  );
  sim.addCollaborator(SAMPLE_REPO, 'alice', 'write');
  sim.addCollaborator(SAMPLE_REPO, 'bob', 'write');
  return {
    repo: SAMPLE_REPO,
    head: 'fix-clock-step-back',
    base: 'main',
    title: "Don't drain the bucket when the clock steps back",
    body: 'When the system clock steps back, `refill()` computed a negative elapsed time and removed tokens.',
    author: 'alice',
    targets: ['v2.0', 'v1.4'],
    openedAt: '2025-01-03T16:00:00Z',
    mergedAt: '2025-01-06T10:00:00Z',
    notes: [
      'built-in sample acme/ratelimit: v2.0 has the injected clock (clean backport), ' +
        'v1.4 still reads Date.now() where the fix lands (conflict)',
    ],
  };
}
