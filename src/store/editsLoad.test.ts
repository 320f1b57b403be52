// The cluster's edits are not in the first view (edits.ts): an edit asked for before
// they have loaded changes nothing at that moment, then is done once, as asked, when
// they arrive: one undo step, nothing lost and nothing done twice.
import { expect, it, vi } from 'vitest';

it('a node added and a pod renamed before the edits have loaded: done in order when they arrive, each one undo step', async () => {
  // A module graph of its own: the test setup loaded the edits in the shared one.
  vi.resetModules();
  const edits = await import('./edits.ts');
  const { createPlayground } = await import('./store.ts');
  expect(edits.loadedEdits()).toBeNull();
  const pg = createPlayground();
  const nodes = pg.getState().scenario.nodes.map((n) => n.name);
  const pod = pg.getState().scenario.pods[0];
  const past = pg.temporal.getState().pastStates.length;

  // Not done yet, and said so (false: nothing was added at this moment).
  expect(pg.getState().addNode(undefined, 'node-late')).toBe(false);
  expect(pg.getState().rename('pod', `${pod.namespace}/${pod.name}`, 'renamed-late')).toBe(false);
  expect(pg.getState().scenario.nodes.map((n) => n.name)).toEqual(nodes);

  await vi.waitFor(() => expect(pg.getState().scenario.pods.some((p) => p.name === 'renamed-late')).toBe(true));
  expect(edits.loadedEdits()).not.toBeNull();
  const st = pg.getState();
  expect(st.scenario.nodes.map((n) => n.name)).toEqual([...nodes, 'node-late']);
  expect(st.scenario.pods.some((p) => p.name === pod.name)).toBe(false);
  // The new node was selected, then the rename kept what was selected: the node.
  expect(st.selection).toEqual({ kind: 'node', key: 'node-late' });
  expect(pg.temporal.getState().pastStates.length).toBe(past + 2);

  // Once loaded, an edit is done at once, as before the split.
  expect(pg.getState().addNode(undefined, 'node-now')).toBe(true);
  expect(pg.getState().scenario.nodes.at(-1)?.name).toBe('node-now');
});
