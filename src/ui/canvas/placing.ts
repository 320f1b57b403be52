// Placing from the palette at a point of the canvas: where a drag ends (desktop) or
// where a finger taps after arming a palette item (touch, where dragging from the
// bar with a finger is unreliable). The decision is a pure function of the kind,
// the point and the canvas geometry (placeAt); applyPlacement hands it to the store.
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { XY } from '../../store/store.ts';
import { SERVICE_H, SERVICE_W, hostAt, overlapsHost, type CanvasGeometry } from './geometry.ts';
import { actions } from '../playground.ts';

export type PaletteKind = 'node' | 'pod' | 'service' | 'deployment';

/** A new node's top-left sits this far up and left of the point, so the point lands in its header. */
const NODE_GRAB = { x: 180, y: 50 };

/** What a drop or a tap of `kind` at `at` (flow coordinates) does. `at` absent: the next free place. */
export type PlaceDecision =
  | { kind: 'node'; at?: XY }
  | { kind: 'service'; at?: XY }
  | { kind: 'deployment' }
  | { kind: 'pod'; node: string }
  /** A pod runs on a node: outside every node it is not placed. */
  | { kind: 'refused'; reason: 'pod-outside-nodes' | 'no-nodes' };

export function placeAt(kind: PaletteKind, at: XY, g: CanvasGeometry, nodes: { name: string }[]): PlaceDecision {
  if (kind === 'node') {
    // Onto (or against) another node, the new one goes next to the others instead of on top.
    const corner = { x: at.x - NODE_GRAB.x, y: at.y - NODE_GRAB.y };
    return overlapsHost(g, corner, nodes) ? { kind: 'node' } : { kind: 'node', at: corner };
  }
  // A Service is not on a node: onto one, it takes the next free place in the row above.
  if (kind === 'service') return overlapsHost(g, at, nodes, { w: SERVICE_W, h: SERVICE_H }) ? { kind: 'service' } : { kind: 'service', at };
  // A Deployment's pods go where the scheduler puts them, wherever it lands.
  if (kind === 'deployment') return { kind: 'deployment' };
  const node = hostAt(g, at, nodes);
  if (node) return { kind: 'pod', node };
  return { kind: 'refused', reason: nodes.length ? 'pod-outside-nodes' : 'no-nodes' };
}

/** How the person placed it: the refusal says what to do with the same gesture. */
export type Gesture = 'drop' | 'tap';

const REFUSAL: Record<Gesture, Record<'pod-outside-nodes' | 'no-nodes', string>> = {
  drop: {
    'pod-outside-nodes': 'Drop the pod onto a node: a pod runs on a node.',
    'no-nodes': 'Add a node first: drag Node onto the canvas, then drop pods onto it.',
  },
  tap: {
    'pod-outside-nodes': 'Tap a node to place the pod: a pod runs on a node.',
    'no-nodes': 'Add a node first: tap Node, then tap the canvas.',
  },
};

/** Do it, through the same store actions whichever the gesture. True when something was added. */
export function applyPlacement(p: PlaceDecision, gesture: Gesture): boolean {
  const st = actions();
  switch (p.kind) {
    case 'node':
      return st.addNode(p.at);
    case 'service':
      return st.addService(p.at);
    case 'deployment':
      return st.addDeployment();
    case 'pod':
      return st.addPod(p.node);
    case 'refused':
      st.notify({ kind: 'hint', text: REFUSAL[gesture][p.reason], near: 'palette' });
      return false;
  }
}

/** A palette item armed by a tap, waiting for the tap on the canvas that places it. */
export const armedPalette = createStore<{ armed: PaletteKind | null }>()(() => ({ armed: null }));

export const useArmed = () => useStore(armedPalette, (s) => s.armed);

/** A tap on an armed item (or Escape) disarms it; a tap on another arms that one. */
export function toggleArmed(kind: PaletteKind) {
  const arming = armedPalette.getState().armed !== kind;
  // One thing at a time for the next tap: arming stops picking the packet's ends.
  if (arming && actions().picking) actions().setPicking(null);
  armedPalette.setState({ armed: arming ? kind : null });
}

export function disarm() {
  armedPalette.setState({ armed: null });
}

/** What the canvas says while an item is armed. */
export const ARMED_HINT: Record<PaletteKind, string> = {
  node: 'Tap the canvas to place the node',
  pod: 'Tap a node to place the pod',
  service: 'Tap the canvas to place the Service',
  deployment: 'Tap the canvas to add the Deployment (the scheduler places its pods)',
};

/** The palette item's name, as its button says it. */
export const PALETTE_LABEL: Record<PaletteKind, string> = { node: 'Node', pod: 'Pod', service: 'Service', deployment: 'Deployment' };

/** Is this (a drag's payload, which any page could set) one of the palette's items? */
export const isPaletteKind = (what: string): what is PaletteKind => Object.hasOwn(PALETTE_LABEL, what);

/**
 * Does a click on a palette item arm it (a finger: tap, then tap where it goes)?
 * Not from the keyboard (a click with no pointer: Enter adds next to the selection),
 * not from a mouse (a click adds, a drag drops); from a finger, or from a device
 * whose main pointer is coarse when the press's pointer is unknown.
 */
export function clickArms(pressedWith: string | null, keyboard: boolean, coarsePointer: boolean): boolean {
  if (keyboard) return false;
  if (pressedWith === 'touch') return true;
  if (pressedWith === 'mouse' || pressedWith === 'pen') return false;
  return coarsePointer;
}
