// The second step of `npm run build:cli`: what tsc built into dist-cli/ (the CLI,
// the engine, and the yaml, ip-num and hash libraries they import) bundled into one
// file, dist-cli/podpath.mjs, which bin/podpath.mjs runs. Starting Node on ~100
// separate modules (resolving, reading and compiling each) cost every command
// 0.15 s before it read a byte; the one file starts in a few milliseconds.
import { build } from 'esbuild';
import { builtBundle, builtMain } from '../bin/cliBuild.mjs';

await build({
  entryPoints: [builtMain],
  outfile: builtBundle,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // yaml and ip-num are CommonJS and require() Node's modules: give the ES module a require.
  banner: { js: "import { createRequire as podpathCreateRequire } from 'node:module'; const require = podpathCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
