// Inputs for the fuzz test (src/sim/scenario/fuzz.test.ts) and `npm run fuzz`:
// files a person, a fuzzer or a broken download might hand podpath. Two kinds:
//  - mutations of real scenario files (the bundled ones and the test dumps): a
//    character flipped, a hostile token inserted (aliases, anchors, merge keys,
//    .inf, deep brackets…), a range deleted, a line duplicated, a number made
//    extreme;
//  - generated documents of the kinds podpath reads, with fields of any type, in
//    YAML or JSON.
// What it checks (engineOutcome) is the one rule: reading, allocating, compiling
// and tracing any input ends in a result or in podpath's typed issues, never a
// thrown error, and within a time budget.
import fc from 'fast-check';
import { stringify } from 'yaml';
import { compile, trace, type Scenario } from '../index.ts';
import { restoreFiles } from '../scenario/restore.ts';

/**
 * The seed of npm test's fuzz runs: the same inputs every run, so a red CI is a
 * change's doing, not the dice's (npm run fuzz draws new ones each time, and prints
 * its seed). FUZZ_SEED=n in the environment runs other inputs.
 */
export const FUZZ_SEED = Number(globalThis.process?.env?.FUZZ_SEED ?? 20261204);

/** Pieces that broke a reader once or could: YAML's own syntax, numbers JSON cannot spell, deep nesting, control characters. */
const TOKENS = [
  '*a', '&a ', '<<: *a', '<<: [1]', '*28Mi', '&x [*x]', '.inf', '-.inf', '.nan', '1e400', '-1', '0', '65536', '99999999', '2147483648', '1.5',
  '"80"', 'null', '~', 'true', '[', ']', '{', '}', '[[[[[[[[[[', '}}}}', '---\n', '...\n', '\t', ': ', '- ', '#', '"', "'", '\\', '\u0000', '\r\n',
  '\u202e', 'é', '🚀', 'kind: List\nitems: [', 'kind: PodList\n', 'Items: []\n', '==== START logs for container c of pod a/b ====\n', '{"kind":"PodList","items":[{}]}\n',
];

export interface Mutation {
  op: 'flip' | 'insert' | 'delete' | 'duplicate-line' | 'extreme-number';
  /** Where, as a fraction of the text's length. */
  at: number;
  /** How much: a length fraction, or an index into TOKENS. */
  n: number;
}

const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  op: fc.constantFrom('flip', 'insert', 'delete', 'duplicate-line', 'extreme-number'),
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  n: fc.nat({ max: 1000 }),
});

const EXTREMES = ['0', '-1', '65536', '99999999', '1e400', '.inf', '.nan', '1.5', '4294967296', '"12"'];

export function mutate(text: string, ms: readonly Mutation[]): string {
  let t = text;
  for (const m of ms) {
    const at = Math.floor(m.at * t.length);
    switch (m.op) {
      case 'flip':
        t = t.slice(0, at) + String.fromCharCode((t.charCodeAt(at) || 32) ^ (1 << (m.n % 7))) + t.slice(at + 1);
        break;
      case 'insert':
        t = t.slice(0, at) + TOKENS[m.n % TOKENS.length] + t.slice(at);
        break;
      case 'delete':
        t = t.slice(0, at) + t.slice(at + 1 + (m.n % 40));
        break;
      case 'duplicate-line': {
        const start = t.lastIndexOf('\n', at - 1) + 1;
        const end = t.indexOf('\n', at);
        const line = t.slice(start, end < 0 ? t.length : end + 1);
        t = t.slice(0, start) + line + line + t.slice(start + line.length);
        break;
      }
      case 'extreme-number': {
        // The first number at or after `at` becomes an extreme one.
        const re = /\d+/g;
        re.lastIndex = at;
        const found = re.exec(t) ?? /\d+/.exec(t);
        if (found) t = t.slice(0, found.index) + EXTREMES[m.n % EXTREMES.length] + t.slice(found.index + found[0].length);
        break;
      }
    }
  }
  return t;
}

/** A file made by mutating one of `seeds` a few times. */
export const mutatedFile = (seeds: readonly string[]) =>
  fc.record({ seed: fc.constantFrom(...seeds), mutations: fc.array(mutationArb, { minLength: 1, maxLength: 6 }) }).map(({ seed, mutations }) => mutate(seed, mutations));

const KINDS = ['Pod', 'Service', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Node', 'Namespace', 'EndpointSlice', 'Endpoints', 'List', 'PodList', 'Cluster'];
const smallName = fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/);
/** Any value, a few levels deep: a field of the wrong type, a number out of range, a string where a map goes. */
const anyValue = fc.anything({ maxDepth: 3, maxKeys: 4, withNullPrototype: false });
const portLike = fc.oneof(fc.integer({ min: -5, max: 70000 }), fc.constantFrom(Infinity, NaN, 80, 8080, '80', 'http'), anyValue);

const generatedDoc = fc.record({
  apiVersion: fc.constantFrom('v1', 'apps/v1', 'discovery.k8s.io/v1', 'podpath.dev/v1alpha1'),
  kind: fc.constantFrom(...KINDS),
  metadata: fc.record({ name: fc.oneof(smallName, anyValue), namespace: fc.option(smallName), labels: fc.option(fc.dictionary(smallName, fc.oneof(smallName, anyValue), { maxKeys: 3 })) }, { requiredKeys: ['name'] }),
  spec: fc.record(
    {
      nodeName: fc.constantFrom('node-1', 'node-2', 'nowhere'),
      replicas: fc.oneof(fc.integer({ min: -2, max: 300 }), fc.constantFrom(Infinity, NaN, 1e6), anyValue),
      selector: fc.oneof(fc.dictionary(smallName, smallName, { maxKeys: 2 }), anyValue),
      podCIDR: fc.constantFrom('10.244.0.0/16', '10.244.1.0/24', '300.1.1.1/8', '10.0.0.0/33', ''),
      clusterIP: fc.constantFrom('10.96.0.10', 'None', '1.2.3', ''),
      type: fc.constantFrom('ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName', 'Weird'),
      ports: fc.array(fc.record({ port: portLike, targetPort: portLike, nodePort: portLike, protocol: fc.constantFrom('TCP', 'UDP', 'SCTP', 'tcp') }), { maxLength: 3 }),
      containers: fc.array(fc.record({ name: smallName, ports: fc.array(fc.record({ containerPort: portLike, hostPort: fc.option(portLike), name: fc.option(smallName) }), { maxLength: 2 }) }), { maxLength: 2 }),
      template: fc.record({ metadata: fc.record({ labels: fc.dictionary(smallName, smallName, { maxKeys: 2 }) }), spec: fc.record({ containers: fc.constant([{ name: 'c', ports: [{ containerPort: 80 }] }]) }) }),
      cni: fc.constantFrom('flannel-vxlan', 'bridge-hostgw', 'vpc', 'calico'),
    },
    { requiredKeys: [] },
  ),
  items: fc.option(fc.array(anyValue, { maxLength: 3 })),
});

/** A file of generated documents, written as YAML documents or as one JSON List. */
export const generatedFile = fc
  .record({ docs: fc.array(generatedDoc, { minLength: 0, maxLength: 6 }), asJson: fc.boolean() })
  .map(({ docs, asJson }) => (asJson ? JSON.stringify({ apiVersion: 'v1', kind: 'List', items: docs }) : docs.map((d) => stringify(d)).join('---\n')));

/** Every input, half mutations, half generated. */
export const fuzzFile = (seeds: readonly string[]) => fc.oneof(mutatedFile(seeds), generatedFile);

export type Outcome = { kind: 'read'; pods: number; traced: boolean } | { kind: 'refused'; issues: number };

/**
 * Read, allocate, compile and trace one input the way the CLI and the playground do
 * (restoreFiles is the playground's import and the CLI's reader). Returns what
 * happened; throws only when podpath breaks the rule (an exception, or an issue
 * without a reason).
 */
export function engineOutcome(text: string): Outcome {
  const r = restoreFiles([{ name: 'fuzz.yaml', text }]);
  if (!r.ok) {
    if (!r.issues.length) throw new Error('refused without saying why');
    for (const i of r.issues) if (typeof i.reason !== 'string' || !i.reason) throw new Error(`an issue without a reason: ${JSON.stringify(i)}`);
    return { kind: 'refused', issues: r.issues.length };
  }
  const s: Scenario = r.value;
  const dp = compile(s);
  const [a, b] = s.pods.filter((p) => p.podIP !== undefined);
  let traced = false;
  if (a) {
    const svc = s.services.find((v) => v.ports.length && v.clusterIP && v.clusterIP !== 'None');
    const to = svc ? { kind: 'service' as const, namespace: svc.namespace, name: svc.name, port: svc.ports[0].port } : { kind: 'pod' as const, namespace: (b ?? a).namespace, name: (b ?? a).name, port: 80 };
    const t = trace(dp, { from: { kind: 'pod', namespace: a.namespace, name: a.name }, to, proto: 'tcp' });
    if (!t.ok && !t.issues.length) throw new Error('a trace refused without saying why');
    traced = true;
  }
  return { kind: 'read', pods: s.pods.length, traced };
}
