#!/usr/bin/env node
// The podpath CLI. Runs the JavaScript that tsc built ahead into dist-cli/ (npm runs
// `npm run build:cli` as `prepare` after `npm install` in a checkout): transpiling
// the TypeScript at every start cost a 150,000-pod trace a fifth of its time.
// When the build is missing or older than the sources (a checkout edited since, or
// installed with --ignore-scripts), it runs the sources through tsx instead and says
// so on stderr: slower, but never an answer from stale code and never a dead command.
import { setFlagsFromString } from 'node:v8';
import { pathToFileURL } from 'node:url';
import { BUILD_COMMAND, builtCliProblem, builtMain } from './cliBuild.mjs';

// A larger young generation: a 150,000-pod scenario makes many short-lived objects,
// and the default 16 MB semi-space spends more time collecting than computing.
setFlagsFromString('--max-semi-space-size=64');

const problem = builtCliProblem();
let main;
if (problem === undefined) {
  ({ main } = await import(pathToFileURL(builtMain).href));
} else {
  process.stderr.write(`podpath: note: ${problem}, so the TypeScript sources run through tsx (slower); \`${BUILD_COMMAND}\` builds it\n`);
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
