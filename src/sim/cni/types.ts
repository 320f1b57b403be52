// What a CNI plugin tells the engine, the lab and the canvas. One object per mode
// (./index.ts), in the manner of tldraw's ShapeUtil: the compile, IPAM, the lab
// script and the canvas ask it, and none of them tests a mode's name.
import type { ClusterSpec, NodeSpec, PodSpec, Scenario } from '../model.ts';
import type { Device, FdbEntry, Neighbour, Route, Rule, TcProgram } from '../dataplane/types.ts';
import type { AddressOwner } from '../dataplane/compile.ts';
import type { CniMode } from './modes.ts';
import type { CalicoPool } from './calicoPool.ts';
import type { CiliumConfig } from './ciliumConfig.ts';

/**
 * Where pods' addresses come from.
 * - `node-podcidr`: host-local over the node's spec.podCIDR (the gateway .1 on the
 *   bridge, pods from .2), each node its own block of the cluster's podCIDR.
 * - `node-network`: the node network itself (a VPC's ENI secondary addresses): one
 *   address space shared with the nodes and the external client.
 * - `ipam-blocks`: Calico's IPAM: each node takes blocks of the pool (the cluster's
 *   podCIDR) as it needs them (NodeSpec.calicoBlocks); no node has a podCIDR.
 */
export type PodAddressing = 'node-podcidr' | 'node-network' | 'ipam-blocks';

/** What a node holds for reaching the other nodes' pods. */
export interface TowardRemotes {
  routes: Route[];
  neighbours: Neighbour[];
  fdb: FdbEntry[];
  /**
   * Routes the CNI would write but the kernel refuses: a gateway on another rack is not
   * on-link (`ip route add … via <node IP>`: Nexthop has invalid gateway), as for
   * flannel's host-gw toward a node off this node's segment.
   */
  notOnLink?: import('../dataplane/types.ts').NotOnLink[];
}

/** Whether another node shares this node's L2 segment (racks: its subnet). */
export type OnThisSegment = (remote: NodeSpec) => boolean;
/** Racks: the router address a node reaches a node on another segment through (its own network's gateway); undefined on its own segment. */
export type GatewayToward = (remote: NodeSpec) => string | undefined;

/** A pod's attachment on its node: the host end of its veth, and what the node holds for the pod. */
export interface HostSide {
  /** Addresses on the host-side veth (ptp: the pods' gateway, as /32). */
  addresses: { ip: string; prefixLength: number }[];
  /** The bridge the host-side veth is a port of. */
  master?: string;
  /** The bridge's FDB entry for the pod's MAC (learnt from its first frame). */
  fdb?: FdbEntry;
  /** The node's route to the pod. */
  route?: Route;
  /** A permanent neighbour entry for the pod on the host end (felix's static ARP entry): the node never ARPs for it. */
  neighbour?: Neighbour;
  /** The host end's MAC, when the CNI sets one (Calico: ee:ee:ee:ee:ee:ee on every host end). */
  mac?: string;
  /** An eBPF program at the host end's tc ingress (Cilium's cil_from_container): every packet from the pod meets it first. */
  tcIngress?: TcProgram;
  /** net.ipv4.conf.<veth>.proxy_arp=1: the host end answers ARP for addresses the node routes elsewhere (Calico's 169.254.1.1). */
  proxyArp?: boolean;
  /** route_localnet=1 on the host end itself (Calico's CNI plugin sets it, so NAT to a local 127.0.0.1 works). */
  routeLocalnet?: boolean;
}

/** A netns's devices and routes (the rest of a pod's netns is the same for every CNI). */
export interface PodNetworking {
  devices: Device[];
  routes: Route[];
}

/** A node device's MAC, by node and device name. */
export type MacOf = (node: string, device: string) => string | undefined;

/** A VXLAN device on every node that has a podCIDR. */
export interface Tunnel {
  device: string;
  /** The VNI every packet carries, or `identity`: each carries its source's security identity (Cilium's collect-metadata device). */
  vni: number | 'identity';
  /** UDP destination port. */
  port: number;
  mtu: number;
  /** Its address on this node (a.b.c.d, as /32), or undefined when the node has none (no podCIDR). */
  address(node: NodeSpec): string | undefined;
}

/** What an eBPF program needs to know of the cluster. */
export interface EbpfView {
  readonly scenario: Scenario;
  podsOn(node: string): PodSpec[];
  nodeOf(name: string): NodeSpec | undefined;
  podOf(key: string): PodSpec | undefined;
  ownerOf(ip: string): AddressOwner | undefined;
  /** The pod holding an address, if a pod does. */
  podOfAddress(ip: string): PodSpec | undefined;
}

/** What a tc program does with a packet. */
export type EbpfVerdict =
  /** To a pod on this node: redirected to it (into its netns, or to its host end's egress), the TTL decremented. */
  | { kind: 'to-endpoint'; pod: string; lxc: string; peer: boolean; map: string; said: string }
  /** To a pod on another node: the tunnel key set (that node's address, VNI = the source's identity) and redirected to the tunnel device. */
  | { kind: 'to-tunnel'; node: string; nodeIP: string; device: string; identity: number; identitySaid: string; map: string; said: string }
  /** Out of the tunnel and for no local endpoint: routed to the host (the TTL decremented) and redirected to `device`'s ingress (Cilium's ipv4_host_delivery to cilium_host). */
  | { kind: 'to-host'; device: string; said: string }
  /** A NetworkPolicy denies it: the program drops it with DROP_POLICY (-133, `Policy denied` in cilium monitor). */
  | { kind: 'policy-drop'; direction: 'Ingress' | 'Egress'; pod: string; policies: string[]; said: string }
  /** Neither: on into the node's IP stack (`ttl`: routed by the program first, the TTL down by one). */
  | { kind: 'pass'; said: string; ttl?: boolean }
  /**
   * A NodePort from outside (Cilium's nodeport_lb4 at the node's own device): DNAT to one of
   * `backends` (the walk picks), recorded in the program's own conntrack for the reply; then
   * on into the node's IP stack (legacy host routing).
   */
  | {
      kind: 'nodeport';
      service: string;
      /** `remote`: on another node (externalTrafficPolicy Cluster), where cilium_ipcache says it is. */
      backends: NodePortBackend[];
      /** The source a remote backend's packet gets (IPV4_GATEWAY in tunnel mode, else the node's own address), and the tunnel it goes through (none: fib_redirect). */
      snat: { addr: string; tunnel?: { device: string; identity: number; identitySaid: string; map: string } };
      /** The frontend's lookup and the pick. */
      said: string;
      /** What follows for a backend on this node. */
      localSaid: string;
      /** What follows for one on another node. */
      remoteSaid: (b: NodePortBackend & { remote: NonNullable<NodePortBackend['remote']> }) => string;
    }
  /**
   * A pod's packet to a Service's ClusterIP, load-balanced per packet by the pod's own
   * program (no socket-LB): DNAT to one of `backends` (the walk picks), recorded in the
   * node's conntrack with the Service for the reply; then on as the program sends the
   * translated packet.
   */
  | { kind: 'service-lb'; service: string; backends: NodePortBackend[]; said: string }
  /** A NodePort whose frontend has no backend here: no DNAT, and the program answers ICMP port unreachable (service-no-backend-response: reject). */
  | { kind: 'no-service'; service: string; said: string }
  /** The reply of a NodePort connection the program DNATed: the source goes back to the node's address and NodePort, routed (TTL - 1), out of the device the FIB gives (fib_redirect). */
  | {
      kind: 'rev-nat';
      src: string;
      sport: number;
      said: string;
      /** The client, where the request was SNATed too (cilium_snat_v4_external). */
      dst?: string;
      dport?: number;
    };

/** A NodePort backend nodeport_lb4 may pick. */
export interface NodePortBackend {
  pod: string;
  ip: string;
  port: number;
  /** On another node: its name and address (the tunnel endpoint). */
  remote?: { node: string; nodeIP: string };
}

/** An eBPF datapath (Cilium's): its programs decide where packets go (./ebpfPrograms.ts, loaded with the walk). */
export interface EbpfDatapath {
  /** Whose programs run at tc. */
  readonly programs: 'cilium';
  /** Its programs report trace events that Hubble turns into flows (Cilium's). */
  readonly hubble?: boolean;
  /** Socket-LB at connect() (kube-proxy replacement): the program and its attach point; absent when kube-proxy does the Services. */
  readonly socketLb?: { name: string; source: string; attach: string };
}

export interface CniPlugin {
  readonly mode: CniMode;
  /** What it models, in a few words for people (the toolbar, the lab script). */
  readonly title: string;
  readonly addressing: PodAddressing;
  /**
   * The bridge pods are ports of (created on a node's first pod, never deleted), or
   * undefined: the host routes to each pod.
   */
  readonly bridge?: string;
  /** Where there is no bridge: how a pod's host-side veth is wired into the node, in a few words for the canvas. */
  readonly noBridgeSaid?: string;
  /** A node device the pods' gateway address is on, drawn in the bridge's place (Cilium's cilium_host). */
  readonly podGatewayDevice?: string;
  /** The MTU of the pods' eth0, their host-side veths and the bridge while it has ports. */
  readonly podMtu: number;
  /** The CNI network's name in its config: portmap's rule comments and CNI-DN chain hash derive from it. */
  readonly networkName: string;
  /**
   * The CNI plugin binary that wires a pod's veth (the lab runs it), or `written`: the
   * CNI's own plugin cannot run here (Calico's needs its datastore), so the lab writes
   * the devices, addresses and routes it would make with ip commands.
   */
  readonly podPlugin: 'bridge' | 'ptp' | 'written';
  /** The node's eth0 answers ARP only for its own addresses (arp_ignore=1). */
  readonly eth0ArpIgnore: boolean;
  /** The node network is a VPC whose fabric knows which node holds each pod address. */
  readonly vpcFabric: boolean;
  /** Whether the CNI's daemon masquerades pod traffic leaving the cluster network (flanneld --ip-masq). */
  masquerades(cluster: ClusterSpec): boolean;
  /** The range the cluster's pods take addresses from (kube-proxy's --cluster-cidr). */
  clusterPodRange(cluster: ClusterSpec): string;
  /** The range a node's pods take addresses from (portmap's hairpin masquerade matches it). */
  nodePodRange(cluster: ClusterSpec, node: NodeSpec): string;
  /** The subnet of a pod's address in its CNI result, when it is not nodePodRange (Calico: the pod's /32); portmap's hairpin rule matches it. */
  podResultSubnet?(pod: PodSpec): string;
  /** Devices a node has besides lo, eth0, the bridge and the pods' veths (a VXLAN device). */
  nodeDevices(node: NodeSpec): Device[];
  /** An eBPF program at tc on the node's own eth0 (Cilium's cil_from_netdev in native routing). */
  readonly eth0Tc?: { ingress?: TcProgram };
  /** The node's VXLAN device, as its daemon creates it (learning off), when the CNI tunnels. */
  readonly tunnel?: Tunnel;
  /** The pod's veth on its node. */
  hostSide(s: Scenario, node: NodeSpec, pod: PodSpec, veth: string): HostSide;
  /** The pod's eth0 and routes. */
  podNetworking(s: Scenario, node: NodeSpec, pod: PodSpec, veth: string): PodNetworking;
  /**
   * What `node` holds for reaching the pods of `remotes` (every other node). `macOf`
   * gives a node device's MAC (a remote VTEP's): the engine's, or the lab's copy of it.
   */
  towardRemotes(node: NodeSpec, remotes: readonly NodeSpec[], macOf: MacOf, onSegment: OnThisSegment, gatewayToward: GatewayToward): TowardRemotes;
  /** The host end's name for a pod (default: the bridge plugin's style, `veth` + 8 hex digits). */
  hostVethName?(pod: { namespace: string; name: string }): string;
  /** The CNI daemon's own nat rules on a node (chains and the jumps into them), when not flanneld's. */
  masqueradeRules?(cluster: ClusterSpec, node: NodeSpec, nodes: readonly NodeSpec[]): { chains: string[]; rules: Rule[] };
  /** The plugin for this cluster's settings, when they change what it builds (Calico's IPPool). */
  bind?(cluster: ClusterSpec): CniPlugin;
  /**
   * The daemon's filter chains on a node (felix's cali-* with the NetworkPolicies of
   * its pods), given the node's pods and their host veths' names.
   */
  filterRules?(s: Scenario, pods: readonly PodSpec[], vethOf: (p: PodSpec) => string): import('../dataplane/filterTable.ts').DaemonFilterRules;
  /** Calico's IPPool as this plugin was bound to it. */
  readonly calico?: CalicoPool;
  /** Why this CNI (with these settings) cannot cross between racks as podpath models them, when it cannot. */
  racksProblem?(cluster: ClusterSpec): string | undefined;
  /**
   * Who enforces NetworkPolicy: felix's iptables chains (Calico), Cilium's eBPF
   * programs and policy maps, or nobody: flannel (and podpath's host-gw and VPC
   * models) has no policy engine, so a real cluster with it admits every packet a
   * policy would deny, and the walk says which policy would have denied it.
   */
  readonly networkPolicy: 'felix' | 'cilium-ebpf' | 'none';
  /** Whether the portmap plugin is chained for hostPorts (Cilium's conflist chains none). */
  readonly portmap: boolean;
  /** The CNI's eBPF datapath, when its programs move the packets (Cilium). */
  readonly ebpf?: EbpfDatapath;
  /** Cilium's settings as this plugin was bound to them. */
  readonly cilium?: CiliumConfig;
  /** The routes between nodes are learned over BGP (BIRD), not written: the lab runs BIRD for them. */
  readonly routesLearnedByBgp?: boolean;
  /** What this machine's kernel cannot build for this cluster (Calico's IPIP), so the lab refuses it; undefined when it can. */
  devicesMissingHere?(cluster: ClusterSpec): { code: 'no-ipip-in-kernel'; said: string } | undefined;
}
