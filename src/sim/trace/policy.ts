// A trace's NetworkPolicy verdict (trace.policy), and, on a CNI that enforces none,
// where an enforcing one would have dropped the packet. The enforcing CNIs drop in
// the walk itself (felix's chains in the filter table, Cilium's programs); this
// says what the policies decide of the connection as the two ends see it:
// egress with the client as it sent, ingress with the packet as the destination pod
// received it (its source after any SNAT on the way, as the destination's node sees it).
import { cniOf } from '../cni/index.ts';
import type { Dataplane } from '../dataplane/compile.ts';
import { objectKey } from '../model.ts';
import { decide, policyEndOf, verdictSaid, type DirectionVerdict } from '../policy/evaluate.ts';
import type { Hop, Trace, TracePolicy } from './types.ts';
import { splitHostPort } from './address.ts';

const protocolOf = (p: { proto: 'tcp' | 'udp' }) => (p.proto === 'tcp' ? 'TCP' : 'UDP');

/** The policy verdict of a walked request, or undefined when the cluster has no NetworkPolicy or the packet reached no pod. */
export function tracePolicy(dp: Dataplane, t: Trace): TracePolicy | undefined {
  if (!dp.scenario.networkPolicies?.length || !t.hops.length) return undefined;
  // The client's address as its first packet left it (a node picks its source by route).
  const clientIP = splitHostPort(t.hops[0].packet.src).ip;
  const enforcer = cniOf(dp.scenario.cluster).networkPolicy;
  const last = t.hops[t.hops.length - 1];
  const reachedPod = dp.podOf(last.netns) !== undefined && (t.code === 'delivered' || t.verdict === 'refused' || t.replyCode !== undefined);
  // A pod's egress is decided wherever the packet goes (a node, outside the cluster); ingress only where it reached a pod.
  const fromPod = !!policyEndOf(dp, clientIP).pod;
  if (!reachedPod && t.code !== 'network-policy-denied' && !fromPod) return undefined;
  const at = last.packet;
  const to = splitHostPort(at.dst);
  // Cilium's ipBlock matches only addresses outside the cluster (policy/evaluate.ts).
  const flow = { dst: policyEndOf(dp, to.ip), protocol: protocolOf(at), port: to.port, ...(enforcer === 'cilium-ebpf' ? { ipBlockOutsideClusterOnly: true } : {}) } as const;
  const egress = decide(dp.scenario, { ...flow, src: policyEndOf(dp, clientIP) }).egress;
  const ingress = decide(dp.scenario, { ...flow, src: policyEndOf(dp, sourceAtPolicy(dp, t)) }).ingress;
  const denied: DirectionVerdict | undefined = egress && !egress.allowed ? egress : ingress && !ingress.allowed ? ingress : undefined;
  const policy: TracePolicy = {
    enforcer,
    allowed: !denied,
    ...(egress ? { egress: verdictSaid(egress) } : {}),
    ...(ingress ? { ingress: verdictSaid(ingress) } : {}),
    ...(denied ? { denied: { direction: denied.direction, pod: objectKey(denied.pod), policies: denied.policies.map(objectKey) } } : {}),
  };
  if (!denied || (!reachedPod && denied.direction === 'Ingress')) return policy;
  // A node's own traffic to its own pods: neither Calico nor Cilium polices it.
  const fromOwnNode = denied.direction === 'Ingress' && !policyEndOf(dp, clientIP).pod && dp.nodeOf(t.hops[0].netns)?.name === denied.pod.nodeName;
  if (fromOwnNode) {
    policy.exempt = OWN_NODE_EXEMPT[enforcer](t.hops[0].netns, objectKey(denied.pod));
  } else if (enforcer === 'none') {
    policy.wouldHaveDropped = true;
    noteWouldHaveDropped(dp, t.hops, denied);
  }
  return policy;
}

/**
 * The source the destination's ingress policy meets: the packet's on the destination
 * pod's node before that node rewrites it (a policy is checked in FORWARD, or at the
 * program delivering it, before POSTROUTING's SNAT); else the source it arrives with.
 */
function sourceAtPolicy(dp: Dataplane, t: Trace): string {
  const last = t.hops[t.hops.length - 1];
  const node = dp.podOf(last.netns)?.nodeName;
  for (let i = t.hops.length - 1; i > 0; i--) {
    const h = t.hops[i];
    if (h.netns !== node && h.netns !== last.netns) break;
    if (h.netns === node && h.action === 'snat') return splitHostPort(t.hops[i - 1].packet.src).ip;
  }
  return splitHostPort(last.packet.src).ip;
}

/** Why a node's own packet to its own pod passes its ingress policy, per policy engine. */
const OWN_NODE_EXEMPT: Record<TracePolicy['enforcer'], (node: string, pod: string) => string> = {
  felix: (node, pod) => `felix does not police a node's own traffic to its pods (cali-OUTPUT returns for -o cali+: "we don't currently police host -> endpoint according to the endpoint's ingress policy"), so ${pod}'s ingress policy does not stop ${node}`,
  'cilium-ebpf': (node, pod) => `Cilium lets a node's own traffic reach its pods (the agent's allow-localhost, by default), so ${pod}'s ingress policy does not stop ${node}'s own packets; kernel-checked with podpath's own programs`,
  none: (node, pod) => `nothing here enforces NetworkPolicy, and neither would Calico nor Cilium stop ${node}'s own traffic to its pod ${pod}`,
};

/**
 * The hop where an enforcing CNI would have dropped the packet: for egress, where it
 * enters the source pod's node from the pod's veth; for ingress, where it leaves its
 * last hop toward the destination pod.
 */
function noteWouldHaveDropped(dp: Dataplane, hops: Hop[], v: DirectionVerdict) {
  const cni = dp.scenario.cluster.cni;
  const podKey = objectKey(v.pod);
  const i = v.direction === 'Egress' ? hops.findIndex((h) => dp.nodeOf(h.netns) !== undefined) : hops.map((h) => h.netns !== podKey).lastIndexOf(true);
  if (i < 0) return;
  const hop = hops[i];
  const names = v.policies.map(objectKey);
  hop.wouldHaveDropped = { direction: v.direction, policies: names };
  hop.why += `; NetworkPolicy: ${verdictSaid(v)}, but ${cni} does not enforce NetworkPolicy, so the packet goes on: a CNI that enforces it (Calico, Cilium) would have dropped it here`;
}
