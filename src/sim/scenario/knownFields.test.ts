// A typo Kubernetes would refuse is not ignored in silence: an unknown field is warned
// about with the field it probably meant, a misspelt kind with the kind it probably
// was; a real dump's fields, which Kubernetes wrote, give no warning.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../index.ts';
import { nearest, unknownFields } from './knownFields.ts';

const TYPOS = `apiVersion: v1
kind: Servce
metadata: {name: web}
spec: {selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: v1
kind: service
metadata: {name: db}
spec: {selector: {app: db}, ports: [{port: 5432}]}
---
apiVersion: v1
kind: Service
metadata: {name: api}
spec: {selecter: {app: api}, ports: [{port: 80, targetport: 8080}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  replicas: 2
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: c, image: x, port: [{containerPort: 8080}]}], nodeSelectr: {a: b}}
`;

describe('fields and kinds Kubernetes does not know', () => {
  it('one warning names each document, the unknown field and the known one it is probably a typo of', () => {
    const r = loadScenario(TYPOS, 'typos.yaml');
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    const fields = r.warnings.find((w) => w.startsWith('fields Kubernetes does not know'));
    expect(fields).toContain('Service/default/api: spec.selecter (did you mean selector?), spec.ports[0].targetport (did you mean targetPort?)');
    expect(fields).toContain('Deployment/default/api: spec.template.spec.nodeSelectr (did you mean nodeSelector?), spec.template.spec.containers[0].port (did you mean ports?)');
  });
  it('a trace to the Service a typo left without a selector points at the typo, not at missing endpoints', async () => {
    const { compile, trace } = await import('../index.ts');
    const r = loadScenario(`${TYPOS}---\napiVersion: v1\nkind: Pod\nmetadata: {name: c}\nspec: {containers: [{name: c, image: x}]}\n`, 'typos.yaml');
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    const t = trace(compile(r.value), { from: { kind: 'pod', namespace: 'default', name: 'c' }, to: { kind: 'service', namespace: 'default', name: 'api', port: 80 }, proto: 'tcp' });
    expect(!t.ok && t.issues[0].reason).toContain('its document has spec.selecter, which Kubernetes does not know (did you mean selector?)');
  });
  it('a misspelt kind is skipped with the kind it probably was; a kind in the wrong case says kinds are case-sensitive', () => {
    const r = loadScenario(TYPOS, 'typos.yaml');
    const kinds = r.warnings.find((w) => w.startsWith('skipped kinds'));
    expect(kinds).toContain('Servce (did you mean Service?)');
    expect(kinds).toContain('service (did you mean Service? kinds are case-sensitive)');
    expect(kinds).not.toContain('Servce (did you mean Service? kinds');
  });
  it('an unknown field with no near known one is named without a guess; a near miss needs at most two edits', () => {
    expect(unknownFields('Service', { spec: { ports: [], frobnicate: true } })).toEqual([{ path: 'spec.frobnicate' }]);
    expect(nearest('selecter', ['selector', 'ports'])).toBe('selector');
    expect(nearest('prts', ['ports', 'type'])).toBe('ports');
    expect(nearest('xyz', ['ports', 'type'])).toBeUndefined();
  });
  it("the dumps in the test suite, whose fields Kubernetes wrote, give no warning", () => {
    for (const f of ['kind-cluster-info-dump.txt', 'k3s-get-all.yaml']) {
      const r = loadScenario(readFileSync(new URL(`./dumps/${f}`, import.meta.url), 'utf8'), f);
      expect(r.warnings.filter((w) => w.startsWith('fields Kubernetes does not know'))).toEqual([]);
    }
  });
});
