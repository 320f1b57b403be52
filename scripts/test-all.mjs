#!/usr/bin/env node
// `npm test`: the typecheck and the unit tests, then the kernel differential and the
// browser tests side by side. The differential spends most of its time waiting on
// the kernel (connections that must time out, BIRD converging), the browser tests on
// Chromium, so together they take little longer than the differential alone, and CI
// stays inside its 20 minutes. Each part's output is printed whole when it ends (its
// lines would otherwise interleave); a failure in either fails the run, and both
// always run to the end, so one run shows every failure.
import { spawn, spawnSync } from 'node:child_process';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
for (const script of ['typecheck', 'test:unit']) {
  const r = spawnSync(npm, ['run', script], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function part(script) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(npm, ['run', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => out.push(d));
    // A heartbeat, so a long run shows it is alive.
    const beat = setInterval(() => console.log(`… ${script} running (${Math.round((Date.now() - started) / 1000)} s)`), 60_000);
    child.on('close', (code) => {
      clearInterval(beat);
      process.stdout.write(`\n===== npm run ${script} (${Math.round((Date.now() - started) / 1000)} s, exit ${code}) =====\n`);
      process.stdout.write(Buffer.concat(out));
      resolve({ script, code: code ?? 1 });
    });
  });
}

const results = await Promise.all([part('test:kernel'), part('test:e2e')]);
const failed = results.filter((r) => r.code !== 0);
for (const r of failed) console.error(`✗ npm test: ${r.script} failed (exit ${r.code})`);
process.exit(failed.length ? 1 : 0);
