// Presenter mode frames the nodes the walk visits, not the whole cluster.
import { describe, expect, it } from 'vitest';
import { compile, trace, type TraceRequest } from '../../../sim/index.ts';
import { cluster, load, node, pod } from '../../../sim/testing/helpers.ts';
import { layout } from '../layout.ts';
import { anchorsOf } from './anchors.ts';
import { boundsInPlay, notVisited, VETH_LABEL_ROOM } from './inPlay.ts';

const s = load(cluster('flannel-vxlan') + node('n1') + node('n2') + node('n3') + pod('a', 'n1', {}, [{ containerPort: 80 }]) + pod('b', 'n1', {}, [{ containerPort: 80 }]) + pod('c', 'n2', {}, [{ containerPort: 80 }]) + pod('d', 'n3', {}, [{ containerPort: 80 }]));
const l = layout(s, {}, compile(s));
const box = (id: string) => l.boxes.get(id)!;
function inPlay(req: TraceRequest) {
  const t = trace(compile(s), req);
  if (!t.ok) throw new Error('trace');
  return boundsInPlay(anchorsOf(t.value.hops, l), l);
}
const pods = (from: string, to: string): TraceRequest => ({ from: { kind: 'pod', namespace: 'default', name: from }, to: { kind: 'pod', namespace: 'default', name: to, port: 80 }, proto: 'tcp' });

describe('what presenter mode frames', () => {
  it('a walk on one node: that node only', () => {
    const n1 = box('node:n1');
    expect(inPlay(pods('a', 'b'))).toEqual({ ...n1, w: n1.w + VETH_LABEL_ROOM });
  });

  it('a walk between two nodes: both, down to the node network, and not the third', () => {
    const b = inPlay(pods('a', 'd'))!;
    const [n1, n3, n2] = [box('node:n1'), box('node:n3'), box('node:n2')];
    const bar = l.networkBars[0];
    expect(b.x).toBe(n1.x);
    expect(b.x + b.w).toBe(n3.x + n3.w + VETH_LABEL_ROOM);
    expect(b.y).toBe(n1.y);
    expect(b.y + b.h).toBe(bar.y + bar.h);
    // n2 sits between them in the row: framing both includes it; a walk from n1 to n2 leaves n3 out.
    const near = inPlay(pods('a', 'c'))!;
    expect(near.x + near.w).toBe(n2.x + n2.w + VETH_LABEL_ROOM);
    expect(near.x + near.w).toBeLessThan(n3.x);
  });

  it('a walk from the outside client: the client too', () => {
    // Nothing listens on n2:80: the node refuses, and the walk went from the client to n2.
    const b = inPlay({ from: { kind: 'external' }, to: { kind: 'node', name: 'n2', port: 80 }, proto: 'tcp' })!;
    expect(b.x).toBe(box('external').x);
    expect(b.x + b.w).toBe(box('node:n2').x + box('node:n2').w + VETH_LABEL_ROOM);
  });

  it('the nodes a walk does not visit are drawn collapsed, and the walk across the row is framed narrower', () => {
    const t = trace(compile(s), pods('a', 'd'));
    if (!t.ok) throw new Error('trace');
    const hidden = notVisited(t.value.hops, s.nodes, s.pods);
    expect([...hidden]).toEqual(['n2']);
    expect(notVisited([], s.nodes, s.pods).size).toBe(0);
    const c = layout(s, {}, compile(s), undefined, hidden);
    const framed = boundsInPlay(anchorsOf(t.value.hops, c), c)!;
    const before = inPlay(pods('a', 'd'))!;
    expect(framed.w).toBeLessThan(before.w - 300);
    // The collapsed node between them is framed whole.
    const n2 = c.boxes.get('node:n2')!;
    const withIt = boundsInPlay(anchorsOf(t.value.hops, c), c, hidden)!;
    expect(withIt.x <= n2.x && withIt.x + withIt.w >= n2.x + n2.w && withIt.y <= n2.y && withIt.y + withIt.h >= n2.y + n2.h).toBe(true);
    // Every hop still lands on a box that is drawn.
    for (const a of anchorsOf(t.value.hops, c)) expect(a).not.toBeNull();
  });
});
