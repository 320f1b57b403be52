#!/usr/bin/env node
// The podpath CLI. Runs the TypeScript sources directly through tsx, so
// `npx podpath …` works in a checkout right after `npm install`, with no build step.
import { register } from 'tsx/esm/api';
import { setFlagsFromString } from 'node:v8';

// A larger young generation: a 150,000-pod scenario makes many short-lived objects,
// and the default 16 MB semi-space spends more time collecting than computing.
setFlagsFromString('--max-semi-space-size=64');

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
