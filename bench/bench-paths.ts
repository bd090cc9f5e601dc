import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root (one level above this file). */
export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Everything the benchmarks generate lives here, git-ignored. BENCH_CACHE_DIR moves it out of
 * the checkout, so that several worktrees share one set of generated repositories (the
 * monorepo-sized one takes many minutes to make).
 */
export const benchCacheDir = process.env.BENCH_CACHE_DIR
  ? resolve(process.env.BENCH_CACHE_DIR)
  : join(projectRoot, '.cache', 'bench');
