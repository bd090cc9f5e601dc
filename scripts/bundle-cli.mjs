#!/usr/bin/env node
/**
 * The command line as a few files instead of some sixty modules: `lib/bin/backport-assistant.mjs`
 * (the package's `bin`) and the chunks it loads. A `pick` in a fresh process spent about a
 * fifth of its CPU time resolving, reading and compiling modules one by one (Node 20 has no
 * compile cache for ES modules; `module.enableCompileCache` came in 22.1). Each command's
 * code stays in a chunk of its own, loaded only when that command runs (see src/cli/main.ts).
 *
 * Built from src/ by esbuild: the TypeScript settings (isolatedModules,
 * verbatimModuleSyntax) make its type stripping the same as tsc's output. Run by
 * `npm run build` after tsc; tests bundle into a directory of their own.
 */
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Bundles the CLI into `outdir`; returns the entry's path. */
export async function bundleCli(outdir = join(root, 'lib', 'bin')) {
  await build({
    absWorkingDir: root,
    entryPoints: { 'backport-assistant': 'src/cli/main.ts' },
    outdir,
    bundle: true,
    // Split at the dynamic imports, so a command loads its own code and no other's.
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // .mjs: ES modules wherever the files are put, with or without a package.json beside them.
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    // Bundled CommonJS dependencies require Node's built-ins (`crypto`, …): an ES module has
    // no `require`, so each file gets one.
    banner: {
      js: "import { createRequire as __bpaRequire } from 'node:module'; const require = __bpaRequire(import.meta.url);",
    },
    sourcemap: true,
    logLevel: 'warning',
  });
  return join(outdir, 'backport-assistant.mjs');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await bundleCli(process.argv[2]);
}
