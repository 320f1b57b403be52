// The NetworkPolicy form: what it writes is a policy the parser reads back the same;
// a policy it can show comes back from the form unchanged; one it cannot is said.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../sim/scenario/parse.ts';
import type { NetworkPolicy } from '../../sim/policy/types.ts';
import { emptyRule, formToPolicy, newPolicyForm, policyToForm, policyYaml, readPortsText, type PolicyForm } from './policyForm.ts';

const read = (yaml: string): NetworkPolicy => {
  const r = parseScenario(yaml, 't', { defaultNodes: false });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value.networkPolicies![0];
};
const policyOf = (f: PolicyForm) => {
  const p = formToPolicy(f);
  if ('problem' in p) throw new Error(p.problem);
  return p.policy;
};

describe('the NetworkPolicy form', () => {
  it('a new policy isolates the selected pods for ingress and allows nothing (deny all), written with its policyTypes', () => {
    const p = policyOf(newPolicyForm('shop', 'new-policy', 'app=web'));
    expect(read(policyYaml(p))).toEqual({ namespace: 'shop', name: 'new-policy', podSelector: { matchLabels: { app: 'web' }, matchExpressions: [] }, policyTypes: ['Ingress'], policyTypesGiven: true, ingress: [], egress: [] });
  });

  it('writes each kind of peer and ports as the API has them, and reads them back into the same form', () => {
    const form: PolicyForm = {
      ...newPolicyForm('x', 'mixed', 'pod=a'),
      egress: true,
      ingressRules: [
        { ...emptyRule(), peer: 'namespace', podLabels: 'pod=b', ports: '80, 81/UDP' },
        { ...emptyRule(), peer: 'namespaces', namespaceLabels: 'ns=y', podLabels: 'pod=c', ports: '8000-8080' },
        { ...emptyRule(), peer: 'namespaces', namespaceLabels: '', ports: 'http' },
        { ...emptyRule(), peer: 'anyone', ports: '' },
      ],
      egressRules: [{ ...emptyRule(), peer: 'cidr', cidr: '10.0.0.0/8', ports: '53/UDP' }],
    };
    const p = read(policyYaml(policyOf(form)));
    expect(p.ingress).toEqual([
      { peers: [{ podSelector: { matchLabels: { pod: 'b' }, matchExpressions: [] } }], ports: [{ protocol: 'TCP', port: 80 }, { protocol: 'UDP', port: 81 }] },
      { peers: [{ namespaceSelector: { matchLabels: { ns: 'y' }, matchExpressions: [] }, podSelector: { matchLabels: { pod: 'c' }, matchExpressions: [] } }], ports: [{ protocol: 'TCP', port: 8000, endPort: 8080 }] },
      { peers: [{ namespaceSelector: { matchLabels: {}, matchExpressions: [] } }], ports: [{ protocol: 'TCP', port: 'http' }] },
      {},
    ]);
    expect(p.egress).toEqual([{ peers: [{ ipBlock: { cidr: '10.0.0.0/8', except: [] } }], ports: [{ protocol: 'UDP', port: 53 }] }]);
    expect(p.policyTypes).toEqual(['Ingress', 'Egress']);
    const back = policyToForm(p);
    expect(back).toEqual({ form });
  });

  it('says what it cannot show instead of dropping it', () => {
    const base = read(policyYaml(policyOf(newPolicyForm('x', 'p'))));
    expect(policyToForm({ ...base, podSelector: { matchLabels: {}, matchExpressions: [{ key: 'a', operator: 'Exists', values: [] }] } })).toEqual({ beyond: 'its podSelector uses matchExpressions' });
    const twoPeers = { ...base, ingress: [{ peers: [{ podSelector: { matchLabels: {}, matchExpressions: [] } }, { ipBlock: { cidr: '10.0.0.0/8', except: [] } }] }] };
    expect(policyToForm(twoPeers)).toEqual({ beyond: 'its ingress rule 1 has 2 peers (the form writes one per rule)' });
    const except = { ...base, ingress: [{ peers: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }] }] };
    expect(policyToForm(except)).toEqual({ beyond: "its ingress rule 1's ipBlock has except" });
  });

  it('refuses what the form cannot write, naming the field', () => {
    expect(formToPolicy({ ...newPolicyForm('x', 'p'), ingress: false })).toEqual({ problem: 'Isolates: choose ingress, egress or both' });
    expect(formToPolicy({ ...newPolicyForm('x', 'p', 'app') })).toEqual({ problem: 'Pods it selects: "app" is not key=value' });
    expect(formToPolicy({ ...newPolicyForm('x', 'p'), ingressRules: [{ ...emptyRule(), peer: 'cidr' }] })).toEqual({ problem: 'Ingress rule 1: a CIDR is needed (such as 10.0.0.0/8)' });
    expect(readPortsText('80/TCP, 80/HTTP')).toEqual({ problem: '"80/HTTP" is not a port (80, 81/UDP, 8000-8080, http)' });
  });
});
