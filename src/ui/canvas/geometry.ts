// Where everything goes on the canvas, as numbers only: no React, no React Flow
// (like xyflow's packages/system; ./layout.ts is the thin adapter that turns this
// into React Flow nodes and edges, ./packet/anchors.ts places the packet on it).
//
// Nodes (hosts) in rows on the node network, their pods in a grid inside them above
// the cni0 bridge, eth0 (and flannel.1 beside it) below; Services in a row above the
// nodes, the external client to the left. Hosts and Services keep the place a person
// dragged them to; everything inside a host is placed by rule so it always reads the same.
import { bridgeId, EXTERNAL_ID, networkId, nicId, nodeId, podId, ROUTER_ID, serviceId, tunnelId } from '../../store/ids.ts';
import type { XY } from '../../store/store.ts';

export const POD_W = 230;
export const POD_H = 128;
export const POD_GAP = 22;
/** Between rows of pods: room for an upper pod's veth to turn into the gap between columns, and its name. */
export const POD_ROW_GAP = 48;
export const HOST_PAD = 22;
export const HOST_HEADER = 104;
export const VETH_LEN = 64;
export const BRIDGE_H = 58;
export const HOST_GAP = 90;
/** Room for "192.168.56.254/24" in large type; with flannel.1 beside it, it still fits a node of two columns. */
export const NIC_W = 270;
/** Two lines of large type (presenter mode writes eth0 above its address). */
export const NIC_H = 68;
export const TUNNEL_W = 190;
export const LOWER_GAP = 40;
export const NETWORK_H = 64;
export const SERVICE_W = 270;
export const SERVICE_H = 120;
/** Room for its address (192.168.56.254) in large type. */
export const EXTERNAL_W = 260;
export const EXTERNAL_H = 104;
/**
 * A node drawn collapsed (presenter mode, a node the walk does not visit): its name,
 * its address and how many pods it has, in a box this size, its wire to the node
 * network from its bottom. Room for "192.168.56.254" at the largest presenter type.
 */
export const COLLAPSED_W = 250;
export const COLLAPSED_H = 250;
/** A collapsed node's wire to the node network leaves its box's bottom this far from its left edge. */
export const COLLAPSED_WIRE_X = 18;
/** From a row's bottom to its bar when nodes are collapsed (80 otherwise): room for the VXLAN pipe and its label, and the packet. */
const COLLAPSED_BAR_GAP = 66;
/** After a collapsed node in a row (nothing of it is written past its right edge; before it, a node's veth names are). */
const COLLAPSED_GAP = 40;
/** From a row's bottom to the next row's top: the row's node-network bar and air. */
const ROW_GAP = 80 + NETWORK_H + 110;
/** The first row of nodes starts below the row of Services. */
const FIRST_ROW_TOP = SERVICE_H + 110;
/** A pod with pods below it: its veth turns aside by this much, into the gap between columns. */
export const VETH_DETOUR = (POD_W + POD_GAP) / 2;

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Nodes per row: all in one row up to four, then rows about as wide as they are tall, evenly filled. */
export function hostsPerRow(n: number): number {
  if (n <= 4) return Math.max(1, n);
  const most = Math.ceil(Math.sqrt(n * 1.5));
  return Math.ceil(n / Math.ceil(n / most));
}

/**
 * Nodes per row of a big cluster drawn collapsed (./bigCluster.ts): a grid of collapsed
 * boxes about 1.6 times as wide as it is tall, as a landscape canvas is.
 */
export function collapsedPerRow(n: number): number {
  const colPitch = COLLAPSED_W + COLLAPSED_GAP;
  const rowPitch = COLLAPSED_H + ROW_GAP;
  return Math.max(1, Math.min(n, Math.ceil(Math.sqrt((n * rowPitch * 1.6) / colPitch))));
}

export function podColumns(n: number): number {
  if (n <= 2) return 2;
  if (n <= 9) return 3;
  return 5;
}

/** The height of a node's grid of pods (one row even when it has none). */
function podsHeight(podCount: number, cols: number): number {
  const rows = Math.max(1, Math.ceil(podCount / cols));
  return rows * POD_H + (rows - 1) * POD_ROW_GAP;
}

/** A node's box: its header, its pods, their veths, cni0, then eth0 (and flannel.1) below. */
export function hostSize(podCount: number): { w: number; h: number } {
  const cols = podColumns(podCount);
  const w = HOST_PAD * 2 + cols * POD_W + (cols - 1) * POD_GAP;
  const h = HOST_HEADER + podsHeight(podCount, cols) + VETH_LEN + BRIDGE_H + LOWER_GAP + NIC_H + HOST_PAD;
  return { w, h };
}

/** What the geometry needs to know of the cluster: the nodes in order, their pods in order, and where a person put things. */
export interface ClusterShape {
  nodes: HostShape[];
  /** The devices drawn in a node's bridge box: the CNI's bridge (cni0), or the pods' gateway device and its veth peer (cilium_host, cilium_net). */
  bridgeDevices?: readonly string[];
  /** Service keys (`namespace/name`), in order. */
  services: string[];
  /** Places a person chose, by element id (hosts and Services). */
  positions: Record<string, XY>;
}
export interface HostShape {
  name: string;
  /** Its pods by key, each with the host-side end of its veth pair when it has one. */
  pods: { key: string; veth?: string }[];
  /** Whether it has a VXLAN device (flannel.1), drawn left of eth0. */
  tunnel: boolean;
  /** Racks: which node network it is on (its row is that network's). */
  rack?: number;
}

/** A box inside a host: `at` is relative to the host's corner (React Flow's child position), `box` absolute. */
export interface Placed {
  at: XY;
  box: Box;
}
export interface PodPlace extends Placed {
  key: string;
  /** How far its veth turns aside (0: straight down to cni0). */
  detour: number;
}
export interface HostPlace {
  name: string;
  /** Drawn collapsed: no pods, cni0, eth0 or flannel.1 are placed inside (they are still there; the walk does not visit them). */
  collapsed?: boolean;
  /** The row of nodes it is in (its eth0 is wired to that row's bar of the node network). */
  row: number;
  box: Box;
  pods: PodPlace[];
  /** Absent when collapsed. */
  bridge?: Placed;
  /** Absent when collapsed (the node's wire then leaves its box's bottom). */
  nic?: Placed;
  tunnel?: Placed;
}

export interface PlaceOptions {
  /** Nodes drawn collapsed (by name): a small box with the node's name and address, its pods not placed. */
  collapsed?: ReadonlySet<string>;
  /** Nodes per row, when not hostsPerRow's (a big cluster's grid of collapsed nodes: collapsedPerRow). */
  perRow?: number;
}

/** What places a packet on the canvas and finds a drop target (see ./packet/anchors.ts). */
export interface CanvasGeometry {
  /** Absolute boxes by canvas id (see store/ids.ts). */
  boxes: Map<string, Box>;
  /** `node|veth` (the host-side veth device) → the key of the pod it belongs to. */
  vethOwner: Map<string, string>;
  /** The node network's bars, one under each row of nodes, top to bottom (one L2 segment). */
  networkBars: Box[];
  /** Pod ids of pods with more pods below them in their node (their veth turns aside). */
  upperRowPods: Set<string>;
  /** The device names a node's bridge box stands for (a packet on one of them is drawn there). */
  bridgeDevices: ReadonlySet<string>;
}

export interface Placement extends CanvasGeometry {
  hosts: HostPlace[];
  /** The node network's bars by row of nodes (row 0 first), at least one. */
  bars: Box[];
  external: Box;
  /**
   * How the external client's wire joins the node network: 'side', from the left into the
   * first bar's end; 'down', into the bar below it (it then stands above the bar, under
   * the row's first node when that node is collapsed: the walk from outside framed narrower).
   */
  externalWire: 'side' | 'down';
  /** In the order of ClusterShape.services. */
  services: Box[];
  /** Neighbouring VXLAN devices in a row, by node name: one pipe between each pair draws the overlay. */
  tunnelPipes: [string, string][];
  /** Racks: the router joining the node networks, right of their bars (absent with one node network). */
  router?: Box;
}

export const ROUTER_W = 280;

/** Place every box of the cluster. */
export function placeCluster(shape: ClusterShape, options: PlaceOptions = {}): Placement {
  const { nodes, positions } = shape;
  const collapsed = options.collapsed ?? new Set<string>();
  const boxes = new Map<string, Box>();
  const vethOwner = new Map<string, string>();
  const upperRowPods = new Set<string>();

  // Rows of nodes, each with its own bar of the node network underneath. Racks: a row per
  // node network (its own segment), whatever the count of nodes on it.
  const perRow = options.perRow ?? hostsPerRow(nodes.length);
  const racked = nodes.some((n) => n.rack !== undefined);
  const rowOf = (i: number) => (racked ? (nodes[i].rack ?? 0) : Math.floor(i / perRow));
  const rowCount = racked ? Math.max(...nodes.map((n) => n.rack ?? 0)) + 1 : Math.ceil(nodes.length / perRow);
  const sizes = nodes.map((n) => (collapsed.has(n.name) ? { w: COLLAPSED_W, h: COLLAPSED_H } : hostSize(n.pods.length)));
  const rowHeight = Array.from({ length: rowCount }, () => 0);
  sizes.forEach((size, i) => {
    const r = rowOf(i);
    rowHeight[r] = Math.max(rowHeight[r], size.h);
  });
  const rowTop: number[] = [];
  for (let r = 0, y = FIRST_ROW_TOP; r < rowCount; r++) {
    rowTop.push(y);
    y += rowHeight[r] + ROW_GAP;
  }
  // The row's first node collapsed (and placed by rule), with room under it: the client stands there.
  const clientUnder = nodes.length > 1 && collapsed.has(nodes[0].name) && !positions[nodeId(nodes[0].name)] && rowHeight[0] >= COLLAPSED_H + 30 + EXTERNAL_H;
  const rowExtent = Array.from({ length: rowCount }, () => ({ left: Infinity, right: -Infinity, bottom: -Infinity }));

  // A host goes where the person put it, else to the right of the previous one in its row.
  // The node after a collapsed one sits closer (a collapsed node has no veth names written past its edge).
  // Where the last host of each row ended (a row's hosts follow one another in document order).
  const cursor = new Map<number, { right: number; y: number; collapsed: boolean }>();
  const hosts = nodes.map((n, i): HostPlace => {
    const id = nodeId(n.name);
    const { w, h } = sizes[i];
    const row = rowOf(i);
    const prev = cursor.get(row);
    const gap = i === 1 && clientUnder ? COLLAPSED_WIRE_X + 22 + EXTERNAL_W + HOST_GAP - COLLAPSED_W : prev?.collapsed ? COLLAPSED_GAP : HOST_GAP;
    const at = positions[id] ?? (!prev ? { x: 0, y: rowTop[row] } : { x: prev.right + gap, y: prev.y });
    cursor.set(row, { right: at.x + w, y: at.y, collapsed: collapsed.has(n.name) });
    const extent = rowExtent[row];
    extent.left = Math.min(extent.left, at.x);
    extent.right = Math.max(extent.right, at.x + w);
    extent.bottom = Math.max(extent.bottom, at.y + h);
    const box = { x: at.x, y: at.y, w, h };
    boxes.set(id, box);
    if (collapsed.has(n.name)) return { name: n.name, row, box, pods: [], collapsed: true };
    const inside = (childId: string, rel: XY, cw: number, ch: number): Placed => {
      const b = { x: at.x + rel.x, y: at.y + rel.y, w: cw, h: ch };
      boxes.set(childId, b);
      return { at: rel, box: b };
    };

    const cols = podColumns(n.pods.length);
    const pods = n.pods.map((p, j): PodPlace => {
      if (p.veth) vethOwner.set(`${n.name}|${p.veth}`, p.key);
      const pid = podId(p.key);
      // A pod right below it: its veth turns into the gap between columns instead of running behind that pod.
      const upper = j + cols < n.pods.length;
      if (upper) upperRowPods.add(pid);
      const rel = { x: HOST_PAD + (j % cols) * (POD_W + POD_GAP), y: HOST_HEADER + Math.floor(j / cols) * (POD_H + POD_ROW_GAP) };
      return { key: p.key, detour: upper ? VETH_DETOUR : 0, ...inside(pid, rel, POD_W, POD_H) };
    });
    const bridgeY = HOST_HEADER + podsHeight(n.pods.length, cols) + VETH_LEN;
    const bridge = inside(bridgeId(n.name), { x: HOST_PAD, y: bridgeY }, w - 2 * HOST_PAD, BRIDGE_H);
    const lowerY = bridgeY + BRIDGE_H + LOWER_GAP;
    // With a VXLAN device on the left, eth0 moves right so both read clearly.
    const nic = inside(nicId(n.name), { x: n.tunnel ? w - HOST_PAD - NIC_W : w / 2 - NIC_W / 2, y: lowerY }, NIC_W, NIC_H);
    const tunnel = n.tunnel ? inside(tunnelId(n.name), { x: HOST_PAD, y: lowerY }, TUNNEL_W, NIC_H) : undefined;
    return { name: n.name, row, box, pods, bridge, nic, ...(tunnel ? { tunnel } : {}) };
  });

  // The node network: one bar under each row of nodes (joined at the left: still one segment);
  // a little closer when nodes are collapsed (presenting: the frame is as short as it can be).
  const barGap = collapsed.size ? COLLAPSED_BAR_GAP : 80;
  const bars: Box[] = [];
  for (let r = 0; r < Math.max(1, rowCount); r++) {
    const e = rowExtent[r];
    // A rack without nodes still has its network: a bar where its row would be.
    const bar = e && Number.isFinite(e.left) ? { x: e.left, y: e.bottom + barGap, w: Math.max(e.right - e.left, 600), h: NETWORK_H } : { x: 0, y: nodes.length > 0 ? (rowTop[r] ?? FIRST_ROW_TOP) + barGap : FIRST_ROW_TOP, w: nodes.length > 0 ? 600 : 900, h: NETWORK_H };
    bars.push(bar);
    boxes.set(networkId(r), bar);
  }
  // The external client left of the first bar, its wire joining the bar's end; or under
  // the row's first node when it is collapsed, right of that node's wire, its bottom level
  // with the row's (the packet beside it sits between the row and the bar, as it does otherwise).
  const external = clientUnder
    ? { x: hosts[0].box.x + COLLAPSED_WIRE_X + 22, y: bars[0].y - barGap - EXTERNAL_H, w: EXTERNAL_W, h: EXTERNAL_H }
    : { x: bars[0].x - 300, y: bars[0].y - 20, w: EXTERNAL_W, h: EXTERNAL_H };
  boxes.set(EXTERNAL_ID, external);

  // The VXLAN overlay: one pipe along each row from flannel.1 to flannel.1 (every one
  // reaches every other through it: drawing each pair would stack pipes on each other).
  // A collapsed node's flannel.1 is not drawn: the pipe joins the drawn ones either side of it.
  const vteps = hosts.filter((h) => h.tunnel).sort((a, b) => a.row - b.row || a.tunnel!.box.x - b.tunnel!.box.x);
  const tunnelPipes: [string, string][] = [];
  // Racks: the overlay is what crosses between them, so the pipe runs from rack to rack too.
  for (let i = 0; i + 1 < vteps.length; i++) if (racked || vteps[i].row === vteps[i + 1].row) tunnelPipes.push([vteps[i].name, vteps[i + 1].name]);

  // A Service without a chosen place goes in the row above the highest node.
  let hostsTop = FIRST_ROW_TOP;
  let hostsLeft = 0;
  for (const h of hosts) {
    hostsTop = Math.min(hostsTop, h.box.y);
    hostsLeft = Math.min(hostsLeft, h.box.x);
  }
  const services = shape.services.map((key, i) => {
    const id = serviceId(key);
    const at = positions[id] ?? { x: hostsLeft + i * (SERVICE_W + 40), y: hostsTop - SERVICE_H - 110 };
    const box = { x: at.x, y: at.y, w: SERVICE_W, h: SERVICE_H };
    boxes.set(id, box);
    return box;
  });

  // Racks: the router right of the bars, spanning them, a wire to each.
  let router: Box | undefined;
  if (racked && bars.length > 1) {
    const right = Math.max(...bars.map((b) => b.x + b.w));
    router = { x: right + 90, y: bars[0].y, w: ROUTER_W, h: bars[bars.length - 1].y + NETWORK_H - bars[0].y };
    boxes.set(ROUTER_ID, router);
  }

  return { boxes, vethOwner, upperRowPods, bridgeDevices: new Set(shape.bridgeDevices ?? []), networkBars: [...bars].sort((a, b) => a.y - b.y), hosts, bars, external, externalWire: clientUnder ? 'down' : 'side', services, tunnelPipes, ...(router ? { router } : {}) };
}

/** Would a box of this size (a new, empty host by default) with its top-left here overlap a host already drawn? */
export function overlapsHost(g: CanvasGeometry, at: XY, nodes: { name: string }[], size: { w: number; h: number } = hostSize(0)): boolean {
  const { w, h } = size;
  return nodes.some((n) => {
    const b = g.boxes.get(nodeId(n.name));
    return !!b && at.x < b.x + b.w + 20 && at.x + w + 20 > b.x && at.y < b.y + b.h + 20 && at.y + h + 20 > b.y;
  });
}

/** The host whose box contains a point (for dropping a pod); the one drawn on top when they overlap. */
export function hostAt(g: CanvasGeometry, p: XY, nodes: { name: string }[]): string | undefined {
  for (let i = nodes.length - 1; i >= 0; i--) {
    const b = g.boxes.get(nodeId(nodes[i].name));
    if (b && p.x >= b.x && p.x <= b.x + b.w && p.y >= b.y && p.y <= b.y + b.h) return nodes[i].name;
  }
  return undefined;
}

/** The pod whose box holds point `p` (a connection dropped on a pod's body), by `namespace/name`. */
export function podAt(g: CanvasGeometry, p: XY, pods: { namespace: string; name: string }[]): string | undefined {
  for (let i = pods.length - 1; i >= 0; i--) {
    const key = `${pods[i].namespace}/${pods[i].name}`;
    const b = g.boxes.get(podId(key));
    if (b && p.x >= b.x && p.x <= b.x + b.w && p.y >= b.y && p.y <= b.y + b.h) return key;
  }
  return undefined;
}
