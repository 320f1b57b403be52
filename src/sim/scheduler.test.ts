// Where pods without spec.nodeName land, as a person reads it off `podpath ipam`:
// the spreading rule, then the least loaded node, then the order of the file.
import { describe, expect, it } from 'vitest';
import { issuesOf, load, cluster, node, pod } from './testing/helpers.ts';
import { Scheduler } from './scheduler.ts';
import type { PodSpec } from './model.ts';

const deployment = (name: string, replicas: number, ports: object[] = []) =>
  `---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}}\nspec: {replicas: ${replicas}, template: {metadata: {labels: {app: ${name}}}, spec: {containers: [{name: c, image: x, ports: ${JSON.stringify(ports)}}]}}}\n`;
const placement = (text: string, owner: string) =>
  load(text)
    .pods.filter((p) => p.ownerName === owner || (!p.ownerName && p.name === owner))
    .map((p) => p.nodeName);

describe('the scheduler rule and its tie-breaks', () => {
  it('1. spreading first: a node without a replica of the workload wins, even when it already runs more pods', () => {
    // a runs two other pods, b none: web-1 goes to b (no web anywhere, b less loaded),
    // web-2 to a (the only node without web, though it is the busier one), web-3 back
    // to b (one web on each: the less loaded).
    const text = cluster('flannel-vxlan') + node('a') + node('b') + pod('x', 'a', { app: 'other' }) + pod('y', 'a', { app: 'other' }) + deployment('web', 3);
    expect(placement(text, 'web')).toEqual(['b', 'a', 'b']);
  });
  it('2. then the node with the fewest pods of any kind', () => {
    const text = cluster('flannel-vxlan') + node('a') + node('b') + node('c') + pod('x', 'a', { app: 'other' }) + pod('y', 'b', { app: 'other' }) + deployment('web', 1);
    expect(placement(text, 'web')).toEqual(['c']);
  });
  it('3. then the node that comes first in the file, not the first by name', () => {
    const text = cluster('flannel-vxlan') + node('zeta') + node('alpha') + node('mid') + deployment('web', 4);
    expect(placement(text, 'web')).toEqual(['zeta', 'alpha', 'mid', 'zeta']);
  });
  it('bare pods with the same labels spread like one workload; different labels do not count against each other', () => {
    const text = cluster('flannel-vxlan') + node('a') + node('b') + pod('w1', undefined, { app: 'web' }) + pod('w2', undefined, { app: 'web' }) + pod('d1', undefined, { app: 'db' });
    const s = load(text);
    expect(s.pods.map((p) => [p.name, p.nodeName])).toEqual([
      ['w1', 'a'],
      ['w2', 'b'],
      // db has no replica anywhere; a and b run one pod each: the first in the file.
      ['d1', 'a'],
    ]);
  });
  it('a node whose hostPort is taken does not fit (kube-scheduler\'s NodePorts filter), however little it runs', () => {
    const text = cluster('flannel-vxlan') + node('a') + node('b') + pod('x', 'a', { app: 'proxy' }, [{ containerPort: 80, hostPort: 8080 }]) +
      pod('y', 'b', { app: 'other' }) + pod('z', 'b', { app: 'other' }) + deployment('ingress', 1, [{ containerPort: 80, hostPort: 8080 }]);
    expect(placement(text, 'ingress')).toEqual(['b']);
    const both = text + pod('w', 'b', { app: 'proxy2' }, [{ containerPort: 80, hostPort: 8080 }]);
    expect(issuesOf(both).map((i) => i.reason)).toEqual(['no node can run this pod: on every node one of its hostPorts (8080/TCP) is already taken']);
  });
  it('a node whose podCIDR is full does not fit; when none fits, the pod is refused with the reason', () => {
    // /30 blocks: network, the cni0 gateway .1, one pod (.2), broadcast.
    const text = cluster('flannel-vxlan', { nodeCIDRMaskSize: 30 }) + node('a') + node('b') + pod('x', 'a', { app: 'other' }) + deployment('web', 1);
    expect(placement(text, 'web')).toEqual(['b']);
    expect(issuesOf(text.replace('replicas: 1', 'replicas: 2')).map((i) => [i.field, i.reason])).toEqual([['spec.nodeName', "no node has a free pod address left: every node's podCIDR is full"]]);
  });
});

describe('Scheduler (its heap and its scan give the same rule)', () => {
  const bare = (app: string): PodSpec => ({ namespace: 'default', name: app, labels: { app }, ports: [] });
  it('among nodes without the workload, the least loaded, then the first; once every node has it, the fewest replicas', () => {
    const s = new Scheduler(['n1', 'n2', 'n3', 'n4']);
    const web = bare('web');
    // n1 busy, n2 with one pod, n3 and n4 idle.
    s.bind(bare('x'), 'n1');
    s.bind(bare('y'), 'n1');
    s.bind(bare('z'), 'n2');
    const picks: string[] = [];
    for (let i = 0; i < 6; i++) {
      const n = s.pick(web, () => true)!;
      picks.push(n);
      s.bind(web, n);
    }
    // n3, n4 (idle, in order), n2 (one pod), n1 (the only one left without web);
    // then every node has one web: the fewest pods overall (n3, n4 have 1, n2 2, n1 3).
    expect(picks).toEqual(['n3', 'n4', 'n2', 'n1', 'n3', 'n4']);
  });
  it('skips what does not fit, and says undefined when nothing does', () => {
    const s = new Scheduler(['n1', 'n2']);
    expect(s.pick(bare('web'), (n) => n !== 'n1')).toBe('n2');
    expect(s.pick(bare('web'), () => false)).toBeUndefined();
  });
});

describe('the scheduler at scale', () => {
  it('once a workload is on every node, picks what a scan of every node picks (fewest of it, then fewest pods, then file order), fitting or not', () => {
    const names = Array.from({ length: 37 }, (_, i) => `n-${i}`);
    const s = new Scheduler(names);
    const mine = new Map<string, number>();
    const load = new Map<string, number>();
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const bind = (p: PodSpec, n: string, own: boolean) => {
      s.bind(p, n);
      load.set(n, (load.get(n) ?? 0) + 1);
      if (own) mine.set(n, (mine.get(n) ?? 0) + 1);
    };
    // Other pods land anywhere; the workload's 2,000 replicas are placed by the rule.
    for (let k = 0; k < 2000; k++) {
      if (rand() < 0.3) bind({ namespace: 'default', name: `other-${k}`, labels: { app: `o${k % 5}` }, ports: [] }, names[Math.floor(rand() * names.length)], false);
      const p: PodSpec = { namespace: 'default', name: `web-${k}`, labels: {}, ports: [], ownerKind: 'Deployment', ownerName: 'web' };
      const full = new Set(names.filter(() => rand() < 0.2));
      const fits = (n: string) => !full.has(n);
      let want: string | undefined;
      for (const n of names) {
        if (!fits(n)) continue;
        const better = want === undefined || (mine.get(n) ?? 0) < (mine.get(want) ?? 0) || ((mine.get(n) ?? 0) === (mine.get(want) ?? 0) && (load.get(n) ?? 0) < (load.get(want) ?? 0));
        if (better) want = n;
      }
      const got = s.pick(p, fits);
      expect(got, `replica ${k}`).toBe(want);
      if (got) bind(p, got, true);
    }
  });

  it('145,000 replicas on 5,000 nodes are placed in seconds, spread evenly', () => {
    const names = Array.from({ length: 5000 }, (_, i) => `n-${i}`);
    const s = new Scheduler(names);
    const per = new Map<string, number>();
    const t0 = performance.now();
    for (let k = 0; k < 145_000; k++) {
      const p: PodSpec = { namespace: 'default', name: `web-${k}`, labels: {}, ports: [], ownerKind: 'Deployment', ownerName: 'web' };
      const n = s.pick(p, () => true)!;
      s.bind(p, n);
      per.set(n, (per.get(n) ?? 0) + 1);
    }
    expect([...per.values()].every((c) => c === 29)).toBe(true);
    expect(performance.now() - t0).toBeLessThan(30_000);
  }, 60_000);
});
