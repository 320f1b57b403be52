// Run a Node script and report its peak RSS (and CPU time, µs) on stderr when it exits (for npm run bench).
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const [script, ...rest] = process.argv.slice(2);
process.argv = [process.argv[0], script, ...rest];
process.on('exit', () => {
  const r = process.resourceUsage();
  process.stderr.write(`\nmaxRSS=${r.maxRSS}\ncpu=${r.userCPUTime + r.systemCPUTime}\n`);
});
await import(pathToFileURL(resolve(script)).href);
