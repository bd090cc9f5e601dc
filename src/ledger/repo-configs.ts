import { errorForLog } from '../errors.js';
import { ledgerConfig, type LedgerConfig } from './ledger-config.js';
import type { LedgerLogger, RepoConnection } from './ledger-ports.js';

/**
 * Each repository's configuration as the ledger reads it, cached until the next reload. A
 * configuration that cannot be used leaves the view on the defaults: the backport pipeline
 * reports the problem on the PR, the release managers' view keeps working.
 */
export class RepoConfigs {
  private readonly cache = new Map<string, LedgerConfig>();

  constructor(
    private readonly connect: (repo: string) => Promise<RepoConnection>,
    private readonly log: LedgerLogger,
  ) {}

  /** The cached configuration, read on first use. */
  async get(repo: string): Promise<LedgerConfig> {
    const cached = this.cache.get(repo);
    if (cached) return cached;
    try {
      return await this.reload(repo, await this.connect(repo));
    } catch (err) {
      this.log.warn({ repo, err: errorForLog(err) }, 'configuration could not be read; using defaults');
      return ledgerConfig(null);
    }
  }

  /** Reads the configuration again (every debounced update does, to notice edits). */
  async reload(repo: string, conn: RepoConnection): Promise<LedgerConfig> {
    let config: LedgerConfig;
    try {
      config = ledgerConfig(await conn.readConfig());
    } catch (err) {
      // Unreadable YAML: the pipeline reports it on the PR; the view keeps to the defaults.
      config = { ...ledgerConfig(null), problem: errorForLog(err).message ?? 'unreadable' };
    }
    if (config.problem) this.log.warn({ repo, problem: config.problem }, 'configuration not usable');
    this.cache.set(repo, config);
    return config;
  }

  forget(repo: string): void {
    this.cache.delete(repo);
  }
}
