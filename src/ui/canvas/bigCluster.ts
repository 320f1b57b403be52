// A big cluster (a real dump: hundreds of nodes, thousands of pods) is drawn with its
// nodes collapsed: each node's box with its name, InternalIP, podCIDR and pod count,
// its pods and devices not drawn until a person expands it. Numbers and sets only (no
// React), like ./geometry.ts.
//
// The packet's path stays whole: every node a walk visits is drawn expanded, so a
// packet is never drawn into a box whose pods are not there.
import { create } from 'zustand';

/**
 * Above 40 nodes (or 2,000 pods) nodes are drawn collapsed. 40 expanded nodes still fit
 * a 1920×1080 canvas as a readable overview zoomed out; past that, a fitted view of the
 * whole cluster is a blur of pods and every pan paints thousands of boxes. (The 20-node
 * × 50-pod cluster of `npm run bench:ui` stays expanded: it measures the full drawing.)
 */
export const COLLAPSE_ABOVE_NODES = 40;
export const COLLAPSE_ABOVE_PODS = 2000;

export function isBigCluster(nodeCount: number, podCount: number): boolean {
  return nodeCount > COLLAPSE_ABOVE_NODES || podCount > COLLAPSE_ABOVE_PODS;
}

/** The nodes a walk passes through: a pod's netns (named by the pod's key) is in its node; a node's own netns is named by the node. */
export function visitedNodes(hops: readonly { netns: string }[], nodes: readonly { name: string }[], pods: readonly { namespace: string; name: string; nodeName?: string }[]): Set<string> {
  const visited = new Set<string>();
  if (!hops.length) return visited;
  const netns = new Set(hops.map((h) => h.netns));
  for (const p of pods) if (p.nodeName && netns.has(`${p.namespace}/${p.name}`)) visited.add(p.nodeName);
  for (const n of nodes) if (netns.has(n.name)) visited.add(n.name);
  return visited;
}

/**
 * The node a big cluster's view follows at this step of the walk: the one the packet is
 * in, or while it is between nodes (on the node network, at the client), the last one it
 * was in (the first it will be in, before it reaches any). Null without a walk in a node.
 */
export function nodeOfStep(hops: readonly { netns: string }[], step: number, nodes: readonly { name: string }[], pods: readonly { namespace: string; name: string; nodeName?: string }[]): string | null {
  if (!hops.length) return null;
  const at = Math.min(Math.max(step, 0), hops.length - 1);
  const nodeOf = (i: number) => [...visitedNodes([hops[i]], nodes, pods)][0];
  for (let i = at; i >= 0; i--) {
    const n = nodeOf(i);
    if (n) return n;
  }
  for (let i = at + 1; i < hops.length; i++) {
    const n = nodeOf(i);
    if (n) return n;
  }
  return null;
}

/**
 * The nodes drawn collapsed in a big cluster: all of them, but those a person expanded
 * and those the walk visits. A small cluster: none.
 */
export function collapsedNodes(nodes: readonly { name: string }[], podCount: number, expanded: ReadonlySet<string>, visited: ReadonlySet<string>): Set<string> {
  if (!isBigCluster(nodes.length, podCount)) return new Set();
  return new Set(nodes.filter((n) => !expanded.has(n.name) && !visited.has(n.name)).map((n) => n.name));
}

/**
 * Which nodes a person expanded, and what the canvas should frame next (a pod found by
 * search). View state, not the cluster: not in undo history, not saved.
 */
interface BigView {
  expanded: ReadonlySet<string>;
  /**
   * The canvas id of what the search found: the view is framed around it (and stays so
   * when the canvas changes size, e.g. as the netns terminal opens), until a walk is
   * followed or something else is found.
   */
  focus: string | null;
}
export const bigView = create<BigView>(() => ({ expanded: new Set(), focus: null }));

export function expandNode(name: string) {
  const { expanded } = bigView.getState();
  if (!expanded.has(name)) bigView.setState({ expanded: new Set([...expanded, name]) });
}
export function collapseNode(name: string) {
  const { expanded } = bigView.getState();
  if (!expanded.has(name)) return;
  const next = new Set(expanded);
  next.delete(name);
  bigView.setState({ expanded: next });
}
/** Frame this canvas id (a pod, a node, a Service) once the canvas has drawn it. */
export function frameOnCanvas(id: string) {
  bigView.setState({ focus: id });
}
/** A new cluster (imported, New): nothing of the last one stays expanded. */
export function forgetExpanded() {
  bigView.setState({ expanded: new Set(), focus: null });
}

/** Room around what was found, in canvas units: its neighbours show, and its small print is above the far zoom. */
const FOCUS_MARGIN = { x: 400, y: 250 };
export function aroundFound(b: { x: number; y: number; w: number; h: number }) {
  return { x: b.x - FOCUS_MARGIN.x, y: b.y - FOCUS_MARGIN.y, w: b.w + 2 * FOCUS_MARGIN.x, h: b.h + 2 * FOCUS_MARGIN.y };
}
