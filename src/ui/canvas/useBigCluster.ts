// The canvas's side of a big cluster (./bigCluster.ts): which nodes are collapsed now,
// and framing what the search found once it is drawn.
import { useEffect, useMemo } from 'react';
import { useStore } from 'zustand';
import type { Scenario } from '../../sim/model.ts';
import { aroundFound, bigView, collapsedNodes, forgetExpanded, isBigCluster, nodeOfStep, visitedNodes } from './bigCluster.ts';
import { usePlayground } from '../playground.ts';
import type { BigClusterView, Layout } from './layout.ts';
import type { Box } from './geometry.ts';

/** Null for a small cluster, and while presenting (presenter mode collapses by the walk alone). */
export function useBigClusterNodes(scenario: Scenario, hops: readonly { netns: string }[], presenting: boolean): { collapsed: Set<string>; view: BigClusterView } | null {
  const expanded = useStore(bigView, (v) => v.expanded);
  // Another cluster (imported, New, restored): nothing of the last one stays expanded.
  const nodesKey = useMemo(() => scenario.nodes.map((n) => n.name).join('|'), [scenario.nodes]);
  useEffect(() => forgetExpanded(), [nodesKey]);
  const big = !presenting && isBigCluster(scenario.nodes.length, scenario.pods.length);
  return useMemo(() => {
    if (!big) return null;
    const visited = visitedNodes(hops, scenario.nodes, scenario.pods);
    return { collapsed: collapsedNodes(scenario.nodes, scenario.pods.length, expanded, visited), view: { visited } };
  }, [big, hops, scenario, expanded]);
}

/** The box around what the search found, while it is drawn; null when nothing was found (or it is gone). */
export function useFoundBox(lay: Layout): Box | null {
  const focus = useStore(bigView, (v) => v.focus);
  const box = focus ? lay.boxes.get(focus) : undefined;
  const key = box ? `${box.x},${box.y},${box.w},${box.h}` : '';
  // The same numbers, the same object: the view is not framed again for a layout that did not move it.
  return useMemo(() => (box ? aroundFound(box) : null), [key]);
}

/** The node the packet is in at the current step (on the node network: the last node it was in), or null when not following. */
export function useFollowedNode(follow: boolean, hops: readonly { netns: string }[], scenario: Scenario): string | null {
  const step = usePlayground((s) => s.step);
  return useMemo(() => (follow ? nodeOfStep(hops, step, scenario.nodes, scenario.pods) : null), [follow, hops, step, scenario]);
}
