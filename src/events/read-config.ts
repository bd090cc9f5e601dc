import type { Context, Probot } from 'probot';

type Octokit = Awaited<ReturnType<Probot['auth']>>;

/**
 * Reads `.github/backport.yml` through Probot, without defaults: Probot would deep-merge
 * them and concatenate lists; the config parser applies the defaults itself. A file that is
 * not valid YAML becomes an error message for the PR (saying where, as the YAML parser does),
 * not a crash. Failing to reach GitHub is not a broken file: that error is thrown on.
 */
export async function readConfig(context: Context): Promise<{ rawConfig: unknown; configError?: string }> {
  const { owner, repo } = context.repo();
  return readConfigWith(context.octokit as Octokit, owner, repo);
}

/** The same, with an installation's client (a job resumed or queued outside a webhook). */
export async function readConfigWith(
  octokit: Octokit,
  owner: string,
  repo: string,
): Promise<{ rawConfig: unknown; configError?: string }> {
  try {
    // As context.config does it without defaults: null when no file has any content.
    const { config, files } = await octokit.config.get({ owner, repo, path: '.github/backport.yml' });
    return { rawConfig: files.some((f) => f.config !== null) ? config : null };
  } catch (err) {
    const problem = unusableFile(err);
    if (problem === undefined) throw err;
    return { rawConfig: null, configError: `\`.github/backport.yml\` ${problem}` };
  }
}

/**
 * Probot's config plugin words its errors around the API URL; say instead what is wrong with
 * the file. Undefined for errors that are not about the file's content.
 */
function unusableFile(err: unknown): string | undefined {
  const message = (err as Error | undefined)?.message ?? '';
  if (!message.startsWith('[@probot/octokit-plugin-config]')) return undefined;
  if (message.includes('(invalid YAML)')) {
    const cause = (err as { cause?: { message?: unknown } }).cause?.message;
    const where = typeof cause === 'string' ? cause.split('\n')[0]!.replace(/:$/, '') : '';
    return `is not valid YAML${where ? `: ${where}` : ''}`;
  }
  if (message.includes('(YAML is not an object)')) return 'must be a mapping of keys to values';
  if (message.includes('is either a directory or a submodule')) return 'is a directory, not a file';
  return 'could not be read';
}
