// npm run fuzz [-- N [SEED]]: N generated and mutated files (default 100,000) through
// the reader, IPAM, compile and a trace, as src/sim/scenario/fuzz.test.ts does with
// 2,000. The inputs run in a worker thread, so that a hang is caught: an input that
// takes longer than the budget stops the run and is printed with the seed that makes
// it again. A crash (an exception) is printed the same way.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { engineOutcome, fuzzFile } from '../src/sim/testing/fuzzInputs.ts';

const BUDGET_MS = 10_000;
const CHUNK = 1000;

function seeds(): string[] {
  const dirs = ['public/scenarios', 'src/sim/scenario/dumps'];
  return dirs.flatMap((d) => readdirSync(d).filter((f) => /\.(ya?ml|txt)$/.test(f)).map((f) => readFileSync(`${d}/${f}`, 'utf8')));
}

interface Job {
  seed: number;
  from: number;
  count: number;
}

if (!isMainThread) {
  // The worker: generate the same inputs from the seed, run its share, report each.
  const { seed, from, count } = workerData as Job;
  const inputs = fc.sample(fuzzFile(seeds()), { seed, numRuns: from + count }).slice(from);
  inputs.forEach((text, i) => {
    parentPort!.postMessage({ type: 'start', index: from + i });
    try {
      const o = engineOutcome(text);
      parentPort!.postMessage({ type: 'done', index: from + i, outcome: o.kind });
    } catch (e) {
      parentPort!.postMessage({ type: 'crash', index: from + i, text, error: e instanceof Error ? `${e.name}: ${e.message}\n${e.stack}` : String(e) });
    }
  });
  parentPort!.postMessage({ type: 'end' });
} else {
  const total = Number(process.argv[2] ?? 100_000);
  const seed = Number(process.argv[3] ?? Date.now() % 2 ** 31);
  console.log(`podpath fuzz: ${total.toLocaleString('en-US')} inputs, seed ${seed} (npm run fuzz -- ${total} ${seed} makes the same ones), budget ${BUDGET_MS / 1000} s an input`);
  const t0 = performance.now();
  const counts = { read: 0, refused: 0 };
  const crashes: { index: number; text: string; error: string }[] = [];
  let slowest = { ms: 0, index: -1 };
  for (let from = 0; from < total; from += CHUNK) {
    const count = Math.min(CHUNK, total - from);
    // Each chunk a fresh worker, which regenerates the sample up to its end (cheap next to running it).
    const result = await new Promise<{ hung?: number }>((resolve, reject) => {
      // The worker is this file again, through tsx as this thread is (a worker does not inherit its loader).
      const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(import.meta.url)}); })`;
      const w = new Worker(boot, { eval: true, workerData: { seed, from, count } satisfies Job });
      let startedAt = performance.now();
      let current = -1;
      const watchdog = setInterval(() => {
        if (current >= 0 && performance.now() - startedAt > BUDGET_MS) {
          clearInterval(watchdog);
          void w.terminate();
          resolve({ hung: current });
        }
      }, 250);
      w.on('message', (m: { type: string; index: number; outcome?: 'read' | 'refused'; text?: string; error?: string }) => {
        if (m.type === 'start') {
          current = m.index;
          startedAt = performance.now();
        } else if (m.type === 'done') {
          const took = performance.now() - startedAt;
          if (took > slowest.ms) slowest = { ms: took, index: m.index };
          counts[m.outcome!]++;
          current = -1;
        } else if (m.type === 'crash') {
          crashes.push({ index: m.index, text: m.text!, error: m.error! });
          current = -1;
        } else if (m.type === 'end') {
          clearInterval(watchdog);
          void w.terminate();
          resolve({});
        }
      });
      w.on('error', (e) => {
        clearInterval(watchdog);
        reject(e);
      });
    });
    if (result.hung !== undefined) {
      const text = fc.sample(fuzzFile(seeds()), { seed, numRuns: result.hung + 1 })[result.hung];
      console.log(`HANG: input #${result.hung} ran over ${BUDGET_MS / 1000} s. The input:\n${text.slice(0, 4000)}`);
      process.exitCode = 1;
      break;
    }
    const done = from + count;
    if (done % 10_000 === 0 || done === total) console.log(`  ${done.toLocaleString('en-US')} inputs: ${counts.read} read, ${counts.refused} refused, ${crashes.length} crashed (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  }
  for (const c of crashes.slice(0, 5)) console.log(`CRASH on input #${c.index}: ${c.error}\nThe input:\n${c.text.slice(0, 4000)}\n`);
  if (crashes.length) process.exitCode = 1;
  console.log(`${process.exitCode ? 'FAILED' : 'passed'}: ${counts.read + counts.refused + crashes.length} inputs in ${((performance.now() - t0) / 1000).toFixed(0)} s; slowest ${slowest.ms.toFixed(0)} ms (#${slowest.index})`);
}
