// Where the built CLI is, and whether it is current: `npm run build:cli` (also run
// by npm as `prepare` after `npm install` in a checkout) compiles src/cli and
// src/sim with tsc into dist-cli/, then bundles that into one file
// (scripts/bundle-cli.mjs). Shared by bin/podpath.mjs, the bench and the CLI test.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const builtMain = join(root, 'dist-cli', 'cli', 'main.js');
/** builtMain and everything it imports in one file: what bin/podpath.mjs runs when it is current. */
export const builtBundle = join(root, 'dist-cli', 'podpath.mjs');
export const BUILD_COMMAND = 'npm run build:cli';

/** The newest modification time of the sources the CLI is built from (tests excluded). */
function newestSource() {
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
 * old code, so it is never run. (~1 ms: some 70 stats.)
 */
export function builtCliProblem() {
  if (!existsSync(builtMain)) return 'dist-cli/ is missing';
  return statSync(builtMain).mtimeMs < newestSource() ? 'dist-cli/ is older than the sources in src/' : undefined;
}

/** Why the bundle cannot be used (missing, or older than a source), or undefined when it is current. */
export function bundleProblem() {
  if (!existsSync(builtBundle)) return 'dist-cli/podpath.mjs is missing';
  return statSync(builtBundle).mtimeMs < newestSource() ? 'dist-cli/podpath.mjs is older than the sources in src/' : undefined;
}
