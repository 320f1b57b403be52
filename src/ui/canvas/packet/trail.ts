// The packet's trail: the way it came, drawn along the wires it travelled (a pod's
// veth, cni0, the node's uplink, eth0, the node network's bar), never as a straight
// line across other boxes. Numbers only, like ../geometry.ts.
//
// The wires of the canvas form a tree under the node network: every place in a node
// has a stem, the points from it down its wires to its row's bar. The way from one
// place to the next is the first stem up to the point the two stems share, then
// down the second; two stems that share nothing meet on the node network (along a
// bar, or through the trunk joining the bars of two rows).
import { bridgeId, EXTERNAL_ID, nicId, nodeId, podId, tunnelId } from '../../../store/ids.ts';
import type { XY } from '../../../store/store.ts';
import { VETH_LEN, VETH_DETOUR, type Box, type CanvasGeometry } from '../geometry.ts';
import type { Anchor } from './anchors.ts';

/** Left of the bars, where the trunk joining the rows of the node network runs (as edges.tsx draws it). */
const TRUNK_OFFSET = 28;

const midY = (b: Box) => b.y + b.h / 2;
const midX = (b: Box) => b.x + b.w / 2;

/** The node network's bar under a box (the row it stands in). */
function barUnder(g: CanvasGeometry, b: Box): Box | undefined {
  return g.networkBars.find((bar) => bar.y >= b.y + b.h) ?? g.networkBars[g.networkBars.length - 1];
}

/** From the node's IP stack down to the node network: the uplink under cni0 to the level of eth0, along to eth0, down its wire. */
function hubStem(g: CanvasGeometry, node: string): XY[] {
  const bridge = g.boxes.get(bridgeId(node));
  const nic = g.boxes.get(nicId(node));
  const host = g.boxes.get(nodeId(node));
  if (!bridge || !nic || !host) return [];
  const bar = barUnder(g, host);
  const hub = { x: midX(bridge), y: nic.y };
  const out = [hub, { x: midX(nic), y: nic.y }];
  if (bar) out.push({ x: midX(nic), y: midY(bar) });
  return out;
}

/** From cni0's top edge at x, along it to its middle and down the uplink. */
function bridgeStem(g: CanvasGeometry, node: string, x: number): XY[] {
  const bridge = g.boxes.get(bridgeId(node));
  if (!bridge) return hubStem(g, node);
  return [{ x, y: bridge.y }, { x: midX(bridge), y: bridge.y }, ...hubStem(g, node)];
}

/** From a point on a pod's veth (`fromY`), down the wire as VethEdge draws it, into cni0. */
function vethStem(g: CanvasGeometry, node: string, pod: string, fromY: number): XY[] {
  const p = g.boxes.get(podId(pod));
  const bridge = g.boxes.get(bridgeId(node));
  if (!p || !bridge) return hubStem(g, node);
  const x = midX(p);
  const bottom = p.y + p.h;
  if (!g.upperRowPods.has(podId(pod))) return [{ x, y: Math.max(fromY, bottom) }, ...bridgeStem(g, node, x)];
  // A pod with pods below: the wire drops 12, turns into the gap between columns, then down.
  const turn = bottom + 12;
  const start = fromY < turn ? [{ x, y: Math.max(fromY, bottom) }, { x, y: turn }] : [{ x, y: turn }];
  return [...start, { x: x + VETH_DETOUR, y: turn }, ...bridgeStem(g, node, x + VETH_DETOUR)];
}

/** Where on a pod's veth the packet stands at the host end (as ./anchors.ts places it). */
function vethY(g: CanvasGeometry, pod: string, p: Box): number {
  return g.upperRowPods.has(podId(pod)) ? p.y + p.h + 12 : p.y + p.h + VETH_LEN / 2;
}

/** The node a pod's box stands in. */
function hostOfPod(g: CanvasGeometry, pod: string): string | undefined {
  for (const [owner, key] of g.vethOwner) if (key === pod) return owner.slice(0, owner.indexOf('|'));
  return undefined;
}

/** The points from where the packet is down its wires to the node network. */
export function stemOf(a: Anchor, g: CanvasGeometry): XY[] {
  const at = a.place;
  switch (at.kind) {
    case 'external': {
      const b = g.boxes.get(EXTERNAL_ID);
      const bar = g.networkBars[0];
      if (!b || !bar) return [];
      // Above the bar (presenting, the first node collapsed): its wire drops from its bottom's middle.
      if (b.y + b.h < bar.y - 40) return [{ x: midX(b), y: b.y + b.h }, { x: midX(b), y: midY(bar) }];
      // The client's wire joins the first bar's end, level with the bar's middle.
      return [{ x: b.x + b.w, y: midY(bar) }];
    }
    case 'network':
      return [{ x: a.x, y: a.y }];
    case 'pod': {
      const node = hostOfPod(g, at.pod);
      const p = g.boxes.get(podId(at.pod));
      if (!p) return [];
      // Inside the pod (its socket, its route lookup, lo): the trail starts at its eth0, on its bottom edge.
      const inside = { x: midX(p), y: Math.min(a.y, p.y + p.h) };
      // Through the very point the host end of its veth stands at, so the two share their way down.
      return node ? [inside, { x: midX(p), y: p.y + p.h }, ...vethStem(g, node, at.pod, vethY(g, at.pod, p))] : [inside];
    }
    case 'veth': {
      const p = g.boxes.get(podId(at.pod));
      return vethStem(g, at.node, at.pod, p ? vethY(g, at.pod, p) : a.y);
    }
    case 'bridge':
      return bridgeStem(g, at.node, a.x);
    case 'nic': {
      const nic = g.boxes.get(nicId(at.node));
      const host = g.boxes.get(nodeId(at.node));
      const bar = host && barUnder(g, host);
      if (!nic) return [];
      return bar ? [{ x: midX(nic), y: nic.y }, { x: midX(nic), y: midY(bar) }] : [{ x: midX(nic), y: nic.y }];
    }
    case 'tunnel': {
      // flannel.1 sits beside eth0: the trail comes through its box, from the level the uplink reaches.
      const t = g.boxes.get(tunnelId(at.node));
      if (!t) return hubStem(g, at.node);
      return [{ x: midX(t), y: t.y + t.h }, { x: midX(t), y: t.y }, ...hubStem(g, at.node)];
    }
    case 'node':
      return hubStem(g, at.node);
  }
}

const same = (a: XY, b: XY) => a.x === b.x && a.y === b.y;

/** The way along the wires from one place to the next: both stems to the point they share, or to the node network. */
export function route(from: XY[], to: XY[], g: CanvasGeometry): XY[] {
  if (!from.length || !to.length) return [...from.slice(0, 1), ...to.slice(0, 1)];
  // Drop the part of the stems both share, keeping the point where they meet.
  let i = from.length - 1;
  let j = to.length - 1;
  if (same(from[i], to[j])) {
    while (i > 0 && j > 0 && same(from[i - 1], to[j - 1])) {
      i--;
      j--;
    }
    return [...from.slice(0, i + 1), ...to.slice(0, j).reverse()];
  }
  // Nothing shared: both reach the node network; along one bar, or through the trunk between two rows.
  const a = from[from.length - 1];
  const b = to[to.length - 1];
  const between: XY[] = [];
  if (a.y !== b.y && g.networkBars.length > 1) {
    const x = Math.min(...g.networkBars.map((bar) => bar.x)) - TRUNK_OFFSET;
    between.push({ x, y: a.y }, { x, y: b.y });
  }
  return [...from, ...between, ...[...to].reverse()];
}

/** Consecutive points with nothing between them drawn once; points on a straight run dropped. */
function simplify(points: XY[]): XY[] {
  const out: XY[] = [];
  for (const p of points) {
    if (out.length && same(out[out.length - 1], p)) continue;
    if (out.length >= 2) {
      const a = out[out.length - 2];
      const b = out[out.length - 1];
      const colinear = (a.x === b.x && b.x === p.x) || (a.y === b.y && b.y === p.y);
      // Only a run that keeps its direction (a trail going back over itself keeps its turn).
      const onward = colinear && (b.x - a.x) * (p.x - b.x) >= 0 && (b.y - a.y) * (p.y - b.y) >= 0;
      if (onward) out[out.length - 1] = p;
      else out.push(p);
    } else out.push(p);
  }
  return out;
}

/**
 * The trail up to hop `upTo`: through the wires between each place and the next.
 * Empty while the packet has not moved from its first place.
 */
export function trailOf(anchors: (Anchor | null)[], upTo: number, g: CanvasGeometry): XY[] {
  const stems = anchors.slice(0, upTo + 1).filter((a): a is Anchor => !!a).map((a) => stemOf(a, g));
  if (stems.length < 2) return [];
  const points: XY[] = [];
  for (let k = 0; k + 1 < stems.length; k++) points.push(...route(stems[k], stems[k + 1], g));
  return simplify(points);
}

/** An SVG path through the points. */
export function pathOf(points: XY[]): string {
  return points.map((p, k) => `${k === 0 ? 'M' : 'L'} ${p.x} ${p.y}`).join(' ');
}
