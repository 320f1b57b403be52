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
