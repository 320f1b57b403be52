// Where a pod let go (by a mouse drag or a finger's long-press drag) goes.
import { describe, expect, it } from 'vitest';
import { placeCluster } from './geometry.ts';
import { podMoveAt } from './moving.ts';
import { nodeId } from '../../store/ids.ts';

const g = placeCluster({
  nodes: [
    { name: 'node-1', pods: [{ key: 'default/a', veth: 'veth1' }], tunnel: false },
    { name: 'node-2', pods: [], tunnel: false },
  ],
  services: [],
  positions: {},
});
const nodes = [{ name: 'node-1' }, { name: 'node-2' }];
const inside = (name: string) => {
  const b = g.boxes.get(nodeId(name))!;
  return { x: b.x + b.w - 10, y: b.y + b.h - 10 };
};

describe('podMoveAt', () => {
  it('moves to the other node it is let go over', () => {
    expect(podMoveAt(g, inside('node-2'), nodes, 'node-1')).toEqual({ kind: 'move', node: 'node-2' });
  });
  it('does nothing over its own node, and stays (outside) between nodes', () => {
    expect(podMoveAt(g, inside('node-1'), nodes, 'node-1')).toEqual({ kind: 'same-node' });
    const b1 = g.boxes.get(nodeId('node-1'))!;
    expect(podMoveAt(g, { x: b1.x + b1.w + 5, y: b1.y + 10 }, nodes, 'node-1')).toEqual({ kind: 'outside' });
  });
  it('a pod waiting for the scheduler is placed on the node it is let go over', () => {
    expect(podMoveAt(g, inside('node-1'), nodes, undefined)).toEqual({ kind: 'move', node: 'node-1' });
  });
});
