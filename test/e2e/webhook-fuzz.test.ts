import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { fuzzOptions } from '../support/fuzz.js';
import { startHarness, type Harness } from './app-harness.js';
import { backportPulls, fix, lines, makeRepo, mergedPull } from './world.js';

type Json = Record<string, unknown>;

/** Replaces, at a path of the payload, a value by any JSON value (or removes it). */
function mutate(payload: Json, path: string[], replacement: unknown, remove: boolean): Json {
  const copy = structuredClone(payload);
  let at: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) {
    const next = at[key];
    if (typeof next !== 'object' || next === null) return copy;
    at = next as Record<string, unknown>;
  }
  const last = path[path.length - 1]!;
  if (remove) delete at[last];
  else at[last] = replacement;
  return copy;
}

const PATHS = [
  ['action'],
  ['label'],
  ['label', 'name'],
  ['pull_request'],
  ['pull_request', 'number'],
  ['pull_request', 'merged'],
  ['pull_request', 'labels'],
  ['repository'],
  ['repository', 'name'],
  ['repository', 'owner', 'login'],
  ['repository', 'clone_url'],
  ['sender'],
  ['sender', 'login'],
  ['installation', 'id'],
  ['comment', 'body'],
  ['issue', 'pull_request'],
];

/** Signed webhooks with damaged payloads: the app answers each, and keeps working. */
describe('webhook payloads under fuzzing', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.stop());

  it('no damaged payload crashes the app or stops the next backport', async () => {
    const repo = await makeRepo(h.sim, 'fuzzed', {
      files: { 'src/calc.c': lines(20) },
      branches: { 'v1.2': null },
    });
    const { number } = await mergedPull(h.sim, repo, fix(['backport-to: v1.2']));
    await h.idle();
    await h.sim.comment(repo, number, '/backport v1.2', 'maint');
    await h.idle();
    const genuine = h.sim.webhooks.deliveries
      .filter((d) => d.event === 'pull_request' || d.event === 'issue_comment')
      .map((d) => ({ event: d.event, payload: JSON.parse(d.body) as Json }));
    expect(genuine.length).toBeGreaterThan(1);

    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...genuine),
        fc.array(fc.tuple(fc.constantFrom(...PATHS), fc.jsonValue({ maxDepth: 2 }), fc.boolean()), {
          minLength: 1,
          maxLength: 3,
        }),
        async ({ event, payload }, edits) => {
          let damaged = payload;
          for (const [path, value, remove] of edits) damaged = mutate(damaged, path, value, remove);
          const delivery = await h.sim.webhooks.deliver(event, damaged);
          await h.idle();
          expect(delivery.error).toBeUndefined();
          expect(typeof delivery.status).toBe('number');
        },
      ),
      fuzzOptions(25),
    );

    // The app still works afterwards.
    const next = await makeRepo(h.sim, 'after-fuzz', {
      files: { 'src/calc.c': lines(20) },
      branches: { 'v1.2': null },
    });
    await mergedPull(h.sim, next, fix(['backport-to: v1.2']));
    await h.idle();
    expect(backportPulls(h.sim, next, 'v1.2')).toHaveLength(1);
    expect(backportPulls(h.sim, repo, 'v1.2')).toHaveLength(1);
  }, 120_000);
});
