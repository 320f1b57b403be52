// kube-proxy's rules are worked out per Service port only when a packet meets them
// (kubeProxy.ts): a trace walks KUBE-SERVICES with the rules its destination can
// match. Held here to the whole rule set: the same traces, the same iptables-save.
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../model.ts';
import { objectKey } from '../model.ts';
import { trace } from '../trace/index.ts';
import type { TraceDestination, TraceSource } from '../trace/types.ts';
import { compile, type Dataplane } from './compile.ts';
import { show } from './show.ts';
import { load } from '../testing/helpers.ts';

/** A cluster big enough that most Service ports are not the one traced: NodePorts, named and UDP ports, Services without endpoints, a hostPort, not-ready pods. */
function bigCluster(cni: string): Scenario {
  const docs: object[] = [
    { apiVersion: 'podpath.dev/v1alpha1', kind: 'Cluster', metadata: { name: 'c' }, spec: { podCIDR: '10.0.0.0/12', nodeCIDRMaskSize: 24, serviceCIDR: '172.16.0.0/16', nodeNetwork: '192.168.0.0/16', cni, kubeProxy: 'iptables' } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
  ];
  const nodes = 6;
  for (let n = 0; n < nodes; n++) docs.push({ apiVersion: 'v1', kind: 'Node', metadata: { name: `node-${n}` } });
  for (let i = 0; i < 240; i++) {
    const ports: object[] = [{ name: 'http', containerPort: 8080 }];
    if (i % 7 === 0) ports.push({ name: 'dns', containerPort: 53, protocol: 'UDP' });
    if (i === 5) ports.push({ containerPort: 9000, hostPort: 31999 });
    docs.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `p-${i}`, namespace: i % 2 ? 'shop' : 'default', labels: { app: `a${i % 40}`, tier: `t${i % 3}` } },
      spec: { nodeName: `node-${i % nodes}`, containers: [{ name: 'c', image: 'x', ports }] },
      ...(i % 23 === 0 ? { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] } } : {}),
    });
  }
  for (let v = 0; v < 120; v++) {
    const nodePort = v % 4 === 0;
    const ports: Record<string, unknown>[] = [{ name: 'web', port: 80, targetPort: v % 2 ? 'http' : 8080 }];
    if (v % 7 === 0) ports.push({ name: 'dns', port: 53, targetPort: 'dns', protocol: 'UDP' });
    if (nodePort) ports.forEach((p, k) => (p.nodePort = 30000 + v * 2 + k));
    // a60… select no pod: Services without endpoints, REJECTed in the filter table.
    const selector: Record<string, string> = { app: `a${v % 60}` };
    if (v % 5 === 0) selector.tier = `t${v % 3}`;
    docs.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: `s-${v}`, namespace: v % 3 ? 'shop' : 'default' }, spec: { type: nodePort ? 'NodePort' : 'ClusterIP', selector, ports } });
  }
  return load(JSON.stringify({ apiVersion: 'v1', kind: 'List', items: docs }));
}

/** Every node's whole nat and filter tables, built before anything is traced. */
function materialised(s: Scenario): Dataplane {
  const dp = compile(s);
  for (const n of s.nodes) {
    const ns = dp.netns(n.name)!;
    expect(ns.nat.rules.length + ns.filter.rules.length).toBeGreaterThan(0);
  }
  return dp;
}

function requests(s: Scenario): { from: TraceSource; to: TraceDestination; proto: 'tcp' | 'udp' }[] {
  const sources: TraceSource[] = [{ kind: 'pod', namespace: 'default', name: 'p-0' }, { kind: 'pod', namespace: 'shop', name: 'p-5' }, { kind: 'node', name: 'node-2' }, { kind: 'external' }];
  const to: { to: TraceDestination; proto: 'tcp' | 'udp' }[] = [];
  for (const v of s.services) {
    for (const sp of v.ports) {
      const proto = sp.protocol === 'UDP' ? 'udp' : 'tcp';
      to.push({ to: { kind: 'service', namespace: v.namespace, name: v.name, port: sp.port }, proto });
      if (sp.nodePort) to.push({ to: { kind: 'node', name: 'node-3', port: sp.nodePort }, proto });
    }
  }
  const first = s.services[1];
  to.push({ to: { kind: 'ip', ip: first.clusterIP!, port: 81 }, proto: 'tcp' }); // a ClusterIP on a port it has not
  to.push({ to: { kind: 'node', name: 'node-5', port: 31999 }, proto: 'tcp' }); // a hostPort
  to.push({ to: { kind: 'pod', namespace: 'shop', name: 'p-7', port: 8080 }, proto: 'tcp' });
  return sources.flatMap((from) => to.map((t) => ({ from, ...t })));
}

describe('kube-proxy rules worked out for the Service ports a packet meets', () => {
  for (const cni of ['flannel-vxlan', 'bridge-hostgw', 'vpc']) {
    it(`${cni}: every trace is the one the whole rule set gives, and iptables-save after them is the whole rule set`, () => {
      const s = bigCluster(cni);
      const reqs = requests(s);
      expect(reqs.length).toBeGreaterThan(600);
      const full = materialised(s);
      const lazy = compile(s);
      let delivered = 0;
      let rejected = 0;
      for (const req of reqs) {
        for (const endpointIndex of [0, 1]) {
          const a = trace(lazy, req, { endpointIndex });
          const b = trace(full, req, { endpointIndex });
          expect(a, `${JSON.stringify(req)} endpoint ${endpointIndex}`).toEqual(b);
          if (a.ok && a.value.verdict === 'delivered') delivered++;
          if (a.ok && a.value.code === 'reject-no-endpoints') rejected++;
        }
      }
      // The comparison covers both: packets DNATed to an endpoint and REJECTed for having none.
      expect(delivered).toBeGreaterThan(100);
      expect(rejected).toBeGreaterThan(20);
      // After the lazy traces, a node's tables as iptables-save prints them are whole, in kube-proxy's order.
      const fresh = materialised(s);
      for (const n of s.nodes) expect(show(lazy, n.name)).toEqual(show(fresh, n.name));
      for (const p of s.pods.slice(0, 4)) expect(show(lazy, objectKey(p))).toEqual(show(fresh, objectKey(p)));
    });
  }
});
