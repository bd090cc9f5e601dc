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
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Bundles the CLI into `outdir`; returns the entry's path. */
export async function bundleCli(outdir = join(root, 'lib', 'bin')) {
  // Chunks are named by their content's hash: the last build's would stay beside the new ones.
  rmSync(join(outdir, 'chunks'), { recursive: true, force: true });
  const { outputFiles } = await build({
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
    // no `require`, so the files that use one get it (see withoutUnusedRequire).
    banner: { js: REQUIRE },
    // Minified: node parses every loaded file whole before running it (and each function again
    // when it is first called), and a fresh pick has no compile cache to skip that; half the
    // bytes, whitespace, comments and long local names gone, is that much less to scan. The
    // source map gives the original names and lines (node --enable-source-maps).
    minify: true,
    sourcemap: true,
    logLevel: 'warning',
    write: false,
  });
  for (const file of outputFiles) {
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileSync(file.path, file.path.endsWith('.mjs') ? withoutUnusedRequire(file.text) : file.contents);
  }
  return join(outdir, 'backport-assistant.mjs');
}

const REQUIRE =
  "import { createRequire as __bpaRequire } from 'node:module'; const require = __bpaRequire(import.meta.url);";

/**
 * The banner's `require` is dropped from a file whose code never names `require` (esbuild's
 * helper for bundled CommonJS code lives in one shared chunk): each one made a Module object
 * and imported node:module in every chunk a pick loads. It leaves an empty line, so the
 * source map's lines still match.
 */
function withoutUnusedRequire(text) {
  const at = text.indexOf(REQUIRE);
  if (at < 0) return text;
  const rest = text.slice(0, at) + text.slice(at + REQUIRE.length);
  return /\brequire\b/.test(rest) ? text : rest;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await bundleCli(process.argv[2]);
}
