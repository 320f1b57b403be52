// Where a hop happens, in words: the hop list, the presenter panel and the screen
// reader's announcement say it the same way.
import type { Hop } from '../../sim/trace/types.ts';

/** Where a hop happens, for a person: the node network is named as what it is (a switch, or a VPC's fabric). */
export function hopWhere(h: Hop, nodeNetwork = 'node network'): string {
  if (h.netns === 'node-network') return nodeNetwork;
  return `${h.netns} · ${h.device}`;
}
