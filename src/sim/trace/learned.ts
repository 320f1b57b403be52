// What the kernels remember after a packet and its reply went by: the neighbour
// (ARP) entries each netns learned, the MACs each bridge learned behind its ports,
// and the conntrack entries of the netns whose netfilter tracked the connection.
// The walk writes here as it goes; `show` prints it the way `ip neigh`,
// `bridge fdb` and `conntrack -L` do.
import type { ConnTuple, ConntrackFlow, Learned, LearnedNeighbour } from './types.ts';

export class KernelMemory {
  readonly learned: Learned = { neighbours: [], fdb: [], conntrack: [] };
  /** Conntrack entries created in this walk but not yet confirmed (the packet has not left the netns's last hook). */
  private readonly pending = new Map<string, ConntrackFlow>();

  neighbour(netns: string, dev: string, ip: string): LearnedNeighbour | undefined {
    return this.learned.neighbours.find((n) => n.netns === netns && n.dev === dev && n.ip === ip);
  }

  /**
   * An ARP exchange: the asker gets the answer (REACHABLE); the host that answered
   * learned the asker from its request (arp_process: neigh_event_ns, STALE).
   */
  arp(asker: { netns: string; dev: string; ip: string; mac: string }, target: { ip: string; mac: string }, answerer?: { netns: string; dev: string }): void {
    this.setNeighbour({ netns: asker.netns, dev: asker.dev, ip: target.ip, mac: target.mac, state: 'REACHABLE' });
    if (answerer && !this.neighbour(answerer.netns, answerer.dev, asker.ip)) {
      this.setNeighbour({ netns: answerer.netns, dev: answerer.dev, ip: asker.ip, mac: asker.mac, state: 'STALE' });
    }
  }

  /** A STALE entry used to send: the kernel sends at once and waits for a confirmation (DELAY). */
  used(n: LearnedNeighbour): void {
    if (n.state === 'STALE') n.state = 'DELAY';
  }

  private setNeighbour(n: LearnedNeighbour): void {
    const old = this.neighbour(n.netns, n.dev, n.ip);
    if (old) Object.assign(old, n);
    else this.learned.neighbours.push(n);
  }

  /** A frame came into a bridge by `port` from `mac`: the bridge learns where that MAC is. */
  fdb(netns: string, bridge: string, port: string, mac: string): void {
    const old = this.learned.fdb.find((f) => f.netns === netns && f.bridge === bridge && f.mac === mac);
    if (old) old.port = port;
    else this.learned.fdb.push({ netns, bridge, port, mac });
  }

  /**
   * A packet enters a netns's netfilter (PREROUTING or OUTPUT). A reply finds the
   * entry whose reply tuple it is; a first packet creates one, kept pending until
   * it is confirmed.
   */
  conntrackIn(netns: string, proto: 'tcp' | 'udp', t: ConnTuple, isReply: boolean): void {
    if (this.pending.has(netns)) return;
    const same = (a: ConnTuple, b: ConnTuple) => a.src === b.src && a.dst === b.dst && a.sport === b.sport && a.dport === b.dport;
    const known = this.learned.conntrack.find((c) => c.netns === netns && c.proto === proto && (same(c.reply, t) || same(c.orig, t)));
    if (known) {
      if (isReply && same(known.reply, t)) known.seenReply = true;
      return;
    }
    this.pending.set(netns, { netns, proto, orig: { ...t }, reply: { ...t }, seenReply: false });
  }

  /**
   * The packet leaves the netns's last hook (POSTROUTING, or INPUT to a local
   * socket): conntrack confirms the entry, its reply tuple being the packet as it
   * is now, reversed. A packet dropped before this leaves no entry.
   */
  conntrackConfirm(netns: string, t: ConnTuple): void {
    const c = this.pending.get(netns);
    if (!c) return;
    this.pending.delete(netns);
    c.reply = { src: t.dst, dst: t.src, sport: t.dport, dport: t.sport };
    this.learned.conntrack.push(c);
  }

  /** A packet that went into and out of this netns's netfilter at once (a tunnel's outer packet): its own entry. */
  conntrackFlow(netns: string, proto: 'tcp' | 'udp', t: ConnTuple): void {
    const same = (a: ConnTuple) => a.src === t.src && a.dst === t.dst && a.sport === t.sport && a.dport === t.dport;
    if (this.learned.conntrack.some((c) => c.netns === netns && c.proto === proto && same(c.orig))) return;
    this.learned.conntrack.push({ netns, proto, orig: { ...t }, reply: { src: t.dst, dst: t.src, sport: t.dport, dport: t.sport }, seenReply: false });
  }

  /**
   * A TCP RST was the connection's only answer: conntrack deletes each of its TCP
   * entries at once, rather than keeping them in CLOSE (nf_conntrack_tcp_packet: a RST
   * before any reply was seen kills the entry). The tunnel's outer UDP entries stay.
   */
  reset(): void {
    const kept = this.learned.conntrack.filter((x) => x.proto !== 'tcp');
    this.learned.conntrack.splice(0, this.learned.conntrack.length, ...kept);
  }
}

export function emptyLearned(): Learned {
  return { neighbours: [], fdb: [], conntrack: [] };
}
