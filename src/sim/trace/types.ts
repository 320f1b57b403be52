// A packet's walk through the compiled dataplane.

import type { ListenerAssumption } from '../dataplane/types.ts';

/**
 * How a trace ends. `left-cluster`: the packet leaves by the node network's default
 * gateway for an address outside the cluster (the internet, a cloud API server):
 * podpath does not model what is there, so it says neither delivered nor dropped.
 */
/**
 * What a hop assumes rather than knows: a listener no container declares
 * (ListenerAssumption), or the model's masquerade rule on a cluster whose input shows
 * no flanneld (the chain named).
 */
export type HopAssumption = ListenerAssumption | { because: 'model-masquerade'; chain: string } | { because: 'node-gateway'; gateway: string };

export type Verdict = 'delivered' | 'refused' | 'dropped' | 'left-cluster';
export const VERDICTS: readonly Verdict[] = ['delivered', 'refused', 'dropped', 'left-cluster'];

/** The verdict in words, for a heading or a button. */
export const VERDICT_WORDS: Record<Verdict, string> = { delivered: 'delivered', refused: 'refused', dropped: 'dropped', 'left-cluster': 'left the cluster' };

/** An Ethernet header: the MACs a frame carries on one wire (they change at every IP hop). */
export interface EthernetHeader {
  src: string;
  dst: string;
}

export interface OuterHeader {
  src: string;
  dst: string;
  proto: 'udp';
  /**
   * The outer UDP source port: the kernel hashes the inner flow into the local port
   * range (udp_flow_src_port) with a per-boot random seed, so no one can say which;
   * podpath picks one the same way, from the inner addresses and ports.
   */
  sport: number;
  dport: number;
  vni: number;
  /** The inner frame's Ethernet header: the VTEP's MAC to the remote VTEP's (from flannel.1's neighbour entry). */
  innerEth?: EthernetHeader;
  /**
   * The outer UDP checksum is left zero: Cilium's programs set the tunnel key with
   * BPF_F_ZERO_CSUM_TX. A VXLAN device of its own (flannel.1, vxlan.calico) checksums it:
   * the kernel's default since 4.8, which neither flanneld nor felix turns off.
   */
  zeroUdpChecksum?: boolean;
}

/** The packet as it is after a hop. `src`/`dst` are `IP:PORT`. */
export interface PacketHeaders {
  src: string;
  dst: string;
  proto: 'tcp' | 'udp';
  /**
   * The IP TTL after this hop: 64 when a pod or node sends, one less for every IP
   * forward (a node routing it), unchanged when a bridge carries the frame. The
   * kernel differential reads the TTL the receiving netns saw and holds it to this.
   */
  ttl: number;
  /** Present while VXLAN-encapsulated. */
  outer?: OuterHeader;
  /**
   * The Ethernet header of the frame on the wire at this hop (the outer frame while
   * encapsulated); absent while the packet is inside a netns' IP stack.
   */
  eth?: EthernetHeader;
}

/**
 * The mechanisms a hop credits, as facts the kernel differential can test by
 * switching them off (each is a per-node kernel setting).
 */
export interface HopClaims {
  /**
   * The bridge sent the frame back out the port it came in on: only hairpin mode on
   * that port (the bridge plugin's `hairpinMode: true`) allows it.
   */
  hairpin?: { bridge: string; port: string };
  /**
   * A netfilter hook (nat PREROUTING/POSTROUTING, conntrack) ran on a frame the
   * bridge carries between two ports, which happens only because br_netfilter is on
   * (`net.bridge.bridge-nf-call-iptables=1`).
   */
  brNetfilter?: boolean;
  /**
   * A packet with a 127.0.0.1 source leaves lo for another device, which the kernel
   * allows only with `net.ipv4.conf.all.route_localnet=1` (kube-proxy sets it for
   * its localhost NodePorts).
   */
  routeLocalnet?: boolean;
  /**
   * An eBPF program at a device's tc hook decided this hop (Cilium's cil_from_container
   * redirecting past the bridge-less node): without the program attached, the packet
   * would go another way.
   */
  ebpf?: { program: string; device: string };
}

/** What happened at a hop. */
export type HopAction =
  | 'send' // a socket in this netns emits the packet
  | 'route' // a route lookup picked the next hop and device
  | 'transmit' // the packet leaves over a device (veth, eth0)
  | 'receive' // the packet arrives on a device
  | 'bridge' // cni0 / the node-network switch forwarded the frame by its FDB
  | 'dnat' // the destination was rewritten (kube-proxy KUBE-SEP, portmap CNI-DN)
  | 'snat' // the source was rewritten (MASQUERADE)
  | 'ebpf' // an eBPF program decided: a tc program redirected the packet, or socket-LB rewrote the connect (Cilium)
  | 'encapsulate' // wrapped in VXLAN by flannel.1
  | 'decapsulate' // unwrapped by flannel.1
  | 'undo-nat' // conntrack reversed a DNAT/SNAT on a reply
  | 'deliver' // a listening socket accepted the packet
  | 'refuse' // nothing listens: TCP RST or ICMP port unreachable
  | 'drop' // no route, no owner, no endpoint
  | 'leave'; // out by the default gateway, beyond what podpath models

export interface Hop {
  /** The node this happens on ('' for the external client and the node-network switch). */
  node: string;
  /** A node's name, a pod's `namespace/name`, `external`, or `node-network`. */
  netns: string;
  device: string;
  action: HopAction;
  /** Why: the route, FDB entry, neighbour or rule that matched, in words. */
  why: string;
  /** The exact line of `podpath show` output that matched (route or rule), for highlighting. */
  matched?: string;
  packet: PacketHeaders;
  /**
   * The iptables rules that led to `matched`, in the order netfilter ran them: the
   * jumps from the built-in chain down (`PREROUTING -j KUBE-SERVICES`, `… -j KUBE-SVC-…`,
   * `… -j KUBE-SEP-…`), chains entered and returned on the way, and the rule itself.
   */
  rulePath?: RulePath;
  /** Mechanisms this hop depends on (absent: none beyond plain routing and bridging). */
  claims?: HopClaims;
  /** A delivery to a port no container declares: why podpath takes it that something listens there. */
  assumed?: HopAssumption;
  /** An eBPF program at tc decided this hop (Cilium's): which, and what it did (the flows Hubble would show come from these). */
  ebpf?: EbpfDecision;
  /** Where a CNI that enforces NetworkPolicy would have dropped the packet, on a cluster whose CNI enforces none: the policies that deny it (`ns/name`). */
  wouldHaveDropped?: { direction: 'Ingress' | 'Egress'; policies: string[] };
}

/** What a tc program did with the packet (the kinds of trace/walk.ts' EbpfVerdict). */
export interface EbpfDecision {
  program: string;
  /**
   * `to-endpoint`: delivered to a pod of this node (`endpoint`, namespace/name); `to-tunnel`:
   * into the tunnel; `to-host`: out of the tunnel to the node's own stack; `pass`: on
   * unchanged; `pass-routed`: routed first, then to the node's stack (pass_to_stack);
   * `nodeport-dnat`: a NodePort from outside translated to a backend (nodeport_lb4);
   * `nodeport-snat`: the same to a backend on another node, SNATed too and sent on by
   * the program (tail_nodeport_nat_egress_ipv4);
   * `rev-nat`: its reply translated back and sent out of the node's device;
   * `service-dnat`: a pod's packet to a ClusterIP translated to a backend by its own program (per-packet load balancing);
   * `reject-no-service`: a NodePort without a backend here answered ICMP port unreachable.
   */
  decision: 'to-endpoint' | 'to-tunnel' | 'to-host' | 'pass' | 'pass-routed' | 'drop-policy' | 'nodeport-dnat' | 'nodeport-snat' | 'rev-nat' | 'reject-no-service' | 'service-dnat';
  endpoint?: string;
}

/** A walk through one iptables table: the rules as `iptables-save` prints them. */
export interface RulePath {
  table: 'nat' | 'filter';
  rules: string[];
  /** The chain of each rule (a listing without `-A CHAIN` on every line, such as `nft list`, needs it to tell equal rules apart). */
  chains?: string[];
  /** The chains in words, for people: `PREROUTING → KUBE-SERVICES → KUBE-SVC-… → KUBE-SEP-…` (and the detours that returned). */
  summary: string;
}

/** Why a packet was refused: the answer the client gets (TCP RST or ICMP port unreachable). */
export type RefusedCode =
  /** Nothing listens on the port. */
  | 'port-closed'
  /** kube-proxy's REJECT for a Service port without endpoints. */
  | 'reject-no-endpoints'
  /** Any other REJECT rule. */
  | 'reject'
  /** Cilium's NodePort has no backend on this node (lb4_local: DROP_NO_SERVICE) and answers ICMP port unreachable (service-no-backend-response: reject, the agent's default). */
  | 'no-service-reject';

/** Why a packet was dropped. */
export type DroppedCode =
  /** No route to the destination (or, encapsulated, to the remote VTEP). */
  | 'no-route'
  /** Socket-LB (Cilium's kube-proxy replacement) found no backend for the Service: connect() fails before any packet. */
  | 'no-backends'
  /** The route is a blackhole (Calico's for each block a node holds: an address of it no pod has). */
  | 'blackhole-route'
  /** Nobody answers ARP for the next hop. */
  | 'no-arp-answer'
  /** flannel.1 has no neighbour entry for the remote VTEP. */
  | 'no-neighbour-entry'
  /** flannel.1 has no FDB entry saying which node holds the VTEP. */
  | 'no-fdb-entry'
  /** No VXLAN device for the VNI on the node the outer packet reaches. */
  | 'no-vxlan-device'
  /** No bridge (or switch) port leads to the destination MAC. */
  | 'no-port-for-mac'
  /** The bridge would send the frame back out its ingress port, and hairpin mode is off. */
  | 'hairpin-off'
  /** The frame is addressed to another MAC than the device's. */
  | 'not-for-this-mac'
  /** A pod (net.ipv4.ip_forward=0) got a packet for an address it does not hold. */
  | 'ip-forward-off'
  /** The TTL reached 0 on a forward. */
  | 'ttl-exceeded'
  /** A packet arrived from outside with one of the receiving netns's own addresses as its source. */
  | 'martian-source'
  /** The walk went round more hops than a routed path can have: a podpath bug, said as one. */
  | 'hop-limit'
  /** The reply comes from another address or port than the client's socket is connected to. */
  | 'reply-from-wrong-source'
  /** A route names a device the netns does not have (a podpath bug, said as one). */
  | 'no-such-device'
  /** A device of a kind nothing is sent out of. */
  | 'cannot-transmit'
  /** kube-proxy (nftables mode) drops a packet to an address of the Service range that is no Service's ClusterIP. */
  | 'unallocated-cluster-ip'
  /** Bigger than the MTU of the device it must leave by, with Don't Fragment set, where it was made: send() fails (EMSGSIZE). */
  | 'message-too-long'
  /** Bigger than the MTU of the device a router must forward it out of, with Don't Fragment set: dropped, ICMP "fragmentation needed" sent back. */
  | 'frag-needed'
  /** kube-proxy drops it: a Local traffic policy, and no endpoint of the Service on this node. */
  | 'no-local-endpoints'
  /** A NetworkPolicy isolates an end and none of its rules allows the packet: the CNI's policy engine drops it (felix's end of tier, Cilium's DROP_POLICY). */
  | 'network-policy-denied'
  /** Any other filter rule that drops. */
  | 'dropped-by-rule';

/**
 * Why a walk ended, as a code: one of these, 'answer-unsent' (a refusal whose answer has no
 * route back to the client), or 'to-default-gateway' (it left the cluster by the node
 * network's router: verdict left-cluster).
 */
export type WalkCode = 'delivered' | RefusedCode | DroppedCode | 'answer-unsent' | 'to-default-gateway';

export interface Trace {
  verdict: Verdict;
  /** The path crosses what this machine's kernel cannot build (Calico's IPIP): modelled, not kernel-checked. */
  modelled?: 'ipip-not-in-kernel';
  /** Why, in words (code never decides on it: see `code`). */
  reason: string;
  /** How the request's walk ended. */
  code: WalkCode;
  /** How the reply's walk ended, when the request was delivered and a reply was walked. */
  replyCode?: WalkCode;
  /** The request's size in bytes (IP total length, Don't Fragment set), when the trace was asked for one. */
  size?: number;
  /** The MTU that stopped it (code message-too-long or frag-needed): the device's, as ICMP "fragmentation needed" carries it. */
  mtu?: number;
  /** The pod that answers, as `namespace/name` (absent when no pod answers). */
  endpoint?: string;
  /** Every pod a Service could pick (the destination pod alone for a direct trace). */
  candidates: string[];
  /** Who picks among them, where several: kube-proxy's rules, the CNI's socket-LB, or the eBPF program on the walk that load-balanced. */
  pickedBy?: string;
  hops: Hop[];
  /** The way back, where conntrack undoes the NAT. Empty unless delivered. */
  reply: Hop[];
  /** What the kernels remember after these packets: neighbours, bridge FDB entries, conntrack entries. */
  learned: Learned;
  /** What the cluster's NetworkPolicies say of this connection, when the cluster has any. */
  policy?: TracePolicy;
  /**
   * Every netfilter chain the request was walked through on a node, with the rules that
   * matched in order (jumps, marks, returns, the verdict), as `iptables-save` prints them:
   * the rules whose packet counters this connection moves (trace/counters.ts). The nat
   * table sees a connection's first packet only: the reply is conntrack's, and only its
   * tunnel's outer packets (new flows) walk the nat chains (`outer`).
   */
  chainWalks?: ChainWalkRecord[];
}

/** One chain walk of a connection's packet: where, which table and built-in chain, and the rules that matched. */
export interface ChainWalkRecord {
  netns: string;
  table: 'nat' | 'filter';
  chain: string;
  rules: string[];
  /** A tunnel's outer packet (VXLAN), not the connection's own: a new flow to conntrack wherever it goes. */
  outer?: true;
}

/** A connection's NetworkPolicy verdict, and who carries it out. */
export interface TracePolicy {
  /** The CNI's policy engine: felix's iptables chains, Cilium's eBPF programs, or none (flannel). */
  enforcer: 'felix' | 'cilium-ebpf' | 'none';
  /** Whether the policies allow the connection (Kubernetes' semantics, both ends). */
  allowed: boolean;
  /** Each end's verdict in words: egress at the source pod, ingress at the destination pod. */
  egress?: string;
  ingress?: string;
  /** The direction that denies it, with the pod it protects and the policies that isolate that pod (`ns/name`). */
  denied?: { direction: 'Ingress' | 'Egress'; pod: string; policies: string[] };
  /** The CNI enforces nothing and the policies deny: delivered, but an enforcing CNI would have dropped it. */
  wouldHaveDropped?: boolean;
  /** The CNI's own exception that let it through where the policies alone would not (felix: a node to its own pods). */
  exempt?: string;
}

/** How sure a neighbour entry is, as `ip neigh` prints it just after the packets. */
export type NeighbourState = 'REACHABLE' | 'STALE' | 'DELAY';

/** A neighbour (ARP) entry a netns learned from the packets. */
export interface LearnedNeighbour {
  netns: string;
  dev: string;
  ip: string;
  mac: string;
  /**
   * REACHABLE: it asked and got an ARP answer; STALE: it only heard the other's
   * ARP request; DELAY: it heard the request, then sent to that address (the kernel
   * waits a few seconds for a confirmation before it asks again).
   */
  state: NeighbourState;
}

/** A MAC a bridge learned behind one of its ports from a frame that came in by it. */
export interface LearnedFdbEntry {
  netns: string;
  bridge: string;
  port: string;
  mac: string;
}

/** A connection's addresses in one direction. */
export interface ConnTuple {
  src: string;
  dst: string;
  sport: number;
  dport: number;
}

/**
 * A conntrack entry in one netns: `orig` is the first packet as it came into the
 * netns, `reply` what an answer looks like as it comes in (the NAT done here,
 * reversed). Only netns whose netfilter runs conntrack have entries (a node, with
 * kube-proxy's nat table loaded; not a pod, which loads no rules).
 */
export interface ConntrackFlow {
  netns: string;
  proto: 'tcp' | 'udp';
  orig: ConnTuple;
  reply: ConnTuple;
  /** A packet of the reply direction passed this netns. */
  seenReply: boolean;
}

export interface Learned {
  neighbours: LearnedNeighbour[];
  fdb: LearnedFdbEntry[];
  conntrack: ConntrackFlow[];
}

/** Where a packet starts. */
export type TraceSource =
  | { kind: 'pod'; namespace: string; name: string }
  | { kind: 'deployment'; namespace: string; name: string }
  | { kind: 'node'; name: string }
  | { kind: 'external' };

/** Where a packet is sent to. */
export type TraceDestination =
  | { kind: 'pod'; namespace: string; name: string; port: number }
  | { kind: 'service'; namespace: string; name: string; port: number }
  | { kind: 'node'; name: string; port: number }
  | { kind: 'ip'; ip: string; port: number };

/** The sizes a trace takes (TraceRequest.size): the smallest IP + UDP packet, to the largest IP packet. */
export const TRACE_SIZE_MIN = 28;
export const TRACE_SIZE_MAX = 65535;

export interface TraceRequest {
  from: TraceSource;
  to: TraceDestination;
  proto: 'tcp' | 'udp';
  /**
   * UDP only: the IP packet's total length in bytes (20 of IP header, 8 of UDP, the
   * rest payload), sent with Don't Fragment set, as a UDP socket with IP_PMTUDISC_DO
   * sends it. Absent: small enough for any device. (TCP sizes its segments to the
   * path itself: its MSS comes from the MTU at each end.)
   */
  size?: number;
}
