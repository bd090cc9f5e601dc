import { Probot } from 'probot';
import { BackportOctokit } from '../../src/events/backport-octokit.js';
import type { GitHubSim } from '../../tools/github-sim/index.js';

/**
 * A Probot instance for the simulated GitHub, with the app's own Octokit (the one production
 * starts with, so requests are retried exactly as there) but for two things: its log lines
 * are kept in memory (tests look for leaked tokens and errors), and Probot's write pacing
 * (3 s between notifying writes, GitHub etiquette rather than behaviour; it never retries
 * in the app's Octokit) is off.
 */
export function testProbot(sim: GitHubSim, logs: string[], request?: { fetch: typeof fetch }): Probot {
  const Octokit = BackportOctokit.defaults((o: Record<string, unknown>) => ({
    ...o,
    throttle: { ...(o.throttle as object), enabled: false },
  }));
  return new Probot({
    appId: sim.appId,
    privateKey: sim.privateKey,
    secret: sim.webhookSecret,
    baseUrl: sim.apiUrl,
    Octokit,
    log: captureLogger(logs),
    ...(request ? { request } : {}),
  });
}

/** A pino-compatible logger that keeps every line in memory, as JSON. */
function captureLogger(lines: string[]) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const make = (bindings: Record<string, unknown>): any => {
    const write = (level: string) => (obj: unknown, msg?: string) => {
      lines.push(
        safeStringify({
          level,
          ...bindings,
          ...(typeof obj === 'object' && obj !== null ? serializable(obj) : { msg: obj }),
          ...(msg ? { msg } : {}),
        }),
      );
    };
    return {
      level: 'trace',
      trace: write('trace'),
      debug: write('debug'),
      info: write('info'),
      warn: write('warn'),
      error: write('error'),
      fatal: write('fatal'),
      child: (more: Record<string, unknown>) => make({ ...bindings, ...more }),
    };
  };
  return make({});
}

/** Errors logged as objects keep their message and stack, as pino's serializer would write them. */
function serializable(obj: unknown): Record<string, unknown> {
  if (obj instanceof Error) return { err: { ...obj, message: obj.message, stack: obj.stack } };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
    out[k] = v instanceof Error ? { ...v, message: v.message, stack: v.stack } : v;
  }
  return out;
}

/** JSON with cycles cut, as pino's own serializer does (errors carry their request and response). */
function safeStringify(value: unknown): string {
  const seen = new WeakSet<object>();
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'object' && v !== null) {
      if (seen.has(v)) return '[Circular]';
      seen.add(v);
    }
    return typeof v === 'bigint' ? String(v) : v;
  });
}
