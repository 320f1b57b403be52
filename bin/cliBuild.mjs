// Where the built CLI is, and whether it is current: `npm run build:cli` (also run
// by npm as `prepare` after `npm install` in a checkout) compiles src/cli and
// src/sim with tsc into dist-cli/, then bundles that into one file
// (scripts/bundle-cli.mjs). Shared by bin/podpath.mjs, the bench and the CLI test.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const builtMain = join(root, 'dist-cli', 'cli', 'main.js');
/** builtMain and everything it imports in one CommonJS file: what bin/podpath.mjs runs when it is current. */
export const builtBundle = join(root, 'dist-cli', 'podpath.cjs');
/**
 * V8's code cache of the bundle (its functions compiled to bytecode by a run of a trace at
 * build time): a command starts without parsing and compiling 1 MB of JavaScript again.
 */
export const builtCodeCache = join(root, 'dist-cli', 'podpath.code-cache');
export const BUILD_COMMAND = 'npm run build:cli';

/** The newest modification time of the sources the CLI is built from (tests excluded), looked up once per process. */
let newestSeen;
function newestSource() {
  return (newestSeen ??= newestSourceNow());
}

function newestSourceNow() {
  let newest = 0;
  for (const dir of ['src/cli', 'src/sim']) {
    const base = join(root, dir);
    if (!existsSync(base)) continue;
    for (const f of readdirSync(base, { recursive: true })) {
      if (!f.endsWith('.ts') || f.endsWith('.test.ts')) continue;
      newest = Math.max(newest, statSync(join(base, f)).mtimeMs);
    }
  }
  return newest;
}

/**
 * Why the built CLI cannot be used (missing, or older than a source edited since
 * it was built), or undefined when it is current. A stale build would answer from
 * old code, so it is never run. (~6 ms: some 190 sources stat()ed, once per process.)
 */
export function builtCliProblem() {
  if (!existsSync(builtMain)) return 'dist-cli/ is missing';
  return statSync(builtMain).mtimeMs < newestSource() ? 'dist-cli/ is older than the sources in src/' : undefined;
}

/** Why the bundle cannot be used (missing, or older than a source), or undefined when it is current. */
export function bundleProblem() {
  if (!existsSync(builtBundle)) return 'dist-cli/podpath.cjs is missing';
  return statSync(builtBundle).mtimeMs < newestSource() ? 'dist-cli/podpath.cjs is older than the sources in src/' : undefined;
}

/**
 * The bundle's exports ({ main, run }), compiled with its code cache when there is one.
 * (Node 20 has no code cache for ES modules, hence a CommonJS bundle run as a script.)
 * V8 checks that a cache was made from this very source by this very V8 with the same
 * flags, and ignores it otherwise: a stale cache costs the compile it would have saved,
 * never a wrong answer. `script` is for the build, which writes the cache after a run.
 */
export function loadBundle() {
  const source = readFileSync(builtBundle, 'utf8');
  const cachedData = existsSync(builtCodeCache) ? readFileSync(builtCodeCache) : undefined;
  // The wrapper Node gives a CommonJS module, so that the bundle's require and module are its own.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: builtBundle, ...(cachedData ? { cachedData } : {}) });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(builtBundle), module, builtBundle, dirname(builtBundle));
  return { exports: module.exports, script, cacheRejected: cachedData !== undefined && script.cachedDataRejected === true };
}
