// Cilium's datapath as the engine builds it: devices, routes, the tc programs a packet
// meets, socket-LB, and what podpath refuses to trace rather than guess.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile, loadScenario, show, trace } from '../index.ts';
import type { Scenario } from '../model.ts';
import { ciliumVethName } from './cilium.ts';
import { hubbleRecords } from '../flows/hubble.ts';

const file = readFileSync(new URL('../../../public/scenarios/cilium-tunnel.yaml', import.meta.url), 'utf8');

function load(text: string): Scenario {
  const r = loadScenario(text, 't.yaml');
  if (!r.ok) throw new Error(r.issues.map((i) => `${i.document} ${i.field}: ${i.reason}`).join('; '));
  return r.value;
}
const withKpr = (on: boolean) => file.replace('kubeProxyReplacement: true', `kubeProxyReplacement: ${on}`);
const pod = (name: string) => ({ kind: 'pod' as const, namespace: 'default', name });

describe('cilium', () => {
  it('names the host veth lxc + 12 hex digits of SHA-256 of the container id, as Endpoint2IfName does (15 characters)', () => {
    const want = `lxc${createHash('sha256').update('pp-default-web-1').digest('hex').slice(0, 12)}`;
    expect(ciliumVethName({ namespace: 'default', name: 'web-1' })).toBe(want);
    expect(want).toHaveLength(15);
  });

  it('a node has cilium_host (the router IP, /32) and cilium_net, NOARP, cilium_vxlan in collect-metadata mode, no cni0; the router IP on-link, the other podCIDRs via cilium_host with mtu 1450, its own without', () => {
    const dp = compile(load(file));
    const n1 = dp.netns('node-1')!;
    expect(n1.devices.map((d) => d.name)).not.toContain('cni0');
    const host = n1.devices.find((d) => d.name === 'cilium_host')!;
    expect(host.addresses).toEqual([{ ip: '10.244.0.1', prefixLength: 32 }]);
    expect(host.noarp && n1.devices.find((d) => d.name === 'cilium_net')!.noarp).toBe(true);
    expect(n1.devices.find((d) => d.name === 'cilium_vxlan')!.vxlan).toMatchObject({ dstport: 8472, external: true });
    const shown = show(dp, 'node-1');
    if (!shown.ok) throw new Error('show');
    // pkg/datapath/linux/node.go: only the other nodes' podCIDRs take the tunnel's route MTU.
    expect(shown.value.route).toContain('10.244.0.0/24 via 10.244.0.1 dev cilium_host proto kernel src 10.244.0.1 \n10.244.0.1 dev cilium_host proto kernel scope link \n');
    expect(shown.value.route).toContain('10.244.1.0/24 via 10.244.0.1 dev cilium_host proto kernel src 10.244.0.1 mtu 1450');
    expect(shown.value.addr).toContain('cilium_host@cilium_net');
    // Every program Cilium attaches, including those that only let podpath's packets through.
    expect((shown.value.tc ?? '').split('\n').filter(Boolean)).toEqual([
      'eth0 tc/ingress cil_from_netdev (bpf_host.c)',
      'eth0 tc/egress cil_to_netdev (bpf_host.c)',
      'cilium_net tc/ingress cil_to_host (bpf_host.c)',
      'cilium_host tc/ingress cil_to_host (bpf_host.c)',
      'cilium_host tc/egress cil_from_host (bpf_host.c)',
      'cilium_vxlan tc/ingress cil_from_overlay (bpf_overlay.c)',
      'cilium_vxlan tc/egress cil_to_overlay (bpf_overlay.c)',
      ...['client', 'web-1'].map((name) => `${ciliumVethName({ namespace: 'default', name })} tc/ingress cil_from_container (bpf_lxc.c)`),
    ]);
    // cil_to_netdev only where Cilium's NodePort is on (kubeProxyReplacement).
    const noKpr = show(compile(load(withKpr(false))), 'node-1');
    expect(noKpr.ok && noKpr.value.tc).not.toContain('cil_to_netdev');
    const client = show(dp, 'default/client');
    if (!client.ok) throw new Error('show');
    expect(client.value.route).toBe('default via 10.244.0.1 dev eth0 mtu 1450 \n10.244.0.1 dev eth0 scope link \n');
  });

  it('same node: cil_from_container redirects straight into the pod, no bridge, no node iptables, the TTL down by one', () => {
    const t = trace(compile(load(file)), { from: pod('client'), to: { ...pod('web-1'), port: 8080 }, proto: 'tcp' });
    if (!t.ok) throw new Error('trace');
    expect(t.value.verdict).toBe('delivered');
    const ebpf = t.value.hops.filter((h) => h.action === 'ebpf');
    expect(ebpf).toHaveLength(1);
    expect(ebpf[0].why).toContain('with bpf_redirect, into the pod');
    expect(ebpf[0].claims?.ebpf?.program).toBe('cil_from_container');
    expect(t.value.hops.some((h) => h.action === 'bridge' || h.action === 'route' && h.netns === 'node-1')).toBe(false);
    expect(t.value.hops.find((h) => h.action === 'deliver')!.packet.ttl).toBe(63);
    // The pod's ARP for its gateway is answered by the program, not the node.
    expect(t.value.hops.find((h) => h.action === 'transmit')!.why).toContain("Cilium's ARP responder");
    expect(t.value.learned.neighbours.some((n) => n.netns === 'node-1')).toBe(false);
  });

  it('other node: the tunnel key and cilium_vxlan, cil_from_overlay there; the TTL drops once, at the delivery', () => {
    const t = trace(compile(load(file)), { from: pod('client'), to: { ...pod('web-2'), port: 8080 }, proto: 'tcp' });
    if (!t.ok) throw new Error('trace');
    const actions = t.value.hops.map((h) => `${h.netns}/${h.device}/${h.action}`);
    expect(actions).toContain('node-1/cilium_vxlan/encapsulate');
    expect(actions).toContain('node-2/cilium_vxlan/ebpf');
    expect(t.value.hops.find((h) => h.action === 'encapsulate')!.packet.outer).toMatchObject({ dst: '192.168.56.11', dport: 8472 });
    expect(t.value.hops.find((h) => h.action === 'deliver')!.packet.ttl).toBe(63);
  });

  it('kubeProxyReplacement: socket-LB rewrites the ClusterIP at connect(): no DNAT hop, no kube-proxy rule, the reply comes from the backend', () => {
    const dp = compile(load(file));
    const svc = { kind: 'service' as const, namespace: 'default', name: 'web', port: 80 };
    for (const endpointIndex of [0, 1]) {
      const t = trace(dp, { from: pod('client'), to: svc, proto: 'tcp' }, { endpointIndex });
      if (!t.ok) throw new Error('trace');
      expect(t.value.verdict).toBe('delivered');
      expect(t.value.hops[1].action).toBe('ebpf');
      expect(t.value.hops[1].why).toContain('cil_sock4_connect');
      expect(t.value.hops.some((h) => h.action === 'dnat')).toBe(false);
      expect(t.value.candidates).toEqual(['default/web-1', 'default/web-2']);
      expect(t.value.endpoint).toBe(t.value.candidates[endpointIndex]);
    }
    const shown = show(dp, 'node-1');
    if (!shown.ok) throw new Error('show');
    expect(shown.value.nat).not.toMatch(/KUBE-|-j DNAT/);
  });

  it("without the kube-proxy replacement a NodePort from outside is kube-proxy's: DNAT in the node's stack, to cilium_host, SNAT to its address toward the other node's backend, into the tunnel as world (VNI 2: the node only forwards it, whatever its source); conntrack undoes both on the way back", () => {
    const dp = compile(load(withKpr(false)));
    const t = trace(dp, { from: { kind: 'external' }, to: { kind: 'node', name: 'node-1', port: 30080 }, proto: 'tcp' }, { endpointIndex: 1 });
    if (!t.ok) throw new Error(t.issues[0].reason);
    expect([t.value.verdict, t.value.endpoint]).toEqual(['delivered', 'default/web-2']);
    expect(t.value.hops.filter((h) => h.netns === 'node-1').map((h) => `${h.device}/${h.action}`)).toEqual(['eth0/receive', 'eth0/ebpf', 'eth0/dnat', 'cilium_host/route', 'cilium_host/snat', 'cilium_host/ebpf', 'cilium_vxlan/encapsulate', 'eth0/route', 'eth0/transmit']);
    expect(t.value.hops.find((h) => h.action === 'encapsulate')!.packet.outer?.vni).toBe(2);
    // The node's own packet to the same pod is the host's: VNI 6.
    const own = trace(dp, { from: { kind: 'node', name: 'node-1' }, to: { kind: 'pod', namespace: 'default', name: 'web-2', port: 8080 }, proto: 'tcp' });
    expect(own.ok && own.value.hops.find((h) => h.action === 'encapsulate')!.packet.outer?.vni).toBe(6);
    // A NetworkPolicy isolating a backend: refused, world being no peer podpath's policy evaluation has.
    const policy = '---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: only-client, namespace: default}\nspec:\n  podSelector: {matchLabels: {app: web}}\n  ingress: [{from: [{podSelector: {matchLabels: {app: client}}}]}]\n';
    const refused = trace(compile(load(withKpr(false) + policy)), { from: { kind: 'external' }, to: { kind: 'node', name: 'node-1', port: 30080 }, proto: 'tcp' });
    expect(!refused.ok && refused.issues[0].reason).toContain("kube-proxy masquerades the request and the node only forwards it");
    // From a pod too: kube-proxy masquerades a pod's packet to a NodePort as well.
    const fromPod = trace(compile(load(withKpr(false) + policy)), { from: pod('client'), to: { kind: 'node', name: 'node-2', port: 30080 }, proto: 'tcp' });
    expect(!fromPod.ok && fromPod.issues[0].reason).toContain("or a pod's packet to the Service's ClusterIP");
    // A pod sending to a Service it backs itself: refused (Cilium's loopback SNAT is not modelled).
    const self = trace(dp, { from: pod('web-1'), to: { kind: 'service', namespace: 'default', name: 'web', port: 80 }, proto: 'tcp' });
    expect(!self.ok && self.issues[0].reason).toContain('169.254.42.1');
    expect(t.value.hops.find((h) => h.action === 'deliver')!.packet.src).toBe('10.244.0.1:43512');
    expect(t.value.reply.at(-1)).toMatchObject({ netns: 'external', action: 'deliver', packet: { src: '192.168.56.10:30080' } });
  });

  it("without the kube-proxy replacement a pod's packet to a ClusterIP is load-balanced per packet in cil_from_container (DNAT in the program, no kube-proxy rule, TTL untouched), and the reply gets the ClusterIP back where it is delivered to the client", () => {
    const dp = compile(load(withKpr(false)));
    for (const endpointIndex of [0, 1]) {
      const t = trace(dp, { from: pod('client'), to: { kind: 'service', namespace: 'default', name: 'web', port: 80 }, proto: 'tcp' }, { endpointIndex });
      if (!t.ok) throw new Error(t.issues[0].reason);
      expect([t.value.verdict, t.value.endpoint]).toEqual(['delivered', ['default/web-1', 'default/web-2'][endpointIndex]]);
      const lb = t.value.hops.find((h) => h.ebpf?.decision === 'service-dnat')!;
      expect([lb.netns, lb.ebpf!.program, lb.packet.ttl]).toEqual(['node-1', 'cil_from_container', 64]);
      expect(lb.why).toContain('__per_packet_lb_svc_xlate_4');
      expect(t.value.hops.some((h) => h.action === 'dnat')).toBe(false);
      const back = t.value.reply.at(-1)!;
      expect([back.action, back.packet.src]).toEqual(['deliver', '10.96.0.11:80']);
      expect(t.value.reply.find((h) => h.why.includes('lb4_rev_nat'))?.netns).toBe('node-1');
    }
    // internalTrafficPolicy Local with no backend on the client's node: the program answers ICMP port unreachable into the pod.
    const none = trace(compile(load(withKpr(false).replace('spec:\n  type: NodePort', 'spec:\n  type: NodePort\n  internalTrafficPolicy: Local').replace(/kind: Pod\nmetadata:\n  name: web-1[\s\S]*?---\n/, ''))), { from: pod('client'), to: { kind: 'service', namespace: 'default', name: 'web', port: 80 }, proto: 'tcp' });
    if (!none.ok) throw new Error(none.issues[0].reason);
    expect([none.value.verdict, none.value.code]).toEqual(['refused', 'no-service-reject']);
    expect(none.value.reason).toContain('ICMP port unreachable');
  });

  it("socket-LB: a pod's connect() to any node's address and NodePort is rewritten to a backend, like a ClusterIP (the wildcard frontend); no DNAT on the wire", () => {
    const np = load(file.replace('spec:\n  selector: {app: web}', 'spec:\n  type: NodePort\n  selector: {app: web}'));
    const port = np.services[0].ports[0].nodePort!;
    const dp = compile(np);
    for (const node of ['node-1', 'node-2']) {
      const t = trace(dp, { from: pod('client'), to: { kind: 'node', name: node, port }, proto: 'tcp' }, { endpointIndex: 1 });
      if (!t.ok) throw new Error(t.issues[0].reason);
      expect(t.value.verdict).toBe('delivered');
      expect(t.value.candidates).toEqual(['default/web-1', 'default/web-2']);
      // The sender's own node: its exact frontend; another node's address: the wildcard entry.
      expect(t.value.hops[1].why).toContain(node === 'node-1' ? "is this node's address and NodePort" : 'sock4_wildcard_lookup_full finds the wildcard entry');
      expect(t.value.hops.some((h) => h.action === 'dnat')).toBe(false);
      // The connection goes straight to the backend: the packet is never addressed to the node.
      expect(t.value.hops.slice(1).every((h) => h.packet.dst.startsWith('10.244.1.2:'))).toBe(true);
    }
  });

  describe("externalTrafficPolicy Local from outside: nodeport_lb4 in cil_from_netdev (the external-traffic-local example under Cilium)", () => {
    const etl = readFileSync(new URL('../../../public/scenarios/external-traffic-local.yaml', import.meta.url), 'utf8').replace('cni: flannel-vxlan\n  kubeProxy: iptables', 'cni: cilium\n  cilium: {kubeProxyReplacement: true}');
    const dp = compile(load(etl));
    const toNode = (name: string) => trace(dp, { from: { kind: 'external' }, to: { kind: 'node', name, port: 30080 }, proto: 'tcp' });

    it('a node with a backend: DNAT at eth0, no SNAT (the pod sees the client), up the stack to cilium_host (TTL 62); the reply turned back in cil_from_container and sent out of eth0 (TTL 63)', () => {
      const t = toNode('node-1');
      if (!t.ok) throw new Error(t.issues[0].reason);
      expect(t.value.verdict).toBe('delivered');
      expect(t.value.endpoint).toBe('default/ingress');
      const dnat = t.value.hops.find((h) => h.ebpf?.decision === 'nodeport-dnat')!;
      expect([dnat.netns, dnat.device, dnat.ebpf!.program]).toEqual(['node-1', 'eth0', 'cil_from_netdev']);
      const deliver = t.value.hops.find((h) => h.action === 'deliver')!;
      expect(deliver.packet.src.split(':')[0]).toBe('192.168.56.254'); // the external client's own address
      expect(deliver.packet.ttl).toBe(62);
      // Legacy host routing: the node's stack forwards it to cilium_host, whose cil_from_host delivers.
      expect(t.value.hops.filter((h) => h.netns === 'node-1').map((h) => `${h.device}/${h.action}`)).toEqual(['eth0/receive', 'eth0/ebpf', 'cilium_host/route', 'cilium_host/ebpf', expect.stringMatching(/^lxc[0-9a-f]{12}\/transmit$/)]);
      const rev = t.value.reply.find((h) => h.ebpf?.decision === 'rev-nat')!;
      expect(rev.ebpf!.program).toBe('cil_from_container');
      expect(rev.packet.src).toBe('192.168.56.10:30080');
      const back = t.value.reply.at(-1)!;
      expect([back.netns, back.action, back.packet.src, back.packet.ttl]).toEqual(['external', 'deliver', '192.168.56.10:30080', 63]);
      // fib_redirect: node-1's iptables never sees the reply (no conntrack un-DNAT hop).
      expect(t.value.reply.some((h) => h.action === 'undo-nat')).toBe(false);
      // Hubble: bpf_lxc reports TO_NETWORK before the REVNAT tail call, so the flow shows the pod as the source.
      const flows = hubbleRecords(dp.scenario, t.value, 0).map((r) => `${r.flow.trace_observation_point} ${r.flow.IP.source} -> ${r.flow.IP.destination}${r.flow.is_reply ? ' reply' : ''}`);
      expect(flows).toEqual(['TO_ENDPOINT 192.168.56.254 -> 10.244.0.2', 'TO_NETWORK 10.244.0.2 -> 192.168.56.254 reply']);
    });

    it('a node without one: DROP_NO_SERVICE, answered with ICMP port unreachable by the program (refused, where kube-proxy would drop it; with no endpoint at all both refuse)', () => {
      for (const node of ['node-2', 'node-3']) {
        const t = toNode(node);
        if (!t.ok) throw new Error(t.issues[0].reason);
        expect([t.value.verdict, t.value.code]).toEqual(['refused', 'no-service-reject']);
        expect(t.value.hops.at(-1)!.ebpf).toEqual({ program: 'cil_from_netdev', decision: 'reject-no-service' });
        expect(t.value.reason).toContain('runs on node-1');
        expect(t.value.reason).toContain('kube-proxy, with endpoints only on other nodes, would drop it');
      }
      const nobody = trace(compile(load(etl.replace('    app: ingress\n  ports:', '    app: nobody\n  ports:'))), { from: { kind: 'external' }, to: { kind: 'node', name: 'node-1', port: 30080 }, proto: 'tcp' });
      if (!nobody.ok) throw new Error(nobody.issues[0].reason);
      expect([nobody.value.verdict, nobody.value.code]).toEqual(['refused', 'no-service-reject']);
      expect(nobody.value.reason).toContain('as kube-proxy would REJECT it');
    });

    it("internalTrafficPolicy Local: socket-LB picks from the sender's node's backends only (the agent's frontend on each node), and where it has none connect() fails at once", () => {
      // web on node-2: cache-b beside it, never cache-a on node-1.
      const near = trace(dp, { from: pod('web'), to: { kind: 'service', namespace: 'default', name: 'cache', port: 6379 }, proto: 'tcp' });
      if (!near.ok) throw new Error(near.issues[0].reason);
      expect([near.value.verdict, near.value.endpoint, near.value.candidates]).toEqual(['delivered', 'default/cache-b', ['default/cache-b']]);
      expect(near.value.hops[1].ebpf?.decision).toBeUndefined();
      expect(near.value.hops[1].why).toContain('internalTrafficPolicy Local: the only backend on node-2, never one on another node');
      expect(near.value.hops.some((h) => h.action === 'dnat')).toBe(false);
      // client on node-3: no cache pod there, so no backend in its frontend: dropped at connect(), no packet.
      const far = trace(dp, { from: pod('client'), to: { kind: 'service', namespace: 'default', name: 'cache', port: 6379 }, proto: 'tcp' });
      if (!far.ok) throw new Error(far.issues[0].reason);
      expect([far.value.verdict, far.value.code]).toEqual(['dropped', 'no-local-endpoints']);
      expect(far.value.hops.map((h) => h.action)).toEqual(['send', 'drop']);
      expect(far.value.reason).toContain('they run on node-1, node-2');
      expect(far.value.reason).toContain('connect() fails at once (No route to host)');
      // Its NodePort through socket-LB as much as its ClusterIP (any node's address: the sender's node decides).
      const bothLocal = compile(load(etl.replace('  externalTrafficPolicy: Local', '  externalTrafficPolicy: Local\n  internalTrafficPolicy: Local')));
      for (const node of ['node-1', 'node-2', 'node-3']) {
        const fromNode3 = trace(bothLocal, { from: pod('client'), to: { kind: 'node', name: node, port: 30080 }, proto: 'tcp' });
        if (!fromNode3.ok) throw new Error(fromNode3.issues[0].reason);
        expect([fromNode3.value.verdict, fromNode3.value.code]).toEqual(['dropped', 'no-local-endpoints']);
        const fromNode1 = trace(bothLocal, { from: pod('cache-a'), to: { kind: 'node', name: node, port: 30080 }, proto: 'tcp' });
        if (!fromNode1.ok) throw new Error(fromNode1.issues[0].reason);
        expect([fromNode1.value.verdict, fromNode1.value.endpoint]).toEqual(['delivered', 'default/ingress']);
      }
    });
  });

  describe('externalTrafficPolicy Cluster from outside: nodeport_lb4 DNATs to any backend; one on another node is SNATed too and sent on by the program, and its reply turned back where it comes in', () => {
    const native = file.replace('routingMode: tunnel', 'routingMode: native\n    autoDirectNodeRoutes: true');
    const fromOutside = (text: string, node: string, endpointIndex: number) => {
      const t = trace(compile(load(text)), { from: { kind: 'external' }, to: { kind: 'node', name: node, port: 30080 }, proto: 'tcp' }, { endpointIndex });
      if (!t.ok) throw new Error(t.issues[0].reason);
      return t.value;
    };

    it("tunnel: SNAT to node-1's cilium_host address, routed (TTL 63), into cilium_vxlan as world (VNI 2); delivered with TTL 62; the reply tunnelled back is turned back in cil_from_overlay (client and NodePort restored, TTL 63) and leaves by eth0", () => {
      const t = fromOutside(file, 'node-1', 1);
      expect([t.verdict, t.endpoint, t.candidates]).toEqual(['delivered', 'default/web-2', ['default/web-1', 'default/web-2']]);
      const snat = t.hops.find((h) => h.ebpf?.decision === 'nodeport-snat')!;
      expect([snat.netns, snat.device, snat.ebpf!.program, snat.packet.src, snat.packet.dst, snat.packet.ttl]).toEqual(['node-1', 'eth0', 'cil_from_netdev', '10.244.0.1:43512', '10.244.1.2:8080', 63]);
      expect(snat.why).toContain('tail_nodeport_nat_egress_ipv4');
      const encap = t.hops.find((h) => h.action === 'encapsulate')!;
      expect([encap.device, encap.packet.outer?.vni, encap.packet.outer?.src, encap.packet.outer?.dst]).toEqual(['cilium_vxlan', 2, '192.168.56.10', '192.168.56.11']);
      // The node's stack never sees the request: no route hop in node-1.
      expect(t.hops.some((h) => h.netns === 'node-1' && h.action === 'route' && !h.packet.outer)).toBe(false);
      const deliver = t.hops.find((h) => h.action === 'deliver')!;
      expect([deliver.packet.src, deliver.packet.ttl]).toEqual(['10.244.0.1:43512', 62]);
      const rev = t.reply.find((h) => h.ebpf?.decision === 'rev-nat')!;
      expect([rev.netns, rev.device, rev.ebpf!.program, rev.packet.src, rev.packet.dst, rev.packet.ttl]).toEqual(['node-1', 'cilium_vxlan', 'cil_from_overlay', '192.168.56.10:30080', '192.168.56.254:43512', 63]);
      expect(rev.why).toContain('snat_v4_rev_nat');
      expect(t.reply.at(-1)).toMatchObject({ netns: 'external', action: 'deliver', packet: { src: '192.168.56.10:30080', ttl: 63 } });
    });

    it('a backend on the node the client reached: DNAT only, as with Local (the client kept, up the stack)', () => {
      const t = fromOutside(file, 'node-1', 0);
      expect(t.endpoint).toBe('default/web-1');
      expect(t.hops.some((h) => h.ebpf?.decision === 'nodeport-snat')).toBe(false);
      expect(t.hops.find((h) => h.ebpf?.decision === 'nodeport-dnat')!.why).toContain('externalTrafficPolicy Cluster, so the frontend has every backend');
      expect(t.hops.find((h) => h.action === 'deliver')!.packet.src).toBe('192.168.56.254:43512');
    });

    it("native: SNAT to node-2's own address and fib_redirect out of eth0 (TTL 63); node-1's stack and cil_from_host deliver (TTL 61); the reply comes back natively and cil_from_netdev turns it back (TTL 61)", () => {
      const t = fromOutside(native, 'node-2', 0);
      expect(t.endpoint).toBe('default/web-1');
      const snat = t.hops.find((h) => h.ebpf?.decision === 'nodeport-snat')!;
      expect([snat.netns, snat.packet.src, snat.packet.ttl]).toEqual(['node-2', '192.168.56.11:43512', 63]);
      expect(snat.why).toContain('IPV4_DIRECT_ROUTING');
      expect(t.hops.some((h) => h.action === 'encapsulate')).toBe(false);
      expect(t.hops.find((h) => h.action === 'deliver')!.packet.ttl).toBe(61);
      const rev = t.reply.find((h) => h.ebpf?.decision === 'rev-nat')!;
      expect([rev.netns, rev.device, rev.ebpf!.program, rev.packet.dst]).toEqual(['node-2', 'eth0', 'cil_from_netdev', '192.168.56.254:43512']);
      expect(t.reply.at(-1)).toMatchObject({ netns: 'external', action: 'deliver', packet: { src: '192.168.56.11:30080', ttl: 61 } });
    });

    it('tunnel mode with a NetworkPolicy isolating a remote backend for ingress: refused (how Cilium matches world is not modelled); natively traced', () => {
      const policy = '---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny-web, namespace: default}\nspec:\n  podSelector: {matchLabels: {app: web}}\n  policyTypes: [Ingress]\n';
      const t = trace(compile(load(file + policy)), { from: { kind: 'external' }, to: { kind: 'node', name: 'node-1', port: 30080 }, proto: 'tcp' });
      expect(!t.ok && t.issues[0].reason).toContain('as world (identity 2)');
      const n = trace(compile(load(native + policy)), { from: { kind: 'external' }, to: { kind: 'node', name: 'node-2', port: 30080 }, proto: 'tcp' });
      expect(n.ok && [n.value.verdict, n.value.code]).toEqual(['dropped', 'network-policy-denied']);
    });
  });

  it('native routing (autoDirectNodeRoutes): no cilium_vxlan; the host routes another node\'s pods via its address; cil_from_netdev hands the packet to the stack, which routes it to cilium_host, where cil_from_host delivers; TTL 60', () => {
    const s = load(file.replace('routingMode: tunnel', 'routingMode: native\n    autoDirectNodeRoutes: true'));
    const dp = compile(s);
    const n1 = dp.netns('node-1')!;
    expect(n1.devices.some((d) => d.name === 'cilium_vxlan')).toBe(false);
    expect(n1.devices.find((d) => d.name === 'eth0')!.tc?.ingress?.name).toBe('cil_from_netdev');
    const shown = show(dp, 'node-1');
    if (!shown.ok) throw new Error('show');
    expect(shown.value.route).toContain('10.244.1.0/24 via 192.168.56.11 dev eth0 proto kernel \n');
    const t = trace(dp, { from: pod('client'), to: { ...pod('web-2'), port: 8080 }, proto: 'tcp' });
    if (!t.ok) throw new Error('trace');
    expect(t.value.hops.some((h) => h.action === 'encapsulate')).toBe(false);
    const atNode2 = t.value.hops.filter((h) => h.netns === 'node-2').map((h) => `${h.device}/${h.action}`);
    expect(atNode2).toEqual(['eth0/receive', 'eth0/ebpf', 'cilium_host/route', 'cilium_host/ebpf', `${ciliumVethName({ namespace: 'default', name: 'web-2' })}/transmit`]);
    // Legacy host routing: cil_from_netdev only passes (it claims nothing), cil_from_host delivers.
    expect(t.value.hops.find((h) => h.netns === 'node-2' && h.device === 'eth0' && h.action === 'ebpf')?.claims).toBeUndefined();
    expect(t.value.hops.find((h) => h.netns === 'node-2' && h.device === 'cilium_host' && h.action === 'ebpf')?.claims?.ebpf).toEqual({ program: 'cil_from_host', device: 'cilium_host' });
    // pass_to_stack (63), node-1 forwards (62), node-2 forwards (61), ipv4_local_delivery (60).
    expect(t.value.hops.find((h) => h.action === 'deliver')!.packet.ttl).toBe(60);
    // The ipset exclusion exists only without tunnelling: a pod's packet to another node keeps its address.
    const toNode = trace(dp, { from: pod('client'), to: { kind: 'node', name: 'node-2', port: 10250 }, proto: 'tcp' });
    if (!toNode.ok) throw new Error('trace');
    expect(toNode.value.hops.some((h) => h.action === 'snat')).toBe(false);
    expect(shown.value.nat).toContain('-m set --match-set cilium_node_set_v4 dst');
    // Without autoDirectNodeRoutes the routes would come from the network: refused, saying so.
    const bare = loadScenario(file.replace('routingMode: tunnel', 'routingMode: native'), 't.yaml');
    expect(!bare.ok && bare.issues[0].reason).toContain('autoDirectNodeRoutes: true');
  });

  it('reads its Helm values with clear errors: an unknown routing mode and geneve are refused, saying why', () => {
    const bad = loadScenario(file.replace('routingMode: tunnel', 'routingMode: sideways').replace('tunnelProtocol: vxlan', 'tunnelProtocol: geneve'), 't.yaml');
    expect(bad.ok).toBe(false);
    const reasons = !bad.ok ? bad.issues.map((i) => `${i.field}: ${i.reason}`) : [];
    expect(reasons.some((r) => r.startsWith('spec.cilium.routingMode: must be tunnel or native'))).toBe(true);
    expect(reasons.some((r) => r.startsWith('spec.cilium.tunnelProtocol: geneve is not offered') && r.includes('no GENEVE'))).toBe(true);
  });

  it("a node's own packet into the tunnel carries VNI 6 (LOCAL_NODE_ID), and the reply out of the tunnel to the node is ipv4_host_delivery: TTL 63, into cilium_host", () => {
    const t = trace(compile(load(file)), { from: { kind: 'node', name: 'node-1' }, to: { ...pod('web-2'), port: 8080 }, proto: 'tcp' });
    if (!t.ok) throw new Error('trace');
    expect(t.value.verdict).toBe('delivered');
    const encap = t.value.hops.find((h) => h.action === 'encapsulate')!.packet.outer!;
    expect(encap.vni).toBe(6);
    // bpf_host.c rewrite_dmac_to_host: the inner frame goes from cilium_host's MAC to cilium_net's; Cilium asks for no outer UDP checksum.
    const n1 = compile(load(file)).netns('node-1')!;
    expect(encap.innerEth).toEqual({ src: n1.devices.find((d) => d.name === 'cilium_host')!.mac, dst: n1.devices.find((d) => d.name === 'cilium_net')!.mac });
    expect(encap.zeroUdpChecksum).toBe(true);
    const reply = { hops: t.value.reply };
    expect(reply.hops.find((h) => h.action === 'encapsulate')!.packet.outer?.vni).not.toBe(6);
    const home = reply.hops.filter((h) => h.netns === 'node-1').map((h) => `${h.device}/${h.action}`);
    expect(home).toEqual(['eth0/receive', 'cilium_vxlan/decapsulate', 'cilium_vxlan/ebpf', 'cilium_host/receive', 'cilium_host/ebpf', 'cilium_host/deliver']);
    const delivery = reply.hops.find((h) => h.netns === 'node-1' && h.device === 'cilium_vxlan' && h.action === 'ebpf')!.why;
    expect(delivery).toContain('ipv4_host_delivery');
    expect(delivery).toContain("10.244.0.1 is node-1's own address, its host entry in cilium_lxc (ENDPOINT_F_HOST)");
    expect(reply.hops.find((h) => h.action === 'deliver')!.packet.ttl).toBe(63);
  });

  it("tunnel mode masquerades a pod's packet to another node's address (CILIUM_POST_nat's ! -d is the node's own podCIDR; no ipset rule without native routing)", () => {
    const dp = compile(load(file));
    const shown = show(dp, 'node-1');
    if (!shown.ok) throw new Error('show');
    expect(shown.value.nat).not.toContain('cilium_node_set_v4');
    expect(shown.value.nat).toContain('-A CILIUM_POST_nat -s 10.244.0.0/24 ! -d 10.244.0.0/24 ! -o cilium_+ -m comment --comment "cilium masquerade non-cluster" -j MASQUERADE');
    expect(shown.value.nat).toContain('-A CILIUM_POST_nat ! -s 10.244.0.0/24 ! -d 10.244.0.0/24 -o cilium_host -m comment --comment "cilium host->cluster masquerade" -j SNAT --to-source 10.244.0.1');
    const t = trace(dp, { from: pod('client'), to: { kind: 'node', name: 'node-2', port: 10250 }, proto: 'tcp' });
    if (!t.ok) throw new Error('trace');
    const snat = t.value.hops.find((h) => h.action === 'snat');
    expect(snat?.packet.src).toBe('192.168.56.10:43512');
    expect(snat?.matched).toContain('cilium masquerade non-cluster');
  });

  it("racks with native routing: Cilium's agent itself refuses the route via a node off this segment (createDirectRouteSpec), not the kernel; the router drops the packet", () => {
    const racks = readFileSync(new URL('../../../public/scenarios/racks.yaml', import.meta.url), 'utf8').replace('cni: bridge-hostgw', 'cni: cilium\n  cilium: {routingMode: native, autoDirectNodeRoutes: true}');
    const t = trace(compile(load(racks)), { from: pod('client'), to: { ...pod('web-3'), port: 8080 }, proto: 'tcp' });
    if (!t.ok) throw new Error('trace');
    expect(t.value.verdict).toBe('dropped');
    const routed = t.value.hops.find((h) => h.netns === 'node-1' && h.action === 'route')!;
    expect(routed.why).toContain("Cilium's agent does not install that route (createDirectRouteSpec");
    expect(routed.why).not.toContain('kernel refuses');
  });
});
