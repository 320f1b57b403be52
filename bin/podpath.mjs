#!/usr/bin/env node
// The podpath CLI. Runs the TypeScript sources directly through tsx, so
// `npx podpath …` works in a checkout right after `npm install`, with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
