// Editing a scenario the way the playground does: every operation allocates what
// is new through IPAM and never renumbers what was already there.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { allocate, compile, emptyScenario, loadScenario, show, type Scenario, type Result } from './index.ts';
import * as edit from './edit.ts';

function value(r: Result<Scenario>): Scenario {
  if (!r.ok) throw new Error(r.issues.map((i) => i.reason).join('; '));
  return r.value;
}
function twoNodes(): Scenario {
  let s = value(allocate(emptyScenario()));
  s = value(edit.addNode(s));
  s = value(edit.addNode(s));
  return s;
}

describe('edit', () => {
  it('adds nodes with the next name, an InternalIP and the next podCIDR', () => {
    const s = twoNodes();
    expect(s.nodes.map((n) => [n.name, n.podCIDR])).toEqual([
      ['node-1', '10.244.0.0/24'],
      ['node-2', '10.244.1.0/24'],
    ]);
    expect(new Set(s.nodes.map((n) => n.internalIP)).size).toBe(2);
  });

  it('gives pods host-local addresses (.2 upward) and never reuses a freed one at once', () => {
    let s = twoNodes();
    s = value(edit.addPod(s, 'node-1', { name: 'a' }));
    s = value(edit.addPod(s, 'node-1', { name: 'b' }));
    expect(s.pods.map((p) => p.podIP)).toEqual(['10.244.0.2', '10.244.0.3']);
    s = value(edit.remove(s, 'pod', 'default/b'));
    s = value(edit.addPod(s, 'node-1', { name: 'c' }));
    expect(s.pods.map((p) => [p.name, p.podIP])).toEqual([
      ['a', '10.244.0.2'],
      ['c', '10.244.0.4'],
    ]);
  });

  it('cni0 stays on a node after its last pod goes (the bridge plugin never deletes it), down and without a carrier', () => {
    let s = twoNodes();
    s = value(edit.addPod(s, 'node-1', { name: 'a' }));
    s = value(edit.remove(s, 'pod', 'default/a'));
    expect(s.nodes[0].cni0Created).toBe(true);
    const shown = show(compile(s), 'node-1');
    if (!shown.ok) throw new Error('no node-1');
    // As seen in a netns after the bridge plugin's ADD then DEL: no port, no carrier,
    // its MTU back to 1500, the subnet route flagged linkdown.
    expect(shown.value.addr).toContain('\ncni0             DOWN           10.244.0.1/24 \n');
    expect(shown.value.route).toContain('10.244.0.0/24 dev cni0 proto kernel scope link src 10.244.0.1 linkdown \n');
    expect(compile(s).netns('node-1')!.devices.find((d) => d.name === 'cni0')!.mtu).toBe(1500);
    // A node that never had a pod has none.
    expect(compile(s).netns('node-2')!.devices.map((d) => d.name)).toEqual(['lo', 'eth0', 'flannel.1']);
  });

  it('a pod moved off a node leaves cni0 there too', () => {
    let s = twoNodes();
    s = value(edit.addPod(s, 'node-1', { name: 'a' }));
    s = value(edit.movePod(s, 'default/a', 'node-2'));
    expect(compile(s).netns('node-1')!.devices.some((d) => d.name === 'cni0')).toBe(true);
    expect(compile(s).netns('node-2')!.devices.find((d) => d.name === 'cni0')!.mtu).toBe(1450);
  });

  it('moves a pod as a new pod: an address from the new node, nobody else renumbered', () => {
    let s = twoNodes();
    s = value(edit.addPod(s, 'node-1', { name: 'a' }));
    s = value(edit.addPod(s, 'node-2', { name: 'b' }));
    s = value(edit.movePod(s, 'default/a', 'node-2'));
    expect(s.pods.map((p) => [p.name, p.nodeName, p.podIP])).toEqual([
      ['a', 'node-2', '10.244.1.3'],
      ['b', 'node-2', '10.244.1.2'],
    ]);
  });

  it('renames a node and carries its pods along, keeping every address', () => {
    let s = twoNodes();
    s = value(edit.addPod(s, 'node-1', { name: 'a' }));
    const ip = s.pods[0].podIP;
    s = value(edit.rename(s, 'node', 'node-1', 'worker-a'));
    expect(s.nodes[0]).toMatchObject({ name: 'worker-a', podCIDR: '10.244.0.0/24' });
    expect(s.pods[0]).toMatchObject({ nodeName: 'worker-a', podIP: ip });
  });

  it('refuses bad names, duplicates and ports with a reason naming the field', () => {
    let s = twoNodes();
    s = value(edit.addPod(s, 'node-1', { name: 'a' }));
    const bad = edit.rename(s, 'pod', 'default/a', 'A_b');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.issues[0]).toMatchObject({ document: 'Pod/default/a', field: 'metadata.name' });
    expect(edit.addNode(s, 'node-1').ok).toBe(false);
    const port = edit.setPodPorts(s, 'default/a', [{ containerPort: 70000, protocol: 'TCP' }]);
    expect(port.ok).toBe(false);
    if (!port.ok) expect(port.issues[0].field).toBe('spec.containers[0].ports[0].containerPort');
    expect(edit.addPod(s, 'nope').ok).toBe(false);
  });

  it('gives a Service a ClusterIP, and a nodePort in 30000-32767 when it becomes NodePort', () => {
    let s = twoNodes();
    s = value(edit.addService(s, { name: 'web', selector: { app: 'web' } }));
    expect(s.services[0].clusterIP).toMatch(/^10\.96\.\d+\.\d+$/);
    s = value(edit.setServiceType(s, 'default/web', 'NodePort'));
    const np = s.services[0].ports[0].nodePort!;
    expect(np).toBeGreaterThanOrEqual(30000);
    expect(np).toBeLessThanOrEqual(32767);
    s = value(edit.setServiceType(s, 'default/web', 'ClusterIP'));
    expect(s.services[0].ports[0].nodePort).toBeUndefined();
  });

  it('sets a traffic policy as the API server allows it, and drops externalTrafficPolicy with the NodePort', () => {
    let s = twoNodes();
    s = value(edit.addService(s, { name: 'web', selector: { app: 'web' } }));
    const refused = edit.setTrafficPolicy(s, 'default/web', 'external', 'Local');
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.issues[0]).toMatchObject({ field: 'spec.externalTrafficPolicy' });
    s = value(edit.setTrafficPolicy(s, 'default/web', 'internal', 'Local'));
    expect(s.services[0].internalTrafficPolicy).toBe('Local');
    s = value(edit.setServiceType(s, 'default/web', 'NodePort'));
    s = value(edit.setTrafficPolicy(s, 'default/web', 'external', 'Local'));
    expect(s.services[0].externalTrafficPolicy).toBe('Local');
    s = value(edit.setServiceType(s, 'default/web', 'ClusterIP'));
    expect(s.services[0].externalTrafficPolicy).toBeUndefined();
    expect(s.services[0].internalTrafficPolicy).toBe('Local');
    s = value(edit.setTrafficPolicy(s, 'default/web', 'internal', 'Cluster'));
    expect('internalTrafficPolicy' in s.services[0]).toBe(false);
  });

  it('deleting a node deletes the pods on it', () => {
    let s = twoNodes();
    s = value(edit.addPod(s, 'node-1', { name: 'a' }));
    s = value(edit.addPod(s, 'node-2', { name: 'b' }));
    s = value(edit.remove(s, 'node', 'node-1'));
    expect(s.nodes.map((n) => n.name)).toEqual(['node-2']);
    expect(s.pods.map((p) => p.name)).toEqual(['b']);
  });
});

describe('changing the CNI or the ranges', () => {
  const base = (() => {
    const r = loadScenario(readFileSync(new URL('../../public/scenarios/flannel-vxlan.yaml', import.meta.url), 'utf8'));
    if (!r.ok) throw new Error('load');
    return r.value;
  })();
  it('flannel-vxlan → bridge-hostgw keeps every address (both use per-node podCIDRs)', () => {
    const r = edit.setCluster(base, { cni: 'bridge-hostgw' });
    expect(r.ok && r.value.pods.map((p) => p.podIP)).toEqual(base.pods.map((p) => p.podIP));
  });
  it('flannel-vxlan → vpc re-creates the pods with node-network addresses, and back again', () => {
    const vpc = edit.setCluster(base, { cni: 'vpc' });
    if (!vpc.ok) throw new Error(JSON.stringify(vpc.issues));
    expect(vpc.value.nodes.every((n) => n.podCIDR === undefined)).toBe(true);
    expect(vpc.value.pods.map((p) => p.podIP)).toEqual(['192.168.56.12', '192.168.56.13', '192.168.56.14']);
    const back = edit.setCluster(vpc.value, { cni: 'flannel-vxlan' });
    expect(back.ok && back.value.pods.map((p) => p.podIP)).toEqual(['10.244.0.2', '10.244.1.2', '10.244.0.3']);
  });
  it('a new service CIDR renumbers the Services; a bad one is refused and nothing changes', () => {
    const r = edit.setCluster(base, { serviceCIDR: '10.100.0.0/16' });
    expect(r.ok && r.value.services[0].clusterIP).toBe('10.100.0.11');
    const bad = edit.setCluster(base, { serviceCIDR: '10.100.0.0/33' });
    expect(bad.ok).toBe(false);
    expect(base.services[0].clusterIP).toBe('10.96.0.11');
  });
});
