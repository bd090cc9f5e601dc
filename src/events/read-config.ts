import type { Context, Probot } from 'probot';
import yaml from 'yaml';

type Octokit = Awaited<ReturnType<Probot['auth']>>;

const PATH = '.github/backport.yml';

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

/**
 * Whether a repository had its own file when last read (this process): if not, the owner's
 * `.github` repository is read beside it next time, not after it. Only a guess: a wrong one
 * costs one read to spare, or one read after the other, as Probot's plugin always does.
 */
const hadOwnFile = new Map<string, boolean>();

/**
 * The same, with an installation's client (a job resumed or queued outside a webhook).
 *
 * Read as Probot's config plugin reads it (the repository's file, else the one in the
 * owner's `.github` repository), but the two reads side by side when the repository is not
 * known to have its own: one after the other they were two round trips before the job knew
 * its targets. A file with `_extends` is read again through the plugin, which follows it.
 */
export async function readConfigWith(
  octokit: Octokit,
  owner: string,
  repo: string,
): Promise<{ rawConfig: unknown; configError?: string }> {
  const key = `${owner}/${repo}`.toLowerCase();
  try {
    const own = configFile(octokit, owner, repo);
    const shared =
      repo !== '.github' && !hadOwnFile.get(key) ? configFile(octokit, owner, '.github') : undefined;
    shared?.catch(() => undefined);
    const mine = await own;
    hadOwnFile.set(key, mine !== null);
    const file =
      mine ?? (repo === '.github' ? null : await (shared ?? configFile(octokit, owner, '.github')));
    if (file !== null && '_extends' in file) return await throughPlugin(octokit, owner, repo);
    return { rawConfig: file };
  } catch (err) {
    const problem = unusableFile(err);
    if (problem === undefined) throw err;
    return { rawConfig: null, configError: `\`${PATH}\` ${problem}` };
  }
}

/** The plugin's own reading, which follows `_extends` to other repositories and files. */
async function throughPlugin(
  octokit: Octokit,
  owner: string,
  repo: string,
): Promise<{ rawConfig: unknown; configError?: string }> {
  // As context.config does it without defaults: null when no file has any content.
  const { config, files } = await octokit.config.get({ owner, repo, path: PATH });
  return { rawConfig: files.some((f) => f.config !== null) ? config : null };
}

/**
 * One repository's file as the plugin reads it: null when absent, `{}` when empty; a
 * directory, invalid YAML or a bare string fail with the plugin's messages (`unusableFile`).
 */
async function configFile(
  octokit: Octokit,
  owner: string,
  repo: string,
): Promise<Record<string, unknown> | null> {
  const url = `/repos/${owner}/${repo}/contents/${PATH}`;
  let data: unknown;
  let headers: Record<string, unknown>;
  try {
    ({ data, headers } = await octokit.request('GET /repos/{owner}/{repo}/contents/{path}', {
      owner,
      repo,
      path: PATH,
      mediaType: { format: 'raw' },
    }));
  } catch (err) {
    if ((err as { status?: unknown }).status === 404) return null;
    throw err;
  }
  if (headers['content-type'] === 'application/json; charset=utf-8') {
    throw new Error(`${PLUGIN} ${url} exists, but is either a directory or a submodule. Ignoring.`);
  }
  let config: unknown;
  try {
    config = yaml.parse(String(data), { logLevel: 'error' }) || {};
  } catch (error) {
    throw new Error(`${PLUGIN} Configuration could not be parsed from ${url} (invalid YAML)`, {
      cause: error,
    });
  }
  if (typeof config === 'string') {
    throw new Error(`${PLUGIN} Configuration could not be parsed from ${url} (YAML is not an object)`);
  }
  return config as Record<string, unknown>;
}

/** The plugin's prefix: its errors and ours read the same to `unusableFile`. */
const PLUGIN = '[@probot/octokit-plugin-config]';

/**
 * Probot's config plugin words its errors around the API URL; say instead what is wrong with
 * the file. Undefined for errors that are not about the file's content.
 */
function unusableFile(err: unknown): string | undefined {
  const message = (err as Error | undefined)?.message ?? '';
  if (!message.startsWith(PLUGIN)) return undefined;
  if (message.includes('(invalid YAML)')) {
    const cause = (err as { cause?: { message?: unknown } }).cause?.message;
    const where = typeof cause === 'string' ? cause.split('\n')[0]!.replace(/:$/, '') : '';
    return `is not valid YAML${where ? `: ${where}` : ''}`;
  }
  if (message.includes('(YAML is not an object)')) return 'must be a mapping of keys to values';
  if (message.includes('is either a directory or a submodule')) return 'is a directory, not a file';
  return 'could not be read';
}
