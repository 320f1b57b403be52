// NetworkPolicy on the canvas, as data (no React): which pods a policy isolates (a tag
// on the pod), and, once a walk reaches the hop where a policy stops the packet, the
// pod that policy protects and which policies deny it (a banner on that pod). Under a
// CNI that enforces no policy the banner says the packet was delivered all the same.
import { objectKey, type Scenario } from '../../sim/model.ts';
import { policiesSelecting } from '../../sim/policy/selector.ts';
import type { Hop, Trace } from '../../sim/trace/types.ts';

/** The policies (`name`, in the pod's own namespace) that isolate a pod, per direction. */
export interface PodIsolation {
  ingress: string[];
  egress: string[];
}

/** Each isolated pod's isolation, by `namespace/name`; pods no policy selects are absent. */
export function isolationOf(s: Scenario): Map<string, PodIsolation> {
  const out = new Map<string, PodIsolation>();
  if (!s.networkPolicies?.length) return out;
  for (const pod of s.pods) {
    const ingress = policiesSelecting(s, pod, 'Ingress').map((p) => p.name);
    const egress = policiesSelecting(s, pod, 'Egress').map((p) => p.name);
    if (ingress.length || egress.length) out.set(objectKey(pod), { ingress, egress });
  }
  return out;
}

/** The banner on the pod whose policy stopped (or, under a CNI enforcing none, would have stopped) the packet. */
export interface PolicyDropMark {
  /** The pod the denying policies protect (`namespace/name`): the destination for ingress, the source for egress. */
  pod: string;
  direction: 'Ingress' | 'Egress';
  /** `namespace/name` of each policy isolating that pod in that direction (none of whose rules allows the packet). */
  policies: string[];
  /** The CNI dropped it; false: delivered, where an enforcing CNI would have dropped it. */
  enforced: boolean;
  /** The hop (in the request's hops) where that happens: the banner is shown from there on. */
  hop: number;
}

const dropOf = new WeakMap<Trace, PolicyDropMark | null>();

/** Where a trace's NetworkPolicy stops the packet, or would have; null when no policy denies it. The same object for the same trace (a store selector's answer). */
export function policyDropOf(t: Trace): PolicyDropMark | null {
  let mark = dropOf.get(t);
  if (mark === undefined) dropOf.set(t, (mark = findPolicyDrop(t)));
  return mark;
}

function findPolicyDrop(t: Trace): PolicyDropMark | null {
  const denied = t.policy?.denied;
  if (!denied) return null;
  const at = (test: (h: Hop) => boolean) => t.hops.findIndex(test);
  if (t.code === 'network-policy-denied') {
    const hop = t.hops.length - 1;
    return { pod: denied.pod, direction: denied.direction, policies: denied.policies, enforced: true, hop };
  }
  if (t.policy?.wouldHaveDropped) {
    const hop = at((h) => h.wouldHaveDropped !== undefined);
    if (hop >= 0) return { pod: denied.pod, direction: denied.direction, policies: denied.policies, enforced: false, hop };
  }
  return null;
}
