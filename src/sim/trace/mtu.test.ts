// trace --size: a UDP packet with Don't Fragment stops where it no longer fits, as
// the kernel differential checks in real namespaces (mtu-vxlan.yaml).
import { describe, expect, it } from 'vitest';
import { compile, parseDestination, parseSource, trace } from '../index.ts';
import { load, scenarioFile } from '../testing/helpers.ts';

const s = load(scenarioFile('mtu-vxlan.yaml'));
const dp = compile(s);
function sized(from: string, to: string, size: number, proto: 'tcp' | 'udp' = 'udp') {
  const f = parseSource(from);
  const t = parseDestination(to);
  if (!f.ok || !t.ok) throw new Error('bad request');
  return trace(dp, { from: f.value, to: t.value, proto, size });
}

describe('a packet bigger than the path (trace --size)', () => {
  it('fits at the MTU, and the trace keeps its size', () => {
    const r = sized('external', 'node/node-1:30053', 1450);
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.value.verdict).toBe('delivered');
    expect(r.value.size).toBe(1450);
    expect(r.value.mtu).toBeUndefined();
  });

  it('a router that must forward it out a smaller MTU drops it and says ICMP fragmentation needed goes back', () => {
    const r = sized('external', 'node/node-1:30053', 1451);
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.value).toMatchObject({ verdict: 'dropped', code: 'frag-needed', mtu: 1450 });
    const last = r.value.hops.at(-1)!;
    expect([last.netns, last.device, last.action]).toEqual(['node-1', 'flannel.1', 'drop']);
    // Before SNAT and the TTL's decrement, as ip_forward() checks it: back to the client's own address.
    expect(r.value.reason).toContain('back to 192.168.56.254');
    expect(last.packet.ttl).toBe(64);
    // The node that holds the pod: cni0 has the pods' MTU.
    const there = sized('external', 'node/node-2:30053', 1500);
    if (!there.ok) throw new Error(JSON.stringify(there.issues));
    expect(there.value.hops.at(-1)).toMatchObject({ netns: 'node-2', device: 'cni0' });
  });

  it('where it is made, send() refuses it and nothing leaves', () => {
    const r = sized('pod/default/client', 'service/default/echo:53', 1451);
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.value).toMatchObject({ verdict: 'dropped', code: 'message-too-long', mtu: 1450 });
    expect(r.value.hops.map((h) => h.action)).toEqual(['send', 'route', 'drop']);
    expect(r.value.reason).toContain('EMSGSIZE');
  });

  it('is for UDP only, and a size the IP header allows', () => {
    const tcp = sized('pod/default/client', 'pod/default/echo:5353', 1400, 'tcp');
    expect(tcp.ok).toBe(false);
    if (!tcp.ok) expect(tcp.issues[0]).toMatchObject({ field: '--size' });
    for (const bad of [27, 65536, 1.5]) expect(sized('pod/default/client', 'pod/default/echo:5353', bad).ok).toBe(false);
  });

  it('without a size nothing changes', () => {
    const f = parseSource('external');
    const t = parseDestination('node/node-1:30053');
    if (!f.ok || !t.ok) throw new Error('bad request');
    const r = trace(dp, { from: f.value, to: t.value, proto: 'udp' });
    if (!r.ok) throw new Error('trace failed');
    expect(r.value.verdict).toBe('delivered');
    expect('size' in r.value).toBe(false);
  });
});
