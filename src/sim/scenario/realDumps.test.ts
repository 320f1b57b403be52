// The two cluster dumps in ./dumps (see its README) read exactly as the cluster
// is: the pods the dump holds and no others, with the dump's addresses, on the
// dump's nodes, and a Service's ready endpoints the ones the EndpointSlice
// controller wrote. What is expected is read off the dump itself, with a plain
// reader written here, not off podpath's own parser.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { allocate, compile, endpointsOf, parseScenario, trace, type PodpathWarning, type Scenario } from '../index.ts';

type Obj = Record<string, any>;
const read = (name: string) => readFileSync(new URL(`./dumps/${name}`, import.meta.url), 'utf8');

/** kubectl cluster-info dump's stdout: the JSON Lists between the log blocks, each item given its List's kind. */
function clusterInfoItems(text: string): Obj[] {
  const json = text.replace(/^==== START logs for container [^\n]*====\n[\s\S]*?^==== END logs for container [^\n]*====\n/gm, '');
  const lists = JSON.parse(`[${json.replace(/\n}\n{/g, '\n},\n{')}]`) as Obj[];
  return lists.flatMap((l) => (l.items as Obj[]).map((i) => ({ kind: (l.kind as string).replace(/List$/, ''), ...i })));
}

function load(text: string, source: string): { s: Scenario; warnings: PodpathWarning[] } {
  const parsed = parseScenario(text, source);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues.slice(0, 3)));
  const allocated = allocate(parsed.value);
  if (!allocated.ok) throw new Error(JSON.stringify(allocated.issues.slice(0, 3)));
  return { s: allocated.value, warnings: parsed.warnings };
}

const key = (o: Obj) => `${o.metadata.namespace}/${o.metadata.name}`;
const of = (items: Obj[], kind: string) => items.filter((i) => i.kind === kind);

/** What both dumps must give: nodes, pods and their addresses as the dump says. */
function expectAsDumped({ s, warnings }: { s: Scenario; warnings: PodpathWarning[] }, items: Obj[]) {
  const nodes = of(items, 'Node');
  expect(s.nodes.map((n) => [n.name, n.internalIP, n.podCIDR]).sort()).toEqual(
    nodes.map((n) => [n.metadata.name, n.status.addresses.find((a: Obj) => a.type === 'InternalIP').address, n.spec.podCIDR]).sort(),
  );
  // hostNetwork pods are their node's netns: podpath draws only the node (a warning says so).
  // A pod no node runs yet (Pending, no spec.nodeName) has no netns and no address:
  // it is left out, and a warning names it.
  const pods = of(items, 'Pod').filter((p) => !p.spec.hostNetwork && p.spec.nodeName);
  const unscheduled = of(items, 'Pod').filter((p) => !p.spec.nodeName);
  const said = warnings.find((w) => w.code === 'unscheduled-pods-skipped')?.message ?? '';
  for (const p of unscheduled) expect(said, key(p)).toContain(key(p));
  if (!unscheduled.length) expect(said).toBe('');
  expect(s.pods.map((p) => `${p.namespace}/${p.name}`).sort()).toEqual(pods.map(key).sort());
  for (const p of pods) {
    const mine = s.pods.find((x) => `${x.namespace}/${x.name}` === key(p))!;
    expect(mine.nodeName, key(p)).toBe(p.spec.nodeName);
    // A Running pod keeps the address the dump gives; a Pending one has none yet.
    if (p.status.phase === 'Running') expect(mine.podIP, key(p)).toBe(p.status.podIP);
    if (p.status.phase === 'Pending') expect(mine.podIP, key(p)).toBeUndefined();
  }
  expect(s.services.map((v) => `${v.namespace}/${v.name}`).sort()).toEqual(of(items, 'Service').map(key).sort());
  for (const v of of(items, 'Service')) {
    const mine = s.services.find((x) => `${x.namespace}/${x.name}` === key(v))!;
    expect(mine.clusterIP, key(v)).toBe(v.spec.clusterIP);
  }
}

describe('a k3s cluster, kubectl get -A -o yaml', () => {
  const text = read('k3s-get-all.yaml');
  const items = (parseYaml(text) as Obj).items as Obj[];
  const loaded = load(text, 'k3s-get-all.yaml');
  const { s } = loaded;

  it('has the pods, addresses, nodes and Services of the dump, and no pod of its own', () => {
    expect(of(items, 'Pod')).toHaveLength(13);
    expectAsDumped(loaded, items);
  });

  it('gives every Service port the ready endpoints its EndpointSlices list', () => {
    let compared = 0;
    for (const slice of of(items, 'EndpointSlice')) {
      const svcName = `${slice.metadata.namespace}/${slice.metadata.labels['kubernetes.io/service-name']}`;
      const svc = s.services.find((v) => `${v.namespace}/${v.name}` === svcName)!;
      for (const sp of (slice.ports as Obj[])) {
        const port = svc.ports.find((p) => (p.name ?? '') === (sp.name ?? '') && p.protocol === sp.protocol)!;
        const want = ((slice.endpoints ?? []) as Obj[]).filter((e) => e.conditions.ready).map((e) => `${e.addresses[0]}:${sp.port}`).sort();
        expect(endpointsOf(s, svc, port).map((e) => `${e.ip}:${e.port}`).sort(), `${svcName} ${sp.name ?? sp.port}`).toEqual(want);
        compared++;
      }
    }
    expect(compared).toBe(10);
  });

  it('traces to default/kubernetes by name and by ClusterIP alike, to the API server the EndpointSlice names', () => {
    const dp = compile(s);
    const from = { kind: 'pod' as const, namespace: 'default', name: 'web-6b8f9c7d54-4jx2p' };
    const byName = trace(dp, { from, to: { kind: 'service', namespace: 'default', name: 'kubernetes', port: 443 }, proto: 'tcp' });
    const byIP = trace(dp, { from, to: { kind: 'ip', ip: '10.43.0.1', port: 443 }, proto: 'tcp' });
    expect(byName.ok && byIP.ok).toBe(true);
    if (!byName.ok || !byIP.ok) return;
    expect(byIP.value.verdict).toBe(byName.value.verdict);
    expect(byIP.value.hops.map((h) => h.packet?.dst)).toEqual(byName.value.hops.map((h) => h.packet?.dst));
    expect(byName.value.hops.some((h) => (h.packet?.dst ?? '').startsWith('172.18.0.2'))).toBe(true);
  });
});

describe('a kind cluster, kubectl cluster-info dump --all-namespaces', () => {
  const text = read('kind-cluster-info-dump.txt');
  const items = clusterInfoItems(text);
  const loaded = load(text, 'kind-cluster-info-dump.txt');
  const { s } = loaded;

  it('has the pods, addresses, nodes and Services of the dump, and no pod of its own', () => {
    expect(of(items, 'Pod')).toHaveLength(16);
    expectAsDumped(loaded, items);
  });

  it('from outside, a ClusterIP is said to be in the Service range, with what reaches a Service from there', () => {
    const t = trace(compile(s), { from: { kind: 'external' }, to: { kind: 'ip', ip: '10.96.0.10', port: 53 }, proto: 'udp' });
    expect(t.ok && t.value.verdict).toBe('dropped');
    if (!t.ok) return;
    expect(t.value.reason).toContain('no route to the Service range either');
    expect(t.value.reason).toContain('from outside, a NodePort or a LoadBalancer reaches a Service');
    expect(t.value.reason).not.toContain('pod range');
  });

  it("gives kube-dns both coredns pods, the Deployment's two and no more", () => {
    const dns = s.services.find((v) => v.name === 'kube-dns')!;
    const coredns = of(items, 'Pod').filter((p) => p.metadata.labels['k8s-app'] === 'kube-dns').map((p) => `${p.status.podIP}:53`).sort();
    expect(coredns).toHaveLength(2);
    for (const sp of dns.ports.filter((p) => p.port === 53)) expect(endpointsOf(s, dns, sp).map((e) => `${e.ip}:${e.port}`).sort()).toEqual(coredns);
  });
});
