// The nat rule counters a connection moves: every rule the request's walk matched in
// each node's nat table, once per connection (the kernel's nat table sees a connection's
// first packet only); the rules a hop shows as its path are among them.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile, trace, type Trace } from '../index.ts';
import { load } from '../testing/helpers.ts';
import { countedNatText, deviceCounters, deviceCountersText, natRuleCounters } from './counters.ts';

const DEMO = readFileSync(new URL('../../../public/scenarios/demo.yaml', import.meta.url), 'utf8');
const VXLAN = readFileSync(new URL('../../../public/scenarios/flannel-vxlan.yaml', import.meta.url), 'utf8');

describe('nat rule counters', () => {
  const s = load(DEMO);
  const dp = compile(s);
  const traced = (endpointIndex: number): Trace => {
    const r = trace(dp, { from: { kind: 'pod', namespace: 'default', name: 'client' }, to: { kind: 'service', namespace: 'default', name: 'web', port: 80 }, proto: 'tcp' }, { endpointIndex });
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    return r.value;
  };

  it("counts every nat rule of the request's walk once per connection, the jumps and the DNAT among them; none for the reply", () => {
    const t = traced(0);
    const dnat = t.hops.find((h) => h.action === 'dnat')!;
    const counters = natRuleCounters([t]);
    const node = counters.get(dnat.netns)!;
    // The hop's own chain path (KUBE-SERVICES → KUBE-SVC-… → KUBE-SEP-… → DNAT) is counted, each once.
    expect(dnat.rulePath?.table).toBe('nat');
    for (const r of dnat.rulePath!.rules) expect(node.get(r), r).toBe(1);
    expect(node.get(dnat.matched!)).toBe(1);
    // POSTROUTING is walked too: kube-proxy's KUBE-POSTROUTING returns for an unmarked packet.
    expect([...node.keys()].some((r) => r.startsWith('-A POSTROUTING'))).toBe(true);
    // Nothing but iptables rules, and only the request's walks (a reply is conntrack's).
    for (const rules of counters.values()) for (const r of rules.keys()) expect(r.startsWith('-A ')).toBe(true);
    expect(t.reply.length).toBeGreaterThan(0);
    expect((t.chainWalks ?? []).length).toBeGreaterThan(0);
  });

  it('adds up over connections: two to each endpoint count the shared jumps four times and each endpoint DNAT twice', () => {
    const [a, b] = [traced(0), traced(1)];
    const counters = natRuleCounters([a, a, b, b]);
    const dnatA = a.hops.find((h) => h.action === 'dnat')!;
    const dnatB = b.hops.find((h) => h.action === 'dnat')!;
    expect(dnatA.matched).not.toBe(dnatB.matched);
    const node = counters.get(dnatA.netns)!;
    expect(node.get(dnatA.matched!)).toBe(2);
    expect(node.get(dnatB.matched!)).toBe(2);
    expect(node.get(dnatA.rulePath!.rules[0])).toBe(4);
  });

  it("counts a VXLAN tunnel's outer packets as the new flows they are, both ways: OUTPUT and POSTROUTING where sent, PREROUTING where they arrive", () => {
    const v = load(VXLAN);
    const client = v.pods.find((p) => p.name === 'client')!;
    const far = v.pods.find((p) => p.nodeName !== client.nodeName && p.ports.length)!;
    const r = trace(compile(v), { from: { kind: 'pod', namespace: client.namespace, name: client.name }, to: { kind: 'pod', namespace: far.namespace, name: far.name, port: far.ports[0].containerPort }, proto: 'tcp' });
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.value.verdict).toBe('delivered');
    const outer = (r.value.chainWalks ?? []).filter((w) => w.outer);
    // The request's outer packet leaves the client's node and arrives at the far one; the reply's the other way.
    expect(outer.map((w) => `${w.netns} ${w.chain}`)).toEqual([
      `${client.nodeName} OUTPUT`,
      `${client.nodeName} POSTROUTING`,
      `${far.nodeName} PREROUTING`,
      `${far.nodeName} OUTPUT`,
      `${far.nodeName} POSTROUTING`,
      `${client.nodeName} PREROUTING`,
    ]);
    const counters = natRuleCounters([r.value]);
    const nodeports = '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS';
    // An outer packet is addressed to the node it arrives at: kube-proxy's NodePort jump matches it there (and returns).
    expect(counters.get(far.nodeName!)!.get(nodeports)).toBe(1);
    expect(counters.get(client.nodeName!)!.get(nodeports)).toBe(1);
  });
});

describe('the counters as the netns terminal prints them', () => {
  it("lists the rules that counted, in the table's order, each after its count; *nat and COMMIT around them, not the chains' lines", () => {
    const save = ['*nat', ':PREROUTING ACCEPT [0:0]', '-A PREROUTING -j KUBE-SERVICES', '-A KUBE-SERVICES -d 10.96.0.11/32 -j KUBE-SVC-X', '-A KUBE-SVC-X -j KUBE-SEP-Y', 'COMMIT', ''].join('\n');
    const text = countedNatText(save, new Map([['-A PREROUTING -j KUBE-SERVICES', 12], ['-A KUBE-SVC-X -j KUBE-SEP-Y', 3]]));
    expect(text.split('\n')).toEqual(['    *nat', '12  -A PREROUTING -j KUBE-SERVICES', ' 3  -A KUBE-SVC-X -j KUBE-SEP-Y', '    COMMIT', '']);
    // Nothing sent: no rule.
    expect(countedNatText(save, undefined).split('\n')).toEqual(['   *nat', '   COMMIT', '']);
  });
});

describe('device counters', () => {
  it("count each packet where a device sends it and where one takes it in, request and reply; a VXLAN device the inner packet it wraps and unwraps; no bridge device", () => {
    const v = load(VXLAN);
    const dp = compile(v);
    const client = v.pods.find((p) => p.name === 'client')!;
    const far = v.pods.find((p) => p.nodeName !== client.nodeName && p.ports.length)!;
    const r = trace(dp, { from: { kind: 'pod', namespace: client.namespace, name: client.name }, to: { kind: 'pod', namespace: far.namespace, name: far.name, port: far.ports[0].containerPort }, proto: 'tcp' });
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.value.verdict).toBe('delivered');
    const c = deviceCounters([r.value, r.value]);
    const near = c.get(client.nodeName!)!;
    // Two connections: eth0 sends two outer packets and takes two replies in; flannel.1 wraps two and unwraps two.
    expect(near.get('eth0')).toEqual({ rx: 2, tx: 2 });
    expect(near.get('flannel.1')).toEqual({ rx: 2, tx: 2 });
    expect(near.has('cni0')).toBe(false);
    expect(c.get(`${client.namespace}/${client.name}`)!.get('eth0')).toEqual({ rx: 2, tx: 2 });
    expect(c.get(`${far.namespace}/${far.name}`)!.get('eth0')).toEqual({ rx: 2, tx: 2 });
    // The terminal's table: every device but lo and cni0, 0 where nothing crossed.
    const text = deviceCountersText(dp.netns(client.nodeName!)!.devices, near).split('\n');
    expect(text[0]).toMatch(/^DEVICE +RX packets {2}TX packets$/);
    expect(text.some((l) => /^eth0 +2 +2$/.test(l))).toBe(true);
    expect(text.some((l) => l.startsWith('cni0') || l.startsWith('lo '))).toBe(false);
    expect(text.filter((l) => / 0 +0$/.test(l)).length).toBeGreaterThan(0);
  });
});

describe('device counters under Cilium', () => {
  it("count nothing on cilium_host where cil_from_overlay redirects a reply into its way in (bpf_redirect with BPF_F_INGRESS moves no counter)", () => {
    const s = load(readFileSync(new URL('../../../public/scenarios/cilium-tunnel.yaml', import.meta.url), 'utf8'));
    const dp = compile(s);
    const far = s.pods.find((p) => p.nodeName !== 'node-1' && p.ports.length)!;
    const r = trace(dp, { from: { kind: 'node', name: 'node-1' }, to: { kind: 'pod', namespace: far.namespace, name: far.name, port: far.ports[0].containerPort }, proto: 'tcp' });
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.value.verdict).toBe('delivered');
    const toHost = r.value.reply.findIndex((h) => h.ebpf?.decision === 'to-host');
    expect(toHost).toBeGreaterThan(0);
    expect(r.value.reply[toHost + 1]).toMatchObject({ netns: 'node-1', device: 'cilium_host', action: 'receive' });
    const node1 = deviceCounters([r.value]).get('node-1')!;
    expect(node1.get('cilium_host')?.rx ?? 0).toBe(0);
    expect(node1.get('eth0')).toEqual({ rx: 1, tx: 1 });
  });
});
