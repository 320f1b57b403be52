// Calico's IPAM (libcalico-go lib/ipam, v3.31.0), as far as podpath needs it: the
// pool (the cluster's podCIDR) is cut into blocks of blockSize (/26: 64 addresses);
// a node takes a block when it has none free (its block affinity), and hands out
// every address of its blocks, the block's network address too (a block is not a
// subnet: pods are /32s). When a node starts with IPIP or VXLAN on, it takes a block
// at once for its tunnel address, the block's first.
//
// Where podpath differs, and says so: Calico starts each host's search for a free block
// at a pseudo-random block seeded by the host's name (randomBlockGenerator); podpath
// takes the first free block of the pool, so block numbers differ from a real
// cluster's, not the shape. Calico lets a node borrow an address from another node's
// block when the pool is exhausted (strictAffinity false); podpath reports the pool
// full instead. Within its blocks a node continues after the address it handed out
// last (Calico puts a freed ordinal at the back of the block's unallocated list).
import type { NodeSpec, PodSpec, Scenario } from '../model.ts';
import { objectKey } from '../model.ts';
import type { PodpathIssue } from '../errors.ts';
import { calicoPoolOf, hasTunnelAddress, type CalicoPool } from '../cni/calicoPool.ts';
import { addressProblem, block, blockAt, blockContains, cidrProblem, ipNumber, ipText, type Block } from './addresses.ts';

const nodeDoc = (n: { name: string }) => `Node/${n.name}`;
export const CALICO_BLOCKS_FIELD = 'metadata.annotations[podpath.dev/calico-block-affinities]';

export class CalicoIpam {
  readonly pool: Block;
  readonly settings: CalicoPool;
  private readonly size: number;
  /** Block (its first address) → the node holding it. */
  private readonly holder = new Map<number, NodeSpec>();
  /** Addresses in use: pods', and each node's tunnel address. */
  private readonly taken = new Map<number, string>();
  private cursor: number;

  constructor(private readonly s: Scenario) {
    this.pool = block(s.cluster.podCIDR);
    this.settings = calicoPoolOf(s.cluster);
    this.size = 2 ** (32 - this.settings.blockSize);
    this.cursor = this.pool.first;
  }

  /** Check and record the blocks nodes hold; give a node its first block (for its tunnel address) when the pool says so. */
  nodeBlocks(): PodpathIssue[] {
    const issues: PodpathIssue[] = [];
    const s = this.s;
    if (this.settings.blockSize < this.pool.prefixLength) {
      return [{ document: 'Cluster', field: 'spec.calico.blockSize', reason: `/${this.settings.blockSize} blocks do not fit inside the pool (the podCIDR) ${s.cluster.podCIDR}: Calico needs blockSize ≥ the pool's prefix length` }];
    }
    for (const n of s.nodes) {
      delete n.podCIDR; // Calico's IPAM does not use the node's spec.podCIDR.
      const kept: string[] = [];
      for (const b of n.calicoBlocks ?? []) {
        const problem = cidrProblem(b);
        const bl = problem ? undefined : block(b);
        const reason = problem
          ? problem
          : bl!.prefixLength !== this.settings.blockSize
            ? `${b} is not a /${this.settings.blockSize} block (the pool's blockSize)`
            : bl!.first < this.pool.first || bl!.last > this.pool.last
              ? `${b} is outside the pool (podCIDR) ${s.cluster.podCIDR}`
              : this.holder.has(bl!.first)
                ? `${b} is already node ${this.holder.get(bl!.first)!.name}'s block`
                : undefined;
        if (reason) {
          issues.push({ document: nodeDoc(n), field: CALICO_BLOCKS_FIELD, reason });
          continue;
        }
        this.holder.set(bl!.first, n);
        kept.push(bl!.cidr);
      }
      if (kept.length) n.calicoBlocks = kept;
      else delete n.calicoBlocks;
    }
    if (!hasTunnelAddress(this.settings)) return issues;
    for (const n of s.nodes) {
      if (!n.calicoBlocks?.length) {
        const b = this.freeBlock();
        if (b === undefined) {
          issues.push({ document: nodeDoc(n), field: CALICO_BLOCKS_FIELD, reason: `the pool ${s.cluster.podCIDR} has no free /${this.settings.blockSize} block left for this node's tunnel address` });
          continue;
        }
        this.claim(n, b);
      }
      this.taken.set(block(n.calicoBlocks![0]).first, `node ${n.name}'s tunnel address`);
    }
    return issues;
  }

  /** Why a pod's stored address cannot be kept on this node, or undefined. */
  storedProblem(podIP: string, node: NodeSpec, seen: Map<number, PodSpec>): string | undefined {
    const problem = addressProblem(podIP);
    if (problem) return problem;
    const ip = ipNumber(podIP);
    if (!blockContains(this.pool, ip)) return `${podIP} is outside the pool (podCIDR) ${this.s.cluster.podCIDR}`;
    const holder = this.holder.get(this.blockStart(ip));
    if (holder && holder !== node) return `${podIP} is in block ${this.blockOf(ip).cidr}, which node ${holder.name} holds: podpath gives a pod an address from a block of its own node (Calico borrows from another node's block only when the pool is exhausted)`;
    const user = this.taken.get(ip);
    if (user) return `${podIP} is ${user}`;
    if (seen.has(ip)) return `${podIP} is already pod ${objectKey(seen.get(ip)!)}'s address`;
    return undefined;
  }

  /** A pod on `node` holds `ip` (its block becomes the node's, if no one held it). */
  hold(ip: number, node: NodeSpec, pod: PodSpec): void {
    const start = this.blockStart(ip);
    if (!this.holder.has(start)) this.claim(node, start);
    this.taken.set(ip, `already pod ${objectKey(pod)}'s address`);
  }

  /** The address the node would hand out next, taking a new block if its own are full; undefined when the pool is. */
  next(node: NodeSpec): number | undefined {
    const blocks = node.calicoBlocks ?? [];
    const total = blocks.length * this.size;
    if (total > 0) {
      const at = (i: number) => block(blocks[Math.floor(i / this.size)]).first + (i % this.size);
      let start = 0;
      if (node.lastReservedIP && !addressProblem(node.lastReservedIP)) {
        const last = ipNumber(node.lastReservedIP);
        const k = blocks.findIndex((b) => blockContains(block(b), last));
        if (k >= 0) start = (k * this.size + (last - block(blocks[k]).first) + 1) % total;
      }
      for (let j = 0; j < total; j++) {
        const ip = at((start + j) % total);
        if (!this.taken.has(ip)) return ip;
      }
    }
    return this.freeBlock();
  }

  /** Hand out `ip` (from next) to a pod on `node`. */
  take(ip: number, node: NodeSpec, pod: PodSpec): void {
    this.hold(ip, node, pod);
    node.lastReservedIP = ipText(ip);
  }

  /** Addresses still free in the pool (every block, held or not). */
  free(): number {
    return this.pool.last - this.pool.first + 1 - this.taken.size;
  }

  where(node: NodeSpec): string {
    return `the pool ${this.s.cluster.podCIDR} (node ${node.name}'s blocks ${(node.calicoBlocks ?? []).join(', ') || 'none yet'})`;
  }

  private blockStart(ip: number): number {
    return ip - ((ip - this.pool.first) % this.size);
  }

  private blockOf(ip: number): Block {
    return blockAt(this.blockStart(ip), this.settings.blockSize);
  }

  /** The first block of the pool no node holds. */
  private freeBlock(): number | undefined {
    while (this.cursor + this.size - 1 <= this.pool.last && this.holder.has(this.cursor)) this.cursor += this.size;
    return this.cursor + this.size - 1 <= this.pool.last ? this.cursor : undefined;
  }

  private claim(node: NodeSpec, start: number): void {
    const b = blockAt(start, this.settings.blockSize);
    this.holder.set(start, node);
    node.calicoBlocks = [...(node.calicoBlocks ?? []), b.cidr];
  }
}
