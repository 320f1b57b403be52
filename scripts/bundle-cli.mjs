// The second step of `npm run build:cli`: what tsc built into dist-cli/ (the CLI,
// the engine, and the yaml, ip-num and hash libraries they import) bundled into one
// file, dist-cli/podpath.cjs, which bin/podpath.mjs runs. Starting Node on ~100
// separate modules (resolving, reading and compiling each) cost every command
// 0.15 s before it read a byte; the one file starts in a few milliseconds. Then V8's
// code cache of it, made by running a few commands (cliBuild.mjs, loadBundle): the
// next start skips compiling what they compiled (`podpath --help` 0.10 s → 0.08 s).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { builtBundle, builtCodeCache, builtCodeCacheSums, builtMain, root } from '../bin/cliBuild.mjs';

await build({
  entryPoints: [builtMain],
  outfile: builtBundle,
  bundle: true,
  platform: 'node',
  // CommonJS, run as a script: Node 20 keeps no code cache for an ES module. Strict, as the
  // ES module was (esbuild adds no "use strict" to CommonJS output): a write into a frozen
  // object throws rather than being ignored.
  format: 'cjs',
  banner: { js: '"use strict";' },
  target: 'node20',
  logLevel: 'warning',
});

// In a Node of its own, without flags, as `npx podpath` runs (V8 ignores a cache made under other flags).
rmSync(builtCodeCache, { force: true });
rmSync(builtCodeCacheSums, { force: true });
try {
  execFileSync(process.execPath, ['--input-type=module', '-e', `
import { readFileSync, writeFileSync } from 'node:fs';
import { builtBundle, builtCodeCache, builtCodeCacheSums, loadBundle, sha256 } from './bin/cliBuild.mjs';
const { exports, script } = loadBundle();
const quiet = { out: () => {}, err: () => {}, readFile: (p) => readFileSync(p).toString('utf8') };
// What most commands run: reading a scenario, IPAM, compiling, a trace and its printing.
for (const args of [
  ['trace', 'public/scenarios/flannel-vxlan.yaml', '--from', 'pod/default/client', '--to', 'service/default/web:80'],
  ['trace', 'public/scenarios/flannel-vxlan.yaml', '--from', 'pod/default/client', '--to', 'service/default/web:80', '--json'],
  ['ipam', 'public/scenarios/demo.yaml'],
]) await exports.main(args, quiet);
const cache = script.createCachedData();
writeFileSync(builtCodeCache, cache);
// Last: the sums say which bundle the cache is of (loadBundle uses it only when both match).
writeFileSync(builtCodeCacheSums, JSON.stringify({ bundle: sha256(readFileSync(builtBundle)), cache: sha256(cache) }));
`], { cwd: root, stdio: 'inherit' });
} catch (e) {
  // Without a cache the CLI compiles as it starts (0.02 s slower): not worth failing `npm install` for.
  process.stderr.write(`bundle-cli: no code cache made (${e.message.split('\n')[0]}); the CLI still runs\n`);
}
