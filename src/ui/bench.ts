// A big cluster for `npm run bench:ui`: NODES nodes × PODS pods, a Service per
// node's worth of pods, all addresses from the engine's IPAM.
import { allocate } from '../sim/ipam/index.ts';
import type { Scenario } from '../sim/model.ts';
import { DEMO } from '../store/demo.ts';
import { flannelVxlan } from '../sim/cni/flannelVxlan.ts';

export function benchScenario(nodes: number, podsPerNode: number): Scenario {
  const s: Scenario = {
    // More nodes than the demo's /24 node network and /16 podCIDR hold: wider ones, as a real cluster of that size has.
    cluster: { ...DEMO.cluster, cni: flannelVxlan.mode, ...(nodes > 200 ? { nodeNetwork: '192.168.0.0/16', podCIDR: '10.128.0.0/9' } : {}) },
    namespaces: ['default'],
    nodes: Array.from({ length: nodes }, (_, i) => ({ name: `node-${i + 1}`, labels: { 'kubernetes.io/hostname': `node-${i + 1}` } })),
    pods: [],
    services: [],
  };
  for (let n = 0; n < nodes; n++) {
    for (let p = 0; p < podsPerNode; p++) {
      s.pods.push({ namespace: 'default', name: `app-${n + 1}-${p + 1}`, labels: { app: `app-${p % 5}` }, nodeName: `node-${n + 1}`, ports: [{ containerPort: 8080, protocol: 'TCP' }] });
    }
  }
  for (let i = 0; i < 5; i++) {
    s.services.push({ namespace: 'default', name: `svc-${i}`, type: 'ClusterIP', selector: { app: `app-${i}` }, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] });
  }
  const r = allocate(s);
  if (!r.ok) throw new Error(r.issues.map((x) => x.reason).join('; '));
  return r.value;
}

/** `?bench=20x50` → [20, 50]. */
export function benchSize(search: string): [number, number] | null {
  const m = /[?&]bench=(\d+)x(\d+)/.exec(search);
  return m ? [Number(m[1]), Number(m[2])] : null;
}
