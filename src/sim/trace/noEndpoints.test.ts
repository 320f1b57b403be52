// kube-proxy's REJECT comment says "has no endpoints"; the hop says why there is no
// ready one: a selector that matches nothing, pods that are not Ready, a named
// targetPort no selected pod has (a typo), a selector-less Service without addresses.
import { describe, expect, it } from 'vitest';
import { compile, loadScenario, trace } from '../index.ts';
import { LIVE_CLIENT, LIVE_CLUSTER } from '../testing/helpers.ts';

const FILE = `${LIVE_CLUSTER}${LIVE_CLIENT}---
apiVersion: v1
kind: Pod
metadata: {name: web-1, labels: {app: web}}
spec: {nodeName: n1, containers: [{name: c, image: x, ports: [{name: http, containerPort: 8080}]}]}
status: {phase: Running, podIP: 10.42.0.3, conditions: [{type: Ready, status: 'False'}]}
---
apiVersion: v1
kind: Pod
metadata: {name: api-1, labels: {app: api}}
spec: {nodeName: n1, containers: [{name: c, image: x, ports: [{name: http, containerPort: 8080}]}]}
status: {phase: Running, podIP: 10.42.0.4}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {clusterIP: 10.43.0.10, selector: {app: web}, ports: [{port: 80, targetPort: http}]}
---
apiVersion: v1
kind: Service
metadata: {name: api}
spec: {clusterIP: 10.43.0.11, selector: {app: api}, ports: [{port: 80, targetPort: htp}]}
---
apiVersion: v1
kind: Service
metadata: {name: db}
spec: {clusterIP: 10.43.0.12, ports: [{port: 5432}]}
---
apiVersion: v1
kind: Endpoints
metadata: {name: db}
subsets: [{notReadyAddresses: [{ip: 192.168.1.50}], ports: [{port: 5432}]}]
`;

const why = (name: string) => {
  const r = loadScenario(FILE, 'f.yaml');
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  const t = trace(compile(r.value), { from: { kind: 'pod', namespace: 'default', name: 'client' }, to: { kind: 'service', namespace: 'default', name, port: name === 'db' ? 5432 : 80 }, proto: 'tcp' });
  if (!t.ok) throw new Error(JSON.stringify(t.issues));
  expect([t.value.verdict, t.value.code]).toEqual(['refused', 'reject-no-endpoints']);
  return t.value.reason;
};

describe('why a Service port has no ready endpoint', () => {
  it('its one pod is not Ready: the hop names it, and does not say the Service has no endpoints', () => {
    const reason = why('web');
    expect(reason).toContain('Service default/web has no ready endpoint for port 80');
    expect(reason).toContain('the pod its selector app=web matches is not ready (default/web-1 (not Ready))');
    expect(reason).not.toContain('has no endpoints');
  });
  it('a named targetPort no selected pod has: the hop names the name and the names the pods do have', () => {
    expect(why('api')).toContain('its targetPort "htp" names no TCP port of the pod its selector app=api matches (they name "http")');
  });
  it('a Service without a selector whose only given address is not ready', () => {
    expect(why('db')).toContain('it has no selector, and every address the file\'s endpoints give for its port 5432 is not ready (192.168.1.50:5432)');
  });
});

describe("a Service whose pods the scheduler has not placed (the k3s dump's cache)", () => {
  it('names the Pending pod its selector does match, not "matches no pod"', async () => {
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(new URL('../scenario/dumps/k3s-get-all.yaml', import.meta.url), 'utf8');
    const r = loadScenario(text, 'k3s-get-all.yaml');
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    const t = trace(compile(r.value), { from: { kind: 'pod', namespace: 'default', name: 'web-6b8f9c7d54-4jx2p' }, to: { kind: 'service', namespace: 'default', name: 'cache', port: 6379 }, proto: 'tcp' });
    if (!t.ok) throw new Error(JSON.stringify(t.issues));
    expect(t.value.code).toBe('reject-no-endpoints');
    expect(t.value.reason).toContain('the pod its selector app=cache matches is Pending, not yet placed on a node by the scheduler, so it has no address (default/cache-5d4c8b7f9-g7hrt)');
  });
});

describe('a Service without a selector whose endpoints the input does not give', () => {
  it("kube-proxy's rules for it are not written (no REJECT the cluster may not have), as the trace says it cannot tell where it goes", async () => {
    const { show } = await import('../index.ts');
    const text = `${FILE.replace(/---\napiVersion: v1\nkind: Endpoints[\s\S]*$/, '')}---\napiVersion: v1\nkind: Service\nmetadata: {name: kubernetes}\nspec: {clusterIP: 10.43.0.1, ports: [{name: https, port: 443, targetPort: 6443}]}\n`;
    const r = loadScenario(text, 'f.yaml');
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    const shown = show(compile(r.value), 'n1');
    if (!shown.ok) throw new Error(JSON.stringify(shown.issues));
    // No rule names it; the note above the rules says why they leave it out.
    const { note, ...rules } = shown.value;
    expect(Object.values(rules).join('\n')).not.toContain('default/kubernetes');
    expect(note).toMatch(/default\/kubernetes \(10\.43\.0\.1\).* are in none of kube-proxy's rules below/);
    expect(Object.values(rules).join('\n')).toContain('default/web has no endpoints'); // a Service with a selector still gets its REJECT
  });
});
