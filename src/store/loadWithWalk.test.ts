// What the page needs to show a walk (its hop list, loaded on demand) is fetched with the
// walk: the trace is not there before it, so no render has a trace without its list.
import { expect, it, vi } from 'vitest';

it('a load registered with the walk: the walk is not loaded until it has resolved too', async () => {
  // A module graph of its own: the test setup loaded the walk in the shared one.
  vi.resetModules();
  const engine = await import('./engine.ts');
  let finish!: () => void;
  const hopList = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
  engine.loadWithWalk(hopList);
  const walk = engine.loadWalk();
  expect(hopList).toHaveBeenCalledTimes(1);
  // The trace module itself has arrived: still no trace, the list is not there.
  await import('../sim/trace/index.ts');
  await new Promise((r) => setTimeout(r, 0));
  expect(engine.loadedTrace()).toBeNull();
  finish();
  await walk;
  expect(engine.loadedTrace()).not.toBeNull();
  // Once: a second packet does not fetch it again.
  await engine.loadWalk();
  expect(hopList).toHaveBeenCalledTimes(1);
});
