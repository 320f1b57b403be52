// The packet's trail follows the wires: up and down a veth, along cni0, down the
// uplink to eth0, along the node network; never a diagonal, never across a box the
// packet did not go through.
import { describe, expect, it } from 'vitest';
import { compile, trace, type TraceRequest } from '../../../sim/index.ts';
import { cluster, load, node, pod } from '../../../sim/testing/helpers.ts';
import type { Scenario } from '../../../sim/model.ts';
import { layout, type Layout } from '../layout.ts';
import { anchorsOf } from './anchors.ts';
import { trailOf } from './trail.ts';
import type { Box } from '../geometry.ts';
import type { XY } from '../../../store/store.ts';

const tcp = (from: string, to: string, port = 80): TraceRequest => ({
  from: { kind: 'pod', namespace: 'default', name: from },
  to: { kind: 'pod', namespace: 'default', name: to, port },
  proto: 'tcp',
});

function walk(s: Scenario, req: TraceRequest) {
  const l = layout(s, {}, compile(s));
  const t = trace(compile(s), req);
  if (!t.ok) throw new Error(JSON.stringify(t.issues));
  const anchors = anchorsOf(t.value.hops, l);
  return { l, hops: t.value.hops, anchors, trail: trailOf(anchors, t.value.hops.length - 1, l) };
}

/** Does the segment a→b (horizontal or vertical) run through the inside of the box (not just along its edge)? */
function crosses(a: XY, b: XY, box: Box): boolean {
  const [x1, x2] = [Math.min(a.x, b.x), Math.max(a.x, b.x)];
  const [y1, y2] = [Math.min(a.y, b.y), Math.max(a.y, b.y)];
  return x2 > box.x && x1 < box.x + box.w && y2 > box.y && y1 < box.y + box.h;
}

const segments = (pts: XY[]) => pts.slice(1).map((b, i) => [pts[i], b] as const);

/** Three columns of pods on each node, a second row on n1: a veth that turns aside, pods the trail must go round. */
function cni(mode: string) {
  let text = cluster(mode) + node('n1') + node('n2');
  for (let i = 1; i <= 5; i++) text += pod(`a${i}`, 'n1', {}, [{ containerPort: 80 }]);
  for (let i = 1; i <= 3; i++) text += pod(`b${i}`, 'n2', {}, [{ containerPort: 80 }]);
  return load(text);
}

describe('the packet trail', () => {
  for (const mode of ['bridge-hostgw', 'flannel-vxlan', 'vpc']) {
    it(`${mode}: runs only along wires (no diagonal) and through no pod the packet did not visit`, () => {
      const s = cni(mode);
      for (const [from, to] of [['a1', 'b3'], ['a5', 'a1'], ['b2', 'a4'], ['a2', 'a3']]) {
        const { l, hops, trail } = walk(s, tcp(from, to));
        expect(trail.length, `${from}→${to}`).toBeGreaterThan(2);
        for (const [a, b] of segments(trail)) expect(a.x === b.x || a.y === b.y, `${mode} ${from}→${to}: ${JSON.stringify([a, b])}`).toBe(true);
        const visited = new Set(hops.map((h) => h.netns));
        for (const p of s.pods) {
          const key = `${p.namespace}/${p.name}`;
          if (visited.has(key)) continue;
          const box = l.boxes.get(`pod:${key}`)!;
          for (const [a, b] of segments(trail)) expect(crosses(a, b, box), `${mode} ${from}→${to} crosses pod ${key}`).toBe(false);
        }
      }
    });
  }

  it('between nodes: down the veth, along cni0, down to eth0, along the node network and up the other side', () => {
    const { l, trail } = walk(cni('bridge-hostgw'), tcp('a3', 'b1'));
    const a3 = l.boxes.get('pod:default/a3')!;
    const b1 = l.boxes.get('pod:default/b1')!;
    const bar = l.networkBars[0];
    const eth0 = (n: string) => l.boxes.get(`nic:${n}`)!;
    // It leaves a3 straight down its veth and ends coming up b1's, inside each pod's box.
    const inPod = (p: XY, b: Box) => p.x === b.x + b.w / 2 && p.y > b.y && p.y <= b.y + b.h;
    expect(inPod(trail[0], a3) && trail[1].x === trail[0].x, JSON.stringify(trail.slice(0, 2))).toBe(true);
    const [last, before] = [trail[trail.length - 1], trail[trail.length - 2]];
    expect(inPod(last, b1) && before.x === last.x, JSON.stringify([before, last])).toBe(true);
    // It runs along the node network between the two eth0s, and nowhere else at that height.
    const onBar = trail.filter((p) => p.y === bar.y + bar.h / 2).map((p) => p.x);
    expect(onBar).toEqual([eth0('n1').x + eth0('n1').w / 2, eth0('n2').x + eth0('n2').w / 2]);
  });

  it('on one node through cni0: stays above the bridge (eth0 and the node network are not on its way)', () => {
    const { l, trail } = walk(cni('bridge-hostgw'), tcp('a1', 'a3'));
    const bridge = l.boxes.get('bridge:n1')!;
    expect(Math.max(...trail.map((p) => p.y))).toBe(bridge.y);
  });

  it('through VXLAN: through flannel.1 on both nodes, and eth0 between', () => {
    const { l, trail } = walk(cni('flannel-vxlan'), tcp('a1', 'b1'));
    for (const n of ['n1', 'n2']) {
      const t = l.boxes.get(`tunnel:${n}`)!;
      expect(trail.some((p) => p.x === t.x + t.w / 2 && p.y === t.y + t.h), `flannel.1 on ${n}`).toBe(true);
    }
  });

  it('a pod in the upper row: its trail turns into the gap between columns, as its veth is drawn', () => {
    const { l, trail } = walk(cni('bridge-hostgw'), tcp('a1', 'b1'));
    const a1 = l.boxes.get('pod:default/a1')!;
    const turn = a1.y + a1.h + 12;
    expect(trail.slice(1, 3)).toEqual([
      { x: a1.x + a1.w / 2, y: turn },
      { x: a1.x + a1.w / 2 + (230 + 22) / 2, y: turn },
    ]);
  });

  it('is empty before the packet has moved', () => {
    const { anchors, l } = walk(cni('bridge-hostgw'), tcp('a1', 'b1'));
    expect(trailOf(anchors, 0, l)).toEqual([]);
  });
});
