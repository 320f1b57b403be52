// The canvas geometry as numbers, without React or a DOM: where hosts, pods,
// devices, the node network and Services go, and what a person's drag keeps.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BRIDGE_H,
  COLLAPSED_H,
  COLLAPSED_WIRE_X,
  EXTERNAL_W,
  COLLAPSED_W,
  HOST_GAP,
  HOST_HEADER,
  HOST_PAD,
  NIC_H,
  POD_H,
  POD_W,
  SERVICE_H,
  VETH_DETOUR,
  VETH_LEN,
  hostAt,
  hostSize,
  hostsPerRow,
  overlapsHost,
  placeCluster,
  podColumns,
  type Box,
  type ClusterShape,
  type HostShape,
} from './geometry.ts';

const host = (name: string, pods = 0, tunnel = false): HostShape => ({
  name,
  pods: Array.from({ length: pods }, (_, i) => ({ key: `default/${name}-p${i + 1}`, veth: `veth${name}${i + 1}` })),
  tunnel,
});
const shape = (nodes: HostShape[], services: string[] = [], positions: ClusterShape['positions'] = {}): ClusterShape => ({ nodes, services, positions });
const inside = (a: Box, b: Box) => a.x >= b.x && a.y >= b.y && a.x + a.w <= b.x + b.w && a.y + a.h <= b.y + b.h;
const overlap = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
const bottom = (b: Box) => b.y + b.h;

describe('canvas geometry', () => {
  it('puts up to four nodes in a row, more in even rows about as wide as tall', () => {
    expect([0, 1, 2, 4, 5, 6, 20, 50].map(hostsPerRow)).toEqual([1, 1, 2, 4, 3, 3, 5, 9]);
  });

  it('grows a node with its pods: two columns up to two pods, three up to nine, then five', () => {
    expect([0, 2, 3, 9, 10, 50].map(podColumns)).toEqual([2, 2, 3, 3, 5, 5]);
    expect(hostSize(0)).toEqual(hostSize(2)); // one row of two, empty or not
    expect(hostSize(3).w).toBeGreaterThan(hostSize(2).w);
    expect(hostSize(4).h - hostSize(3).h).toBe(POD_H + 48); // a second row of pods
    expect(hostSize(0).h).toBe(HOST_HEADER + POD_H + VETH_LEN + BRIDGE_H + 40 + NIC_H + HOST_PAD);
  });

  it('inside a node: the pods in a grid under the header, cni0 under them, eth0 under cni0, all within the node', () => {
    const g = placeCluster(shape([host('n1', 7)]));
    const h = g.hosts[0];
    expect(h.pods).toHaveLength(7);
    for (const p of h.pods) {
      expect(inside(p.box, h.box)).toBe(true);
      expect(p.box.y).toBeGreaterThanOrEqual(h.box.y + HOST_HEADER);
      expect(bottom(p.box) + VETH_LEN).toBeLessThanOrEqual(h.bridge!.box.y);
      // The position React Flow takes is relative to the node.
      expect({ x: h.box.x + p.at.x, y: h.box.y + p.at.y }).toEqual({ x: p.box.x, y: p.box.y });
    }
    for (let i = 0; i < h.pods.length; i++) for (let j = i + 1; j < h.pods.length; j++) expect(overlap(h.pods[i].box, h.pods[j].box)).toBe(false);
    expect(inside(h.bridge!.box, h.box) && inside(h.nic!.box, h.box)).toBe(true);
    expect(h.nic!.box.y).toBeGreaterThan(bottom(h.bridge!.box));
    // No VXLAN device: eth0 is centred.
    expect(h.nic!.box.x + h.nic!.box.w / 2).toBe(h.box.x + h.box.w / 2);
    expect(h.tunnel).toBeUndefined();
  });

  it('a node with a VXLAN device draws it left of eth0, side by side', () => {
    const h = placeCluster(shape([host('n1', 1, true)])).hosts[0];
    expect(h.tunnel).toBeDefined();
    expect(bottom(h.tunnel!.box)).toBe(bottom(h.nic!.box));
    expect(h.tunnel!.box.x + h.tunnel!.box.w).toBeLessThan(h.nic!.box.x);
    expect(overlap(h.tunnel!.box, h.nic!.box)).toBe(false);
  });

  it("a pod with a pod below it has its veth turn into the gap between columns; the bottom row's go straight down", () => {
    const g = placeCluster(shape([host('n1', 5)]));
    const [p1, p2, p3, p4, p5] = g.hosts[0].pods;
    expect([p1, p2, p3, p4, p5].map((p) => p.detour)).toEqual([VETH_DETOUR, VETH_DETOUR, 0, 0, 0]);
    expect([...g.upperRowPods]).toEqual(['pod:default/n1-p1', 'pod:default/n1-p2']);
    // From the middle of the pod, the veth turns aside to the middle of the gap between its column and the next.
    expect(p1.box.x + POD_W / 2 + p1.detour).toBe((p1.box.x + POD_W + p2.box.x) / 2);
    expect(p4.box.y).toBeGreaterThan(bottom(p1.box));
  });

  it('knows which pod each host-side veth belongs to', () => {
    const g = placeCluster(shape([host('n1', 2), host('n2', 1)]));
    expect([...g.vethOwner]).toEqual([
      ['n1|vethn11', 'default/n1-p1'],
      ['n1|vethn12', 'default/n1-p2'],
      ['n2|vethn21', 'default/n2-p1'],
    ]);
  });

  it('places nodes left to right in rows, a bar of the node network under each row, top to bottom', () => {
    const nodes = Array.from({ length: 20 }, (_, i) => host(`n${i + 1}`, i % 4));
    const g = placeCluster(shape(nodes));
    const rows = [...new Set(g.hosts.map((h) => h.row))];
    expect(rows).toEqual([0, 1, 2, 3]);
    expect(g.bars).toHaveLength(4);
    expect(g.networkBars).toEqual([...g.bars].sort((a, b) => a.y - b.y));
    for (const h of g.hosts) {
      const bar = g.bars[h.row];
      // Its bar is below it and spans it; the next row starts below that bar.
      expect(bar.y).toBeGreaterThan(bottom(h.box));
      expect(bar.x).toBeLessThanOrEqual(h.box.x);
      expect(bar.x + bar.w).toBeGreaterThanOrEqual(h.box.x + h.box.w);
      const next = g.hosts.find((o) => o.row === h.row + 1);
      if (next) expect(next.box.y).toBeGreaterThan(bottom(bar));
    }
    // In a row, each node to the right of the one before, HOST_GAP apart, tops aligned.
    const row0 = g.hosts.filter((h) => h.row === 0);
    for (let i = 1; i < row0.length; i++) {
      expect(row0[i].box.x).toBe(row0[i - 1].box.x + row0[i - 1].box.w + HOST_GAP);
      expect(row0[i].box.y).toBe(row0[0].box.y);
    }
  });

  it('keeps a node where a person put it, and the next node in its row goes to its right', () => {
    const g = placeCluster(shape([host('n1'), host('n2'), host('n3')], [], { 'node:n2': { x: 1000, y: 700 } }));
    expect(g.hosts[1].box).toMatchObject({ x: 1000, y: 700 });
    expect(g.hosts[2].box).toMatchObject({ x: 1000 + g.hosts[1].box.w + HOST_GAP, y: 700 });
    // The row's bar reaches from the leftmost node to the rightmost, under the lowest.
    const bar = g.bars[0];
    expect(bar.x).toBe(0);
    expect(bar.x + bar.w).toBe(g.hosts[2].box.x + g.hosts[2].box.w);
    expect(bar.y).toBe(bottom(g.hosts[2].box) + 80);
  });

  it('puts Services in a row above the highest node, unless a person put them somewhere', () => {
    const g = placeCluster(shape([host('n1'), host('n2')], ['default/a', 'default/b', 'default/c'], { 'svc:default/c': { x: -500, y: 40 } }));
    const top = Math.min(...g.hosts.map((h) => h.box.y));
    const [a, b, c] = g.services;
    expect(bottom(a)).toBeLessThan(top);
    expect(b.y).toBe(a.y);
    expect(b.x).toBeGreaterThan(a.x + a.w);
    expect(c).toMatchObject({ x: -500, y: 40, h: SERVICE_H });
    expect(g.boxes.get('svc:default/b')).toBe(b);
  });

  it('puts the external client left of the first bar, and gives an empty cluster one bar to show', () => {
    const g = placeCluster(shape([host('n1', 1)]));
    expect(g.external.x + g.external.w).toBeLessThan(g.bars[0].x);
    expect(overlap(g.external, g.bars[0])).toBe(false);
    const empty = placeCluster(shape([]));
    expect(empty.bars).toHaveLength(1);
    expect(empty.hosts).toEqual([]);
    expect(empty.boxes.get('network')).toBe(empty.bars[0]);
  });

  it('joins neighbouring VXLAN devices in a row with one pipe each, left to right, never across rows', () => {
    const nodes = Array.from({ length: 6 }, (_, i) => host(`n${i + 1}`, 1, i !== 1)); // n2 has no VXLAN device
    const g = placeCluster(shape(nodes));
    expect(hostsPerRow(6)).toBe(3);
    expect(g.tunnelPipes).toEqual([
      ['n1', 'n3'],
      ['n4', 'n5'],
      ['n5', 'n6'],
    ]);
    // A node dragged to the far left of its row: the pipe follows the picture, not the list.
    const moved = placeCluster(shape(nodes, [], { 'node:n6': { x: -2000, y: g.hosts[3].box.y } }));
    expect(moved.tunnelPipes).toEqual([
      ['n1', 'n3'],
      ['n6', 'n4'],
      ['n4', 'n5'],
    ]);
  });

  it('finds the node under a point (the top one where they overlap), and whether a new node would overlap one', () => {
    const nodes = [host('n1'), host('n2')];
    const g = placeCluster(shape(nodes, [], { 'node:n2': { x: 100, y: 300 } }));
    const n1 = g.hosts[0].box;
    expect(hostAt(g, { x: n1.x + 5, y: n1.y + 5 }, nodes)).toBe('n1');
    expect(hostAt(g, { x: 150, y: 350 }, nodes)).toBe('n2'); // in both: n2 is drawn on top
    expect(hostAt(g, { x: -50, y: -50 }, nodes)).toBeUndefined();
    expect(overlapsHost(g, { x: n1.x + 10, y: n1.y + 10 }, nodes)).toBe(true);
    expect(overlapsHost(g, { x: 5000, y: 5000 }, nodes)).toBe(false);
  });

  it('is framework-free: neither it nor the packet anchors load React, React Flow or the store', () => {
    const here = dirname(fileURLToPath(import.meta.url));
    const seen = new Set<string>();
    const bad: string[] = [];
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const m of readFileSync(file, 'utf8').matchAll(/^import\s+(?!type\b)[^'"]*['"]([^'"]+)['"]/gm)) {
        const spec = m[1];
        if (spec.startsWith('.')) visit(resolve(dirname(file), spec));
        else bad.push(`${file}: ${spec}`);
      }
      if (/\.tsx$|store\/store\.ts$/.test(file)) bad.push(file);
    };
    visit(resolve(here, 'geometry.ts'));
    visit(resolve(here, 'packet/anchors.ts'));
    expect(bad).toEqual([]);
    expect([...seen].some((f) => f.endsWith('store/ids.ts'))).toBe(true);
  });

  it('draws a node collapsed when asked: a small box, nothing inside, closer to its neighbours, its wire still on the bar', () => {
    const nodes = [host('n1', 3, true), host('n2', 3, true), host('n3', 2, true)];
    const full = placeCluster(shape(nodes));
    const g = placeCluster(shape(nodes), { collapsed: new Set(['n2']) });
    const [h1, h2, h3] = g.hosts;
    expect(h2).toMatchObject({ collapsed: true, pods: [], box: { w: COLLAPSED_W, h: COLLAPSED_H } });
    expect(h2.bridge).toBeUndefined();
    expect(h2.nic).toBeUndefined();
    expect(h2.tunnel).toBeUndefined();
    // Its pods and devices have no box and no veth owner: nothing can be drawn or placed on them.
    for (const id of ['pod:default/n2-p1', 'bridge:n2', 'nic:n2', 'tunnel:n2']) expect(g.boxes.has(id)).toBe(false);
    expect([...g.vethOwner.keys()].some((k) => k.startsWith('n2|'))).toBe(false);
    // The others are whole and unchanged inside; the row is narrower; nothing overlaps.
    expect(h1.box).toEqual(full.hosts[0].box);
    expect(h3.box.w).toBe(full.hosts[2].box.w);
    expect(h3.box.x).toBeLessThan(full.hosts[2].box.x - 400);
    expect(overlap(h1.box, h2.box) || overlap(h2.box, h3.box)).toBe(false);
    expect(h2.box.x).toBeGreaterThan(h1.box.x + h1.box.w);
    expect(h3.box.x).toBeGreaterThan(h2.box.x + h2.box.w);
    // The bar still runs under all three: a collapsed node's wire (from its box's bottom) lands on it.
    const bar = g.bars[0];
    expect(bar.x).toBeLessThanOrEqual(h1.box.x);
    expect(bar.x + bar.w).toBeGreaterThanOrEqual(h3.box.x + h3.box.w);
    expect(bar.y).toBeGreaterThan(bottom(h2.box));
    const wireX = h2.box.x + COLLAPSED_WIRE_X;
    expect(wireX > bar.x && wireX < bar.x + bar.w).toBe(true);
    // The VXLAN pipe joins the flannel.1 devices that are drawn, below the collapsed box.
    expect(g.tunnelPipes).toEqual([['n1', 'n3']]);
    expect(h1.tunnel!.box.y).toBeGreaterThan(bottom(h2.box));
    // The external client still left of the bar, clear of every node.
    for (const h of g.hosts) expect(overlap(g.external, h.box)).toBe(false);
  });

  it('collapses nothing by default: placeCluster without options is what it always was', () => {
    const nodes = [host('n1', 3, true), host('n2', 3, true), host('n3', 2, true)];
    expect(placeCluster(shape(nodes), { collapsed: new Set() })).toEqual(placeCluster(shape(nodes)));
  });

  it('the row\'s first node collapsed: the external client stands under it, above the bar, its wire dropping into the bar; nothing overlaps', () => {
    const nodes = [host('n1', 3, true), host('n2', 3, true), host('n3', 2, true)];
    const full = placeCluster(shape(nodes));
    const g = placeCluster(shape(nodes), { collapsed: new Set(['n1']) });
    const [h1, h2, h3] = g.hosts;
    const bar = g.bars[0];
    expect(full.externalWire).toBe('side');
    expect(g.externalWire).toBe('down');
    const e = g.external;
    expect(e.y).toBeGreaterThan(bottom(h1.box));
    expect(bottom(e)).toBeLessThan(bar.y - 40);
    // Right of the collapsed node's wire, over the bar (its own wire lands on it), clear of the next node.
    expect(e.x).toBeGreaterThan(h1.box.x + COLLAPSED_WIRE_X);
    expect(e.x).toBeGreaterThanOrEqual(bar.x);
    expect(e.x + e.w).toBeLessThan(h2.box.x);
    for (const h of g.hosts) expect(overlap(e, h.box)).toBe(false);
    expect(overlap(h1.box, h2.box) || overlap(h2.box, h3.box)).toBe(false);
    // From the client to the last node: narrower than the row drawn whole, by more than the client's width.
    expect(full.hosts[2].box.x + full.hosts[2].box.w - full.external.x - (h3.box.x + h3.box.w - e.x)).toBeGreaterThan(EXTERNAL_W);
  });
});
