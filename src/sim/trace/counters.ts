// The packet counters a set of traced connections moves on each node's iptables nat
// rules, as `iptables-save -c -t nat` shows them: conntrack sends only a connection's
// first packet through the nat table (its reply and later packets are translated by
// the conntrack entry), so each rule counts the connections whose first packet it
// matched: the jumps that led to a verdict, the marks set on the way, the RETURNs of
// chains left early, and the verdict itself. A VXLAN tunnel's outer packets are new
// flows to conntrack (the way back hashes to another source port), so they are counted
// too, in both directions: OUTPUT and POSTROUTING where they are sent, PREROUTING where
// they arrive (the kernel differential holds every path to `iptables-save -c -t nat`).
// Not counted: a refusal's answer, whose way back is not walked (its tunnel's outer
// packets would count), and the filter table, walked here for the first packet only
// where the kernel counts every packet of a connection.
import type { Trace } from './types.ts';

/** netns → iptables nat rule (as `iptables-save` prints it) → connections whose first packet it matched. */
export type NatRuleCounters = Map<string, Map<string, number>>;

export function natRuleCounters(traces: readonly Trace[]): NatRuleCounters {
  const out: NatRuleCounters = new Map();
  for (const t of traces) {
    for (const w of t.chainWalks ?? []) {
      if (w.table !== 'nat') continue;
      let rules = out.get(w.netns);
      if (!rules) out.set(w.netns, (rules = new Map()));
      // iptables rules only: kube-proxy's nftables mode keeps its own table (`nft list`).
      for (const r of w.rules) if (r.startsWith('-A ')) rules.set(r, (rules.get(r) ?? 0) + 1);
    }
  }
  return out;
}

/**
 * The rules of `iptables-save -t nat` (as `show` prints it) that counted a packet, in the
 * table's order, each after its count (`iptables-save -c` writes `[packets:bytes]` there;
 * podpath counts packets); the table's `*nat` and `COMMIT` around them. The chains'
 * own lines are left out: their policy counters are not modelled.
 */
export function countedNatText(save: string, counts: ReadonlyMap<string, number> | undefined): string {
  const width = Math.max(1, ...[...(counts?.values() ?? [])].map((n) => String(n).length));
  const out: string[] = [];
  for (const l of save.split('\n')) {
    if (l.startsWith('-A ')) {
      const n = counts?.get(l) ?? 0;
      if (n > 0) out.push(`${String(n).padStart(width)}  ${l}`);
    } else if (l === '*nat' || l === 'COMMIT') out.push(`${' '.repeat(width)}  ${l}`);
  }
  return out.join('\n') + '\n';
}

/** One device's packets, as `ip -s link` counts them (podpath counts no bytes). */
export interface DevicePackets {
  rx: number;
  tx: number;
}
/** netns → device → packets. */
export type DeviceCounters = Map<string, Map<string, DevicePackets>>;

/**
 * The packets a set of traced connections put on each device, request and reply: one
 * transmitted where a hop sends it out of a device (a veth, eth0, a bridge port the bridge
 * forwards it out of; a VXLAN device the inner packet goes into), one received where it
 * comes in (a bridge port it enters by; a VXLAN device the inner packet comes out of).
 * A bridge's own device (cni0) is left out: it counts a frame only where the frame goes
 * up to the node or comes down from it, not where the bridge forwards it between ports.
 * An eBPF program's redirect into a device's way in (Cilium's to cilium_host) counts nothing
 * there, as in the kernel. The walk's packets only: a TCP connection's ACKs, data and FIN,
 * ARP, and a refusal's RST or ICMP error, are not walked (the kernel differential holds UDP
 * paths, one datagram each way, to the lab's counters).
 */
export function deviceCounters(traces: readonly Trace[]): DeviceCounters {
  const out: DeviceCounters = new Map();
  const count = (netns: string, device: string, dir: 'rx' | 'tx') => {
    let devices = out.get(netns);
    if (!devices) out.set(netns, (devices = new Map()));
    const c = devices.get(device) ?? { rx: 0, tx: 0 };
    c[dir]++;
    devices.set(device, c);
  };
  for (const t of traces) {
    for (const hops of [t.hops, t.reply]) {
      hops.forEach((h, i) => {
        if (h.action === 'transmit' || h.action === 'encapsulate') count(h.netns, h.device, 'tx');
        // Not where an eBPF program put the packet on the device's way in (bpf_redirect with
        // BPF_F_INGRESS to cilium_host): __bpf_rx_skb moves no counter of the device.
        else if (h.action === 'decapsulate' || (h.action === 'receive' && hops[i - 1]?.ebpf?.decision !== 'to-host')) count(h.netns, h.device, 'rx');
      });
    }
  }
  return out;
}

/**
 * The devices of a netns with the packets counted on each, as columns (`ip -s link`'s RX
 * and TX packets, one line per device): lo and a bridge's own device left out (see
 * deviceCounters), every other device shown, 0 where nothing crossed it.
 */
export function deviceCountersText(devices: readonly { name: string; kind: string }[], counts: ReadonlyMap<string, DevicePackets> | undefined): string {
  const shown = devices.filter((d) => d.kind !== 'bridge' && d.kind !== 'loopback' && d.name !== 'lo');
  const width = Math.max(6, ...shown.map((d) => d.name.length));
  const lines = [`${'DEVICE'.padEnd(width)}  RX packets  TX packets`];
  for (const d of shown) {
    const c = counts?.get(d.name) ?? { rx: 0, tx: 0 };
    lines.push(`${d.name.padEnd(width)}  ${String(c.rx).padStart(10)}  ${String(c.tx).padStart(10)}`);
  }
  return lines.join('\n') + '\n';
}
