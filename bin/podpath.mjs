#!/usr/bin/env node
// The podpath CLI. Runs the JavaScript built ahead into dist-cli/ (npm runs
// `npm run build:cli` as `prepare` after `npm install` in a checkout): tsc's modules
// bundled into one file, dist-cli/podpath.cjs (started from V8's code cache of it); transpiling the TypeScript through
// tsx cost every start 0.1–0.3 s (more after a change), and loading ~100 modules 0.15 s.
// When the build is missing or older than the sources (a checkout edited since, or
// installed with --ignore-scripts), it runs the sources through tsx instead and says
// so on stderr: slower, but never an answer from stale code and never a dead command.
import { pathToFileURL } from 'node:url';
import { BUILD_COMMAND, builtCliProblem, builtMain, bundleProblem, loadBundle } from './cliBuild.mjs';

// (No --max-semi-space-size any more: with the built CLI a larger young generation
// measured no faster at 150,000 pods, and its peak RSS was 80 MB higher.)

const problem = builtCliProblem();
let main;
if (problem === undefined) {
  // The one-file bundle when it is as new as the sources (it starts 0.15 s sooner, 0.02 s more
  // with its code cache), else tsc's modules.
  ({ main } = bundleProblem() === undefined ? loadBundle().exports : await import(pathToFileURL(builtMain).href));
} else {
  process.stderr.write(`podpath: note: ${problem}, so the TypeScript sources run through tsx (slower); \`${BUILD_COMMAND}\` builds it\n`);
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
