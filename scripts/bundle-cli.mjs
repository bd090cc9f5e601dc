#!/usr/bin/env node
/**
 * The command line as a few files instead of some sixty modules, in `lib/bin/`:
 * - `backport-assistant.cjs`, the package's `bin` (src/cli/bin.ts): small, since node
 *   compiles it from its source at every start;
 * - `cli.cjs`, the CLI's own code and the small dependencies it uses (src/cli/main.ts), each
 *   command's modules initialized only when that command runs;
 * - `vendor/<package>.cjs`, each large dependency that only some runs need (isomorphic-git
 *   to write objects and branches, zod and re2js for `status`), loaded at its first use.
 *
 * Each file but the bin is a CommonJS module function, `(function (exports, require,
 * module, __filename, __dirname) { … })`, which the bin compiles with V8's code cache
 * (src/cli/compile-cache.ts): Node 20 has no compile cache of its own (it came in 22.1),
 * and parsing and compiling the CLI's code was about a third of what a first pick's own code
 * cost. CommonJS, not ES modules: V8's code cache is reachable from vm.Script only, and
 * starting node's ES module loader costs a first pick more than the modules it loads.
 *
 * Built from src/ by esbuild: the TypeScript settings (isolatedModules,
 * verbatimModuleSyntax) make its type stripping the same as tsc's output. Run by
 * `npm run build` after tsc; tests bundle into a directory of their own.
 */
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The dependencies kept out of cli.cjs, each in a file of its own: large, and needed by
 * some runs only. A file's size costs every run that loads it (read, checked against its
 * cache, and with no cache parsed whole), so a clean `pick --dry-run` loads none of them.
 */
const SEPARATE = ['isomorphic-git', 'zod', 're2js'];

// What CommonJS gives a module; the files are compiled as this function's body.
const MODULE_FUNCTION = {
  banner: { js: '(function (exports, require, module, __filename, __dirname) {' },
  footer: { js: '})' },
};

/**
 * `import fs from 'node:fs'` becomes `const fs = require('node:fs')` in the bundled files. As
 * an import, esbuild's CommonJS output gives each importing module its own copy of the
 * module's properties (its __toESM helper defines a getter per property, for a `default`
 * beside them): some 25 copies of fs, path, zlib and the like, about 600 KB of the 4 MB a
 * pick allocates, and one of its three garbage collections. A require is the module itself.
 */
const builtinDefaultImports = {
  name: 'builtin-default-imports',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, ({ path }) => ({
      contents: readFileSync(path, 'utf8').replace(
        /^import ([A-Za-z_$][\w$]*) from '(node:[\w/]+)';$/gm,
        "const $1 = require('$2');",
      ),
      loader: 'ts',
    }));
  },
};

const common = {
  absWorkingDir: root,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // Minified: whatever a run compiles without a cache (the first run, or a file whose cache
  // was made for another one) is parsed whole; half the bytes is that much less to scan.
  minify: true,
  logLevel: 'warning',
};

/** Bundles the CLI into `outdir`; returns the bin's path. */
export async function bundleCli(outdir = join(root, 'lib', 'bin')) {
  // Earlier builds' files (the ES module chunks before these) would stay beside the new ones.
  for (const old of [
    'chunks',
    'vendor',
    'cli.cjs',
    'cli.cjs.map',
    'backport-assistant.mjs',
    'backport-assistant.mjs.map',
  ])
    rmSync(join(outdir, old), { recursive: true, force: true });
  await build({
    ...common,
    entryPoints: { 'backport-assistant': 'src/cli/bin.ts' },
    outdir,
    outExtension: { '.js': '.cjs' },
    sourcemap: true,
    plugins: [builtinDefaultImports],
  });
  const separate = new Set();
  await build({
    ...common,
    ...MODULE_FUNCTION,
    entryPoints: { cli: 'src/cli/main.ts' },
    outdir,
    outExtension: { '.js': '.cjs' },
    // import() of the CLI's own modules becomes a call that initializes them (they are in
    // this file), and of a separate dependency a require of its file, which the bin's
    // loader answers: vm.Script has no module loader behind import().
    supported: { 'dynamic-import': false },
    sourcemap: true,
    plugins: [
      builtinDefaultImports,
      {
        name: 'separate-dependencies',
        setup(b) {
          b.onResolve({ filter: /^[^./]/ }, ({ path }) => {
            const name = SEPARATE.find((p) => path === p || path.startsWith(`${p}/`));
            if (name === undefined) return undefined;
            if (path !== name)
              return { errors: [{ text: `${path}: import ${name} itself (it is bundled whole)` }] };
            separate.add(name);
            return { path: `./vendor/${name}.cjs`, external: true };
          });
        },
      },
    ],
  });
  for (const name of separate) {
    await build({
      ...common,
      ...MODULE_FUNCTION,
      stdin: {
        contents: `module.exports = require(${JSON.stringify(name)});`,
        resolveDir: root,
        loader: 'js',
      },
      outfile: join(outdir, 'vendor', `${name}.cjs`),
    });
  }
  return join(outdir, 'backport-assistant.cjs');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await bundleCli(process.argv[2]);
}
