import { ProbotOctokit } from 'probot';
import { restFetch } from './rest-fetch.js';

/**
 * The one Octokit of the app, for production (src/index.ts starts Probot with it) and for
 * the tests alike. Probot's throttling stays on (it queues writes, and with REDIS_URL shares
 * the rate limit across instances) but never retries, and plugin-retry is off: every retry
 * is the GitHub client's decision (publish/github-client.ts), which knows that a "create" may
 * have happened despite a 5xx and looks before it writes again. Retried blindly here, a
 * `/backport` reply could be posted twice. Requests go through node's `http` (see
 * rest-fetch.ts) unless the caller gives a fetch of its own.
 */
export const BackportOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  request: {
    ...(options.request as object | undefined),
    fetch: (options.request as { fetch?: unknown } | undefined)?.fetch ?? restFetch,
  },
  retry: { ...(options.retry as object | undefined), enabled: false },
  throttle: {
    ...(options.throttle as object | undefined),
    onRateLimit: () => false,
    onSecondaryRateLimit: () => false,
  },
}));
