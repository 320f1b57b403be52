// What a palette item does where it lands (dropped by a mouse, or tapped after arming
// it with a finger), decided from the canvas geometry alone.
import { beforeEach, describe, expect, it } from 'vitest';
import { hostSize, placeCluster, type ClusterShape } from './geometry.ts';
import { armedPalette, clickArms, disarm, isPaletteKind, placeAt, toggleArmed } from './placing.ts';
import { actions } from '../playground.ts';
import { nodeId, podId } from '../../store/ids.ts';

const shape: ClusterShape = {
  nodes: [
    { name: 'node-1', pods: [{ key: 'default/a', veth: 'veth1' }], tunnel: false },
    { name: 'node-2', pods: [], tunnel: false },
  ],
  services: ['default/web'],
  positions: {},
};
const g = placeCluster(shape);
const nodes = shape.nodes.map((n) => ({ name: n.name }));
const box = (id: string) => g.boxes.get(id)!;
const centre = (id: string) => ({ x: box(id).x + box(id).w / 2, y: box(id).y + box(id).h / 2 });

describe('placeAt', () => {
  it('puts a pod on the node tapped, wherever in its box (its header, on another pod, on cni0)', () => {
    const n2 = box(nodeId('node-2'));
    expect(placeAt('pod', { x: n2.x + 5, y: n2.y + 5 }, g, nodes)).toEqual({ kind: 'pod', node: 'node-2' });
    expect(placeAt('pod', centre(podId('default/a')), g, nodes)).toEqual({ kind: 'pod', node: 'node-1' });
  });

  it('refuses a pod outside every node, saying whether there is a node to tap at all', () => {
    const far = { x: -5000, y: -5000 };
    expect(placeAt('pod', far, g, nodes)).toEqual({ kind: 'refused', reason: 'pod-outside-nodes' });
    expect(placeAt('pod', far, placeCluster({ nodes: [], services: [], positions: {} }), [])).toEqual({ kind: 'refused', reason: 'no-nodes' });
  });

  it('places a node with the tapped point in its header, on free canvas', () => {
    const n2 = box(nodeId('node-2'));
    const free = { x: n2.x + n2.w + hostSize(0).w + 600, y: n2.y + 60 };
    const d = placeAt('node', free, g, nodes);
    expect(d.kind).toBe('node');
    const at = (d as { at: { x: number; y: number } }).at;
    // The point is inside the new node's box, near its top left (where its name is).
    expect(free.x).toBeGreaterThan(at.x);
    expect(free.y).toBeGreaterThan(at.y);
    expect(free.x - at.x).toBeLessThan(hostSize(0).w);
    expect(free.y - at.y).toBeLessThan(hostSize(0).h);
  });

  it('puts a node tapped onto another next to the others (no place given), never on top', () => {
    expect(placeAt('node', centre(nodeId('node-1')), g, nodes)).toEqual({ kind: 'node' });
  });

  it("reads a drag's payload as a palette item only when it is one", () => {
    expect(['node', 'pod', 'service', 'deployment'].every(isPaletteKind)).toBe(true);
    expect(['toString', 'Pod', 'networkpolicy', ''].some(isPaletteKind)).toBe(false);
  });

  it('puts a Service where tapped, but not on a node; a Deployment wherever the scheduler says', () => {
    const above = { x: box(nodeId('node-1')).x, y: box(nodeId('node-1')).y - 2000 };
    expect(placeAt('service', above, g, nodes)).toEqual({ kind: 'service', at: above });
    expect(placeAt('service', centre(nodeId('node-2')), g, nodes)).toEqual({ kind: 'service' });
    expect(placeAt('deployment', centre(nodeId('node-2')), g, nodes)).toEqual({ kind: 'deployment' });
  });
});

describe('arming a palette item', () => {
  beforeEach(disarm);

  it('a finger arms; the keyboard and the mouse do not (they add next to the selection)', () => {
    expect(clickArms('touch', false, false)).toBe(true);
    expect(clickArms('mouse', false, true)).toBe(false);
    expect(clickArms('touch', true, true)).toBe(false); // Enter: no pointer
    expect(clickArms(null, true, true)).toBe(false);
    // A click whose press was not seen: the device's main pointer decides.
    expect(clickArms(null, false, true)).toBe(true);
    expect(clickArms(null, false, false)).toBe(false);
  });

  it('a second tap on the same item disarms it; a tap on another arms that one instead', () => {
    toggleArmed('pod');
    expect(armedPalette.getState().armed).toBe('pod');
    toggleArmed('node');
    expect(armedPalette.getState().armed).toBe('node');
    toggleArmed('node');
    expect(armedPalette.getState().armed).toBeNull();
  });
});

describe('arming and picking the packet', () => {
  beforeEach(disarm);
  it("arming a palette item stops picking the packet's ends (one thing takes the next tap)", () => {
    actions().setPicking('from');
    toggleArmed('pod');
    expect(actions().picking).toBeNull();
    expect(armedPalette.getState().armed).toBe('pod');
  });
});
