// The playground's store, driven without a DOM: what a person would see change
// after each action (addresses, the trace, undo, what survives a reload).
import { beforeAll, describe, expect, it } from 'vitest';
import type { StateStorage } from 'zustand/middleware';
import { readFileSync } from 'node:fs';
import { createPlayground, initialDoc, loadIo, requestEndsExist } from './store.ts';
import { previousOnLeg, selectHops, selectTrace } from './derived.ts';
import { DEMO } from './demo.ts';
import { openSaved } from './persist.ts';
import { parseScenario } from '../sim/index.ts';

function memoryStorage(): StateStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) };
}
const ipOf = (st: ReturnType<ReturnType<typeof createPlayground>['getState']>, name: string) => st.scenario.pods.find((p) => p.name === name)?.podIP;

describe('playground store', () => {
  // The page loads its reader as it starts (see openSaved); undo and redo read through it.
  beforeAll(() => loadIo());
  it('the played hops are the same array for the same state, with and without the reply (a selector must be stable)', () => {
    const store = createPlayground();
    store.getState().send();
    const once = selectHops(store.getState());
    expect(selectHops(store.getState())).toBe(once);
    store.getState().setShowReply(true);
    const withReply = selectHops(store.getState());
    expect(withReply.length).toBeGreaterThan(once.length);
    expect(selectHops(store.getState())).toBe(withReply);
    expect(withReply.at(-1)).toMatchObject({ netns: 'default/client', action: 'deliver' });
  });
  it('undoing a rename lets go of a selection and a packet that named the new name', () => {
    const store = createPlayground();
    store.getState().select({ kind: 'pod', key: 'default/web-1' });
    store.getState().rename('pod', 'default/web-1', 'web-one');
    expect(store.getState().selection).toEqual({ kind: 'pod', key: 'default/web-one' });
    store.getState().send({ from: { kind: 'pod', namespace: 'default', name: 'client' }, to: { kind: 'pod', namespace: 'default', name: 'web-one', port: 8080 }, proto: 'tcp' });
    store.temporal.getState().undo();
    expect(store.getState().scenario.pods.some((p) => p.name === 'web-1')).toBe(true);
    expect(store.getState().selection).toBeNull();
    expect(store.getState().request).toBeNull();
  });
  it('a rename follows the packet to the new name, for a pod, a Service and a node at either end', () => {
    const store = createPlayground();
    const st = () => store.getState();
    st().send({ from: { kind: 'node', name: 'node-1' }, to: { kind: 'service', namespace: 'default', name: 'web', port: 80 }, proto: 'tcp' });
    st().rename('node', 'node-1', 'worker-1');
    st().rename('service', 'default/web', 'front');
    expect(st().request).toEqual({ from: { kind: 'node', name: 'worker-1' }, to: { kind: 'service', namespace: 'default', name: 'front', port: 80 }, proto: 'tcp' });
    st().send({ from: { kind: 'pod', namespace: 'default', name: 'client' }, to: { kind: 'pod', namespace: 'default', name: 'web-2', port: 8080 }, proto: 'tcp' });
    st().rename('pod', 'default/web-2', 'web-two');
    st().rename('pod', 'default/client', 'curl');
    expect(st().request).toMatchObject({ from: { name: 'curl' }, to: { name: 'web-two' } });
    expect(selectTrace(st())?.kind).toBe('traced');
  });
  it('a packet from a Deployment stays while the Deployment has a pod, and the external client and an address always stay', () => {
    const s = initialDoc().scenario;
    const owned = { ...s, pods: s.pods.map((p) => (p.name === 'web-1' ? { ...p, ownerKind: 'Deployment' as const, ownerName: 'web' } : p)) };
    const fromDeployment = { from: { kind: 'deployment', namespace: 'default', name: 'web' }, to: { kind: 'ip', ip: '10.96.0.11', port: 80 }, proto: 'tcp' } as const;
    expect(requestEndsExist(owned, fromDeployment)).toBe(true);
    expect(requestEndsExist(s, fromDeployment)).toBe(false);
    expect(requestEndsExist(s, { from: { kind: 'external' }, to: { kind: 'ip', ip: '192.0.2.1', port: 80 }, proto: 'udp' })).toBe(true);
    expect(requestEndsExist(s, { from: { kind: 'external' }, to: { kind: 'node', name: 'node-9', port: 30080 }, proto: 'tcp' })).toBe(false);
  });
  it('the reply\'s first hop has no previous hop to compare with (its swapped addresses are not a NAT)', () => {
    const store = createPlayground();
    store.getState().send();
    store.getState().setShowReply(true);
    const st = store.getState();
    const t = selectTrace(st)!;
    if (t.kind !== 'traced') throw new Error('trace');
    const n = t.trace.hops.length;
    expect(previousOnLeg(st, n)).toBeUndefined();
    expect(previousOnLeg(st, n + 1)).toBe(selectHops(st)[n]);
    expect(previousOnLeg(st, 1)).toBe(selectHops(st)[0]);
    expect(previousOnLeg(st, 0)).toBeUndefined();
  });
  it('opens on the demo cluster with every address allocated', () => {
    const st = createPlayground().getState();
    expect(st.scenario.nodes.map((n) => [n.name, n.podCIDR])).toEqual([
      ['node-1', '10.244.0.0/24'],
      ['node-2', '10.244.1.0/24'],
    ]);
    expect(st.scenario.pods.map((p) => [p.name, p.podIP])).toEqual([
      ['client', '10.244.0.2'],
      ['web-1', '10.244.0.3'],
      ['web-2', '10.244.1.2'],
    ]);
    expect(st.scenario.services[0].clusterIP).toMatch(/^10\.96\.0\.\d+$/);
  });

  it('keeps the demo file and the built-in demo the same cluster', () => {
    const parsed = parseScenario(readFileSync(new URL('../../public/scenarios/demo.yaml', import.meta.url), 'utf8'));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.cluster).toEqual(DEMO.cluster);
    expect(parsed.value.nodes.map((n) => n.name)).toEqual(DEMO.nodes.map((n) => n.name));
    expect(parsed.value.pods.map((p) => [p.name, p.nodeName, p.labels, p.ports.map((x) => x.containerPort)])).toEqual(
      DEMO.pods.map((p) => [p.name, p.nodeName, p.labels, p.ports.map((x) => x.containerPort)]),
    );
    expect(parsed.value.services.map((v) => [v.name, v.selector, v.ports.map((p) => [p.port, p.targetPort])])).toEqual(
      DEMO.services.map((v) => [v.name, v.selector, v.ports.map((p) => [p.port, p.targetPort])]),
    );
  });

  it('adds a node with a podCIDR and a pod on it without renumbering anyone', () => {
    const store = createPlayground();
    const before = store.getState().scenario.pods.map((p) => p.podIP);
    expect(store.getState().addNode({ x: 900, y: 200 })).toBe(true);
    const node = store.getState().scenario.nodes[2];
    expect(node.name).toBe('node-3');
    expect(node.podCIDR).toBe('10.244.2.0/24');
    expect(store.getState().positions['node:node-3']).toEqual({ x: 900, y: 200 });
    expect(store.getState().addPod('node-3')).toBe(true);
    const st = store.getState();
    expect(st.scenario.pods.at(-1)?.podIP).toBe('10.244.2.2');
    expect(st.scenario.pods.slice(0, 3).map((p) => p.podIP)).toEqual(before);
    expect(st.selection).toEqual({ kind: 'pod', key: `default/${st.scenario.pods.at(-1)?.name}` });
  });

  it('moves a pod to another node as a new pod with an address from that node', () => {
    const store = createPlayground();
    store.getState().movePod('default/web-1', 'node-2');
    const st = store.getState();
    expect(st.scenario.pods.find((p) => p.name === 'web-1')?.nodeName).toBe('node-2');
    expect(ipOf(st, 'web-1')).toBe('10.244.1.3');
    expect(ipOf(st, 'web-2')).toBe('10.244.1.2');
    expect(ipOf(st, 'client')).toBe('10.244.0.2');
  });

  it('refuses a bad edit with the reason and keeps the cluster as it was', () => {
    const store = createPlayground();
    const before = store.getState().scenario;
    expect(store.getState().rename('pod', 'default/web-1', 'web-2')).toBe(false);
    expect(store.getState().scenario).toBe(before);
    expect(store.getState().notice?.kind).toBe('error');
    expect(store.getState().notice?.text).toMatch(/already exists/);
    expect(store.getState().rename('node', 'node-1', 'Node_1')).toBe(false);
    expect(store.getState().notice?.text).toMatch(/not a valid name/);
    expect(store.getState().scenario).toBe(before);
  });

  it('undoes and redoes edits, but not selection or playback', () => {
    const store = createPlayground();
    const t = store.temporal.getState();
    expect(t.pastStates).toHaveLength(0);
    store.getState().addNode();
    store.getState().select({ kind: 'node', key: 'node-1' });
    store.getState().send();
    store.getState().setStep(3);
    expect(store.temporal.getState().pastStates).toHaveLength(1);
    store.temporal.getState().undo();
    expect(store.getState().scenario.nodes.map((n) => n.name)).toEqual(['node-1', 'node-2']);
    store.temporal.getState().redo();
    expect(store.getState().scenario.nodes.map((n) => n.name)).toEqual(['node-1', 'node-2', 'node-3']);
  });

  it('restores the cluster, positions and packet after a reload', async () => {
    const storage = memoryStorage();
    const a = createPlayground();
    await (await openSaved(a, storage)).saving;
    a.getState().addNode({ x: 10, y: 20 });
    a.getState().addPod('node-3', { name: 'db' });
    a.getState().send();
    const b = createPlayground();
    await openSaved(b, storage);
    expect(b.getState().scenario).toEqual(a.getState().scenario);
    expect(b.getState().positions).toEqual({ 'node:node-3': { x: 10, y: 20 } });
    expect(b.getState().request).toEqual(a.getState().request);
    expect(b.temporal.getState().pastStates).toHaveLength(0);
  });

  it('opens on the demo when the saved state is damaged, and keeps it', async () => {
    const storage = memoryStorage();
    const damaged = '{"state":{"scenario":{"nodes":"oops"}},"version":1}';
    storage.setItem('podpath', damaged);
    const store = createPlayground();
    await openSaved(store, storage);
    expect(store.getState().scenario.nodes).toHaveLength(2);
    expect(store.getState().unreadable).toEqual([{ text: damaged, problem: { code: 'cluster-refused', issues: [{ document: 'saved state', field: 'scenario.nodes', reason: 'must be a list' }] } }]);
  });

  it('sends the default packet from the first pod to the second, and re-runs it on any change', () => {
    const store = createPlayground();
    store.getState().send();
    const st = store.getState();
    expect(st.request?.from).toEqual({ kind: 'pod', namespace: 'default', name: 'client' });
    expect(st.request?.to).toMatchObject({ kind: 'pod', name: 'web-1', port: 8080 });
    const tr = selectTrace(st);
    expect(tr?.kind === 'traced' && tr.trace.verdict).toBe('delivered');
    expect(selectHops(st).some((h) => h.device === 'cni0')).toBe(true);

    // Cross-host in flannel-vxlan: the packet is wrapped by flannel.1.
    st.send({ ...st.request!, to: { kind: 'pod', namespace: 'default', name: 'web-2', port: 8080 } });
    store.getState().setCluster({ cni: 'flannel-vxlan' });
    const hops = selectHops(store.getState());
    expect(hops.some((h) => h.device === 'flannel.1' && h.packet.outer?.vni === 1)).toBe(true);
  });

  it('shows the DNAT of a Service trace as the destination changing', () => {
    const store = createPlayground();
    store.getState().send({ from: { kind: 'pod', namespace: 'default', name: 'client' }, to: { kind: 'service', namespace: 'default', name: 'web', port: 80 }, proto: 'tcp' });
    const hops = selectHops(store.getState());
    const dnat = hops.findIndex((h) => h.action === 'dnat');
    expect(dnat).toBeGreaterThan(0);
    expect(hops[dnat - 1].packet.dst).toMatch(/^10\.96\.0\.\d+:80$/);
    expect(hops[dnat].packet.dst).toMatch(/^10\.244\.\d\.\d+:8080$/);
  });

  it('imports a scenario file, and keeps the cluster when the file is bad', async () => {
    const store = createPlayground();
    const before = store.getState().scenario;
    expect(await store.getState().importText('kind: Pod\nmetadata: [', 'broken.yaml')).toBe(false);
    expect(store.getState().scenario).toBe(before);
    expect(store.getState().notice).toMatchObject({ kind: 'error', near: 'import' });
    // Named once: by the engine when the file itself is the problem, by the store otherwise.
    expect(store.getState().notice?.text).toMatch(/^broken\.yaml: YAML does not parse: /);
    expect(await store.getState().importText('apiVersion: v1\nkind: Pod\nmetadata: {name: Bad_Name}\n', 'pods.yaml')).toBe(false);
    expect(store.getState().notice?.text).toMatch(/^pods\.yaml: Pod\/default\/Bad_Name metadata\.name: "Bad_Name" is not a valid name/);
    const yaml = await store.getState().exportText();
    store.getState().newCluster();
    expect(store.getState().scenario.nodes).toHaveLength(0);
    expect(await store.getState().importText(yaml, 'export.yaml')).toBe(true);
    expect(store.getState().scenario.pods.map((p) => [p.name, p.podIP])).toEqual(before.pods.map((p) => [p.name, p.podIP]));
  });

  it('connects nothing to a Service until its selector picks pods, then follows renames', () => {
    const store = createPlayground();
    store.getState().addService(undefined, { name: 'api' });
    expect(store.getState().setSelector('default/api', { app: 'client' })).toBe(true);
    store.getState().send({ from: { kind: 'pod', namespace: 'default', name: 'web-1' }, to: { kind: 'service', namespace: 'default', name: 'api', port: 80 }, proto: 'tcp' });
    store.getState().rename('service', 'default/api', 'api2');
    expect(store.getState().request?.to).toMatchObject({ kind: 'service', name: 'api2' });
  });
});
