// A set of address blocks that answers "does this block overlap one we have?"
// in O(log n), so 5,000 node podCIDRs are checked without comparing every pair.
import type { Block } from './addresses.ts';

export class BlockSet {
  /** Non-overlapping blocks sorted by first address. */
  private readonly blocks: Block[] = [];

  /** The block already in the set that overlaps `b`, if any. */
  overlapping(b: Block): Block | undefined {
    const i = this.indexAfter(b.first);
    for (const j of [i - 1, i]) {
      const x = this.blocks[j];
      if (x && x.first <= b.last && b.first <= x.last) return x;
    }
    return undefined;
  }

  add(b: Block): void {
    this.blocks.splice(this.indexAfter(b.first), 0, b);
  }

  /** Index of the first block starting after `first`. */
  private indexAfter(first: number): number {
    let lo = 0;
    let hi = this.blocks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.blocks[mid].first <= first) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
