// Kubernetes NetworkPolicy semantics (the API's own comments in
// k8s.io/api/networking/v1/types.go, and the behaviour the upstream e2e tests in
// test/e2e/network/netpol hold every implementation to):
// - a pod is isolated for a direction once any policy in its namespace selects it
//   with that direction in policyTypes; until then everything is allowed that way;
// - policies are additive: an isolated pod's traffic is allowed when any rule of any
//   policy selecting it allows it (a peer matches AND a port matches);
// - a connection needs both ends: egress from the source pod and ingress to the
//   destination pod; replies of an allowed connection pass (stateful).
// This decides what the policies say. Whether anything enforces it, and where, is
// the CNI's (cni/*.ts: `enforcesNetworkPolicy`), and a node's own traffic to its
// pods is the CNI's choice too (see the trace's policy hop).
import type { PodSpec, Scenario } from '../model.ts';
import { inIpBlock } from './read.ts';
import { labelSelectorMatches, policiesOf, policiesSelecting } from './selector.ts';
import type { NetworkPolicy, PolicyPeer, PolicyPort, PolicyProtocol, PolicyRule, PolicyType } from './types.ts';

/** One end of a connection: a pod (by its address it is a pod), or an address that is no pod's (a node, a client outside). */
/** `node`: the address is a node's (in the cluster, though no pod). */
export type PolicyEnd = { pod: PodSpec; ip: string } | { pod?: undefined; ip: string; node?: boolean };

/** Who holds an address, as a compiled dataplane knows it (a Dataplane, an EbpfView): enough to tell a pod, a node or neither. */
export interface AddressBook {
  ownerOf(ip: string): { netns: string } | undefined;
  podOf(netns: string): PodSpec | undefined;
  nodeOf(netns: string): unknown;
}

/** An address as a policy sees it: a pod's, a node's (any device of it: eth0, cni0, cilium_host) or one outside the cluster. */
export function policyEndOf(book: AddressBook, ip: string): PolicyEnd {
  const owner = book.ownerOf(ip);
  if (!owner) return { ip, node: false };
  // A pod's netns is named namespace/name; a node's by the node.
  const pod = owner.netns.includes('/') ? book.podOf(owner.netns) : undefined;
  return pod ? { pod, ip } : { ip, node: book.nodeOf(owner.netns) !== undefined };
}

export interface PolicyFlow {
  src: PolicyEnd;
  dst: PolicyEnd;
  protocol: PolicyProtocol;
  /** The destination port as the destination pod sees it (after any Service's DNAT). */
  port: number;
  /**
   * An ipBlock matches only addresses outside the cluster (no pod's, no node's): Cilium's
   * meaning ("Cilium doesn't support using ipBlock statements to match on pod IPs",
   * cilium/cilium#19601; CIDR rules are for peers that are not endpoints). Absent:
   * Kubernetes' own, which Calico follows.
   */
  ipBlockOutsideClusterOnly?: boolean;
}

/** How one direction went for the pod at that end. */
export interface DirectionVerdict {
  direction: PolicyType;
  /** The pod whose policies decide: the source for Egress, the destination for Ingress. */
  pod: PodSpec;
  /** The policies that select this pod for this direction, in name order; empty: the pod is not isolated this way. */
  policies: NetworkPolicy[];
  /** The first policy and rule (index in its ingress or egress list) that allows the flow; absent on a deny. */
  allowedBy?: { policy: NetworkPolicy; rule: number };
  allowed: boolean;
}

export interface PolicyDecision {
  egress?: DirectionVerdict;
  ingress?: DirectionVerdict;
  allowed: boolean;
  /** The direction that denies it (egress is checked first: the packet meets it first). */
  deniedBy?: DirectionVerdict;
}

/** The labels of a namespace, with the one the API server sets on every namespace since 1.21. */
export function namespaceLabelsOf(s: Pick<Scenario, 'namespaceLabels'>, namespace: string): Record<string, string> {
  return { ...(s.namespaceLabels?.[namespace] ?? {}), 'kubernetes.io/metadata.name': namespace };
}

// Which policies select a pod: in selector.ts, which the canvas imports without the rest of this.
export { policiesOf, policiesSelecting } from './selector.ts';

function peerMatches(s: Pick<Scenario, 'namespaceLabels'>, policy: NetworkPolicy, peer: PolicyPeer, end: PolicyEnd, outsideOnly = false): boolean {
  if (peer.ipBlock) return !(outsideOnly && (end.pod || end.node)) && inIpBlock(peer.ipBlock, end.ip);
  // podSelector / namespaceSelector select pods only: a node or an outside address is no pod.
  if (!end.pod) return false;
  if (peer.namespaceSelector) {
    if (!labelSelectorMatches(peer.namespaceSelector, namespaceLabelsOf(s, end.pod.namespace))) return false;
  } else if (end.pod.namespace !== policy.namespace) return false;
  return !peer.podSelector || labelSelectorMatches(peer.podSelector, end.pod.labels);
}

/**
 * A rule's port against the flow's. A named port is the destination pod's container
 * port of that name and protocol (for egress too: the port is the destination's).
 */
function portMatches(port: PolicyPort, flow: PolicyFlow): boolean {
  if (port.protocol !== flow.protocol) return false;
  if (port.port === undefined) return true;
  if (typeof port.port === 'number') return port.endPort !== undefined ? flow.port >= port.port && flow.port <= port.endPort : flow.port === port.port;
  const dst = flow.dst.pod;
  return !!dst && dst.ports.some((c) => c.name === port.port && c.protocol === flow.protocol && c.containerPort === flow.port);
}

export function ruleMatches(s: Pick<Scenario, 'namespaceLabels'>, policy: NetworkPolicy, rule: PolicyRule, direction: PolicyType, flow: PolicyFlow): boolean {
  const peerEnd = direction === 'Ingress' ? flow.src : flow.dst;
  if (rule.peers && !rule.peers.some((p) => peerMatches(s, policy, p, peerEnd, flow.ipBlockOutsideClusterOnly))) return false;
  return !rule.ports || rule.ports.some((p) => portMatches(p, flow));
}

function direction(s: Pick<Scenario, 'networkPolicies' | 'namespaceLabels'>, pod: PodSpec, dir: PolicyType, flow: PolicyFlow): DirectionVerdict {
  const policies = policiesSelecting(s, pod, dir);
  if (!policies.length) return { direction: dir, pod, policies, allowed: true };
  for (const policy of policies) {
    const rules = dir === 'Ingress' ? policy.ingress : policy.egress;
    const i = rules.findIndex((r) => ruleMatches(s, policy, r, dir, flow));
    if (i >= 0) return { direction: dir, pod, policies, allowedBy: { policy, rule: i }, allowed: true };
  }
  return { direction: dir, pod, policies, allowed: false };
}

/** What the cluster's NetworkPolicies say of a new connection (its first packet). */
export function decide(s: Pick<Scenario, 'networkPolicies' | 'namespaceLabels'>, flow: PolicyFlow): PolicyDecision {
  const egress = flow.src.pod ? direction(s, flow.src.pod, 'Egress', flow) : undefined;
  const ingress = flow.dst.pod ? direction(s, flow.dst.pod, 'Ingress', flow) : undefined;
  const deniedBy = egress && !egress.allowed ? egress : ingress && !ingress.allowed ? ingress : undefined;
  return { ...(egress ? { egress } : {}), ...(ingress ? { ingress } : {}), allowed: !deniedBy, ...(deniedBy ? { deniedBy } : {}) };
}

/** A direction's verdict in one sentence, naming the policies (for hops, the CLI and the playground). */
export function verdictSaid(v: DirectionVerdict): string {
  const who = `${v.pod.namespace}/${v.pod.name}`;
  const way = v.direction === 'Ingress' ? 'ingress' : 'egress';
  if (!v.policies.length) return `no NetworkPolicy selects ${who} for ${way}, so it is not isolated for ${way}: allowed`;
  const names = v.policies.map((p) => p.name).join(', ');
  if (v.allowedBy) {
    const { policy, rule } = v.allowedBy;
    return `${who} is isolated for ${way} (selected by ${names}); NetworkPolicy ${policy.namespace}/${policy.name} ${way} rule ${rule} allows it`;
  }
  return `${who} is isolated for ${way} by NetworkPolicy ${names}, and no ${way} rule of ${v.policies.length > 1 ? 'any of them' : 'it'} allows this packet: denied`;
}
