// Issue 10 §2, kept so: 2,000 generated and mutated files per run (npm run fuzz runs
// 100,000) through the reader, IPAM, compile and a trace. The only outcomes allowed
// are a result or podpath's typed issues with a reason: an exception or an input
// that takes longer than the budget fails, with the (shrunk) input and the seed to
// run it again printed by fast-check.
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { engineOutcome, FUZZ_SEED, fuzzFile, generatedFile, mutate, type Outcome } from '../testing/fuzzInputs.ts';
import { HOSTILE_INPUTS } from '../testing/hostile.ts';

const scenarios = new URL('../../../public/scenarios/', import.meta.url);
const SEEDS = readdirSync(scenarios)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => readFileSync(new URL(f, scenarios), 'utf8'));
/** A hang shows as an input over this; the slowest legitimate inputs (65,536 replicas refused) take a few seconds on a loaded machine. */
const BUDGET_MS = 10_000;

function checked(text: string): Outcome {
  const t0 = performance.now();
  const outcome = engineOutcome(text);
  const took = performance.now() - t0;
  if (took > BUDGET_MS) throw new Error(`took ${Math.round(took)} ms (budget ${BUDGET_MS} ms)`);
  return outcome;
}

describe('fuzzing the reader and the engine', () => {
  it('mutate() changes what it is asked to, so the fuzzer really feeds broken files', () => {
    expect(mutate('replicas: 3\n', [{ op: 'extreme-number', at: 0, n: 4 }])).toBe('replicas: 1e400\n');
    expect(mutate('a: 1\n', [{ op: 'duplicate-line', at: 0, n: 0 }])).toBe('a: 1\na: 1\n');
    expect(mutate('abc', [{ op: 'insert', at: 0.5, n: 0 }])).toBe('a*abc');
  });

  it('the hostile inputs issue 10 found are refused, each with its typed code', () => {
    for (const h of HOSTILE_INPUTS.filter((x) => x.code !== 'pods-do-not-fit')) expect(checked(h.text), h.name).toMatchObject({ kind: 'refused' });
  });

  it('2,000 generated and mutated files: each read or refused with reasons, none throws or hangs', () => {
    const seen = { read: 0, refused: 0, traced: 0 };
    fc.assert(
      fc.property(fuzzFile(SEEDS), (text) => {
        const o = checked(text);
        seen[o.kind]++;
        if (o.kind === 'read' && o.traced) seen.traced++;
      }),
      { numRuns: 2000, seed: FUZZ_SEED },
    );
    // Both outcomes occur: the fuzzer reaches the engine, not only the reader's refusals.
    expect(seen.read).toBeGreaterThan(100);
    expect(seen.refused).toBeGreaterThan(100);
    expect(seen.traced).toBeGreaterThan(50);
  }, 120_000);

  it('generated documents alone reach allocation and tracing too', () => {
    let traced = 0;
    fc.assert(
      fc.property(generatedFile, (text) => {
        const o = checked(text);
        if (o.kind === 'read' && o.traced) traced++;
      }),
      { numRuns: 300, seed: FUZZ_SEED },
    );
    expect(traced).toBeGreaterThan(0);
  }, 60_000);
});
