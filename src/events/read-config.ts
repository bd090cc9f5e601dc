import type { Context } from 'probot';

/**
 * Reads `.github/backport.yml` through Probot, without defaults: Probot would deep-merge
 * them and concatenate lists; the config parser applies the defaults itself. A file that is
 * not valid YAML becomes an error message for the PR, not a crash.
 */
export async function readConfig(context: Context): Promise<{ rawConfig: unknown; configError?: string }> {
  try {
    return { rawConfig: await context.config('backport.yml') };
  } catch (err) {
    const message = (err as Error).message.split('\n')[0] ?? 'unreadable';
    return { rawConfig: null, configError: `.github/backport.yml is not valid YAML: ${message}` };
  }
}
