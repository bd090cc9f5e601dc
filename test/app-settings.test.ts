import { describe, expect, it } from '@jest/globals';
import { readSettings } from '../src/app-settings.js';
import { isBackportError } from '../src/errors.js';

function refusal(env: NodeJS.ProcessEnv): unknown {
  try {
    readSettings(env);
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
