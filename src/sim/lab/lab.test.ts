import { proxyOf } from '../proxy/index.ts';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Netns, Rule } from '../dataplane/types.ts';
import type { CniMode, PodSpec, Scenario } from '../model.ts';
import { DEFAULT_CLUSTER } from '../model.ts';
import { labPlan, triesFor, type LabDataplane } from './plan.ts';
import { labScriptFor, shellQuote } from './index.ts';
import { compile } from '../dataplane/compile.ts';
import { cluster as cluster_, load, scenarioFile } from '../testing/helpers.ts';

// An allocated two-node cluster, written out by hand so the test says what it expects.
function cluster(cni: CniMode, extra: { pods?: PodSpec[] } = {}): Scenario {
  const vpc = cni === 'vpc';
  return {
    cluster: { ...DEFAULT_CLUSTER, cni },
    namespaces: ['default'],
    nodes: [
      { name: 'node-1', labels: {}, internalIP: '192.168.56.10', ...(vpc ? {} : { podCIDR: '10.244.0.0/24' }) },
      { name: 'node-2', labels: {}, internalIP: '192.168.56.11', ...(vpc ? {} : { podCIDR: '10.244.1.0/24' }) },
    ],
    pods: extra.pods ?? [
      { namespace: 'default', name: 'client', labels: { app: 'client' }, nodeName: 'node-1', ports: [], podIP: vpc ? '192.168.56.12' : '10.244.0.2' },
      { namespace: 'default', name: 'web-1', labels: { app: 'web' }, nodeName: 'node-1', ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }], podIP: vpc ? '192.168.56.13' : '10.244.0.3' },
      { namespace: 'default', name: 'web-2', labels: { app: 'web' }, nodeName: 'node-2', ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP', hostPort: 8081 }], podIP: vpc ? '192.168.56.14' : '10.244.1.2' },
    ],
    services: [
      { namespace: 'default', name: 'web', type: 'NodePort', selector: { app: 'web' }, clusterIP: '10.96.0.11', ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP', nodePort: 30080 }] },
    ],
  };
}

const rule = (chain: string, text: string, jump?: string): Rule => ({
  chain,
  match: {},
  target: jump ? { kind: 'jump', chain: jump } : { kind: 'accept' },
  text,
});

const VTEP_MACS: Record<string, string> = { 'node-1': '0a:58:0a:f4:00:00', 'node-2': '0a:58:0a:f4:01:00' };

// A dataplane with just what the lab reads: each node's tables and flannel.1's MAC.
function dataplane(s: Scenario): LabDataplane {
  return {
    scenario: s,
    kubeProxyRules: (node) => proxyOf(s.cluster).rules(s, node),
    netns(name: string): Netns | undefined {
      if (!s.nodes.some((n) => n.name === name)) return undefined;
      return {
        name,
        kind: 'node',
        node: name,
        devices: s.cluster.cni === 'flannel-vxlan' ? [{ name: 'flannel.1', kind: 'vxlan', mac: VTEP_MACS[name], mtu: 1450, addresses: [] }] : [],
        routes: [],
        neighbours: [],
        fdb: [],
        nat: {
          name: 'nat',
          chains: [{ name: 'PREROUTING', policy: 'ACCEPT' }, { name: 'CNI-HOSTPORT-DNAT' }, { name: 'KUBE-SERVICES' }, { name: 'KUBE-SVC-ABC' }],
          rules: [
            rule('PREROUTING', '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES', 'KUBE-SERVICES'),
            rule('PREROUTING', '-A PREROUTING -m addrtype --dst-type LOCAL -j CNI-HOSTPORT-DNAT', 'CNI-HOSTPORT-DNAT'),
            rule('KUBE-SERVICES', '-A KUBE-SERVICES -d 10.96.0.11/32 -p tcp -m tcp --dport 80 -j KUBE-SVC-ABC', 'KUBE-SVC-ABC'),
            rule('CNI-HOSTPORT-DNAT', '-A CNI-HOSTPORT-DNAT -p tcp -j CNI-DN-123', 'CNI-DN-123'),
          ],
        },
        filter: { name: 'filter', chains: [{ name: 'INPUT', policy: 'ACCEPT' }], rules: [] },
        listeners: [],
      };
    },
  };
}

const scriptFor = (s: Scenario, prefix?: string) => labScriptFor(dataplane(s), { prefix });
const upPart = (script: string) => script.slice(script.indexOf('cmd_up() {'), script.indexOf('cmd_down() {'));

describe('lab script: bridge-hostgw', () => {
  const script = scriptFor(cluster('bridge-hostgw'));

  it('is valid bash', () => {
    expect(() => execFileSync('bash', ['-n'], { input: script })).not.toThrow();
  });

  it('runs the bridge plugin as flannel\'s CNI plugin delegates to it: host-local over the node\'s podCIDR, the cluster network as a route, data under /run/podpath-pp', () => {
    // kube-flannel.yml's delegate (hairpinMode, isDefaultGateway) plus what flannel adds:
    // ipMasq false (flanneld --ip-masq masquerades instead), subnet.env's MTU, isGateway,
    // and ipam routes = [the cluster network].
    expect(script).toContain(
      '{"cniVersion":"1.0.0","name":"cbr0","type":"bridge","hairpinMode":true,"isDefaultGateway":true,"ipMasq":false,"mtu":1500,"isGateway":true,"ipam":{"type":"host-local","ranges":[[{"subnet":"10.244.0.0/24"}]],"routes":[{"dst":"10.244.0.0/16"}],"dataDir":"/run/podpath-pp/cni/node-1"}}',
    );
    expect(script).toContain('"ranges":[[{"subnet":"10.244.1.0/24"}]]');
    expect(script).toContain('"dataDir":"/run/podpath-pp/cni/node-2"');
  });

  it('names a netns per node and per pod, plus the switch and the external client', () => {
    expect(script).toContain("NETNS=('pp-node-network' 'pp-external' 'pp-node-1' 'pp-node-2' 'pp-default-client' 'pp-default-web-1' 'pp-default-web-2')");
    expect(script).toContain("ip -n 'pp-node-network' link add 'port-node-1' type veth peer name eth0 netns 'pp-node-1'");
    expect(script).toContain("ip -n 'pp-node-1' addr add 192.168.56.10/24 dev eth0");
    expect(script).toContain("ip -n 'pp-external' addr add 192.168.56.254/24 dev eth0");
  });

  it('runs each pod\'s CNI ADD inside its node\'s netns, letting host-local pick sequential addresses', () => {
    const up = upPart(script);
    expect(up).toContain(
      "cni_exec 'pp-node-1' 'pp-default-client' 'pp-default-client' bridge 'IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=client;K8S_POD_INFRA_CONTAINER_ID=pp-default-client' \"$(cat \"$STATE/cni/\"'node-1.conf')\"",
    );
    expect(up).not.toContain('IP=10.244.');
    // client before web-1 on node-1: host-local hands out .2 then .3
    expect(up.indexOf("'pp-default-client' bridge")).toBeLessThan(up.indexOf("'pp-default-web-1' bridge"));
  });

  it('routes each remote podCIDR via the remote node (host-gw)', () => {
    expect(script).toContain("ip -n 'pp-node-1' route add 10.244.1.0/24 via 192.168.56.11 dev eth0");
    expect(script).toContain("ip -n 'pp-node-2' route add 10.244.0.0/24 via 192.168.56.10 dev eth0");
    expect(script).not.toContain('flannel.1');
  });

  it('gives every node the default route via the node network router (.1)', () => {
    expect(script).toContain("ip -n 'pp-node-1' route add default via 192.168.56.1 dev eth0");
  });

  it('loads only kube-proxy\'s chains with iptables-restore --noflush, before any pod is attached', () => {
    const up = upPart(script);
    const restore = up.indexOf("ip netns exec 'pp-node-1' iptables-restore --noflush <<'PODPATH_EOF'");
    expect(restore).toBeGreaterThan(0);
    expect(restore).toBeLessThan(up.indexOf('cni_exec'));
    const block = up.slice(restore, up.indexOf('\nPODPATH_EOF', restore));
    expect(block.split('\n').slice(1)).toEqual([
      '*nat',
      ':KUBE-SERVICES - [0:0]',
      ':KUBE-SVC-ABC - [0:0]',
      '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
      '-A KUBE-SERVICES -d 10.96.0.11/32 -p tcp -m tcp --dport 80 -j KUBE-SVC-ABC',
      'COMMIT',
    ]);
  });

  it('chains portmap after the bridge plugin for a pod with a hostPort', () => {
    expect(script).toContain(
      `portmap 'IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=web-2;K8S_POD_INFRA_CONTAINER_ID=pp-default-web-2' '{"cniVersion":"1.0.0","name":"cbr0","type":"portmap","capabilities":{"portMappings":true},"runtimeConfig":{"portMappings":[{"hostPort":8081,"containerPort":8080,"protocol":"tcp"}]},"prevResult":'"$(cat "$STATE/results/"'pp-default-web-2.json')}"`,
    );
  });

  it('sets forwarding and br_netfilter inside each node netns only', () => {
    expect(script).toContain("ip netns exec 'pp-node-2' sysctl -qw net.ipv4.ip_forward=1 net.bridge.bridge-nf-call-iptables=1");
    // every sysctl and every ip command runs inside one of the lab's namespaces
    for (const line of upPart(script).split('\n')) {
      if (/^\s+sysctl\b/.test(line)) throw new Error(`sysctl outside a netns: ${line}`);
      if (/^\s+ip (link|addr|route|neigh)\b/.test(line)) throw new Error(`ip outside a netns: ${line}`);
    }
  });

  it('starts from an empty state directory, so host-local starts from .2 again', () => {
    const up = upPart(script);
    expect(up.indexOf('rm -rf -- "$STATE"')).toBeGreaterThan(up.indexOf('already exists'));
    expect(up.indexOf('rm -rf -- "$STATE"')).toBeLessThan(up.indexOf('mkdir -p "$STATE/cni"'));
  });

  it('checks its prerequisites and says how to get them', () => {
    expect(script).toContain('apt-get install iproute2');
    expect(script).toContain('apt-get install iptables');
    expect(script).toContain('apt-get install containernetworking-plugins');
    expect(script).toContain('for plugin in bridge host-local portmap ptp; do');
    expect(script).toContain('must run as root');
  });

  it('down stops listeners, deletes every netns it knows of, and its state directory', () => {
    const down = script.slice(script.indexOf('cmd_down() {'), script.indexOf('stop_listeners() {'));
    expect(down).toContain('ip netns pids "$ns"');
    expect(down).toContain('ip netns del "$ns"');
    expect(down).toContain('done < "$STATE/netns"');
    expect(down).toContain('rm -rf -- "$STATE"');
    expect(script).toContain("STATE='/run/podpath-pp'");
  });
});

describe('lab script: flannel-vxlan', () => {
  const script = scriptFor(cluster('flannel-vxlan'));

  it('makes flannel.1 with the engine\'s VTEP MAC and the podCIDR network address as /32', () => {
    expect(script).toContain("ip -n 'pp-node-1' link add flannel.1 type vxlan id 1 dstport 8472 local 192.168.56.10 dev eth0 nolearning");
    expect(script).toContain("ip -n 'pp-node-1' link set flannel.1 address 0a:58:0a:f4:00:00");
    expect(script).toContain("ip -n 'pp-node-1' addr add 10.244.0.0/32 dev flannel.1");
    expect(script).toContain("ip -n 'pp-node-1' link set flannel.1 mtu 1450");
  });

  it('gives the bridge plugin flannel\'s MTU (1450: VXLAN costs 50 bytes)', () => {
    expect(script).toContain('"mtu":1450,"isGateway":true,"ipam":{"type":"host-local","ranges":[[{"subnet":"10.244.0.0/24"}]]');
    // host-gw: subnet.env's MTU is the node interface's.
    expect(scriptFor(cluster('bridge-hostgw'))).toContain('"mtu":1500,');
  });

  it('installs flannel\'s route, permanent neighbour and FDB entry per remote node', () => {
    expect(script).toContain("ip -n 'pp-node-1' route add 10.244.1.0/24 via 10.244.1.0 dev flannel.1 onlink");
    expect(script).toContain("ip -n 'pp-node-1' neigh add 10.244.1.0 lladdr 0a:58:0a:f4:01:00 dev flannel.1 nud permanent");
    expect(script).toContain("ip netns exec 'pp-node-1' bridge fdb append 0a:58:0a:f4:01:00 dev flannel.1 dst 192.168.56.11");
    expect(script).toContain("ip -n 'pp-node-2' route add 10.244.0.0/24 via 10.244.0.0 dev flannel.1 onlink");
    expect(script).toContain("ip netns exec 'pp-node-2' bridge fdb append 0a:58:0a:f4:00:00 dev flannel.1 dst 192.168.56.10");
  });

  it('creates flannel.1 before any pod (cni0 comes with the first pod, as on a real node)', () => {
    const up = upPart(script);
    expect(up.indexOf('link add flannel.1')).toBeLessThan(up.indexOf('cni_exec'));
  });
});

describe("lab script: flannel's masquerade rules (flanneld --ip-masq)", () => {
  const real = (yaml: string) => labScriptFor(compile(load(yaml)), {});
  const up = upPart(real(scenarioFile('flannel-vxlan.yaml')));
  it('loads FLANNEL-POSTRTG with iptables-restore --noflush after kube-proxy\'s rules and before any pod, in every node', () => {
    const kube = up.indexOf(':KUBE-POSTROUTING - [0:0]');
    const flannel = up.indexOf(":FLANNEL-POSTRTG - [0:0]\n-A POSTROUTING -m comment --comment \"flanneld masq\" -j FLANNEL-POSTRTG\n-A FLANNEL-POSTRTG -m mark --mark 0x4000/0x4000");
    expect(kube).toBeGreaterThan(0);
    expect(flannel).toBeGreaterThan(kube);
    expect(flannel).toBeLessThan(up.indexOf('cni_exec'));
    expect(up).toContain('-A FLANNEL-POSTRTG -s 10.244.1.0/24 -d 10.244.0.0/16 -m comment --comment "flanneld masq" -j RETURN');
    // kube-proxy's block does not carry flannel's rules, nor flannel's kube-proxy's.
    expect(up.match(/-A POSTROUTING -m comment --comment "flanneld masq"/g)).toHaveLength(2);
  });
  it('not with ipMasq: false, nor for vpc', () => {
    expect(real(scenarioFile('flannel-vxlan.yaml').replace('cni: flannel-vxlan', 'cni: flannel-vxlan\n  ipMasq: false'))).not.toContain('FLANNEL');
    expect(real(scenarioFile('vpc.yaml'))).not.toContain('FLANNEL');
  });
});

describe('lab script: a node that keeps cni0 without pods', () => {
  const yaml = (annotation: string) =>
    cluster_('flannel-vxlan') +
    `---\napiVersion: v1\nkind: Node\nmetadata: {name: n1}\n---\napiVersion: v1\nkind: Node\nmetadata: {name: n2${annotation}}\n` +
    `---\napiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {nodeName: n1, containers: [{name: c, image: x}]}\n`;
  it('runs the bridge plugin ADD then DEL for a placeholder there, as the kernel would have it, and waits for cni0 to lose its carrier', () => {
    const up = upPart(labScriptFor(compile(load(yaml(', annotations: {podpath.dev/cni0-created: "true"}'))), {}));
    const add = up.indexOf("cni_exec 'pp-n2' 'pp-n2-cni0' 'pp-cni0-placeholder' bridge");
    const del = up.indexOf("cni_del 'pp-n2' 'pp-n2-cni0' 'pp-cni0-placeholder' bridge");
    expect(up.indexOf("make_netns 'pp-n2-cni0'")).toBeGreaterThan(0);
    expect(add).toBeGreaterThan(up.indexOf("make_netns 'pp-n2-cni0'"));
    expect(del).toBeGreaterThan(add);
    expect(up.indexOf("ip netns del 'pp-n2-cni0'")).toBeGreaterThan(del);
    expect(up).toContain("ip -n 'pp-n2' -o link show cni0");
    expect(up).not.toContain("'pp-n1-cni0'");
  });
  it('not on a node that never had a pod', () => {
    expect(labScriptFor(compile(load(yaml(''))), {})).not.toContain('placeholder');
  });
});

describe('lab script: vpc', () => {
  const script = scriptFor(cluster('vpc'));

  it('attaches pods with ptp + host-local over the node network, asking for each pod\'s address', () => {
    expect(script).toContain(
      '{"cniVersion":"1.0.0","name":"vpc","type":"ptp","ipMasq":false,"ipam":{"type":"host-local","ranges":[[{"subnet":"192.168.56.0/24"}]],"routes":[{"dst":"0.0.0.0/0"}],"dataDir":"/run/podpath-pp/cni/node-1"}}',
    );
    expect(script).toContain("ptp 'IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=client;K8S_POD_INFRA_CONTAINER_ID=pp-default-client;IP=192.168.56.12'");
    expect(script).not.toContain('type bridge"');
  });

  it('adds no route for another node\'s pods: the VPC fabric answers ARP for each with the MAC of the node holding it', () => {
    expect(script).not.toMatch(/route add 192\.168\.56\.1[234] /);
    expect(script).toContain("ip -n 'pp-node-1' neigh add proxy 192.168.56.12 dev eth0");
    expect(script).toContain("ip -n 'pp-node-1' neigh add proxy 192.168.56.13 dev eth0");
    expect(script).toContain("ip -n 'pp-node-2' neigh add proxy 192.168.56.14 dev eth0");
    expect(script).not.toContain("ip -n 'pp-node-2' neigh add proxy 192.168.56.12");
    expect(script).toContain("ip netns exec 'pp-node-1' sysctl -qw net.ipv4.neigh.eth0.proxy_delay=0");
  });
});

describe('lab plan', () => {
  it('asks host-local for a stored address it would not pick by itself', () => {
    const s = cluster('bridge-hostgw', {
      pods: [
        { namespace: 'default', name: 'a', labels: {}, nodeName: 'node-1', ports: [], podIP: '10.244.0.2' },
        { namespace: 'default', name: 'b', labels: {}, nodeName: 'node-1', ports: [], podIP: '10.244.0.7' },
        { namespace: 'default', name: 'c', labels: {}, nodeName: 'node-1', ports: [], podIP: '10.244.0.8' },
      ],
    });
    const plan = labPlan(dataplane(s));
    expect(plan.nodes[0].pods.map((p) => [p.key, p.requestIP])).toEqual([
      ['default/a', false],
      ['default/b', true],
      ['default/c', false], // host-local continues after the last reserved address, .7
    ]);
    expect(scriptFor(s)).toContain('K8S_POD_INFRA_CONTAINER_ID=pp-default-b;IP=10.244.0.7');
  });

  it('probes every pod-to-pod, pod-to-Service, NodePort and hostPort path', () => {
    const plan = labPlan(dataplane(cluster('bridge-hostgw')));
    const labels = plan.probes.map((p) => `${p.kind} ${p.fromNetns} ${p.ip}:${p.port} x${p.tries}`);
    expect(labels).toEqual([
      'pod-to-pod pp-default-client 10.244.0.3:8080 x1',
      'pod-to-pod pp-default-client 10.244.1.2:8080 x1',
      'pod-to-pod pp-default-web-1 10.244.1.2:8080 x1',
      'pod-to-pod pp-default-web-2 10.244.0.3:8080 x1',
      'pod-to-service pp-default-client 10.96.0.11:80 x30',
      'pod-to-service pp-default-web-1 10.96.0.11:80 x30',
      'pod-to-service pp-default-web-2 10.96.0.11:80 x30',
      'node-port pp-external 192.168.56.10:30080 x30',
      'node-port pp-external 192.168.56.11:30080 x30',
      'host-port pp-external 192.168.56.11:8081 x1',
    ]);
    expect(plan.probes[4].trace).toEqual({ from: { kind: 'pod', namespace: 'default', name: 'client' }, to: { kind: 'service', namespace: 'default', name: 'web', port: 80 }, proto: 'tcp' });
    expect(plan.probes[9].trace).toEqual({ from: { kind: 'external' }, to: { kind: 'node', name: 'node-2', port: 8081 }, proto: 'tcp' });
  });

  it('counts a Service\'s endpoints as the engine does: its own namespace only, a numeric targetPort whether declared or not', () => {
    const s = cluster('bridge-hostgw', {
      pods: [
        { namespace: 'default', name: 'web-1', labels: { app: 'web' }, nodeName: 'node-1', ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }], podIP: '10.244.0.2' },
        // Same labels in another namespace: not an endpoint of default/web.
        { namespace: 'other', name: 'web-x', labels: { app: 'web' }, nodeName: 'node-1', ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }], podIP: '10.244.0.3' },
        // Selected, declares no port: still an endpoint of a numeric targetPort (DNATed, then refused).
        { namespace: 'default', name: 'web-2', labels: { app: 'web' }, nodeName: 'node-2', ports: [], podIP: '10.244.1.2' },
      ],
    });
    s.namespaces.push('other');
    s.services = [
      { namespace: 'default', name: 'named', type: 'ClusterIP', selector: { app: 'web' }, clusterIP: '10.96.0.11', ports: [{ port: 80, targetPort: 'http', protocol: 'TCP' }] },
      { namespace: 'default', name: 'numeric', type: 'ClusterIP', selector: { app: 'web' }, clusterIP: '10.96.0.12', ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] },
    ];
    const tries = (svc: string) => [...new Set(labPlan(dataplane(s)).probes.filter((p) => p.label.includes(`service default/${svc}:`)).map((p) => p.tries))];
    expect(tries('named')).toEqual([triesFor(1)]); // web-1 only
    expect(tries('numeric')).toEqual([triesFor(2)]); // web-1 and web-2
  });

  it('tries a Service often enough to see every endpoint', () => {
    expect(triesFor(1)).toBe(3);
    expect(triesFor(2)).toBe(30);
    // n endpoints, T tries: the chance one never answers is below 1 in 10,000
    for (const n of [2, 3, 5, 8, 12]) expect(n * Math.pow(1 - 1 / n, triesFor(n))).toBeLessThan(1e-4);
  });

  it('--prefix renames every netns and the state directory', () => {
    const script = scriptFor(cluster('bridge-hostgw'), 'lab2');
    expect(script).toContain("'lab2-default-web-1'");
    expect(script).toContain("STATE='/run/podpath-lab2'");
    expect(script).toContain("NETNS=('lab2-node-network' 'lab2-external' 'lab2-node-1' 'lab2-node-2' 'lab2-default-client' 'lab2-default-web-1' 'lab2-default-web-2')");
    expect(script).not.toMatch(/make_netns 'pp-|ip -n 'pp-|netns exec 'pp-/);
    // the CNI container id is the engine's, whatever the prefix (portmap's chain name derives from it)
    expect(script).toContain('K8S_POD_INFRA_CONTAINER_ID=pp-default-web-1');
  });

  it('refuses, before touching anything, when two objects would share a netns name', () => {
    const s = cluster('bridge-hostgw');
    s.nodes[1].name = 'default-client';
    for (const p of s.pods) if (p.nodeName === 'node-2') p.nodeName = 'default-client';
    const script = scriptFor(s);
    expect(script).toContain('pod default/client and node default-client would both be netns "pp-default-client"');
    expect(upPart(script)).not.toContain('make_netns');
  });

  it('refuses a prefix that is not a plain name, for every command (down must not remove /run/podpath-../x)', () => {
    for (const bad of ['a b', '../x', '']) {
      const script = scriptFor(cluster('bridge-hostgw'), bad);
      expect(script).toContain(`the prefix "${bad}" must start with a letter or digit`);
      expect(script).not.toContain('rm -rf');
      expect(script).not.toContain('ip netns');
    }
  });

  it('maps each engine netns to its kernel netns', () => {
    const plan = labPlan(dataplane(cluster('flannel-vxlan')));
    expect(Object.fromEntries(plan.netnsMap)).toEqual({
      'node-network': 'pp-node-network',
      external: 'pp-external',
      'node-1': 'pp-node-1',
      'node-2': 'pp-node-2',
      'default/client': 'pp-default-client',
      'default/web-1': 'pp-default-web-1',
      'default/web-2': 'pp-default-web-2',
    });
  });
});

describe('shellQuote', () => {
  it('survives bash', () => {
    for (const v of ["it's", 'a b', '$(rm -rf /)', '"x"', '\\n']) {
      expect(execFileSync('bash', ['-c', `printf %s ${shellQuote(v)}`]).toString()).toBe(v);
    }
  });
});
