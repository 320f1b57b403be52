// The canvas for React Flow, without a DOM: what each box says (from the engine's
// dataplane), which wires are drawn, and that a packet lands on the right bar.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile, endpointsOf, objectKey, trace } from '../../sim/index.ts';
import { cluster, load, node, pod, service } from '../../sim/testing/helpers.ts';
import { layout } from './layout.ts';
import { anchorsOf } from './packet/anchors.ts';
import { elementId, elementOfId } from '../../store/ids.ts';

describe('canvas layout', () => {
  it('names the node network a VPC fabric in vpc, and a plain node network otherwise', () => {
    for (const cni of ['vpc', 'flannel-vxlan']) {
      const s = load(cluster(cni) + node('n1') + pod('a', 'n1', {}));
      const net = layout(s, {}, compile(s)).nodes.find((n) => n.id === 'network')!;
      expect(net.data.vpcFabric).toBe(cni === 'vpc');
      expect(net.ariaLabel).toBe(`${cni === 'vpc' ? 'VPC fabric' : 'node network'} 192.168.56.0/24`);
    }
  });
  it('draws cni0 DOWN on a node whose pods are all gone (it stays), and not at all on a node that never had one', () => {
    const s = load(cluster('flannel-vxlan') + '---\napiVersion: v1\nkind: Node\nmetadata: {name: n1, annotations: {podpath.dev/cni0-created: "true"}}\n' + node('n2') + node('n3') + pod('a', 'n3', {}));
    const l = layout(s, {}, compile(s));
    const bridge = (n: string) => l.nodes.find((x) => x.id === `bridge:${n}`)!.data;
    expect(bridge('n1')).toMatchObject({ name: 'cni0', down: true });
    expect(bridge('n2')).toMatchObject({ name: null, down: false });
    expect(bridge('n3')).toMatchObject({ name: 'cni0', down: false });
  });
  it('a pod with a pod below it has its veth turn into the gap between columns (never behind the pod below)', () => {
    let text = cluster('bridge-hostgw') + node('n1');
    for (let i = 1; i <= 5; i++) text += pod(`p${i}`, 'n1', {});
    const s = load(text);
    const l = layout(s, {}, compile(s));
    // Three columns: p1 and p2 have p4 and p5 below them; p3 does not.
    expect([...l.upperRowPods].sort()).toEqual(['pod:default/p1', 'pod:default/p2']);
    expect(l.edges.find((e) => e.id === 'veth:default/p1')!.data).toEqual({ detour: (230 + 22) / 2 });
    expect(l.edges.find((e) => e.id === 'veth:default/p3')!.data).toEqual({ detour: 0 });
  });
  it('draws the node network under each row of nodes, joined into one segment', () => {
    let text = cluster('flannel-vxlan');
    for (let i = 1; i <= 20; i++) text += node(`n${i}`) + pod(`p${i}`, `n${i}`, {}, [{ containerPort: 80 }]);
    const s = load(text);
    const l = layout(s, {}, compile(s));
    const hosts = s.nodes.map((n) => l.boxes.get(`node:${n.name}`)!);
    const rowTops = [...new Set(hosts.map((b) => b.y))];
    expect(rowTops).toHaveLength(4);
    expect(l.networkBars).toHaveLength(4);
    expect(l.edges.filter((e) => e.type === 'trunk')).toHaveLength(3);
    // Each node's eth0 is wired to the bar right under its own row.
    const wire = l.edges.find((e) => e.id === 'wire:n7')!;
    expect(l.boxes.get(wire.target)!.y).toBeGreaterThan(l.boxes.get('node:n7')!.y + l.boxes.get('node:n7')!.h);
    expect(l.boxes.get(wire.target)!.y).toBeLessThan(l.boxes.get('node:n12')!.y);
    // A packet from row 1 to row 4 crosses the node network on the bar under row 1.
    const t = trace(compile(s), { from: { kind: 'pod', namespace: 'default', name: 'p1' }, to: { kind: 'pod', namespace: 'default', name: 'p20', port: 80 }, proto: 'tcp' });
    if (!t.ok) throw new Error('trace');
    const anchors = anchorsOf(t.value.hops, l);
    const onSwitch = t.value.hops.findIndex((h) => h.netns === 'node-network');
    expect(anchors[onSwitch]!.y).toBe(l.networkBars[0].y + l.networkBars[0].h / 2);
  });
  it("Cilium: a hop on cilium_host (the pods' gateway, drawn in the bridge box) is drawn on that box, not under the node's header", () => {
    const s = load(readFileSync(new URL('../../../public/scenarios/cilium-tunnel.yaml', import.meta.url), 'utf8').replace('routingMode: tunnel', 'routingMode: native\n    autoDirectNodeRoutes: true'));
    const dp = compile(s);
    const l = layout(s, {}, dp);
    const t = trace(dp, { from: { kind: 'pod', namespace: 'default', name: 'client' }, to: { kind: 'pod', namespace: 'default', name: 'web-2', port: 8080 }, proto: 'tcp' });
    if (!t.ok) throw new Error('trace');
    const anchors = anchorsOf(t.value.hops, l);
    const atHost = t.value.hops.map((h, i) => [h, anchors[i]] as const).filter(([h]) => h.device === 'cilium_host');
    expect(atHost.length).toBeGreaterThan(0);
    for (const [h, a] of atHost) expect(a?.place).toEqual({ kind: 'bridge', node: h.netns });
  });
  it("a Service's endpoints are the engine's: its own namespace only, and only pods that have its named targetPort", () => {
    const s = load(
      cluster('bridge-hostgw') +
        node('n1') +
        node('n2') +
        pod('web-1', 'n1', { app: 'web' }, [{ name: 'http', containerPort: 8080 }]) +
        pod('web-2', 'n2', { app: 'web' }, [{ containerPort: 8080 }]) +
        pod('web-3', 'n2', { app: 'web' }, [{ name: 'http', containerPort: 9090 }]) +
        // Same labels and port name, another namespace: not the Service's.
        `---\napiVersion: v1\nkind: Pod\nmetadata: {name: web-4, namespace: shop, labels: {app: web}}\nspec: {nodeName: n1, containers: [{name: c, image: x, ports: [{name: http, containerPort: 8080}]}]}\n` +
        service('web', { app: 'web' }, [{ port: 80, targetPort: 'http' }]),
    );
    const svc = s.services[0];
    const engine = endpointsOf(s, svc, svc.ports[0]).map((e) => objectKey(e.pod!));
    expect(engine.sort()).toEqual(['default/web-1', 'default/web-3']);
    const l = layout(s, {}, compile(s));
    expect(l.nodes.find((n) => n.id === 'svc:default/web')!.data.endpoints).toBe(2);
    const drawn = l.edges.filter((e) => e.type === 'endpoint').map((e) => e.target);
    expect(drawn.sort()).toEqual(engine.map((k) => `pod:${k}`));
  });
  it('every box the canvas draws for an element reads back as that element, and every other box as none', () => {
    const s = load(cluster('flannel-vxlan') + node('n1') + node('n2') + pod('a', 'n1', { app: 'a' }, [{ containerPort: 80 }]) + pod('b', 'n2', {}) + service('web', { app: 'a' }, [{ port: 80 }]));
    const l = layout(s, {}, compile(s));
    const elements = l.nodes.map((n) => elementOfId(n.id)).filter((e) => e !== null);
    expect(elements).toEqual([
      { kind: 'node', key: 'n1' },
      { kind: 'pod', key: 'default/a' },
      { kind: 'node', key: 'n2' },
      { kind: 'pod', key: 'default/b' },
      { kind: 'service', key: 'default/web' },
    ]);
    for (const n of l.nodes) expect(elementOfId(n.id) !== null, n.id).toBe(n.type === 'host' || n.type === 'pod' || n.type === 'service');
    // The engine's trace names netns the canvas finds by these ids.
    const t = trace(compile(s), { from: { kind: 'pod', namespace: 'default', name: 'b' }, to: { kind: 'service', namespace: 'default', name: 'web', port: 80 }, proto: 'tcp' });
    if (!t.ok) throw new Error('trace');
    expect(l.boxes.has(elementId('pod', t.value.hops[0].netns))).toBe(true);
  });

  it('a collapsed node: no pod, device or veth of it is drawn, its wire joins the bar, and a Service reaches it by one wire, never to a pod not drawn', () => {
    const s = load(cluster('flannel-vxlan') + node('n1') + node('n2') + pod('a', 'n1', { app: 'w' }, [{ containerPort: 80 }]) + pod('b', 'n2', { app: 'w' }, [{ containerPort: 80 }]) + pod('c', 'n2', { app: 'w' }, [{ containerPort: 80 }]) + service('w', { app: 'w' }, [{ port: 80, targetPort: 80 }]));
    const l = layout(s, {}, compile(s), undefined, new Set(['n2']));
    const ids = new Set(l.nodes.map((n) => n.id));
    expect(l.nodes.find((n) => n.id === 'node:n2')!.data).toMatchObject({ collapsed: true, podCount: 2 });
    for (const id of ['pod:default/b', 'pod:default/c', 'bridge:n2', 'nic:n2', 'tunnel:n2']) expect(ids.has(id)).toBe(false);
    expect(ids.has('pod:default/a') && ids.has('nic:n1')).toBe(true);
    // Every edge joins two boxes that are drawn.
    for (const e of l.edges) expect(ids.has(e.source) && ids.has(e.target), e.id).toBe(true);
    expect(l.edges.find((e) => e.id === 'wire:n2')).toMatchObject({ source: 'node:n2', sourceHandle: 'wire', target: 'network' });
    const eps = l.edges.filter((e) => e.type === 'endpoint').map((e) => e.target).sort();
    expect(eps).toEqual(['node:n2', 'pod:default/a']);
    // Not collapsed: as before.
    const full = layout(s, {}, compile(s));
    expect(full.edges.filter((e) => e.type === 'endpoint').map((e) => e.target).sort()).toEqual(['pod:default/a', 'pod:default/b', 'pod:default/c']);
  });
});
