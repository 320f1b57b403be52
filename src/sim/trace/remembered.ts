// What a netns prints about the packets that went by: `ip neigh`, `bridge fdb`
// and `conntrack -L`, from the compiled netns (its permanent entries) and what the
// walk taught it (`Trace.learned`).
import type { Netns } from '../dataplane/types.ts';
import type { ConntrackFlow, Learned } from './types.ts';

/**
 * `ip neigh`: the permanent entries the control plane wrote (flanneld's VTEPs), then
 * what ARP taught this netns. iproute2 ends every line with a space.
 */
export function neighText(ns: Netns, learned: Learned): string {
  const permanent = ns.neighbours.map((n) => `${n.ip} dev ${n.dev} lladdr ${n.mac} PERMANENT \n`);
  const heard = learned.neighbours.filter((n) => n.netns === ns.name).map((n) => `${n.ip} dev ${n.dev} lladdr ${n.mac} ${n.state} \n`);
  return permanent.concat(heard).join('');
}

/** One `bridge fdb show …` command and what it prints. */
export interface FdbListing {
  cmd: string;
  text: string;
}

/**
 * The forwarding entries worth reading in this netns: the MACs each bridge learned
 * (`bridge fdb show br cni0 dynamic`, leaving out the permanent entries the kernel
 * keeps for the ports' own and multicast addresses), and a VXLAN device's remote
 * VTEPs (`bridge fdb show dev flannel.1`, written by flanneld). cni0 knows every pod
 * on the node before any packet: the bridge plugin sets arp_notify=1 on the pod's
 * eth0, so the pod announces its MAC (a gratuitous ARP) as it comes up, as the lab's
 * kernel shows; the packets add what they taught it (the same pods, normally).
 */
export function fdbListings(ns: Netns, learned: Learned): FdbListing[] {
  const out: FdbListing[] = [];
  for (const d of ns.devices) {
    if (d.kind === 'bridge') {
      const announced = ns.fdb.filter((f) => f.master === d.name).map((f) => ({ mac: f.mac, port: f.dev }));
      const taught = learned.fdb.filter((f) => f.netns === ns.name && f.bridge === d.name && !announced.some((a) => a.mac === f.mac));
      const lines = [...announced, ...taught].map((f) => `${f.mac} dev ${f.port} master ${d.name} \n`);
      out.push({ cmd: `bridge fdb show br ${d.name} dynamic`, text: lines.join('') });
    } else if (d.kind === 'vxlan') {
      const lines = ns.fdb.filter((f) => f.dev === d.name && f.dst).map((f) => `${f.mac} dst ${f.dst} self permanent\n`);
      out.push({ cmd: `bridge fdb show dev ${d.name}`, text: lines.join('') });
    }
  }
  return out;
}

/**
 * The timeout an entry starts with after its last packet (the kernel's defaults,
 * net.netfilter.nf_conntrack_*_timeout_*); `conntrack -L` shows it counting down.
 */
function timeoutOf(c: ConntrackFlow): number {
  if (c.proto === 'udp') return 30;
  return c.seenReply ? 60 : 120;
}

/** A TCP entry after a SYN, or its SYN-ACK (a RST answering it deletes the entry: see learned.ts). */
function tcpState(c: ConntrackFlow): string {
  return c.seenReply ? 'SYN_RECV' : 'SYN_SENT';
}

const tupleText = (t: ConntrackFlow['orig']) => `src=${t.src} dst=${t.dst} sport=${t.sport} dport=${t.dport}`;

/** One line of `conntrack -L`: `tcp      6 120 SYN_SENT src=… [UNREPLIED] src=… mark=0 use=1`. */
export function conntrackLine(c: ConntrackFlow): string {
  const proto = c.proto === 'tcp' ? `${'tcp'.padEnd(8)} 6` : `${'udp'.padEnd(8)} 17`;
  const parts = [proto, String(timeoutOf(c))];
  if (c.proto === 'tcp') parts.push(tcpState(c));
  parts.push(tupleText(c.orig));
  if (!c.seenReply) parts.push('[UNREPLIED]');
  parts.push(tupleText(c.reply), 'mark=0', 'use=1');
  return parts.join(' ');
}

/**
 * `conntrack -L` in this netns: one entry per connection its netfilter tracked,
 * then the count conntrack-tools (Debian bookworm's 1.4.7) writes to stderr.
 */
export function conntrackText(ns: Netns, learned: Learned): string {
  const lines = learned.conntrack.filter((c) => c.netns === ns.name).map(conntrackLine);
  return lines.map((l) => `${l}\n`).join('') + `conntrack v1.4.7 (conntrack-tools): ${lines.length} flow entries have been shown.\n`;
}
