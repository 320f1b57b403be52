// Issue 10 §2: whatever file is imported, the playground keeps the cluster a person
// had unless the file reads, and says why when it does not. Fed from the same
// generated and mutated files as the engine's fuzz test (src/sim/scenario/fuzz.test.ts).
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createPlayground, loadIo } from './store.ts';
import { FUZZ_SEED, fuzzFile } from '../sim/testing/fuzzInputs.ts';

const scenarios = new URL('../../public/scenarios/', import.meta.url);
const SEEDS = readdirSync(scenarios)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => readFileSync(new URL(f, scenarios), 'utf8'));

describe('importing fuzzed files into the playground', () => {
  beforeAll(() => loadIo());
  it('a refused file keeps the cluster and says why; a read one replaces it', async () => {
    const store = createPlayground();
    let refused = 0;
    let read = 0;
    await fc.assert(
      fc.asyncProperty(fuzzFile(SEEDS), async (text) => {
        const before = store.getState().scenario;
        const ok = await store.getState().importText(text, 'fuzzed.yaml');
        if (ok) {
          read++;
          return;
        }
        refused++;
        expect(store.getState().scenario).toBe(before);
        expect(store.getState().notice).toMatchObject({ kind: 'error', near: 'import' });
        // It names the file first, then what is wrong (a field, or the file itself: `fuzzed.yaml: …`, `fuzzed.yaml Items: …`).
        expect(store.getState().notice?.text).toMatch(/^fuzzed\.yaml[: ]/);
      }),
      { numRuns: 200, seed: FUZZ_SEED },
    );
    expect(refused).toBeGreaterThan(10);
    expect(read).toBeGreaterThan(10);
  }, 120_000);
});
