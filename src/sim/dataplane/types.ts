// What Linux would hold for a compiled cluster: network namespaces with their
// devices, addresses, routes, neighbours, FDB entries and iptables tables.
import type { ServicePort, ServiceSpec } from '../model.ts';

export interface InterfaceAddress {
  ip: string;
  prefixLength: number;
}

export type DeviceKind = 'loopback' | 'ethernet' | 'veth' | 'bridge' | 'vxlan' | 'ipip';

export interface Device {
  name: string;
  kind: DeviceKind;
  mac: string;
  mtu: number;
  addresses: InterfaceAddress[];
  /** The bridge this device is enslaved to (host-side veth → cni0). */
  master?: string;
  /** The other end of the wire: a veth's peer, or a node eth0's port on the node network. */
  peer?: { netns: string; device: string };
  /**
   * net.ipv4.conf.DEV.arp_ignore=1: answer ARP only for an address on this very
   * device (Linux's default 0 answers for any address the host holds).
   */
  arpIgnore?: boolean;
  /**
   * net.ipv4.conf.DEV.proxy_arp=1: answer ARP for an address this netns routes out of
   * another device (Calico's host end of a pod veth answers for 169.254.1.1).
   */
  proxyArp?: boolean;
  /** net.ipv4.conf.DEV.route_localnet=1 on this device itself (Calico's CNI plugin sets it on each cali device). */
  routeLocalnet?: boolean;
  /**
   * VXLAN parameters (flannel.1: VNI 1, UDP 8472, local = node IP, over eth0). `external`:
   * collect-metadata mode (`ip link add … type vxlan external`, Cilium's cilium_vxlan): no
   * VNI or remote of its own, an eBPF program gives each packet's (bpf_skb_set_tunnel_key).
   */
  vxlan?: { vni: number; dstport: number; local: string; dev: string; external?: boolean };
  /** The device has NOARP set (Cilium's cilium_host and cilium_net): no ARP; a frame sent out of it is addressed to its own MAC. */
  noarp?: boolean;
  /** eBPF programs attached at tc on this device (Cilium's), by direction. */
  tc?: { ingress?: TcProgram; egress?: TcProgram };
}

/** An eBPF program at a device's tc hook (clsact): what it is called in its object file. */
export interface TcProgram {
  /** The program's section name: cil_from_container, cil_from_host, cil_from_overlay. */
  name: string;
  /** The object file it is built from (bpf_lxc.c, bpf_host.c, bpf_overlay.c). */
  source: string;
}

export interface Route {
  /** `default` or a CIDR such as `10.244.1.0/24`. */
  dst: string;
  via?: string;
  /** A blackhole route has no device (the kernel holds it on lo): `dev` is 'lo'. */
  dev: string;
  /** `blackhole`: packets to it are dropped (Calico's route for each block the node holds). */
  type?: 'blackhole';
  /** Who wrote it, as `ip route` prints it: the kernel, BIRD, or felix (its protocol number 80). */
  proto?: 'kernel' | 'bird' | '80';
  scope?: 'link' | 'host';
  src?: string;
  onlink?: boolean;
  /** The device has no carrier (a bridge without ports): `ip route` flags the route `linkdown`. */
  linkdown?: boolean;
  /** The route's own MTU (`mtu 1450`: Cilium's routes in tunnel mode), below the device's. */
  mtu?: number;
  /** BGP's next hop where BIRD resolved it recursively to `via` (a node on another rack, reached through the router). */
  bgpNextHop?: string;
}

export interface Neighbour {
  ip: string;
  dev: string;
  mac: string;
  /** Who wrote it, for people (felix's static ARP entry for a pod); `ip neigh` does not print it. */
  by?: string;
}

/** A bridge or VXLAN forwarding entry: this MAC is behind that port (or, for VXLAN, that remote VTEP). */
export interface FdbEntry {
  mac: string;
  dev: string;
  /** VXLAN: the remote node IP the inner frame is sent to. */
  dst?: string;
  /** The bridge the port belongs to. */
  master?: string;
}

export interface MarkMatch {
  value: number;
  mask: number;
  negate: boolean;
}

/**
 * A route the CNI would write toward another node's podCIDR via that node's address,
 * which is not on-link (racks): who refuses it — the kernel (flanneld asks, and netlink
 * says the gateway is unreachable) or Cilium's agent, which never asks (createDirectRouteSpec).
 */
export interface NotOnLink {
  dst: string;
  via: string;
  remote: string;
  by: string;
  refusedBy: 'kernel' | 'cilium-agent';
}

/** An ipset a rule matches: hash:ip (addresses) or hash:net (felix's: addresses and networks). */
export interface IpSetMatch {
  name: string;
  members: string[];
  type?: 'hash:ip' | 'hash:net';
  negate?: boolean;
}

export interface RuleMatch {
  src?: string;
  notSrc?: string;
  dst?: string;
  notDst?: string;
  /** `-p`: SCTP only in a NetworkPolicy's rules (podpath's packets are TCP or UDP, so such a rule never matches one). */
  proto?: 'tcp' | 'udp' | 'sctp';
  dport?: number;
  /** `-m multiport --dports 80,81:90` with ranges (felix's policy rules; kube-proxy's `dports` above have none). */
  dportSpans?: { from: number; to: number }[];
  /** `-i NAME` (a trailing `+` matches every name that starts so): arriving by such a device. */
  inInterface?: string;
  /** `-m conntrack --ctstate RELATED,ESTABLISHED`: a packet of a connection already seen (never a first packet). */
  ctstateEstablished?: boolean;
  /** `-m conntrack --ctstate INVALID`: a packet conntrack cannot place (never one podpath sends). */
  ctstateInvalid?: boolean;
  /** `-m set [!] --match-set NAME src`: the source is (not) in an ipset of addresses or networks (felix's selector sets). */
  srcSet?: IpSetMatch;
  /** `-m set --match-set NAME dst,dst`: the destination address and port are in a hash:ip,port set (felix's named-port sets). */
  dstIpPortSet?: { name: string; members: { ip: string; proto: 'tcp' | 'udp' | 'sctp'; port: number }[] };
  /** `-m multiport --dports A,B` (portmap). */
  dports?: number[];
  /** `-m addrtype --dst-type LOCAL`: the destination is one of this netns' own addresses. */
  dstTypeLocal?: boolean;
  /** `-m addrtype --src-type LOCAL`: the source is one of this netns' own addresses (the node sent it). */
  srcTypeLocal?: boolean;
  mark?: MarkMatch;
  /** `-m conntrack --ctstate NEW`: only the first packet of a connection. */
  ctstateNew?: boolean;
  /** `-m conntrack --ctstate DNAT`: the connection's destination was rewritten (in this netns). */
  ctstateDnat?: boolean;
  /** `-m tcp`/`-m udp` with no port (kube-proxy's DNAT rules carry it). */
  protoModule?: boolean;
  /** `-m statistic --mode random --probability P`. */
  probability?: number;
  /**
   * nftables `numgen random mod N vmap { … }`, as the element it picks: this rule is
   * element `value` of `mod` (one random draw picks one element; see trace/netfilter.ts).
   */
  numgen?: { mod: number; value: number };
  /**
   * nftables `ip daddr @nodeport-ips`: the destination is the node's primary address
   * (kube-proxy's `--nodeport-addresses primary`, its default in nftables mode).
   */
  dstNodePortAddress?: boolean;
  /** `-m set --match-set NAME dst`: the destination is one of an ipset's addresses (Cilium's cilium_node_set_v4: the nodes). */
  dstSet?: IpSetMatch;
  /** `-o NAME`: leaving by this device. */
  outInterface?: string;
  /** `-m addrtype ! --src-type LOCAL --limit-iface-out`: the source is no address of the device the packet leaves by. */
  notSrcLocalToOut?: boolean;
  /** `! -o NAME` (a trailing `+` matches every name that starts so): not leaving by such a device. */
  notOutInterface?: string;
  comment?: string;
  /** iptables-save prints the comment before the other matches (felix writes its comment first). */
  commentFirst?: boolean;
}

export type RuleTarget =
  | { kind: 'jump'; chain: string }
  /** Go to a chain and do not come back here: at its end, return to whoever jumped here (iptables -g, nft goto). */
  | { kind: 'goto'; chain: string }
  | { kind: 'dnat'; to: string }
  | { kind: 'masquerade'; randomFully?: boolean }
  /** `-j SNAT --to-source ADDR`: the source rewritten to a fixed address (Cilium's rules toward cilium_host). */
  | { kind: 'snat'; to: string }
  | { kind: 'mark'; setXmark: string }
  | { kind: 'return' }
  | { kind: 'accept' }
  | { kind: 'reject' }
  | { kind: 'drop' };

/**
 * What a rule is, set where it is compiled, for code that acts on it (its comment is
 * for people reading iptables-save).
 */
export type RuleMeaning =
  /** felix's "End of tier default. Drop if no policies passed packet": a NetworkPolicy isolates the pod and none allowed the packet. */
  | 'network-policy-denied'
  /** Not a rule: an nftables base chain entered from its netfilter hook (nftables mode has no iptables built-in chain jumping to it). */
  | 'nft-base-chain'
  /** kube-proxy's REJECT for a Service port that has no endpoints. */
  | 'service-without-endpoints'
  /** kube-proxy's DROP of a ClusterIP whose internalTrafficPolicy Local finds no endpoint on this node. */
  | 'service-without-local-endpoints'
  /** kube-proxy's DROP of a NodePort whose externalTrafficPolicy Local finds no endpoint on this node. */
  | 'nodeport-without-local-endpoints'
  /** kube-proxy's jump to this node's endpoints only, for a ClusterIP with internalTrafficPolicy Local. */
  | 'internal-traffic-local'
  /** kube-proxy's jump to this node's endpoints only, with no masquerade mark, for a NodePort with externalTrafficPolicy Local. */
  | 'external-traffic-local'
  /** The CNI's own masquerade rules (flanneld's --ip-masq chain), not kube-proxy's. */
  | 'cni-masquerade'
  /** kube-proxy's (nftables mode) drop of a packet to an address of the Service range that is no Service's ClusterIP. */
  | 'unallocated-cluster-ip';

export interface Rule {
  chain: string;
  match: RuleMatch;
  target: RuleTarget;
  /** The rule as `iptables-save` prints it, from `-A` on. */
  text: string;
  meaning?: RuleMeaning;
  /**
   * For kube-proxy's rule that picks an endpoint (a jump to KUBE-SEP-…, a numgen vmap
   * element): the endpoint it leads to (a pod's namespace/name, or ip:port), so a trace
   * knows which endpoints the chain it went through could have picked.
   */
  endpointKey?: string;
  /** For kube-proxy's REJECT of a port without endpoints: that Service port, so a hop can say why it has none. */
  servicePort?: { service: ServiceSpec; port: ServicePort };
  /**
   * How this rule reached its verdict when it was a lookup, for the path in words:
   * an nft verdict map (`service-ips map`) or `numgen random mod 2 vmap`.
   */
  lookup?: string;
}

export interface Table {
  readonly name: 'nat' | 'filter';
  /** Built-in chains with their policy, then user chains, in iptables-save order. */
  readonly chains: { name: string; policy?: 'ACCEPT' | 'DROP' }[];
  /** Every rule, chain after chain as iptables-save prints them. */
  readonly rules: Rule[];
  /** One chain's rules in order, without materialising the whole table (large clusters). */
  rulesOf?(chain: string): Rule[];
  /**
   * The rules of a chain that a packet to `dst:dport` can match, in order: every rule
   * left out has a `-d` or `--dport` that packet cannot match, so a walk of these
   * ends as a walk of the whole chain would (kube-proxy's KUBE-SERVICES has a rule
   * per Service port: 10,000 Services, and a trace needs the one it goes to).
   */
  rulesFor?(chain: string, packet: { dst: string; dport: number }): Rule[];
}

export type NetnsKind = 'node' | 'pod' | 'external' | 'switch' | 'router';

export interface Listener {
  port: number;
  protocol: 'TCP' | 'UDP';
  /** Why podpath takes it that something listens here though no container declares the port (absent: a container declares it). */
  assumed?: ListenerAssumption;
  /** Bound to 127.0.0.1 (a host process's --bind-address, a probe of the loopback): only a packet to the loopback reaches it. */
  loopbackOnly?: boolean;
}

/**
 * A port podpath takes to be open without a declaration: containerPort is
 * informational in Kubernetes (a process may listen on any port), so a pod is taken
 * to listen on the target ports of the Services that select it; and a node on the
 * address:port a file's Endpoints give for a Service without a selector (the API
 * server, a hostNetwork process podpath does not draw).
 */
export type ListenerAssumption =
  | { because: 'service-target-port'; service: string }
  /** A liveness, readiness or startup probe of the pod connects to this port: the kubelet expects an answer there. */
  | { because: 'probe' }
  | { because: 'given-endpoint'; service: string }
  /** A dump says a process on the node's own network uses this port (the kubelet, a hostNetwork pod). */
  | { because: 'host-process'; what: string; byDefault?: boolean };

export interface Netns {
  /** A node's name, a pod's `namespace/name`, `external`, `node-network` (a switch) or `router` (racks). */
  name: string;
  /** A switch: the node network it carries. */
  subnet?: string;
  /** Routes the CNI would write toward other nodes but the kernel refuses (racks: a gateway not on-link). */
  notOnLink?: NotOnLink[];
  kind: NetnsKind;
  /** The node this netns lives on (pods), or is (nodes). */
  node?: string;
  devices: Device[];
  routes: Route[];
  neighbours: Neighbour[];
  fdb: FdbEntry[];
  nat: Table;
  filter: Table;
  /** Sockets listening here (a pod's declared container ports). */
  listeners: Listener[];
  /**
   * The node network is a VPC: the fabric, not a plain switch, knows which
   * node's ENI holds each pod's secondary address, and answers ARP for it with that
   * node's MAC. Nodes themselves hold no route for other nodes' pods.
   */
  vpcFabric?: { nodeHolding(ip: string): string | undefined };
}
