// Where the built CLI is, and whether it is current: `npm run build:cli` (also run
// by npm as `prepare` after `npm install` in a checkout) compiles src/cli and
// src/sim with tsc into dist-cli/, then bundles that into one file
// (scripts/bundle-cli.mjs). Shared by bin/podpath.mjs, the bench and the CLI test.
import { createHash } from 'node:crypto';
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
/**
 * The SHA-256 of the bundle the cache was made from and of the cache itself: V8 checks a
 * cache only by its source's length and its own header, so a cache of another bundle of the
 * same length would run that bundle's code, and a damaged one can crash Node (both seen in review).
 */
export const builtCodeCacheSums = join(root, 'dist-cli', 'podpath.code-cache.sha256');

export const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** The cache, when it is the one made from this bundle's bytes and is undamaged; else undefined (the CLI compiles as it starts). */
function verifiedCodeCache(bundle) {
  try {
    const sums = JSON.parse(readFileSync(builtCodeCacheSums, 'utf8'));
    if (sums.bundle !== sha256(bundle)) return undefined;
    const cache = readFileSync(builtCodeCache);
    return sums.cache === sha256(cache) ? cache : undefined;
  } catch {
    // Missing, unreadable or not ours: no cache, never a dead command.
    return undefined;
  }
}
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
 * The cache is used only when its recorded sums match this bundle and itself; V8 then
 * checks it was made by this V8 under the same flags (a NODE_OPTIONS such as
 * --max-old-space-size makes it compile as it starts). `script` is for the build,
 * which writes the cache after a run.
 */
export function loadBundle() {
  const bundle = readFileSync(builtBundle);
  const source = bundle.toString('utf8');
  const cachedData = verifiedCodeCache(bundle);
  // The wrapper Node gives a CommonJS module, so that the bundle's require and module are its own.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: builtBundle, ...(cachedData ? { cachedData } : {}) });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(builtBundle), module, builtBundle, dirname(builtBundle));
  return { exports: module.exports, script, cacheUsed: cachedData !== undefined && script.cachedDataRejected !== true };
}
