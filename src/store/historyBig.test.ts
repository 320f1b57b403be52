// A big cluster's undo history is not written to the tab's storage (it would not fit,
// and writing it costs seconds); a small cluster's is, as before.
import { beforeAll, describe, expect, it } from 'vitest';
import type { StateStorage } from 'zustand/middleware';
import { createPlayground, loadIo } from './store.ts';
import { HISTORY_KEY, HISTORY_KEPT_UP_TO_PODS, keepHistory } from './history.ts';

function memoryStorage(): StateStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) };
}
const settled = () => new Promise((r) => setTimeout(r, 400));

describe('the undo history of a big cluster', () => {
  beforeAll(() => loadIo());

  it('is not kept across a reload above the limit; undo still works', async () => {
    const { benchScenario } = await import('../ui/bench.ts');
    const session = memoryStorage();
    const store = createPlayground();
    keepHistory(store, session, await loadIo());
    expect(session.data.has(HISTORY_KEY)).toBe(true);
    const demoPods = store.getState().scenario.pods.length;
    await store.getState().adoptScenario(benchScenario(50, 41));
    expect(store.getState().scenario.pods.length).toBeGreaterThan(HISTORY_KEPT_UP_TO_PODS);
    await settled();
    expect(session.data.has(HISTORY_KEY)).toBe(false);
    store.temporal.getState().undo();
    expect(store.getState().scenario.pods).toHaveLength(demoPods);
    // Back to a small cluster: kept again.
    await settled();
    expect(session.data.has(HISTORY_KEY)).toBe(true);
  });
});
