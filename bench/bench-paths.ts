import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root (one level above this file). */
export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Everything the benchmarks generate lives here, git-ignored. */
export const benchCacheDir = join(projectRoot, '.cache', 'bench');
