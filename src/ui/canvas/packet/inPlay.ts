// What presenter mode frames: the part of the cluster the walk goes through (the
// nodes it visits, whole, with their bar of the node network when it crosses it, and
// the outside client), not the whole cluster. Numbers only, like ../geometry.ts.
import { EXTERNAL_ID, nodeId, podId } from '../../../store/ids.ts';
import type { Box, CanvasGeometry } from '../geometry.ts';
import type { Anchor } from './anchors.ts';

/**
 * Presenter mode draws collapsed the nodes a walk does not visit (./geometry.ts), so the
 * ones it visits sit closer and are framed larger. A node is visited when a hop is in
 * its netns or in one of its pods. No walk: nothing is collapsed.
 */
export function notVisited(hops: { netns: string }[], nodes: { name: string }[], pods: { namespace: string; name: string; nodeName?: string }[]): Set<string> {
  if (!hops.length) return new Set();
  const nodeOf = new Map(pods.map((p) => [`${p.namespace}/${p.name}`, p.nodeName]));
  const visited = new Set<string>();
  for (const h of hops) visited.add(nodeOf.get(h.netns) ?? h.netns);
  return new Set(nodes.filter((n) => !visited.has(n.name)).map((n) => n.name));
}

/** A veth's name is written right of its wire, past the pod's right edge for the last column. */
export const VETH_LABEL_ROOM = 80;

function union(a: Box | null, b: Box): Box {
  if (!a) return { ...b };
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return { x, y, w: Math.max(a.x + a.w, b.x + b.w) - x, h: Math.max(a.y + a.h, b.y + b.h) - y };
}

/** The node whose box holds a pod's (the pod key's host-side veth names it). */
function nodeOfPod(g: CanvasGeometry, pod: string): string | undefined {
  for (const [owner, key] of g.vethOwner) if (key === pod) return owner.slice(0, owner.indexOf('|'));
  return undefined;
}

/**
 * The box around every place the walk visits: each node whole (a pod's node for a
 * pod), the client's box, and down to the node network's bar under each row the
 * packet leaves by, and the collapsed nodes in its rows. Null when no hop is on the canvas.
 */
export function boundsInPlay(anchors: (Anchor | null)[], g: CanvasGeometry, collapsed: ReadonlySet<string> = new Set()): Box | null {
  let out: Box | null = null;
  const nodes = new Set<string>();
  let onNetwork = false;
  for (const a of anchors) {
    if (!a) continue;
    const at = a.place;
    if (at.kind === 'external') out = union(out, g.boxes.get(EXTERNAL_ID) ?? a.box);
    else if (at.kind === 'network') onNetwork = true;
    else if (at.kind === 'pod') {
      const node = nodeOfPod(g, at.pod);
      if (node) nodes.add(node);
      else out = union(out, g.boxes.get(podId(at.pod)) ?? a.box);
    } else nodes.add(at.node);
  }
  for (const n of nodes) {
    const host = g.boxes.get(nodeId(n));
    if (!host) continue;
    out = union(out, host);
    if (!onNetwork) continue;
    // The bar under its row, as wide as the node (the bar itself spans the whole row).
    const bar = g.networkBars.find((b) => b.y >= host.y + host.h);
    if (bar) out = union(out, { x: host.x, y: bar.y, w: host.w, h: bar.h });
  }
  // A collapsed node in a row the walk is in is framed whole too (it is small): every node
  // of the row reads on screen, none is cut at the edge.
  for (const n of collapsed) {
    const b = g.boxes.get(nodeId(n));
    if (out && b && b.y < out.y + out.h && out.y < b.y + b.h) out = union(out, b);
  }
  // Room on the right for the veth names written beside the last column's wires.
  return out && { ...out, w: out.w + VETH_LABEL_ROOM };
}
