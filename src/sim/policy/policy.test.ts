// NetworkPolicy read as the API server reads it, and decided as Kubernetes says
// (types.go's comments): isolation per direction, additive rules, peers, ports.
import { describe, expect, it } from 'vitest';
import { loadScenario, parseScenario, writeScenario, type Scenario } from '../index.ts';
import { decide, verdictSaid } from './evaluate.ts';
import { matrixText, policyMatrix } from './matrix.ts';
import { cluster, node } from '../testing/helpers.ts';

const CLUSTER = cluster('calico') + node('node-1') + node('node-2') + '\n';
const ns = (name: string, labels: Record<string, string>) => `---\napiVersion: v1\nkind: Namespace\nmetadata: {name: ${name}, labels: ${JSON.stringify(labels)}}\n`;
const pod = (n: string, name: string, labels: Record<string, string>, node = 'node-1') =>
  `---\napiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: ${n}, labels: ${JSON.stringify(labels)}}\nspec:\n  nodeName: ${node}\n  containers:\n  - name: c\n    image: agnhost\n    ports: [{containerPort: 80, name: serve-80-tcp}, {containerPort: 81, name: serve-81-tcp}, {containerPort: 80, protocol: UDP, name: serve-80-udp}]\n`;
const np = (n: string, name: string, spec: string) => `---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: ${name}, namespace: ${n}}\nspec:\n${spec.replace(/^/gm, '  ')}\n`;

const BASE = CLUSTER + ns('x', { ns: 'x' }) + ns('y', { ns: 'y', team: 'blue' }) + pod('x', 'a', { pod: 'a' }) + pod('x', 'b', { pod: 'b' }, 'node-2') + pod('y', 'a', { pod: 'a' }) + pod('y', 'b', { pod: 'b' }, 'node-2');

function load(text: string): Scenario {
  const r = loadScenario(text, 't');
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}
const podOf = (s: Scenario, key: string) => s.pods.find((p) => `${p.namespace}/${p.name}` === key)!;
/** Would a new connection from `from` to `to`'s pod IP on port/protocol be allowed? */
function allowed(s: Scenario, from: string, to: string, port = 80, protocol: 'TCP' | 'UDP' = 'TCP') {
  const a = podOf(s, from);
  const b = podOf(s, to);
  return decide(s, { src: { pod: a, ip: a.podIP! }, dst: { pod: b, ip: b.podIP! }, protocol, port }).allowed;
}

describe('reading a NetworkPolicy', () => {
  it('defaults policyTypes as the API server does: Ingress, and Egress only when egress rules are given', () => {
    const s = load(BASE + np('x', 'i', 'podSelector: {}') + np('x', 'e', 'podSelector: {}\negress: [{}]') + np('x', 'empty-egress', 'podSelector: {}\negress: []'));
    const types = Object.fromEntries(s.networkPolicies!.map((p) => [p.name, p.policyTypes]));
    expect(types).toEqual({ i: ['Ingress'], e: ['Ingress', 'Egress'], 'empty-egress': ['Ingress'] });
  });

  it('refuses what the API server refuses, naming the field', () => {
    const bad = (spec: string) => {
      const r = parseScenario(BASE + np('x', 'bad', spec), 't');
      expect(r.ok).toBe(false);
      return r.ok ? [] : r.issues.map((i) => `${i.field}: ${i.reason}`);
    };
    expect(bad('podSelector: {}\ningress: [{from: [{}]}]')).toEqual([expect.stringMatching(/^spec\.ingress\[0\]\.from\[0\]: must specify a peer/)]);
    expect(bad('podSelector: {}\ningress: [{from: [{ipBlock: {cidr: 10.0.0.0/8}, podSelector: {}}]}]')).toEqual([expect.stringMatching(/may not specify both ipBlock and another peer/)]);
    expect(bad('podSelector: {}\ningress: [{from: [{ipBlock: {cidr: 10.0.0.0/16, except: [10.1.0.0/24]}}]}]')).toEqual([expect.stringMatching(/^spec\.ingress\[0\]\.from\[0\]\.ipBlock\.except\[0\]: must be a strict subset/)]);
    expect(bad('podSelector: {}\ningress: [{ports: [{port: serve-80-tcp, endPort: 90}]}]')).toEqual([expect.stringMatching(/endPort: may not be specified when port is a named port/)]);
    expect(bad('podSelector: {}\ningress: [{ports: [{port: 90, endPort: 80}]}]')).toEqual([expect.stringMatching(/must be greater than or equal to port 90/)]);
    expect(bad('podSelector: {}\ningress: [{ports: [{protocol: tcp, port: 80}]}]')).toEqual([expect.stringMatching(/protocol: must be TCP, UDP or SCTP/)]);
    expect(bad('podSelector: {}\npolicyTypes: [Ingres]')).toEqual([expect.stringMatching(/policyTypes\[0\]: must be Ingress or Egress/)]);
    expect(bad('podSelector: {matchExpressions: [{key: pod, operator: In}]}')).toEqual([expect.stringMatching(/values: must be non-empty when operator is In/)]);
  });

  it('refuses a selector label that is not a string or not a valid label, as the API server does, instead of changing it', () => {
    const bad = (spec: string) => {
      const r = parseScenario(BASE + np('x', 'bad', spec), 't');
      expect(r.ok).toBe(false);
      return r.ok ? [] : r.issues.map((i) => `${i.field}: ${i.reason}`);
    };
    // 1.0 would have become "1" and matched pods labelled "1".
    expect(bad('podSelector: {matchLabels: {version: 1.0}}')).toEqual(['spec.podSelector.matchLabels.version: must be a string, got 1 (quote it)']);
    expect(bad('podSelector: {matchLabels: {ok: true}}')).toEqual(['spec.podSelector.matchLabels.ok: must be a string, got true (quote it)']);
    expect(bad('podSelector: {matchLabels: {"-app": web}}')).toEqual(['spec.podSelector.matchLabels: "-app" is not a valid label key']);
    expect(bad('podSelector: {}\ningress: [{from: [{podSelector: {matchLabels: {app: "a b"}}}]}]')).toEqual(['spec.ingress[0].from[0].podSelector.matchLabels.app: "a b" is not a valid label value']);
    expect(bad('podSelector: {matchExpressions: [{key: "a/b/c", operator: Exists}]}')).toEqual(['spec.podSelector.matchExpressions[0].key: "a/b/c" is not a valid label key']);
    expect(bad('podSelector: {matchExpressions: [{key: tier, operator: In, values: [web, 2]}]}')).toEqual(['spec.podSelector.matchExpressions[0].values[1]: must be a string, got 2 (quote it)']);
  });

  it('refuses a pod label that is not a string (Kubernetes refuses it; String() would change 1.0 to "1")', () => {
    const r = parseScenario(CLUSTER + `---\napiVersion: v1\nkind: Pod\nmetadata: {name: a, labels: {version: 1.0}}\nspec: {nodeName: node-1, containers: [{name: c, image: x}]}\n`, 't');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.map((i) => `${i.field}: ${i.reason}`)).toEqual(['metadata.labels.version: must be a string, got 1: Kubernetes refuses a label value that is not a string (quote it in the file)']);
  });

  it('warns about a field the API does not know instead of refusing it (as for every kind)', () => {
    const r = parseScenario(BASE + np('x', 'typo', 'podSelector: {}\ningres: [{}]'), 't');
    expect(r.ok).toBe(true);
    expect(r.warnings.find((w) => w.code === 'unknown-fields')?.message).toMatch(/NetworkPolicy\/x\/typo: spec\.ingres \(did you mean ingress\?\)/);
  });

  it('writes policies and namespace labels back so that they read the same (the one restore path)', () => {
    const text = BASE + np('x', 'p', 'podSelector: {matchLabels: {pod: a}}\npolicyTypes: [Ingress, Egress]\ningress:\n- from:\n  - namespaceSelector: {matchExpressions: [{key: team, operator: Exists}]}\n    podSelector: {matchLabels: {pod: b}}\n  - ipBlock: {cidr: 10.244.0.0/16, except: [10.244.1.0/24]}\n  ports: [{port: 80, endPort: 81}, {protocol: UDP}]\negress: [{to: [{podSelector: {}}], ports: [{port: serve-81-tcp}]}]');
    const s = load(text);
    const again = load(writeScenario(s));
    expect(again.networkPolicies).toEqual(s.networkPolicies);
    expect(again.namespaceLabels).toEqual({ x: { ns: 'x' }, y: { ns: 'y', team: 'blue' } });
  });
});

describe('deciding as Kubernetes does', () => {
  it('a pod no policy selects is not isolated; one selected for ingress takes only what a rule allows', () => {
    const s = load(BASE + np('x', 'deny', 'podSelector: {matchLabels: {pod: a}}'));
    expect(allowed(s, 'y/a', 'x/a')).toBe(false);
    expect(allowed(s, 'y/a', 'x/b')).toBe(true);
    // Ingress-only: x/a still sends.
    expect(allowed(s, 'x/a', 'y/b')).toBe(true);
  });

  it('rules are additive across policies, and a port must match as well as a peer', () => {
    const s = load(BASE + np('x', 'deny', 'podSelector: {}') + np('x', 'from-y', 'podSelector: {}\ningress: [{from: [{namespaceSelector: {matchLabels: {ns: y}}}], ports: [{port: 81}]}]'));
    expect(allowed(s, 'y/a', 'x/a', 81)).toBe(true);
    expect(allowed(s, 'y/a', 'x/a', 80)).toBe(false);
    expect(allowed(s, 'x/b', 'x/a', 81)).toBe(false);
  });

  it('namespaceSelector with podSelector in one peer is an AND; as two peers, an OR', () => {
    const and = load(BASE + np('x', 'p', 'podSelector: {}\ningress: [{from: [{namespaceSelector: {matchLabels: {ns: y}}, podSelector: {matchLabels: {pod: b}}}]}]'));
    expect([allowed(and, 'y/b', 'x/a'), allowed(and, 'y/a', 'x/a'), allowed(and, 'x/b', 'x/a')]).toEqual([true, false, false]);
    const or = load(BASE + np('x', 'p', 'podSelector: {}\ningress: [{from: [{namespaceSelector: {matchLabels: {ns: y}}}, {podSelector: {matchLabels: {pod: b}}}]}]'));
    expect([allowed(or, 'y/b', 'x/a'), allowed(or, 'y/a', 'x/a'), allowed(or, 'x/b', 'x/a')]).toEqual([true, true, true]);
  });

  it('kubernetes.io/metadata.name selects a namespace by name without any label written', () => {
    const s = load(BASE + np('x', 'p', 'podSelector: {}\ningress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}}]}]'));
    expect([allowed(s, 'y/a', 'x/a'), allowed(s, 'x/b', 'x/a')]).toEqual([true, false]);
  });

  it('an ipBlock takes addresses, less its except', () => {
    const s0 = load(BASE);
    const yb = podOf(s0, 'y/b').podIP!;
    const s = load(BASE + np('x', 'p', `podSelector: {}\ningress: [{from: [{ipBlock: {cidr: 10.244.0.0/16, except: [${yb}/32]}}]}]`));
    expect([allowed(s, 'y/a', 'x/a'), allowed(s, 'y/b', 'x/a')]).toEqual([true, false]);
  });

  it('a named port is the destination pod’s container port of that name and protocol; endPort makes a range', () => {
    const named = load(BASE + np('x', 'p', 'podSelector: {}\ningress: [{ports: [{port: serve-81-tcp}]}]'));
    expect([allowed(named, 'y/a', 'x/a', 81), allowed(named, 'y/a', 'x/a', 80)]).toEqual([true, false]);
    const udp = load(BASE + np('x', 'p', 'podSelector: {}\ningress: [{ports: [{port: serve-80-udp, protocol: UDP}]}]'));
    expect([allowed(udp, 'y/a', 'x/a', 80, 'UDP'), allowed(udp, 'y/a', 'x/a', 80, 'TCP')]).toEqual([true, false]);
    const range = load(BASE + np('x', 'p', 'podSelector: {}\ningress: [{ports: [{port: 81, endPort: 90}]}]'));
    expect([allowed(range, 'y/a', 'x/a', 81), allowed(range, 'y/a', 'x/a', 80)]).toEqual([true, false]);
  });

  it('egress is decided at the source and ingress at the destination: both must allow', () => {
    const s = load(BASE + np('y', 'out', 'podSelector: {matchLabels: {pod: a}}\npolicyTypes: [Egress]\negress: [{to: [{namespaceSelector: {matchLabels: {ns: x}}}]}]') + np('x', 'in', 'podSelector: {matchLabels: {pod: b}}'));
    expect(allowed(s, 'y/a', 'x/a')).toBe(true);
    expect(allowed(s, 'y/a', 'y/b')).toBe(false);
    const d = decide(s, { src: { pod: podOf(s, 'y/a'), ip: podOf(s, 'y/a').podIP! }, dst: { pod: podOf(s, 'x/b'), ip: podOf(s, 'x/b').podIP! }, protocol: 'TCP', port: 80 });
    expect(d.egress?.allowedBy?.policy.name).toBe('out');
    expect(d.deniedBy?.direction).toBe('Ingress');
    expect(verdictSaid(d.deniedBy!)).toBe('x/b is isolated for ingress by NetworkPolicy in, and no ingress rule of it allows this packet: denied');
  });

  it('prints the matrix in the upstream e2e format', () => {
    const s = load(BASE + np('x', 'deny', 'podSelector: {}'));
    expect(matrixText(policyMatrix(s, { port: 80, protocol: 'TCP' }))).toBe(
      ['-\tx/a\tx/b\ty/a\ty/b', 'x/a\t.\tX\t.\t.', 'x/b\tX\t.\t.\t.', 'y/a\tX\tX\t.\t.', 'y/b\tX\tX\t.\t.', ''].join('\n'),
    );
  });
});

describe('editing the policies (the playground)', () => {
  it('adds a default-deny-ingress policy to a namespace, and a second one under another name', async () => {
    const { addDenyIngress } = await import('../edit.ts');
    const s = load(BASE);
    const once = addDenyIngress(s, 'x');
    if (!once.ok) throw new Error('refused');
    expect(once.value.networkPolicies?.map((p) => [p.name, p.policyTypes, p.ingress.length])).toEqual([['default-deny-ingress', ['Ingress'], 0]]);
    expect(allowed(once.value, 'y/a', 'x/a')).toBe(false);
    const twice = addDenyIngress(once.value, 'x');
    expect(twice.ok && twice.value.networkPolicies?.map((p) => p.name)).toEqual(['default-deny-ingress', 'default-deny-ingress-1']);
  });

  it('replaces every policy with a YAML text read by the same parser: a refusal names the field and line, other kinds are refused', async () => {
    const { setNetworkPolicies } = await import('../edit.ts');
    const s = load(BASE + np('x', 'old', 'podSelector: {}'));
    const text = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: web, namespace: y}\nspec:\n  podSelector: {matchLabels: {pod: a}}\n  ingress: [{from: [{podSelector: {}}]}]\n';
    const r = setNetworkPolicies(s, text);
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.value.networkPolicies?.map((p) => `${p.namespace}/${p.name}`)).toEqual(['y/web']);
    const bad = setNetworkPolicies(s, text.replace('podSelector: {}', 'podSelector: {}, ipBlock: {cidr: 10.0.0.0/8}'));
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.issues[0]).toMatchObject({ field: 'spec.ingress[0].from[0]', line: 6 });
    const other = setNetworkPolicies(s, text + '---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\n');
    expect(!other.ok && other.issues[0].reason).toMatch(/only NetworkPolicy documents belong here; this text also holds Pod/);
    const none = setNetworkPolicies(s, '');
    expect(none.ok && none.value.networkPolicies).toBeUndefined();
  });
});
