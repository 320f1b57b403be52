// What the hops claim (routed or bridged, TTL, hairpin, br_netfilter, which FDB
// entry or neighbour decided) must be what the kernel does. Each case here was seen
// in network namespaces (scripts/kernel/differential.kernel.ts checks the same
// claims on every example and generated cluster).
import { describe, expect, it } from 'vitest';
import { compile, parseDestination, parseSource, trace, type Scenario, type Trace } from '../index.ts';
import type { Hop } from './types.ts';
import type { TraceOptions } from './index.ts';
import { cluster, load, node, pod, service } from '../testing/helpers.ts';

const http = [{ name: 'http', containerPort: 8080 }];

function walk(s: Scenario | ReturnType<typeof compile>, from: string, to: string, opts: TraceOptions = {}, proto: 'tcp' | 'udp' = 'tcp'): Trace {
  const dp = 'netnsNames' in s ? s : compile(s);
  const f = parseSource(from);
  const t = parseDestination(to);
  if (!f.ok || !t.ok) throw new Error(`bad request ${from} → ${to}`);
  const r = trace(dp, { from: f.value, to: t.value, proto }, opts);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}
const all = (t: Trace): Hop[] => [...t.hops, ...t.reply];
const hairpins = (t: Trace) => all(t).filter((h) => h.claims?.hairpin);
const brNetfilter = (t: Trace) => all(t).filter((h) => h.claims?.brNetfilter);
const delivered = (hops: Hop[]) => hops.find((h) => h.action === 'deliver')!;

describe('hairpin is claimed only where the frame goes back out its own port', () => {
  for (const cni of ['flannel-vxlan', 'bridge-hostgw']) {
    const s = load(cluster(cni) + node('node-1') + node('node-2') + pod('solo', 'node-1', { app: 'solo' }, http) + service('solo', { app: 'solo' }, [{ port: 80, targetPort: 8080, nodePort: 30000 }], 'NodePort'));
    it(`${cni}: the only endpoint reaching another node's NodePort comes back over the network and is routed out cni0: no hairpin`, () => {
      const t = walk(s, 'pod/default/solo', 'node/node-2:30000');
      expect(t.verdict).toBe('delivered');
      expect(hairpins(t)).toEqual([]);
      expect(all(t).some((h) => h.why.includes('hairpin'))).toBe(false);
      // And without hairpin mode it still works, as in the kernel.
      expect(walk(s, 'pod/default/solo', 'node/node-2:30000', { bridge: { hairpinMode: false } }).verdict).toBe('delivered');
    });
    it(`${cni}: the same pod to its own ClusterIP and its own node's NodePort needs hairpin, and breaks without it`, () => {
      for (const to of ['service/default/solo:80', 'node/node-1:30000']) {
        const t = walk(s, 'pod/default/solo', to);
        expect(t.verdict).toBe('delivered');
        expect(hairpins(t).map((h) => h.claims!.hairpin)).toContainEqual({ bridge: 'cni0', port: expect.stringMatching(/^veth[0-9a-f]{8}$/) });
        const off = walk(s, 'pod/default/solo', to, { bridge: { hairpinMode: false } });
        expect(off.verdict).toBe('dropped');
        expect(off.reason).toContain('hairpin mode');
        // The bridge picks the port (and refuses the hairpin) before FORWARD and POSTROUTING:
        // without hairpin mode no MASQUERADE ever happens (seen in the kernel: its counter stays 0).
        expect(off.hops.some((h) => h.action === 'snat')).toBe(false);
        // With it, the bridge decision comes first, then POSTROUTING's masquerade, then out the port.
        const acts = t.hops.map((h) => h.action);
        expect(acts.lastIndexOf('bridge')).toBeLessThan(acts.indexOf('snat'));
      }
    });
  }
});

describe('same-node pod → Service is bridged DNAT; br_netfilter is credited only on bridged frames', () => {
  const s = load(cluster('flannel-vxlan') + node('n1') + node('n2') + pod('client', 'n1', {}) + pod('web', 'n1', { app: 'web' }, http) + pod('far', 'n2', { app: 'far' }, http) + service('web', { app: 'web' }, [{ port: 80, targetPort: 8080 }]) + service('far', { app: 'far' }, [{ port: 80, targetPort: 8080 }]));
  it('the frame is bridged across cni0 after the DNAT: never routed, it arrives with TTL 64 like pod → pod', () => {
    const t = walk(s, 'pod/default/client', 'service/default/web:80');
    expect(t.verdict).toBe('delivered');
    expect(t.hops.some((h) => h.why.startsWith('forwarding: route lookup'))).toBe(false);
    expect(t.hops.some((h) => h.why.includes('hands it up'))).toBe(false);
    expect(t.hops.find((h) => h.action === 'dnat')!.claims).toEqual({ brNetfilter: true });
    expect(t.hops.some((h) => h.action === 'route' && h.why.includes('bridged DNAT'))).toBe(true);
    expect(delivered(t.hops).packet.ttl).toBe(64);
    expect(delivered(t.reply).packet.ttl).toBe(64);
    // The reply is bridged straight back: br_netfilter's POSTROUTING un-DNATs it.
    const undo = t.reply.find((h) => h.action === 'undo-nat')!;
    expect(undo.claims).toEqual({ brNetfilter: true });
    expect(undo.why).toContain('br_netfilter');
  });
  it('cross-node Service traffic is routed twice: TTL 62, and no hop credits br_netfilter', () => {
    const t = walk(s, 'pod/default/client', 'service/default/far:80');
    expect(delivered(t.hops).packet.ttl).toBe(62);
    expect(delivered(t.reply).packet.ttl).toBe(62);
    expect(brNetfilter(t)).toEqual([]);
    expect(all(t).some((h) => h.why.includes('br_netfilter'))).toBe(false);
  });
  it('a NodePort reply routed out cni0 or eth0 is un-DNATed by the IP layer, not credited to br_netfilter', () => {
    const x = load(cluster('flannel-vxlan') + node('n1') + node('n2') + pod('web', 'n1', { app: 'web' }, http) + service('web', { app: 'web' }, [{ port: 80, targetPort: 8080, nodePort: 30080 }], 'NodePort'));
    for (const to of ['node/n1:30080', 'node/n2:30080']) {
      const t = walk(x, 'external', to);
      expect(t.verdict).toBe('delivered');
      expect(brNetfilter(t)).toEqual([]);
      expect(walk(x, 'external', to, { bridge: { bridgeNfCallIptables: false } }).verdict).toBe('delivered');
    }
  });
  it('without br_netfilter the request is routed (TTL 63) but the reply is bridged past conntrack and never matches the client socket', () => {
    const off = walk(s, 'pod/default/client', 'service/default/web:80', { bridge: { bridgeNfCallIptables: false } });
    expect(off.verdict).toBe('dropped');
    expect(delivered(off.hops).packet.ttl).toBe(63);
    expect(off.reason).toContain('not from 10.96.0.');
  });
  it('pod → itself through its ClusterIP without br_netfilter: routed and masqueraded to cni0, so it works (TTL 63)', () => {
    const t = walk(s, 'pod/default/web', 'service/default/web:80', { bridge: { bridgeNfCallIptables: false } });
    expect(t.verdict).toBe('delivered');
    expect(delivered(t.hops).packet.ttl).toBe(63);
    expect(hairpins(t)).toEqual([]);
  });
});

describe('TTL: one less per IP forward, none for a bridge', () => {
  it('pod → pod: 64 on one node, 62 across nodes (flannel and host-gw), 62 in vpc', () => {
    for (const cni of ['flannel-vxlan', 'bridge-hostgw', 'vpc']) {
      const s = load(cluster(cni) + node('n1') + node('n2') + pod('a', 'n1', {}, http) + pod('b', 'n1', {}, http) + pod('c', 'n2', {}, http));
      expect(delivered(walk(s, 'pod/default/a', 'pod/default/b:8080').hops).packet.ttl).toBe(cni === 'vpc' ? 63 : 64);
      expect(delivered(walk(s, 'pod/default/a', 'pod/default/c:8080').hops).packet.ttl).toBe(62);
    }
  });
  it('every hop carries the TTL, 64 where a socket sends', () => {
    const s = load(cluster('flannel-vxlan') + node('n1') + pod('a', 'n1', {}, http));
    const t = walk(s, 'external', 'pod/default/a:8080');
    expect(t.hops[0].packet.ttl).toBe(64);
  });
});

describe('endpoint probability is said truthfully', () => {
  const s = load(cluster('flannel-vxlan') + node('n1') + pod('c', 'n1', {}) + ['w1', 'w2', 'w3'].map((n) => pod(n, 'n1', { app: 'w' }, http)).join('') + service('w', { app: 'w' }, [{ port: 80, targetPort: 8080 }]));
  const why = (i: number) => walk(s, 'pod/default/c', 'service/default/w:80', { endpointIndex: i }).hops.find((h) => h.action === 'dnat')!.why;
  it('each rule\'s --probability is conditional on the earlier rules missing; each endpoint\'s overall chance is 1/n', () => {
    expect(why(0)).toContain('rule 1 of 3 fires with --probability 0.33333;');
    expect(why(1)).toContain('rule 2 of 3 fires with --probability 0.50000 when the rule before it missed');
    expect(why(2)).toContain('last rule (3 of 3) has no --probability');
    for (const i of [0, 1, 2]) expect(why(i)).toContain('each of its 3 endpoints is picked with overall chance 1/3');
    expect(why(1)).not.toMatch(/picked this endpoint with probability 0\.50/);
  });
});

describe('forwarding decisions are lookups in the compiled tables', () => {
  const s = load(cluster('flannel-vxlan') + node('n1') + node('n2') + pod('a', 'n1', {}) + pod('b', 'n1', {}, http) + pod('c', 'n2', {}, http));
  it('cni0 with an empty FDB floods the frame; it still arrives, and the hop says so', () => {
    const dp = compile(s);
    dp.netns('n1')!.fdb.length = 0;
    const t = walk(dp, 'pod/default/a', 'pod/default/b:8080');
    expect(t.verdict).toBe('delivered');
    const bridge = t.hops.find((h) => h.action === 'bridge')!;
    expect(bridge.why).toContain('no FDB entry');
    // With hairpin mode on (the default) a flood also goes back out the port it came in on.
    expect(bridge.why).toContain('floods the frame out of every port, and only');
    const off = walk(dp, 'pod/default/a', 'pod/default/b:8080', { bridge: { hairpinMode: false } }).hops.find((h) => h.action === 'bridge')!;
    expect(off.why).toContain('floods the frame out of every port but the one it came in on');
    expect(bridge.matched).toBeUndefined();
    const normal = walk(s, 'pod/default/a', 'pod/default/b:8080').hops.find((h) => h.action === 'bridge')!;
    expect(normal.why).toContain('forwards the frame by its FDB');
    expect(normal.matched).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2} dev veth[0-9a-f]{8} master cni0$/);
  });
  it('the node-network switch floods when its FDB is empty', () => {
    const dp = compile(s);
    dp.netns('node-network')!.fdb.length = 0;
    const t = walk(dp, 'node/n1', 'node/n2:10250');
    expect(t.hops.find((h) => h.netns === 'node-network')!.why).toContain('floods');
  });
  it('flannel.1 does not ARP: without its permanent neighbour entry the packet is dropped', () => {
    const dp = compile(s);
    dp.netns('n1')!.neighbours.length = 0;
    const t = walk(dp, 'pod/default/a', 'pod/default/c:8080');
    expect(t.verdict).toBe('dropped');
    expect(t.hops.at(-1)).toMatchObject({ netns: 'n1', device: 'flannel.1', action: 'drop' });
  });
  it('a pod resolves its gateway by ARP on the bridge: the frame goes to cni0\'s MAC', () => {
    const dp = compile(s);
    const cni0 = dp.netns('n1')!.devices.find((d) => d.name === 'cni0')!;
    const t = walk(dp, 'pod/default/a', 'pod/default/c:8080');
    expect(t.hops.find((h) => h.netns === 'default/a' && h.action === 'transmit')!.why).toContain(`ARP: 10.244.0.1 is at ${cni0.mac} (cni0 of node n1)`);
  });
});

describe('a localhost NodePort credits route_localnet', () => {
  it('the route hop that sends a 127.0.0.1 source out of cni0 says it needs route_localnet=1, as a typed claim', () => {
    const s = load(cluster('flannel-vxlan') + node('n1') + pod('w', 'n1', { app: 'w' }, http) + service('w', { app: 'w' }, [{ port: 80, targetPort: 8080, nodePort: 30000 }], 'NodePort'));
    const t = walk(s, 'node/n1', '127.0.0.1:30000');
    expect(t.verdict).toBe('delivered');
    expect(t.hops.filter((h) => h.claims?.routeLocalnet).map((h) => h.device)).toEqual(['cni0']);
    expect(walk(s, 'node/n1', 'node/n1:30000').hops.some((h) => h.claims?.routeLocalnet)).toBe(false);
  });
});

describe('which ends of a request the cluster does not hold', () => {
  it('names a missing pod, node, Service or a Deployment without pods by a typed code, and nothing else', async () => {
    const { missingEnds } = await import('./index.ts');
    const s = load(cluster('flannel-vxlan') + node('n1') + pod('a', 'n1', {}, http) + service('headless', { app: 'x' }, [{ port: 80 }], 'ClusterIP', { clusterIP: 'None' }));
    const dp = compile(s);
    const gone = missingEnds(dp, { from: { kind: 'pod', namespace: 'default', name: 'gone' }, to: { kind: 'node', name: 'n9', port: 80 }, proto: 'tcp' });
    expect(gone.map((i) => [i.field, i.code])).toEqual([['--from', 'no-such-object'], ['--to', 'no-such-object']]);
    expect(missingEnds(dp, { from: { kind: 'deployment', namespace: 'default', name: 'web' }, to: { kind: 'service', namespace: 'default', name: 'nope', port: 80 }, proto: 'tcp' })).toHaveLength(2);
    // A headless Service exists: the request is refused for another reason, not because it is gone.
    expect(missingEnds(dp, { from: { kind: 'pod', namespace: 'default', name: 'a' }, to: { kind: 'service', namespace: 'default', name: 'headless', port: 80 }, proto: 'tcp' })).toEqual([]);
    // The playground's quick check gives missingEnds' answer, for every kind of end, there or not.
    const { endsExist } = await import('./endsExist.ts');
    const froms = [{ kind: 'pod', namespace: 'default', name: 'a' }, { kind: 'pod', namespace: 'default', name: 'gone' }, { kind: 'deployment', namespace: 'default', name: 'web' }, { kind: 'deployment', namespace: 'default', name: 'nope' }, { kind: 'node', name: 'n1' }, { kind: 'node', name: 'n9' }, { kind: 'external' }] as const;
    const tos = [{ kind: 'pod', namespace: 'default', name: 'a', port: 80 }, { kind: 'pod', namespace: 'x', name: 'a', port: 80 }, { kind: 'service', namespace: 'default', name: 'headless', port: 80 }, { kind: 'service', namespace: 'default', name: 'nope', port: 80 }, { kind: 'service', namespace: 'default', name: 'kubernetes', port: 443 }, { kind: 'node', name: 'n1', port: 80 }, { kind: 'node', name: 'n9', port: 80 }, { kind: 'ip', ip: '10.0.0.1', port: 80 }] as const;
    for (const from of froms) for (const to of tos) expect(endsExist(dp.scenario, { from, to, proto: 'tcp' }), `${JSON.stringify(from)} → ${JSON.stringify(to)}`).toBe(missingEnds(dp, { from, to, proto: 'tcp' }).length === 0);
  });
});
