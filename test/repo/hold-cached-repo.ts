/**
 * Another process using a shared cache directory: opens one repository, prints its gitdir,
 * and holds it until its stdin ends. Used by repo-cache.test.ts.
 * Usage: node --import tsx test/repo/hold-cached-repo.ts <cache root> <owner> <repo>
 */
import { RepoCache } from '../../src/repo/repo-cache.js';

const [root, owner, repo] = process.argv.slice(2) as [string, string, string];
const local = await new RepoCache(root).open(owner, repo);
process.stdout.write(`${local.gitdir}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void local.release().then(() => process.exit(0));
});
