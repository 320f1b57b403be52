// Undo brings back the packet an edit cleared; New is one undo step, packet and all;
// a reload keeps the walk's step and endpoint, and (in the tab's session storage) the
// undo history, every step of it read back through the one restore function.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { StateStorage } from 'zustand/middleware';
import { createPlayground, loadIo, type Doc } from './store.ts';
import { openSaved, SAVE_KEY } from './persist.ts';
import { HISTORY_KEY, historyText, readHistory } from './history.ts';
import { selectTrace } from './derived.ts';
import type { TraceRequest } from '../sim/trace/types.ts';

function memoryStorage(): StateStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) };
}
const toService: TraceRequest = { from: { kind: 'pod', namespace: 'default', name: 'client' }, to: { kind: 'service', namespace: 'default', name: 'web', port: 80 }, proto: 'tcp' };
const answeredBy = (st: ReturnType<ReturnType<typeof createPlayground>['getState']>) => {
  const t = selectTrace(st);
  return t?.kind === 'traced' ? t.trace.endpoint : undefined;
};

describe('undo and the packet', () => {
  beforeAll(() => loadIo());

  it('deleting the pod a packet walks to clears the walk; undo brings back the pod and the walk, at the same endpoint and step', () => {
    const store = createPlayground();
    const st = () => store.getState();
    st().send(toService, 1);
    st().setStep(4);
    expect(answeredBy(st())).toBe('default/web-2');
    st().remove('pod', 'default/client');
    expect(st().request).toBeNull();
    store.temporal.getState().undo();
    expect(st().scenario.pods.map((p) => p.name)).toContain('client');
    expect(st().request).toEqual(toService);
    expect(st().endpoint).toBe(1);
    expect(st().step).toBe(4);
    expect(answeredBy(st())).toBe('default/web-2');
  });

  it('the walk keeps following its pod when the endpoints change; when its pod goes, it follows another and says so; undo brings the first back', () => {
    const store = createPlayground();
    const st = () => store.getState();
    st().send(toService, 1);
    st().setStep(6);
    st().remove('pod', 'default/web-1');
    // web-2 is now the only endpoint (index 0): still followed, nothing to say.
    expect(st().endpoint).toBe(0);
    expect(answeredBy(st())).toBe('default/web-2');
    store.temporal.getState().undo();
    expect(st().endpoint).toBe(1);
    expect(answeredBy(st())).toBe('default/web-2');
    st().remove('pod', 'default/web-2');
    expect(st().request).toEqual(toService);
    expect(st().endpoint).toBe(0);
    expect(answeredBy(st())).toBe('default/web-1');
    expect(st().notice?.text).toBe('Pod web-2, which the walk went to, is no longer an endpoint of the Service: the walk now follows web-1.');
    store.temporal.getState().undo();
    expect(answeredBy(st())).toBe('default/web-2');
    expect(st().step).toBe(6);
  });

  it('an undo that leaves the packet on screen its ends keeps that packet (not the one sent before the edit)', () => {
    const store = createPlayground();
    const st = () => store.getState();
    st().send(toService, 0);
    st().setLabels('pod', 'default/client', { app: 'client', tier: 'front' });
    const later: TraceRequest = { ...toService, to: { kind: 'pod', namespace: 'default', name: 'web-2', port: 8080 } };
    st().send(later);
    store.temporal.getState().undo();
    expect(st().scenario.pods.find((p) => p.name === 'client')?.labels).toEqual({ app: 'client' });
    expect(st().request).toEqual(later);
  });

  it('New empties the cluster as one undo step, says so, and undo brings back the cluster with its packet', () => {
    const store = createPlayground();
    const st = () => store.getState();
    st().send(toService, 1);
    const before = st().scenario;
    st().newCluster();
    expect(st().scenario.nodes).toEqual([]);
    expect(st().request).toBeNull();
    expect(st().notice?.text).toMatch(/Undo \(Ctrl\+Z\) brings back/);
    store.temporal.getState().undo();
    expect(st().scenario.pods.map((p) => p.podIP)).toEqual(before.pods.map((p) => p.podIP));
    expect(st().request).toEqual(toService);
    expect(answeredBy(st())).toBe('default/web-2');
  });
});

describe('a reload', () => {
  beforeAll(() => loadIo());

  it('keeps the step and the endpoint the walk was at', async () => {
    const local = memoryStorage();
    const a = createPlayground();
    await (await openSaved(a, local, memoryStorage())).saving;
    a.getState().send(toService, 1);
    a.getState().setStep(5);
    const b = createPlayground();
    await (await openSaved(b, local, memoryStorage())).saving;
    expect(b.getState().request).toEqual(toService);
    expect(b.getState().step).toBe(5);
    expect(b.getState().endpoint).toBe(1);
    expect(answeredBy(b.getState())).toBe('default/web-2');
  });

  it("keeps the session's undo history: after a reload, undo brings back the deleted pod and its walk", async () => {
    const local = memoryStorage();
    const session = memoryStorage();
    const a = createPlayground();
    await (await openSaved(a, local, session)).saving;
    a.getState().send(toService, 1);
    a.getState().addNode();
    a.getState().remove('pod', 'default/web-2');
    await vi.waitFor(() => expect(JSON.parse(session.data.get(HISTORY_KEY) ?? '{"past":[]}').past).toHaveLength(2));
    const b = createPlayground();
    await (await openSaved(b, local, session)).saving;
    expect(b.getState().scenario.pods.map((p) => p.name)).toEqual(['client', 'web-1']);
    expect(b.temporal.getState().pastStates).toHaveLength(2);
    b.temporal.getState().undo();
    expect(b.getState().scenario.pods.map((p) => p.name)).toEqual(['client', 'web-1', 'web-2']);
    expect(b.getState().request).toEqual(toService);
    expect(answeredBy(b.getState())).toBe('default/web-2');
    b.temporal.getState().undo();
    expect(b.getState().scenario.nodes.map((n) => n.name)).toEqual(['node-1', 'node-2']);
    b.temporal.getState().redo();
    expect(b.getState().scenario.nodes.map((n) => n.name)).toEqual(['node-1', 'node-2', 'node-3']);
  });

  it("does not bring a tab's history onto a cluster another tab saved since", async () => {
    const local = memoryStorage();
    const session = memoryStorage();
    const a = createPlayground();
    await (await openSaved(a, local, session)).saving;
    a.getState().addNode();
    await vi.waitFor(() => expect(JSON.parse(session.data.get(HISTORY_KEY) ?? '{"past":[]}').past).toHaveLength(1));
    // Another tab (its own session storage) saves another cluster.
    const other = createPlayground();
    await (await openSaved(other, local, memoryStorage())).saving;
    other.getState().remove('pod', 'default/web-1');
    const b = createPlayground();
    await (await openSaved(b, local, session)).saving;
    expect(b.getState().scenario.pods.map((p) => p.name)).toEqual(['client', 'web-2']);
    expect(b.temporal.getState().pastStates).toHaveLength(0);
  });

  it('reads each kept step through the restore function: a step that does not read is dropped with everything older', async () => {
    const m = await loadIo();
    const store = createPlayground();
    store.getState().addNode();
    store.getState().addNode();
    const t = store.temporal.getState();
    const text = historyText(m, t.pastStates as Doc[], []);
    const kept = JSON.parse(text) as { past: unknown[] };
    // The oldest step names a CNI no podpath knows: the parser refuses it.
    kept.past[0] = JSON.parse(JSON.stringify(kept.past[0]).replace('"cni":"bridge-hostgw"', '"cni":"weave"'));
    const back = readHistory(m, JSON.stringify(kept));
    expect(back?.dropped).toBe(1);
    expect(back?.past.map((d) => d.scenario.nodes.length)).toEqual([3]);
    expect(readHistory(m, 'not json')).toBeNull();
  });

  it('keeps the steps nearest the present when the history is bigger than its budget', async () => {
    const m = await loadIo();
    const store = createPlayground();
    for (let i = 0; i < 4; i++) store.getState().addNode();
    const past = store.temporal.getState().pastStates as Doc[];
    const one = historyText(m, past.slice(-1), []).length - '{"past":[],"future":[]}'.length;
    const kept = readHistory(m, historyText(m, past, [], one * 2 + 10));
    expect(kept?.past.map((d) => d.scenario.nodes.length)).toEqual(past.slice(-2).map((d) => d.scenario.nodes.length));
  });

  it('without a session history, a reload starts with nothing to undo', async () => {
    const local = memoryStorage();
    const a = createPlayground();
    await (await openSaved(a, local)).saving;
    a.getState().addNode();
    expect(local.data.has(SAVE_KEY)).toBe(true);
    const b = createPlayground();
    await (await openSaved(b, local, memoryStorage())).saving;
    expect(b.temporal.getState().pastStates).toHaveLength(0);
    expect(b.getState().scenario.nodes).toHaveLength(3);
  });
});
