// The packet walk is not in the first view (engine.ts' loadWalk): a packet sent before
// it has loaded shows no trace for that moment, then the engine's trace as it arrives,
// and the wait is no step of the history.
import { expect, it, vi } from 'vitest';

it('a packet sent before the walk has loaded: no trace until it loads, then the trace, and no undo step of its own', async () => {
  // A module graph of its own: the test setup loaded the walk in the shared one.
  vi.resetModules();
  const engine = await import('./engine.ts');
  const { createPlayground } = await import('./store.ts');
  const { selectTrace } = await import('./derived.ts');
  expect(engine.loadedTrace()).toBeNull();
  const pg = createPlayground();
  const before = pg.temporal.getState().pastStates.length;
  pg.getState().send();
  expect(pg.getState().request).not.toBeNull();
  expect(selectTrace(pg.getState())).toBeNull();
  // The page hears of it: what it shows is read again once the walk is there.
  const heard: (string | null)[] = [];
  pg.subscribe((st) => heard.push(selectTrace(st)?.kind ?? null));
  await vi.waitFor(() => expect(heard).toContain('traced'));
  expect(engine.loadedTrace()).not.toBeNull();
  expect(pg.temporal.getState().pastStates.length).toBe(before);
});
