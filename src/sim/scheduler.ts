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

/** A binary min-heap ordered by `less`; callers skip (or put back) stale entries when popped. */
class MinHeap<T> {
  private readonly items: T[] = [];
  constructor(private readonly less: (x: T, y: T) => boolean) {}
  push(item: T): void {
    const a = this.items;
    a.push(item);
    for (let i = a.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!this.less(a[i], a[parent])) break;
      [a[i], a[parent]] = [a[parent], a[i]];
      i = parent;
    }
  }
  pop(): T | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length && last !== undefined) {
      a[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l], a[m])) m = l;
        if (r < a.length && this.less(a[r], a[m])) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m], a[i]];
        i = m;
      }
    }
    return top;
  }
}
/** [pods there, node index]: the least loaded node, then file order. */
const byLoad = (x: [number, number], y: [number, number]) => x[0] < y[0] || (x[0] === y[0] && x[1] < y[1]);
/** [the workload's pods there, pods there, node index]. */
const bySpread = (x: [number, number, number], y: [number, number, number]) => x[0] < y[0] || (x[0] === y[0] && (x[1] < y[1] || (x[1] === y[1] && x[2] < y[2])));

export class Scheduler {
  private readonly podsOnNode: number[];
  private readonly index = new Map<string, number>();
  /** workload → node index → pods of that workload there. */
  private readonly spread = new Map<string, Map<number, number>>();
  private readonly heap = new MinHeap<[number, number]>(byLoad);
  /** For a workload on every node: its nodes by (its pods there, pods there, file order). */
  private readonly spreadHeaps = new Map<string, MinHeap<[number, number, number]>>();

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
    // Every node has some of this workload: the fewest of it, then the fewest pods, then
    // file order. A heap per such workload (keys only grow, so a stale entry is put back
    // with its current key when popped): a 145,000-replica Deployment on 5,000 nodes
    // asked every node for every pod before, minutes of work.
    const key = workloadKey(pod);
    let heap = this.spreadHeaps.get(key);
    if (!heap) {
      heap = new MinHeap<[number, number, number]>(bySpread);
      for (let i = 0; i < this.nodeNames.length; i++) heap.push([counts.get(i) ?? 0, this.podsOnNode[i], i]);
      this.spreadHeaps.set(key, heap);
    }
    const setAside: [number, number, number][] = [];
    let found: number | undefined;
    for (let item = heap.pop(); item; item = heap.pop()) {
      const [count, load, i] = item;
      const now: [number, number, number] = [counts.get(i) ?? 0, this.podsOnNode[i], i];
      if (count !== now[0] || load !== now[1]) {
        heap.push(now);
        continue;
      }
      setAside.push(item);
      if (fits(this.nodeNames[i])) {
        found = i;
        break;
      }
    }
    for (const item of setAside) heap.push(item);
    return found === undefined ? undefined : this.nodeNames[found];
  }
}
