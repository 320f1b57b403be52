// Where on the canvas a hop happens: the engine names a netns and a device; this
// finds the box that draws that device. It only places the engine's hops, it never
// adds one.
import type { Hop } from '../../../sim/trace/types.ts';
import type { Box, Layout } from '../layout.ts';
import { POD_W, VETH_LEN } from '../layout.ts';
import { nodeId, podId } from '../../../store/store.ts';

export interface Anchor {
  /** The box to highlight. */
  box: Box;
  /** Where the packet sits. */
  x: number;
  y: number;
}

const center = (b: Box): Anchor => ({ box: b, x: b.x + b.w / 2, y: b.y + b.h / 2 });

export function anchorOf(hop: Hop, l: Layout): Anchor | null {
  if (hop.netns === 'external') {
    const b = l.boxes.get('external');
    return b ? center(b) : null;
  }
  if (hop.netns === 'node-network') {
    const b = l.boxes.get('network');
    if (!b) return null;
    // The switch port facing the node named by the device, when there is one.
    const nic = l.boxes.get(`nic:${hop.device}`);
    const x = nic ? nic.x + nic.w / 2 : b.x + b.w / 2;
    return { box: b, x, y: b.y + b.h / 2 };
  }
  const pod = l.boxes.get(podId(hop.netns));
  if (pod) {
    // The pod's eth0 sits at its bottom edge, where its veth leaves.
    const atEth0 = hop.action === 'transmit' || hop.action === 'receive';
    return { box: pod, x: pod.x + pod.w / 2, y: atEth0 ? pod.y + pod.h - 8 : pod.y + pod.h / 2 };
  }
  const host = l.boxes.get(nodeId(hop.netns));
  if (!host) return null;
  const node = hop.netns;
  const owner = l.vethOwner.get(`${node}|${hop.device}`);
  if (owner) {
    const p = l.boxes.get(podId(owner));
    if (p) {
      const y = p.y + p.h + VETH_LEN / 2;
      return { box: { x: p.x + POD_W / 2 - 14, y: p.y + p.h, w: 28, h: VETH_LEN }, x: p.x + p.w / 2, y };
    }
  }
  const byDevice: Record<string, string> = { cni0: `bridge:${node}`, eth0: `nic:${node}` };
  const id = byDevice[hop.device] ?? (l.boxes.has(`tunnel:${node}`) && /^(flannel|vxlan)/.test(hop.device) ? `tunnel:${node}` : undefined);
  if (id && l.boxes.has(id)) return center(l.boxes.get(id)!);
  // A decision of the node as a whole (a route lookup, an iptables chain): on its header.
  return { box: { x: host.x, y: host.y, w: host.w, h: 96 }, x: host.x + host.w / 2, y: host.y + 60 };
}
