// Kubernetes' NetworkPolicy e2e cases, transcribed by hand from
// kubernetes/kubernetes test/e2e/network/netpol/network_policy.go (read at commit
// 008b3652959ca58af8be3fb5b6ecfe9ae7638282), with the policy builders of its
// policies.go/netpol helpers (SetSpecIngressRules/SetSpecEgressRules add their
// policyType) and the expectations as the calls each case makes on its Reachability
// (reachability.go). Copyright The Kubernetes Authors; Apache License 2.0
// (http://www.apache.org/licenses/LICENSE-2.0): see ./LICENSE-NOTICE.md.
//
// The case names are upstream's ginkgo `It` strings. Each case names the pods it runs
// (initializeResources' model pods), the protocols and ports its pods serve, and its
// steps: the NetworkPolicies in effect (the whole set, after any create, update or
// delete), any label change, and the probes with their expectations. Run-time values
// are placeholders: `${ip:x/b}` is pod x/b's address, `${cidr4:x/b}` the /4 holding it
// (upstream's makeLargeCIDRForIP).
export type Peer = { ns?: string; pod?: string };
export type Op =
  | ['peer', Peer, Peer, boolean]
  | ['expect', string, string, boolean]
  | ['allIngress', string, boolean]
  | ['allEgress', string, boolean];
export type Protocol = 'TCP' | 'UDP' | 'SCTP';
export interface Probe {
  port: number;
  protocol: Protocol;
  ops: Op[];
}
export type Obj = Record<string, unknown>;
export interface Step {
  policies: Obj[];
  namespaceLabels?: Record<string, Record<string, string>>;
  podLabels?: Record<string, Record<string, string>>;
  probes: Probe[];
}
export interface UpstreamCase {
  name: string;
  /** Which upstream Describe it is in: TCP, UDP ([LinuxOnly]) or SCTP ([Feature:SCTPConnectivity]). */
  group: 'TCP' | 'UDP' | 'SCTP';
  pods: string[];
  protocols: Protocol[];
  ports: number[];
  steps: Step[];
  /** Why podpath cannot run it, when it cannot. */
  skipReason?: string;
}

const MD = 'kubernetes.io/metadata.name';
const labels = (matchLabels: Record<string, string>) => ({ matchLabels });
const expr = (key: string, operator: string, values: string[]) => ({ matchExpressions: [{ key, operator, values }] });
const EMPTY = {};
type Rule = Obj;
/** GenNetworkPolicyWithNameAndPodSelector / …PodMatchLabel with SetSpecIngressRules / SetSpecEgressRules. */
function np(ns: string, name: string, podSelector: Obj, spec: { ingress?: Rule[]; egress?: Rule[]; policyTypes?: string[] }): Obj {
  const policyTypes = spec.policyTypes ?? [...(spec.ingress ? ['Ingress'] : []), ...(spec.egress ? ['Egress'] : [])];
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: ns },
    spec: { podSelector, policyTypes, ...(spec.ingress ? { ingress: spec.ingress } : {}), ...(spec.egress ? { egress: spec.egress } : {}) },
  };
}
const tcp = (port: number | string, protocol?: Protocol) => ({ port, ...(protocol ? { protocol } : {}) });
const podA = labels({ pod: 'a' });
const probe = (port: number, protocol: Protocol, ...ops: Op[]): Probe => ({ port, protocol, ops });
const one = (policies: Obj[], ...probes: Probe[]): Step[] => [{ policies, probes }];

export const CASES: UpstreamCase[] = [
  {
    name: "should support a 'default-deny-ingress' policy",
    group: 'TCP', pods: ['x/a', 'x/b', 'y/a', 'y/b'], protocols: ['TCP'], ports: [80],
    steps: one([np('x', 'deny-ingress', EMPTY, { ingress: [] })], probe(80, 'TCP', ['peer', {}, { ns: 'x' }, false])),
  },
  {
    name: "should support a 'default-deny-all' policy",
    group: 'TCP', pods: ['x/a', 'x/b', 'y/a'], protocols: ['TCP'], ports: [80],
    steps: one([np('x', 'deny-all', EMPTY, { ingress: [], egress: [] })], probe(80, 'TCP', ['peer', {}, { ns: 'x' }, false], ['peer', { ns: 'x' }, {}, false])),
  },
  {
    name: 'should enforce policy to allow traffic from pods within server namespace based on PodSelector',
    group: 'TCP', pods: ['x/a', 'x/b', 'x/c', 'y/a'], protocols: ['TCP'], ports: [80],
    steps: one([np('x', 'x-a-allows-x-b', podA, { ingress: [{ from: [{ podSelector: labels({ pod: 'b' }) }] }] })], probe(80, 'TCP', ['allIngress', 'x/a', false], ['expect', 'x/b', 'x/a', true])),
  },
  {
    name: 'should enforce policy to allow ingress traffic for a target',
    group: 'TCP', pods: ['x/a', 'x/b', 'y/a'], protocols: ['TCP'], ports: [80],
    steps: one(
      [np('x', 'deny-all', EMPTY, { ingress: [] }), np('x', 'allow-all-to-a', podA, { ingress: [{ from: [{ podSelector: EMPTY, namespaceSelector: EMPTY }] }] })],
      probe(80, 'TCP', ['allIngress', 'x/a', true], ['allIngress', 'x/b', false]),
    ),
  },
  {
    name: 'should enforce policy to allow ingress traffic from pods in all namespaces',
    group: 'TCP', pods: ['x/a', 'x/b', 'y/a', 'z/a'], protocols: ['TCP'], ports: [80],
    steps: one([np('x', 'allow-from-another-ns', podA, { ingress: [{ from: [{ namespaceSelector: labels({}) }] }] })], probe(80, 'TCP')),
  },
  {
    name: 'should enforce policy to allow traffic only from a different namespace, based on NamespaceSelector',
    group: 'TCP', pods: ['x/a', 'x/b', 'y/a', 'z/a'], protocols: ['TCP'], ports: [80],
    steps: one(
      [np('x', 'allow-client-a-via-ns-selector', podA, { ingress: [{ from: [{ namespaceSelector: labels({ [MD]: 'y' }) }] }] })],
      probe(80, 'TCP', ['peer', { ns: 'x' }, { ns: 'x', pod: 'a' }, false], ['peer', { ns: 'z' }, { ns: 'x', pod: 'a' }, false]),
    ),
  },
  {
    name: 'should enforce policy based on PodSelector with MatchExpressions',
    group: 'TCP', pods: ['x/a', 'x/b', 'y/a'], protocols: ['TCP'], ports: [80],
    steps: one([np('x', 'x-a-allows-x-b', podA, { ingress: [{ from: [{ podSelector: expr('pod', 'In', ['b']) }] }] })], probe(80, 'TCP', ['allIngress', 'x/a', false], ['expect', 'x/b', 'x/a', true])),
  },
  {
    name: 'should enforce policy based on NamespaceSelector with MatchExpressions',
    group: 'TCP', pods: ['x/a', 'x/b', 'y/a', 'z/a'], protocols: ['TCP'], ports: [80],
    steps: one(
      [np('x', 'allow-ns-y-match-selector', podA, { ingress: [{ from: [{ namespaceSelector: expr(MD, 'In', ['y']) }] }] })],
      probe(80, 'TCP', ['peer', { ns: 'x' }, { ns: 'x', pod: 'a' }, false], ['peer', { ns: 'z' }, { ns: 'x', pod: 'a' }, false]),
    ),
  },
  {
    name: 'should enforce policy based on PodSelector or NamespaceSelector',
    group: 'TCP', pods: ['x/a', 'x/b', 'x/c', 'y/a'], protocols: ['TCP'], ports: [80],
    steps: one(
      [np('x', 'allow-ns-y-match-selector', podA, { ingress: [{ from: [{ namespaceSelector: expr(MD, 'NotIn', ['x']) }, { podSelector: labels({ pod: 'b' }) }] }] })],
      probe(80, 'TCP', ['expect', 'x/a', 'x/a', false], ['expect', 'x/c', 'x/a', false]),
    ),
  },
  {
    name: 'should enforce policy based on PodSelector and NamespaceSelector',
    group: 'TCP', pods: ['x/a', 'x/b', 'y/a', 'y/b', 'z/b'], protocols: ['TCP'], ports: [80],
    steps: one(
      [np('x', 'allow-ns-y-podselector-and-nsselector', podA, { ingress: [{ from: [{ namespaceSelector: expr(MD, 'NotIn', ['x']), podSelector: labels({ pod: 'b' }) }] }] })],
      probe(80, 'TCP', ['allIngress', 'x/a', false], ['expect', 'y/b', 'x/a', true], ['expect', 'z/b', 'x/a', true]),
    ),
  },
  {
    name: 'should enforce policy based on Multiple PodSelectors and NamespaceSelectors',
    group: 'TCP', pods: ['x/a', 'x/b', 'y/a', 'y/b', 'y/c'], protocols: ['TCP'], ports: [80],
    steps: one(
      [np('x', 'allow-ns-y-z-pod-b-c', podA, { ingress: [{ from: [{ namespaceSelector: expr(MD, 'NotIn', ['x']), podSelector: expr('pod', 'In', ['b', 'c']) }] }] })],
      probe(80, 'TCP', ['peer', { ns: 'x' }, { ns: 'x', pod: 'a' }, false], ['expect', 'y/a', 'x/a', false]),
    ),
  },
  {
    name: 'should enforce policy based on any PodSelectors',
    group: 'TCP', pods: ['x/a', 'x/b', 'x/c'], protocols: ['TCP'], ports: [80],
    steps: one(
      [np('x', 'allow-ns-x-pod-b-c', podA, { ingress: [{ from: [{ podSelector: labels({ pod: 'b' }) }, { podSelector: labels({ pod: 'c' }) }] }] })],
      probe(80, 'TCP', ['allIngress', 'x/a', false], ['expect', 'x/b', 'x/a', true], ['expect', 'x/c', 'x/a', true]),
    ),
  },
  {
    name: 'should enforce policy to allow traffic only from a pod in a different namespace based on PodSelector and NamespaceSelector',
    group: 'TCP', pods: ['x/a', 'x/b', 'y/a', 'y/b', 'z/a'], protocols: ['TCP'], ports: [80],
    steps: one(
      [np('x', 'allow-ns-y-pod-a-via-namespace-pod-selector', podA, { ingress: [{ from: [{ namespaceSelector: labels({ [MD]: 'y' }), podSelector: labels({ pod: 'a' }) }] }] })],
      probe(80, 'TCP', ['allIngress', 'x/a', false], ['expect', 'y/a', 'x/a', true]),
    ),
  },
  {
    name: 'should enforce policy based on Ports',
    group: 'TCP', pods: ['x/a', 'x/b', 'y/a', 'y/b', 'z/a'], protocols: ['TCP'], ports: [81],
    steps: one(
      [np('x', 'allow-client-a-via-ns-selector', podA, { ingress: [{ from: [{ namespaceSelector: labels({ [MD]: 'y' }) }], ports: [tcp(81, 'TCP')] }] })],
      probe(81, 'TCP', ['peer', { ns: 'x' }, { ns: 'x', pod: 'a' }, false], ['peer', { ns: 'y' }, { ns: 'x', pod: 'a' }, true], ['peer', { ns: 'z' }, { ns: 'x', pod: 'a' }, false]),
    ),
  },
  (() => {
    const from = [{ namespaceSelector: labels({ [MD]: 'y' }) }];
    const allow81 = np('x', 'allow-client-a-via-ns-selector', podA, { ingress: [{ from, ports: [tcp(81, 'TCP')] }] });
    const allow80 = np('x', 'allow-client-a-via-ns-selector-80', podA, { ingress: [{ from, ports: [tcp(80, 'TCP')] }] });
    const ALLOW: Op[] = [['peer', { ns: 'x' }, { ns: 'x', pod: 'a' }, false], ['peer', { ns: 'y' }, { ns: 'x', pod: 'a' }, true], ['peer', { ns: 'z' }, { ns: 'x', pod: 'a' }, false]];
    return {
      name: 'should enforce multiple, stacked policies with overlapping podSelectors',
      group: 'TCP' as const, pods: ['x/a', 'x/b', 'y/a', 'y/b', 'z/a'], protocols: ['TCP' as const], ports: [80, 81],
      steps: [
        { policies: [allow81], probes: [probe(81, 'TCP', ...ALLOW), probe(80, 'TCP', ['allIngress', 'x/a', false])] },
        { policies: [allow81, allow80], probes: [probe(80, 'TCP', ...ALLOW)] },
      ],
    };
  })(),
  {
    name: 'should support allow-all policy',
    group: 'TCP', pods: ['x/a', 'x/b', 'y/a'], protocols: ['TCP'], ports: [80, 81],
    steps: one([np('x', 'allow-all', labels({}), { ingress: [{}] })], probe(80, 'TCP'), probe(81, 'TCP')),
  },
  {
    name: 'should allow ingress access on one named port',
    group: 'TCP', pods: ['x/a', 'x/b', 'y/a'], protocols: ['TCP'], ports: [80, 81],
    steps: one([np('x', 'allow-all', labels({}), { ingress: [{ ports: [tcp('serve-81-tcp')] }] })], probe(81, 'TCP'), probe(80, 'TCP', ['peer', {}, { ns: 'x' }, false])),
  },
  {
    name: 'should allow ingress access from namespace on one named port',
    group: 'TCP', pods: ['x/a', 'x/b', 'y/a', 'z/a'], protocols: ['TCP'], ports: [80, 81],
    steps: one(
      [np('x', 'allow-client-a-via-ns-selector-80', podA, { ingress: [{ from: [{ namespaceSelector: labels({ [MD]: 'y' }) }], ports: [tcp('serve-80-tcp', 'TCP')] }] })],
      probe(80, 'TCP', ['peer', { ns: 'x' }, { ns: 'x', pod: 'a' }, false], ['peer', { ns: 'z' }, { ns: 'x', pod: 'a' }, false]),
      probe(81, 'TCP', ['allIngress', 'x/a', false]),
    ),
  },
  {
    name: 'should allow egress access on one named port',
    group: 'TCP', pods: ['x/a', 'y/a'], protocols: ['TCP'], ports: [80, 81],
    steps: one([np('x', 'allow-egress', labels({}), { egress: [{ ports: [tcp('serve-80-tcp')] }] })], probe(80, 'TCP'), probe(81, 'TCP', ['peer', { ns: 'x' }, {}, false])),
  },
  {
    name: 'should enforce updated policy',
    group: 'TCP', pods: ['x/a', 'y/a'], protocols: ['TCP'], ports: [81],
    steps: [
      { policies: [np('x', 'allow-all-mutate-to-deny-all', labels({}), { ingress: [{}] })], probes: [probe(81, 'TCP')] },
      // policy.Spec.Ingress = []: its policyTypes (Ingress) stay.
      { policies: [np('x', 'allow-all-mutate-to-deny-all', labels({}), { ingress: [] })], probes: [probe(81, 'TCP', ['peer', {}, { ns: 'x' }, false])] },
    ],
  },
  (() => {
    const policy = np('x', 'allow-client-a-via-ns-selector', podA, { ingress: [{ from: [{ namespaceSelector: labels({ ns2: 'updated' }) }] }] });
    return {
      name: 'should allow ingress access from updated namespace',
      group: 'TCP' as const, pods: ['x/a', 'y/a'], protocols: ['TCP' as const], ports: [80],
      steps: [
        { policies: [policy], probes: [probe(80, 'TCP', ['allIngress', 'x/a', false])] },
        { policies: [policy], namespaceLabels: { y: { ns2: 'updated' } }, probes: [probe(80, 'TCP', ['allIngress', 'x/a', false], ['peer', { ns: 'y' }, {}, true])] },
      ],
    };
  })(),
  (() => {
    const policy = np('x', 'allow-client-a-via-pod-selector', podA, { ingress: [{ from: [{ podSelector: labels({ pod: 'b', pod2: 'updated' }) }] }] });
    return {
      name: 'should allow ingress access from updated pod',
      group: 'TCP' as const, pods: ['x/a', 'x/b'], protocols: ['TCP' as const], ports: [80],
      steps: [
        { policies: [policy], probes: [probe(80, 'TCP', ['allIngress', 'x/a', false])] },
        { policies: [policy], podLabels: { 'x/b': { pod: 'b', pod2: 'updated' } }, probes: [probe(80, 'TCP', ['allIngress', 'x/a', false], ['expect', 'x/b', 'x/a', true])] },
      ],
    };
  })(),
  {
    name: 'should deny ingress from pods on other namespaces',
    group: 'TCP', pods: ['x/a', 'x/b', 'y/a', 'z/a'], protocols: ['TCP'], ports: [80],
    steps: one([np('x', 'deny-empty-policy', EMPTY, { ingress: [{ from: [{ podSelector: labels({}) }] }] })], probe(80, 'TCP', ['peer', { ns: 'y' }, { ns: 'x' }, false], ['peer', { ns: 'z' }, { ns: 'x' }, false])),
  },
  (() => {
    const policy = np('x', 'deny-ingress-via-label-selector', labels({ target: 'isolated' }), { ingress: [] });
    return {
      name: 'should deny ingress access to updated pod',
      group: 'TCP' as const, pods: ['x/a', 'y/a'], protocols: ['TCP' as const], ports: [80],
      steps: [
        { policies: [policy], probes: [probe(80, 'TCP')] },
        // AddPodLabels adds target=isolated to x/a's own labels.
        { policies: [policy], podLabels: { 'x/a': { pod: 'a', target: 'isolated' } }, probes: [probe(80, 'TCP', ['allIngress', 'x/a', false])] },
      ],
    };
  })(),
  {
    name: 'should deny egress from pods based on PodSelector',
    group: 'TCP', pods: ['x/a', 'x/b', 'y/a'], protocols: ['TCP'], ports: [80],
    steps: one([np('x', 'deny-egress-pod-a', podA, { egress: [] })], probe(80, 'TCP', ['allEgress', 'x/a', false])),
  },
  {
    name: 'should deny egress from all pods in a namespace',
    group: 'TCP', pods: ['x/a', 'x/b', 'y/a'], protocols: ['TCP'], ports: [80],
    steps: one([np('x', 'deny-egress-ns-x', EMPTY, { egress: [] })], probe(80, 'TCP', ['peer', { ns: 'x' }, {}, false])),
  },
  {
    name: 'should work with Ingress, Egress specified together',
    group: 'TCP', pods: ['x/a', 'x/b', 'x/c', 'y/a'], protocols: ['TCP'], ports: [80, 81],
    steps: one(
      [np('x', 'allow-client-a-via-pod-selector', podA, { ingress: [{ from: [{ podSelector: labels({ pod: 'b' }) }] }], egress: [{ ports: [{ port: 80 }] }], policyTypes: ['Egress', 'Ingress'] })],
      probe(80, 'TCP', ['allIngress', 'x/a', false], ['expect', 'x/b', 'x/a', true]),
      probe(81, 'TCP', ['allIngress', 'x/a', false], ['allEgress', 'x/a', false], ['expect', 'x/b', 'x/a', true]),
    ),
  },
  (() => {
    const from = [{ namespaceSelector: labels({ [MD]: 'x' }), podSelector: labels({ pod: 'a' }) }];
    return {
      name: 'should support denying of egress traffic on the client side (even if the server explicitly allows this traffic)',
      group: 'TCP' as const, pods: ['x/a', 'y/a', 'y/b'], protocols: ['TCP' as const], ports: [80],
      steps: one(
        [
          np('x', 'allow-to-ns-y-pod-a', podA, { egress: [{ to: [{ namespaceSelector: labels({ [MD]: 'y' }), podSelector: labels({ pod: 'a' }) }] }] }),
          np('y', 'allow-from-xa-on-ya-match-selector', podA, { ingress: [{ from }] }),
          np('y', 'allow-from-xa-on-yb-match-selector', labels({ pod: 'b' }), { ingress: [{ from }] }),
        ],
        probe(80, 'TCP', ['peer', { ns: 'x', pod: 'a' }, {}, false], ['peer', {}, { ns: 'y', pod: 'a' }, false], ['peer', { ns: 'x', pod: 'a' }, { ns: 'y', pod: 'a' }, true], ['peer', {}, { ns: 'y', pod: 'b' }, false]),
      ),
    };
  })(),
  {
    name: 'should enforce egress policy allowing traffic to a server in a different namespace based on PodSelector and NamespaceSelector',
    group: 'TCP', pods: ['x/a', 'y/a', 'y/b'], protocols: ['TCP'], ports: [80],
    steps: one(
      [np('x', 'allow-to-ns-y-pod-a', podA, { egress: [{ to: [{ namespaceSelector: labels({ [MD]: 'y' }), podSelector: labels({ pod: 'a' }) }] }] })],
      probe(80, 'TCP', ['allEgress', 'x/a', false], ['expect', 'x/a', 'y/a', true]),
    ),
  },
  {
    name: 'should enforce ingress policy allowing any port traffic to a server on a specific protocol',
    group: 'TCP', pods: ['x/a', 'y/a'], protocols: ['TCP', 'UDP'], ports: [80],
    steps: one([np('x', 'allow-ingress-by-proto', podA, { ingress: [{ ports: [{ protocol: 'TCP' }] }] })], probe(80, 'TCP'), probe(80, 'UDP', ['peer', {}, { ns: 'x', pod: 'a' }, false])),
  },
  {
    name: 'should enforce multiple ingress policies with ingress allow-all policy taking precedence',
    group: 'TCP', pods: ['x/a', 'y/a'], protocols: ['TCP'], ports: [81],
    steps: [
      { policies: [np('x', 'allow-ingress-port-80', labels({}), { ingress: [{ ports: [{ port: 80 }] }] })], probes: [probe(81, 'TCP', ['peer', {}, { ns: 'x' }, false])] },
      { policies: [np('x', 'allow-ingress-port-80', labels({}), { ingress: [{ ports: [{ port: 80 }] }] }), np('x', 'allow-ingress', labels({}), { ingress: [{}] })], probes: [probe(81, 'TCP')] },
    ],
  },
  {
    name: 'should enforce multiple egress policies with egress allow-all policy taking precedence',
    group: 'TCP', pods: ['x/a', 'y/a'], protocols: ['TCP'], ports: [81],
    steps: [
      { policies: [np('x', 'allow-egress-port-80', labels({}), { egress: [{ ports: [{ port: 80 }] }] })], probes: [probe(81, 'TCP', ['peer', { ns: 'x' }, {}, false])] },
      { policies: [np('x', 'allow-egress-port-80', labels({}), { egress: [{ ports: [{ port: 80 }] }] }), np('x', 'allow-egress', labels({}), { egress: [{}] })], probes: [probe(81, 'TCP')] },
    ],
  },
  {
    name: 'should stop enforcing policies after they are deleted',
    group: 'TCP', pods: ['x/a', 'y/a'], protocols: ['TCP'], ports: [80],
    steps: [
      { policies: [np('x', 'deny-all', EMPTY, { ingress: [], egress: [] })], probes: [probe(80, 'TCP', ['peer', { ns: 'x' }, {}, false], ['peer', {}, { ns: 'x' }, false])] },
      { policies: [], probes: [probe(80, 'TCP')] },
    ],
  },
  {
    name: 'should allow egress access to server in CIDR block',
    group: 'TCP', pods: ['x/a', 'y/a', 'y/b'], protocols: ['TCP'], ports: [80],
    steps: one([np('x', 'allow-client-a-via-cidr-egress-rule', podA, { egress: [{ to: [{ ipBlock: { cidr: '${ip:y/b}/32' } }] }] })], probe(80, 'TCP', ['allEgress', 'x/a', false], ['expect', 'x/a', 'y/b', true])),
  },
  {
    name: 'should enforce except clause while egress access to server in CIDR block',
    group: 'TCP', pods: ['x/a', 'x/b', 'x/c'], protocols: ['TCP'], ports: [80],
    steps: one([np('x', 'allow-client-a-via-cidr-egress-rule', podA, { egress: [{ to: [{ ipBlock: { cidr: '${cidr4:x/b}', except: ['${ip:x/b}/32'] } }] }] })], probe(80, 'TCP', ['expect', 'x/a', 'x/b', false])),
  },
  {
    name: 'should ensure an IP overlapping both IPBlock.CIDR and IPBlock.Except is allowed',
    group: 'TCP', pods: ['x/a', 'x/b', 'x/c'], protocols: ['TCP'], ports: [80],
    steps: [
      { policies: [np('x', 'allow-client-a-via-cidr-egress-rule', podA, { egress: [{ to: [{ ipBlock: { cidr: '${cidr4:x/b}', except: ['${ip:x/b}/32'] } }] }] })], probes: [probe(80, 'TCP', ['expect', 'x/a', 'x/b', false])] },
      // UpdatePolicy with the same name: the second policy replaces the first.
      { policies: [np('x', 'allow-client-a-via-cidr-egress-rule', podA, { egress: [{ to: [{ ipBlock: { cidr: '${ip:x/b}/32' } }] }] })], probes: [probe(80, 'TCP', ['allEgress', 'x/a', false], ['expect', 'x/a', 'x/b', true])] },
    ],
  },
  (() => {
    const egress = np('x', 'allow-egress-for-target', podA, { egress: [{}] });
    return {
      name: 'should enforce policies to check ingress and egress policies can be controlled independently based on PodSelector',
      group: 'TCP' as const, pods: ['x/a', 'x/b', 'y/a'], protocols: ['TCP' as const], ports: [80],
      steps: [
        { policies: [egress], probes: [probe(80, 'TCP')] },
        { policies: [egress, np('x', 'deny-ingress-via-label-selector', podA, { ingress: [] })], probes: [probe(80, 'TCP', ['allIngress', 'x/a', false])] },
      ],
    };
  })(),
  {
    name: "should not mistakenly treat 'protocol: SCTP' as 'protocol: TCP', even if the plugin doesn't support SCTP",
    group: 'TCP', pods: ['x/a', 'y/a'], protocols: ['TCP'], ports: [81],
    steps: one([np('x', 'deny-ingress', EMPTY, { ingress: [] }), np('x', 'allow-only-sctp-ingress-on-port-81', podA, { ingress: [{ ports: [tcp(81, 'SCTP')] }] })], probe(81, 'TCP', ['peer', {}, { ns: 'x' }, false])),
  },
  {
    name: "should properly isolate pods that are selected by a policy allowing SCTP, even if the plugin doesn't support SCTP",
    group: 'TCP', pods: ['x/a', 'y/a'], protocols: ['TCP'], ports: [81],
    steps: one([np('x', 'allow-only-sctp-ingress-on-port-80', podA, { ingress: [{ ports: [tcp(80, 'SCTP')] }] })], probe(81, 'TCP', ['allIngress', 'x/a', false])),
  },
  {
    name: 'should not allow access by TCP when a policy specifies only UDP',
    group: 'TCP', pods: ['x/a', 'y/a'], protocols: ['TCP'], ports: [81],
    steps: one([np('x', 'allow-only-udp-ingress-on-port-81', podA, { ingress: [{ ports: [tcp(81, 'UDP')] }] })], probe(81, 'TCP', ['allIngress', 'x/a', false])),
  },
  {
    name: 'should enforce policy to allow traffic based on NamespaceSelector with MatchLabels using default ns label',
    group: 'TCP', pods: ['x/a', 'x/b', 'y/a', 'z/a'], protocols: ['TCP'], ports: [80],
    steps: one(
      [np('x', 'allow-client-a-via-ns-selector-for-immutable-ns-label', podA, { ingress: [{ from: [{ namespaceSelector: labels({ [MD]: 'y' }) }] }] })],
      probe(80, 'TCP', ['peer', { ns: 'x' }, { ns: 'x', pod: 'a' }, false], ['peer', { ns: 'z' }, { ns: 'x', pod: 'a' }, false]),
    ),
  },
  {
    name: 'should enforce policy based on NamespaceSelector with MatchExpressions using default ns label',
    group: 'TCP', pods: ['x/a', 'x/b', 'y/a', 'z/a'], protocols: ['TCP'], ports: [80],
    steps: one([np('x', 'allow-ns-y-match-selector-for-immutable-ns-label', podA, { egress: [{ to: [{ namespaceSelector: expr(MD, 'NotIn', ['y']) }] }] })], probe(80, 'TCP', ['peer', { ns: 'x', pod: 'a' }, { ns: 'y' }, false])),
  },
  ...(['UDP', 'SCTP'] as const).flatMap((protocol): UpstreamCase[] => {
    const skip = protocol === 'SCTP' ? { skipReason: "podpath's datapath carries TCP and UDP only (SCTP policies are read, and never match a TCP or UDP packet)" } : {};
    return [
      {
        name: "should support a 'default-deny-ingress' policy",
        group: protocol, pods: ['x/a', 'x/b', 'y/a', 'y/b'], protocols: [protocol], ports: [80], ...skip,
        steps: one([np('x', 'deny-all', EMPTY, { ingress: [] })], probe(80, protocol, ['peer', {}, { ns: 'x' }, false])),
      },
      {
        name: 'should enforce policy based on Ports',
        group: protocol, pods: ['x/a', 'x/b', 'y/a', 'z/a'], protocols: [protocol], ports: [81], ...skip,
        steps: one(
          [np('x', 'allow-ingress-on-port-81-ns-x', podA, { ingress: [{ from: [{ namespaceSelector: labels({ [MD]: 'y' }) }], ports: [tcp(81, protocol)] }] })],
          probe(81, protocol, ['peer', { ns: 'x' }, { ns: 'x', pod: 'a' }, false], ['peer', { ns: 'z' }, { ns: 'x', pod: 'a' }, false]),
        ),
      },
      {
        name: 'should enforce policy to allow traffic only from a pod in a different namespace based on PodSelector and NamespaceSelector',
        group: protocol, pods: ['x/a', 'x/b', 'y/a'], protocols: [protocol], ports: [80], ...skip,
        steps: one(
          [np('x', 'allow-ns-y-pod-a-via-namespace-pod-selector', podA, { ingress: [{ from: [{ namespaceSelector: labels({ [MD]: 'y' }), podSelector: labels({ pod: 'a' }) }] }] })],
          probe(80, protocol, ['allIngress', 'x/a', false], ['expect', 'y/a', 'x/a', true]),
        ),
      },
    ];
  }),
];
