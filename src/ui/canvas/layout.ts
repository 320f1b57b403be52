// Where everything goes on the canvas. Nodes (hosts) in a row on the node network,
// their pods in a grid inside them above the cni0 bridge, Services above, the
// external client to the left. Hosts and Services keep the place a person dragged
// them to; everything inside a host is placed by rule so it always reads the same.
import type { Edge, Node } from '@xyflow/react';
import type { Scenario, PodSpec, NodeSpec, ServiceSpec, CniMode } from '../../sim/model.ts';
import { objectKey } from '../../sim/model.ts';
import { endpointsOf, NODE_NETWORK, type Dataplane } from '../../store/engine.ts';
import type { XY } from '../../store/store.ts';
import { bridgeId, endpointEdgeId, EXTERNAL_ID, networkId, nicId, nodeId, podId, serviceId, trunkEdgeId, tunnelId, uplinkEdgeId, vethEdgeId, vxlanEdgeId, wireEdgeId } from '../../store/ids.ts';

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
export const NIC_W = 250;
export const NIC_H = 58;
export const TUNNEL_W = 190;
export const LOWER_GAP = 40;
export const NETWORK_H = 64;
export const SERVICE_W = 270;
export const SERVICE_H = 120;

export interface HostData extends Record<string, unknown> {
  node: NodeSpec;
  cni: CniMode;
  podCount: number;
}
export interface PodData extends Record<string, unknown> {
  pod: PodSpec;
  /** The host-side end of the veth pair (from the compiled dataplane). */
  veth?: string;
}
export interface BridgeData extends Record<string, unknown> {
  node: string;
  /** `cni0` and its gateway address, or null in vpc mode (pods routed by the host). */
  name: string | null;
  address?: string;
  vpc: boolean;
  /** cni0 with no port left (its last pod is gone): no carrier, state DOWN, but it stays. */
  down?: boolean;
}
export interface TunnelData extends Record<string, unknown> {
  name: string;
  address?: string;
  mtu: number;
}
export interface NicData extends Record<string, unknown> {
  node: string;
  address: string;
}
export interface NetworkData extends Record<string, unknown> {
  cidr: string;
  /** vpc: the node network is a VPC, whose fabric knows which node holds each pod address. */
  vpcFabric: boolean;
}
export interface ServiceData extends Record<string, unknown> {
  service: ServiceSpec;
  endpoints: number;
}
export interface ExternalData extends Record<string, unknown> {
  address: string;
}

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Layout {
  nodes: Node[];
  edges: Edge[];
  /** Absolute boxes by React Flow node id, for the packet and for drop targets. */
  boxes: Map<string, Box>;
  /** The host-side veth device → the pod key it belongs to, per node. */
  vethOwner: Map<string, string>;
  /** The node network's bars, one under each row of nodes, top to bottom (one L2 segment). */
  networkBars: Box[];
  /** Pods with more pods below them in their node (their veth turns aside). */
  upperRowPods: Set<string>;
}

/** Nodes per row: all in one row up to four, then rows about as wide as they are tall, evenly filled. */
export function hostsPerRow(n: number): number {
  if (n <= 4) return Math.max(1, n);
  const most = Math.ceil(Math.sqrt(n * 1.5));
  return Math.ceil(n / Math.ceil(n / most));
}

/** From a row's bottom to the next row's top: the row's node-network bar and air. */
const ROW_GAP = 80 + NETWORK_H + 110;

export function podColumns(n: number): number {
  if (n <= 2) return 2;
  if (n <= 9) return 3;
  return 5;
}

export function hostSize(podCount: number, cni: CniMode): { w: number; h: number } {
  const cols = podColumns(podCount);
  const rows = Math.max(1, Math.ceil(podCount / cols));
  const w = HOST_PAD * 2 + cols * POD_W + (cols - 1) * POD_GAP;
  const podsH = rows * POD_H + (rows - 1) * POD_ROW_GAP;
  const h = HOST_HEADER + podsH + VETH_LEN + BRIDGE_H + LOWER_GAP + NIC_H + HOST_PAD + (cni === 'flannel-vxlan' ? 0 : 0);
  return { w, h };
}

/** Where a host goes: where the person put it, else to the right of the previous one in its row. */
function hostPos(col: number, rowTop: number, positions: Record<string, XY>, id: string, prevRight: number, prevY: number): XY {
  return positions[id] ?? (col === 0 ? { x: 0, y: rowTop } : { x: prevRight + HOST_GAP, y: prevY });
}

/** Above this many Service→pod edges, only the selected Service's are drawn (the rest is noise). */
export const MAX_ENDPOINT_EDGES = 60;

/**
 * The pods behind a Service: the endpoints of any of its ports, by the engine's one
 * rule (its namespace only; a named targetPort only where the pod has that port).
 */
export function endpointPods(s: Scenario, v: ServiceSpec): PodSpec[] {
  const pods = new Set<PodSpec>();
  for (const sp of v.ports) for (const e of endpointsOf(s, v, sp)) pods.add(e.pod);
  return [...pods];
}

export function layout(s: Scenario, positions: Record<string, XY>, dp: Dataplane, focusService?: string): Layout {
  const nodes: Node[] = [];
  const edges: Edge[] = [];
  const boxes = new Map<string, Box>();
  const vethOwner = new Map<string, string>();
  const upperRowPods = new Set<string>();
  const cni = s.cluster.cni;

  const podsByNode = new Map<string, PodSpec[]>();
  for (const p of s.pods) {
    const list = podsByNode.get(p.nodeName ?? '') ?? [];
    list.push(p);
    podsByNode.set(p.nodeName ?? '', list);
  }

  // Rows of nodes, each with its own bar of the node network underneath.
  const perRow = hostsPerRow(s.nodes.length);
  const rowCount = Math.ceil(s.nodes.length / perRow);
  const rowHeight = Array.from({ length: rowCount }, () => 0);
  s.nodes.forEach((n, i) => {
    const r = Math.floor(i / perRow);
    rowHeight[r] = Math.max(rowHeight[r], hostSize((podsByNode.get(n.name) ?? []).length, cni).h);
  });
  const rowTop: number[] = [];
  for (let r = 0, y = SERVICE_H + 110; r < rowCount; r++) {
    rowTop.push(y);
    y += rowHeight[r] + ROW_GAP;
  }
  const rowExtent = Array.from({ length: rowCount }, () => ({ left: Infinity, right: -Infinity, bottom: -Infinity }));

  let prevRight = 0;
  let prevY = 0;
  const hostIds: string[] = [];
  s.nodes.forEach((n, i) => {
    const id = nodeId(n.name);
    hostIds.push(id);
    const pods = podsByNode.get(n.name) ?? [];
    const { w, h } = hostSize(pods.length, cni);
    const row = Math.floor(i / perRow);
    const at = hostPos(i % perRow, rowTop[row], positions, id, prevRight, prevY);
    prevRight = at.x + w;
    prevY = at.y;
    rowExtent[row].left = Math.min(rowExtent[row].left, at.x);
    rowExtent[row].right = Math.max(rowExtent[row].right, at.x + w);
    rowExtent[row].bottom = Math.max(rowExtent[row].bottom, at.y + h);
    boxes.set(id, { x: at.x, y: at.y, w, h });
    nodes.push({
      id,
      type: 'host',
      position: at,
      width: w,
      height: h,
      ariaLabel: `node ${n.name} ${n.internalIP ?? ''}`.trim(),
      data: { node: n, cni, podCount: pods.length } satisfies HostData,
      dragHandle: '.host-drag',
    });

    const ns = dp.netns(n.name);
    const cols = podColumns(pods.length);
    const podRows = Math.max(1, Math.ceil(pods.length / cols));
    const podsH = podRows * POD_H + (podRows - 1) * POD_ROW_GAP;
    const bridgeY = HOST_HEADER + podsH + VETH_LEN;

    pods.forEach((p, j) => {
      const key = objectKey(p);
      const veth = ns?.devices.find((d) => d.peer?.netns === key)?.name;
      if (veth) vethOwner.set(`${n.name}|${veth}`, key);
      const rel = { x: HOST_PAD + (j % cols) * (POD_W + POD_GAP), y: HOST_HEADER + Math.floor(j / cols) * (POD_H + POD_ROW_GAP) };
      if (j + cols < pods.length) upperRowPods.add(podId(key)); // a pod right below it
      const pid = podId(key);
      boxes.set(pid, { x: at.x + rel.x, y: at.y + rel.y, w: POD_W, h: POD_H });
      nodes.push({
        id: pid,
        type: 'pod',
        parentId: id,
        position: rel,
        width: POD_W,
        height: POD_H,
        ariaLabel: `pod ${p.name} ${p.podIP ?? ''}`.trim(),
        data: { pod: p, veth } satisfies PodData,
      });
    });

    const bridge = ns?.devices.find((d) => d.kind === 'bridge');
    const bid = bridgeId(n.name);
    const brel = { x: HOST_PAD, y: bridgeY };
    boxes.set(bid, { x: at.x + brel.x, y: at.y + brel.y, w: w - 2 * HOST_PAD, h: BRIDGE_H });
    nodes.push({
      id: bid,
      type: 'bridge',
      parentId: id,
      position: brel,
      width: w - 2 * HOST_PAD,
      height: BRIDGE_H,
      draggable: false,
      selectable: false,
      focusable: false, // a device inside a node: nothing to do with it by keyboard
      ariaLabel: bridge ? `bridge ${bridge.name} on ${n.name}` : `routing on ${n.name}`,
      data: {
        node: n.name,
        name: bridge?.name ?? null,
        address: bridge?.addresses[0] ? `${bridge.addresses[0].ip}/${bridge.addresses[0].prefixLength}` : undefined,
        vpc: cni === 'vpc',
        down: bridge !== undefined && !ns!.devices.some((d) => d.master === bridge.name),
      } satisfies BridgeData,
    });
    for (const p of pods) {
      // A pod with pods below it: its veth turns into the gap between columns instead of running behind them.
      const detour = upperRowPods.has(podId(objectKey(p))) ? (POD_W + POD_GAP) / 2 : 0;
      edges.push({ id: vethEdgeId(objectKey(p)), source: podId(objectKey(p)), target: bid, type: 'veth', selectable: false, focusable: false, data: { detour } });
    }

    const lowerY = bridgeY + BRIDGE_H + LOWER_GAP;
    const eth0 = ns?.devices.find((d) => d.name === 'eth0');
    const nid = nicId(n.name);
    const vx = ns?.devices.find((d) => d.kind === 'vxlan');
    // With a VXLAN device on the left, eth0 moves right so both read clearly.
    const nrel = { x: vx ? w - HOST_PAD - NIC_W : w / 2 - NIC_W / 2, y: lowerY };
    boxes.set(nid, { x: at.x + nrel.x, y: at.y + nrel.y, w: NIC_W, h: NIC_H });
    nodes.push({
      id: nid,
      type: 'nic',
      parentId: id,
      position: nrel,
      width: NIC_W,
      height: NIC_H,
      draggable: false,
      selectable: false,
      focusable: false,
      data: { node: n.name, address: eth0?.addresses[0] ? `${eth0.addresses[0].ip}/${eth0.addresses[0].prefixLength}` : (n.internalIP ?? '') } satisfies NicData,
    });
    edges.push({ id: uplinkEdgeId(n.name), source: bid, target: nid, type: 'wire', selectable: false, focusable: false, data: { label: 'host routing' } });

    if (vx) {
      const tid = tunnelId(n.name);
      const trel = { x: HOST_PAD, y: lowerY };
      boxes.set(tid, { x: at.x + trel.x, y: at.y + trel.y, w: TUNNEL_W, h: NIC_H });
      nodes.push({
        id: tid,
        type: 'tunnel',
        parentId: id,
        position: trel,
        width: TUNNEL_W,
        height: NIC_H,
        draggable: false,
        selectable: false,
        focusable: false,
        data: { name: vx.name, address: vx.addresses[0]?.ip, mtu: vx.mtu } satisfies TunnelData,
      });
    }
  });

  // The node network: the L2 segment every node's eth0 is plugged into, drawn as one
  // bar under each row of nodes, the bars joined at the left (still one segment).
  const hasHosts = s.nodes.length > 0;
  const vpcFabric = dp.netns(NODE_NETWORK)?.vpcFabric !== undefined;
  const networkName = vpcFabric ? 'VPC fabric' : 'node network';
  const networkBars: Box[] = [];
  const barCount = Math.max(1, rowCount);
  for (let r = 0; r < barCount; r++) {
    const row = rowExtent[r];
    const bar = hasHosts
      ? { x: row.left, y: row.bottom + 80, w: Math.max(row.right - row.left, 600), h: NETWORK_H }
      : { x: 0, y: SERVICE_H + 110, w: 900, h: NETWORK_H };
    networkBars.push(bar);
    boxes.set(networkId(r), bar);
    nodes.push({
      id: networkId(r),
      type: 'network',
      position: { x: bar.x, y: bar.y },
      width: bar.w,
      height: bar.h,
      draggable: false,
      selectable: false,
      focusable: false,
      ariaLabel: `${networkName} ${s.cluster.nodeNetwork}${r === 0 ? '' : ` (row ${r + 1})`}`,
      data: { cidr: s.cluster.nodeNetwork, vpcFabric } satisfies NetworkData,
    });
    if (r > 0) edges.push({ id: trunkEdgeId(r), source: networkId(r - 1), target: networkId(r), sourceHandle: 'trunk-out', targetHandle: 'trunk-in', type: 'trunk', selectable: false, focusable: false });
  }
  s.nodes.forEach((n, i) => {
    edges.push({ id: wireEdgeId(n.name), source: nicId(n.name), target: networkId(Math.floor(i / perRow)), type: 'wire', selectable: false, focusable: false });
  });
  const netX = networkBars[0].x;
  const netY = networkBars[0].y;
  const extAddr = dp.netns('external')?.devices.find((d) => d.name === 'eth0')?.addresses[0]?.ip ?? '';
  const extBox = { x: netX - 300, y: netY - 20, w: 230, h: 104 };
  boxes.set(EXTERNAL_ID, extBox);
  nodes.push({
    id: EXTERNAL_ID,
    type: 'external',
    position: { x: extBox.x, y: extBox.y },
    width: extBox.w,
    height: extBox.h,
    draggable: false,
    selectable: false,
    ariaLabel: `external client ${extAddr}`,
    data: { address: extAddr } satisfies ExternalData,
  });
  edges.push({ id: wireEdgeId(EXTERNAL_ID), source: EXTERNAL_ID, target: networkId(), targetHandle: 'side', type: 'side', selectable: false, focusable: false });

  // The VXLAN overlay under the flannel.1 devices, drawn as one pipe from node to
  // node along the row (every flannel.1 reaches every other one through it: drawing
  // each pair would stack the pipes on top of each other).
  if (cni === 'flannel-vxlan') {
    // Along each row of nodes (one pipe per row).
    const rowOf = new Map(s.nodes.map((n, i) => [n.name, Math.floor(i / perRow)]));
    const vteps = s.nodes
      .filter((n) => boxes.has(tunnelId(n.name)))
      .map((n) => n.name)
      .sort((a, b) => rowOf.get(a)! - rowOf.get(b)! || boxes.get(tunnelId(a))!.x - boxes.get(tunnelId(b))!.x);
    const pairs: [string, string][] = [];
    for (let i = 0; i + 1 < vteps.length; i++) if (rowOf.get(vteps[i]) === rowOf.get(vteps[i + 1])) pairs.push([vteps[i], vteps[i + 1]]);
    for (const [a, b] of pairs) {
      edges.push({ id: vxlanEdgeId(a, b), source: tunnelId(a), target: tunnelId(b), sourceHandle: 'out', targetHandle: 'in', type: 'vxlan', selectable: false, focusable: false, zIndex: 1 });
    }
  }

  // Services above the nodes; edges to their endpoints.
  const endpoints = s.services.map((v) => endpointPods(s, v));
  const allEndpoints = endpoints.reduce((n, pods) => n + pods.length, 0);
  const drawAll = allEndpoints <= MAX_ENDPOINT_EDGES;
  // A Service without a chosen place goes in the row above the highest node.
  let hostsTop = SERVICE_H + 110;
  let hostsLeft = 0;
  for (const n of s.nodes) {
    const b = boxes.get(nodeId(n.name));
    if (b) {
      hostsTop = Math.min(hostsTop, b.y);
      hostsLeft = Math.min(hostsLeft, b.x);
    }
  }
  s.services.forEach((v, i) => {
    const key = objectKey(v);
    const id = serviceId(key);
    const at = positions[id] ?? { x: hostsLeft + i * (SERVICE_W + 40), y: hostsTop - SERVICE_H - 110 };
    const targets = endpoints[i];
    boxes.set(id, { x: at.x, y: at.y, w: SERVICE_W, h: SERVICE_H });
    nodes.push({
      id,
      type: 'service',
      position: at,
      width: SERVICE_W,
      height: SERVICE_H,
      ariaLabel: `service ${v.name} ${v.clusterIP ?? ''}`.trim(),
      data: { service: v, endpoints: targets.length } satisfies ServiceData,
      zIndex: 2,
    });
    if (!drawAll && key !== focusService) return;
    for (const p of targets) {
      edges.push({ id: endpointEdgeId(key, objectKey(p)), source: id, target: podId(objectKey(p)), type: 'endpoint', selectable: false, focusable: false, zIndex: 1 });
    }
  });

  return { nodes, edges, boxes, vethOwner, networkBars: [...networkBars].sort((a, b) => a.y - b.y), upperRowPods };
}

/** Would a new, empty host with its top-left here overlap a host already drawn? */
export function overlapsHost(l: Layout, at: XY, s: Scenario, size: { w: number; h: number } = hostSize(0, s.cluster.cni)): boolean {
  const { w, h } = size;
  return s.nodes.some((n) => {
    const b = l.boxes.get(nodeId(n.name));
    return !!b && at.x < b.x + b.w + 20 && at.x + w + 20 > b.x && at.y < b.y + b.h + 20 && at.y + h + 20 > b.y;
  });
}

/** The host whose box contains a point (for dropping a pod). */
export function hostAt(l: Layout, p: XY, s: Scenario): string | undefined {
  for (let i = s.nodes.length - 1; i >= 0; i--) {
    const b = l.boxes.get(nodeId(s.nodes[i].name));
    if (b && p.x >= b.x && p.x <= b.x + b.w && p.y >= b.y && p.y <= b.y + b.h) return s.nodes[i].name;
  }
  return undefined;
}
