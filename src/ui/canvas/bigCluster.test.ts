// A big cluster on the canvas, without a DOM: which nodes are collapsed, what a
// collapsed node says and offers, and that a walk's nodes are always drawn whole (the
// packet is never drawn into a box with no pod).
import { describe, expect, it } from 'vitest';
import { compile, trace } from '../../sim/index.ts';
import { benchScenario } from '../bench.ts';
import { collapsedNodes, isBigCluster, nodeOfStep, visitedNodes } from './bigCluster.ts';
import { collapsedPerRow, COLLAPSED_W } from './geometry.ts';
import { layout, type HostData } from './layout.ts';
import { anchorsOf } from './packet/anchors.ts';

describe('big clusters', () => {
  it('collapse above 40 nodes or 2,000 pods, not at or below', () => {
    expect(isBigCluster(40, 2000)).toBe(false);
    expect(isBigCluster(41, 41)).toBe(true);
    expect(isBigCluster(20, 2001)).toBe(true);
    // A small cluster: nothing collapsed, whatever is asked.
    expect(collapsedNodes([{ name: 'a' }, { name: 'b' }], 4, new Set(), new Set()).size).toBe(0);
  });

  it('collapse every node but those a person expanded and those the walk visits', () => {
    const nodes = Array.from({ length: 50 }, (_, i) => ({ name: `node-${i + 1}` }));
    const c = collapsedNodes(nodes, 1500, new Set(['node-7']), new Set(['node-1', 'node-30']));
    expect(c.size).toBe(47);
    for (const n of ['node-1', 'node-7', 'node-30']) expect(c.has(n)).toBe(false);
  });

  it("the nodes a walk visits are its pods' nodes and the nodes it routes through", () => {
    const pods = [
      { namespace: 'default', name: 'a', nodeName: 'node-1' },
      { namespace: 'default', name: 'b', nodeName: 'node-2' },
      { namespace: 'default', name: 'c', nodeName: 'node-3' },
    ];
    const nodes = ['node-1', 'node-2', 'node-3'].map((name) => ({ name }));
    expect([...visitedNodes([{ netns: 'default/a' }, { netns: 'node-1' }, { netns: 'node-network' }, { netns: 'node-3' }, { netns: 'default/c' }], nodes, pods)].sort()).toEqual(['node-1', 'node-3']);
    expect(visitedNodes([], nodes, pods).size).toBe(0);
  });

  it('the view follows the packet node by node: between nodes, the last node it was in', () => {
    const nodes = ['node-1', 'node-2'].map((name) => ({ name }));
    const pods = [
      { namespace: 'default', name: 'a', nodeName: 'node-1' },
      { namespace: 'default', name: 'b', nodeName: 'node-2' },
    ];
    const hops = [{ netns: 'default/a' }, { netns: 'node-1' }, { netns: 'node-network' }, { netns: 'node-2' }, { netns: 'default/b' }];
    expect([0, 1, 2, 3, 4, 99].map((step) => nodeOfStep(hops, step, nodes, pods))).toEqual(['node-1', 'node-1', 'node-1', 'node-2', 'node-2', 'node-2']);
    // From the external client: the first node it will reach.
    expect(nodeOfStep([{ netns: 'external' }, { netns: 'node-network' }, { netns: 'node-2' }], 0, nodes, pods)).toBe('node-2');
    expect(nodeOfStep([], 0, nodes, pods)).toBeNull();
  });

  it("lays 500 collapsed nodes out as a landscape grid; each says its address, podCIDR and pod count, and offers its pods", () => {
    const s = benchScenario(500, 2);
    const names = new Set(s.nodes.map((n) => n.name));
    const l = layout(s, {}, compile(s), undefined, names, { visited: new Set() });
    const hosts = l.nodes.filter((n) => n.type === 'host');
    expect(hosts).toHaveLength(500);
    expect(l.nodes.filter((n) => n.type === 'pod')).toHaveLength(0);
    const first = hosts[0].data as HostData;
    expect(first).toMatchObject({ collapsed: true, toggle: 'expand', podCount: 2 });
    expect(first.node.podCIDR).toBe(s.nodes[0].podCIDR);
    // Wider than tall, as the canvas is.
    const perRow = collapsedPerRow(500);
    expect(hosts[perRow - 1].position.y).toBe(hosts[0].position.y);
    expect(hosts[perRow].position.y).toBeGreaterThan(hosts[0].position.y);
    const right = Math.max(...hosts.map((h) => h.position.x)) + COLLAPSED_W;
    const bottom = Math.max(...hosts.map((h) => h.position.y)) + 250;
    expect(right / bottom).toBeGreaterThan(1.2);
    expect(right / bottom).toBeLessThan(2.2);
  });

  it('draws a walk between two nodes with both expanded, no Show pods on them, and every hop on a drawn box', () => {
    const s = benchScenario(60, 5);
    const dp = compile(s);
    const t = trace(dp, { from: { kind: 'pod', namespace: 'default', name: 'app-3-1' }, to: { kind: 'pod', namespace: 'default', name: 'app-55-2', port: 8080 }, proto: 'tcp' });
    if (!t.ok) throw new Error('trace');
    const visited = visitedNodes(t.value.hops, s.nodes, s.pods);
    expect([...visited].sort()).toEqual(['node-3', 'node-55']);
    const collapsed = collapsedNodes(s.nodes, s.pods.length, new Set(), visited);
    const l = layout(s, {}, dp, undefined, collapsed, { visited });
    const host = (name: string) => l.nodes.find((n) => n.id === `node:${name}`)!.data as HostData;
    expect(host('node-3')).not.toHaveProperty('collapsed');
    expect(host('node-3')).not.toHaveProperty('toggle');
    expect(host('node-55')).not.toHaveProperty('collapsed');
    expect(host('node-4')).toMatchObject({ collapsed: true, toggle: 'expand' });
    expect(l.nodes.some((n) => n.id === 'pod:default/app-3-1')).toBe(true);
    expect(l.nodes.some((n) => n.id === 'pod:default/app-55-2')).toBe(true);
    // Every hop has a place on the canvas: the packet is never drawn into a collapsed box.
    const anchors = anchorsOf(t.value.hops, l);
    expect(anchors.every((a) => a !== null)).toBe(true);
    for (const a of anchors) if (a && 'node' in a.place) expect(collapsed.has(a.place.node), a.place.node).toBe(false);
  });

  it('an expanded node of a big cluster offers to hide its pods again', () => {
    const s = benchScenario(50, 2);
    const collapsed = collapsedNodes(s.nodes, s.pods.length, new Set(['node-2']), new Set());
    const l = layout(s, {}, compile(s), undefined, collapsed, { visited: new Set() });
    expect(l.nodes.find((n) => n.id === 'node:node-2')!.data).toMatchObject({ toggle: 'collapse' });
    expect(l.nodes.filter((n) => n.type === 'pod').map((n) => n.id)).toEqual(['pod:default/app-2-1', 'pod:default/app-2-2']);
  });
});
