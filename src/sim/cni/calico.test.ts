// Calico's datapath as the engine builds it: names, blocks, routes, and what a packet meets.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile, loadScenario, show, trace, writeScenario } from '../index.ts';
import type { Scenario } from '../model.ts';
import { calicoVethName } from './calico.ts';

function calicoCluster(pool: string, pods: { name: string; node: string; port?: number }[], nodes = ['node-1', 'node-2']): string {
  const docs = [
    ['apiVersion: podpath.dev/v1alpha1', 'kind: Cluster', 'metadata: {name: t}', 'spec:', '  podCIDR: 10.244.0.0/16', '  serviceCIDR: 10.96.0.0/12', '  nodeNetwork: 192.168.56.0/24', '  cni: calico', `  calico: ${pool}`].join('\n'),
    ...nodes.map((n) => `apiVersion: v1\nkind: Node\nmetadata: {name: ${n}}`),
    ...pods.map((p) => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${p.name}, namespace: default, labels: {app: ${p.name}}}\nspec:\n  nodeName: ${p.node}\n  containers: [{name: c, image: x${p.port ? `, ports: [{containerPort: ${p.port}}]` : ''}}]`),
  ];
  return docs.join('\n---\n');
}

function load(text: string): Scenario {
  const r = loadScenario(text, 't.yaml');
  if (!r.ok) throw new Error(r.issues.map((i) => `${i.document} ${i.field}: ${i.reason}`).join('; '));
  return r.value;
}

const BGP = '{ipipMode: Never, vxlanMode: Never}';
const VXLAN = '{ipipMode: Never, vxlanMode: Always}';

describe('calico', () => {
  it("gives pods the smallest MTU of the encapsulations the pool enables, as felix's determinePodMTU does: CrossSubnet enables VXLAN (1450) even where it is not used", () => {
    const mtu = (pool: string) => {
      const dp = compile(load(calicoCluster(pool, [{ name: 'a', node: 'node-1' }])));
      return dp.netns('default/a')!.devices.find((d) => d.name === 'eth0')!.mtu;
    };
    expect(mtu('{ipipMode: Never, vxlanMode: CrossSubnet}')).toBe(1450);
    expect(mtu('{ipipMode: Never, vxlanMode: Always}')).toBe(1450);
    expect(mtu('{ipipMode: CrossSubnet, vxlanMode: Never}')).toBe(1480);
    expect(mtu(BGP)).toBe(1500);
  });

  it('names the host veth cali + 11 hex digits of SHA-1("namespace.pod"), as the CNI plugin does', () => {
    const want = `cali${createHash('sha1').update('default.web-1').digest('hex').slice(0, 11)}`;
    expect(calicoVethName({ namespace: 'default', name: 'web-1' })).toBe(want);
    expect(want).toHaveLength(15);
  });

  it('hands out /26 blocks per node as needed: a node takes a second block when its first is full', () => {
    const pods = Array.from({ length: 65 }, (_, i) => ({ name: `p${i}`, node: 'node-1' }));
    const s = load(calicoCluster(BGP, [...pods, { name: 'other', node: 'node-2' }]));
    const n1 = s.nodes.find((n) => n.name === 'node-1')!;
    const n2 = s.nodes.find((n) => n.name === 'node-2')!;
    expect(n1.podCIDR).toBeUndefined();
    // In document order: node-1's 65 pods fill its first block and take a second; node-2's pod the next.
    expect(n1.calicoBlocks).toEqual(['10.244.0.0/26', '10.244.0.64/26']);
    expect(n2.calicoBlocks).toEqual(['10.244.0.128/26']);
    // Every address of a block is a pod's, its first too (pods are /32s; a block is no subnet).
    expect(s.pods[0].podIP).toBe('10.244.0.0');
    expect(s.pods[63].podIP).toBe('10.244.0.63');
    expect(s.pods[64].podIP).toBe('10.244.0.64');
    expect(s.pods[65].podIP).toBe('10.244.0.128');
    // The blocks are stored: written and read back, the same cluster.
    const again = load(writeScenario(s));
    expect(again.nodes.map((n) => n.calicoBlocks)).toEqual(s.nodes.map((n) => n.calicoBlocks));
    expect(again.pods.map((p) => p.podIP)).toEqual(s.pods.map((p) => p.podIP));
  });

  it('no encapsulation: /32 routes to the cali devices, a blackhole for each own block, BIRD routes to the others', () => {
    const s = load(calicoCluster(BGP, [{ name: 'a', node: 'node-1' }, { name: 'b', node: 'node-2' }]));
    const dp = compile(s);
    const shown = show(dp, 'node-1');
    if (!shown.ok) throw new Error('show');
    const veth = calicoVethName({ namespace: 'default', name: 'a' });
    expect(shown.value.route.split('\n')).toEqual([
      'default via 192.168.56.1 dev eth0 ',
      `10.244.0.0 dev ${veth} scope link `,
      'blackhole 10.244.0.0/26 proto bird ',
      '10.244.0.64/26 via 192.168.56.11 dev eth0 proto bird ',
      '192.168.56.0/24 dev eth0 proto kernel scope link src 192.168.56.10 ',
      '',
    ]);
    const host = dp.netns('node-1')!.devices.find((d) => d.name === veth)!;
    expect([host.mac, host.proxyArp, host.addresses]).toEqual(['ee:ee:ee:ee:ee:ee', true, []]);
    expect(dp.netns('node-1')!.devices.some((d) => d.kind === 'bridge')).toBe(false);
    const pod = show(dp, 'default/a');
    expect(pod.ok && pod.value.route).toBe('default via 169.254.1.1 dev eth0 \n169.254.1.1 dev eth0 scope link \n');
    expect(pod.ok && pod.value.addr).toContain('10.244.0.0/32');
    // natOutgoing: felix masquerades pod traffic leaving the pool.
    expect(shown.value.nat).toContain('-A cali-nat-outgoing -s 10.244.0.0/16 ! -d 10.244.0.0/16 -j MASQUERADE --random-fully');
  });

  it("natOutgoing: false leaves felix's cali-nat-outgoing empty: a pod's packet leaves the cluster with its own address, and the outside has no route back", () => {
    const s = load(calicoCluster('{ipipMode: Never, vxlanMode: Always, natOutgoing: false}', [{ name: 'a', node: 'node-1' }]));
    const dp2 = compile(s);
    const shown = show(dp2, 'node-1');
    expect(shown.ok && shown.value.nat).toContain('-A cali-POSTROUTING -j cali-nat-outgoing');
    expect(shown.ok && shown.value.nat).not.toContain('-A cali-nat-outgoing');
    const t = trace(dp2, { from: { kind: 'pod', namespace: 'default', name: 'a' }, to: { kind: 'ip', ip: '192.168.56.254', port: 9 }, proto: 'tcp' });
    if (!t.ok) throw new Error('trace');
    expect(t.value.hops.some((h) => h.action === 'snat')).toBe(false);
    expect(t.value.hops.find((h) => h.netns === 'external' && h.action === 'receive')!.packet.src).toBe('10.244.0.1:43512');
    expect(t.value.reason).toContain('external has no route back to 10.244.0.1');
  });

  it('routes a packet between two pods of one node (TTL 63), through proxy ARP for 169.254.1.1', () => {
    const s = load(calicoCluster(BGP, [{ name: 'a', node: 'node-1' }, { name: 'b', node: 'node-1', port: 80 }]));
    const t = trace(compile(s), { from: { kind: 'pod', namespace: 'default', name: 'a' }, to: { kind: 'pod', namespace: 'default', name: 'b', port: 80 }, proto: 'tcp' });
    if (!t.ok) throw new Error('trace');
    expect(t.value.verdict).toBe('delivered');
    expect(t.value.hops.at(-1)!.packet.ttl).toBe(63);
    expect(t.value.hops.some((h) => h.why.includes('by proxy ARP') && h.why.includes('169.254.1.1') && h.why.includes('ee:ee:ee:ee:ee:ee'))).toBe(true);
    expect(t.value.modelled).toBeUndefined();
  });

  it('drops a packet to an address of an own block that no pod holds at the blackhole', () => {
    const s = load(calicoCluster(BGP, [{ name: 'a', node: 'node-1' }, { name: 'b', node: 'node-2' }]));
    const t = trace(compile(s), { from: { kind: 'pod', namespace: 'default', name: 'b' }, to: { kind: 'ip', ip: '10.244.0.9', port: 80 }, proto: 'tcp' } as never);
    if (!t.ok) throw new Error(t.issues.map((i) => i.reason).join());
    expect([t.value.verdict, t.value.code]).toEqual(['dropped', 'blackhole-route']);
  });

  it('VXLAN: vxlan.calico with the first address of the first block, onlink routes via the remote VTEP, permanent neighbour and FDB', () => {
    const s = load(calicoCluster(VXLAN, [{ name: 'a', node: 'node-1' }, { name: 'b', node: 'node-2', port: 80 }]));
    expect(s.pods.map((p) => p.podIP)).toEqual(['10.244.0.1', '10.244.0.65']);
    const dp = compile(s);
    const n1 = dp.netns('node-1')!;
    const vx = n1.devices.find((d) => d.name === 'vxlan.calico')!;
    expect([vx.addresses, vx.vxlan?.vni, vx.vxlan?.dstport, vx.mtu]).toEqual([[{ ip: '10.244.0.0', prefixLength: 32 }], 4096, 4789, 1450]);
    const shown = show(dp, 'node-1');
    expect(shown.ok && shown.value.route).toContain('blackhole 10.244.0.0/26 proto 80 \n');
    expect(shown.ok && shown.value.route).toContain('10.244.0.64/26 via 10.244.0.64 dev vxlan.calico onlink \n');
    const remoteMac = dp.netns('node-2')!.devices.find((d) => d.name === 'vxlan.calico')!.mac;
    expect(n1.neighbours.filter((n) => n.dev === 'vxlan.calico')).toEqual([{ ip: '10.244.0.64', dev: 'vxlan.calico', mac: remoteMac }]);
    // felix's static ARP entry for each local pod on its cali device.
    expect(n1.neighbours.filter((n) => n.dev !== 'vxlan.calico').map((n) => n.by)).toEqual(["felix's static ARP entry"]);
    expect(n1.fdb).toContainEqual({ mac: remoteMac, dev: 'vxlan.calico', dst: '192.168.56.11' });
    const t = trace(dp, { from: { kind: 'pod', namespace: 'default', name: 'a' }, to: { kind: 'pod', namespace: 'default', name: 'b', port: 80 }, proto: 'tcp' });
    expect(t.ok && t.value.verdict).toBe('delivered');
    expect(t.ok && t.value.hops.find((h) => h.action === 'encapsulate')?.packet.outer).toMatchObject({ dport: 4789, vni: 4096, src: '192.168.56.10', dst: '192.168.56.11' });
  });

  it('IPIP (the default pool) is modelled: every hop and the show output say it is not kernel-checked', () => {
    const s = load(calicoCluster('{}', [{ name: 'a', node: 'node-1' }, { name: 'b', node: 'node-2', port: 80 }]));
    const dp = compile(s);
    expect(dp.netns('node-1')!.devices.find((d) => d.name === 'tunl0')?.mtu).toBe(1480);
    const t = trace(dp, { from: { kind: 'pod', namespace: 'default', name: 'a' }, to: { kind: 'pod', namespace: 'default', name: 'b', port: 80 }, proto: 'tcp' });
    if (!t.ok) throw new Error('trace');
    expect(t.value.verdict).toBe('delivered');
    expect(t.value.modelled).toBe('ipip-not-in-kernel');
    for (const h of [...t.value.hops, ...t.value.reply]) expect(h.why).toContain('not kernel-checked');
    const shown = show(dp, 'node-1');
    expect(shown.ok && shown.value.note).toContain('this machine\'s kernel has no IPIP');
  });

  it('CrossSubnet within one node network does not encapsulate: felix routes via the node', () => {
    const s = load(calicoCluster('{ipipMode: Never, vxlanMode: CrossSubnet}', [{ name: 'a', node: 'node-1' }, { name: 'b', node: 'node-2' }]));
    const shown = show(compile(s), 'node-1');
    expect(shown.ok && shown.value.route).toContain('10.244.0.64/26 via 192.168.56.11 dev eth0 proto 80 \n');
  });

  it('refuses bad pool fields with clear reasons', () => {
    const bad = loadScenario(calicoCluster('{ipipMode: always, vxlanMode: Always, blockSize: 33, natOutgoing: yes-please, disabled: false}', []), 't.yaml');
    expect(bad.ok).toBe(false);
    const reasons = !bad.ok ? bad.issues.map((i) => `${i.field}: ${i.reason}`) : [];
    expect(reasons.some((r) => r.startsWith('spec.calico.ipipMode: must be one of Always, CrossSubnet, Never'))).toBe(true);
    expect(reasons.some((r) => r.startsWith('spec.calico.blockSize: must be a whole number from 20 to 32'))).toBe(true);
    expect(reasons.some((r) => r.startsWith('spec.calico.natOutgoing: must be true or false'))).toBe(true);
    expect(reasons.some((r) => r.startsWith('spec.calico.disabled: is not an IPPool field podpath reads (it reads ipipMode, vxlanMode, blockSize and natOutgoing)'))).toBe(true);
    const both = loadScenario(calicoCluster('{vxlanMode: Always}', []), 't.yaml');
    expect(!both.ok && both.issues[0].reason).toContain('Calico refuses an IPPool with both IP-in-IP and VXLAN on');
  });

  it("a NodePort on 127.0.0.1 reaches a local pod through its cali device's own route_localnet=1, not only kube-proxy's", () => {
    const text = calicoCluster(BGP, [{ name: 'b', node: 'node-1', port: 80 }]) + '\n---\napiVersion: v1\nkind: Service\nmetadata: {name: b, namespace: default}\nspec:\n  type: NodePort\n  selector: {app: b}\n  ports: [{port: 80, targetPort: 80, nodePort: 30080}]';
    const t = trace(compile(load(text)), { from: { kind: 'node', name: 'node-1' }, to: { kind: 'ip', ip: '127.0.0.1', port: 30080 }, proto: 'tcp' } as never);
    if (!t.ok) throw new Error(t.issues.map((i) => i.reason).join());
    expect(t.value.verdict).toBe('delivered');
    expect(t.value.hops.some((h) => h.claims?.routeLocalnet)).toBe(false);
    expect(t.value.hops.some((h) => h.why.includes('has route_localnet=1 of its own'))).toBe(true);
  });
  it("no encapsulation across racks: BIRD's mesh crosses the router and resolves the next hop recursively, so the other rack's blocks go via the router, which learns none and drops the packet (no ICMP: it has no route back to a pod)", () => {
    const racks = readFileSync(new URL('../../../public/scenarios/racks.yaml', import.meta.url), 'utf8').replace('cni: bridge-hostgw', `cni: calico\n  calico: ${BGP}`);
    const dp = compile(load(racks));
    const shown = show(dp, 'node-1');
    if (!shown.ok) throw new Error('show');
    // node-2 shares node-1's rack: via its address; node-3 is on the other rack: via node-1's gateway, the router.
    expect(shown.value.route).toMatch(/10\.244\.0\.64\/26 via 192\.168\.56\.11 dev eth0 proto bird/);
    expect(shown.value.route).toMatch(/10\.244\.0\.128\/26 via 192\.168\.56\.1 dev eth0 proto bird/);
    const t = trace(dp, { from: { kind: 'pod', namespace: 'default', name: 'client' }, to: { kind: 'pod', namespace: 'default', name: 'web-3', port: 8080 }, proto: 'tcp' });
    if (!t.ok) throw new Error(t.issues[0].reason);
    expect([t.value.verdict, t.value.code, t.value.hops.at(-1)!.netns]).toEqual(['dropped', 'no-route', 'router']);
    expect(t.value.hops.find((h) => h.action === 'route' && h.netns === 'node-1')!.why).toContain('learned it over BGP from 192.168.57.10');
    expect(t.value.reason).toContain('it has no route back to');
    const sameRack = trace(dp, { from: { kind: 'pod', namespace: 'default', name: 'client' }, to: { kind: 'pod', namespace: 'default', name: 'web-2', port: 8080 }, proto: 'tcp' });
    expect(sameRack.ok && sameRack.value.verdict).toBe('delivered');
  });
});
