// The lab plan: what `podpath lab` builds in real network namespaces, as data.
// The script generator renders it to bash; the kernel differential reads it to
// know which kernel netns stands for which engine netns and which paths to probe.
//
// Conventions (the kernel and the real CNI plugins decide what they produce;
// see /tmp/podpath-kernel-notes.md for what they were seen to produce):
//   - netns `PREFIX-NODE` per node, `PREFIX-NAMESPACE-POD` per pod,
//     `PREFIX-external` (the outside client), `PREFIX-node-network` (the switch:
//     a bridge `br0` with one veth port per node and one for the client).
//   - pods are attached by the real `bridge` + `host-local` plugins run inside
//     their node's netns (`ptp` + `host-local` where pods are on the node network), in scenario order per node,
//     with `portmap` chained for hostPorts.
//   - kube-proxy's KUBE-* chains (and the jumps into them) come from the engine's
//     compiled dataplane and are loaded with `iptables-restore --noflush` before any
//     pod is attached, so they sit before portmap's jumps, as on a real node
//     (kube-proxy prepends its jumps, portmap appends). flanneld's FLANNEL-POSTRTG
//     (--ip-masq) follows the same way, after kube-proxy's: flanneld appends its
//     POSTROUTING jump, so it comes after KUBE-POSTROUTING whoever started first.
import { podListeners } from '../dataplane/listeners.ts';
import type { Netns, Rule } from '../dataplane/types.ts';
import type { TraceRequest } from '../trace/types.ts';
import type { PodSpec, Protocol, Scenario } from '../model.ts';
import { objectKey } from '../model.ts';
import { endpointsOf } from '../dataplane/endpoints.ts';
import { block, cidr, ipNumber, ipText, nthAddress, prefixLength } from '../ipam/addresses.ts';
import { hostLocalNext } from '../ipam/hostLocal.ts';
// The engine's names for what the lab builds, so `show` and the kernel can be compared.
import { EXTERNAL, NODE_NETWORK, SWITCH_BRIDGE, switchPortName, vethName } from '../dataplane/compile.ts';
import { containerIdOf } from '../dataplane/portmap.ts';
import { cniOf } from '../cni/index.ts';
// The table builders the first view does not load (felix's chains, kube-proxy's nftables table).
import '../dataplane/tables.ts';
import type { KubeProxyRules } from '../proxy/index.ts';
import { nftLoad as nftLoadText } from '../proxy/nftablesText.ts';
import { birdConfig } from './bird.ts';
import { LAB_PARTS, labWrittenSaid } from '../cni/labText.ts';
import { isBook, labEbpf, labPolicy, labSocketLb, type LabEbpf, type LabSocketLb } from './ciliumLab.ts';
import { gatewayOf, gatewayToward, hasRouter, nodeSubnets, ROUTER, sameSegment, subnetIndexOf, switchNetnsOf } from '../dataplane/nodeNetworks.ts';
import type { FdbEntry, Neighbour, Route } from '../dataplane/types.ts';

/** What the lab needs from a compiled dataplane: the scenario and each netns' tables. */
export interface LabDataplane {
  scenario: Scenario;
  netns(name: string): Netns | undefined;
  kubeProxyRules(node: string): KubeProxyRules;
}

export interface LabOptions {
  /** Prefix of every netns name and of the state directory; `pp` by default. */
  prefix?: string;
  /** Where the file came from, for the script's header comment. */
  source?: string;
}

export interface LabPort {
  port: number;
  protocol: Protocol;
}

export interface LabPod {
  key: string; // namespace/name
  netns: string;
  node: string;
  ip: string;
  /** eth0's MAC and the host-side veth's, the engine's (the lab sets both after the CNI ADD, which picked random ones). */
  mac?: string;
  hostVethMac?: string;
  /** The host end's name when the lab names it (no CNI binary runs: Calico's `cali…`). */
  hostVeth?: string;
  /** The pod's eth0 as /32 with routes via 169.254.1.1, the host end with proxy_arp=1 (Calico's CNI plugin, written by the lab). */
  written?: { mtu: number; podRoutes: string[]; hostRoute: string; hostSysctls: string[]; hostNeighbour?: string };
  /** The CNI container id: `pp-<namespace>-<name>` (deterministic, so portmap's CNI-DN chain name is too). */
  containerId: string;
  /** host-local is asked for this address (CNI_ARGS IP=) when it would not pick it by itself. */
  requestIP: boolean;
  ports: LabPort[];
  hostPorts: { hostPort: number; containerPort: number; protocol: Protocol }[];
}

export interface LabNode {
  name: string;
  netns: string;
  ip: string;
  /** The switch of the node's network (racks: its rack's), its prefix length and its router address (the default gateway). */
  switchNetns: string;
  prefix: number;
  gateway: string;
  /** The node's port on the switch. */
  switchPort: string;
  /** The engine's MACs, which the lab gives the kernel's devices: eth0, its switch port, cni0 (when the node has one). */
  mac?: string;
  switchPortMac?: string;
  cni0Mac?: string;
  podCIDR?: string;
  /** The CNI network config (JSON) run in this node's netns. */
  cniConfig: string;
  /** The node's VXLAN devices (flannel.1), with the engine's MACs: the lab makes the same. */
  tunnels: LabTunnel[];
  /** eth0 answers ARP only for its own addresses (arp_ignore=1), as the engine's eth0 says. */
  eth0ArpIgnore: boolean;
  /** Routes to the other nodes' pods that the "control plane" (flannel, the VPC) installs. */
  peerRoutes: string[];
  /**
   * A VPC: the secondary addresses this node's ENI holds (its pods'). The VPC fabric
   * answers ARP for them with this node's eth0 MAC; in the lab a proxy-ARP entry on
   * the node's eth0 plays that answer (nothing else: no route anywhere names them).
   */
  fabricAddresses: string[];
  /** `ip neigh add …` / `bridge fdb append …` argument lists (a tunnel's VTEPs). */
  neighbours: string[];
  fdb: string[];
  /** iptables-restore input with kube-proxy's chains, or '' when it has none. */
  kubeProxyRules: string;
  /** iptables-restore input with flanneld's FLANNEL-POSTRTG (--ip-masq), or ''. */
  flannelRules: string;
  /** The ipsets the node's rules match (`-m set --match-set`: Cilium's cilium_node_set_v4), created before the rules. */
  ipsets: LabIpset[];
  /** iptables-restore input with the CNI daemon's own chains (felix's cali-POSTROUTING/cali-nat-outgoing and its filter chains with the NetworkPolicies, Cilium's CILIUM_POST_nat), or ''. */
  cniRules: string;
  /** iptables-restore input with the rules the daemon appends to the built-in chains after kube-proxy's (felix's accept of what a policy accepted), or ''. */
  cniAppended: string;
  /**
   * BIRD for this node (Calico without encapsulation: the routes are learned over BGP):
   * its configuration, and how many `proto bird` routes the engine says it will write.
   */
  bird?: { config: string; routes: number };
  /**
   * `nft -f` input with kube-proxy's own nftables table (nftables mode), or ''. Every
   * rule carries a `counter` kube-proxy does not write, so the kernel differential can
   * see which rule matched.
   */
  nftRules: string;
  /**
   * The engine has cni0 on this node although no pod runs there (its last pod went):
   * the lab runs the bridge plugin's ADD then DEL for a placeholder in this throwaway
   * netns, which leaves cni0 behind as on a real node.
   */
  cni0Placeholder?: { netns: string; containerId: string };
  pods: LabPod[];
  /** The CNI's eBPF datapath on this node (Cilium): its devices, and what podpath's own programs hold. */
  ebpf?: LabEbpf;
}

/** A VXLAN device as `ip link add … type vxlan` makes it. */
export interface LabTunnel {
  device: string;
  vni: number;
  port: number;
  local: string;
  mac: string;
  mtu: number;
  /** Its address, as `ip addr add` takes it (a.b.c.d/32). */
  address: string;
}

export type ProbeKind = 'pod-to-pod' | 'pod-to-service' | 'node-port' | 'host-port';

export interface LabProbe {
  kind: ProbeKind;
  /** The kernel netns the connection starts in. */
  fromNetns: string;
  /** For a person: `pod default/client -> service default/web:80`. */
  label: string;
  ip: string;
  port: number;
  protocol: Protocol;
  /** Connections to make: one for a single destination, enough to see every endpoint for a Service. */
  tries: number;
  /** The same path as a `podpath trace` request. */
  trace: TraceRequest;
}

export interface LabPlan {
  prefix: string;
  source?: string;
  cni: Scenario['cluster']['cni'];
  /** The CNI plugin binary that wires each pod (bridge, ptp), and the network name its config gives (portmap's too). */
  podPlugin: 'bridge' | 'ptp' | 'written';
  networkName: string;
  /** What the step installing peerRoutes, neighbours and FDB entries does, in a few words. */
  remotesSaid: string;
  stateDir: string;
  switchNetns: string;
  external: { netns: string; ip: string; switchPort: string; mac?: string; switchPortMac?: string };
  /** The switch bridge's MAC (the engine's). */
  switchMac?: string;
  /** The node network's router by convention (.1): every node's default route points at it. */
  router: string;
  nodeNetworkPrefix: number;
  nodes: LabNode[];
  probes: LabProbe[];
  /** Problems that stop `up` before it touches anything (e.g. two objects mapping to one netns name). */
  problems: string[];
  /**
   * What this machine's kernel cannot build, so `up` refuses before touching anything
   * (Calico's IPIP: no tunl0 here). Not a problem of the file: the kernel differential skips it.
   */
  refused?: { code: 'no-ipip-in-kernel'; said: string };
  /** Engine netns name → kernel netns name. */
  netnsMap: Map<string, string>;
  /**
   * Racks: the other node networks' switches, and the router joining them (a port on each
   * switch, holding that network's .1); the external client's routes to the other networks.
   */
  racks?: {
    switches: { netns: string; mac?: string }[];
    router: { netns: string; ports: { device: string; ip: string; prefix: number; mac: string; switchNetns: string; switchPort: string; switchPortMac?: string }[] };
    externalRoutes: string[];
  };
  /** Socket-LB (Cilium's kube-proxy replacement): the Services its connect4 program rewrites, and the lab's cgroup (under the cgroup2 mount) it is attached to. */
  socketLb?: LabSocketLb & { cgroup: string };
  /** Header lines on what the lab writes itself because the CNI's own plugin cannot run here. */
  writtenSaid: string[];
}

const NAME_OK = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
/** A prefix names netns and the state directory /run/podpath-PREFIX: no '/', no spaces. */
export const PREFIX_OK = NAME_OK;

/** Enough connections that every one of `n` endpoints answers at least once (miss chance < 1e-4). */
export function triesFor(endpoints: number): number {
  if (endpoints <= 1) return endpoints === 1 ? 3 : 1;
  return Math.max(30, Math.ceil(endpoints * Math.log(endpoints * 10000)));
}

export function labPlan(dp: LabDataplane, opts: LabOptions = {}): LabPlan {
  const s = dp.scenario;
  const prefix = opts.prefix ?? 'pp';
  const problems: string[] = [];
  if (!PREFIX_OK.test(prefix)) problems.push(`prefix "${prefix}" must be letters, digits, '.', '_' or '-'`);
  const cni = cniOf(s.cluster);
  const fromPodCIDR = cni.addressing === 'node-podcidr';
  let podsByKey: Map<string, PodSpec> | undefined;
  const nodeNetwork = cidr(s.cluster.nodeNetwork);
  const nodeNetworkPrefix = prefixLength(nodeNetwork);
  const netnsMap = new Map<string, string>();
  const owners = new Map<string, string>();
  const claim = (engineName: string, kernelName: string, what: string) => {
    const other = owners.get(kernelName);
    if (other) problems.push(`${what} and ${other} would both be netns "${kernelName}": rename one`);
    owners.set(kernelName, what);
    netnsMap.set(engineName, kernelName);
  };
  // Every MAC is the engine's: the lab sets them, so `ip neigh` and the frames agree with podpath.
  const macOf = (netns: string, dev: string) => dp.netns(netns)?.devices.find((d) => d.name === dev)?.mac;
  const switchNetns = `${prefix}-node-network`;
  claim('node-network', switchNetns, 'the node-network switch');
  const externalNetns = `${prefix}-external`;
  claim('external', externalNetns, 'the external client');
  const externalIP = nodeNetwork.getLast().previousIPNumber().toString();

  // Racks: a switch per node network, a router joining them.
  const subnets = nodeSubnets(s.cluster);
  const switchOf = (i: number) => (i === 0 ? switchNetns : `${prefix}-${switchNetnsOf(i)}`);
  for (let i = 1; i < subnets.length; i++) claim(switchNetnsOf(i), switchOf(i), `the switch of node network ${subnets[i]}`);
  const routerNetns = `${prefix}-${ROUTER}`;
  if (hasRouter(s.cluster)) claim(ROUTER, routerNetns, 'the router joining the node networks');

  // The CNI daemon's filter chains per node (felix's, with the NetworkPolicies): as the engine compiled them.
  const daemonFilter = (node: string) => cni.filterRules?.(s, s.pods.filter((p) => p.nodeName === node && p.podIP), (p) => vethName(p, cni));
  const nodes: LabNode[] = s.nodes.map((n) => {
    if (!NAME_OK.test(n.name)) problems.push(`node name "${n.name}" cannot be a netns name`);
    const netns = `${prefix}-${n.name}`;
    claim(n.name, netns, `node ${n.name}`);
    const rack = Math.max(0, subnetIndexOf(s.cluster, n.internalIP));
    const filter = daemonFilter(n.name);
    return {
      name: n.name,
      netns,
      ip: n.internalIP ?? '',
      switchNetns: switchOf(rack),
      prefix: prefixLength(cidr(subnets[rack])),
      gateway: gatewayOf(subnets[rack]),
      switchPort: switchPortName(n.name),
      mac: macOf(n.name, 'eth0'),
      switchPortMac: macOf(switchNetnsOf(rack), switchPortName(n.name)),
      cni0Mac: dp.netns(n.name)?.devices.find((d) => d.name === 'cni0')?.mac,
      podCIDR: n.podCIDR,
      cniConfig: '',
      tunnels: [],
      eth0ArpIgnore: dp.netns(n.name)?.devices.find((d) => d.name === 'eth0')?.arpIgnore === true,
      peerRoutes: [],
      fabricAddresses: [],
      neighbours: [],
      fdb: [],
      kubeProxyRules: kubeProxyRestore(dp.netns(n.name)),
      flannelRules: flannelRestore(dp.netns(n.name)),
      nftRules: nftLoad(dp.kubeProxyRules(n.name), dp.netns(n.name)),
      cniRules: cniRestore(dp.netns(n.name), new Set([...(cni.masqueradeRules?.(s.cluster, n, s.nodes).chains ?? []), ...(filter?.chains ?? [])])),
      cniAppended: appendedRestore(filter?.bottom ?? []),
      ipsets: ipsetsOf(dp.netns(n.name)),
      pods: [],
    };
  });
  const nodeByName = new Map(nodes.map((n) => [n.name, n]));
  const ports = new Map<string, string>();
  for (const n of nodes) {
    const other = ports.get(n.switchPort);
    if (other || n.switchPort === switchPortName('external')) problems.push(`nodes ${other ?? 'external'} and ${n.name} would both have switch port ${n.switchPort}: shorten a name`);
    ports.set(n.switchPort, n.name);
  }
  const stateDir = `/run/podpath-${prefix}`;

  const nodeSpecs = new Map(s.nodes.map((n) => [n.name, n]));
  for (const node of nodes) {
    node.cniConfig = LAB_PARTS[cni.mode].config(cni, s, nodeSpecs.get(node.name)!, `${stateDir}/cni/${node.name}`);
    if (fromPodCIDR && !node.podCIDR) problems.push(`node ${node.name} has no podCIDR`);
    if (!node.ip) problems.push(`node ${node.name} has no InternalIP`);
  }

  // Pods, in scenario order per node. host-local picks each address itself unless
  // the scenario holds one it would not pick from an empty dataDir in this order
  // (a stored podIP); then the lab asks for it with CNI_ARGS IP=. Pods on the node
  // network always ask: the VPC CNI's addresses come from its own allocator, and each
  // node's host-local would otherwise hand out the same node-network addresses.
  const lastAdded = new Map<string, string | undefined>();
  const addedOnNode = new Map<string, Set<string>>();
  for (const p of s.pods) {
    if (!p.nodeName || !p.podIP) {
      problems.push(`pod ${objectKey(p)} has no node or no address (load it with loadScenario first)`);
      continue;
    }
    const node = nodeByName.get(p.nodeName);
    if (!node) {
      problems.push(`pod ${objectKey(p)} runs on unknown node ${p.nodeName}`);
      continue;
    }
    if (!NAME_OK.test(p.namespace) || !NAME_OK.test(p.name)) problems.push(`pod ${objectKey(p)} cannot be a netns name`);
    const netns = `${prefix}-${p.namespace}-${p.name}`;
    claim(objectKey(p), netns, `pod ${objectKey(p)}`);
    let requestIP = true;
    if (fromPodCIDR && node.podCIDR) {
      const range = block(node.podCIDR);
      const added = addedOnNode.get(node.name) ?? new Set<string>();
      const last = lastAdded.get(node.name);
      const next = hostLocalNext({ range, gateway: range.first + 1 }, last ? ipNumber(last) : undefined, (c) => added.has(ipText(c)));
      requestIP = next === undefined || ipText(next) !== p.podIP;
      added.add(p.podIP);
      addedOnNode.set(node.name, added);
      lastAdded.set(node.name, p.podIP);
    }
    const hostVeth = vethName(p, cni);
    node.pods.push({
      key: objectKey(p),
      netns,
      node: node.name,
      ip: p.podIP,
      mac: macOf(objectKey(p), 'eth0'),
      hostVethMac: macOf(node.name, hostVeth),
      ...(cni.podPlugin === 'written' ? { hostVeth, written: writtenPod(dp, node.name, objectKey(p), hostVeth) } : {}),
      // The engine's convention, whatever the prefix: portmap's CNI-DN chain name derives from it.
      containerId: containerIdOf(p),
      requestIP,
      // What the engine takes to listen (declared ports, Services' target ports, probes' ports), so the kernel agrees.
      ports: podListeners(s, p).map((l) => ({ port: l.port, protocol: l.protocol })),
      // hostPorts are set up by portmap only where the CNI's conflist chains it.
      hostPorts: p.ports
        .filter((x) => cni.portmap && x.hostPort !== undefined)
        .map((x) => ({ hostPort: x.hostPort!, containerPort: x.containerPort, protocol: x.protocol })),
    });
  }

  // cni0 without pods: made the way a real node came to have it.
  for (const node of nodes) {
    if (cni.bridge === undefined || node.pods.length > 0) continue;
    if (!dp.netns(node.name)?.devices.some((d) => d.kind === 'bridge' && d.name === cni.bridge)) continue;
    const netns = `${prefix}-${node.name}-cni0`;
    const other = owners.get(netns);
    if (other) problems.push(`${other} and node ${node.name}'s cni0 placeholder would both be netns "${netns}": rename one`);
    node.cni0Placeholder = { netns, containerId: 'pp-cni0-placeholder' };
  }

  // What the control plane installs between nodes: the CNI's tunnel device (with the
  // engine's MAC) and, for each other node, its routes, neighbours and FDB entries.
  const tunnel = cni.tunnel;
  for (const node of nodes) {
    const address = tunnel?.address(nodeSpecs.get(node.name)!);
    // A collect-metadata device (Cilium's cilium_vxlan, VNI per packet) is the eBPF datapath's own (ciliumLab.ts).
    if (!tunnel || address === undefined || tunnel.vni === 'identity') continue;
    const mac = macOf(node.name, tunnel.device);
    if (!mac) problems.push(`node ${node.name} has no ${tunnel.device} MAC in the compiled dataplane`);
    node.tunnels.push({ device: tunnel.device, vni: tunnel.vni, port: tunnel.port, local: node.ip, mac: mac ?? '', mtu: tunnel.mtu, address: `${address}/32` });
  }
  for (const node of nodes) {
    const spec = nodeSpecs.get(node.name)!;
    const toward = cni.towardRemotes(spec, s.nodes.filter((r) => r !== spec), macOf, (r) => sameSegment(s.cluster, spec, r), gatewayToward(s.cluster, spec));
    // The CNI writes these itself: `proto kernel` among them (Cilium's) is said, as its agent says it.
    node.peerRoutes = toward.routes.map((r) => routeArgs(r, true));
    node.neighbours = toward.neighbours.map(neighbourArgs);
    node.fdb = toward.fdb.map(fdbArgs);
    if (cni.vpcFabric) node.fabricAddresses = node.pods.map((p) => p.ip);
  }
  // Calico: BIRD learns the routes between nodes (and writes the blackholes); nothing is written for them.
  if (cni.routesLearnedByBgp) {
    for (const node of nodes) {
      node.bird = { config: birdConfig(s, nodeSpecs.get(node.name)!), routes: dp.netns(node.name)?.routes.filter((r) => r.proto === 'bird').length ?? 0 };
      node.peerRoutes = [];
    }
  }
  const refused = cni.devicesMissingHere?.(s.cluster);
  // An eBPF datapath (Cilium): what podpath's own programs hold on each node.
  if (cni.ebpf) {
    for (const node of nodes) {
      const spec = nodeSpecs.get(node.name)!;
      const remotes = s.nodes.filter((r) => r !== spec && r.podCIDR && r.internalIP).map((r) => ({ cidr: r.podCIDR!, nodeIP: r.internalIP! }));
      node.ebpf = labEbpf(s, dp.netns(node.name), remotes, (key) => dp.netns(key), (key) => (podsByKey ??= new Map(s.pods.map((p) => [objectKey(p), p]))).get(key));
      if (!node.ebpf) problems.push(`node ${node.name} has no cilium_host address (no podCIDR)`);
    }
  }
  const socketLb = labSocketLb(s);
  const probes = probesFor(s, nodes, externalNetns);
  // Cilium's NetworkPolicy in podpath's programs: the engine's verdicts, for every address and port the lab's probes can meet.
  if (cni.ebpf && s.networkPolicies?.length) {
    const ports = [...new Set(probes.map((p) => `${p.protocol}/${p.port}`))];
    for (const svc of s.services) for (const sp of svc.ports) for (const e of endpointsOf(s, svc, sp)) ports.push(`${sp.protocol}/${e.port}`);
    for (const pod of s.pods) for (const c of pod.ports) ports.push(`${c.protocol}/${c.containerPort}`);
    const wanted = [...new Set(ports)].map((x) => ({ protocol: x.split('/')[0] as Protocol, port: Number(x.split('/')[1]) }));
    // The compiled dataplane is also the address book the verdicts read (a test's stand-in may not be).
    const book = isBook(dp) ? dp : undefined;
    if (!book) problems.push('the dataplane given has no address book, so the NetworkPolicies cannot be compiled into the programs');
    else for (const node of nodes) if (node.ebpf) node.ebpf.policy = labPolicy(book, nodeSpecs.get(node.name)!, node.ebpf, externalIP, wanted);
  }

  return {
    prefix,
    source: opts.source,
    cni: s.cluster.cni,
    podPlugin: cni.podPlugin,
    networkName: cni.networkName,
    remotesSaid: LAB_PARTS[cni.mode].remotesSaid(cni),
    stateDir,
    switchNetns,
    external: { netns: externalNetns, ip: externalIP, switchPort: switchPortName('external'), mac: macOf(EXTERNAL, 'eth0'), switchPortMac: macOf(NODE_NETWORK, switchPortName(EXTERNAL)) },
    switchMac: macOf(NODE_NETWORK, SWITCH_BRIDGE),
    router: nthAddress(nodeNetwork, 1).toString(),
    nodeNetworkPrefix,
    nodes,
    probes,
    problems,
    ...(refused ? { refused } : {}),
    netnsMap,
    ...(socketLb ? { socketLb: { ...socketLb, cgroup: `podpath-${prefix}` } } : {}),
    ...(hasRouter(s.cluster)
      ? {
          racks: {
            switches: subnets.slice(1).map((_, k) => ({ netns: switchOf(k + 1), mac: macOf(switchNetnsOf(k + 1), SWITCH_BRIDGE) })),
            router: {
              netns: routerNetns,
              ports: subnets.map((sub, i) => ({ device: `eth${i}`, ip: gatewayOf(sub), prefix: prefixLength(cidr(sub)), mac: macOf(ROUTER, `eth${i}`) ?? '', switchNetns: switchOf(i), switchPort: switchPortName(ROUTER), switchPortMac: macOf(switchNetnsOf(i), switchPortName(ROUTER)) })),
            },
            externalRoutes: (dp.netns(EXTERNAL)?.routes ?? []).filter((r) => r.via).map((r) => routeArgs(r)),
          },
        }
      : {}),
    writtenSaid: labWrittenSaid(cni),
  };
}

/** A pod as Calico's CNI plugin leaves it, from the engine's netns: for the lab to write. */
function writtenPod(dp: LabDataplane, node: string, pod: string, hostVeth: string): LabPod['written'] {
  const ns = dp.netns(pod);
  const eth0 = ns?.devices.find((d) => d.name === 'eth0');
  const hostRoute = dp.netns(node)?.routes.find((r) => r.dev === hostVeth);
  // The on-link route to the gateway first: the default route needs it to reach 169.254.1.1.
  const podRoutes = [...(ns?.routes ?? [])].sort((a, b) => Number(a.dst === 'default') - Number(b.dst === 'default')).map((r) => routeArgs(r));
  // The host end's sysctls, as the engine's device says it is set (Calico's: proxy ARP at once, forwarding, route_localnet).
  const host = dp.netns(node)?.devices.find((d) => d.name === hostVeth);
  const hostSysctls = [
    ...(host?.proxyArp ? [`net.ipv4.conf.${hostVeth}.proxy_arp=1`, `net.ipv4.neigh.${hostVeth}.proxy_delay=0`, `net.ipv4.conf.${hostVeth}.forwarding=1`] : []),
    ...(host?.routeLocalnet ? [`net.ipv4.conf.${hostVeth}.route_localnet=1`] : []),
  ];
  // A permanent neighbour the CNI writes for the pod on its host end (felix's static ARP entry).
  const hostNeighbour = dp.netns(node)?.neighbours.find((n) => n.dev === hostVeth);
  return { mtu: eth0?.mtu ?? 1500, podRoutes, hostRoute: hostRoute ? routeArgs(hostRoute) : '', hostSysctls, ...(hostNeighbour ? { hostNeighbour: neighbourArgs(hostNeighbour) } : {}) };
}

/** `ip route add` arguments; `proto kernel` only when asked (the kernel's own connected routes are made by adding the address). */
function routeArgs(r: Route, keepKernelProto = false): string {
  if (r.type === 'blackhole') return `blackhole ${r.dst}${r.proto ? ` proto ${r.proto}` : ''}`;
  return `${r.dst}${r.via ? ` via ${r.via}` : ''} dev ${r.dev}${r.scope ? ` scope ${r.scope}` : ''}${r.proto && (keepKernelProto || r.proto !== 'kernel') ? ` proto ${r.proto}` : ''}${r.src ? ` src ${r.src}` : ''}${r.onlink ? ' onlink' : ''}${r.mtu !== undefined ? ` mtu ${r.mtu}` : ''}`;
}

/** `ip neigh add` arguments for a permanent neighbour. */
function neighbourArgs(n: Neighbour): string {
  return `${n.ip} lladdr ${n.mac} dev ${n.dev} nud permanent`;
}

/** `bridge fdb append` arguments for a VXLAN FDB entry. */
function fdbArgs(f: FdbEntry): string {
  return `${f.mac} dev ${f.dev}${f.dst ? ` dst ${f.dst}` : ''}`;
}

/** kube-proxy's part of a node's nat and filter tables, as iptables-restore input. */
export function kubeProxyRestore(ns: Netns | undefined): string {
  return restoreInput(ns, (chain) => chain.startsWith('KUBE-'));
}

/** kube-proxy's nftables table for a node (with a counter on every rule), as `nft -f` input; '' in a mode that writes none. */
function nftLoad(kubeProxy: KubeProxyRules, ns: Netns | undefined): string {
  return ns && kubeProxy.nftables ? nftLoadText(kubeProxy.nftables.ruleset(ns), true) : '';
}

/** flanneld's part (FLANNEL-POSTRTG and the jump to it), as iptables-restore input. */
export function flannelRestore(ns: Netns | undefined): string {
  return restoreInput(ns, (chain) => chain.startsWith('FLANNEL-'));
}

/** An ipset the lab creates before the rules that match it: `ipset create NAME TYPE`, then each member. */
export interface LabIpset {
  name: string;
  type: 'hash:ip' | 'hash:net' | 'hash:ip,port';
  /** As `ipset add` takes them: 10.0.0.1, 10.0.0.0/24, 10.0.0.1,tcp:80. */
  members: string[];
}

/** The ipsets a netns's nat and filter rules match, each once. */
export function ipsetsOf(ns: Netns | undefined): LabIpset[] {
  const sets = new Map<string, LabIpset>();
  for (const r of [...(ns?.nat.rules ?? []), ...(ns?.filter.rules ?? [])]) {
    for (const set of [r.match.dstSet, r.match.srcSet]) if (set) sets.set(set.name, { name: set.name, type: set.type ?? 'hash:ip', members: set.members });
    const ipPort = r.match.dstIpPortSet;
    if (ipPort) sets.set(ipPort.name, { name: ipPort.name, type: 'hash:ip,port', members: ipPort.members.map((m) => `${m.ip},${m.proto}:${m.port}`) });
  }
  return [...sets.values()];
}

/** Rules a daemon appends to built-in chains, as iptables-restore input (filter table). */
function appendedRestore(rules: Rule[]): string {
  return rules.length ? ['*filter', ...rules.map((r) => r.text), 'COMMIT'].join('\n') : '';
}

/** The CNI daemon's own chains (felix's cali-*, Cilium's CILIUM_POST_nat) and the jumps to them, as iptables-restore input. */
export function cniRestore(ns: Netns | undefined, chains: ReadonlySet<string>): string {
  return chains.size ? restoreInput(ns, (chain) => chains.has(chain)) : '';
}

/** The chains one daemon owns (and the jumps into them), as iptables-restore input. */
function restoreInput(ns: Netns | undefined, isOwn: (chain: string) => boolean): string {
  if (!ns) return '';
  const part = (rules: Rule[]) => rules.filter((r) => isOwn(r.chain) || (r.target.kind === 'jump' && isOwn(r.target.chain)));
  const blocks: string[] = [];
  for (const table of [ns.nat, ns.filter]) {
    const rules = part(table.rules);
    if (rules.length === 0) continue;
    const chains = new Set<string>();
    for (const r of rules) {
      if (isOwn(r.chain)) chains.add(r.chain);
      if (r.target.kind === 'jump' && isOwn(r.target.chain)) chains.add(r.target.chain);
    }
    // Declare chains in the table's own order, then any only jumped to.
    const ordered = [...table.chains.map((c) => c.name).filter((c) => chains.has(c)), ...[...chains].filter((c) => !table.chains.some((t) => t.name === c))];
    blocks.push([`*${table.name}`, ...ordered.map((c) => `:${c} - [0:0]`), ...rules.map((r) => r.text), 'COMMIT'].join('\n'));
  }
  return blocks.join('\n');
}

function probesFor(s: Scenario, nodes: LabNode[], externalNetns: string): LabProbe[] {
  const probes: LabProbe[] = [];
  const pods = nodes.flatMap((n) => n.pods);
  const proto = (p: Protocol) => (p === 'TCP' ? 'tcp' : 'udp') as 'tcp' | 'udp';
  const ref = (key: string) => {
    const [namespace, name] = key.split('/');
    return { namespace, name };
  };
  for (const from of pods) {
    for (const to of pods) {
      if (to === from) continue;
      for (const port of to.ports) {
        probes.push({
          kind: 'pod-to-pod',
          fromNetns: from.netns,
          label: `pod ${from.key} -> pod ${to.key}:${port.port}/${port.protocol}`,
          ip: to.ip,
          port: port.port,
          protocol: port.protocol,
          tries: 1,
          trace: { from: { kind: 'pod', ...ref(from.key) }, to: { kind: 'pod', ...ref(to.key), port: port.port }, proto: proto(port.protocol) },
        });
      }
    }
  }
  for (const svc of s.services) {
    if (!svc.clusterIP || svc.clusterIP === 'None') continue;
    for (const sp of svc.ports) {
      // The engine's endpoints (one rule for the concept): enough tries to see each answer.
      const tries = triesFor(endpointsOf(s, svc, sp).length);
      const svcRef = `${svc.namespace}/${svc.name}:${sp.port}/${sp.protocol}`;
      // Cilium: socket-LB, or without its kube-proxy replacement per-packet load balancing in the pod's program
      // (not from a backend of the Service itself: its loopback SNAT is refused by trace, not modelled).
      const ebpf = cniOf(s.cluster).ebpf;
      const own = new Set(endpointsOf(s, svc, sp).map((e) => e.ip));
      for (const from of ebpf && !ebpf.socketLb ? pods.filter((p) => !own.has(p.ip)) : pods) {
        probes.push({
          kind: 'pod-to-service',
          fromNetns: from.netns,
          label: `pod ${from.key} -> service ${svcRef}`,
          ip: svc.clusterIP,
          port: sp.port,
          protocol: sp.protocol,
          tries,
          trace: { from: { kind: 'pod', ...ref(from.key) }, to: { kind: 'service', namespace: svc.namespace, name: svc.name, port: sp.port }, proto: proto(sp.protocol) },
        });
      }
      // Socket-LB translates a pod's connect() to any node's address and NodePort (walk.ts
      // socketLbPick): from one pod (the first), to its own node's NodePort and every other's.
      if (svc.type === 'NodePort' && sp.nodePort && ebpf?.socketLb) {
        for (const from of pods.slice(0, 1)) {
          for (const node of nodes) {
            probes.push({
              kind: 'pod-to-service',
              fromNetns: from.netns,
              label: `pod ${from.key} -> nodePort ${node.name}:${sp.nodePort}/${sp.protocol} (service ${svcRef}, socket-LB)`,
              ip: node.ip,
              port: sp.nodePort,
              protocol: sp.protocol,
              tries,
              trace: { from: { kind: 'pod', ...ref(from.key) }, to: { kind: 'node', name: node.name, port: sp.nodePort }, proto: proto(sp.protocol) },
            });
          }
        }
      }
      // With an eBPF datapath (Cilium) a NodePort from outside is its programs' with the kube-proxy replacement (nodeport_lb4), else kube-proxy's.
      if (svc.type === 'NodePort' && sp.nodePort) {
        for (const node of nodes) {
          probes.push({
            kind: 'node-port',
            fromNetns: externalNetns,
            label: `external -> nodePort ${node.name}:${sp.nodePort}/${sp.protocol} (service ${svcRef})`,
            ip: node.ip,
            port: sp.nodePort,
            protocol: sp.protocol,
            tries,
            trace: { from: { kind: 'external' }, to: { kind: 'node', name: node.name, port: sp.nodePort }, proto: proto(sp.protocol) },
          });
        }
      }
    }
  }
  for (const pod of pods) {
    const node = nodes.find((n) => n.name === pod.node)!;
    for (const hp of pod.hostPorts) {
      probes.push({
        kind: 'host-port',
        fromNetns: externalNetns,
        label: `external -> hostPort ${node.name}:${hp.hostPort}/${hp.protocol} (pod ${pod.key}:${hp.containerPort})`,
        ip: node.ip,
        port: hp.hostPort,
        protocol: hp.protocol,
        tries: 1,
        trace: { from: { kind: 'external' }, to: { kind: 'node', name: node.name, port: hp.hostPort }, proto: proto(hp.protocol) },
      });
    }
  }
  return probes;
}
