// allocate({ inPlace }) fills in a scenario that was just read instead of copying it
// (loadScenarioFiles): the same cluster as allocating a copy gives.
import { describe, expect, it } from 'vitest';
import { loadScenario, parseScenario } from '../index.ts';
import { allocate } from './index.ts';
import { forgetAllocation } from './afterEdit.ts';

/** Nodes with and without stored addresses, pods bound and to place, with and without stored IPs, Services with and without ClusterIPs and NodePorts. */
function file(cni: string): string {
  const items: object[] = [{ apiVersion: 'podpath.dev/v1alpha1', kind: 'Cluster', metadata: { name: 'c' }, spec: { podCIDR: '10.0.0.0/12', nodeCIDRMaskSize: 24, serviceCIDR: '172.16.0.0/16', nodeNetwork: '192.168.0.0/16', cni } }];
  for (let n = 0; n < 20; n++) items.push({ apiVersion: 'v1', kind: 'Node', metadata: { name: `node-${n}` }, ...(n % 4 === 0 ? { status: { addresses: [{ type: 'InternalIP', address: `192.168.9.${n + 10}` }] } } : {}) });
  for (let i = 0; i < 900; i++) {
    const bound = i % 5 !== 0;
    items.push({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `p-${i}`, namespace: i % 2 ? 'shop' : 'default', labels: { app: `a${i % 30}` } }, spec: { ...(bound ? { nodeName: `node-${i % 20}` } : {}), containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 8080 }] }] } });
  }
  items.push({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 7, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } } });
  for (let v = 0; v < 60; v++) items.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: `s-${v}`, namespace: v % 2 ? 'shop' : 'default' }, spec: { type: v % 3 ? 'ClusterIP' : 'NodePort', selector: { app: `a${v % 30}` }, ports: [{ port: 80, targetPort: 8080 }], ...(v % 7 === 0 ? { clusterIP: `172.16.200.${v}` } : {}) } });
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
}

describe('allocate in place', () => {
  for (const cni of ['flannel-vxlan', 'bridge-hostgw', 'vpc']) {
    it(`${cni}: a loaded file is the cluster that allocating a copy of it gives`, () => {
      forgetAllocation();
      const parsed = parseScenario(file(cni), 'c.json');
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
      const before = structuredClone(parsed.value);
      const copied = allocate(parsed.value);
      // The default path never changes its input.
      expect(parsed.value).toEqual(before);
      forgetAllocation();
      const loaded = loadScenario(file(cni), 'c.json');
      expect(loaded.ok && copied.ok).toBe(true);
      if (!loaded.ok || !copied.ok) return;
      expect(loaded.value).toEqual(copied.value);
      expect(loaded.value.pods.filter((p) => p.podIP).length).toBe(907);
    });
  }
});
