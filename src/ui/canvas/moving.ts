// Moving a pod to another node by dropping it there: the desktop's drag and the
// touch long-press drag end in the same decision (podMoveAt) and the same store
// action (movePod). Kubernetes never moves a running pod: a moved pod is a new pod
// on the other node, with an address from that node's podCIDR (see sim/edit.ts).
import type { XY } from '../../store/store.ts';
import { hostAt, type CanvasGeometry } from './geometry.ts';

export type PodMove =
  | { kind: 'move'; node: string }
  /** Released over the node it already runs on: nothing to do. */
  | { kind: 'same-node' }
  /** Released outside every node: a pod runs on a node, so it stays where it was. */
  | { kind: 'outside' };

/** `from`: the node the pod runs on (none while it waits for the scheduler). */
export function podMoveAt(g: CanvasGeometry, at: XY, nodes: { name: string }[], from: string | undefined): PodMove {
  const node = hostAt(g, at, nodes);
  if (!node) return { kind: 'outside' };
  return node === from ? { kind: 'same-node' } : { kind: 'move', node };
}
