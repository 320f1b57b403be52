// compile: the cluster as Linux would hold it. One netns per node and per pod
// (plus the `external` client and the node-network switch), each with its
// devices, addresses, routes, neighbours, FDB entries and iptables tables.
//
// Netns are built lazily and cached: a trace on a 5,000-node cluster touches a
// handful of them, and kube-proxy's rules (the same on every node) are built once.
import { NodeFilterTable } from './filterTable.ts';
import { nodeListeners, podListeners } from './listeners.ts';
import type { NodeSpec, PodSpec, Scenario } from '../model.ts';
import { hasLocalTrafficPolicy, objectKey } from '../model.ts';
import { block, blockContains, cidr, ipNumber, ipText, prefixLength } from '../ipam/addresses.ts';
import { bridgeGateway, externalClientIP } from '../ipam/index.ts';
import { fnv1a, macFor } from '../util/hash.ts';
import { NodeNatTable, builtins } from './kubeProxy.ts';
import { portmapRules } from './portmap.ts';
import { forgetPodLookups, podLookupsFor, type PodLookups } from './podLookups.ts';
import { flannelMasqRules } from './flannel.ts';
import { ETHERNET_MTU, cniOf, type CniPlugin, type TowardRemotes } from '../cni/index.ts';
import { proxyOf, type KubeProxyRules } from '../proxy/index.ts';
import type { Device, FdbEntry, Neighbour, Netns, Route, Table } from './types.ts';
import { gatewayOf, gatewayToward, hasRouter, nodeSubnets, ROUTER, sameSegment, subnetIndexOf, switchNetnsOf } from './nodeNetworks.ts';

export const EXTERNAL = 'external';
export const NODE_NETWORK = 'node-network';
export const SWITCH_BRIDGE = 'br0';

/**
 * The host-side veth name: `veth` + 8 hex digits, like the bridge plugin's random ones,
 * unless the cluster's CNI names it (Calico: `cali` + 11 hex digits).
 */
export function vethName(pod: { namespace: string; name: string }, cni?: CniPlugin): string {
  if (cni?.hostVethName) return cni.hostVethName(pod);
  return `veth${fnv1a(objectKey(pod)).toString(16).padStart(8, '0')}`;
}

/**
 * The switch port a host's eth0 is plugged into. Interface names have 15 characters
 * at most, so a longer `port-NAME` becomes `port-` + 8 hex digits of a hash of the
 * name (cutting it could give two nodes the same port).
 */
export function switchPortName(host: string): string {
  const name = `port-${host}`;
  return name.length <= 15 ? name : `port-${fnv1a(host).toString(16).padStart(8, '0')}`;
}

/** The node network's router, by convention .1: every node's default route points at it. */
export function nodeNetworkRouter(s: Scenario): string {
  return ipText(block(s.cluster.nodeNetwork).first + 1);
}

export interface AddressOwner {
  netns: string;
  device: string;
}

/** An address a node claims; cni0's gateway only if the node has cni0 (ifBridgeOn). */
interface AddressClaim {
  owner: AddressOwner;
  ifBridgeOn?: NodeSpec;
}

export interface Dataplane {
  readonly scenario: Scenario;
  netnsNames(): string[];
  netns(name: string): Netns | undefined;
  /** The netns and device holding an IPv4 address (node eth0, cni0, flannel.1, pod eth0, external). */
  ownerOf(ip: string): AddressOwner | undefined;
  nodeOf(name: string): NodeSpec | undefined;
  podOf(key: string): PodSpec | undefined;
  podsOn(node: string): PodSpec[];
  /** kube-proxy's rules for the cluster (its nftables table, in a mode that writes one). */
  /** kube-proxy's rules on a node (the same on every node unless a Service has a Local traffic policy). */
  kubeProxyRules(node: string): KubeProxyRules;
}

export function compile(s: Scenario): Dataplane {
  return new CompiledCluster(s);
}

/** The last compile's towardRemotes answers, and the nodes they were made for. */
let keptRemotes: { key: string; byNode: Map<string, TowardRemotes> } | undefined;
/** Forget them (tests compare with a compile from nothing). */
export function forgetKeptRemotes(): void {
  keptRemotes = undefined;
  forgetPodLookups();
}

/** How many different pods (or nodes' pods) a compiled cluster finds by scanning before it indexes them all. */
const SCANS_BEFORE_INDEX = 2;

const loopback = (): Device => ({ name: 'lo', kind: 'loopback', mac: '00:00:00:00:00:00', mtu: 65536, addresses: [{ ip: '127.0.0.1', prefixLength: 8 }] });
const emptyTable = (name: 'nat' | 'filter'): Table => ({ name, chains: builtins(name), rules: [] });
const BUILTIN_NAT = new Set(builtins('nat').map((c) => c.name));

class CompiledCluster implements Dataplane {
  private readonly cache = new Map<string, Netns>();
  private readonly nodes = new Map<string, NodeSpec>();
  // Indexes over the pods are built on first use: a trace on a 150,000-pod cluster
  // needs a few of them, not a map of every pod.
  private byNode?: Map<string, PodSpec[]>;
  private byKey?: Map<string, Map<string, PodSpec>>;
  private nodeAddresses?: Map<string, AddressClaim[]>;
  private nodeByPodCIDR?: Map<number, NodeSpec>;
  private podsByIP?: Map<string, PodSpec>;
  private kubeProxy?: KubeProxyRules;
  private perNode?: boolean;
  private readonly kubeProxyByNode = new Map<string, KubeProxyRules>();
  /** Pods and nodes' pods found by scanning, before an index is worth building (see podOf). */
  private readonly scannedPods = new Map<string, PodSpec | undefined>();
  private readonly scannedNodes = new Map<string, PodSpec[]>();
  /** What scans of the pods found, this compile's and the last compile's that still hold (podLookups.ts). */
  private readonly kept: PodLookups;
  /** The nodes as towardRemotes depends on them. */
  private remotesKey?: string;
  /** The cluster's CNI: what every node and pod netns is built by. */
  private readonly cni: CniPlugin;

  constructor(readonly scenario: Scenario) {
    for (const n of scenario.nodes) this.nodes.set(n.name, n);
    this.cni = cniOf(scenario.cluster);
    this.kept = podLookupsFor(scenario.pods);
  }

  nodeOf(name: string) {
    return this.nodes.get(name);
  }

  /** A pod by `namespace/name`. */
  podOf(key: string): PodSpec | undefined {
    const slash = key.indexOf('/');
    if (slash < 0) return undefined;
    // The CLI's trace asks for one or two pods: a scan of 150,000 costs a millisecond, an index
    // of them 60. Many questions (the playground, `show` of every netns) get the index.
    if (!this.byKey && (this.scannedPods.has(key) || this.scannedPods.size < SCANS_BEFORE_INDEX)) {
      if (this.scannedPods.has(key)) return this.scannedPods.get(key);
      const namespace = key.slice(0, slash);
      const name = key.slice(slash + 1);
      // The last of a name, as the index (which later pods overwrite) would answer. (A plain
      // loop: the playground scans 10,000 pods twice after every edit, a callback per pod was slower.)
      const pods = this.scenario.pods;
      let pod: PodSpec | undefined;
      if (this.kept.named.has(key)) pod = this.kept.named.get(key);
      else for (let i = pods.length - 1; i >= 0 && !pod; i--) if (pods[i].name === name && pods[i].namespace === namespace) pod = pods[i];
      this.kept.named.set(key, pod);
      this.scannedPods.set(key, pod);
      return pod;
    }
    if (!this.byKey) {
      this.byKey = new Map();
      for (const p of this.scenario.pods) {
        let names = this.byKey.get(p.namespace);
        if (!names) this.byKey.set(p.namespace, (names = new Map()));
        names.set(p.name, p);
      }
    }
    return this.byKey.get(key.slice(0, slash))?.get(key.slice(slash + 1));
  }

  podsOn(node: string): PodSpec[] {
    // As podOf: a trace asks about two or three nodes; scan for those, index for more.
    if (!this.byNode && (this.scannedNodes.has(node) || this.scannedNodes.size < SCANS_BEFORE_INDEX)) {
      let pods = this.scannedNodes.get(node);
      if (!pods) {
        if (!this.nodes.has(node)) pods = [];
        else if (!(pods = this.kept.onNode.get(node))) {
          pods = [];
          for (let i = 0; i < this.scenario.pods.length; i++) if (this.scenario.pods[i].nodeName === node) pods.push(this.scenario.pods[i]);
          this.kept.onNode.set(node, pods);
        }
        this.scannedNodes.set(node, pods);
      }
      return pods;
    }
    if (!this.byNode) {
      this.byNode = new Map(this.scenario.nodes.map((n) => [n.name, []]));
      for (const p of this.scenario.pods) if (p.nodeName) this.byNode.get(p.nodeName)?.push(p);
    }
    return this.byNode.get(node) ?? [];
  }

  netnsNames(): string[] {
    // A pod without an address (a dump's Pending or finished pod) has no netns built.
    const racks = nodeSubnets(this.scenario.cluster);
    return [...this.nodes.keys(), ...this.scenario.pods.filter((p) => p.nodeName && p.podIP).map(objectKey), EXTERNAL, ...racks.map((_, i) => switchNetnsOf(i)), ...(racks.length > 1 ? [ROUTER] : [])];
  }

  netns(name: string): Netns | undefined {
    let ns = this.cache.get(name);
    if (ns) return ns;
    const node = this.nodes.get(name);
    const pod = node ? undefined : this.podOf(name);
    if (node) ns = this.buildNode(node);
    else if (pod && pod.nodeName && pod.podIP) ns = this.buildPod(pod);
    else if (name === EXTERNAL) ns = this.buildExternal();
    else if (name === NODE_NETWORK) ns = this.buildSwitch(0);
    else if (name === ROUTER && hasRouter(this.scenario.cluster)) ns = this.buildRouter();
    else if (name.startsWith(`${NODE_NETWORK}-`)) {
      const i = nodeSubnets(this.scenario.cluster).findIndex((_, k) => switchNetnsOf(k) === name);
      if (i > 0) ns = this.buildSwitch(i);
    }
    if (ns) this.cache.set(name, ns);
    return ns;
  }

  /**
   * Who holds an address: a node's eth0, its bridge or another device of its CNI's
   * (flannel.1), the external client, or a pod. A pod address is found through the
   * podCIDR it falls in (then that node's pods); where pods share the node network
   * (a VPC), through an index of pod IPs.
   */
  ownerOf(ip: string): AddressOwner | undefined {
    const s = this.scenario;
    if (!this.nodeAddresses) {
      // Every address a node (or the external client) holds, in the order they are
      // claimed: a later claim of the same address wins. cni0's claim holds only if the
      // node has cni0, asked when that address is looked up (not of every node: that
      // question is whether any of 10,000 pods runs there).
      const owners = new Map<string, AddressClaim[]>();
      const claim = (address: string, c: AddressClaim) => {
        const claims = owners.get(address);
        if (claims) claims.push(c);
        else owners.set(address, [c]);
      };
      claim(externalClientIP(s.cluster.nodeNetwork), { owner: { netns: EXTERNAL, device: 'eth0' } });
      // Racks: the router holds each node network's .1.
      if (hasRouter(s.cluster)) nodeSubnets(s.cluster).forEach((sub, i) => claim(gatewayOf(sub), { owner: { netns: ROUTER, device: `eth${i}` } }));
      for (const n of s.nodes) {
        if (n.internalIP) claim(n.internalIP, { owner: { netns: n.name, device: 'eth0' } });
        if (n.podCIDR && this.cni.bridge) claim(bridgeGateway(n.podCIDR), { owner: { netns: n.name, device: this.cni.bridge }, ifBridgeOn: n });
        for (const d of this.cni.nodeDevices(n)) for (const a of d.addresses) claim(a.ip, { owner: { netns: n.name, device: d.name } });
      }
      this.nodeAddresses = owners;
    }
    const claims = this.nodeAddresses.get(ip);
    for (let i = (claims?.length ?? 0) - 1; i >= 0; i--) {
      const c = claims![i];
      if (!c.ifBridgeOn || this.hasBridge(c.ifBridgeOn)) return c.owner;
    }
    let pod: PodSpec | undefined;
    if (this.cni.addressing !== 'node-podcidr') {
      // Pods on the node network (a VPC) or in a pool's blocks (Calico): an index of pod IPs.
      this.podsByIP ??= new Map(s.pods.filter((p) => p.podIP).map((p) => [p.podIP!, p]));
      pod = this.podsByIP.get(ip);
    } else {
      if (!this.nodeByPodCIDR) {
        this.nodeByPodCIDR = new Map();
        for (const n of s.nodes) if (n.podCIDR) this.nodeByPodCIDR.set(block(n.podCIDR).first, n);
      }
      const addr = ipNumber(ip);
      const size = 2 ** (32 - s.cluster.nodeCIDRMaskSize);
      // Node blocks are usually nodeCIDRMaskSize wide; a kubectl dump may hold others.
      const node = this.nodeByPodCIDR.get(addr - (addr % size)) ?? s.nodes.find((n) => n.podCIDR && blockContains(block(n.podCIDR), addr));
      pod = node ? this.podsOn(node.name).find((p) => p.podIP === ip) : undefined;
    }
    return pod?.nodeName ? { netns: objectKey(pod), device: 'eth0' } : undefined;
  }

  /** The bridge plugin creates cni0 on a node's first pod ADD, and never deletes it. */
  private hasBridge(n: NodeSpec): boolean {
    return this.cni.bridge !== undefined && n.podCIDR !== undefined && (this.hasPods(n.name) || n.cni0Created === true);
  }

  /** Whether any pod is bound to this node, answered without listing its pods (the first one found will do). */
  private hasPods(node: string): boolean {
    if (this.byNode) return this.podsOn(node).length > 0;
    if (!node) return false; // a pod without a node is on none
    const scanned = this.scannedNodes.get(node);
    if (scanned) return scanned.length > 0;
    let has = this.kept.hasPods.get(node);
    if (has === undefined) {
      const pods = this.scenario.pods;
      has = false;
      for (let i = 0; i < pods.length && !has; i++) has = pods[i].nodeName === node;
      this.kept.hasPods.set(node, has);
    }
    return has;
  }

  /**
   * kube-proxy's rules on a node (`show` and the lab ask for its nftables table): built
   * once for the cluster, or once per node when a Service's Local traffic policy makes
   * them differ.
   */
  kubeProxyRules(node: string): KubeProxyRules {
    const s = this.scenario;
    if (!(this.perNode ??= hasLocalTrafficPolicy(s))) return (this.kubeProxy ??= proxyOf(s.cluster).rules(s, undefined));
    let kp = this.kubeProxyByNode.get(node);
    if (!kp) this.kubeProxyByNode.set(node, (kp = proxyOf(s.cluster).rules(s, node)));
    return kp;
  }

  private buildNode(n: NodeSpec): Netns {
    const s = this.scenario;
    const cni = this.cni;
    // The node's own network (its rack's, where there are several) and its router.
    const rack = Math.max(0, subnetIndexOf(s.cluster, n.internalIP));
    const subnet = nodeSubnets(s.cluster)[rack];
    const nodePrefix = prefixLength(cidr(subnet));
    const pods = this.podsOn(n.name).filter((p) => p.podIP);
    const devices: Device[] = [loopback()];
    const routes: Route[] = [];
    const neighbours: Neighbour[] = [];
    const fdb: FdbEntry[] = [];

    devices.push({
      name: 'eth0',
      kind: 'ethernet',
      mac: macFor(`${n.name}/eth0`),
      mtu: ETHERNET_MTU,
      addresses: [{ ip: n.internalIP!, prefixLength: nodePrefix }],
      peer: { netns: switchNetnsOf(rack), device: switchPortName(n.name) },
      // ptp puts the pods' gateway (the node network's .1) on every host veth; eth0
      // must not answer ARP for it, or each node would pose as the VPC router (the lab sets this too).
      ...(cni.eth0ArpIgnore ? { arpIgnore: true } : {}),
      ...(cni.eth0Tc ? { tc: cni.eth0Tc } : {}),
    });
    routes.push({ dst: 'default', via: gatewayOf(subnet), dev: 'eth0' });
    routes.push({ dst: subnet, dev: 'eth0', proto: 'kernel', scope: 'link', src: n.internalIP });

    for (const d of cni.nodeDevices(n)) devices.push(d);
    if (n.podCIDR && this.hasBridge(n)) {
      const gateway = bridgeGateway(n.podCIDR);
      // Without a port (its last pod gone) cni0 has no carrier: the kernel flags its route
      // linkdown, and puts its MTU back to 1500 (seen after the bridge plugin's DEL).
      const ports = pods.length > 0;
      const bridge = cni.bridge!;
      devices.push({ name: bridge, kind: 'bridge', mac: macFor(`${n.name}/${bridge}`), mtu: ports ? cni.podMtu : ETHERNET_MTU, addresses: [{ ip: gateway, prefixLength: prefixLength(cidr(n.podCIDR)) }] });
      routes.push({ dst: n.podCIDR, dev: bridge, proto: 'kernel', scope: 'link', src: gateway, ...(ports ? {} : { linkdown: true }) });
    }
    for (const p of pods) {
      const veth = vethName(p, cni);
      const host = cni.hostSide(s, n, p, veth);
      devices.push({
        name: veth,
        kind: 'veth',
        mac: host.mac ?? macFor(`${n.name}/${veth}`),
        ...(host.proxyArp ? { proxyArp: true } : {}),
        ...(host.routeLocalnet ? { routeLocalnet: true } : {}),
        ...(host.tcIngress ? { tc: { ingress: host.tcIngress } } : {}),
        mtu: cni.podMtu,
        addresses: host.addresses,
        ...(host.master ? { master: host.master } : {}),
        peer: { netns: objectKey(p), device: 'eth0' },
      });
      if (host.fdb) fdb.push(host.fdb);
      if (host.route) routes.push(host.route);
      if (host.neighbour) neighbours.push(host.neighbour);
    }


    const toRemotes = this.towardRemotes(n);
    for (const r of toRemotes.routes) routes.push(r);
    for (const x of toRemotes.neighbours) neighbours.push(x);
    for (const f of toRemotes.fdb) fdb.push(f);

    const kp = this.kubeProxyRules(n.name);
    const flannel = !cni.masqueradeRules && cni.masquerades(s.cluster) && n.podCIDR ? flannelMasqRules(s.cluster.podCIDR, n.podCIDR) : undefined;
    // hostPorts are portmap's where the CNI's conflist chains it (Cilium's does not).
    const portmap = cni.portmap ? portmapRules(cni.networkName, pods, cni.podResultSubnet ?? cni.nodePodRange(s.cluster, n)) : { chains: [], rules: [] };
    // felix inserts its jump (cali-POSTROUTING) at the top of POSTROUTING, before
    // kube-proxy's; only portmap's own top-inserted jump comes before it.
    const own = cni.masqueradeRules?.(s.cluster, n, s.nodes);
    // The daemon writes its rules when it starts, before kube-proxy's nftables table (the lab loads them in that order).
    const early = new Set((own?.rules ?? []).map((r) => r.chain).filter((c) => BUILTIN_NAT.has(c)));
    const nat = new NodeNatTable(kp, own ? { chains: [...portmap.chains, ...own.chains], rules: [...portmap.rules, ...own.rules] } : portmap, flannel, early);
    // The daemon's chains are worked out when a table is first read (a walk, show, the lab), not for the canvas.
    const daemonFilter = cni.filterRules;
    const filter = daemonFilter ? new NodeFilterTable(kp.filter, () => daemonFilter(s, pods, (p) => vethName(p, cni))) : kp.filter;
    return { name: n.name, kind: 'node', node: n.name, devices, routes: sortRoutes(routes), neighbours, fdb, nat, filter, listeners: nodeListeners(s, n), ...(toRemotes.notOnLink ? { notOnLink: toRemotes.notOnLink } : {}) };
  }

  /**
   * What a node holds for reaching the other nodes' pods (the CNI's towardRemotes:
   * routes via each node, or a tunnel's routes, neighbours and FDB entries). Kept
   * across compiles while every node's name, address and podCIDR (and the CNI) stay
   * the same: after an edit of pods or Services the playground rebuilds a node with 200 others.
   */
  private towardRemotes(n: NodeSpec): TowardRemotes {
    const s = this.scenario;
    this.remotesKey ??= `${s.cluster.cni}|${JSON.stringify(s.cluster.calico ?? {})}|${JSON.stringify(s.cluster.cilium ?? {})}|${nodeSubnets(s.cluster).join(' ')}|${s.nodes.map((r) => `${r.name} ${r.internalIP} ${r.podCIDR} ${r.calicoBlocks?.join(' ') ?? ''}`).join(',')}`;
    if (keptRemotes?.key !== this.remotesKey) keptRemotes = { key: this.remotesKey, byNode: new Map() };
    let kept = keptRemotes.byNode.get(n.name);
    if (kept) return kept;
    kept = this.cni.towardRemotes(n, s.nodes.filter((r) => r.name !== n.name), (node, device) => macFor(`${node}/${device}`), (r) => sameSegment(s.cluster, n, r), gatewayToward(s.cluster, n));
    keptRemotes.byNode.set(n.name, kept);
    return kept;
  }

  private buildPod(p: PodSpec): Netns {
    const s = this.scenario;
    const node = this.nodes.get(p.nodeName!)!;
    const key = objectKey(p);
    const own = this.cni.podNetworking(s, node, p, vethName(p, this.cni));
    const devices: Device[] = [loopback(), ...own.devices];
    const routes: Route[] = own.routes;
    return {
      name: key,
      kind: 'pod',
      node: node.name,
      devices,
      routes: sortRoutes(routes),
      neighbours: [],
      fdb: [],
      nat: emptyTable('nat'),
      filter: emptyTable('filter'),
      listeners: podListeners(s, p),
    };
  }

  private buildExternal(): Netns {
    const s = this.scenario;
    const ip = externalClientIP(s.cluster.nodeNetwork);
    return {
      name: EXTERNAL,
      kind: 'external',
      devices: [loopback(), { name: 'eth0', kind: 'ethernet', mac: macFor(`${EXTERNAL}/eth0`), mtu: ETHERNET_MTU, addresses: [{ ip, prefixLength: prefixLength(cidr(s.cluster.nodeNetwork)) }], peer: { netns: NODE_NETWORK, device: switchPortName(EXTERNAL) } }],
      // Racks: the other node networks are reached through the router, as a real outside host's default route would.
      routes: [{ dst: s.cluster.nodeNetwork, dev: 'eth0', proto: 'kernel', scope: 'link', src: ip }, ...nodeSubnets(s.cluster).slice(1).map((sub): Route => ({ dst: sub, via: gatewayOf(s.cluster.nodeNetwork), dev: 'eth0' }))],
      neighbours: [],
      fdb: [],
      nat: emptyTable('nat'),
      filter: emptyTable('filter'),
      listeners: [],
    };
  }

  /** Node network i's switch: a plain bridge with a port for each node on it (the external client on the first; the router on each, with racks). */
  private buildSwitch(i: number): Netns {
    const s = this.scenario;
    const name = switchNetnsOf(i);
    const racks = hasRouter(s.cluster);
    const hosts = [...s.nodes.filter((n) => !racks || Math.max(0, subnetIndexOf(s.cluster, n.internalIP)) === i).map((n) => n.name), ...(i === 0 ? [EXTERNAL] : [])];
    // A VPC: the fabric's own table, secondary address → the node whose ENI holds it.
    let holders: Map<string, string> | undefined;
    const vpcFabric = this.cni.vpcFabric ? { nodeHolding: (ip: string) => (holders ??= new Map(s.pods.filter((p) => p.podIP && p.nodeName).map((p) => [p.podIP!, p.nodeName!]))).get(ip) } : undefined;
    const ports: Device[] = hosts.map((h) => ({ name: switchPortName(h), kind: 'veth', mac: macFor(`${name}/${h}`), mtu: ETHERNET_MTU, addresses: [], master: SWITCH_BRIDGE, peer: { netns: h, device: 'eth0' } }));
    const fdb: FdbEntry[] = hosts.map((h) => ({ mac: macFor(`${h}/eth0`), dev: switchPortName(h), master: SWITCH_BRIDGE }));
    if (racks) {
      ports.push({ name: switchPortName(ROUTER), kind: 'veth', mac: macFor(`${name}/${ROUTER}`), mtu: ETHERNET_MTU, addresses: [], master: SWITCH_BRIDGE, peer: { netns: ROUTER, device: `eth${i}` } });
      fdb.push({ mac: macFor(`${ROUTER}/eth${i}`), dev: switchPortName(ROUTER), master: SWITCH_BRIDGE });
    }
    return {
      name,
      kind: 'switch',
      subnet: nodeSubnets(s.cluster)[i],
      devices: [loopback(), { name: SWITCH_BRIDGE, kind: 'bridge', mac: macFor(`${name}/${SWITCH_BRIDGE}`), mtu: ETHERNET_MTU, addresses: [] }, ...ports],
      routes: [],
      neighbours: [],
      fdb,
      nat: emptyTable('nat'),
      filter: emptyTable('filter'),
      listeners: [],
      ...(vpcFabric ? { vpcFabric } : {}),
    };
  }

  /** Racks: the router joining the node networks, `eth<i>` with network i's .1; it knows only those networks. */
  private buildRouter(): Netns {
    const subnets = nodeSubnets(this.scenario.cluster);
    return {
      name: ROUTER,
      kind: 'router',
      devices: [loopback(), ...subnets.map((sub, i): Device => ({ name: `eth${i}`, kind: 'ethernet', mac: macFor(`${ROUTER}/eth${i}`), mtu: ETHERNET_MTU, addresses: [{ ip: gatewayOf(sub), prefixLength: prefixLength(cidr(sub)) }], peer: { netns: switchNetnsOf(i), device: switchPortName(ROUTER) } }))],
      routes: sortRoutes(subnets.map((sub, i): Route => ({ dst: sub, dev: `eth${i}`, proto: 'kernel', scope: 'link', src: gatewayOf(sub) }))),
      neighbours: [],
      fdb: [],
      nat: emptyTable('nat'),
      filter: emptyTable('filter'),
      listeners: [],
    };
  }
}

/** `ip route` lists the main table in address order: default first, then by destination, longer prefix first. */
function sortRoutes(routes: Route[]): Route[] {
  const key = (r: Route): [number, number] => {
    if (r.dst === 'default') return [-1, 0];
    const b = block(r.dst);
    return [b.first, b.prefixLength];
  };
  return routes
    .map((r) => ({ r, k: key(r) }))
    .sort((a, b) => (a.k[0] < b.k[0] ? -1 : a.k[0] > b.k[0] ? 1 : b.k[1] - a.k[1]))
    .map((x) => x.r);
}
