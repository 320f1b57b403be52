// The packet walk: one packet through the compiled dataplane, the way the kernel
// moves it. In each netns:
//   a socket sends → route lookup (source address) → nat OUTPUT → filter OUTPUT
//   → nat POSTROUTING → out a device, to the MAC that ARP (or a permanent
//   neighbour entry) gives for the next hop;
//   a frame arrives on a device → a bridge port: the bridge looks the destination
//   MAC up in its FDB (flooding when it has no entry) and either carries the frame
//   to another port or, when it is the bridge's own MAC, hands it up to the IP
//   stack → conntrack / nat PREROUTING → routing decision → local: filter INPUT →
//   a socket, or forward (TTL - 1): filter FORWARD → nat POSTROUTING → out a device.
// br_netfilter (bridge-nf-call-iptables=1) runs the nat hooks on frames inside the
// bridge: when PREROUTING's DNAT (or conntrack undoing a masquerade) gives a
// destination behind the same bridge, the kernel bridges the frame across instead of
// routing it ("bridged DNAT", br_nf_pre_routing_finish): no TTL decrement, and back
// out the port it came in on only with hairpin mode. conntrack remembers every NAT
// so the reply can be translated back.
import type { Dataplane } from '../dataplane/compile.ts';
import { NODE_NETWORK, SWITCH_BRIDGE, nodeNetworkRouter } from '../dataplane/compile.ts';
import { routeText, tcLine } from '../dataplane/show.ts';
import type { Device, ListenerAssumption, Netns, Route, Rule, TcProgram } from '../dataplane/types.ts';
import type { Scenario, ServicePort, ServiceSpec } from '../model.ts';
import { objectKey } from '../model.ts';
import { cniOf, EBPF_MODELLED, type EbpfVerdict, type EbpfView } from '../cni/index.ts';
import { EBPF_POLICY_MODELLED, ebpfViewOf, tcVerdict } from '../cni/ebpfPrograms.ts';
import { endpointKey, endpointsOf, onNode } from '../dataplane/endpoints.ts';
import { whyNoEndpoints } from '../dataplane/whyNoEndpoints.ts';
import { block, blockContains, ipNumber } from '../ipam/addresses.ts';
import { describePath, laterNatChainSkipped, localPolicySaid, numgenChance, walkChain, type ChainWalk, type NfPacket, type StatisticChoice } from './netfilter.ts';
import { fnv1a } from '../util/hash.ts';
import { containerDownText, servedByDownContainer } from '../scenario/probes.ts';
import { cniMasqueradeUnseen, nodeGatewayAssumed } from '../scenario/leftOut.ts';
import { KernelMemory } from './learned.ts';
import { hostPort } from './address.ts';
import type { ChainWalkRecord, DroppedCode, EthernetHeader, Hop, HopAction, HopClaims, OuterHeader, RefusedCode, RulePath } from './types.ts';
import { IPIP_MODELLED } from '../cni/calico.ts';
import { felixMeaning } from '../cni/calicoPolicy.ts';
// The table builders the first view does not load (felix's chains, kube-proxy's nftables table).
import '../dataplane/tables.ts';
import { decide, policyEndOf, verdictSaid, type PolicyDecision } from '../policy/evaluate.ts';

export interface WalkPacket extends NfPacket {
  outer?: OuterHeader;
  /**
   * The IP packet's total length in bytes (header and payload), with Don't Fragment
   * set: a UDP socket with IP_PMTUDISC_DO. Undefined: small enough for any device.
   */
  size?: number;
  /** IP TTL; a socket sends with 64 (net.ipv4.ip_default_ttl). */
  ttl?: number;
}

/** A NAT conntrack remembers: the tuple as it arrived and as it left this netns. */
interface ConntrackEntry {
  netns: string;
  before: { src: string; sport: number; dst: string; dport: number };
  after: { src: string; sport: number; dst: string; dport: number };
  proto: 'tcp' | 'udp';
  /** An eBPF program's own NAT (Cilium's conntrack and NAT maps): netfilter's conntrack knows nothing of it, only that program turns its reply back. */
  byEbpf?: true;
  /** Per-packet load balancing to a Service (bpf_lxc): its reply is turned back where it is delivered to the client pod, not by NodePort's code. */
  perPacketLb?: true;
}

/** How a walk ended: the kind is the verdict; the code says why (the reason says it in words). */
export type WalkEnd =
  | { kind: 'delivered'; code: 'delivered'; netns: string; reason: string }
  | { kind: 'refused'; code: RefusedCode; netns: string; reason: string }
  | { kind: 'dropped'; code: DroppedCode; netns: string; reason: string; mtu?: number }
  /** Out by the node network's router to an address outside the cluster, which podpath does not model. */
  | { kind: 'left-cluster'; code: 'to-default-gateway'; netns: string; reason: string }
  /** A refusal whose answer has no route back to the client: the client only times out. */
  | { kind: 'dropped'; code: 'answer-unsent'; refused: RefusedCode; netns: string; reason: string };

/** Per-node kernel settings a walk follows; the kernel differential switches each off to test the hops that credit it. */
export interface BridgeSettings {
  /** Hairpin mode on every bridge port (the bridge plugin's `hairpinMode: true`, as flannel's CNI config sets it). */
  hairpinMode: boolean;
  /** `net.bridge.bridge-nf-call-iptables` (kubeadm requires 1). */
  bridgeNfCallIptables: boolean;
  /** The CNI's eBPF programs at tc are attached (Cilium's); false: detached, the kernel alone moves the packet. Absent: attached. */
  tcPrograms?: boolean;
}
export const NODE_DEFAULTS: BridgeSettings = { hairpinMode: true, bridgeNfCallIptables: true };

/** What the client's socket is connected to: a reply from anywhere else is not for it. */
export interface ReplyExpectation {
  src: string;
  sport: number;
}

/**
 * A routed loop ends where the kernel ends it, when the TTL runs out (64 forwards,
 * a dozen hops each at most); this bound only stops a loop that no router is part
 * of, which would be a podpath bug.
 */
const MAX_HOPS = 1000;
const DEFAULT_TTL = 64;

/** The kernel's FIB lookup: of the routes whose destination holds the address, the longest prefix wins. */
export function longestPrefixMatch(routes: Route[], ip: string): Route | undefined {
  const addr = ipNumber(ip);
  let best: Route | undefined;
  let bestLen = -1;
  for (const r of routes) {
    if (r.dst === 'default') {
      if (bestLen < 0) {
        best = r;
        bestLen = 0;
      }
      continue;
    }
    const b = block(r.dst);
    if (b.prefixLength > bestLen && blockContains(b, addr)) {
      best = r;
      bestLen = b.prefixLength;
    }
  }
  return best;
}


/** Who answered ARP (or the neighbour table) for a next hop: the MAC the frame is sent to. */
interface Resolved {
  mac: string;
  /** How it was found, for the hop's sentence. */
  how: string;
}

/** The rules a chain walk ran, as a hop carries them (the table named, for the terminal). */
const pathOf = (table: RulePath['table'], path: Rule[]): RulePath => ({ table, rules: path.map((r) => r.text), chains: path.map((r) => r.chain), summary: describePath(path) });

export class PacketWalk {
  readonly hops: Hop[] = [];
  /** Every chain walk of the request, with the rules that matched: what `iptables-save -c` counts (trace.chainWalks). */
  readonly chainWalks: ChainWalkRecord[] = [];
  /** Still in the netns that made the packet (nothing has forwarded it yet): a packet too big fails there at send(). */
  private originating = true;
  /** The netns whose socket (or stack) made the packet: a node's own packets are the host's to Cilium (CILIUM_OUTPUT's mark). */
  private madeIn?: string;
  /** The endpoints kube-proxy's chain could pick from where the request was DNATed (undefined: it was not). */
  pickedFrom?: string[];
  /** Where socket-LB connected the client's socket (the backend), when it rewrote the connect: the reply comes from there. */
  connectedTo?: { src: string; sport: number };
  private view?: EbpfView;
  private readonly conntrack: ConntrackEntry[];
  /** The Ethernet header of the frame on a wire now; undefined while the packet is in an IP stack. */
  private frame?: EthernetHeader;

  constructor(
    private readonly dp: Dataplane,
    readonly packet: WalkPacket,
    private readonly choose: StatisticChoice,
    conntrack: ConntrackEntry[] = [],
    /** A reply: conntrack translates it back and the nat chains are not consulted. */
    private readonly isReply = false,
    private readonly settings: BridgeSettings = NODE_DEFAULTS,
    /** For a reply: the address and port the client's socket is connected to. */
    private readonly expect?: ReplyExpectation,
    /** Neighbours, FDB and conntrack entries learned on the way (shared by a request and its reply). */
    readonly memory: KernelMemory = new KernelMemory(),
  ) {
    this.conntrack = conntrack;
    packet.ttl ??= DEFAULT_TTL;
  }

  /** netfilter's walk of one chain, kept for the rule counters (a reply's walks are not: the nat table never sees one). */
  private walkChain(ns: Netns, table: 'nat' | 'filter', chain: string, p: NfPacket, outer = false): ChainWalk {
    const w = walkChain(ns, table === 'nat' ? ns.nat : ns.filter, chain, p, this.choose);
    if ((outer || !this.isReply) && w.path.length) this.chainWalks.push({ netns: ns.name, table, chain, rules: w.path.map((r) => r.text), ...(outer ? { outer: true as const } : {}) });
    return w;
  }

  /**
   * A tunnel's outer UDP packet through a node's nat chains: the VXLAN driver sends it as
   * the node's own (ip_local_out: OUTPUT, then POSTROUTING), and the remote node takes it
   * in through PREROUTING. Its 5-tuple is new to conntrack (the way back hashes to another
   * source port), so the nat table sees it, on a reply's way as much as on a request's;
   * the kernel differential counts these rules. No rule of podpath's tables rewrites a
   * node-to-node packet, so only the counters move. Where it is sent, the outer packet is
   * the inner one's skb, mark and all (the VXLAN driver does not clear skb->mark): a
   * packet felix masqueraded into vxlan.calico before KUBE-POSTROUTING could clear
   * kube-proxy's 0x4000 sends its outer packet through KUBE-POSTROUTING marked. Where it
   * arrives, it is a new skb, unmarked.
   */
  private outerNat(ns: Netns, chain: 'OUTPUT' | 'POSTROUTING' | 'PREROUTING', outer: { src: string; dst: string; sport: number; dport: number }, dev: string): void {
    if (ns.kind !== 'node') return;
    const mark = chain === 'PREROUTING' ? 0 : this.packet.mark;
    const p: NfPacket = { ...outer, proto: 'udp', mark, ...(chain === 'PREROUTING' ? { inDev: dev } : chain === 'POSTROUTING' ? { outDev: dev } : {}) };
    this.walkChain(ns, 'nat', chain, p, true);
  }

  get connections(): ConntrackEntry[] {
    return this.conntrack;
  }

  private ns(name: string): Netns {
    const ns = this.dp.netns(name);
    // Every netns a walk reaches was named by a compiled device or route: a miss is a bug, said as one.
    if (!ns) throw new Error(`podpath bug: the walk reached network namespace ${name}, which was not compiled`);
    return ns;
  }

  private hop(ns: Netns, device: string, action: HopAction, why: string, matched?: string, claims?: HopClaims, rulePath?: RulePath): Hop {
    const p = this.packet;
    const outer = p.outer ? { ...p.outer, ...(p.outer.innerEth ? { innerEth: { ...p.outer.innerEth } } : {}) } : undefined;
    const h: Hop = {
      node: ns.kind === 'node' ? ns.name : (ns.node ?? ''),
      netns: ns.name,
      device,
      action,
      why,
      ...(matched ? { matched } : {}),
      packet: { src: hostPort(p.src, p.sport), dst: hostPort(p.dst, p.dport), proto: p.proto, ttl: p.ttl!, ...(outer ? { outer } : {}), ...(this.frame ? { eth: { ...this.frame } } : {}) },
      ...(rulePath ? { rulePath } : {}),
      ...(claims ? { claims } : {}),
    };
    this.hops.push(h);
    return h;
  }

  private isLocalAddress(ns: Netns, ip: string): Device | undefined {
    return ns.devices.find((d) => d.addresses.some((a) => a.ip === ip));
  }

  private device(ns: Netns, name: string): Device | undefined {
    return ns.devices.find((d) => d.name === name);
  }

  /** The packet starts at a socket in this netns. */
  send(nsName: string): WalkEnd {
    const ns = this.ns(nsName);
    const p = this.packet;
    this.madeIn = nsName;
    // Socket-LB (the CNI's cgroup connect4 program) picks a backend inside connect(), before
    // the source address is chosen and before any packet exists.
    const lb = this.isReply ? undefined : this.socketLbPick(ns);
    const target = lb?.backend ?? p.dst;
    const local = this.isLocalAddress(ns, target);
    let route = local ? undefined : longestPrefixMatch(ns.routes, target);
    // Source address selection: a local destination is reached through the local
    // table (`local X dev D scope host src X`), so the source is X itself; otherwise
    // the route's `src`, or the outgoing device's first address.
    if (!p.src) p.src = local ? target : (route?.src ?? this.sourceAddressFor(ns, route) ?? '0.0.0.0');
    this.hop(ns, route?.dev ?? 'lo', 'send', this.isReply ? `the socket answers from ${hostPort(p.src, p.sport)} (TTL ${p.ttl})` : `a socket in ${describeNetns(ns)} connects to ${hostPort(p.dst, p.dport)}/${p.proto.toUpperCase()} (TTL ${p.ttl})`);
    if (lb) {
      if (lb.backend === undefined) return this.drop(ns, 'lo', lb.code ?? 'no-backends', lb.said);
      p.dst = lb.backend;
      p.dport = lb.port!;
      this.connectedTo = { src: lb.backend, sport: lb.port! };
      this.hop(ns, route?.dev ?? 'lo', 'ebpf', lb.said);
    }
    if (!local && !route) {
      // The model's outside client has only the node network's route (as the lab builds it); a real one has a default route, so say what would differ.
      // A ClusterIP is no pod address: say which range it is, and what reaches a Service from outside.
      const cluster = this.dp.scenario.cluster;
      const toService = blockContains(block(cluster.serviceCIDR), ipNumber(p.dst));
      const toPods = !toService && blockContains(block(cniOf(cluster).clusterPodRange(cluster)), ipNumber(p.dst));
      const use = toService ? "; a ClusterIP exists only in the nodes' kube-proxy rules: from outside, a NodePort or a LoadBalancer reaches a Service" : '';
      const range = toService ? 'the Service range' : 'the pod range';
      // An address of neither range is somewhere beyond the node network, which the model does not hold.
      const outside =
        ns.kind !== 'external'
          ? ''
          : toService || toPods
            ? `: in this model the external client knows only the node network; a real outside host would hand the packet to its default router, which has no route to ${range} either, so it would be lost there (the connect times out) or refused with an ICMP error${use}`
            : `: in this model the external client knows only the node network, and ${p.dst} is no address of the cluster (neither the pod nor the Service range); a real outside host would hand it to its default router, and what lies beyond is not modelled`;
      return this.drop(ns, 'eth0', 'no-route', `no route to ${p.dst} in ${describeNetns(ns)} (connect fails: Network is unreachable)${outside}`);
    }

    if (route?.type === 'blackhole') return this.blackholed(ns, 'lo', route);
    this.conntrackIn(ns);
    // nat OUTPUT: kube-proxy and portmap see locally generated packets here.
    if (!this.isReply && ns.kind === 'node') {
      const before = this.tuple();
      const nat = this.walkChain(ns, 'nat', 'OUTPUT', p);
      if (nat.verdict.kind === 'dnat') {
        this.applyDnat(ns, route?.dev ?? 'lo', nat.verdict.ip, nat.verdict.port, nat.path, 'OUTPUT');
        this.remember(ns, before);
        route = this.isLocalAddress(ns, p.dst) ? undefined : longestPrefixMatch(ns.routes, p.dst);
        if (!this.isLocalAddress(ns, p.dst) && !route) return this.drop(ns, 'lo', 'no-route', `no route to ${p.dst} after DNAT`);
      }
      const filter = this.walkChain(ns, 'filter', 'OUTPUT', p);
      if (filter.verdict.kind === 'reject') return this.reject(ns, 'lo', filter.verdict.rule, filter.path);
      if (filter.verdict.kind === 'drop') return this.dropByRule(ns, 'lo', filter.verdict.rule, filter.path, true);
    } else if (this.isReply) {
      this.undoSnat(ns, route?.dev ?? 'lo', 'OUTPUT');
    }
    // Over lo, back into this netns's own input path: filter INPUT still applies
    // (kube-proxy's KUBE-EXTERNAL-SERVICES rejects a NodePort with no endpoints here).
    // On its way out to lo the packet passes POSTROUTING like any other (ip_output), where
    // conntrack confirms it; coming back in, the nat table is not asked again (the
    // connection's NAT is already set up at both ends).
    if (this.isLocalAddress(ns, p.dst)) {
      if (!this.isReply && ns.kind === 'node') this.natPostrouting(ns, 'lo');
      return this.localInput(ns, 'lo');
    }
    // A 127.0.0.1 source may leave lo for another device only with route_localnet=1
    // (kube-proxy sets it for its localhost NodePorts); otherwise the kernel refuses the route.
    const localnet = p.src.startsWith('127.') && route!.dev !== 'lo';
    // The out device's own route_localnet=1 (Calico's CNI plugin sets it on each cali device) allows it as well.
    const ownLocalnet = localnet && this.device(ns, route!.dev)?.routeLocalnet === true;
    const why = `route lookup for ${p.dst}: ${describeRoute(route!)}${this.notOnLinkSaid(ns, route!)}${ownLocalnet ? ` (a 127.0.0.1 source may leave lo: ${route!.dev} has route_localnet=1 of its own, set by the CNI plugin, besides kube-proxy's net.ipv4.conf.all.route_localnet=1)` : localnet ? ' (a 127.0.0.1 source may leave lo only because kube-proxy sets net.ipv4.conf.all.route_localnet=1)' : ''}`;
    const routed = this.hop(ns, route!.dev, 'route', why + this.gatewayAssumed(route!), routeText(route!), localnet && !ownLocalnet ? { routeLocalnet: true } : undefined);
    this.markGatewayAssumed(routed, route!);
    return this.postrouting(ns, route!);
  }

  private sourceAddressFor(ns: Netns, route: Route | undefined): string | undefined {
    // A blackhole route has no source to give: connect() fails before any packet.
    if (route?.type === 'blackhole') return undefined;
    const dev = ns.devices.find((d) => d.name === route?.dev);
    return dev?.addresses[0]?.ip ?? (dev ? this.anyAddress(ns) : undefined);
  }

  /**
   * inet_select_addr for a device with no address of its own (Calico's cali veths): the
   * first address, in device order, of another device that is not host-scoped (not lo's
   * 127.0.0.1): a node's eth0. The kernel picks it for the node's own packets, its ARP
   * requests and MASQUERADE out of such a device.
   */
  private anyAddress(ns: Netns): string | undefined {
    return ns.devices.find((d) => d.kind !== 'loopback' && d.addresses.length > 0)?.addresses[0].ip;
  }

  private tuple() {
    const p = this.packet;
    return { src: p.src, sport: p.sport, dst: p.dst, dport: p.dport };
  }

  private remember(ns: Netns, before: ConntrackEntry['before']): void {
    const existing = this.conntrack.find((c) => c.netns === ns.name && c.after.src === before.src && c.after.dst === before.dst && c.after.sport === before.sport && c.after.dport === before.dport);
    if (existing) existing.after = this.tuple();
    else this.conntrack.push({ netns: ns.name, before, after: this.tuple(), proto: this.packet.proto });
  }

  /** conntrack runs where netfilter has rules loaded: a node (kube-proxy's nat table), not a pod. */
  private conntrackIn(ns: Netns): void {
    if (ns.kind === 'node') this.memory.conntrackIn(ns.name, this.packet.proto, this.tuple(), this.isReply);
  }

  private conntrackConfirm(ns: Netns): void {
    if (ns.kind === 'node') this.memory.conntrackConfirm(ns.name, this.tuple());
  }

  private applyDnat(ns: Netns, device: string, ip: string, port: number, path: Rule[], hook: string): void {
    const from = hostPort(this.packet.dst, this.packet.dport);
    this.packet.dst = ip;
    this.packet.dport = port;
    this.packet.dnatted = true;
    // The rule that marked it (kube-proxy's KUBE-MARK-MASQ / mark-for-masquerade, portmap's CNI-HOSTPORT-SETMARK): its chain says which decided.
    const marker = path.find((r) => r.target.kind === 'jump' && (r.target.chain === 'KUBE-MARK-MASQ' || r.target.chain === 'CNI-HOSTPORT-SETMARK' || r.target.chain === 'mark-for-masquerade'));
    const masq = marker !== undefined;
    const dnatRule = path[path.length - 1];
    // The endpoints the chain that picked could have picked: what a Local traffic policy narrows.
    const pick = path.find((r) => r.endpointKey !== undefined);
    if (pick && !this.isReply && this.pickedFrom === undefined) {
      const rules = ns.nat.rulesOf ? ns.nat.rulesOf(pick.chain) : ns.nat.rules.filter((r) => r.chain === pick.chain);
      this.pickedFrom = [...new Set(rules.map((r) => r.endpointKey).filter((k): k is string => k !== undefined))];
    }
    this.hop(
      ns,
      device,
      'dnat',
      `nat ${hook}: ${describePath(path)} rewrites the destination ${from} → ${hostPort(ip, port)}${this.endpointChance(ns, path) || numgenChance(path)}${localPolicySaid(ns, path, masq, this.packet.src)}${marker ? '; the packet is marked for masquerade' : ''}; conntrack records the translation${laterNatChainSkipped(ns.nat, path)}`,
      dnatRule.text,
      undefined,
      pathOf('nat', path),
    );
  }

  /**
   * kube-proxy's endpoint choice, said truthfully: rule i of n in KUBE-SVC-… fires with
   * --probability 1/(n-i) only when the rules before it missed; every endpoint's
   * overall chance is 1/n.
   */
  private endpointChance(ns: Netns, path: Rule[]): string {
    const pick = path.find((r) => r.target.kind === 'jump' && r.target.chain.startsWith('KUBE-SEP-'));
    if (!pick) return '';
    const rules = ns.nat.rulesOf ? ns.nat.rulesOf(pick.chain) : ns.nat.rules.filter((r) => r.chain === pick.chain);
    const endpoints = rules.filter((r) => r.target.kind === 'jump' && r.target.chain.startsWith('KUBE-SEP-'));
    const n = endpoints.length;
    if (n < 2) return ` (the only endpoint of ${pick.chain})`;
    const i = endpoints.indexOf(pick) + 1;
    const missed = i === 1 ? '' : ` when the ${i === 2 ? 'rule' : `${i - 1} rules`} before it missed`;
    const rule = pick.match.probability !== undefined
      ? `its rule ${i} of ${n} fires with --probability ${pick.match.probability.toFixed(5)}${missed}`
      : `its last rule (${i} of ${n}) has no --probability: it takes whatever the rules before it missed`;
    return ` (${pick.chain}: ${rule}; so each of its ${n} endpoints is picked with overall chance 1/${n})`;
  }

  /** nat POSTROUTING (masquerade; for a reply, conntrack restores the source a DNAT changed), then out of the chosen device. */
  private postrouting(ns: Netns, route: Route): WalkEnd {
    this.natPostrouting(ns, route.dev);
    return this.transmit(ns, route);
  }

  /**
   * nat POSTROUTING for a packet leaving by `outDev` (a routed packet, or under
   * br_netfilter a bridged frame, whose out device is the bridge). Returns the hops it added.
   */
  private natPostrouting(ns: Netns, outDev: string): Hop[] {
    const p = this.packet;
    const start = this.hops.length;
    if (this.isReply) {
      this.undoDnat(ns, outDev, 'POSTROUTING');
    } else if (ns.kind === 'node') {
      const before = this.tuple();
      // POSTROUTING knows the out device (-o matches).
      p.outDev = outDev;
      const nat = this.walkChain(ns, 'nat', 'POSTROUTING', p);
      p.outDev = undefined;
      if (nat.verdict.kind === 'masquerade') {
        const out = this.device(ns, outDev);
        const addr = out?.addresses[0]?.ip ?? (out ? this.anyAddress(ns) : undefined);
        if (addr) {
          const from = p.src;
          p.src = addr;
          this.remember(ns, before);
          const snat = this.hop(
            ns,
            outDev,
            'snat',
            `nat POSTROUTING: ${describePath(nat.path)} ${nat.path.some((r) => requiresMark(r) || r.target.kind === 'mark') ? 'MASQUERADEs the marked packet' : `MASQUERADEs the packet${[nat.verdict.rule.match.src, nat.verdict.rule.match.notSrc, nat.verdict.rule.match.dst, nat.verdict.rule.match.notDst].some(Boolean) ? ', matched by its addresses (no mark)' : ' (the rule matches no mark)'}`}: source ${from} → ${addr}, ${out?.addresses.length ? `the address of ${outDev}` : `an address of ${ns.name}'s own (${outDev} has none, so the kernel takes the first of another device)`}${from === addr ? ' (already its source: conntrack still records the NAT)' : ''}${nat.verdict.rule.target.kind === 'masquerade' && nat.verdict.rule.target.randomFully ? ' (fully random, iptables\' --random-fully or nft\'s fully-random: the kernel also picks a random source port; podpath keeps the one shown)' : ''}${laterNatChainSkipped(ns.nat, nat.path)}${nat.verdict.rule.meaning === 'cni-masquerade' && cniMasqueradeUnseen.has(this.dp.scenario) ? `; assumed: ${nat.verdict.rule.chain} is the model's masquerade rule (flanneld's), and the input shows no flanneld, so whether the cluster masquerades this packet depends on its own rules, which are not modelled` : ''}`,
            nat.verdict.rule.text,
            undefined,
            pathOf('nat', nat.path),
          );
          if (nat.verdict.rule.meaning === 'cni-masquerade' && cniMasqueradeUnseen.has(this.dp.scenario)) snat.assumed = { because: 'model-masquerade', chain: nat.verdict.rule.chain };
        }
      } else if (nat.verdict.kind === 'snat') {
        const from = p.src;
        p.src = nat.verdict.ip;
        this.remember(ns, before);
        this.hop(ns, outDev, 'snat', `nat POSTROUTING: ${describePath(nat.path)} SNATs the packet to a fixed address: source ${from} → ${nat.verdict.ip}${from === nat.verdict.ip ? ' (already its source: conntrack still records the NAT)' : ''}${laterNatChainSkipped(ns.nat, nat.path)}`, nat.verdict.rule.text, undefined, pathOf('nat', nat.path));
      }
    }
    // The last hook: conntrack confirms the entry (a packet dropped before this leaves none).
    this.conntrackConfirm(ns);
    return this.hops.slice(start);
  }

  /** Out of a device: where does the frame go next? */
  private transmit(ns: Netns, route: Route, skipTc = false): WalkEnd {
    const dev = this.device(ns, route.dev);
    if (!dev) return this.drop(ns, route.dev, 'no-such-device', `podpath bug: route ${routeText(route)} names a device ${route.dev} that ${ns.name} does not have`);
    // A packet this netns made is checked against the MTU as it is sent (a forwarded one in ipInput, as ip_forward() does).
    const size = this.packet.size;
    if (size !== undefined && !this.isReply && this.originating && size > pathMtu(dev, route)) return this.tooBig(ns, dev, size, route);
    // An eBPF program at the device's tc egress (Cilium's cil_from_host on cilium_host) sees the packet before it leaves.
    if (dev.tc?.egress && this.tcOn && !skipTc) return this.tcProgram(ns, dev, dev.tc.egress, route);
    const nextHop = route.via ?? this.packet.dst;
    switch (dev.kind) {
      case 'bridge': {
        // Sent by the node itself (or routed by it) out of the bridge device: the frame
        // enters the bridge from its own local port, so it can go to any port.
        const resolved = this.resolve(ns, dev, nextHop);
        if (!resolved) return this.noArpAnswer(ns, dev, nextHop);
        this.frame = { src: dev.mac, dst: resolved.mac };
        return this.bridgeForward(ns, dev, resolved.mac, undefined, resolved.how);
      }
      case 'vxlan':
        return this.encapsulate(ns, dev, nextHop);
      case 'ipip':
        return this.encapsulateIpip(ns, dev, nextHop);
      case 'veth':
      case 'ethernet':
        return this.wire(ns, dev, nextHop);
      default:
        return this.drop(ns, dev.name, 'cannot-transmit', `cannot send out ${dev.name}`);
    }
  }

  private describe(nsName: string): string {
    const ns = this.dp.netns(nsName);
    return ns ? describeNetns(ns) : nsName;
  }

  /**
   * The Ethernet segment a device sends onto: a bridge's own ports and the bridge
   * itself, or, for a veth or eth0, whatever is at the other end of its wire (a bridge
   * port there means the whole bridge's segment).
   */
  /**
   * A Cilium program's load balancing (lb4_local): a backend picked at random (the walk's
   * choice, as for kube-proxy's statistic rules), the packet DNATed to it; the backend and
   * the tuple as it was.
   */
  private ebpfPickBackend<B extends { pod: string; ip: string; port: number }>(backends: readonly B[]): { b: B; before: ReturnType<PacketWalk['tuple']> } {
    const b = backends[this.pickBackend(backends.length)];
    this.pickedFrom = backends.map((x) => x.pod);
    const before = this.tuple();
    this.packet.dst = b.ip;
    this.packet.dport = b.port;
    return { b, before };
  }

  private segmentOf(ns: Netns, dev: Device): { bridgeNs: Netns; bridge: Device } | { peerNs: Netns; peer: Device } | undefined {
    if (dev.kind === 'bridge') return { bridgeNs: ns, bridge: dev };
    if (!dev.peer) return undefined;
    const peerNs = this.ns(dev.peer.netns);
    const peer = this.device(peerNs, dev.peer.device);
    if (!peer) return undefined;
    if (peer.master) {
      const bridge = this.device(peerNs, peer.master);
      return bridge ? { bridgeNs: peerNs, bridge } : undefined;
    }
    return { peerNs, peer };
  }

  /**
   * Resolve a next hop to a MAC: a permanent neighbour entry if the device has one,
   * else ARP, a broadcast on the device's segment that only the hosts on it hear.
   * A host answers for any of its own addresses on the interface that heard the
   * request (arp_ignore=0), unless that interface has arp_ignore=1 set (then only
   * for its own address).
   */
  private resolve(ns: Netns, dev: Device, ip: string): Resolved | undefined {
    // NOARP (Cilium's cilium_host): no ARP at all; the kernel addresses the frame to the device's own MAC.
    if (dev.noarp) return { mac: dev.mac, how: `${dev.name} is NOARP: no ARP for ${ip}, the frame is addressed to ${dev.name}'s own MAC ${dev.mac}` };
    const neigh = ns.neighbours.find((n) => n.ip === ip && n.dev === dev.name);
    if (neigh) return { mac: neigh.mac, how: `neighbour ${ip} lladdr ${neigh.mac} (permanent${neigh.by ? `: ${neigh.by}` : ''})` };
    // Learned on the way (the request's ARP taught both ends): no new ARP.
    const known = this.memory.neighbour(ns.name, dev.name, ip);
    if (known) {
      const heard = known.state === 'STALE';
      this.memory.used(known);
      return { mac: known.mac, how: `neighbour ${ip} lladdr ${known.mac} (${heard ? `learned from ${ip}'s own ARP request: no ARP needed` : 'resolved by ARP just before'})` };
    }
    const found = this.arp(ns, dev, ip);
    if (found) {
      const asker = { netns: ns.name, dev: dev.name, ip: this.arpSenderAddress(ns, dev, ip), mac: dev.mac };
      // The answerer learns the asker's address, unless a permanent entry holds it (the kernel never replaces one).
      const held = found.answerer && this.ns(found.answerer.netns).neighbours.some((n) => n.ip === asker.ip && n.dev === found.answerer!.dev);
      this.memory.arp(asker, { ip, mac: found.mac }, held ? undefined : found.answerer);
      const seg = this.segmentOf(ns, dev);
      if (seg && 'bridge' in seg) {
        // The request and the answer crossed the bridge: it learns each sender behind the port it came in by.
        const portTo = (netns: string) => seg.bridgeNs.devices.find((d) => d.master === seg.bridge.name && d.peer?.netns === netns)?.name;
        const askPort = seg.bridgeNs === ns ? undefined : portTo(ns.name);
        if (askPort) this.memory.fdb(seg.bridgeNs.name, seg.bridge.name, askPort, dev.mac);
        const answerPort = found.answerer && found.answerer.netns !== seg.bridgeNs.name ? portTo(found.answerer.netns) : undefined;
        if (answerPort) this.memory.fdb(seg.bridgeNs.name, seg.bridge.name, answerPort, found.mac);
      }
    }
    return found;
  }

  /**
   * The sender address of an ARP request (arp_announce=0): the packet's source if
   * this netns holds it, else the device's own address.
   */
  private arpSenderAddress(ns: Netns, dev: Device, target: string): string {
    if (this.isLocalAddress(ns, this.packet.src)) return this.packet.src;
    return this.sourceAddressFor(ns, longestPrefixMatch(ns.routes, target)) ?? dev.addresses[0]?.ip ?? this.packet.src;
  }

  /** Who answers an ARP request for `ip` sent out of `dev` (and on which of its devices it heard it). */
  private arp(ns: Netns, dev: Device, ip: string): (Resolved & { answerer?: { netns: string; dev: string } }) | undefined {
    const seg = this.segmentOf(ns, dev);
    if (!seg) return undefined;
    const answers = (memberNs: Netns, heard: Device): boolean => {
      const holder = this.isLocalAddress(memberNs, ip);
      if (!holder || (memberNs === ns && heard === dev)) return false;
      return !heard.arpIgnore || holder === heard;
    };
    if ('peer' in seg) {
      // An eBPF program at the far end's tc ingress (Cilium's cil_from_container) answers every ARP request itself: the far netns never sees it.
      const program = seg.peer.tc?.ingress;
      if (program && this.tcOn && ns.kind === 'pod' && !this.isLocalAddress(ns, ip)) {
        return { mac: seg.peer.mac, how: `ARP: ${program.name} at ${seg.peer.name}'s tc ingress answers that ${ip} is at ${seg.peer.mac}, ${seg.peer.name}'s own MAC (Cilium's ARP responder; ${describeNetns(seg.peerNs)}'s kernel never sees the request) — ${EBPF_MODELLED}` };
      }
      if (answers(seg.peerNs, seg.peer)) return { mac: seg.peer.mac, how: `ARP: ${ip} is at ${seg.peer.mac} (${seg.peer.name} in ${describeNetns(seg.peerNs)})`, answerer: { netns: seg.peerNs.name, dev: seg.peer.name } };
      return this.proxyArp(seg.peerNs, seg.peer, ip);
    }
    const { bridgeNs, bridge } = seg;
    if (answers(bridgeNs, bridge)) return { mac: bridge.mac, how: `ARP: ${ip} is at ${bridge.mac} (${bridge.name} of ${describeNetns(bridgeNs)})`, answerer: { netns: bridgeNs.name, dev: bridge.name } };
    // The hosts behind the bridge's ports: the address index names the only candidate,
    // which answers only if it really sits on this segment.
    const owner = this.dp.ownerOf(ip);
    const holder = bridgeNs.vpcFabric?.nodeHolding(ip);
    if (holder && owner?.netns !== holder) {
      // A VPC: the fabric answers for a secondary address with the MAC of the ENI (the node's eth0) that holds it.
      const eth0 = this.device(this.ns(holder), 'eth0');
      if (eth0) return { mac: eth0.mac, how: `ARP: the VPC fabric answers that ${ip} is at ${eth0.mac}, eth0 of node ${holder}, whose ENI holds ${ip} as a secondary address` };
    }
    if (!owner) return undefined;
    const port = bridgeNs.devices.find((d) => d.master === bridge.name && d.peer?.netns === owner.netns);
    if (!port) return undefined;
    const memberNs = this.ns(owner.netns);
    const heard = this.device(memberNs, port.peer!.device);
    if (!heard || !answers(memberNs, heard)) return undefined;
    return { mac: heard.mac, how: `ARP: ${ip} is at ${heard.mac} (${heard.name} of ${describeNetns(memberNs)})`, answerer: { netns: memberNs.name, dev: heard.name } };
  }

  private noArpAnswer(ns: Netns, dev: Device, nextHop: string): WalkEnd {
    if (nextHop === nodeNetworkRouter(this.dp.scenario) && dev.kind === 'ethernet') {
      this.hop(ns, dev.name, 'transmit', `out ${dev.name}: ARP asks who has ${nextHop}, the default gateway`);
      const given = givenEndpointService(this.dp.scenario, this.packet.dst, this.packet.dport);
      const beyond = given ? `; ${hostPort(this.packet.dst, this.packet.dport)} is the endpoint the input's EndpointSlices give for Service ${given}` : '';
      const assumed = nodeGatewayAssumed.has(this.dp.scenario) ? ' (an address podpath assumes: the file does not show the nodes\' gateway)' : '';
      const reason = `the route sends it to the default gateway ${nextHop}${assumed}, the node network's router, and the packet leaves the cluster: nothing in the cluster has ${this.packet.dst}${beyond}; what is beyond the router is not modelled, so podpath cannot say whether it is delivered, refused or dropped there`;
      const router = this.ns(NODE_NETWORK);
      this.hop(router, SWITCH_BRIDGE, 'leave', reason);
      return { kind: 'left-cluster', code: 'to-default-gateway', netns: router.name, reason };
    }
    const seg = this.segmentOf(ns, dev);
    if (seg && 'bridge' in seg && seg.bridgeNs.kind === 'node') {
      // Nobody answers on a node's bridge: the sender never puts the packet on the wire.
      const noPort = !seg.bridgeNs.devices.some((d) => d.master === seg.bridge.name) ? ` (it has no port left: DOWN, its route linkdown)` : '';
      return this.drop(ns, dev.name, 'no-arp-answer', `nothing on ${seg.bridge.name}${noPort} answers ARP for ${nextHop}: no pod on ${seg.bridgeNs.name} has that address, so ${describeNetns(ns)} never sends the packet; ${this.arpFailure(ns)}`);
    }
    const where = dev.kind === 'ethernet' ? 'no host on the node network' : `nothing at the other end of ${dev.name}`;
    return this.drop(ns, dev.name, 'no-arp-answer', `${where} answers ARP for ${nextHop}: the packet is never sent`);
  }

  /**
   * What the client notices when ARP for the next hop fails: where it sent the packet
   * itself, its own connect; where a node forwarding it gave up, that node's ICMP host
   * unreachable (which a UDP socket only hears with IP_RECVERR).
   */
  private arpFailure(at: Netns): string {
    const tcp = this.packet.proto === 'tcp';
    if (this.hops[0]?.netns === at.name) return tcp ? 'its connect fails: No route to host' : 'the UDP send succeeds, and nothing ever comes back';
    return tcp ? `${at.name} answers the sender with ICMP host unreachable, and the connect fails: No route to host` : `${at.name} answers the sender with ICMP host unreachable, which a UDP socket ignores (unless it asked for IP_RECVERR): nothing comes back`;
  }

  /** A veth or eth0: the frame goes to whatever MAC ARP gave, over the wire to the peer device. */
  private wire(ns: Netns, dev: Device, nextHop: string): WalkEnd {
    const resolved = this.resolve(ns, dev, nextHop);
    if (!resolved) return this.noArpAnswer(ns, dev, nextHop);
    this.frame = { src: dev.mac, dst: resolved.mac };
    const peer = dev.peer!;
    const peerNs = this.ns(peer.netns);
    if (peerNs.kind === 'switch') {
      this.hop(ns, dev.name, 'transmit', `${resolved.how}; out ${dev.name} onto the node network ${peerNs.subnet ?? this.dp.scenario.cluster.nodeNetwork}`);
      const landed = this.switchForward(peerNs, peer.device, resolved.mac);
      if ('kind' in landed) return landed;
      return this.receive(landed.netns, landed.device, resolved.mac);
    }
    this.hop(ns, dev.name, 'transmit', `${resolved.how}; out ${dev.name}, a veth pair: the frame appears on ${peer.device} in ${describeNetns(peerNs)}`);
    return this.receive(peer.netns, peer.device, resolved.mac);
  }

  /**
   * The node-network switch (a plain bridge, no netfilter): its FDB names the port
   * behind which the destination MAC is; with no entry it floods every other port.
   * Returns where the frame lands.
   */
  private switchForward(sw: Netns, inPort: string, mac: string): { netns: string; device: string } | WalkEnd {
    const out = this.fdbLookup(sw, SWITCH_BRIDGE, mac);
    if (out.port === undefined || out.port.name === inPort) {
      return this.drop(sw, SWITCH_BRIDGE, 'no-port-for-mac', `no port of ${describeNetns(sw)} leads to ${mac}`);
    }
    const network = describeNetns(sw);
    // A cloud VPC routes in its SDN (to the ENI holding the address), it is no learning switch: podpath models it as one L2 segment, and says so.
    if (sw.vpcFabric) {
      this.hop(sw, SWITCH_BRIDGE, 'bridge', `${network} delivers the frame to ${this.describe(out.port.peer!.netns)}, the holder of MAC ${mac} (modelled as one L2 segment: a real VPC routes it in its software-defined network by the address each ENI holds, with no switch learning MACs)`, out.entry);
      return { netns: out.port.peer!.netns, device: out.port.peer!.device };
    }
    this.hop(sw, SWITCH_BRIDGE, 'bridge', out.entry ? `${network} forwards the frame by its FDB: ${mac} is behind ${out.port.name} (${this.describe(out.port.peer!.netns)})` : `${network} has no FDB entry for ${mac}: it floods the frame out of every other port, and only ${this.describe(out.port.peer!.netns)} takes it`, out.entry);
    return { netns: out.port.peer!.netns, device: out.port.peer!.device };
  }

  /** The bridge's forwarding table: the port behind which a MAC was learned; with no entry, the port whose far end has that MAC (found by flooding). */
  private fdbLookup(ns: Netns, bridge: string, mac: string): { port?: Device; entry?: string } {
    const entry = ns.fdb.find((f) => f.master === bridge && f.mac === mac);
    if (entry) return { port: this.device(ns, entry.dev), entry: `${entry.mac} dev ${entry.dev} master ${bridge}` };
    const port = ns.devices.find((d) => d.master === bridge && d.peer && this.dp.netns(d.peer.netns)?.devices.find((x) => x.name === d.peer!.device)?.mac === mac);
    return { port };
  }

  /**
   * A bridge (cni0) carries a frame to the port its FDB names for the destination MAC
   * (flooding when it has no entry). `inPort` is the port the frame came in by, or
   * undefined when the node itself sent it out of the bridge device.
   */
  private bridgeForward(ns: Netns, bridge: Device, mac: string, inPort: string | undefined, how?: string, brNetfilter = false): WalkEnd {
    const out = this.fdbLookup(ns, bridge.name, mac);
    const port = out.port;
    const whose = port?.peer ? this.describe(port.peer.netns) : undefined;
    if (!port || !port.peer) return this.drop(ns, bridge.name, 'no-port-for-mac', `no port of ${bridge.name} leads to ${mac}: the frame is flooded and nobody takes it`);
    const back = port.name === inPort;
    if (back && !this.settings.hairpinMode) {
      this.hop(ns, bridge.name, 'bridge', `${bridge.name}: ${mac} is behind ${port.name}, the port the frame came in on`, out.entry);
      return this.drop(ns, bridge.name, 'hairpin-off', `${bridge.name} never sends a frame back out the port it came in on (${port.name}) unless hairpin mode is on for that port, and it is off: the frame is dropped`);
    }
    const lead = how ? `${how}; ` : '';
    // A flood leaves by every port the frame may use: the one it came in on too, where hairpin mode is on.
    const floodsBack = inPort === undefined || this.settings.hairpinMode;
    const found = out.entry ? `${bridge.name} forwards the frame by its FDB: ${mac} is behind ${port.name}` : `${bridge.name} has no FDB entry for ${mac}: it floods the frame out of every port${floodsBack ? '' : ' but the one it came in on'}, and only ${whose} takes it (behind ${port.name})`;
    const hairpin = back ? ` — back out the port it came in on, which hairpin mode on ${port.name} allows` : '';
    this.hop(ns, bridge.name, 'bridge', `${lead}${found}${hairpin}`, out.entry, back ? { hairpin: { bridge: bridge.name, port: port.name } } : undefined);
    if (brNetfilter) {
      // br_forward: the port is chosen (and hairpin checked) first; then br_netfilter
      // runs filter FORWARD and nat POSTROUTING on the frame, the bridge being its out device.
      if (!this.isReply) {
        const filter = this.walkChain(ns, 'filter', 'FORWARD', this.packet);
        if (filter.verdict.kind === 'reject') return this.reject(ns, bridge.name, filter.verdict.rule, filter.path);
        if (filter.verdict.kind === 'drop') return this.dropByRule(ns, bridge.name, filter.verdict.rule, filter.path);
      }
      this.creditBrNetfilter(this.natPostrouting(ns, bridge.name), 'POSTROUTING');
    }
    this.hop(ns, port.name, 'transmit', `out ${port.name}, the host end of ${whose}'s veth pair`);
    return this.receive(port.peer.netns, port.peer.device, mac);
  }

  /** flannel.1: neighbour gives the remote VTEP MAC, FDB gives the remote node; wrap in UDP 8472. */
  private encapsulate(ns: Netns, dev: Device, nextHop: string): WalkEnd {
    const neigh = ns.neighbours.find((n) => n.ip === nextHop && n.dev === dev.name);
    if (!neigh) return this.drop(ns, dev.name, 'no-neighbour-entry', `no neighbour entry for ${nextHop} on ${dev.name}: flannel has not programmed this VTEP, and ${dev.name}'s own ARP request goes nowhere (no FDB entry for the broadcast address, so VXLAN drops it)`);
    const fdb = ns.fdb.find((f) => f.mac === neigh.mac && f.dev === dev.name);
    if (!fdb?.dst) return this.drop(ns, dev.name, 'no-fdb-entry', `no FDB entry for ${neigh.mac} on ${dev.name}: the kernel does not know which node holds that VTEP`);
    const vx = dev.vxlan!;
    const innerEth = { src: dev.mac, dst: neigh.mac };
    const p = this.packet;
    const sport = vxlanSourcePort(`${p.proto} ${p.src}:${p.sport} ${p.dst}:${p.dport}`);
    this.packet.outer = { src: vx.local, dst: fdb.dst, proto: 'udp', sport, dport: vx.dstport, vni: vx.vni, innerEth };
    this.hop(
      ns,
      dev.name,
      'encapsulate',
      `${dev.name} wraps the frame in VXLAN (VNI ${vx.vni}): neighbour ${nextHop} is MAC ${neigh.mac}, whose FDB entry says VTEP ${fdb.dst}; outer UDP ${vx.local} → ${fdb.dst}:${vx.dstport}`,
      // As `bridge fdb show dev flannel.1` prints it (the device named in the command is left out of the line).
      `${fdb.mac} dst ${fdb.dst} self permanent`,
    );
    const arrived = this.sendOuter(ns, dev, { src: vx.local, dst: fdb.dst, sport, dport: vx.dstport });
    if (!('arrived' in arrived)) return arrived;
    const remote = arrived.arrived;
    const remoteVtep = remote.devices.find((d) => d.kind === 'vxlan' && d.vxlan?.vni === vx.vni);
    if (!remoteVtep) return this.drop(remote, 'eth0', 'no-vxlan-device', `nothing listens on UDP ${vx.dstport} for VNI ${vx.vni} on ${remote.name}`);
    this.packet.outer = undefined;
    // What comes out of the tunnel is the inner frame, addressed to this VTEP's MAC.
    this.frame = innerEth;
    this.hop(remote, remoteVtep.name, 'decapsulate', `${remoteVtep.name} strips the outer headers (VNI ${vx.vni}); the inner packet, TTL untouched by the tunnel, enters the IP stack of ${remote.name}`);
    return this.ipInput(remote, remoteVtep.name);
  }

  /**
   * A VXLAN packet's outer UDP packet, from this node to a remote one over the node
   * network: route lookup, ARP, the switch. Returns the node it arrived at (on the VXLAN
   * socket of `dev`'s port), or how it ended on the way.
   */
  private sendOuter(ns: Netns, dev: Device, outer: { src: string; dst: string; sport: number; dport: number }): { arrived: Netns } | WalkEnd {
    const outerRoute = longestPrefixMatch(ns.routes, outer.dst);
    if (!outerRoute) return this.drop(ns, dev.name, 'no-route', `no route to the remote VTEP ${outer.dst}`);
    const out = this.device(ns, outerRoute.dev)!;
    this.hop(ns, out.name, 'route', `the outer packet's route lookup for ${outer.dst}: ${describeRoute(outerRoute)}`, routeText(outerRoute));
    const resolved = out.peer ? this.resolve(ns, out, outerRoute.via ?? outer.dst) : undefined;
    if (!resolved) return this.drop(this.ns(NODE_NETWORK), SWITCH_BRIDGE, 'no-arp-answer', `no node answers ARP for the VTEP ${outer.dst}`);
    this.frame = { src: out.mac, dst: resolved.mac };
    // The outer packet is the node's own: it went through OUTPUT and POSTROUTING, so conntrack
    // holds it as a UDP flow of its own (never answered: the way back hashes to another port).
    this.outerNat(ns, 'OUTPUT', outer, out.name);
    this.outerNat(ns, 'POSTROUTING', outer, out.name);
    this.memory.conntrackFlow(ns.name, 'udp', outer);
    this.hop(ns, out.name, 'transmit', `${resolved.how}; ${this.passingTc(out, 'egress', '; ')}out ${out.name} onto the node network, encapsulated (${outer.src} → ${outer.dst} UDP ${outer.dport})`);
    const landed = this.outerAcrossRouter(this.switchForward(this.ns(out.peer!.netns), out.peer!.device, resolved.mac), outer.dst);
    if ('kind' in landed) return landed;
    const remote = this.ns(landed.netns);
    // A packet that reaches another host carries none of this one's marks.
    this.packet.mark = 0;
    this.packet.dnatted = undefined;
    const landedOn = this.device(remote, landed.device);
    const tcIn = landedOn ? this.passingTc(landedOn, 'ingress') : '';
    this.hop(remote, landed.device, 'receive', `the outer packet arrives on ${landed.device} of ${describeNetns(remote)}${tcIn && ` (${tcIn})`}, UDP port ${outer.dport}: the VXLAN socket of ${dev.name}`);
    // It reaches that socket through PREROUTING and INPUT: conntrack there holds the flow too.
    this.outerNat(remote, 'PREROUTING', outer, landed.device);
    if (remote.kind === 'node') this.memory.conntrackFlow(remote.name, 'udp', outer);
    return { arrived: remote };
  }

  /**
   * Racks: the default route took a packet whose destination the CNI would have routed
   * via a node on another rack, had the kernel let it (a gateway not on-link).
   */
  private notOnLinkSaid(ns: Netns, route: Route): string {
    if (route.dst !== 'default' || !ns.notOnLink) return '';
    const dst = ipNumber(this.packet.dst);
    const n = ns.notOnLink.find((x) => blockContains(block(x.dst), dst));
    if (!n) return '';
    const refused =
      n.refusedBy === 'cilium-agent'
        ? "so Cilium's agent does not install that route (createDirectRouteSpec: the route to that address goes through a gateway, and it \"must be directly reachable\"; the agent logs the error, or skips the node quietly with direct-routing-skip-unreachable)"
        : 'so the kernel refuses that route';
    return ` (there is no route for ${n.dst}: ${n.by} would route it \`via ${n.via} dev eth0\`, but ${n.via}, node ${n.remote}'s address, is on another rack's network, not on-link here, ${refused}; the packet takes the default route to the router instead)`;
  }

  /**
   * Racks: the router knows only the node networks. A pod or Service address is routed by
   * the nodes (no CNI here announces pod ranges to it): it is lost there; any other
   * address is beyond the router, which podpath does not model.
   */
  private routerHasNoRoute(ns: Netns, device: string): WalkEnd {
    const p = this.packet;
    const c = this.dp.scenario.cluster;
    const dst = ipNumber(p.dst);
    const inPods = blockContains(block(cniOf(c).clusterPodRange(c)), dst);
    const inServices = blockContains(block(c.serviceCIDR), dst);
    if (!inPods && !inServices) {
      const reason = `the router joining the node networks has no route to ${p.dst}, which is no address of the cluster: the packet leaves the cluster there; what is beyond the router is not modelled`;
      this.hop(ns, device, 'leave', reason);
      return { kind: 'left-cluster', code: 'to-default-gateway', netns: ns.name, reason };
    }
    const what = inPods ? 'the pod range' : 'the Service range';
    // Its ICMP error goes back only where it has a route: to a node's address (conntrack there turns it back to a NATed client), never to a pod's.
    const back = longestPrefixMatch(ns.routes, p.src);
    const heard = p.proto === 'tcp' ? 'the connect fails with Network is unreachable' : 'a UDP socket hears it only with IP_RECVERR';
    const answer = back ? `it answers ${p.src} with ICMP net unreachable (via ${back.dev}), and ${heard}` : `it cannot even answer: it has no route back to ${p.src} either, so its ICMP error is never sent and the client times out`;
    return this.drop(ns, device, 'no-route', `the router joining the node networks has no route to ${p.dst} (${what}): it knows only the node networks, and nothing announces pod ranges to it (a CNI that routes between racks must encapsulate, or peer with the router); ${answer}`);
  }

  /**
   * Racks: an encapsulated packet that landed on the router crosses it to the remote
   * node's network (the outer header's TTL drops; the inner packet's does not).
   */
  private outerAcrossRouter(landed: { netns: string; device: string } | WalkEnd, dst: string): { netns: string; device: string } | WalkEnd {
    if ('kind' in landed || this.ns(landed.netns).kind !== 'router') return landed;
    const router = this.ns(landed.netns);
    const via = longestPrefixMatch(router.routes, dst);
    const port = via && this.device(router, via.dev);
    if (!via || !port) return this.routerHasNoRoute(router, landed.device);
    const next = this.resolve(router, port, dst);
    if (!next) return this.drop(router, port.name, 'no-arp-answer', `no node answers ARP for ${dst} on ${via.dst}`);
    this.hop(router, port.name, 'route', `the router forwards the outer packet to ${dst}: ${describeRoute(via)} (the outer header's TTL drops; the inner packet is untouched); ${next.how}`, routeText(via));
    this.frame = { src: port.mac, dst: next.mac };
    return this.switchForward(this.ns(port.peer!.netns), port.peer!.device, next.mac);
  }

  /**
   * A tc program on a device the walk crosses without a hop of its own (a tunnel's outer
   * packet), which lets the packet through: said in the crossing's sentence.
   */
  private passingTc(dev: Device, direction: 'ingress' | 'egress', then = ''): string {
    const program = dev.tc?.[direction];
    if (!program || !this.tcOn) return '';
    return `${program.name} (${program.source}) at ${dev.name}'s tc ${direction} lets it through (TC_ACT_OK)${then}`;
  }

  /** Whether the CNI's tc programs run on this walk (the differential detaches them to test the hops that credit them). */
  private get tcOn(): boolean {
    return this.settings.tcPrograms !== false && cniOf(this.dp.scenario.cluster).ebpf !== undefined;
  }

  private ebpfView(): EbpfView {
    return (this.view ??= ebpfViewOf(this.dp));
  }

  /**
   * An eBPF program at a device's tc hook decides (Cilium's): to an endpoint on this node
   * (redirected to it, routed: the TTL drops), into the tunnel toward another node, or on
   * into the node's IP stack (at ingress) or out of the device (at egress: `route` given).
   */
  private tcProgram(ns: Netns, dev: Device, program: TcProgram, route?: Route): WalkEnd {
    const direction = route ? 'egress' : 'ingress';
    const line = tcLine(dev.name, program, direction);
    const ebpf = cniOf(this.dp.scenario.cluster).ebpf!;
    const node = this.dp.nodeOf(ns.node ?? ns.name);
    if (!node) return this.drop(ns, dev.name, 'no-route', `podpath bug: ${program.name} on ${dev.name} runs in ${ns.name}, which is no node`);
    const p = this.packet;
    // The reply of a connection an eBPF program NATed on this node (Cilium's NodePort): its conntrack entry.
    const ebpfNat = this.isReply ? this.conntrack.find((e) => e.byEbpf && !e.perPacketLb && e.netns === ns.name && e.proto === p.proto && e.after.dst === p.src && e.after.dport === p.sport && e.after.src === p.dst && e.after.sport === p.dport) : undefined;
    const v: EbpfVerdict = tcVerdict(ebpf, this.ebpfView(), node, program, { src: p.src, dst: p.dst, proto: p.proto, dport: p.dport, reply: this.isReply, fromHost: this.madeIn === ns.name, ...(ebpfNat ? { nodePortOf: { ip: ebpfNat.before.dst, port: ebpfNat.before.dport, ...(ebpfNat.before.src !== ebpfNat.after.src ? { client: { ip: ebpfNat.before.src, port: ebpfNat.before.sport } } : {}) } } : {}) });
    const claims: HopClaims = { ebpf: { program: program.name, device: dev.name } };
    if (v.kind === 'policy-drop') {
      this.hop(ns, dev.name, 'drop', `${v.said} — ${EBPF_POLICY_MODELLED}`, line).ebpf = { program: program.name, decision: 'drop-policy' };
      return { kind: 'dropped', code: 'network-policy-denied', netns: ns.name, reason: v.said };
    }
    if (v.kind === 'pass') {
      if (v.ttl) {
        if (p.ttl! <= 1) return this.drop(ns, dev.name, 'ttl-exceeded', `${v.said}; the packet arrived with TTL ${p.ttl}, so the program drops it (TTL exceeded)`);
        p.ttl = p.ttl! - 1;
      }
      this.hop(ns, dev.name, 'ebpf', `${v.said} — ${EBPF_MODELLED}`, line).ebpf = { program: program.name, decision: v.ttl ? 'pass-routed' : 'pass' };
      return route ? this.transmit(ns, route, true) : this.ipInput(ns, dev.name);
    }
    if (v.kind === 'to-tunnel') return this.ebpfEncapsulate(ns, dev, v, line, claims);
    if (v.kind === 'nodeport') {
      const { b, before } = this.ebpfPickBackend(v.backends);
      if (!b.remote) {
        this.conntrack.push({ netns: ns.name, before, after: this.tuple(), proto: p.proto, byEbpf: true });
        this.hop(ns, dev.name, 'ebpf', `${v.said}: ${v.localSaid}: destination ${hostPort(before.dst, before.dport)} → ${hostPort(b.ip, b.port)} (${b.pod}) — ${EBPF_MODELLED}`, line, claims).ebpf = { program: program.name, decision: 'nodeport-dnat', endpoint: b.pod };
        return this.ipInput(ns, dev.name);
      }
      // A backend on another node (externalTrafficPolicy Cluster): SNAT too, routed by the program, and sent on without the node's stack.
      const remote = { ...b, remote: b.remote };
      p.src = v.snat.addr;
      const said = `${v.said}: ${v.remoteSaid(remote)}: destination ${hostPort(before.dst, before.dport)} → ${hostPort(b.ip, b.port)} (${b.pod}), source ${hostPort(before.src, before.sport)} → ${hostPort(p.src, p.sport)}`;
      if (p.ttl! <= 1) return this.drop(ns, dev.name, 'ttl-exceeded', `${said}; the packet arrived with TTL ${p.ttl}, so the program drops it (TTL exceeded)`);
      p.ttl = p.ttl! - 1;
      this.conntrack.push({ netns: ns.name, before, after: this.tuple(), proto: p.proto, byEbpf: true });
      const decision = { program: program.name, decision: 'nodeport-snat' as const, endpoint: b.pod };
      if (v.snat.tunnel) {
        const tunnelled: Extract<EbpfVerdict, { kind: 'to-tunnel' }> = { kind: 'to-tunnel', node: b.remote.node, nodeIP: b.remote.nodeIP, ...v.snat.tunnel, said };
        return this.ebpfEncapsulate(ns, dev, tunnelled, line, claims, `TTL ${p.ttl}`, decision);
      }
      // fib_redirect: the FIB's route to the backend (autoDirectNodeRoutes' route to its node), out of the node's device.
      const route = longestPrefixMatch(ns.routes, p.dst);
      this.hop(ns, dev.name, 'ebpf', `${said}; fib_redirect sends it out of the device the FIB gives for ${p.dst}, with the neighbour's MAC: ${ns.name}'s IP stack and iptables never see it: TTL ${p.ttl} — ${EBPF_MODELLED}`, line, claims).ebpf = decision;
      if (!route) return this.drop(ns, dev.name, 'no-route', `fib_redirect: the FIB lookup finds no route to ${p.dst} in ${ns.name} (DROP_NO_FIB, "FIB lookup failed")`);
      this.frame = undefined;
      return this.transmit(ns, route);
    }
    if (v.kind === 'service-lb') {
      // The program goes on with the translated packet.
      const { b, before } = this.ebpfPickBackend(v.backends);
      this.conntrack.push({ netns: ns.name, before, after: this.tuple(), proto: p.proto, byEbpf: true, perPacketLb: true });
      this.hop(ns, dev.name, 'ebpf', `${v.said}: destination ${hostPort(before.dst, before.dport)} → ${hostPort(b.ip, b.port)} (${b.pod}) — ${EBPF_MODELLED}`, line, claims).ebpf = { program: program.name, decision: 'service-dnat', endpoint: b.pod };
      return this.tcProgram(ns, dev, program, route);
    }
    if (v.kind === 'no-service') {
      this.hop(ns, dev.name, 'refuse', `${v.said} — ${EBPF_MODELLED}`, line, claims).ebpf = { program: program.name, decision: 'reject-no-service' };
      return this.refused(ns, 'no-service-reject', v.said);
    }
    // Cilium's local and host delivery route the packet (ipv4_l3): the TTL drops, as at a router.
    if (p.ttl! <= 1) return this.drop(ns, dev.name, 'ttl-exceeded', `${v.said}; the packet arrived with TTL ${p.ttl}, so the program drops it (TTL exceeded)`);
    p.ttl = p.ttl! - 1;
    if (v.kind === 'rev-nat') {
      p.src = v.src;
      p.sport = v.sport;
      if (v.dst !== undefined && v.dport !== undefined) {
        p.dst = v.dst;
        p.dport = v.dport;
      }
      ebpfNat!.after = { ...ebpfNat!.after, dst: v.src, dport: v.sport };
      // fib_redirect: the FIB's route to the client, out of the node's device (its tc egress program still runs).
      const route = longestPrefixMatch(ns.routes, p.dst);
      this.hop(ns, dev.name, 'ebpf', `${v.said}: TTL ${p.ttl} — ${EBPF_MODELLED}`, line, claims).ebpf = { program: program.name, decision: 'rev-nat' };
      if (!route) return this.drop(ns, dev.name, 'no-route', `fib_redirect: the FIB lookup finds no route to ${p.dst} in ${ns.name} (DROP_NO_FIB, "FIB lookup failed")`);
      this.frame = undefined;
      return this.transmit(ns, route);
    }
    if (v.kind === 'to-host') {
      // No claim: without the program the kernel would deliver it to the host as well (only the TTL tells them apart, and the TTL check does).
      const host = this.device(ns, v.device);
      if (!host) return this.drop(ns, dev.name, 'no-such-device', `podpath bug: ${ns.name} has no ${v.device}`);
      this.hop(ns, dev.name, 'ebpf', `${v.said}: TTL ${p.ttl} — ${EBPF_MODELLED}`, line).ebpf = { program: program.name, decision: 'to-host' };
      this.frame = { src: dev.mac, dst: host.mac };
      return this.receive(ns.name, host.name, host.mac);
    }
    const podNs = this.ns(v.pod);
    const eth0 = this.device(podNs, 'eth0')!;
    const lxc = this.device(ns, v.lxc)!;
    // The reply of a connection the client's program load-balanced per packet: ipv4_policy (CT_REPLY, rev_nat_index) puts the Service back as the source.
    const lbReply = this.isReply ? this.conntrack.find((e) => e.perPacketLb && e.netns === ns.name && e.proto === p.proto && e.after.dst === p.src && e.after.dport === p.sport && e.after.src === p.dst && e.after.sport === p.dport) : undefined;
    let revNat = '';
    if (lbReply) {
      revNat = `; the policy program finds the reply in ${p.proto === 'tcp' ? 'cilium_ct4_global' : 'cilium_ct_any4_global'} (CT_REPLY, with the Service's rev_nat_index) and lb4_rev_nat puts the source back to ${hostPort(lbReply.before.dst, lbReply.before.dport)}, the ClusterIP the pod sent to: source ${hostPort(p.src, p.sport)} → ${hostPort(lbReply.before.dst, lbReply.before.dport)}`;
      p.src = lbReply.before.dst;
      p.sport = lbReply.before.dport;
    }
    const macs = `rewrites the MACs (source ${lxc.mac}, ${v.lxc}'s; destination ${eth0.mac}, the pod's eth0)${revNat}`;
    this.frame = { src: lxc.mac, dst: eth0.mac };
    if (v.peer) {
      this.hop(ns, dev.name, 'ebpf', `${v.said}: ipv4_local_delivery routes it (ipv4_l3: the TTL drops to ${p.ttl}, not bridged) and ${macs}, then the destination's policy program (cil_lxc_policy, by tail call) hands it straight to eth0 inside ${describeNetns(podNs)} with bpf_redirect_peer: no bridge, and ${ns.name}'s IP stack and iptables never see it — ${EBPF_MODELLED}`, line, claims).ebpf = { program: program.name, decision: 'to-endpoint', endpoint: v.pod };
      return this.receive(v.pod, 'eth0', eth0.mac);
    }
    this.hop(ns, dev.name, 'ebpf', `${v.said}: ipv4_local_delivery routes it (ipv4_l3: the TTL drops to ${p.ttl}, not bridged) and ${macs}, then the destination's policy program (cil_lxc_policy, by tail call) sends it out of ${v.lxc} with bpf_redirect, into the pod: no bridge, and ${ns.name}'s IP stack and iptables never see it (bpf_redirect_peer, straight into the pod's netns, is Cilium's only with BPF host routing, which needs kubeProxyReplacement and BPF masquerading) — ${EBPF_MODELLED}`, line, claims).ebpf = { program: program.name, decision: 'to-endpoint', endpoint: v.pod };
    this.hop(ns, v.lxc, 'transmit', `out ${v.lxc}, the host end of ${describeNetns(podNs)}'s veth pair`);
    return this.receive(v.pod, 'eth0', eth0.mac);
  }

  /** The program set the tunnel key and redirected to the collect-metadata VXLAN device: over the node network, and into the remote node's program. */
  private ebpfEncapsulate(ns: Netns, at: Device, v: Extract<EbpfVerdict, { kind: 'to-tunnel' }>, line: string, claims: HopClaims, ttlSaid?: string, decision?: Hop['ebpf']): WalkEnd {
    const vx = this.device(ns, v.device);
    if (!vx?.vxlan) return this.drop(ns, at.name, 'no-vxlan-device', `podpath bug: ${ns.name} has no ${v.device}`);
    const p = this.packet;
    // The program leaves no netfilter mark on what it tunnels (cil_from_host's inherit_identity_from_host
    // clears it; from 1.16 cil_to_overlay sets Cilium's own), so the outer packet meets no kube-proxy masquerade mark.
    p.mark = 0;
    this.hop(ns, at.name, 'ebpf', `${v.said}: the program sets the tunnel key (remote ${v.nodeIP}, VNI ${v.identity}: ${v.identitySaid}) with bpf_skb_set_tunnel_key and redirects the packet to ${v.device}; ${ttlSaid ?? `the TTL stays ${p.ttl}`} — ${EBPF_MODELLED}`, line, claims).ebpf = decision ?? { program: claims.ebpf?.program ?? '', decision: 'to-tunnel' };
    const sport = vxlanSourcePort(`${p.proto} ${p.src}:${p.sport} ${p.dst}:${p.dport}`);
    const outer = { src: vx.vxlan.local, dst: v.nodeIP, sport, dport: vx.vxlan.dstport };
    // The inner frame is the packet as the program redirected it: the frame it came in (the pod's
    // own, or for a NodePort request the client's to eth0: ipv4_l3 rewrites no MAC); out of cilium_host (NOARP: the kernel's neighbour
    // entry gives its own MAC), bpf_host.c's rewrite_dmac_to_host sets the destination to its
    // veth peer's (cilium_net's) first.
    const peer = at.peer && at.peer.netns === ns.name ? this.device(ns, at.peer.device) : undefined;
    const innerEth = this.frame ? { ...this.frame } : at.noarp ? { src: at.mac, dst: peer?.mac ?? at.mac } : undefined;
    p.outer = { ...outer, proto: 'udp', vni: v.identity, zeroUdpChecksum: true, ...(innerEth ? { innerEth } : {}) };
    this.hop(ns, vx.name, 'encapsulate', `${this.passingTc(vx, 'egress', '; ')}${vx.name} (collect-metadata mode: no VNI or remote of its own) wraps the packet in VXLAN with the key the program set: VNI ${v.identity}, outer UDP ${outer.src} → ${outer.dst}:${outer.dport}`);
    const arrived = this.sendOuter(ns, vx, outer);
    if (!('arrived' in arrived)) return arrived;
    const remote = arrived.arrived;
    const there = remote.devices.find((d) => d.kind === 'vxlan' && d.vxlan?.external && d.vxlan.dstport === outer.dport);
    if (!there) return this.drop(remote, 'eth0', 'no-vxlan-device', `nothing listens on UDP ${outer.dport} on ${remote.name}`);
    p.outer = undefined;
    this.frame = undefined;
    this.hop(remote, there.name, 'decapsulate', `${there.name} strips the outer headers; the tunnel key (VNI ${v.identity}, ${v.identitySaid}) goes with the inner packet, TTL untouched by the tunnel`);
    if (there.tc?.ingress && this.tcOn) return this.tcProgram(remote, there, there.tc.ingress);
    return this.ipInput(remote, there.name);
  }

  /** Which of `n` backends Cilium's programs pick from cilium_lb4_backends_v3, each with chance 1/n (the walk's choice). */
  private pickBackend(n: number): number {
    let i = 0;
    while (i < n - 1 && !this.choose('cilium_lb4_backends_v3', i, 1 / (n - i))) i++;
    return i;
  }

  /**
   * Socket-LB (the CNI's cgroup connect4 program, when it replaces kube-proxy): a
   * connect() to a Service's ClusterIP and port is rewritten to a backend's before any
   * packet exists. Undefined when there is none or the address is no Service's.
   */
  private socketLbPick(ns: Netns): { backend?: string; port?: number; said: string; code?: 'no-local-endpoints' } | undefined {
    const lb = cniOf(this.dp.scenario.cluster).ebpf?.socketLb;
    if (!lb || (ns.kind !== 'pod' && ns.kind !== 'node')) return undefined;
    const p = this.packet;
    const proto = p.proto.toUpperCase();
    let svc = this.dp.scenario.services.find((v) => v.clusterIP === p.dst && v.ports.some((x) => x.port === p.dport && x.protocol === proto));
    let sp = svc?.ports.find((x) => x.port === p.dport && x.protocol === proto);
    // A node's address and a NodePort: bpf_sock.c __sock4_xlate_fwd finds this node's own
    // frontend for it (the agent writes one per NodePort address), or, for another node's
    // address (remote-node in cilium_ipcache), sock4_wildcard_lookup_full's 0.0.0.0:NodePort.
    // Translated inside connect() like a ClusterIP, to any of the Service's backends (the
    // internal scope: externalTrafficPolicy is for traffic from outside): the other node's
    // NodePort path never sees the connection.
    const nodeOfDst = svc ? undefined : this.dp.scenario.nodes.find((n) => n.internalIP === p.dst);
    if (nodeOfDst) {
      svc = this.dp.scenario.services.find((v) => v.ports.some((x) => x.nodePort === p.dport && x.protocol === proto));
      sp = svc?.ports.find((x) => x.nodePort === p.dport && x.protocol === proto);
    }
    if (!svc || !sp) return undefined;
    const by = `${lb.name} (${lb.source}, at ${lb.attach})`;
    const all = endpointsOf(this.dp.scenario, svc, sp);
    // internalTrafficPolicy Local: the agent gives this node's frontends (the ClusterIP's, and
    // the NodePort's as a pod or node reaches it) only the backends on this node.
    const sender = ns.node ?? ns.name;
    const localOnly = svc.internalTrafficPolicy === 'Local';
    const endpoints = localOnly ? onNode(all, sender) : all;
    this.pickedFrom = endpoints.map(endpointKey);
    if (endpoints.length === 0 && localOnly && all.length > 0) {
      const where = [...new Set(all.map((e) => e.pod?.nodeName).filter((n): n is string => n !== undefined))].sort().join(', ');
      return {
        code: 'no-local-endpoints',
        said: `${by}: Service ${objectKey(svc)} has internalTrafficPolicy Local, so the agent gives ${sender}'s frontend for ${hostPort(p.dst, p.dport)} only the backends on ${sender} itself, and it has none (they run on ${where}): connect() fails at once (No route to host) and no packet is sent — ${EBPF_MODELLED}`,
      };
    }
    if (endpoints.length === 0) {
      return { said: `${by}: Service ${objectKey(svc)} has no backend in cilium_lb4_services_v2 for ${hostPort(p.dst, p.dport)} (${whyNoEndpoints(this.dp.scenario, svc, sp)}), so connect() fails at once (No route to host) and no packet is sent — ${EBPF_MODELLED}` };
    }
    const n = endpoints.length;
    const ep = endpoints[this.pickBackend(n)];
    const chance = localOnly
      ? ` (internalTrafficPolicy Local: ${n > 1 ? `one of the ${n} backends on ${sender}, each picked with chance 1/${n}` : `the only backend on ${sender}`}, never one on another node)`
      : n > 1 ? ` (one of its ${n} backends, each picked with chance 1/${n})` : ' (its only backend)';
    const own = nodeOfDst?.name === (ns.node ?? ns.name);
    const frontend = !nodeOfDst
      ? `cilium_lb4_services_v2 has ${hostPort(p.dst, p.dport)} (Service ${objectKey(svc)})`
      : own
        ? `${hostPort(p.dst, p.dport)} is this node's address and NodePort ${p.dport}: cilium_lb4_services_v2 has it (Service ${objectKey(svc)}; the agent writes a frontend for each of the node's NodePort addresses)`
        : `${hostPort(p.dst, p.dport)} is node ${nodeOfDst.name}'s address (remote-node in cilium_ipcache) and NodePort ${p.dport}: no frontend of this node has it, so sock4_wildcard_lookup_full finds the wildcard entry 0.0.0.0:${p.dport} (Service ${objectKey(svc)}), and the connection goes straight to a backend: ${nodeOfDst.name}'s NodePort path never sees it`;
    return {
      backend: ep.ip,
      port: ep.port,
      said: `${by}: ${frontend}, and cilium_lb4_backends_v3 gives backend ${hostPort(ep.ip, ep.port)}${chance}: the program rewrites the socket's destination inside connect(), before any packet exists, so no DNAT happens on the wire and conntrack records no NAT; the application still sees ${hostPort(p.dst, p.dport)} as its peer — ${EBPF_MODELLED}`,
    };
  }

  /**
   * proxy_arp=1 on the device that heard the request (Calico's host end of a pod's
   * veth): the kernel answers with that device's own MAC when it has a unicast route to
   * the address out of another device (arp_fwd_proxy). Nothing holds 169.254.1.1,
   * the pods' gateway: the route that answers for it is the node's default.
   */
  private proxyArp(ns: Netns, heard: Device, ip: string): (Resolved & { answerer?: { netns: string; dev: string } }) | undefined {
    if (!heard.proxyArp || ns.kind !== 'node') return undefined;
    const route = longestPrefixMatch(ns.routes, ip);
    if (!route || route.type === 'blackhole' || route.dev === heard.name) return undefined;
    return {
      mac: heard.mac,
      how: `ARP: ${heard.name} in ${describeNetns(ns)} answers for ${ip} with its own MAC ${heard.mac} by proxy ARP (proxy_arp=1: ${ns.name} routes ${ip} out of ${route.dev}, not back out ${heard.name}; no device holds ${ip})`,
      answerer: { netns: ns.name, dev: heard.name },
    };
  }

  /** A blackhole route matched: the kernel discards the packet (a local sender's connect fails: Invalid argument). */
  private blackholed(ns: Netns, device: string, route: Route): WalkEnd {
    const sent = this.hops.length <= 1;
    return this.drop(
      ns,
      device,
      'blackhole-route',
      `the route lookup for ${this.packet.dst} in ${describeNetns(ns)} matches \`${routeText(route)}\`: Calico's route for a block this node holds, which no pod here has that address of; the kernel discards the packet silently${sent ? ' (the sender\'s connect fails: Invalid argument)' : ''}`,
    );
  }

  /**
   * tunl0 (Calico's IPIP): the inner packet gets an outer IP header (protocol 4) from
   * this node to the route's next hop, the remote node. Modelled, not kernel-checked:
   * this machine's kernel has no IPIP (every hop says so).
   */
  private encapsulateIpip(ns: Netns, dev: Device, nextHop: string): WalkEnd {
    const owner = this.dp.ownerOf(nextHop);
    const remote = owner ? this.ns(owner.netns) : undefined;
    const local = this.device(ns, 'eth0')?.addresses[0]?.ip;
    const said = IPIP_MODELLED;
    if (!remote || remote.kind !== 'node' || !local) return this.drop(ns, dev.name, 'no-route', `${dev.name}: no node holds ${nextHop}, the IPIP next hop (${said})`);
    this.hop(ns, dev.name, 'encapsulate', `${dev.name} wraps the packet in an outer IP header, protocol 4 (IP-in-IP): ${local} → ${nextHop}, the route's onlink next hop; ${said}`);
    const outerRoute = longestPrefixMatch(ns.routes, nextHop);
    if (!outerRoute) return this.drop(ns, dev.name, 'no-route', `no route to the remote node ${nextHop}`);
    const out = this.device(ns, outerRoute.dev)!;
    const resolved = out.peer ? this.resolve(ns, out, outerRoute.via ?? nextHop) : undefined;
    if (!resolved) return this.drop(this.ns(NODE_NETWORK), SWITCH_BRIDGE, 'no-arp-answer', `no node answers ARP for ${nextHop}`);
    this.frame = { src: out.mac, dst: resolved.mac };
    this.hop(ns, out.name, 'transmit', `${resolved.how}; out ${out.name} onto the node network, encapsulated (IP-in-IP ${local} → ${nextHop}); ${said}`);
    const landed = this.outerAcrossRouter(this.switchForward(this.ns(out.peer!.netns), out.peer!.device, resolved.mac), nextHop);
    if ('kind' in landed) return landed;
    const there = this.ns(landed.netns);
    const tunl = there.devices.find((d) => d.kind === 'ipip');
    if (!tunl) return this.drop(there, landed.device, 'no-route', `${there.name} has no tunl0 to take the IP-in-IP packet (${said})`);
    this.frame = undefined;
    this.packet.mark = 0;
    this.packet.dnatted = undefined;
    this.hop(there, tunl.name, 'decapsulate', `${tunl.name} of ${describeNetns(there)} strips the outer IP header; the inner packet, TTL untouched by the tunnel, enters its IP stack; ${said}`);
    return this.ipInput(there, tunl.name);
  }

  /** A frame arrives on a device in a netns. */
  private receive(nsName: string, device: string, mac: string): WalkEnd {
    if (this.hops.length > MAX_HOPS) return this.drop(this.ns(nsName), device, 'hop-limit', `podpath bug: the packet went round more than ${MAX_HOPS} hops without its TTL running out`);
    const ns = this.ns(nsName);
    const dev = this.device(ns, device)!;
    this.originating = false;
    // Into another netns the packet's mark does not come along (the veth's skb_scrub_packet, crossing namespaces, clears it).
    if (this.hops[this.hops.length - 1]?.netns !== nsName) {
      this.packet.mark = 0;
      this.packet.dnatted = undefined;
    }
    this.hop(ns, device, 'receive', `arrives on ${device} in ${describeNetns(ns)}`);
    // An eBPF program at the device's tc ingress (Cilium's cil_from_container on a pod's lxc) sees the packet first.
    if (dev.tc?.ingress && this.tcOn) return this.tcProgram(ns, dev, dev.tc.ingress);
    if (dev.master) {
      const bridge = this.device(ns, dev.master)!;
      return this.bridgeIngress(ns, bridge, device, mac);
    }
    if (dev.mac !== mac) return this.drop(ns, device, 'not-for-this-mac', `the frame is addressed to ${mac}, not to ${device} (${dev.mac}): ${device} ignores it`);
    return this.ipInput(ns, device);
  }

  /**
   * A frame enters a bridge by port `inPort`. With br_netfilter on, nat PREROUTING
   * (or, for a reply, conntrack undoing a masquerade) runs here first, inside the
   * bridge; if that changes the destination to one whose route is this bridge again,
   * the kernel bridges the frame across (bridged DNAT) instead of routing it.
   */
  private bridgeIngress(ns: Netns, bridge: Device, inPort: string, mac: string): WalkEnd {
    const p = this.packet;
    if (this.frame) this.memory.fdb(ns.name, bridge.name, inPort, this.frame.src);
    const brNetfilter = this.settings.bridgeNfCallIptables && ns.kind === 'node';
    const toBridge = mac === bridge.mac;
    if (!brNetfilter) {
      if (toBridge) return this.handUp(ns, bridge, '', false);
      // No br_netfilter: a bridged frame meets no iptables hook and no conntrack at all.
      return this.bridgeForward(ns, bridge, mac, inPort);
    }
    const dstBefore = p.dst;
    const natHops = this.natPrerouting(ns, bridge.name);
    if (p.dst !== dstBefore && !this.isLocalAddress(ns, p.dst)) {
      const route = longestPrefixMatch(ns.routes, p.dst);
      if (route && route.dev === bridge.name) {
        // br_nf_pre_routing_finish: the new destination is behind this very bridge.
        this.creditBrNetfilter(natHops, 'PREROUTING');
        const nextHop = route.via ?? p.dst;
        const resolved = this.resolve(ns, bridge, nextHop);
        this.hop(ns, bridge.name, 'route', `the new destination ${p.dst} is behind ${bridge.name} itself (${describeRoute(route)}): br_netfilter bridges the frame across instead of routing it (${this.isReply ? 'conntrack undid the masquerade' : 'bridged DNAT'}), so the TTL stays ${p.ttl}`, routeText(route), { brNetfilter: true });
        if (!resolved) return this.noArpAnswer(ns, bridge, nextHop);
        // br_netfilter rewrites the frame's destination MAC to the new destination's (its source stays the sender's).
        if (this.frame) this.frame = { src: this.frame.src, dst: resolved.mac };
        return this.bridgeForward(ns, bridge, resolved.mac, inPort, resolved.how, true);
      }
    }
    if (toBridge || p.dst !== dstBefore) return this.handUp(ns, bridge, toBridge ? '' : ' (after the NAT)', true);
    // Bridged between two ports: br_netfilter still runs FORWARD and POSTROUTING, which
    // is where conntrack un-DNATs a Service reply bridged straight back to its client.
    return this.bridgeForward(ns, bridge, mac, inPort, undefined, true);
  }

  /** A frame for the bridge's own MAC goes up to the node's IP stack (`prerouted`: br_netfilter already ran PREROUTING). */
  private handUp(ns: Netns, bridge: Device, note: string, prerouted: boolean): WalkEnd {
    this.hop(ns, bridge.name, 'bridge', `the frame is addressed to ${bridge.name}'s own MAC${note}: ${bridge.name} hands it up to ${ns.name}'s IP stack`);
    return this.ipInput(ns, bridge.name, prerouted);
  }

  /** NAT hops that happened to a frame the bridge carries: they depend on br_netfilter. */
  private creditBrNetfilter(hops: Hop[], hook: string): void {
    for (const h of hops) {
      h.claims = { ...h.claims, brNetfilter: true };
      h.why += ` — on a frame the bridge carries: br_netfilter (bridge-nf-call-iptables=1) runs nat ${hook} inside the bridge`;
    }
  }

  /** nat PREROUTING for a request (DNAT), conntrack's reverse masquerade for a reply. Returns the hops it added. */
  private natPrerouting(ns: Netns, device: string): Hop[] {
    const start = this.hops.length;
    this.conntrackIn(ns);
    if (this.isReply) this.undoSnat(ns, device, 'PREROUTING');
    else if (ns.kind === 'node') {
      const before = this.tuple();
      const nat = this.walkChain(ns, 'nat', 'PREROUTING', this.packet);
      if (nat.verdict.kind === 'dnat') {
        this.applyDnat(ns, device, nat.verdict.ip, nat.verdict.port, nat.path, 'PREROUTING');
        this.remember(ns, before);
      }
    }
    return this.hops.slice(start);
  }

  /** The IP stack of a netns receives a packet on `device` (`prerouted`: br_netfilter already ran PREROUTING). */
  private ipInput(ns: Netns, device: string, prerouted = false): WalkEnd {
    const p = this.packet;
    // The frame ends here: the IP stack has the packet (a new frame is made to send it on).
    this.frame = undefined;
    if (!prerouted) this.natPrerouting(ns, device);
    // The route lookup validates the source (fib_validate_source): a packet that comes
    // in from outside with one of this netns's own addresses as its source is a
    // martian, dropped (accept_local=0), as a loop through a masquerading node ends.
    if (this.isLocalAddress(ns, p.src)) {
      return this.drop(ns, device, 'martian-source', `${describeNetns(ns)} drops it as a martian: it arrives on ${device} with ${p.src} as its source, one of ${ns.name}'s own addresses`);
    }
    if (this.isLocalAddress(ns, p.dst)) return this.localInput(ns, device);
    if (ns.kind !== 'node' && ns.kind !== 'router') {
      return this.drop(ns, device, 'ip-forward-off', `${describeNetns(ns)} does not forward packets (net.ipv4.ip_forward=0) and ${p.dst} is not its address`);
    }
    const route = longestPrefixMatch(ns.routes, p.dst);
    if (!route && ns.kind === 'router') return this.routerHasNoRoute(ns, device);
    if (!route) return this.drop(ns, device, 'no-route', `no route to ${p.dst} in ${ns.name}`);
    if (route.type === 'blackhole') return this.blackholed(ns, device, route);
    // ip_forward(): a packet that arrives with TTL 1 goes no further; every other loses one.
    if (p.ttl! <= 1) return this.drop(ns, device, 'ttl-exceeded', `TTL exceeded in ${ns.name}: the packet is discarded`);
    // ip_forward() then checks the out device's MTU, before the FORWARD hook, the TTL's decrement and any SNAT.
    const out = this.device(ns, route.dev);
    if (p.size !== undefined && !this.isReply && out && p.size > pathMtu(out, route)) return this.tooBig(ns, out, p.size, route);
    p.ttl = p.ttl! - 1;
    this.markGatewayAssumed(this.hop(ns, route.dev, 'route', `forwarding: route lookup for ${p.dst}: ${describeRoute(route)}; routed, so the TTL drops to ${p.ttl}${this.gatewayAssumed(route)}${this.notOnLinkSaid(ns, route)}`, routeText(route)), route);
    if (!this.isReply) {
      // FORWARD knows both devices (-i, -o): felix dispatches on them.
      p.inDev = device;
      p.outDev = route.dev;
      const filter = this.walkChain(ns, 'filter', 'FORWARD', p);
      p.inDev = p.outDev = undefined;
      if (filter.verdict.kind === 'reject') return this.reject(ns, route.dev, filter.verdict.rule, filter.path);
      if (filter.verdict.kind === 'drop') return this.dropByRule(ns, route.dev, filter.verdict.rule, filter.path);
    }
    return this.postrouting(ns, route);
  }

  /** For this netns itself: a node's filter INPUT first (a request only), then the socket. */
  private localInput(ns: Netns, device: string): WalkEnd {
    if (ns.kind === 'node' && !this.isReply) {
      this.packet.inDev = device;
      const filter = this.walkChain(ns, 'filter', 'INPUT', this.packet);
      this.packet.inDev = undefined;
      if (filter.verdict.kind === 'reject') return this.reject(ns, device, filter.verdict.rule, filter.path);
      if (filter.verdict.kind === 'drop') return this.dropByRule(ns, device, filter.verdict.rule, filter.path);
    }
    return this.localDelivery(ns, device);
  }

  private localDelivery(ns: Netns, device: string): WalkEnd {
    const p = this.packet;
    // INPUT was the last hook: conntrack confirms the entry.
    this.conntrackConfirm(ns);
    if (this.isReply) {
      this.undoDnat(ns, device, 'INPUT');
      const want = this.expect;
      if (want && (p.src !== want.src || p.sport !== want.sport)) {
        const answer = p.proto === 'tcp' ? 'TCP answers the stray segment with a RST' : 'no socket takes the datagram';
        this.hop(ns, device, 'drop', `the reply comes from ${hostPort(p.src, p.sport)}, but the client's socket is connected to ${hostPort(want.src, want.sport)}: it is not for that socket (${answer})`);
        return { kind: 'dropped', code: 'reply-from-wrong-source', netns: ns.name, reason: `the reply reaches ${describeNetns(ns)} from ${hostPort(p.src, p.sport)}, not from ${hostPort(want.src, want.sport)} where the client sent it, so the client never hears an answer and times out` };
      }
      this.hop(ns, device, 'deliver', `the client's socket receives the reply from ${hostPort(p.src, p.sport)} (TTL ${p.ttl})`);
      return { kind: 'delivered', code: 'delivered', netns: ns.name, reason: 'reply delivered' };
    }
    // A process bound to 127.0.0.1 (etcd's metrics, a controller-manager's --bind-address) answers only packets to the loopback.
    const listening = ns.listeners.find((l) => l.port === p.dport && l.protocol.toLowerCase() === p.proto && (!l.loopbackOnly || p.dst.startsWith('127.')));
    const pod = ns.kind === 'pod' ? this.dp.podOf(ns.name) : undefined;
    if (listening) {
      // A Service's target port is served by some container, not known which: a container the dump shows down may be it.
      const maybeDown = listening.assumed?.because === 'service-target-port' && pod?.containersDown?.length ? `; but the dump shows ${pod.containersDown.map(containerDownText).join(', ')}: if that is the container serving ${p.dport}, nothing listens while it is down, and the kernel answers with ${p.proto === 'tcp' ? 'a TCP RST' : 'ICMP port unreachable'} instead` : '';
      const why = listening.assumed
        ? `${describeNetns(ns)} is taken to listen on ${p.proto.toUpperCase()} port ${p.dport}: delivered (TTL ${p.ttl}); ${assumptionText(listening.assumed, p.dport, hostPort(p.dst, p.dport))}${maybeDown}`
        : `a socket listens on ${p.proto.toUpperCase()} port ${p.dport} in ${describeNetns(ns)}, the port its container declares: delivered (TTL ${p.ttl})`;
      const h = this.hop(ns, device, 'deliver', why);
      if (listening.assumed) h.assumed = listening.assumed;
      return { kind: 'delivered', code: 'delivered', netns: ns.name, reason: `delivered to ${describeNetns(ns)} on ${hostPort(p.dst, p.dport)}/${p.proto.toUpperCase()}` };
    }
    const answer = p.proto === 'tcp' ? 'the kernel answers the SYN with a TCP RST (connection refused)' : 'the kernel answers with ICMP port unreachable';
    const protocol = p.proto === 'tcp' ? 'TCP' : 'UDP';
    const downOne = pod ? servedByDownContainer(pod.containersDown, p.dport, protocol) : undefined;
    // What the dump shows (a container down) is said as such; otherwise a closed port is podpath's assumption, and what it rests on.
    const because = downOne
      ? `: the dump shows ${containerDownText(downOne)}, the container that ${pod!.ports.some((x) => x.containerPort === p.dport) ? 'declares' : 'probes'} ${p.dport}, and while it is down no process listens there`
      : pod?.noContainerRunning
        ? `: the dump shows no container of the pod running (${pod.containersDown!.map(containerDownText).join(', ')}), so no process listens anywhere in it`
        : `, as far as the file shows (${closedPortEvidence(ns, p.dport)})${this.nodePortNotHere(ns)}`;
    this.hop(ns, device, 'refuse', `nothing listens on ${p.proto.toUpperCase()} port ${p.dport} in ${describeNetns(ns)}${because}: ${answer}`);
    return this.refused(ns, 'port-closed', `nothing listens on ${hostPort(p.dst, p.dport)}/${p.proto.toUpperCase()} in ${describeNetns(ns)}${because}: ${answer}`);
  }

  /**
   * A NodePort asked on a node address kube-proxy does not serve it on: in nftables mode
   * only the addresses in @nodeport-ips, the node's primary one (--nodeport-addresses
   * primary, that mode's default), so 127.0.0.1 is not one, unlike iptables mode.
   */
  private nodePortNotHere(ns: Netns): string {
    const p = this.packet;
    if (ns.kind !== 'node' || !this.dp.kubeProxyRules(ns.name).nftables) return '';
    const proto = p.proto.toUpperCase();
    const svc = this.dp.scenario.services.find((v) => v.ports.some((x) => x.nodePort === p.dport && x.protocol === proto));
    if (!svc) return '';
    return `; ${p.dport} is Service ${objectKey(svc)}'s NodePort, but kube-proxy in nftables mode serves NodePorts only on the addresses in its set nodeport-ips: the node's primary address (--nodeport-addresses primary, that mode's default), not ${p.dst}`;
  }

  /**
   * A refusal is an answer (TCP RST, ICMP) sent from this netns back to the packet's
   * source: without a route there it is never sent, and the client only times out.
   */
  private refused(ns: Netns, code: RefusedCode, reason: string): WalkEnd {
    const back = this.packet.src;
    if (!this.isLocalAddress(ns, back) && !longestPrefixMatch(ns.routes, back)) {
      return { kind: 'dropped', code: 'answer-unsent', refused: code, netns: ns.name, reason: `${reason}; but ${ns.name} has no route back to ${back}, so that answer is never sent: the client hears nothing and its connection times out` };
    }
    return { kind: 'refused', code, netns: ns.name, reason };
  }

  /** A REJECT rule matched: kube-proxy's for a Service port without endpoints is known by what it was compiled as. */
  private reject(ns: Netns, device: string, rule: Rule, path: Rule[]): WalkEnd {
    const noEndpoints = rule.meaning === 'service-without-endpoints';
    // iptables mode: the REJECT rule names its Service port; nftables mode: the map element that went to reject-chain does.
    const sp = rule.servicePort ?? path.find((r) => r.servicePort)?.servicePort;
    const none = sp ? `Service ${objectKey(sp.service)} has no ready endpoint for port ${sp.port.name || sp.port.port}: ${whyNoEndpoints(this.dp.scenario, sp.service, sp.port)}; so kube-proxy REJECTs it` : 'the Service has no ready endpoints, so kube-proxy REJECTs it';
    const why = `filter ${describePath(path)}: ${noEndpoints ? none : 'REJECT'} (ICMP port unreachable: the client sees connection refused)`;
    this.hop(ns, device, 'refuse', why, rule.text, undefined, pathOf('filter', path));
    return this.refused(ns, noEndpoints ? 'reject-no-endpoints' : 'reject', why);
  }

  /**
   * A filter rule drops the packet: kube-proxy's for an address of the Service range
   * that no Service has (nftables mode), or for a Service whose Local traffic policy
   * finds no endpoint on this node, is known by what it was compiled as.
   * `sentHere`: the netns made the packet itself (filter OUTPUT).
   */
  private dropByRule(ns: Netns, device: string, rule: Rule, path: Rule[], sentHere = false): WalkEnd {
    if (rule.meaning === 'network-policy-denied') return this.policyDrop(ns, device, rule, path);
    const unallocated = rule.meaning === 'unallocated-cluster-ip';
    const external = rule.meaning === 'nodeport-without-local-endpoints';
    const noLocal = external || rule.meaning === 'service-without-local-endpoints' ? (rule.servicePort ?? path.find((r) => r.servicePort)?.servicePort) : undefined;
    const said = unallocated ? `${this.packet.dst} is in the Service range but is no Service's ClusterIP, so kube-proxy drops it` : noLocal ? this.noLocalEndpoints(ns, noLocal.service, noLocal.port, external) : 'the rule drops it';
    // Seen here: netfilter's drop of a packet the netns made itself fails a UDP send() with EPERM; TCP's SYN is retried until connect() times out.
    const outcome = sentHere && this.packet.proto === 'udp' ? "send() fails at once with Operation not permitted" : "no answer: the client's connection times out";
    const why = `filter ${describePath(path)}: ${said} (${outcome})`;
    this.hop(ns, device, 'drop', why, rule.text, undefined, pathOf('filter', path));
    return { kind: 'dropped', code: unallocated ? 'unallocated-cluster-ip' : noLocal ? 'no-local-endpoints' : 'dropped-by-rule', netns: ns.name, reason: why };
  }

  /** felix's "End of tier default": which policies isolate which pod, and that none allowed this packet. */
  private policyDrop(ns: Netns, device: string, rule: Rule, path: Rule[]): WalkEnd {
    const p = this.packet;
    const dir = felixMeaning(rule)?.direction ?? 'Ingress';
    const decision = this.policyDecision();
    const v = dir === 'Egress' ? decision.egress : decision.ingress;
    const chains = [...new Set(path.filter((r) => r.target.kind === 'jump' && /^cali-p[io]-/.test(r.target.chain)).map((r) => (r.target as { chain: string }).chain))];
    const said = v ? verdictSaid(v) : `a NetworkPolicy isolates the ${dir === 'Egress' ? 'source' : 'destination'} pod and none of its rules allows this packet`;
    const why = `filter ${describePath(path)}: "End of tier default. Drop if no policies passed packet": ${said} (${hostPort(p.src, p.sport)} → ${hostPort(p.dst, p.dport)} ${p.proto.toUpperCase()}; felix's policy chain${chains.length > 1 ? 's' : ''} ${chains.join(', ')} set no accept mark), so felix's rule drops it: no answer, the client's connection times out`;
    this.hop(ns, device, 'drop', why, rule.text, undefined, pathOf('filter', path));
    return { kind: 'dropped', code: 'network-policy-denied', netns: ns.name, reason: why };
  }

  /** The cluster's NetworkPolicies on this packet as it is now (after any DNAT): its ends by address. */
  policyDecision(): PolicyDecision {
    const p = this.packet;
    return decide(this.dp.scenario, { src: policyEndOf(this.dp, p.src), dst: policyEndOf(this.dp, p.dst), protocol: p.proto === 'tcp' ? 'TCP' : 'UDP', port: p.dport });
  }

  /** Why kube-proxy drops here: a Local traffic policy and no ready endpoint of the Service on this node. */
  private noLocalEndpoints(ns: Netns, svc: ServiceSpec, sp: ServicePort, external: boolean): string {
    const node = ns.node ?? ns.name;
    const elsewhere = [...new Set(endpointsOf(this.dp.scenario, svc, sp).map((e) => e.pod?.nodeName).filter((n): n is string => n !== undefined))];
    const where = elsewhere.length ? `its ready endpoints are on ${elsewhere.join(', ')}` : 'its ready endpoints are on no node podpath knows';
    const port = sp.name || String(sp.port);
    if (external) {
      return `Service ${objectKey(svc)} has externalTrafficPolicy Local and no ready endpoint on ${node} for port ${port} (${where}), so kube-proxy on ${node} drops what comes to its NodePort rather than send it to another node, which would need SNAT and lose the client's address`;
    }
    return `Service ${objectKey(svc)} has internalTrafficPolicy Local and no ready endpoint on ${node}, the sender's node, for port ${port} (${where}), so kube-proxy on ${node} drops traffic to its ClusterIP`;
  }

  /**
   * A packet bigger than the MTU of the device it must leave by, with Don't Fragment
   * set (seen here: a UDP socket with IP_PMTUDISC_DO). Where it was made, the kernel
   * refuses it at send(); where it is forwarded, it is dropped and the router answers
   * with ICMP "fragmentation needed", which carries the MTU back to the sender.
   */
  private tooBig(ns: Netns, dev: Device, size: number, route: Route): WalkEnd {
    const where = describeNetns(ns);
    const mtu = pathMtu(dev, route);
    // A route's own MTU (`mtu 1450` on Cilium's routes) is below the device's: say which limits.
    const limit = route.mtu !== undefined && route.mtu < dev.mtu ? `the route's MTU is ${mtu} (\`${routeText(route)}\`; ${dev.name} itself has ${dev.mtu})` : `${dev.name}'s MTU is ${mtu}`;
    if (this.originating) {
      const reason = `the packet is ${size} bytes and ${limit}: with Don't Fragment set the kernel does not split it, so send() fails at once with Message too long (EMSGSIZE) and no packet leaves ${where}`;
      this.hop(ns, dev.name, 'drop', reason);
      return { kind: 'dropped', code: 'message-too-long', netns: ns.name, reason, mtu };
    }
    // ip_forward() answers before SNAT: to the source the packet arrived with (conntrack turns the error back for a DNATed connection).
    const back = this.packet.src;
    const reason = `${where} must forward it out ${dev.name}, and ${limit}, but the packet is ${size} bytes with Don't Fragment set: it is dropped, and ${where} sends ICMP "fragmentation needed" (type 3 code 4, next-hop MTU ${mtu}) back to ${back}; the sender's kernel remembers that path MTU, and its socket reports Message too long (EMSGSIZE)`;
    this.hop(ns, dev.name, 'drop', reason);
    return { kind: 'dropped', code: 'frag-needed', netns: ns.name, reason, mtu };
  }

  /** A node's default route to the node network's router, on a dump that does not show its gateway: said to be assumed. */
  private gatewayAssumed(route: Route): string {
    if (!this.isGatewayAssumed(route)) return '';
    return ` (assumed: the file shows the nodes' addresses but not their default gateway; podpath takes it to be the node network's first address, ${route.via})`;
  }

  private isGatewayAssumed(route: Route): boolean {
    return route.dst === 'default' && route.via === nodeNetworkRouter(this.dp.scenario) && nodeGatewayAssumed.has(this.dp.scenario);
  }

  private markGatewayAssumed(hop: Hop, route: Route): void {
    if (this.isGatewayAssumed(route)) hop.assumed = { because: 'node-gateway', gateway: route.via! };
  }

  private drop(ns: Netns, device: string, code: DroppedCode, reason: string): WalkEnd {
    this.hop(ns, device, 'drop', reason);
    return { kind: 'dropped', code, netns: ns.name, reason };
  }

  /** A reply arriving: conntrack restores the destination a SNAT (MASQUERADE) changed. */
  private undoSnat(ns: Netns, device: string, hook: string): void {
    const p = this.packet;
    const c = this.conntrack.find((e) => !e.byEbpf && e.netns === ns.name && e.proto === p.proto && e.after.src === p.dst && e.after.sport === p.dport && e.after.dst === p.src && e.after.dport === p.sport);
    if (!c || (c.before.src === c.after.src && c.before.sport === c.after.sport)) return;
    p.dst = c.before.src;
    p.dport = c.before.sport;
    c.after = { ...c.after, src: c.before.src, sport: c.before.sport };
    this.hop(ns, device, 'undo-nat', `conntrack (nat ${hook}): this is the reply of a masqueraded connection, so the destination goes back to the original client ${hostPort(p.dst, p.dport)}`);
  }

  /** A reply leaving (or delivered here): conntrack restores the source a DNAT changed (the Service address the client used). */
  private undoDnat(ns: Netns, device: string, hook: string): void {
    const p = this.packet;
    const c = this.conntrack.find((e) => !e.byEbpf && e.netns === ns.name && e.proto === p.proto && e.after.dst === p.src && e.after.dport === p.sport && e.after.src === p.dst && e.after.sport === p.dport);
    if (!c || (c.before.dst === c.after.dst && c.before.dport === c.after.dport)) return;
    p.src = c.before.dst;
    p.sport = c.before.dport;
    c.after = { ...c.after, dst: c.before.dst, dport: c.before.dport };
    this.hop(ns, device, 'undo-nat', `conntrack (nat ${hook}): this is the reply of a DNATed connection, so the source goes back to ${hostPort(p.src, p.sport)}, the address the client connected to`);
  }
}

/** The MTU a packet out of `dev` by `route` must fit: the device's, or the route's own when lower. */
function pathMtu(dev: Device, route: Route): number {
  return route.mtu !== undefined ? Math.min(route.mtu, dev.mtu) : dev.mtu;
}

/** The Service whose file-given endpoints hold this address:port, if any (`namespace/name`). */
function givenEndpointService(s: Scenario, ip: string, port: number): string | undefined {
  const svc = s.services.find((v) => v.givenEndpoints?.some((e) => e.ip === ip && e.port === port));
  return svc ? `${svc.namespace}/${svc.name}` : undefined;
}

/**
 * Why podpath takes a port to be closed, in words: no file says which processes run,
 * only what containers declare, Services target and probes check, so a closed port is
 * an assumption and the sentence says what it rests on.
 */
function closedPortEvidence(ns: Netns, port: number): string {
  const open = ns.listeners.length ? `it is taken to listen on ${ns.listeners.map((l) => `${l.port}/${l.protocol}${l.loopbackOnly ? ' (on 127.0.0.1 only)' : ''}`).join(', ')} only` : 'no socket at all is known there';
  if (ns.kind === 'pod') return `${open}; no container declares ${port}, no Service targets it and no probe checks it, and podpath takes such a port to be closed`;
  if (ns.kind === 'node') return `${open}; podpath knows a node's processes only from the kubelet's port, hostNetwork pods' ports and probes, and Endpoints on its address, and takes any other port to be closed`;
  return open;
}

/** Why podpath takes it that something listens on a port no container declares, in words. */
export function assumptionText(a: ListenerAssumption, port: number, at: string): string {
  if (a.because === 'host-process' && a.byDefault) return `${a.what} is kube-proxy, whose health check listens on ${port} by default (its --healthz-bind-address, or a --config file the dump does not hold, may move it); podpath does not run the process, it assumes it answers there`;
  if (a.because === 'host-process') return `${a.what} listens there by the dump's account: it runs on the node's own network, which podpath draws as the node (it does not run the process; it assumes it answers)`;
  if (a.because === 'probe') return `no container declares ${port}, but a probe of the pod connects to it, so the kubelet expects a process to answer there; podpath assumes one does`;
  if (a.because === 'service-target-port') return `no container declares ${port}; Kubernetes does not require it, so podpath assumes the pod listens there because Service ${a.service} targets it`;
  return `no process podpath draws listens on ${port} here (one on the node's own network, such as the API server, runs with hostNetwork, which podpath does not draw); podpath assumes one does because the input's endpoints of Service ${a.service} list ${at}`;
}

/** A VXLAN packet's UDP source port, in the local port range (32768-60999) as the kernel's hash puts it. */
export function vxlanSourcePort(innerFlow: string): number {
  return 32768 + (fnv1a(innerFlow) % (60999 - 32768));
}

export function describeNetns(ns: Netns): string {
  switch (ns.kind) {
    case 'node':
      return `node ${ns.name}`;
    case 'pod':
      return `pod ${ns.name}`;
    case 'external':
      return 'the external client';
    case 'router':
      return 'the router joining the node networks';
    default:
      if (ns.vpcFabric) return 'the VPC fabric';
      // Racks: each node network has its switch, named by the network it carries.
      if (ns.name !== NODE_NETWORK && ns.kind === 'switch' && ns.subnet) return `the switch of node network ${ns.subnet}`;
      return ns.name === NODE_NETWORK ? 'the node-network switch' : ns.name;
  }
}

/**
 * A rule on the path that matched because the packet carries a mark bit. nftables'
 * `meta mark & 0x4000 == 0 return` matches a packet *without* the mark (kube-proxy's
 * masquerading chain returning an unmarked one), so it says nothing of a mark.
 */
function requiresMark(r: Rule): boolean {
  const m = r.match.mark;
  return m !== undefined && !m.negate && (m.value & m.mask) !== 0;
}

function describeRoute(r: Route): string {
  if (r.dst === 'default') return `default route via ${r.via} dev ${r.dev}`;
  if (r.via) return `${r.dst} via ${r.via} dev ${r.dev}${r.onlink ? ' onlink' : ''}${routeAuthor(r)}`;
  return `${r.dst} is on-link on ${r.dev}`;
}

/** Who wrote a route, when the walk should say so (Calico's BIRD or felix). */
function routeAuthor(r: Route): string {
  if (r.proto === 'bird' && r.bgpNextHop) return ` (proto bird: BIRD learned it over BGP from ${r.bgpNextHop}, the node that holds the block, on another rack; \`gateway recursive\` resolved that next hop through the node's own route to it, the default route, so the packet goes to the router)`;
  if (r.proto === 'bird') return ' (proto bird: BIRD learned it over BGP from the node that holds the block)';
  if (r.proto === '80') return " (proto 80: felix, Calico's agent, wrote it)";
  return '';
}
