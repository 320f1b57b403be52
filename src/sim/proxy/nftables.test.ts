// kube-proxy's nftables mode: names and rules as upstream writes them, and the same
// answers as iptables mode wherever upstream gives the same answer.
import { nftLoad } from './nftablesText.ts';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile, loadScenario, show, trace, type Scenario, type Trace, type TraceDestination, type TraceSource } from '../index.ts';
import { endpointsOf } from '../dataplane/endpoints.ts';
import { cluster, load, node, pod, scenarioFile, service, traceOf } from '../testing/helpers.ts';
import { hashAndTruncate } from './nftables.ts';
import { KUBE_PROXY_MODES } from './modes.ts';

const scenarioDir = new URL('../../../public/scenarios/', import.meta.url).pathname;
const bundled = readdirSync(scenarioDir).filter((f) => f.endsWith('.yaml')).sort();

function loaded(text: string): Scenario {
  const r = loadScenario(text, 'test');
  if (!r.ok) throw new Error(r.issues.map((i) => i.reason).join('; '));
  return r.value;
}
const inMode = (s: Scenario, kubeProxy: 'iptables' | 'nftables'): Scenario => ({ ...s, cluster: { ...s.cluster, kubeProxy } });

describe('chain names, as kube-proxy hashes them (hashAndTruncate)', () => {
  it('matches the names in upstream proxier_test.go', () => {
    // TestOverallNFTablesRules: service-ULMVA6XW-ns1/svc1/tcp/p80, endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80, …
    expect(hashAndTruncate('ns1/svc1/tcp/p80')).toBe('ULMVA6XW-ns1/svc1/tcp/p80');
    expect(hashAndTruncate('ns1/svc1/tcp/p80__10.180.0.1/80')).toBe('5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80');
    expect(hashAndTruncate('ns2/svc2/tcp/p80')).toBe('42NFTM6N-ns2/svc2/tcp/p80');
    expect(hashAndTruncate('ns4/svc4/tcp/p80__10.180.0.4/80')).toBe('UNZV3OEC-ns4/svc4/tcp/p80__10.180.0.4/80');
    expect(hashAndTruncate('ns4/svc4/tcp/p80__10.180.0.5/80')).toBe('5RFCDDV7-ns4/svc4/tcp/p80__10.180.0.5/80');
  });
  it('cuts a name longer than 240 characters, ending it with ...', () => {
    const long = hashAndTruncate(`${'a'.repeat(63)}/${'b'.repeat(63)}/tcp/${'c'.repeat(63)}__10.0.0.1/80${'d'.repeat(60)}`);
    expect(long).toHaveLength(240);
    expect(long.endsWith('...')).toBe(true);
  });
});

/** Every source a person can trace from, and every destination: pods' ports, Service ports, NodePorts on every node. */
function pairs(s: Scenario): { from: TraceSource; to: TraceDestination; proto: 'tcp' | 'udp' }[] {
  const froms: TraceSource[] = [
    ...s.pods.filter((p) => p.podIP && p.nodeName).map((p) => ({ kind: 'pod' as const, namespace: p.namespace, name: p.name })),
    ...s.nodes.map((n) => ({ kind: 'node' as const, name: n.name })),
    { kind: 'external' },
  ];
  const tos: { to: TraceDestination; proto: 'tcp' | 'udp' }[] = [];
  for (const p of s.pods.filter((x) => x.podIP && x.nodeName)) {
    for (const c of p.ports.length ? p.ports : [{ containerPort: 80, protocol: 'TCP' as const }]) tos.push({ to: { kind: 'pod', namespace: p.namespace, name: p.name, port: c.containerPort }, proto: c.protocol === 'UDP' ? 'udp' : 'tcp' });
  }
  for (const svc of s.services) {
    if (!svc.clusterIP || svc.clusterIP === 'None') continue;
    for (const sp of svc.ports) {
      const proto = sp.protocol === 'UDP' ? 'udp' : 'tcp';
      tos.push({ to: { kind: 'service', namespace: svc.namespace, name: svc.name, port: sp.port }, proto });
      if (svc.type === 'NodePort' && sp.nodePort) for (const n of s.nodes) tos.push({ to: { kind: 'node', name: n.name, port: sp.nodePort }, proto });
    }
  }
  return froms.flatMap((from) => tos.map((t) => ({ from, ...t })));
}

/** What a trace decides, without the words: verdict, codes, who answers, the source address the answering pod saw. */
function decision(t: Trace) {
  const deliver = t.hops.find((h) => h.action === 'deliver');
  return { verdict: t.verdict, code: t.code, replyCode: t.replyCode, endpoint: t.endpoint, candidates: t.candidates, seenFrom: deliver?.packet.src.split(':')[0], masqueraded: t.hops.some((h) => h.action === 'snat') };
}

describe('nftables mode decides as iptables mode does on every bundled scenario', () => {
  for (const file of bundled) {
    it(`${file}: every pair, every endpoint`, () => {
      const s = loaded(readFileSync(scenarioDir + file, 'utf8'));
      const ipt = compile(inMode(s, 'iptables'));
      const nft = compile(inMode(s, 'nftables'));
      const all = pairs(s);
      expect(all.length).toBeGreaterThan(0);
      let compared = 0;
      let traced = 0;
      for (const req of all) {
        const first = trace(ipt, req);
        const other = trace(nft, req);
        // A request that cannot be traced (a pod without an address) is refused alike in both.
        expect(other.ok).toBe(first.ok);
        if (!first.ok || !other.ok) continue;
        traced++;
        for (let endpointIndex = 0; endpointIndex < Math.max(1, first.value.candidates.length); endpointIndex++) {
          const a = trace(ipt, req, { endpointIndex });
          const b = trace(nft, req, { endpointIndex });
          if (!a.ok || !b.ok) throw new Error('trace failed');
          expect({ req, ...decision(b.value) }).toEqual({ req, ...decision(a.value) });
          compared++;
        }
      }
      expect(traced).toBeGreaterThan(0);
      expect(compared).toBeGreaterThanOrEqual(traced);
    });
  }
});

describe('a trace in nftables mode names the nft chains and rules that decided', () => {
  const s = loaded(readFileSync(scenarioDir + 'kube-proxy-nftables.yaml', 'utf8'));
  const dp = compile(s);
  const web = s.services.find((v) => v.name === 'web')!;

  it('pod → ClusterIP: services → service-ips map → service-… → numgen vmap → endpoint-…: dnat to', () => {
    const endpoints = endpointsOf(s, web, web.ports[0]);
    expect(endpoints).toHaveLength(2);
    for (const [i, ep] of endpoints.entries()) {
      const t = trace(dp, { from: { kind: 'pod', namespace: 'default', name: 'client' }, to: { kind: 'service', namespace: 'default', name: 'web', port: 80 }, proto: 'tcp' }, { endpointIndex: i });
      if (!t.ok) throw new Error('trace failed');
      const dnat = t.value.hops.find((h) => h.action === 'dnat')!;
      expect(dnat.matched).toBe(`meta l4proto tcp dnat to ${ep.ip}:${ep.port}`);
      expect(dnat.rulePath?.summary).toMatch(new RegExp(`^hook prerouting → nat-prerouting → services → service-ips map \\(${web.clusterIP} \\. tcp \\. 80\\) → service-[A-Z2-7]{8}-default/web/tcp/http → numgen random mod 2 vmap \\(element ${i}\\) → endpoint-[A-Z2-7]{8}-default/web/tcp/http__${ep.ip}/${ep.port}$`));
      expect(dnat.why).toContain('chance 1/2');
      expect(t.value.endpoint).toBe(`default/${ep.pod!.name}`);
    }
  });

  it('a Service without endpoints is rejected through no-endpoint-services → reject-chain', () => {
    const t = trace(dp, { from: { kind: 'pod', namespace: 'default', name: 'client' }, to: { kind: 'service', namespace: 'default', name: 'db', port: 5432 }, proto: 'tcp' });
    if (!t.ok) throw new Error('trace failed');
    expect(t.value.code).toBe('reject-no-endpoints');
    const refuse = t.value.hops.find((h) => h.action === 'refuse')!;
    expect(refuse.matched).toBe('reject');
    expect(refuse.rulePath?.summary).toContain('filter-forward → service-endpoints-check → no-endpoint-services map');
    expect(refuse.rulePath?.summary).toMatch(/→ reject-chain$/);
  });

  it('external → NodePort: external-… marks for masquerade, masquerading does it (masquerade fully-random)', () => {
    const t = trace(dp, { from: { kind: 'external' }, to: { kind: 'node', name: 'node-2', port: 30080 }, proto: 'tcp' }, { endpointIndex: 0 });
    if (!t.ok) throw new Error('trace failed');
    expect(t.value.verdict).toBe('delivered');
    const dnat = t.value.hops.find((h) => h.action === 'dnat')!;
    expect(dnat.rulePath?.summary).toContain('services → service-nodeports map (tcp . 30080) → external-');
    expect(dnat.why).toContain('marked for masquerade');
    // The rule path says which chain the mark came from.
    expect(dnat.rulePath?.summary).toContain('mark-for-masquerade set the masquerade mark and returned');
    const snat = t.value.hops.find((h) => h.action === 'snat')!;
    expect(snat.matched).toBe('masquerade fully-random');
    // flanneld's iptables POSTROUTING, written after kube-proxy's table, runs first at the same priority (srcnat):
    // FLANNEL-POSTRTG returns the marked packet, then kube-proxy's masquerading takes it (the kernel's counters agree).
    expect(snat.rulePath?.summary).toMatch(/^POSTROUTING → FLANNEL-POSTRTG, returned by -A FLANNEL-POSTRTG -m mark --mark 0x4000\/0x4000 .* -j RETURN; iptables' POSTROUTING did no NAT, so the kernel asks the next nat chain at this hook, kube-proxy's \(same priority; among equals the chain created last runs first: iptables' here\): hook postrouting → nat-postrouting → masquerading$/);
  });

  it("a node's own 127.0.0.1:NodePort is refused, saying nftables mode serves NodePorts only on @nodeport-ips (the primary address)", () => {
    const t = trace(dp, { from: { kind: 'node', name: 'node-1' }, to: { kind: 'ip', ip: '127.0.0.1', port: 30080 }, proto: 'tcp' });
    if (!t.ok) throw new Error('trace failed');
    expect(t.value.verdict).toBe('refused');
    expect(t.value.reason).toContain("kube-proxy in nftables mode serves NodePorts only on the addresses in its set nodeport-ips: the node's primary address (--nodeport-addresses primary");
  });

  it('show prints the table for a node, and none for a pod; iptables-save holds no kube-proxy rule', () => {
    const n = show(dp, 'node-1');
    if (!n.ok) throw new Error('show failed');
    expect(n.value.nft).toMatch(/^table ip kube-proxy \{\n\tcomment "rules for kube-proxy"\n/);
    expect(n.value.nft).toContain(`elements = { ${s.nodes[0].internalIP} }`);
    expect(n.value.nft).toContain('comment "default/db:postgres" : goto reject-chain');
    expect(n.value.nat).not.toContain('KUBE-');
    expect(n.value.filter).not.toContain('KUBE-');
    const p = show(dp, 'default/client');
    if (!p.ok) throw new Error('show failed');
    expect(p.value.nft).toBeUndefined();
  });

  it('the nft -f input declares every chain before the maps whose elements name them', () => {
    const text = nftLoad(dp.kubeProxyRules('node-1').nftables!.ruleset(dp.netns('node-1')!), true);
    const lines = text.split('\n');
    const firstElement = lines.findIndex((l) => l.startsWith('add element'));
    const lastChain = lines.findLastIndex((l) => l.startsWith('add chain'));
    expect(lastChain).toBeLessThan(firstElement);
    // The lab's counters: one per rule, before its verdict.
    expect(lines.filter((l) => l.startsWith('add rule')).every((l) => l.includes(' counter'))).toBe(true);
    expect(text).toContain('meta l4proto tcp counter dnat to ');
  });
});

describe('where nftables mode answers differently, it says what upstream does', () => {
  const s = load(cluster('bridge-hostgw') + node('node-1') + pod('web', 'node-1', { app: 'web' }, [{ name: 'http', containerPort: 8080 }]) + service('web', { app: 'web' }, [{ port: 80, targetPort: 8080, nodePort: 30000 }], 'NodePort'));
  const modes = Object.fromEntries(KUBE_PROXY_MODES.map((m) => [m, compile(inMode(s, m))]));

  it('a NodePort on 127.0.0.1: iptables mode serves it (route_localnet), nftables mode does not (nodeport-ips holds the primary address only)', () => {
    const req = { from: { kind: 'node' as const, name: 'node-1' }, to: { kind: 'ip' as const, ip: '127.0.0.1', port: 30000 }, proto: 'tcp' as const };
    const ipt = trace(modes.iptables, req);
    const nft = trace(modes.nftables, req);
    if (!ipt.ok || !nft.ok) throw new Error('trace failed');
    expect(ipt.value.verdict).toBe('delivered');
    expect(nft.value.verdict).toBe('refused');
    expect(nft.value.code).toBe('port-closed');
  });

  it('a ClusterIP on a port no Service has is rejected; another address of the Service range is dropped', () => {
    const clusterIP = s.services.find((v) => v.name === 'web')!.clusterIP!;
    const wrongPort = trace(modes.nftables, { from: { kind: 'pod', namespace: 'default', name: 'web' }, to: { kind: 'ip', ip: clusterIP, port: 81 }, proto: 'tcp' });
    if (!wrongPort.ok) throw new Error('trace failed');
    expect(wrongPort.value.code).toBe('reject');
    expect(wrongPort.value.hops.find((h) => h.action === 'refuse')?.rulePath?.summary).toBe('hook forward → filter-forward → cluster-ips-check (service-endpoints-check returned without a verdict)');
    const unallocated = trace(modes.nftables, { from: { kind: 'pod', namespace: 'default', name: 'web' }, to: { kind: 'ip', ip: '10.96.200.200', port: 80 }, proto: 'tcp' });
    if (!unallocated.ok) throw new Error('trace failed');
    expect(unallocated.value.verdict).toBe('dropped');
    expect(unallocated.value.code).toBe('unallocated-cluster-ip');
    expect(unallocated.value.hops.at(-1)?.matched).toBe('ip daddr 10.96.0.0/12 drop comment "Drop traffic to unallocated ClusterIPs"');
  });
});

describe('the Cluster document names the mode', () => {
  const doc = (mode: string) => `apiVersion: podpath.dev/v1alpha1\nkind: Cluster\nmetadata:\n  name: c\nspec:\n  kubeProxy: ${mode}\n`;
  it('kubeProxy: nftables selects it', () => {
    const r = loadScenario(doc('nftables'));
    expect(r.ok && r.value.cluster.kubeProxy).toBe('nftables');
  });
  it('ipvs is refused with the reason', () => {
    const r = loadScenario(doc('ipvs'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues[0].field).toBe('spec.kubeProxy');
    expect(r.issues[0].reason).toMatch(/ipvs is not offered: .*deprecated upstream.*no IPVS.*use one of iptables, nftables/);
  });
  it('an unknown value names the allowed ones', () => {
    const r = loadScenario(doc('userspace'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues[0].reason).toBe('must be one of iptables, nftables, got "userspace"');
  });
});

describe('the CLI and the lab in nftables mode', () => {
  const file = 'public/scenarios/kube-proxy-nftables.yaml';
  async function cli(args: string[], files: Record<string, string> = {}) {
    const { main } = await import('../../cli/main.ts');
    let out = '';
    let err = '';
    const code = await main(args, { out: (t: string) => void (out += t), err: (t: string) => void (err += t), readFile: (p: string) => (p in files ? files[p] : readFileSync(p, 'utf8')) });
    return { code, out, err };
  }

  it('podpath show prints nft list table ip kube-proxy after the iptables tables', async () => {
    const r = await cli(['show', file, 'node-2']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/# iptables-save -t filter\n\*filter\n[\s\S]*COMMIT\n# nft list table ip kube-proxy\ntable ip kube-proxy \{\n/);
    expect(r.out).toContain('\t\telements = { 192.168.56.11 }');
  });

  it('podpath show refuses ipvs, saying why and what to use', async () => {
    const text = readFileSync(file, 'utf8').replace('kubeProxy: nftables', 'kubeProxy: ipvs');
    const r = await cli(['show', 'mine.yaml', 'node-1'], { 'mine.yaml': text });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/spec\.kubeProxy: ipvs is not offered: IPVS mode is deprecated upstream \(Kubernetes 1\.35\) and this machine's kernel has no IPVS.*; use one of iptables, nftables/);
  });

  it('podpath lab loads the table with nft -f in each node, after saying so in its header, and no kube-proxy iptables rules', async () => {
    const r = await cli(['lab', file, '--prefix', 'ppt']);
    expect(r.code).toBe(0);
    expect(r.out).toContain("#   kube-proxy runs in nftables mode: its table ip kube-proxy is loaded with nft -f");
    expect(r.out.match(/ip netns exec 'ppt-node-\d' nft -f - <<'PODPATH_EOF'\nadd table ip kube-proxy/g)).toHaveLength(2);
    expect(r.out).not.toContain('KUBE-SERVICES');
    expect(r.out).toContain('add rule ip kube-proxy masquerading counter masquerade fully-random');
  });
});

describe('an unmarked packet in nftables mode (review finding)', () => {
  it("flanneld's address-matched masquerade is not called kube-proxy's marked one: masquerading's `mark & 0x4000 == 0 return` matches an unmarked packet", () => {
    const s = load(scenarioFile('kube-proxy-nftables.yaml'));
    const t = traceOf(s, 'pod/default/client', '192.168.56.11:30080', 'tcp', 1);
    const snat = t.hops.find((h) => h.action === 'snat')!;
    expect(snat.why).toContain('MASQUERADEs the packet, matched by its addresses (no mark)');
    expect(snat.why).not.toContain('marked packet');
    // A packet kube-proxy did mark still says so.
    const marked = traceOf(s, 'external', 'node/node-2:30080').hops.find((h) => h.action === 'snat')!;
    expect(marked.why).toContain('MASQUERADEs the marked packet');
  });
});

describe("iptables' nat chains and kube-proxy's nftables ones at one hook: the one registered last runs first", () => {
  // At one priority the kernel runs the newest base chain first (nf_hook_entries_grow), and once a nat
  // chain has NATed a connection it asks no later one at that hook (nf_nat_inet_fn). The lab loads felix's
  // rules before kube-proxy's table and flanneld's after it; the kernel differential counts every nat rule.
  const hairpin = (cni: 'calico' | 'flannel-vxlan') =>
    load(
      cluster(cni, { kubeProxy: 'nftables', ...(cni === 'calico' ? { calico: { ipipMode: 'Never', vxlanMode: 'Always' } } : {}) }) +
        node('node-1') +
        pod('web-1', 'node-1', { app: 'web' }, [{ containerPort: 80 }]) +
        service('web', { app: 'web' }, [{ port: 80, targetPort: 80 }]),
    );
  const natRules = (t: Trace) => (t.chainWalks ?? []).filter((w) => w.table === 'nat' && w.netns === 'node-1' && !w.outer).flatMap((w) => w.rules);

  it("Calico: kube-proxy's nat-postrouting (made after felix's rules) masquerades a pod's packet to itself, and felix's cali-POSTROUTING is never asked", () => {
    const t = traceOf(hairpin('calico'), 'pod/default/web-1', 'service/default/web:80');
    const snat = t.hops.find((h) => h.action === 'snat')!;
    expect(snat.rulePath?.summary).toBe('hook postrouting → nat-postrouting → masquerading');
    expect(natRules(t).some((r) => r.includes('cali-POSTROUTING'))).toBe(false);
    // The hop says so, and why.
    expect(snat.why).toContain("iptables' nat POSTROUTING (cali-POSTROUTING) is not asked: once one nat chain has NATed the connection, the kernel asks no later one at this hook");
  });

  it("flannel: flanneld's FLANNEL-POSTRTG (written after kube-proxy's table) is asked first and returns the marked packet", () => {
    const t = traceOf(hairpin('flannel-vxlan'), 'pod/default/web-1', 'service/default/web:80');
    const snat = t.hops.find((h) => h.action === 'snat')!;
    expect(snat.rulePath?.summary).toMatch(/^POSTROUTING → FLANNEL-POSTRTG, returned by .*--mark 0x4000\/0x4000.* -j RETURN; iptables' POSTROUTING did no NAT, so the kernel asks the next nat chain at this hook, kube-proxy's/);
    expect(natRules(t).some((r) => r.includes('FLANNEL-POSTRTG -m mark --mark 0x4000/0x4000'))).toBe(true);
  });

  it("a node's packet to its own address passes nat POSTROUTING on its way to lo", () => {
    const t = traceOf(load(scenarioFile('kube-proxy-nftables.yaml')), 'node/node-1', '127.0.0.1:30080');
    expect(natRules(t)).toContain('-A POSTROUTING -m comment --comment "flanneld masq" -j FLANNEL-POSTRTG');
  });
});
