import { describe, expect, it } from '@jest/globals';
import { checkWebhookSecret } from '../src/app-settings.js';
import { isBackportError } from '../src/errors.js';
import backportApp from '../src/index.js';
import type { Probot } from 'probot';

function refusal(env: NodeJS.ProcessEnv): unknown {
  try {
    checkWebhookSecret(env);
  } catch (err) {
    return err;
  }
  return undefined;
}

describe('the webhook secret (defect h)', () => {
  it('refuses to start without WEBHOOK_SECRET, naming the setting', () => {
    const err = refusal({});
    expect(isBackportError(err, 'bad-argument') && err.data).toEqual({ setting: 'WEBHOOK_SECRET' });
    expect((err as Error).message).toMatch(/WEBHOOK_SECRET/);
  });

  it("refuses Probot's well-known development secret outside development mode", () => {
    expect(isBackportError(refusal({ WEBHOOK_SECRET: 'development' }), 'bad-argument')).toBe(true);
  });

  it('starts with a secret, or without one in the explicit development mode', () => {
    expect(refusal({ WEBHOOK_SECRET: 'a long random secret' })).toBeUndefined();
    expect(refusal({ BACKPORT_DEVELOPMENT: 'true' })).toBeUndefined();
    expect(isBackportError(refusal({ BACKPORT_DEVELOPMENT: 'yes please' }), 'bad-argument')).toBe(true);
  });
});

describe('the app as `probot run` loads it', () => {
  it('will not start without WEBHOOK_SECRET', () => {
    const saved = { secret: process.env.WEBHOOK_SECRET, dev: process.env.BACKPORT_DEVELOPMENT };
    delete process.env.WEBHOOK_SECRET;
    delete process.env.BACKPORT_DEVELOPMENT;
    try {
      expect(() => backportApp({} as Probot)).toThrow(/WEBHOOK_SECRET is not set/);
    } finally {
      if (saved.secret !== undefined) process.env.WEBHOOK_SECRET = saved.secret;
      if (saved.dev !== undefined) process.env.BACKPORT_DEVELOPMENT = saved.dev;
    }
  });
});
