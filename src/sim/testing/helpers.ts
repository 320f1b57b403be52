// Test helpers: load a scenario from text or from public/scenarios, and trace in one call.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compile, loadScenario, parseDestination, parseSource, trace, type Scenario, type Trace } from '../index.ts';

export function scenarioFile(name: string): string {
  return readFileSync(fileURLToPath(new URL(`../../../public/scenarios/${name}`, import.meta.url)), 'utf8');
}

export function load(text: string): Scenario {
  const r = loadScenario(text, 'test.yaml');
  if (!r.ok) throw new Error(`expected the scenario to load, got: ${JSON.stringify(r.issues)}`);
  return r.value;
}

export function issuesOf(text: string) {
  const r = loadScenario(text, 'test.yaml');
  if (r.ok) throw new Error('expected the scenario to be rejected');
  return r.issues;
}

export function traceOf(s: Scenario, from: string, to: string, proto: 'tcp' | 'udp' = 'tcp', endpointIndex?: number): Trace {
  const f = parseSource(from);
  const t = parseDestination(to);
  if (!f.ok || !t.ok) throw new Error(`bad trace request ${from} → ${to}`);
  const r = trace(compile(s), { from: f.value, to: t.value, proto }, { endpointIndex });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}

export const podIP = (s: Scenario, name: string) => s.pods.find((p) => p.name === name)!.podIP!;

/** A small cluster document for tests. */
export function cluster(cni: string, extra: Record<string, unknown> = {}): string {
  const spec = { podCIDR: '10.244.0.0/16', nodeCIDRMaskSize: 24, serviceCIDR: '10.96.0.0/12', nodeNetwork: '192.168.56.0/24', cni, kubeProxy: 'iptables', ...extra };
  return `apiVersion: podpath.dev/v1alpha1\nkind: Cluster\nmetadata: {name: t}\nspec: ${JSON.stringify(spec)}\n`;
}

export const node = (name: string, extra = '') => `---\napiVersion: v1\nkind: Node\nmetadata: {name: ${name}}\n${extra}`;

export function pod(name: string, nodeName: string | undefined, labels: Record<string, string>, ports: object[] = []): string {
  const spec: Record<string, unknown> = { containers: [{ name: 'c', image: 'x', ports }] };
  if (nodeName) spec.nodeName = nodeName;
  return `---\napiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, labels: ${JSON.stringify(labels)}}\nspec: ${JSON.stringify(spec)}\n`;
}

export function service(name: string, selector: Record<string, string>, ports: object[], type = 'ClusterIP', extra: Record<string, unknown> = {}): string {
  return `---\napiVersion: v1\nkind: Service\nmetadata: {name: ${name}}\nspec: ${JSON.stringify({ type, selector, ports, ...extra })}\n`;
}

/** A live cluster's Cluster document (k3s's ranges) and its node n1, for dump tests to add Nodes and Pods with status after (each ends in a line break, so `---` follows). */
/** A Running client pod on LIVE_CLUSTER's node n1 (10.42.0.2), to trace from: append after LIVE_CLUSTER. */
export const LIVE_CLIENT = `---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec: {nodeName: n1, containers: [{name: c, image: x}]}
status: {phase: Running, podIP: 10.42.0.2}
`;

export const LIVE_CLUSTER = `apiVersion: podpath.dev/v1alpha1
kind: Cluster
metadata: {name: c}
spec: {podCIDR: 10.42.0.0/16, serviceCIDR: 10.43.0.0/16, nodeNetwork: 192.168.1.0/24, cni: flannel-vxlan}
---
apiVersion: v1
kind: Node
metadata: {name: n1}
spec: {podCIDR: 10.42.0.0/24}
status: {addresses: [{type: InternalIP, address: 192.168.1.10}]}
`;
