// Cilium's datapath as the engine builds it: devices, routes, the tc programs a packet
// meets, socket-LB, and what podpath refuses to trace rather than guess.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile, loadScenario, show, trace } from '../index.ts';
import type { Scenario } from '../model.ts';
import { ciliumVethName } from './cilium.ts';

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

  it('a node has cilium_host (the router IP, /32) and cilium_net, NOARP, cilium_vxlan in collect-metadata mode, no cni0; podCIDRs routed via cilium_host with mtu 1450', () => {
    const dp = compile(load(file));
    const n1 = dp.netns('node-1')!;
    expect(n1.devices.map((d) => d.name)).not.toContain('cni0');
    const host = n1.devices.find((d) => d.name === 'cilium_host')!;
    expect(host.addresses).toEqual([{ ip: '10.244.0.1', prefixLength: 32 }]);
    expect(host.noarp && n1.devices.find((d) => d.name === 'cilium_net')!.noarp).toBe(true);
    expect(n1.devices.find((d) => d.name === 'cilium_vxlan')!.vxlan).toMatchObject({ dstport: 8472, external: true });
    const shown = show(dp, 'node-1');
    if (!shown.ok) throw new Error('show');
    expect(shown.value.route).toContain('10.244.1.0/24 via 10.244.0.1 dev cilium_host src 10.244.0.1 mtu 1450');
    expect(shown.value.addr).toContain('cilium_host@cilium_net');
    expect(shown.value.tc).toContain(`${ciliumVethName({ namespace: 'default', name: 'client' })} tc/ingress cil_from_container (bpf_lxc.c)`);
    expect(shown.value.tc).toContain('cilium_host tc/egress cil_from_host (bpf_host.c)');
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
    expect(shown.value.nat).not.toMatch(/KUBE-|DNAT/);
  });

  it('refuses what it does not model rather than guess: a NodePort, a hostPort, a ClusterIP without the kube-proxy replacement', () => {
    const np = load(withKpr(true).replace('spec:\n  selector: {app: web}', 'spec:\n  type: NodePort\n  selector: {app: web}'));
    const port = np.services[0].ports[0].nodePort!;
    const t = trace(compile(np), { from: { kind: 'external' }, to: { kind: 'node', name: 'node-1', port }, proto: 'tcp' });
    expect(!t.ok && t.issues[0].reason).toContain('not model yet');
    const kp = trace(compile(load(withKpr(false))), { from: pod('client'), to: { kind: 'service', namespace: 'default', name: 'web', port: 80 }, proto: 'tcp' });
    expect(!kp.ok && kp.issues[0].reason).toContain('kubeProxyReplacement: true');
  });

  it('native routing (autoDirectNodeRoutes): no cilium_vxlan; the host routes another node\'s pods via its address, cil_from_netdev on eth0 delivers; TTL 61 (pass_to_stack, the node, the delivery)', () => {
    const s = load(file.replace('routingMode: tunnel', 'routingMode: native\n    autoDirectNodeRoutes: true'));
    const dp = compile(s);
    const n1 = dp.netns('node-1')!;
    expect(n1.devices.some((d) => d.name === 'cilium_vxlan')).toBe(false);
    expect(n1.devices.find((d) => d.name === 'eth0')!.tc?.ingress?.name).toBe('cil_from_netdev');
    const shown = show(dp, 'node-1');
    if (!shown.ok) throw new Error('show');
    expect(shown.value.route).toContain('10.244.1.0/24 via 192.168.56.11 dev eth0 \n');
    const t = trace(dp, { from: pod('client'), to: { ...pod('web-2'), port: 8080 }, proto: 'tcp' });
    if (!t.ok) throw new Error('trace');
    expect(t.value.hops.some((h) => h.action === 'encapsulate')).toBe(false);
    expect(t.value.hops.find((h) => h.netns === 'node-2' && h.action === 'ebpf')?.claims?.ebpf).toEqual({ program: 'cil_from_netdev', device: 'eth0' });
    expect(t.value.hops.find((h) => h.action === 'deliver')!.packet.ttl).toBe(61);
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
});
