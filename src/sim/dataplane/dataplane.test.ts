import { describe, expect, it } from 'vitest';
import { compile, show } from '../index.ts';
import { cluster, load, node, pod, scenarioFile, service } from '../testing/helpers.ts';

const shown = (file: string, netns: string) => {
  const r = show(compile(load(scenarioFile(file))), netns);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
};

describe('what a node holds', () => {
  it('flannel-vxlan: eth0, flannel.1 (/32, MTU 1450, VNI 1 port 8472), cni0 with the gateway, one veth per pod', () => {
    const dp = compile(load(scenarioFile('flannel-vxlan.yaml')));
    const n1 = dp.netns('node-1')!;
    expect(n1.devices.map((d) => d.name)).toEqual(['lo', 'eth0', 'flannel.1', 'cni0', expect.stringMatching(/^veth[0-9a-f]{8}$/), expect.stringMatching(/^veth[0-9a-f]{8}$/)]);
    const vtep = n1.devices.find((d) => d.name === 'flannel.1')!;
    expect(vtep).toMatchObject({ mtu: 1450, addresses: [{ ip: '10.244.0.0', prefixLength: 32 }], vxlan: { vni: 1, dstport: 8472, local: '192.168.56.10', dev: 'eth0' } });
    expect(n1.neighbours).toEqual([{ ip: '10.244.1.0', dev: 'flannel.1', mac: dp.netns('node-2')!.devices.find((d) => d.name === 'flannel.1')!.mac }]);
    expect(n1.fdb.find((f) => f.dev === 'flannel.1')).toMatchObject({ dst: '192.168.56.11' });
  });
  it('prints ip -br addr and ip route the way iproute2 does (trailing spaces included)', () => {
    const v = shown('flannel-vxlan.yaml', 'node-1');
    expect(v.route).toBe(
      'default via 192.168.56.1 dev eth0 \n' +
        '10.244.0.0/24 dev cni0 proto kernel scope link src 10.244.0.1 \n' +
        '10.244.1.0/24 via 10.244.1.0 dev flannel.1 onlink \n' +
        '192.168.56.0/24 dev eth0 proto kernel scope link src 192.168.56.10 \n',
    );
    const lines = v.addr.split('\n');
    expect(lines[0]).toBe('lo               UNKNOWN        127.0.0.1/8 ');
    expect(lines[1]).toBe('eth0@if3         UP             192.168.56.10/24 ');
    expect(lines[2]).toBe('flannel.1        UNKNOWN        10.244.0.0/32 ');
    expect(lines[3]).toBe('cni0             UP             10.244.0.1/24 ');
    expect(lines[4]).toMatch(/^veth[0-9a-f]{8}@if2 UP             $/);
  });
  it('a pod: eth0 with its address, default via the cni0 gateway, and flannel\'s cluster route', () => {
    const v = shown('flannel-vxlan.yaml', 'default/client');
    // flannel's CNI plugin hands the bridge plugin the cluster network as an ipam route.
    expect(v.route).toBe('default via 10.244.0.1 dev eth0 \n10.244.0.0/24 dev eth0 proto kernel scope link src 10.244.0.2 \n10.244.0.0/16 via 10.244.0.1 dev eth0 \n');
    expect(v.addr.split('\n')[1]).toMatch(/^eth0@if5 {9}UP {13}10\.244\.0\.2\/24 $/);
    // On a node whose block is not the first, the /16 sorts before the pod's own /24.
    expect(shown('bridge-hostgw.yaml', 'default/api-2').route).toBe('default via 10.244.1.1 dev eth0 \n10.244.0.0/16 via 10.244.1.1 dev eth0 \n10.244.1.0/24 dev eth0 proto kernel scope link src 10.244.1.2 \n');
  });
  it('bridge-hostgw: a route to each other node\'s podCIDR via its node IP', () => {
    expect(shown('bridge-hostgw.yaml', 'node-a').route).toContain('10.244.1.0/24 via 192.168.56.11 dev eth0 \n');
  });
  it('vpc (ptp): the gateway on the host veth as /32, a scope-host route per local pod, and nothing for other nodes\' pods (the VPC fabric knows them)', () => {
    const v = shown('vpc.yaml', 'ip-172-31-0-10');
    expect(v.addr).toMatch(/veth[0-9a-f]{8}@if2 UP {13}172\.31\.0\.1\/32 /);
    expect(v.route).toMatch(/172\.31\.0\.12 dev veth[0-9a-f]{8} scope host \n/);
    // Another node's pod is on-link on the node network, as in a real VPC: no /32 route to it.
    expect(v.route).not.toContain('172.31.0.13');
    expect(v.route).toContain('172.31.0.0/24 dev eth0 proto kernel scope link src 172.31.0.10 \n');
    expect(shown('vpc.yaml', 'external').route).toBe('172.31.0.0/24 dev eth0 proto kernel scope link src 172.31.0.254 \n');
    expect(v.addr).not.toContain('cni0');
    const p = shown('vpc.yaml', 'default/shop-4c7gxbc5wg-k66gp');
    expect(p.route).toBe('default via 172.31.0.1 dev eth0 \n172.31.0.0/24 via 172.31.0.1 dev eth0 src 172.31.0.12 \n172.31.0.1 dev eth0 scope link src 172.31.0.12 \n');
  });
  it('a node without pods has no cni0: the bridge plugin creates it on the first pod ADD', () => {
    const dp = compile(load(cluster('bridge-hostgw') + node('n1') + node('n2') + pod('a', 'n1', {})));
    expect(dp.netns('n2')!.devices.map((d) => d.name)).toEqual(['lo', 'eth0']);
  });
  it('switch ports get distinct interface names (15 characters at most) even for long node names', () => {
    const sw = compile(load(scenarioFile('vpc.yaml'))).netns('node-network')!;
    const ports = sw.devices.filter((d) => d.master === 'br0').map((d) => d.name);
    expect(ports).toHaveLength(3);
    expect(new Set(ports).size).toBe(3);
    expect(ports.every((p) => p.length <= 15)).toBe(true);
    expect(ports.at(-1)).toBe('port-external');
  });
  it('unknown netns: a clear message listing the known ones', () => {
    const r = show(compile(load(scenarioFile('flannel-vxlan.yaml'))), 'node-9');
    expect(!r.ok && r.issues[0].reason).toContain('no such network namespace; known: node-1, node-2, default/client');
  });
});

describe("kube-proxy's nat table", () => {
  const nat = shown('bridge-hostgw.yaml', 'node-b').nat;
  it('has the real chain names and jumps, kube-proxy\'s before portmap\'s', () => {
    const lines = nat.split('\n');
    expect(lines.slice(0, 5)).toEqual(['*nat', ':PREROUTING ACCEPT [0:0]', ':INPUT ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', ':POSTROUTING ACCEPT [0:0]']);
    const prerouting = lines.filter((l) => l.startsWith('-A PREROUTING'));
    expect(prerouting).toEqual(['-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES', '-A PREROUTING -m addrtype --dst-type LOCAL -j CNI-HOSTPORT-DNAT']);
    // portmap prepends its POSTROUTING jump (seen in the kernel), but appends the others;
    // flanneld appends its own.
    expect(lines.filter((l) => l.startsWith('-A POSTROUTING'))).toEqual([
      '-A POSTROUTING -m comment --comment "CNI portfwd requiring masquerade" -j CNI-HOSTPORT-MASQ',
      '-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING',
      '-A POSTROUTING -m comment --comment "flanneld masq" -j FLANNEL-POSTRTG',
    ]);
    expect(lines).toContain('-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000');
    expect(lines).toContain('-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully');
    expect(lines).toContain('-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS');
    // User chains are declared sorted by name, as iptables-nft-save prints them.
    const declared = lines.filter((l) => l.startsWith(':') && l.endsWith(' - [0:0]')).map((l) => l.slice(1).split(' ')[0]);
    expect(declared).toEqual([...declared].sort());
    expect(lines.at(-2)).toBe('COMMIT');
  });
  it('picks endpoint i of n with probability 1/(n-i), printed as the kernel stores it', () => {
    const svcRules = nat.split('\n').filter((l) => /^-A KUBE-SVC-\S+ -m comment --comment "default\/api:http -> /.test(l));
    expect(svcRules).toHaveLength(2);
    expect(svcRules[0]).toMatch(/-m statistic --mode random --probability 0\.50000000000 -j KUBE-SEP-/);
    expect(svcRules[1]).not.toContain('statistic');
    const three = load(cluster('flannel-vxlan') + node('n1') + ['a', 'b', 'c'].map((n) => pod(n, 'n1', { app: 'x' })).join('') + `---\napiVersion: v1\nkind: Service\nmetadata: {name: x}\nspec: {selector: {app: x}, ports: [{port: 80}]}\n`);
    const r = show(compile(three), 'n1');
    expect(r.ok && r.value.nat).toContain('--probability 0.33333333349');
  });
  it('masquerades traffic to a ClusterIP from outside the cluster CIDR', () => {
    expect(nat).toMatch(/-A KUBE-SVC-\S+ ! -s 10\.244\.0\.0\/16 -d 10\.96\.0\.11\/32 -p tcp -m comment --comment "default\/api:http cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ/);
  });
  it('a Service port without endpoints: a REJECT in the filter table, compiled as what it is (the walk reads that, not its comment)', () => {
    const dp = compile(load(cluster('bridge-hostgw') + node('n1') + service('lonely', { app: 'none' }, [{ port: 80, nodePort: 30000 }], 'NodePort')));
    const rejects = dp.netns('n1')!.filter.rules.filter((r) => r.target.kind === 'reject');
    expect(rejects.map((r) => [r.chain, r.meaning])).toEqual([
      ['KUBE-SERVICES', 'service-without-endpoints'],
      ['KUBE-EXTERNAL-SERVICES', 'service-without-endpoints'],
    ]);
    expect(rejects[0].text).toMatch(/^-A KUBE-SERVICES -d 10\.96\.0\.\d+\/32 -p tcp -m comment --comment "default\/lonely has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable$/);
  });
  it('portmap: SETMARK for the pod subnet and localhost, then DNAT', () => {
    expect(nat).toMatch(/-A CNI-DN-[0-9a-f]{21} -s 10\.244\.1\.0\/24 -p tcp -m tcp --dport 8080 -j CNI-HOSTPORT-SETMARK/);
    expect(nat).toMatch(/-A CNI-HOSTPORT-DNAT -p tcp -m comment --comment "dnat name: \\"cbr0\\" id: \\"pp-default-ingress\\"" -m multiport --dports 8080 -j CNI-DN-[0-9a-f]{21}/);
  });
});

describe("flannel's masquerade rules (flanneld --ip-masq)", () => {
  const FLANNEL_RULES = [
    '-A FLANNEL-POSTRTG -m mark --mark 0x4000/0x4000 -m comment --comment "flanneld masq" -j RETURN',
    '-A FLANNEL-POSTRTG -s 10.244.0.0/24 -d 10.244.0.0/16 -m comment --comment "flanneld masq" -j RETURN',
    '-A FLANNEL-POSTRTG -s 10.244.0.0/16 -d 10.244.0.0/24 -m comment --comment "flanneld masq" -j RETURN',
    '-A FLANNEL-POSTRTG ! -s 10.244.0.0/16 -d 10.244.0.0/24 -m comment --comment "flanneld masq" -j RETURN',
    '-A FLANNEL-POSTRTG -s 10.244.0.0/16 ! -d 224.0.0.0/4 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully',
    '-A FLANNEL-POSTRTG ! -s 10.244.0.0/16 -d 10.244.0.0/16 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully',
  ];
  const lines = (file: string, netns: string) => shown(file, netns).nat.split('\n');
  it('flannel-vxlan: FLANNEL-POSTRTG with the node\'s lease and the cluster network, jumped to after KUBE-POSTROUTING', () => {
    const nat = lines('flannel-vxlan.yaml', 'node-1');
    expect(nat).toContain(':FLANNEL-POSTRTG - [0:0]');
    expect(nat.filter((l) => l.startsWith('-A POSTROUTING'))).toEqual([
      '-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING',
      '-A POSTROUTING -m comment --comment "flanneld masq" -j FLANNEL-POSTRTG',
    ]);
    expect(nat.filter((l) => l.startsWith('-A FLANNEL-POSTRTG'))).toEqual(FLANNEL_RULES);
    expect(lines('flannel-vxlan.yaml', 'node-2')).toContain('-A FLANNEL-POSTRTG -s 10.244.1.0/24 -d 10.244.0.0/16 -m comment --comment "flanneld masq" -j RETURN');
  });
  it('bridge-hostgw (flannel\'s host-gw backend) too, after portmap\'s prepended jump', () => {
    expect(lines('bridge-hostgw.yaml', 'node-b').filter((l) => l.startsWith('-A POSTROUTING'))).toEqual([
      '-A POSTROUTING -m comment --comment "CNI portfwd requiring masquerade" -j CNI-HOSTPORT-MASQ',
      '-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING',
      '-A POSTROUTING -m comment --comment "flanneld masq" -j FLANNEL-POSTRTG',
    ]);
  });
  it('ipMasq: false, and vpc: no FLANNEL-POSTRTG', () => {
    const off = show(compile(load(cluster('flannel-vxlan', { ipMasq: false }) + node('n1') + pod('a', 'n1', {}))), 'n1');
    expect(off.ok && off.value.nat).not.toContain('FLANNEL');
    expect(shown('vpc.yaml', 'ip-172-31-0-10').nat).not.toContain('FLANNEL');
  });
});
