// A connection from a Service dropped anywhere on a pod's body lands on that pod.
import { describe, expect, it } from 'vitest';
import { placeCluster, podAt } from './geometry.ts';
import { podId } from '../../store/ids.ts';

describe('podAt', () => {
  const g = placeCluster({
    nodes: [
      { name: 'node-1', pods: [{ key: 'default/a', veth: 'veth1' }, { key: 'default/b', veth: 'veth2' }], tunnel: false },
      { name: 'node-2', pods: [{ key: 'default/c', veth: 'veth3' }], tunnel: false },
    ],
    services: ['default/web'],
    positions: {},
  });
  const pods = ['a', 'b', 'c'].map((name) => ({ namespace: 'default', name }));
  it("finds the pod at any point of its box (corners and centre), and none between pods or on the node's own header", () => {
    for (const name of ['a', 'b', 'c']) {
      const b = g.boxes.get(podId(`default/${name}`))!;
      for (const p of [{ x: b.x + 1, y: b.y + 1 }, { x: b.x + b.w / 2, y: b.y + b.h / 2 }, { x: b.x + b.w - 1, y: b.y + b.h - 1 }]) expect(podAt(g, p, pods)).toBe(`default/${name}`);
    }
    const a = g.boxes.get(podId('default/a'))!;
    const host = g.boxes.get('node:node-1')!;
    expect(podAt(g, { x: a.x + a.w + 2, y: a.y + a.h / 2 }, pods)).toBeUndefined();
    expect(podAt(g, { x: host.x + 4, y: host.y + 4 }, pods)).toBeUndefined();
  });
});
