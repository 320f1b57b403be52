// Where a pod without spec.nodeName runs. One deterministic rule, close to what
// the default scheduler's scoring does for identical pods:
//   1. PodTopologySpread's default constraint (topologyKey kubernetes.io/hostname):
//      prefer the node with the fewest pods of the same workload (or, for a bare
//      pod, the same labels);
//   2. NodeResourcesFit's LeastAllocated: then the node with the fewest pods;
//   3. then the node that comes first in the file (the real scheduler breaks
//      ties at random; we break them by order so a scenario always looks the same).
// Nodes whose podCIDR has no free address are skipped (the caller says which).
import type { PodSpec } from './model.ts';

export function workloadKey(pod: PodSpec): string {
  if (pod.ownerKind && pod.ownerName) return `${pod.namespace}/${pod.ownerKind}/${pod.ownerName}`;
  const labels = Object.entries(pod.labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  return `${pod.namespace}/labels/${labels}`;
}

/** A min-heap of [podCount, nodeIndex]; stale entries are skipped when popped. */
class NodeHeap {
  private readonly items: [number, number][] = [];
  push(item: [number, number]): void {
    const a = this.items;
    a.push(item);
    for (let i = a.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!less(a[i], a[parent])) break;
      [a[i], a[parent]] = [a[parent], a[i]];
      i = parent;
    }
  }
  pop(): [number, number] | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length && last) {
      a[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && less(a[l], a[m])) m = l;
        if (r < a.length && less(a[r], a[m])) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m], a[i]];
        i = m;
      }
    }
    return top;
  }
}
const less = (x: [number, number], y: [number, number]) => x[0] < y[0] || (x[0] === y[0] && x[1] < y[1]);

export class Scheduler {
  private readonly podsOnNode: number[];
  private readonly index = new Map<string, number>();
  /** workload → node index → pods of that workload there. */
  private readonly spread = new Map<string, Map<number, number>>();
  private readonly heap = new NodeHeap();

  constructor(private readonly nodeNames: string[]) {
    this.podsOnNode = nodeNames.map(() => 0);
    nodeNames.forEach((n, i) => {
      this.index.set(n, i);
      this.heap.push([0, i]);
    });
  }

  /** Record a pod bound to a node. */
  bind(pod: PodSpec, nodeName: string): void {
    const i = this.index.get(nodeName);
    if (i === undefined) return;
    this.podsOnNode[i]++;
    this.heap.push([this.podsOnNode[i], i]);
    const key = workloadKey(pod);
    let counts = this.spread.get(key);
    if (!counts) this.spread.set(key, (counts = new Map()));
    counts.set(i, (counts.get(i) ?? 0) + 1);
  }

  /** The node the rule picks for this pod among those `fits` accepts, or undefined. */
  pick(pod: PodSpec, fits: (nodeName: string) => boolean): string | undefined {
    const counts = this.spread.get(workloadKey(pod)) ?? new Map<number, number>();
    // While some node has none of this workload, the answer is the least loaded such
    // node: take it from the heap instead of scanning every node.
    if (counts.size < this.nodeNames.length) {
      const setAside: [number, number][] = [];
      let found: number | undefined;
      for (let item = this.heap.pop(); item; item = this.heap.pop()) {
        const [load, i] = item;
        if (load !== this.podsOnNode[i]) continue; // stale entry
        setAside.push(item);
        if (!counts.has(i) && fits(this.nodeNames[i])) {
          found = i;
          break;
        }
      }
      for (const item of setAside) this.heap.push(item);
      if (found !== undefined) return this.nodeNames[found];
    }
    let best: number | undefined;
    for (let i = 0; i < this.nodeNames.length; i++) {
      if (!fits(this.nodeNames[i])) continue;
      if (best === undefined) best = i;
      else {
        const a = counts.get(i) ?? 0;
        const b = counts.get(best) ?? 0;
        if (a < b || (a === b && this.podsOnNode[i] < this.podsOnNode[best])) best = i;
      }
    }
    return best === undefined ? undefined : this.nodeNames[best];
  }
}
