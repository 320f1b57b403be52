// The lab's Cilium: the node devices Cilium's agent makes (cilium_host/cilium_net,
// cilium_vxlan in collect-metadata mode), and podpath's own small eBPF programs
// (./ciliumBpf.ts) built with clang and attached where Cilium attaches its own: the
// agent cannot run here, so what its programs do is reproduced, not run.
import type { NodeSpec, PodSpec, Protocol, Scenario } from '../model.ts';
import { objectKey } from '../model.ts';
import { block } from '../ipam/addresses.ts';
import { endpointsOf, onNode } from '../dataplane/endpoints.ts';
import type { Netns } from '../dataplane/types.ts';
import { cniOf, CILIUM_HOST, CILIUM_NET, CILIUM_VXLAN } from '../cni/index.ts';
import { ciliumIdentity, ciliumRouterIP, LOCAL_NODE_ID } from '../cni/cilium.ts';
import { ciliumPolicy, ebpfViewOf } from '../cni/ebpfPrograms.ts';
import type { Dataplane } from '../dataplane/compile.ts';
import { CILIUM_SOCK_C, CILIUM_TC_C } from './ciliumBpf.ts';

/** What a node's programs hold, and where they are attached. */
export interface LabEbpf {
  routerIP: string;
  nodeIP: string;
  hostMac: string;
  netMac: string;
  vxlanMac: string;
  vxlanPort: number;
  /** This node's endpoints (cilium_lxc): address, host end, MACs, security identity. */
  endpoints: { ip: string; lxc: string; podMac: string; lxcMac: string; identity: number }[];
  /** The other nodes' podCIDRs and addresses (what cilium_ipcache's tunnel endpoints say); none in native routing, where the host routes them. */
  remotes: { cidr: string; nodeIP: string }[];
  /** Native routing: no cilium_vxlan. */
  native: boolean;
  /** device, hook and program section, as the engine's devices carry them. */
  programs: { device: string; direction: 'ingress' | 'egress'; section: string }[];
  /**
   * NodePorts nodeport_lb4 serves from outside: the backends this node's frontend has for
   * each (externalTrafficPolicy Local: its own; Cluster: all, `local` or not; none: the
   * program answers ICMP port unreachable).
   */
  nodePorts: { port: number; protocol: Protocol; backends: { ip: string; port: number; local: boolean }[] }[];
  /** The cluster's pod range and every node's address: no NodePort reply goes to these. */
  podRange: string;
  nodeIPs: string[];
  /** Without socket-LB: the ClusterIP frontends cil_from_container load-balances per packet, as this node's agent writes them. */
  perPacketLb?: LabSocketLbServices;
  /**
   * NetworkPolicy (when the cluster has any): per endpoint of this node, direction, peer
   * address and protocol where some port is denied, the verdict on each port that matters
   * (`ports`: every port a probe, a pod or a policy names) and on every other port
   * (`otherPorts`), as the engine decides them (ebpfPrograms.ts ciliumPolicy).
   */
  policy?: LabPolicyEntry[];
}

export interface LabPolicyEntry {
  direction: 'Ingress' | 'Egress';
  local: string;
  peer: string;
  protocol: Protocol;
  /** Whether a port outside `ports` is denied. */
  otherPorts: boolean;
  ports: { port: number; denied: boolean }[];
}

/** What the policy verdicts read of a compiled dataplane: who holds an address, and the pods of a node. */
export type PolicyBook = Pick<Dataplane, 'scenario' | 'podsOn' | 'nodeOf' | 'podOf' | 'ownerOf'>;

export function isBook(dp: object): dp is PolicyBook {
  return ['podsOn', 'nodeOf', 'podOf', 'ownerOf'].every((k) => typeof (dp as Record<string, unknown>)[k] === 'function');
}

/**
 * The policy verdicts of a node's endpoints: the engine's own (ciliumPolicy) for each peer,
 * on each port that matters and on one no pod or policy names (standing for every other).
 */
export function labPolicy(dp: PolicyBook, node: NodeSpec, e: LabEbpf, externalIP: string, ports: { protocol: Protocol; port: number }[]): LabPolicyEntry[] {
  const s = dp.scenario;
  const view = ebpfViewOf(dp);
  // Every port a policy names (numbers, ranges' ends) or a pod declares (what named ports resolve to) matters too.
  const named = new Set<number>();
  const ranges: [number, number][] = [];
  for (const pol of s.networkPolicies ?? []) {
    for (const rule of [...pol.ingress, ...pol.egress]) {
      for (const pp of rule.ports ?? []) {
        if (typeof pp.port === 'number') named.add(pp.port);
        if (typeof pp.port === 'number' && pp.endPort !== undefined) ranges.push([pp.port, pp.endPort]);
      }
    }
  }
  for (const pod of s.pods) for (const c of pod.ports) named.add(c.containerPort);
  // A range's every port where it is short; a long one's ends only (a probe inside it, named by nothing, would take the other ports' verdict).
  for (const [a, b] of ranges) for (let p = b - a <= 64 ? a : b; p <= b; p++) named.add(p);
  let other = 1;
  while (named.has(other) || ranges.some(([a, b]) => other >= a && other <= b)) other++;
  const byProto = new Map<Protocol, Set<number>>([
    ['TCP', new Set()],
    ['UDP', new Set()],
  ]);
  for (const { protocol, port } of ports) byProto.get(protocol)!.add(port);
  for (const port of named) for (const set of byProto.values()) set.add(port);
  const peers = [...new Set([externalIP, ...s.nodes.flatMap((n) => [n.internalIP, ciliumRouterIP(n)]), ...s.pods.map((p) => p.podIP)].filter((ip): ip is string => ip !== undefined))];
  const out: LabPolicyEntry[] = [];
  for (const ep of e.endpoints) {
    for (const peer of peers) {
      if (peer === ep.ip) continue;
      for (const direction of ['Egress', 'Ingress'] as const) {
        for (const [protocol, set] of byProto) {
          const proto = protocol === 'TCP' ? 'tcp' : 'udp';
          const denied = (port: number) => ciliumPolicy(view, node, direction === 'Egress' ? { src: ep.ip, dst: peer, proto, dport: port } : { src: peer, dst: ep.ip, proto, dport: port }, direction, '') !== undefined;
          const otherPorts = denied(other);
          const list = [...set].sort((a, b) => a - b).map((port) => ({ port, denied: denied(port) }));
          if (otherPorts || list.some((x) => x.denied)) out.push({ direction, local: ep.ip, peer, protocol, otherPorts, ports: list.filter((x) => x.denied !== otherPorts) });
        }
      }
    }
  }
  return out;
}

/** One node's socket-LB frontends: ClusterIP:port (and each node's address:NodePort) → backends. */
export type LabSocketLbServices = { ip: string; port: number; protocol: Protocol; backends: { ip: string; port: number }[] }[];
/**
 * Socket-LB, per node: as each node's agent writes its own maps, each node has its own
 * connect4 program (on its own cgroup, which the node's and its pods' probers join). They
 * differ only for internalTrafficPolicy Local, whose frontends get the node's own backends.
 */
export interface LabSocketLb {
  nodes: { name: string; services: LabSocketLbServices }[];
}

export function labEbpf(
  s: Scenario,
  node: Netns | undefined,
  remotes: { cidr: string; nodeIP: string }[],
  podOf: (key: string) => Netns | undefined,
  podSpecOf: (key: string) => PodSpec | undefined,
): LabEbpf | undefined {
  const cni = cniOf(s.cluster);
  if (!cni.ebpf || !node) return undefined;
  const dev = (name: string) => node.devices.find((d) => d.name === name);
  const router = dev(CILIUM_HOST)?.addresses[0]?.ip;
  if (!router) return undefined;
  const endpoints: LabEbpf['endpoints'] = [];
  for (const d of node.devices) {
    if (!d.tc?.ingress || !d.peer || d.peer.netns === node.name) continue;
    const pod = podOf(d.peer.netns);
    const spec = podSpecOf(d.peer.netns);
    const eth0 = pod?.devices.find((x) => x.name === 'eth0');
    if (!eth0 || !spec) continue;
    endpoints.push({ ip: eth0.addresses[0].ip, lxc: d.name, podMac: eth0.mac, lxcMac: d.mac, identity: ciliumIdentity(s, spec) });
  }
  const programs: LabEbpf['programs'] = [];
  for (const d of node.devices) {
    if (d.tc?.ingress) programs.push({ device: d.name, direction: 'ingress', section: d.tc.ingress.name });
    if (d.tc?.egress) programs.push({ device: d.name, direction: 'egress', section: d.tc.egress.name });
  }
  const vx = dev(CILIUM_VXLAN);
  const nodeIP = dev('eth0')?.addresses[0]?.ip ?? '';
  // Native routing: no cilium_vxlan, and the host routes the other nodes' pods (the programs tunnel nothing).
  const native = vx === undefined;
  const nodePorts: LabEbpf['nodePorts'] = [];
  if (cni.ebpf.socketLb) {
    for (const svc of s.services) {
      if (svc.type !== 'NodePort') continue;
      for (const sp of svc.ports) {
        if (!sp.nodePort) continue;
        const all = endpointsOf(s, svc, sp);
        const local = new Set(onNode(all, node.name));
        const backends = (svc.externalTrafficPolicy === 'Local' ? [...local] : all).map((e) => ({ ip: e.ip, port: e.port, local: local.has(e) }));
        nodePorts.push({ port: sp.nodePort, protocol: sp.protocol, backends });
      }
    }
  }
  return {
    native,
    routerIP: router,
    nodeIP,
    hostMac: dev(CILIUM_HOST)!.mac,
    netMac: dev(CILIUM_NET)!.mac,
    vxlanMac: vx?.mac ?? '',
    vxlanPort: vx?.vxlan?.dstport ?? 8472,
    endpoints,
    remotes: native ? [] : remotes,
    programs,
    nodePorts,
    podRange: cni.clusterPodRange(s.cluster),
    nodeIPs: s.nodes.map((n) => n.internalIP).filter((ip): ip is string => ip !== undefined),
    ...(cni.ebpf.socketLb ? {} : { perPacketLb: servicesOn(s, node.name, false) }),
  };
}

/**
 * A node's Service frontends as its agent writes them: each ClusterIP (internalTrafficPolicy
 * Local: this node's backends only, walk.ts socketLbPick and ebpfPrograms.ts ciliumPerPacketLb),
 * and with `nodePorts` each node's address and NodePort.
 */
function servicesOn(s: Scenario, node: string, nodePorts: boolean): LabSocketLbServices {
  const services: LabSocketLbServices = [];
  for (const svc of s.services) {
    if (!svc.clusterIP || svc.clusterIP === 'None') continue;
    for (const sp of svc.ports) {
      const all = endpointsOf(s, svc, sp);
      const backends = (svc.internalTrafficPolicy === 'Local' ? onNode(all, node) : all).map((e) => ({ ip: e.ip, port: e.port }));
      services.push({ ip: svc.clusterIP, port: sp.port, protocol: sp.protocol, backends });
      // A NodePort on any node's address: the wildcard frontend 0.0.0.0:NodePort that
      // sock4_wildcard_lookup_full finds for every address cilium_ipcache holds as a node's.
      if (nodePorts && sp.nodePort) for (const n of s.nodes) if (n.internalIP) services.push({ ip: n.internalIP, port: sp.nodePort, protocol: sp.protocol, backends });
    }
  }
  return services;
}

export function labSocketLb(s: Scenario): LabSocketLb | undefined {
  if (!cniOf(s.cluster).ebpf?.socketLb) return undefined;
  return { nodes: s.nodes.map((n) => ({ name: n.name, services: servicesOn(s, n.name, true) })) };
}

/** The C name of a protocol's number (linux/in.h). */
const ipproto = (p: Protocol) => (p === 'TCP' ? 'IPPROTO_TCP' : 'IPPROTO_UDP');
const hexIp = (ip: string) => `0x${ip.split('.').map((o) => Number(o).toString(16).padStart(2, '0')).join('')}`;
const macArgs = (mac: string) => mac.split(':').map((b) => `0x${b}`).join(', ');

/** The bash that writes a node's node.h: ifindexes are the kernel's, read as it is written. */
function nodeHeader(netns: string, e: LabEbpf, file: string): string[] {
  const ix = (dev: string) => `$(ip netns exec '${netns}' cat /sys/class/net/${dev}/ifindex)`;
  const c: string[] = [
    `#define VXLAN_IFINDEX ${e.native ? '0' : ix(CILIUM_VXLAN)}`,
    `#define HOST_IFINDEX ${ix(CILIUM_HOST)}`,
    `static __always_inline void host_mac(__u8 *m) { MAC(m, ${macArgs(e.hostMac)}); }`,
    `static __always_inline void net_mac(__u8 *m) { MAC(m, ${macArgs(e.netMac)}); }`,
    `static __always_inline void vxlan_mac(__u8 *m) { MAC(m, ${e.native ? macArgs(e.hostMac) : macArgs(e.vxlanMac)}); }`,
    'static __always_inline int is_host(__be32 ip)',
    '{',
    `\treturn ${[e.routerIP, e.nodeIP].map((a) => `ip == bpf_htonl(${hexIp(a)})`).join(' || ')};`,
    '}',
    'static __always_inline int lookup_ep(__be32 ip, struct ep *e)',
    '{',
  ];
  for (const ep of e.endpoints) c.push(`\tif (ip == bpf_htonl(${hexIp(ep.ip)})) { e->ifindex = ${ix(ep.lxc)}; MAC(e->pod_mac, ${macArgs(ep.podMac)}); MAC(e->lxc_mac, ${macArgs(ep.lxcMac)}); return 1; }`);
  c.push('\treturn 0;', '}', 'static __always_inline int lookup_remote(__be32 ip, __u32 *node)', '{');
  for (const r of e.remotes) {
    const b = block(r.cidr);
    const mask = b.prefixLength === 0 ? 0 : (0xffffffff << (32 - b.prefixLength)) >>> 0;
    c.push(`\tif ((bpf_ntohl(ip) & 0x${mask.toString(16)}) == 0x${(b.first >>> 0).toString(16)}) { *node = ${hexIp(r.nodeIP)}; return 1; }`);
  }
  c.push('\treturn 0;', '}', 'static __always_inline __u32 identity_of(__be32 src)', '{');
  for (const ep of e.endpoints) c.push(`\tif (src == bpf_htonl(${hexIp(ep.ip)})) return ${ep.identity};`);
  // Anything else forward() tunnels here is the node's own packet (identity host, sent as LOCAL_NODE_ID, encap.h);
  // a NodePort request from outside is tunnelled by nodeport_remote(), as world (2).
  c.push(`\treturn ${LOCAL_NODE_ID};`, '}', 'static __always_inline int lxc_mac_of(__u32 ifindex, __u8 *mac)', '{');
  for (const ep of e.endpoints) c.push(`\tif (ifindex == ${ix(ep.lxc)}) { MAC(mac, ${macArgs(ep.lxcMac)}); return 1; }`);
  c.push('\treturn 0;', '}');
  // nodeport_pick(): a NodePort's backend on this node, picked at random (1), none (-1), or no NodePort (0).
  // SNAT_IP: what tail_nodeport_nat_egress_ipv4 gives a remote backend's request as its source (IPV4_GATEWAY toward the tunnel, else IPV4_DIRECT_ROUTING).
  c.push(`#define NODE_IP bpf_htonl(${hexIp(e.nodeIP)})`, `#define SNAT_IP bpf_htonl(${hexIp(e.native ? e.nodeIP : e.routerIP)})`, `#define ETH0_IFINDEX ${ix('eth0')}`);
  c.push('static __always_inline int nodeport_pick(__u8 protocol, __u16 port, __u32 hash, __be32 *to_ip, __be16 *to_port)', '{', '\t__u32 n;');
  for (const np of e.nodePorts) {
    const proto = ipproto(np.protocol);
    if (!np.backends.length) {
      c.push(`\tif (protocol == ${proto} && port == ${np.port}) return -1;`);
      continue;
    }
    c.push(`\tif (protocol == ${proto} && port == ${np.port}) {`, `\t\tn = hash % ${np.backends.length};`);
    np.backends.forEach((b, i) => c.push(`\t\tif (n == ${i}) { *to_ip = bpf_htonl(${hexIp(b.ip)}); *to_port = bpf_htons(${b.port}); return 1; }`));
    c.push('\t}');
  }
  c.push('\treturn 0;', '}');
  // nodeport_of(): the NodePort a backend of this node serves (the first, should several), for its replies (a remote backend's come back by snat_v4_ext).
  c.push('static __always_inline int nodeport_of(__u8 protocol, __be32 ip, __u16 port, __be16 *nport)', '{');
  for (const np of e.nodePorts) {
    const proto = ipproto(np.protocol);
    for (const b of np.backends.filter((x) => x.local)) c.push(`\tif (protocol == ${proto} && ip == bpf_htonl(${hexIp(b.ip)}) && port == ${b.port}) { *nport = bpf_htons(${np.port}); return 1; }`);
  }
  c.push('\treturn 0;', '}');
  // svc_pick(): per-packet load balancing (no socket-LB): a ClusterIP's backend picked by the hash (1), none (-1), or no Service (0).
  c.push('static __always_inline int svc_pick(__u8 protocol, __be32 ip, __u16 port, __u32 hash, __be32 *to_ip, __be16 *to_port)', '{', '\t__u32 n;');
  for (const svc of e.perPacketLb ?? []) {
    const proto = ipproto(svc.protocol);
    const match = `protocol == ${proto} && ip == bpf_htonl(${hexIp(svc.ip)}) && port == ${svc.port}`;
    if (!svc.backends.length) {
      c.push(`\tif (${match}) return -1;`);
      continue;
    }
    c.push(`\tif (${match}) {`, `\t\tn = hash % ${svc.backends.length};`);
    svc.backends.forEach((b, i) => c.push(`\t\tif (n == ${i}) { *to_ip = bpf_htonl(${hexIp(b.ip)}); *to_port = bpf_htons(${b.port}); return 1; }`));
    c.push('\t}');
  }
  c.push('\treturn 0;', '}');
  // policy_denies(): NetworkPolicy's denials for this node's endpoints (POLICED: the cluster has a policy, so connections are tracked).
  c.push(`#define POLICED ${e.policy ? 1 : 0}`, 'static __always_inline int policy_denies(int egress, __be32 local, __be32 peer, __u8 protocol, __u16 port)', '{');
  for (const d of e.policy ?? []) {
    c.push(`\tif (egress == ${d.direction === 'Egress' ? 1 : 0} && local == bpf_htonl(${hexIp(d.local)}) && peer == bpf_htonl(${hexIp(d.peer)}) && protocol == ${ipproto(d.protocol)}) {`);
    for (const x of d.ports) c.push(`\t\tif (port == ${x.port}) return ${x.denied ? 1 : 0};`);
    c.push(`\t\treturn ${d.otherPorts ? 1 : 0};`, '\t}');
  }
  c.push('\treturn 0;', '}');
  // in_cluster(): a pod's address (the cluster's pod range) or a node's: no NodePort reply goes there.
  const pods = block(e.podRange);
  const podMask = pods.prefixLength === 0 ? 0 : (0xffffffff << (32 - pods.prefixLength)) >>> 0;
  c.push('static __always_inline int in_cluster(__be32 ip)', '{', `\tif ((bpf_ntohl(ip) & 0x${podMask.toString(16)}) == 0x${(pods.first >>> 0).toString(16)}) return 1;`);
  for (const ip of e.nodeIPs) c.push(`\tif (ip == bpf_htonl(${hexIp(ip)})) return 1;`);
  c.push('\treturn 0;', '}');
  return [`  {`, ...c.map((l) => `    printf '%s\\n' "${l}"`), `  } > ${file}`];
}

/** services.h for socket-LB: lb_pick() picks a backend at random for each Service port. */
function servicesHeader(services: LabSocketLbServices): string {
  const c = ['static __always_inline int lb_pick(__u32 protocol, __u32 ip, __u16 port, __u32 *to_ip, __u16 *to_port)', '{', '\t__u32 n;'];
  for (const svc of services) {
    const proto = ipproto(svc.protocol);
    if (!svc.backends.length) {
      c.push(`\tif (protocol == ${proto} && ip == ${hexIp(svc.ip)} && port == ${svc.port}) return -1;`);
      continue;
    }
    c.push(`\tif (protocol == ${proto} && ip == ${hexIp(svc.ip)} && port == ${svc.port}) {`, `\t\tn = bpf_get_prandom_u32() % ${svc.backends.length};`);
    svc.backends.forEach((b, i) => c.push(`\t\tif (n == ${i}) { *to_ip = ${hexIp(b.ip)}; *to_port = ${b.port}; return 1; }`));
    c.push('\t}');
  }
  c.push('\treturn 0;', '}');
  return c.join('\n');
}

type Emit = (...lines: string[]) => void;
type Quote = (v: string) => string;
type Heredoc = (body: string) => string;

/** Tools the lab's Cilium needs. */
export const CILIUM_LAB_TOOLS = ['clang', 'tc', 'bpftool'];

/** The node's Cilium devices, before its pods. */
export function emitCiliumDevices(emit: Emit, q: Quote, name: string, netns: string, e: LabEbpf): void {
  const ns = q(netns);
  emit(
    `  step ${q(`node ${name}: ${CILIUM_HOST}/${CILIUM_NET} (a veth pair, NOARP) with ${e.routerIP}/32${e.native ? '' : `, and ${CILIUM_VXLAN} (VXLAN in collect-metadata mode, UDP ${e.vxlanPort})`}, as Cilium's agent makes them`)}`,
    `  ip -n ${ns} link add ${CILIUM_HOST} address ${e.hostMac} type veth peer name ${CILIUM_NET} address ${e.netMac}`,
    `  ip -n ${ns} link set ${CILIUM_HOST} arp off`,
    `  ip -n ${ns} link set ${CILIUM_NET} arp off`,
    `  ip -n ${ns} link set ${CILIUM_NET} up`,
    `  ip -n ${ns} link set ${CILIUM_HOST} up`,
    `  ip -n ${ns} addr add ${e.routerIP}/32 dev ${CILIUM_HOST}`,
    ...(e.native ? [] : [`  ip -n ${ns} link add ${CILIUM_VXLAN} address ${e.vxlanMac} type vxlan external dstport ${e.vxlanPort}`, `  ip -n ${ns} link set ${CILIUM_VXLAN} up`]),
  );
}

/**
 * Where a node's tc program is pinned, under the lab's bpffs ($STATE/bpffs): its
 * programs are loaded together (bpftool prog loadall) so they share their maps, as a
 * node's Cilium programs share theirs, and tc attaches each pinned one.
 */
export const pinnedTcProgram = (stateDir: string, node: string, section: string) => `${stateDir}/bpffs/${node}/progs/${section}`;

/** Build the node's tc programs (node.h with the kernel's ifindexes), load them with their shared maps, and attach them, after its pods. */
export function emitCiliumPrograms(emit: Emit, q: Quote, name: string, netns: string, e: LabEbpf): void {
  const dir = `"$STATE/bpf/"${q(name)}`;
  const pins = `"$STATE/bpffs/"${q(name)}`;
  emit(
    `  step ${q(`node ${name}: build podpath's tc programs for this node (clang -target bpf; its endpoints, ifindexes and MACs compiled in), load them with their shared map (bpftool prog loadall) and attach them: ${e.programs.map((p) => `${p.section} on ${p.device} ${p.direction}`).join(', ')}`)}`,
    `  mkdir -p ${dir} ${pins}`,
    ...nodeHeader(netns, e, `${dir}/node.h`),
    // -g: the map is defined with BTF (libbpf needs it to create the map).
    `  clang -O2 -g -target bpf -I/usr/include/$(uname -m)-linux-gnu -I ${dir} -c "$STATE/bpf/cilium_tc.c" -o ${dir}/tc.o`,
    `  bpftool prog loadall ${dir}/tc.o ${pins}/progs type classifier pinmaps ${pins}/maps`,
  );
  for (const dev of [...new Set(e.programs.map((p) => p.device))]) emit(`  ip netns exec ${q(netns)} tc qdisc add dev ${dev} clsact`);
  for (const p of e.programs) emit(`  ip netns exec ${q(netns)} tc filter add dev ${p.device} ${p.direction} bpf direct-action object-pinned ${pins}/progs/${p.section}`);
}

/** The C sources, written once into the state directory, and the lab's own bpffs for the pinned programs and maps. */
export function emitCiliumSources(emit: Emit, heredoc: Heredoc, lb: LabSocketLb | undefined): void {
  emit('  mkdir -p "$STATE/bpf" "$STATE/bpffs"', '  mount -t bpf podpath-bpf "$STATE/bpffs"', `  cat > "$STATE/bpf/cilium_tc.c" ${heredoc(CILIUM_TC_C)}`);
  if (lb) emit(`  cat > "$STATE/bpf/cilium_sock.c" ${heredoc(CILIUM_SOCK_C)}`);
}

/**
 * Socket-LB: each node's connect4 program on a cgroup of the lab's own, one per node
 * ($CGROUP/NODE: never the machine's root cgroup, where it would rewrite the machine's own
 * connections); the probers of the node and of its pods run in it.
 */
export function emitSocketLb(emit: Emit, q: Quote, heredoc: Heredoc, lb: LabSocketLb): void {
  emit('  mkdir -p "$CGROUP"');
  lb.nodes.forEach((node, i) => {
    const dir = `"$STATE/bpf/sock/"${q(node.name)}`;
    const pin = `"$STATE/bpffs/cil_sock4_connect_${i}"`;
    emit(
      `  step ${q(`socket-LB on ${node.name}: build podpath's connect4 program (the Services' backends as ${node.name}'s agent writes them, compiled in) and attach it to the lab's cgroup for ${node.name}, $CGROUP/${node.name}; only the lab's probes run in it`)}`,
      `  mkdir -p ${dir} "$CGROUP/"${q(node.name)}`,
      `  cat > ${dir}/services.h ${heredoc(servicesHeader(node.services))}`,
      `  clang -O2 -g0 -target bpf -I/usr/include/$(uname -m)-linux-gnu -I ${dir} -c "$STATE/bpf/cilium_sock.c" -o ${dir}/sock.o`,
      `  bpftool prog load ${dir}/sock.o ${pin} type cgroup/connect4`,
      `  bpftool cgroup attach "$CGROUP/"${q(node.name)} connect4 pinned ${pin}`,
    );
  });
}

/** down: socket-LB's cgroups (once their processes are gone), before the state directory. */
export const SOCKET_LB_DOWN = [
  '  if [ -n "${CGROUP:-}" ] && [ -d "$CGROUP" ]; then',
  '    for _ in $(seq 50); do',
  '      for d in "$CGROUP"/*/; do if [ -d "$d" ]; then rmdir "$d" 2>/dev/null || true; fi; done',
  '      rmdir "$CGROUP" 2>/dev/null && break',
  '      sleep 0.1',
  '    done',
  '  fi',
];

/** down: the lab's bpffs (its pinned programs and maps go with it), before the state directory. */
export const EBPF_DOWN = ['  if mountpoint -q "$STATE/bpffs" 2>/dev/null; then umount "$STATE/bpffs"; fi'];

/** The cgroup v2 directory socket-LB is attached to: under the machine's cgroup2 mount, named for the prefix. */
export const CGROUP_OF = (prefix: string) => `$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)/podpath-${prefix}`;
