// Where on the canvas a hop happens: the engine names a netns and a device; this
// finds the box that draws that device. It only places the engine's hops, it never
// adds one.
import type { Hop } from '../../../sim/trace/types.ts';
import { HOST_HEADER, POD_W, VETH_LEN, type Box, type CanvasGeometry } from '../geometry.ts';
import { bridgeId, EXTERNAL_ID, networkId, nicId, nodeId, podId, ROUTER_ID, tunnelId } from '../../../store/ids.ts';

/**
 * What the packet is at, in the canvas' terms: which device of which node (or which
 * pod, the node network, the client). The trail (./trail.ts) follows the wires from one to the next.
 */
export type AnchorPlace =
  | { kind: 'external' }
  | { kind: 'network' }
  | { kind: 'pod'; pod: string }
  | { kind: 'veth'; node: string; pod: string }
  | { kind: 'bridge'; node: string }
  | { kind: 'nic'; node: string }
  | { kind: 'tunnel'; node: string }
  /** A decision of the node as a whole (a route lookup, an iptables chain): its IP stack. */
  | { kind: 'node'; node: string };

export interface Anchor {
  place: AnchorPlace;
  /** The box to highlight. */
  box: Box;
  /** Where the packet sits. */
  x: number;
  y: number;
  /** A wide device (a bridge, the switch): slide along it between the hops either side. */
  wide?: boolean;
  /** The packet hangs below the point instead of being centred on it (the VXLAN device: the tunnel runs below). */
  below?: boolean;
  /** The packet starts at the point and extends right (the external client, at the canvas's left edge). */
  right?: boolean;
  /** The packet ends at the point and extends left (a veth: its name is written to the right of the wire). */
  left?: boolean;
  /** On the node network: drawn on the bar under the row the packet comes from. */
  network?: boolean;
}

export function anchorOf(hop: Hop, l: CanvasGeometry): Anchor | null {
  if (hop.netns === 'external') {
    // Beside the client's box, toward the cluster: centred on it, the packet would hang off the canvas.
    const b = l.boxes.get(EXTERNAL_ID);
    // Standing above the bar (its wire drops into it): beside its bottom, between the row and the bar.
    const above = l.networkBars[0] && b && b.y + b.h < l.networkBars[0].y - 40;
    return b ? { place: { kind: 'external' }, box: b, x: b.x + b.w + 10, y: above ? l.networkBars[0].y - 38 : b.y - 18, right: true } : null;
  }
  // Racks: the router's box, at the port toward the network the hop is on.
  if (hop.netns === ROUTER_ID) {
    const b = l.boxes.get(ROUTER_ID);
    return b ? { place: { kind: 'network' }, box: b, x: b.x + 20, y: b.y + b.h / 2 } : null;
  }
  // Racks: the other node networks' switches, each its own bar (node-network-2 is the second).
  const rack = /^node-network-(\d+)$/.exec(hop.netns);
  if (rack) {
    const b = l.boxes.get(networkId(Number(rack[1]) - 1));
    if (!b) return null;
    const nic = l.boxes.get(nicId(hop.device));
    return { place: { kind: 'network' }, box: b, x: nic ? nic.x + nic.w / 2 : b.x + b.w / 2, y: b.y + b.h / 2, wide: !nic, network: true };
  }
  if (hop.netns === 'node-network') {
    const b = l.boxes.get(networkId());
    if (!b) return null;
    // The switch port facing the node named by the device, when there is one.
    const nic = l.boxes.get(nicId(hop.device));
    const x = nic ? nic.x + nic.w / 2 : b.x + b.w / 2;
    return { place: { kind: 'network' }, box: b, x, y: b.y + b.h / 2, wide: !nic, network: true };
  }
  const pod = l.boxes.get(podId(hop.netns));
  if (pod) {
    // A pod talking to itself goes over lo, inside the pod: the packet stays within its box.
    const place: AnchorPlace = { kind: 'pod', pod: hop.netns };
    if (hop.device === 'lo') return { place, box: pod, x: pod.x + pod.w / 2, y: pod.y + pod.h / 2 + 10 };
    // On the pod's bottom edge, where eth0 meets the veth: the pod's name and IP stay readable.
    const atEth0 = hop.action === 'transmit' || hop.action === 'receive';
    return { place, box: pod, x: pod.x + pod.w / 2, y: atEth0 ? pod.y + pod.h + 4 : pod.y + pod.h - 14 };
  }
  const host = l.boxes.get(nodeId(hop.netns));
  if (!host) return null;
  const node = hop.netns;
  const owner = l.vethOwner.get(`${node}|${hop.device}`);
  if (owner) {
    const p = l.boxes.get(podId(owner));
    if (p) {
      // A pod with pods below: its veth turns aside just under it (see VethEdge).
      const upper = l.upperRowPods.has(podId(owner));
      const y = upper ? p.y + p.h + 12 : p.y + p.h + VETH_LEN / 2 + 8;
      const box = upper ? { x: p.x + POD_W / 2 - 14, y: p.y + p.h, w: POD_W / 2 + 14 + 11, h: 26 } : { x: p.x + POD_W / 2 - 14, y: p.y + p.h, w: 28, h: VETH_LEN };
      return { place: { kind: 'veth', node, pod: owner }, box, x: p.x + p.w / 2 - 16, y, left: true };
    }
  }
  const id = l.bridgeDevices.has(hop.device) ? bridgeId(node) : hop.device === 'eth0' ? nicId(node) : (l.boxes.has(tunnelId(node)) && /^(flannel|vxlan|cilium_vxlan|tunl)/.test(hop.device) ? tunnelId(node) : undefined);
  if (id && l.boxes.has(id)) {
    // On the device's top edge, so its name and address stay readable.
    const b = l.boxes.get(id)!;
    if (id === tunnelId(node)) return { place: { kind: 'tunnel', node }, box: b, x: b.x + b.w / 2, y: b.y + b.h + 6, below: true };
    return { place: id === bridgeId(node) ? { kind: 'bridge', node } : { kind: 'nic', node }, box: b, x: b.x + b.w / 2, y: b.y - 6, wide: id === bridgeId(node) };
  }
  // A decision of the node as a whole (a route lookup, an iptables chain): under its header.
  return { place: { kind: 'node', node }, box: { x: host.x, y: host.y, w: host.w, h: HOST_HEADER - 8 }, x: host.x + host.w / 2, y: host.y + HOST_HEADER - 12 };
}

/** Anchors for a whole walk: a packet on a wide device sits between where it came from and where it goes. */
export function anchorsOf(hops: Hop[], l: CanvasGeometry): (Anchor | null)[] {
  const raw = hops.map((h) => anchorOf(h, l));
  return raw.map((a, i) => {
    if (!a || !a.wide) return a;
    const near = (d: number) => {
      for (let j = i + d; j >= 0 && j < raw.length; j += d) {
        const o = raw[j];
        if (o && !o.wide && (o.x !== a.x || o.y !== a.y)) return o;
      }
      return null;
    };
    const p = near(-1);
    const n = near(1);
    // Several rows of nodes: the bar under the row the packet comes from.
    let box = a.box;
    if (a.network && p && l.networkBars.length > 1) box = l.networkBars.find((bar) => bar.y >= p.y) ?? l.networkBars[l.networkBars.length - 1];
    const xs = [p?.x, n?.x].filter((x): x is number => x !== undefined);
    const y = box.y + box.h / 2;
    if (!xs.length) return { ...a, box, y };
    const x = Math.min(box.x + box.w - 60, Math.max(box.x + 60, xs.reduce((s, x) => s + x, 0) / xs.length));
    return { ...a, box, x, y };
  });
}
