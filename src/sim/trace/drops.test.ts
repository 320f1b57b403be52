// The walk's drop paths, each set up the way a person would break a live node (an
// `ip neigh del`, an `ip route add`), and each asserting what the kernel does there:
// where the packet stops, with which TTL, and what is said about it.
import { describe, expect, it } from 'vitest';
import { compile, trace, type Dataplane, type Trace } from '../index.ts';
import { cluster, load, node, pod, podIP } from '../testing/helpers.ts';

const http = [{ containerPort: 8080 }];

function walk(dp: Dataplane, from: string, ip: string, proto: 'tcp' | 'udp' = 'tcp'): Trace {
  const r = trace(dp, { from: { kind: 'pod', namespace: 'default', name: from }, to: { kind: 'ip', ip, port: 8080 }, proto });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}
const last = (t: Trace) => {
  const h = t.hops.at(-1)!;
  return { netns: h.netns, device: h.device, action: h.action, ttl: h.packet.ttl };
};

describe("flannel.1 without flanneld's entries for a VTEP", () => {
  const s = load(cluster('flannel-vxlan') + node('n1') + node('n2') + pod('a', 'n1', {}) + pod('b', 'n2', {}, http));

  it('no neighbour entry (ip neigh del 10.244.1.0 dev flannel.1): routed by n1, then dropped there, never encapsulated', () => {
    const dp = compile(s);
    const n1 = dp.netns('n1')!;
    n1.neighbours.splice(n1.neighbours.findIndex((n) => n.dev === 'flannel.1' && n.ip === '10.244.1.0'), 1);
    const t = walk(dp, 'a', podIP(s, 'b'));
    expect([t.verdict, t.code]).toEqual(['dropped', 'no-neighbour-entry']);
    expect(t.reason).toBe(
      "no neighbour entry for 10.244.1.0 on flannel.1: flannel has not programmed this VTEP, and flannel.1's own ARP request goes nowhere (no FDB entry for the broadcast address, so VXLAN drops it)",
    );
    expect(last(t)).toEqual({ netns: 'n1', device: 'flannel.1', action: 'drop', ttl: 63 });
    expect(t.hops.some((h) => h.action === 'encapsulate' || h.netns === 'n2')).toBe(false);
    expect(t.reply).toEqual([]);
  });

  it('no FDB entry for the VTEP MAC (bridge fdb del … dev flannel.1): the kernel cannot say which node to send it to', () => {
    const dp = compile(s);
    const n1 = dp.netns('n1')!;
    const vtepMac = n1.neighbours.find((n) => n.dev === 'flannel.1')!.mac;
    n1.fdb.splice(n1.fdb.findIndex((f) => f.dev === 'flannel.1' && f.mac === vtepMac), 1);
    const t = walk(dp, 'a', podIP(s, 'b'));
    expect([t.verdict, t.code]).toEqual(['dropped', 'no-fdb-entry']);
    expect(t.reason).toBe(`no FDB entry for ${vtepMac} on flannel.1: the kernel does not know which node holds that VTEP`);
    expect(last(t)).toEqual({ netns: 'n1', device: 'flannel.1', action: 'drop', ttl: 63 });
    expect(t.hops.some((h) => h.packet.outer)).toBe(false);
  });
});

describe('a pod does not forward (net.ipv4.ip_forward=0 in its netns)', () => {
  it('a node route that sends another address to a pod: the pod receives it and drops it', () => {
    const s = load(cluster('flannel-vxlan') + node('n1') + pod('a', 'n1', {}) + pod('c', 'n1', {}, http));
    const dp = compile(s);
    // ip route add 10.99.0.5/32 via <pod c> dev cni0, on n1.
    dp.netns('n1')!.routes.push({ dst: '10.99.0.5/32', via: podIP(s, 'c'), dev: 'cni0' });
    const t = walk(dp, 'a', '10.99.0.5');
    expect([t.verdict, t.code]).toEqual(['dropped', 'ip-forward-off']);
    expect(t.reason).toBe('pod default/c does not forward packets (net.ipv4.ip_forward=0) and 10.99.0.5 is not its address');
    // n1 routed it (TTL 63); the pod's eth0 took the frame (it was addressed to its MAC) and its IP stack dropped it.
    expect(last(t)).toEqual({ netns: 'default/c', device: 'eth0', action: 'drop', ttl: 63 });
    expect(t.hops.at(-2)).toMatchObject({ netns: 'default/c', device: 'eth0', action: 'receive' });
    // Not delivered to pod c's socket on 8080, though it listens there: the address is not its own.
    expect(t.endpoint).toBeUndefined();
  });
});

describe('nobody answers ARP for the next hop', () => {
  it("bridge-hostgw with a stale route to a node that is gone: n1 routes it, ARPs on eth0 for the old node's address, gets no answer", () => {
    const s = load(cluster('bridge-hostgw') + node('n1') + node('n2') + pod('a', 'n1', {}) + pod('b', 'n2', {}, http));
    const dp = compile(s);
    dp.netns('n1')!.routes.find((r) => r.dst === '10.244.1.0/24')!.via = '192.168.56.99';
    for (const proto of ['tcp', 'udp'] as const) {
      const t = walk(dp, 'a', podIP(s, 'b'), proto);
      expect([t.verdict, t.code]).toEqual(['dropped', 'no-arp-answer']);
      expect(t.reason).toBe('no host on the node network answers ARP for 192.168.56.99: the packet is never sent');
      expect(last(t)).toEqual({ netns: 'n1', device: 'eth0', action: 'drop', ttl: 63 });
      expect(t.hops.some((h) => h.netns === 'node-network')).toBe(false);
    }
  });
  it('a pod sending to an unused address of its own subnet: ARP on cni0 fails, so the pod itself never sends it', () => {
    const s = load(cluster('flannel-vxlan') + node('n1') + pod('a', 'n1', {}) + pod('b', 'n1', {}, http));
    const t = walk(compile(s), 'a', '10.244.0.77');
    expect([t.verdict, t.code]).toEqual(['dropped', 'no-arp-answer']);
    expect(t.reason).toBe('nothing on cni0 answers ARP for 10.244.0.77: no pod on n1 has that address, so pod default/a never sends the packet; its connect fails: No route to host');
    expect(last(t)).toEqual({ netns: 'default/a', device: 'eth0', action: 'drop', ttl: 64 });
    expect(t.hops.map((h) => h.action)).toEqual(['send', 'route', 'drop']);
  });
});

describe('a routing loop between two nodes (n1 and n2 each route the same block via the other)', () => {
  // Checked in real namespaces: two routers routing a /24 at each other, a datagram sent
  // into it. Without NAT, 32 forwards by the first and 31 by the second, then the second
  // drops it (InHdrErrors 1, ICMP OutTimeExcds 1). With both masquerading in turn, the
  // same. With only the first masquerading, 1 and 1 forwards: the packet comes back to
  // the first with its own address as the source, a martian, and goes no further.
  const loop = (ipMasq: boolean, block: string) => {
    const s = load(cluster('bridge-hostgw', { ipMasq }) + node('n1') + node('n2') + pod('a', 'n1', {}));
    const dp = compile(s);
    dp.netns('n1')!.routes.push({ dst: block, via: '192.168.56.11', dev: 'eth0' });
    dp.netns('n2')!.routes.push({ dst: block, via: '192.168.56.10', dev: 'eth0' });
    return walk(dp, 'a', block.replace(/0\/24$/, '5'), 'udp');
  };
  const forwards = (t: Trace, netns: string) => t.hops.filter((h) => h.netns === netns && h.action === 'route').length;

  it('without NAT: round and round until the TTL runs out, on n2 (the 64th router), where it arrives with TTL 1', () => {
    const t = loop(false, '10.244.9.0/24');
    expect([t.verdict, t.code]).toEqual(['dropped', 'ttl-exceeded']);
    expect(t.reason).toBe('TTL exceeded in n2: the packet is discarded');
    expect([forwards(t, 'n1'), forwards(t, 'n2')]).toEqual([32, 31]);
    expect(last(t)).toEqual({ netns: 'n2', device: 'eth0', action: 'drop', ttl: 1 });
  });
  it("with flannel's ip-masq, to the cluster network: each node masquerades it to its own address in turn, and the TTL still ends it on n2", () => {
    const t = loop(true, '10.244.9.0/24');
    expect([t.verdict, t.code]).toEqual(['dropped', 'ttl-exceeded']);
    expect([forwards(t, 'n1'), forwards(t, 'n2')]).toEqual([32, 31]);
    expect(last(t)).toEqual({ netns: 'n2', device: 'eth0', action: 'drop', ttl: 1 });
  });
  it("with flannel's ip-masq, outside the cluster: n1 masquerades it to its own address, n2 sends it back, and n1 drops it as a martian", () => {
    const t = loop(true, '203.0.113.0/24');
    expect([t.verdict, t.code]).toEqual(['dropped', 'martian-source']);
    expect(t.reason).toBe("node n1 drops it as a martian: it arrives on eth0 with 192.168.56.10 as its source, one of n1's own addresses");
    expect([forwards(t, 'n1'), forwards(t, 'n2')]).toEqual([1, 1]);
    expect(t.hops.filter((h) => h.action === 'snat').map((h) => [h.netns, h.packet.src])).toEqual([['n1', '192.168.56.10:43512']]);
    expect(last(t)).toEqual({ netns: 'n1', device: 'eth0', action: 'drop', ttl: 62 });
  });
});
