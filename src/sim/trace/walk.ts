// The packet walk: one packet through the compiled netns, the way the kernel
// moves it. In each netns:
//   a socket sends → route lookup (source address) → nat OUTPUT → filter OUTPUT
//   → nat POSTROUTING → out a device;
//   a device receives → (bridge port: cni0 forwards by FDB, or hands the frame up
//   to the IP stack when it is addressed to cni0 itself) → conntrack / nat
//   PREROUTING → routing decision → local: filter INPUT → a socket, or
//   forward: filter FORWARD → nat POSTROUTING → out a device.
// Devices move the packet between netns: a veth to its peer, cni0 to the port
// its FDB names, eth0 over the node-network switch, flannel.1 into a VXLAN
// packet to the remote VTEP. conntrack remembers every NAT so the reply can be
// translated back.
import type { Dataplane } from '../dataplane/compile.ts';
import { NODE_NETWORK, SWITCH_BRIDGE, nodeNetworkRouter } from '../dataplane/compile.ts';
import { routeText } from '../dataplane/show.ts';
import type { Device, Netns, Route, Rule } from '../dataplane/types.ts';
import { block, blockContains, ipNumber } from '../ipam/addresses.ts';
import { describePath, walkChain, type NfPacket, type StatisticChoice } from './netfilter.ts';
import type { Hop, HopAction, OuterHeader } from './types.ts';

export interface WalkPacket extends NfPacket {
  outer?: OuterHeader;
}

/** A NAT conntrack remembers: the tuple as it arrived and as it left this netns. */
interface ConntrackEntry {
  netns: string;
  before: { src: string; sport: number; dst: string; dport: number };
  after: { src: string; sport: number; dst: string; dport: number };
  proto: 'tcp' | 'udp';
}

export type WalkEnd =
  | { kind: 'delivered'; netns: string; reason: string }
  | { kind: 'refused'; netns: string; reason: string }
  | { kind: 'dropped'; netns: string; reason: string };

const MAX_HOPS = 200;

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

const hostPort = (ip: string, port: number) => `${ip}:${port}`;

export class PacketWalk {
  readonly hops: Hop[] = [];
  private readonly conntrack: ConntrackEntry[];
  /** The bridge port the packet last came in on, so cni0 can tell a hairpin turn. */
  private ingressBridgePort?: { netns: string; port: string };

  constructor(
    private readonly dp: Dataplane,
    readonly packet: WalkPacket,
    private readonly choose: StatisticChoice,
    conntrack: ConntrackEntry[] = [],
    /** A reply: conntrack translates it back and the nat chains are not consulted. */
    private readonly isReply = false,
  ) {
    this.conntrack = conntrack;
  }

  get connections(): ConntrackEntry[] {
    return this.conntrack;
  }

  private ns(name: string): Netns {
    const ns = this.dp.netns(name);
    if (!ns) throw new Error(`internal: netns ${name} was not compiled`);
    return ns;
  }

  private hop(ns: Netns, device: string, action: HopAction, why: string, matched?: string): void {
    const p = this.packet;
    this.hops.push({
      node: ns.kind === 'node' ? ns.name : (ns.node ?? ''),
      netns: ns.name,
      device,
      action,
      why,
      ...(matched ? { matched } : {}),
      packet: { src: hostPort(p.src, p.sport), dst: hostPort(p.dst, p.dport), proto: p.proto, ...(p.outer ? { outer: { ...p.outer } } : {}) },
    });
  }

  private isLocalAddress(ns: Netns, ip: string): Device | undefined {
    return ns.devices.find((d) => d.addresses.some((a) => a.ip === ip));
  }

  /** The packet starts at a socket in this netns. */
  send(nsName: string): WalkEnd {
    const ns = this.ns(nsName);
    const p = this.packet;
    const local = this.isLocalAddress(ns, p.dst);
    let route = local ? undefined : longestPrefixMatch(ns.routes, p.dst);
    // Source address selection: a local destination is reached through the local
    // table (`local X dev D scope host src X`), so the source is X itself; otherwise
    // the route's `src`, or the outgoing device's first address.
    if (!p.src) p.src = local ? p.dst : (route?.src ?? this.sourceAddressFor(ns, route) ?? '0.0.0.0');
    this.hop(ns, route?.dev ?? 'lo', 'send', this.isReply ? `the socket answers from ${hostPort(p.src, p.sport)}` : `a socket in ${describeNetns(ns)} connects to ${hostPort(p.dst, p.dport)}/${p.proto.toUpperCase()}`);
    if (!local && !route) return this.drop(ns, 'eth0', `no route to ${p.dst} in ${describeNetns(ns)} (connect fails: Network is unreachable)`);

    // nat OUTPUT: kube-proxy and portmap see locally generated packets here.
    if (!this.isReply && ns.kind === 'node') {
      const before = this.tuple();
      const nat = walkChain(ns, ns.nat, 'OUTPUT', p, this.choose);
      if (nat.verdict.kind === 'dnat') {
        this.applyDnat(ns, route?.dev ?? 'lo', nat.verdict.ip, nat.verdict.port, nat.path, 'OUTPUT');
        this.remember(ns, before);
        route = this.isLocalAddress(ns, p.dst) ? undefined : longestPrefixMatch(ns.routes, p.dst);
        if (!this.isLocalAddress(ns, p.dst) && !route) return this.drop(ns, 'lo', `no route to ${p.dst} after DNAT`);
      }
      const filter = walkChain(ns, ns.filter, 'OUTPUT', p, this.choose);
      if (filter.verdict.kind === 'reject') return this.reject(ns, 'lo', filter.verdict.rule.text, filter.path);
    } else if (this.isReply) {
      this.undoDnat(ns, route?.dev ?? 'lo');
    }
    // Over lo, back into this netns's own input path: filter INPUT still applies
    // (kube-proxy's KUBE-EXTERNAL-SERVICES rejects a NodePort with no endpoints here).
    if (this.isLocalAddress(ns, p.dst)) return this.localInput(ns, 'lo');
    this.hop(ns, route!.dev, 'route', `route lookup for ${p.dst}: ${describeRoute(route!)}`, routeText(route!));
    return this.postrouting(ns, route!);
  }

  private sourceAddressFor(ns: Netns, route: Route | undefined): string | undefined {
    const dev = ns.devices.find((d) => d.name === route?.dev);
    return dev?.addresses[0]?.ip;
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

  private applyDnat(ns: Netns, device: string, ip: string, port: number, path: Rule[], hook: string): void {
    const from = hostPort(this.packet.dst, this.packet.dport);
    this.packet.dst = ip;
    this.packet.dport = port;
    const masq = path.some((r) => r.target.kind === 'jump' && r.target.chain === 'KUBE-MARK-MASQ') || path.some((r) => r.target.kind === 'jump' && r.target.chain === 'CNI-HOSTPORT-SETMARK');
    const dnatRule = path[path.length - 1];
    const statistic = path.find((r) => r.match.probability !== undefined || r.target.kind === 'jump' && r.target.chain.startsWith('KUBE-SEP-'));
    const pick = statistic?.match.probability !== undefined ? ` (${statistic.chain} picked this endpoint with probability ${statistic.match.probability.toFixed(2)})` : '';
    this.hop(
      ns,
      device,
      'dnat',
      `nat ${hook}: ${describePath(path)} rewrites the destination ${from} → ${hostPort(ip, port)}${pick}${masq ? '; the packet is marked for masquerade' : ''}; conntrack records the translation`,
      dnatRule.text,
    );
  }

  /** nat POSTROUTING (masquerade), then out of the chosen device. */
  private postrouting(ns: Netns, route: Route): WalkEnd {
    const p = this.packet;
    if (this.isReply) {
      this.undoDnat(ns, route.dev);
    } else if (ns.kind === 'node') {
      const before = this.tuple();
      const nat = walkChain(ns, ns.nat, 'POSTROUTING', p, this.choose);
      if (nat.verdict.kind === 'masquerade') {
        const out = ns.devices.find((d) => d.name === route.dev);
        const addr = out?.addresses[0]?.ip;
        if (addr) {
          const from = p.src;
          p.src = addr;
          this.remember(ns, before);
          this.hop(
            ns,
            route.dev,
            'snat',
            `nat POSTROUTING: ${describePath(nat.path)} ${nat.path.some((r) => (r.match.mark && !r.match.mark.negate) || r.target.kind === 'mark') ? 'MASQUERADEs the marked packet' : `MASQUERADEs the packet${[nat.verdict.rule.match.src, nat.verdict.rule.match.notSrc, nat.verdict.rule.match.dst, nat.verdict.rule.match.notDst].some(Boolean) ? ', matched by its addresses (no mark)' : ' (the rule matches no mark)'}`}: source ${from} → ${addr}, the address of ${route.dev}${from === addr ? ' (already its source: conntrack still records the NAT)' : ''}${nat.verdict.rule.target.kind === 'masquerade' && nat.verdict.rule.target.randomFully ? ' (--random-fully also picks a random source port; shown unchanged)' : ''}`,
            nat.verdict.rule.text,
          );
        }
      }
    }
    return this.transmit(ns, route);
  }

  /** Out of a device: where does the frame go next? */
  private transmit(ns: Netns, route: Route): WalkEnd {
    const dev = ns.devices.find((d) => d.name === route.dev);
    if (!dev) return this.drop(ns, route.dev, `internal: route names missing device ${route.dev}`);
    const nextHop = route.via ?? this.packet.dst;
    switch (dev.kind) {
      case 'bridge': {
        const inPort = this.ingressBridgePort?.netns === ns.name ? this.ingressBridgePort.port : undefined;
        return this.bridgeForward(ns, dev, nextHop, inPort);
      }
      case 'vxlan':
        return this.encapsulate(ns, dev, nextHop);
      case 'veth': {
        const peer = dev.peer!;
        this.hop(ns, dev.name, 'transmit', `out ${dev.name}, a veth pair: the frame appears on ${peer.device} in ${this.describe(peer.netns)}`);
        return this.receive(peer.netns, peer.device, nextHop);
      }
      case 'ethernet':
        return this.overNodeNetwork(ns, dev, nextHop);
      default:
        return this.drop(ns, dev.name, `cannot send out ${dev.name}`);
    }
  }

  private describe(nsName: string): string {
    const ns = this.dp.netns(nsName);
    return ns ? describeNetns(ns) : nsName;
  }

  /** eth0 onto the node network: the switch delivers to whoever answers ARP for the next hop. */
  private overNodeNetwork(ns: Netns, dev: Device, nextHop: string): WalkEnd {
    const owner = this.dp.ownerOf(nextHop);
    const sw = this.ns(NODE_NETWORK);
    this.hop(ns, dev.name, 'transmit', `out ${dev.name} onto the node network ${this.dp.scenario.cluster.nodeNetwork}, to the MAC that answers ARP for ${nextHop}`);
    if (nextHop === nodeNetworkRouter(this.dp.scenario)) {
      return this.drop(sw, SWITCH_BRIDGE, `the route sends it to the default gateway ${nextHop}, the node network's router, which is outside the cluster: nothing in the cluster answers for ${this.packet.dst}`);
    }
    if (!owner || this.ns(owner.netns).devices.find((d) => d.name === owner.device)?.peer?.netns !== NODE_NETWORK) {
      return this.drop(sw, SWITCH_BRIDGE, `no host on the node network answers ARP for ${nextHop}: the packet is never sent`);
    }
    this.hop(sw, SWITCH_BRIDGE, 'bridge', `the node-network switch forwards the frame by its FDB to the port of ${this.describe(owner.netns)} (${nextHop})`);
    return this.receive(owner.netns, 'eth0', nextHop);
  }

  /** cni0 forwards a frame to the port behind which the next hop's MAC was learned. */
  private bridgeForward(ns: Netns, bridge: Device, nextHop: string, inPort: string | undefined): WalkEnd {
    const owner = this.dp.ownerOf(nextHop);
    const port = owner && ns.devices.find((d) => d.master === bridge.name && d.peer?.netns === owner.netns);
    if (!owner || !port) {
      return this.drop(ns, bridge.name, `nothing on ${bridge.name} answers ARP for ${nextHop}: no pod on this node has that address`);
    }
    const fdb = ns.fdb.find((f) => f.dev === port.name);
    const hairpin = inPort === port.name ? ` — back out the port it came in on, which hairpin mode on ${port.name} allows` : '';
    this.hop(ns, bridge.name, 'bridge', `${bridge.name} forwards the frame by its FDB: ${fdb?.mac ?? 'the MAC'} of ${nextHop} is behind ${port.name}${hairpin}`, fdb ? `${fdb.mac} dev ${fdb.dev} master ${bridge.name}` : undefined);
    this.hop(ns, port.name, 'transmit', `out ${port.name}, the host end of ${this.describe(owner.netns)}'s veth pair`);
    return this.receive(owner.netns, port.peer!.device, nextHop);
  }

  /** flannel.1: neighbour gives the remote VTEP MAC, FDB gives the remote node; wrap in UDP 8472. */
  private encapsulate(ns: Netns, dev: Device, nextHop: string): WalkEnd {
    const neigh = ns.neighbours.find((n) => n.ip === nextHop && n.dev === dev.name);
    if (!neigh) return this.drop(ns, dev.name, `no neighbour entry for ${nextHop} on ${dev.name}: flannel has not programmed this VTEP`);
    const fdb = ns.fdb.find((f) => f.mac === neigh.mac && f.dev === dev.name);
    if (!fdb?.dst) return this.drop(ns, dev.name, `no FDB entry for ${neigh.mac} on ${dev.name}`);
    const vx = dev.vxlan!;
    this.packet.outer = { src: vx.local, dst: fdb.dst, proto: 'udp', dport: vx.dstport, vni: vx.vni };
    this.hop(
      ns,
      dev.name,
      'encapsulate',
      `${dev.name} wraps the frame in VXLAN (VNI ${vx.vni}): neighbour ${nextHop} is MAC ${neigh.mac}, whose FDB entry says VTEP ${fdb.dst}; outer UDP ${vx.local} → ${fdb.dst}:${vx.dstport}`,
      `${fdb.mac} dev ${dev.name} dst ${fdb.dst} self permanent`,
    );
    const outerRoute = longestPrefixMatch(ns.routes, fdb.dst);
    if (!outerRoute) return this.drop(ns, dev.name, `no route to the remote VTEP ${fdb.dst}`);
    const out = ns.devices.find((d) => d.name === outerRoute.dev)!;
    this.hop(ns, out.name, 'route', `the outer packet's route lookup for ${fdb.dst}: ${describeRoute(outerRoute)}`, routeText(outerRoute));
    const owner = this.dp.ownerOf(fdb.dst);
    const sw = this.ns(NODE_NETWORK);
    this.hop(ns, out.name, 'transmit', `out ${out.name} onto the node network, encapsulated (${this.packet.outer.src} → ${fdb.dst} UDP ${vx.dstport})`);
    if (!owner) return this.drop(sw, SWITCH_BRIDGE, `no node answers ARP for the VTEP ${fdb.dst}`);
    this.hop(sw, SWITCH_BRIDGE, 'bridge', `the node-network switch forwards the outer frame to ${this.describe(owner.netns)}`);
    const remote = this.ns(owner.netns);
    this.hop(remote, 'eth0', 'receive', `the outer packet arrives on eth0 of ${describeNetns(remote)}, UDP port ${vx.dstport}: the VXLAN socket of ${dev.name}`);
    const remoteVtep = remote.devices.find((d) => d.kind === 'vxlan' && d.vxlan?.vni === vx.vni);
    if (!remoteVtep) return this.drop(remote, 'eth0', `nothing listens on UDP ${vx.dstport} for VNI ${vx.vni} on ${remote.name}`);
    this.packet.outer = undefined;
    this.hop(remote, remoteVtep.name, 'decapsulate', `${remoteVtep.name} strips the outer headers (VNI ${vx.vni}); the inner packet enters the IP stack of ${remote.name}`);
    return this.ipInput(remote, remoteVtep.name);
  }

  /** A frame arrives on a device in a netns. */
  private receive(nsName: string, device: string, l2NextHop: string): WalkEnd {
    if (this.hops.length > MAX_HOPS) return this.drop(this.ns(nsName), device, 'routing loop: the packet went round more than 200 hops (TTL exceeded)');
    const ns = this.ns(nsName);
    const dev = ns.devices.find((d) => d.name === device)!;
    this.hop(ns, device, 'receive', `arrives on ${device} in ${describeNetns(ns)}`);
    if (dev.master) {
      const bridge = ns.devices.find((d) => d.name === dev.master)!;
      const toBridgeItself = bridge.addresses.some((a) => a.ip === l2NextHop);
      if (!toBridgeItself) {
        // Bridged between two pods. br_netfilter (bridge-nf-call-iptables=1) still runs conntrack here,
        // which is how a Service reply bridged straight back to a client pod on this node is un-DNATed.
        if (this.isReply) {
          this.undoSnat(ns, bridge.name);
          this.undoDnat(ns, bridge.name);
        }
        return this.bridgeForward(ns, bridge, l2NextHop, device);
      }
      this.ingressBridgePort = { netns: ns.name, port: device };
      this.hop(ns, bridge.name, 'bridge', `the frame is addressed to ${bridge.name}'s own MAC (the pod's gateway ${l2NextHop}): ${bridge.name} hands it up to ${ns.name}'s IP stack`);
      return this.ipInput(ns, bridge.name);
    }
    return this.ipInput(ns, device);
  }

  /** The IP stack of a netns receives a packet on `device`. */
  private ipInput(ns: Netns, device: string): WalkEnd {
    const p = this.packet;
    if (this.isReply) this.undoSnat(ns, device);
    else if (ns.kind === 'node') {
      const before = this.tuple();
      const nat = walkChain(ns, ns.nat, 'PREROUTING', p, this.choose);
      if (nat.verdict.kind === 'dnat') {
        this.applyDnat(ns, device, nat.verdict.ip, nat.verdict.port, nat.path, 'PREROUTING');
        this.remember(ns, before);
      }
    }
    if (this.isLocalAddress(ns, p.dst)) return this.localInput(ns, device);
    if (ns.kind !== 'node') {
      return this.drop(ns, device, `${describeNetns(ns)} does not forward packets (net.ipv4.ip_forward=0) and ${p.dst} is not its address`);
    }
    const route = longestPrefixMatch(ns.routes, p.dst);
    if (!route) return this.drop(ns, device, `no route to ${p.dst} in ${ns.name}`);
    this.hop(ns, route.dev, 'route', `forwarding: route lookup for ${p.dst}: ${describeRoute(route)}`, routeText(route));
    if (!this.isReply) {
      const filter = walkChain(ns, ns.filter, 'FORWARD', p, this.choose);
      if (filter.verdict.kind === 'reject') return this.reject(ns, route.dev, filter.verdict.rule.text, filter.path);
    }
    return this.postrouting(ns, route);
  }

  /** For this netns itself: a node's filter INPUT first (a request only), then the socket. */
  private localInput(ns: Netns, device: string): WalkEnd {
    if (ns.kind === 'node' && !this.isReply) {
      const filter = walkChain(ns, ns.filter, 'INPUT', this.packet, this.choose);
      if (filter.verdict.kind === 'reject') return this.reject(ns, device, filter.verdict.rule.text, filter.path);
    }
    return this.localDelivery(ns, device);
  }

  private localDelivery(ns: Netns, device: string): WalkEnd {
    const p = this.packet;
    if (this.isReply) {
      this.undoDnat(ns, device);
      this.hop(ns, device, 'deliver', `the client's socket receives the reply from ${hostPort(p.src, p.sport)}`);
      return { kind: 'delivered', netns: ns.name, reason: 'reply delivered' };
    }
    const listening = ns.listeners.some((l) => l.port === p.dport && l.protocol.toLowerCase() === p.proto);
    if (listening) {
      this.hop(ns, device, 'deliver', `a socket listens on ${p.proto.toUpperCase()} port ${p.dport} in ${describeNetns(ns)}: delivered`);
      return { kind: 'delivered', netns: ns.name, reason: `delivered to ${describeNetns(ns)} on ${hostPort(p.dst, p.dport)}/${p.proto.toUpperCase()}` };
    }
    const answer = p.proto === 'tcp' ? 'the kernel answers the SYN with a TCP RST (connection refused)' : 'the kernel answers with ICMP port unreachable';
    const declared = ns.listeners.length ? ` (listening: ${ns.listeners.map((l) => `${l.port}/${l.protocol}`).join(', ')})` : ' (no socket at all there)';
    this.hop(ns, device, 'refuse', `nothing listens on ${p.proto.toUpperCase()} port ${p.dport} in ${describeNetns(ns)}${declared}: ${answer}`);
    return this.refused(ns, `nothing listens on ${hostPort(p.dst, p.dport)}/${p.proto.toUpperCase()} in ${describeNetns(ns)}${declared}: ${answer}`);
  }

  /**
   * A refusal is an answer (TCP RST, ICMP) sent from this netns back to the packet's
   * source: without a route there it is never sent, and the client only times out.
   */
  private refused(ns: Netns, reason: string): WalkEnd {
    const back = this.packet.src;
    if (!this.isLocalAddress(ns, back) && !longestPrefixMatch(ns.routes, back)) {
      return { kind: 'dropped', netns: ns.name, reason: `${reason}; but ${ns.name} has no route back to ${back}, so that answer is never sent: the client hears nothing and its connection times out` };
    }
    return { kind: 'refused', netns: ns.name, reason };
  }

  private reject(ns: Netns, device: string, ruleText: string, path: Rule[]): WalkEnd {
    const why = `filter ${describePath(path)}: ${ruleText.includes('has no endpoints') ? 'the Service has no endpoints, so kube-proxy REJECTs it' : 'REJECT'} (ICMP port unreachable: the client sees connection refused)`;
    this.hop(ns, device, 'refuse', why, ruleText);
    return this.refused(ns, why);
  }

  private drop(ns: Netns, device: string, reason: string): WalkEnd {
    this.hop(ns, device, 'drop', reason);
    return { kind: 'dropped', netns: ns.name, reason };
  }

  /** A reply arriving: conntrack restores the destination a SNAT (MASQUERADE) changed. */
  private undoSnat(ns: Netns, device: string): void {
    const p = this.packet;
    const c = this.conntrack.find((e) => e.netns === ns.name && e.proto === p.proto && e.after.src === p.dst && e.after.sport === p.dport && e.after.dst === p.src && e.after.dport === p.sport);
    if (!c || (c.before.src === c.after.src && c.before.sport === c.after.sport)) return;
    p.dst = c.before.src;
    p.dport = c.before.sport;
    c.after = { ...c.after, src: c.before.src, sport: c.before.sport };
    this.hop(ns, device, 'undo-nat', `conntrack: this is the reply of a masqueraded connection, so the destination goes back to the original client ${hostPort(p.dst, p.dport)}`);
  }

  /** A reply leaving: conntrack restores the source a DNAT changed (the Service address the client used). */
  private undoDnat(ns: Netns, device: string): void {
    const p = this.packet;
    const c = this.conntrack.find((e) => e.netns === ns.name && e.proto === p.proto && e.after.dst === p.src && e.after.dport === p.sport && e.after.src === p.dst && e.after.sport === p.dport);
    if (!c || (c.before.dst === c.after.dst && c.before.dport === c.after.dport)) return;
    p.src = c.before.dst;
    p.sport = c.before.dport;
    c.after = { ...c.after, dst: c.before.dst, dport: c.before.dport };
    const bridged = ns.devices.find((d) => d.name === device)?.kind === 'bridge' ? ` (the frame is bridged, but br_netfilter — bridge-nf-call-iptables=1 — passes it through conntrack)` : '';
    this.hop(ns, device, 'undo-nat', `conntrack: this is the reply of a DNATed connection, so the source goes back to ${hostPort(p.src, p.sport)}, the address the client connected to${bridged}`);
  }
}

export function describeNetns(ns: Netns): string {
  switch (ns.kind) {
    case 'node':
      return `node ${ns.name}`;
    case 'pod':
      return `pod ${ns.name}`;
    case 'external':
      return 'the external client';
    default:
      return ns.name === NODE_NETWORK ? 'the node-network switch' : ns.name;
  }
}

function describeRoute(r: Route): string {
  if (r.dst === 'default') return `default route via ${r.via} dev ${r.dev}`;
  if (r.via) return `${r.dst} via ${r.via} dev ${r.dev}${r.onlink ? ' onlink' : ''}`;
  return `${r.dst} is on-link on ${r.dev}`;
}

