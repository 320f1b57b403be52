// The canvas's side of a big cluster (./bigCluster.ts): which nodes are collapsed now,
// and framing what the search found once it is drawn.
import { useEffect, useMemo } from 'react';
import { useReactFlow } from '@xyflow/react';
import { useStore } from 'zustand';
import type { Scenario } from '../../sim/model.ts';
import { motionMs } from '../a11y/motion.ts';
import { bigView, collapsedNodes, forgetExpanded, isBigCluster, nodeOfStep, visitedNodes } from './bigCluster.ts';
import { usePlayground } from '../playground.ts';
import type { BigClusterView, Layout } from './layout.ts';

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

/** How close a found pod is framed: its name and address read at once. */
const FOUND_ZOOM = 0.9;

/** Centre the canvas on what the search found, once the layout has drawn it (its node may just have been expanded). */
export function useFrameFound(lay: Layout) {
  const flow = useReactFlow();
  const target = useStore(bigView, (v) => v.frame);
  useEffect(() => {
    if (!target) return;
    const box = lay.boxes.get(target);
    if (!box) return;
    bigView.setState({ frame: null });
    void flow.setCenter(box.x + box.w / 2, box.y + box.h / 2, { zoom: FOUND_ZOOM, duration: motionMs(300) });
  }, [target, lay, flow]);
}

/** The node the packet is in at the current step (on the node network: the last node it was in), or null when not following. */
export function useFollowedNode(follow: boolean, hops: readonly { netns: string }[], scenario: Scenario): string | null {
  const step = usePlayground((s) => s.step);
  return useMemo(() => (follow ? nodeOfStep(hops, step, scenario.nodes, scenario.pods) : null), [follow, hops, step, scenario]);
}
