// What the canvas says of NetworkPolicy: the tag on each isolated pod, and the banner
// on the pod a policy protects once the walk reaches the hop that drops the packet
// (or, under a CNI enforcing none, the hop where an enforcing one would have).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile, trace, type Scenario } from '../../sim/index.ts';
import { load } from '../../sim/testing/helpers.ts';
import { isolationOf, policyDropOf } from './policyMarks.ts';

const FILE = readFileSync(new URL('../../../public/scenarios/network-policy.yaml', import.meta.url), 'utf8');
const withCni = (cni: string) => load(FILE.replace(/cni: calico\b/, `cni: ${cni}`));
const traced = (s: Scenario, from: string, to: string) => {
  const [fns, fname] = from.split('/');
  const [tns, tname] = to.split('/');
  const r = trace(compile(s), { from: { kind: 'pod', namespace: fns, name: fname }, to: { kind: 'pod', namespace: tns, name: tname, port: 80 }, proto: 'tcp' });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
};

describe('NetworkPolicy on the canvas', () => {
  it('tags each pod a policy isolates, per direction, and no other', () => {
    const s = withCni('calico');
    const iso = isolationOf(s);
    expect(iso.get('x/b')).toEqual({ ingress: ['default-deny-ingress'], egress: [] });
    // Every isolated pod is one some policy selects, and each pod some policy selects is tagged.
    for (const p of s.pods) {
      const selected = (s.networkPolicies ?? []).some((np) => np.namespace === p.namespace);
      if (!selected) expect(iso.has(`${p.namespace}/${p.name}`)).toBe(false);
    }
    expect(isolationOf({ ...s, networkPolicies: [] }).size).toBe(0);
  });

  it('puts the banner on the protected pod at the drop hop under Calico and Cilium, at the would-have hop under flannel', () => {
    for (const cni of ['calico', 'cilium']) {
      const t = traced(withCni(cni), 'z/b', 'x/b');
      expect(t.code).toBe('network-policy-denied');
      expect(policyDropOf(t)).toEqual({ pod: 'x/b', direction: 'Ingress', policies: ['x/default-deny-ingress'], enforced: true, hop: t.hops.length - 1 });
    }
    const t = traced(withCni('flannel-vxlan'), 'z/b', 'x/b');
    expect(t.verdict).toBe('delivered');
    const mark = policyDropOf(t)!;
    expect(mark).toMatchObject({ pod: 'x/b', direction: 'Ingress', enforced: false });
    expect(t.hops[mark.hop].wouldHaveDropped).toBeDefined();
    // The same object for the same trace (a store selector must not make a new one each time).
    expect(policyDropOf(t)).toBe(mark);
  });

  it('puts none where the policies allow the packet', () => {
    const s = withCni('calico');
    const allowed = s.pods.flatMap((a) => s.pods.filter((b) => b !== a).map((b) => traced(s, `${a.namespace}/${a.name}`, `${b.namespace}/${b.name}`))).filter((t) => t.verdict === 'delivered');
    expect(allowed.length).toBeGreaterThan(0);
    for (const t of allowed) expect(policyDropOf(t)).toBeNull();
  });
});
