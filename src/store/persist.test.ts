// What the browser kept, opened by the page: through the one restore function, or
// kept word for word with the reason when it cannot be read (and never written over
// before the person could download it). Driven without a DOM, storage in memory.
import { beforeAll, describe, expect, it } from 'vitest';
import type { StateStorage } from 'zustand/middleware';
import { CNI_MODES } from '../sim/model.ts';
import { restoreSave } from '../sim/scenario/restore.ts';
import { createPlayground, loadIo, type Doc } from './store.ts';
import { openSaved, SAVE_KEY, UNREADABLE_KEY } from './persist.ts';
import { selectTrace } from './derived.ts';
import { DEMO } from './demo.ts';

function memoryStorage(): StateStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) };
}
async function opened(storage: StateStorage) {
  const store = createPlayground();
  await (await openSaved(store, storage)).saving;
  return store;
}
/** What podpath 0.1 wrote: zustand's persist envelope (version 1) around the Scenario object. */
const version1 = (scenario: unknown) => JSON.stringify({ state: { scenario, positions: {}, request: null, showReply: false, speed: 1.5 }, version: 1 });
const unallocatedDemo = { ...DEMO, pods: DEMO.pods.map(({ podIP: _p, ...p }) => p) };

describe('opening what the browser saved', () => {
  beforeAll(() => loadIo());

  it('a corrupted save opens the demo, is kept word for word under its own key before anything is saved over it, and stays until discarded', async () => {
    const storage = memoryStorage();
    const corrupted = '{"format":"podpath-playground","version":2,"scenario":[{"apiVersion":"podpath.dev/v1alpha1","kind":"Clus';
    storage.setItem(SAVE_KEY, corrupted);
    const writes: string[] = [];
    const watched: StateStorage = { ...storage, setItem: (k, v) => (writes.push(k), storage.setItem(k, v)) };
    const store = await opened(watched);
    expect(store.getState().scenario.pods.map((p) => p.name)).toEqual(['client', 'web-1', 'web-2']);
    expect(store.getState().unreadable).toEqual([{ text: corrupted, problem: { code: 'not-json' } }]);
    // Kept first, then the demo saved in its place.
    expect(writes.slice(0, 2)).toEqual([UNREADABLE_KEY, SAVE_KEY]);
    expect(JSON.parse(storage.data.get(UNREADABLE_KEY)!)).toEqual([{ text: corrupted, problem: { code: 'not-json' } }]);
    expect(restoreSave(storage.data.get(SAVE_KEY)!).ok).toBe(true);

    // A reload before it was dealt with still shows it, once.
    const again = await opened(storage);
    expect(again.getState().unreadable).toEqual([{ text: corrupted, problem: { code: 'not-json' } }]);
    again.getState().discardUnreadable();
    expect(storage.data.has(UNREADABLE_KEY)).toBe(false);
    expect((await opened(storage)).getState().unreadable).toEqual([]);
  });

  it('a second unreadable save does not push out the first', async () => {
    const storage = memoryStorage();
    storage.setItem(SAVE_KEY, 'not json');
    await opened(storage);
    storage.setItem(SAVE_KEY, '{"format":"podpath-playground","version":9}');
    const store = await opened(storage);
    expect(store.getState().unreadable.map((u) => [u.text, u.problem.code])).toEqual([
      ['not json', 'not-json'],
      ['{"format":"podpath-playground","version":9}', 'newer-version'],
    ]);
  });

  it('if the unreadable save cannot be kept elsewhere, nothing is saved over it', async () => {
    const storage = memoryStorage();
    storage.setItem(SAVE_KEY, 'not json');
    const full: StateStorage = {
      ...storage,
      setItem: (k, v) => {
        if (k === UNREADABLE_KEY) throw new Error('QuotaExceededError');
        storage.setItem(k, v);
      },
    };
    const store = await opened(full);
    expect(store.getState().notice?.text).toMatch(/would not keep a copy of the unreadable save/);
    store.getState().addNode();
    expect(storage.data.get(SAVE_KEY)).toBe('not json');
    expect(store.getState().unreadable.map((u) => u.text)).toEqual(['not json']);
  });

  it('an old save with an unknown CNI and no pod IPs is refused with the reason: the store never holds it raw', async () => {
    const storage = memoryStorage();
    const text = version1({ ...unallocatedDemo, cluster: { ...DEMO.cluster, cni: 'weave' } });
    storage.setItem(SAVE_KEY, text);
    const store = await opened(storage);
    const st = store.getState();
    expect(CNI_MODES).toContain(st.scenario.cluster.cni);
    expect(st.scenario.pods.every((p) => p.podIP)).toBe(true);
    expect(st.unreadable).toEqual([{ text, problem: { code: 'cluster-refused', issues: [{ document: 'Cluster/cluster', field: 'spec.cni', reason: `must be one of ${CNI_MODES.join(', ')}, got "weave"` }] } }]);
  });

  it('an old save without pod IPs opens allocated, and Send packet traces it (no "internal:" failure)', async () => {
    const storage = memoryStorage();
    storage.setItem(SAVE_KEY, version1(unallocatedDemo));
    const store = await opened(storage);
    expect(store.getState().unreadable).toEqual([]);
    expect(store.getState().scenario.pods.map((p) => p.podIP)).toEqual(['10.244.0.2', '10.244.0.3', '10.244.1.2']);
    store.getState().send();
    const t = selectTrace(store.getState());
    expect(t?.kind === 'traced' && t.trace.verdict).toBe('delivered');
    // And it is saved again in the current format.
    expect(JSON.parse(storage.data.get(SAVE_KEY)!)).toMatchObject({ format: 'podpath-playground', version: 2 });
  });

  it('round trip: save, reload, the same playground (an empty one too)', async () => {
    const storage = memoryStorage();
    const a = await opened(storage);
    a.getState().addService({ x: 40, y: -200 }, { name: 'api', selector: { app: 'client' } });
    a.getState().send({ from: { kind: 'pod', namespace: 'default', name: 'web-1' }, to: { kind: 'service', namespace: 'default', name: 'api', port: 80 }, proto: 'tcp' });
    a.getState().setShowReply(true);
    a.getState().setSpeed(3);
    const b = (await opened(storage)).getState();
    const was = a.getState();
    expect([b.scenario, b.positions, b.request, b.showReply, b.speed]).toEqual([was.scenario, was.positions, was.request, was.showReply, was.speed]);

    a.getState().newCluster();
    expect((await opened(storage)).getState().scenario.nodes).toEqual([]);
  });

  it('undo brings a cluster back through the parser: equal when it reads, refused with the reason when it does not', async () => {
    const store = await opened(memoryStorage());
    const before = store.getState().scenario;
    store.getState().addNode();
    store.temporal.getState().undo();
    expect(store.getState().scenario).toEqual(before);
    // A history entry that would not read (as a raw save could have held).
    store.getState().addNode();
    const past = store.temporal.getState().pastStates as Doc[];
    past[past.length - 1] = { ...past[past.length - 1], scenario: { ...before, cluster: { ...before.cluster, cni: 'weave' as never } } };
    const now = store.getState().scenario;
    store.temporal.getState().undo();
    expect(store.getState().scenario).toBe(now);
    expect(store.getState().notice).toMatchObject({ kind: 'error', text: expect.stringContaining('spec.cni: must be one of') });
  });

  it('Import opens a downloaded save once mended, through the same restore', async () => {
    const store = await opened(memoryStorage());
    const mended = version1({ ...unallocatedDemo, nodes: [...DEMO.nodes, { name: 'node-3', labels: {} }] });
    expect(await store.getState().importText(mended, 'podpath-unreadable-save.txt')).toBe(true);
    expect(store.getState().scenario.nodes.map((n) => n.name)).toEqual(['node-1', 'node-2', 'node-3']);
    expect(await store.getState().importText(version1({ ...DEMO, cluster: { ...DEMO.cluster, cni: 'weave' } }), 'bad.txt')).toBe(false);
    expect(store.getState().notice?.text).toMatch(/^bad\.txt: Its cluster does not read as a scenario: Cluster\/cluster spec\.cni/);
  });
});

describe('saving a big cluster', () => {
  beforeAll(() => loadIo());

  it('waits for the page to be idle (the canvas draws first), then saves it whole, once for a burst of changes', async () => {
    const { benchScenario } = await import('../ui/bench.ts');
    const storage = memoryStorage();
    const writes: string[] = [];
    const watched: StateStorage = { ...storage, setItem: (k, v) => (writes.push(k), storage.setItem(k, v)) };
    const store = await opened(watched);
    const before = writes.length;
    await store.getState().adoptScenario(benchScenario(50, 41)); // 2,050 pods
    store.getState().setSpeed(2);
    expect(writes.length).toBe(before);
    await new Promise((r) => setTimeout(r, 10));
    expect(writes.slice(before)).toEqual([SAVE_KEY]);
    const kept = restoreSave(storage.data.get(SAVE_KEY)!);
    if (!kept.ok) throw new Error('unreadable');
    expect(kept.value.scenario.pods).toHaveLength(2050);
    expect(kept.value.speed).toBe(2);
  });
});
