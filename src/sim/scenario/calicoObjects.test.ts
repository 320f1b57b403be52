// A dump of a Calico cluster that holds Calico's own objects (IPPool, BlockAffinity) is
// modelled as Calico: the pool's settings, each node's blocks, traces through them.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile, loadScenario, parseScenario, trace } from '../index.ts';

const DUMP = readFileSync(new URL('./testdata-calico-dump.yaml', import.meta.url), 'utf8');

describe("Calico's own objects in a dump", () => {
  it('IPPool and BlockAffinity make the cluster calico with that pool, and give each node its blocks', () => {
    const r = loadScenario(DUMP, 'dump.yaml');
    if (!r.ok) throw new Error(r.issues.map((i) => i.reason).join('; '));
    const s = r.value;
    expect(s.cluster.cni).toBe('calico');
    expect(s.cluster.podCIDR).toBe('192.168.0.0/16');
    expect(s.cluster.calico).toEqual({ ipipMode: 'Never', vxlanMode: 'CrossSubnet', blockSize: 26, natOutgoing: true });
    expect(s.nodes.map((n) => [n.name, n.calicoBlocks])).toEqual([['w1', ['192.168.12.0/26']], ['w2', ['192.168.77.64/26']]]);
    const said = (r.warnings ?? []).join('\n');
    expect(said).toContain('cni calico: IPPool default-ipv4-ippool (cidr 192.168.0.0/16, ipipMode Never, vxlanMode CrossSubnet, blockSize 26, natOutgoing true)');
    // Read, so not among the kinds skipped; and no word about flanneld's rules standing in for Calico's.
    expect(said).not.toMatch(/skipped kinds[^\n]*(IPPool|BlockAffinity)/);
    expect(said).not.toContain("the model's masquerade rules are flanneld's");
    const t = trace(compile(s), { from: { kind: 'pod', namespace: 'default', name: 'client' }, to: { kind: 'pod', namespace: 'default', name: 'web', port: 80 }, proto: 'tcp' });
    if (!t.ok) throw new Error('trace');
    expect(t.value.verdict).toBe('delivered');
    expect(t.value.hops.some((h) => h.matched === '192.168.77.64/26 via 10.0.0.12 dev eth0 proto 80')).toBe(true);
  });

  it("a pool with natOutgoing: false is read as it is: felix's cali-nat-outgoing stays empty", () => {
    const r = loadScenario(DUMP.replace('natOutgoing: true', 'natOutgoing: false'), 'dump.yaml');
    if (!r.ok) throw new Error(r.issues.map((i) => i.reason).join('; '));
    expect(r.value.cluster.calico?.natOutgoing).toBe(false);
    expect((r.warnings ?? []).join('\n')).toContain('natOutgoing false');
  });

  it('without BlockAffinity objects the dump does not say which node holds which block: calico is not inferred', () => {
    const r = parseScenario(DUMP.replace(/- apiVersion: crd\.projectcalico\.org\/v1\n  kind: BlockAffinity[\s\S]*?deleted: "false"}\n/g, ''), 'dump.yaml');
    if (!r.ok) throw new Error(r.issues.map((i) => i.reason).join('; '));
    expect(r.value.cluster.cni).not.toBe('calico');
  });
});
