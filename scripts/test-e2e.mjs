#!/usr/bin/env node
// `npm run test:e2e`: build the app, serve it, and run the Playwright tests in
// Debian's Chromium. No Chromium means the tests cannot run: that is a failure,
// never a silent pass.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

const chromium = process.env.PODPATH_CHROMIUM ?? '/usr/bin/chromium';
try {
  accessSync(chromium, constants.X_OK);
} catch {
  console.error(`\n✗ test:e2e: no Chromium at ${chromium}.\n  Install it (apt-get install -y chromium) or set PODPATH_CHROMIUM.\n  The browser tests did NOT run.\n`);
  process.exit(1);
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, PODPATH_CHROMIUM: chromium } });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

const built = run('npx', ['vite', 'build', '--logLevel', 'warn']);
if (built !== 0) {
  console.error('✗ test:e2e: the build failed');
  process.exit(built);
}
process.exit(run('npx', ['playwright', 'test', ...process.argv.slice(2)]));
