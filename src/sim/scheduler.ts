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

export class Scheduler {
  private readonly podsOnNode = new Map<string, number>();
  private readonly workloadOnNode = new Map<string, number>();

  constructor(private readonly nodeNames: string[]) {
    for (const n of nodeNames) this.podsOnNode.set(n, 0);
  }

  /** Record a pod already bound to a node. */
  bind(pod: PodSpec, nodeName: string): void {
    this.podsOnNode.set(nodeName, (this.podsOnNode.get(nodeName) ?? 0) + 1);
    const key = `${workloadKey(pod)}@${nodeName}`;
    this.workloadOnNode.set(key, (this.workloadOnNode.get(key) ?? 0) + 1);
  }

  /** The node the rule picks for this pod among those `fits` accepts, or undefined. */
  pick(pod: PodSpec, fits: (nodeName: string) => boolean): string | undefined {
    const workload = workloadKey(pod);
    let best: string | undefined;
    let bestScore: [number, number] = [Infinity, Infinity];
    for (const name of this.nodeNames) {
      if (!fits(name)) continue;
      const score: [number, number] = [this.workloadOnNode.get(`${workload}@${name}`) ?? 0, this.podsOnNode.get(name) ?? 0];
      if (score[0] < bestScore[0] || (score[0] === bestScore[0] && score[1] < bestScore[1])) {
        best = name;
        bestScore = score;
      }
    }
    return best;
  }
}
