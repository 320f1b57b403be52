// A set of address blocks that answers "does this block overlap one we have?"
// in O(log n), so 5,000 node podCIDRs are checked without comparing every pair.
import type { IPv4CidrRange } from 'ip-num';

export class BlockSet {
  /** Non-overlapping blocks sorted by first address: [first, last, cidr]. */
  private readonly blocks: [bigint, bigint, string][] = [];

  /** The block already in the set that overlaps `range`, if any. */
  overlapping(range: IPv4CidrRange): string | undefined {
    const first = range.getFirst().getValue();
    const last = range.getLast().getValue();
    const i = this.indexAfter(first);
    for (const j of [i - 1, i]) {
      const b = this.blocks[j];
      if (b && b[0] <= last && first <= b[1]) return b[2];
    }
    return undefined;
  }

  add(range: IPv4CidrRange): void {
    const first = range.getFirst().getValue();
    this.blocks.splice(this.indexAfter(first), 0, [first, range.getLast().getValue(), range.toCidrString()]);
  }

  /** Index of the first block starting after `first`. */
  private indexAfter(first: bigint): number {
    let lo = 0;
    let hi = this.blocks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.blocks[mid][0] <= first) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
