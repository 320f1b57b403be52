// What a pod's status means for packets, one rule used by IPAM, the EndpointSlice
// computation, the trace ends and the inspector alike. After the EndpointSlice
// controller (pkg/controller/endpointslice, podutil.IsPodReady and
// endpointsliceutil.ShouldPodBeInEndpoints): a pod without an IP, or one that has
// finished (Succeeded, Failed), is no endpoint at all; one that is not Ready is an
// endpoint with `ready: false`, which kube-proxy does not send to.
import type { PodSpec, ServiceSpec } from './model.ts';
import { containerDownText } from './scenario/probes.ts';

/** The pod has finished: its containers are gone and its address was released. */
export function hasFinished(p: PodSpec): boolean {
  return p.phase === 'Succeeded' || p.phase === 'Failed';
}

/**
 * Should IPAM give this pod an address? Not a finished pod (its address was
 * released), nor a Pending one (the file says it has none yet: no sandbox).
 */
export function wantsAddress(p: PodSpec): boolean {
  return !hasFinished(p) && p.phase !== 'Pending';
}

/** podutil.IsPodReady: Running with condition Ready (a pod podpath starts itself is). */
export function isPodReady(p: PodSpec): boolean {
  return (p.phase === undefined || p.phase === 'Running') && !p.notReady;
}

/** ShouldPodBeInEndpoints: it has an address and has not finished. */
export function isEndpointCandidate(p: PodSpec): boolean {
  return p.podIP !== undefined && !hasFinished(p);
}

/** The EndpointSlice's `ready` for this pod under this Service (publishNotReadyAddresses makes every candidate ready). */
export function isReadyEndpoint(svc: ServiceSpec, p: PodSpec): boolean {
  return svc.publishNotReadyAddresses === true || isPodReady(p);
}

/** The pod's state in a few words, for a person (undefined: Running and Ready, nothing to say). */
export function podStateText(p: PodSpec): string | undefined {
  if (p.phase === 'Pending') return p.podIP ? 'Pending: not ready, so no Service sends to it' : 'Pending: no address yet, so no Service sends to it';
  if (hasFinished(p)) return `${p.phase}: its containers have exited and its address was released; it is no endpoint`;
  const down = p.containersDown?.length ? `; the dump shows ${p.containersDown.map(containerDownText).join(', ')}` : '';
  if (p.notReady) return `Running but not Ready: an endpoint with ready: false, so kube-proxy does not send to it${down}`;
  if (down) return `Running${down}: what that container serves does not listen while it is down`;
  return undefined;
}

/** Why a pod has no address, for a trace from or to it (no word about Services: the trace names the pod itself). */
export function noAddressText(p: PodSpec): string {
  if (hasFinished(p)) return `it has ${p.phase === 'Succeeded' ? 'completed' : 'failed'} (${p.phase}): its containers have exited and its address was released`;
  return 'it is Pending: the node has not started its sandbox, so it has no address yet';
}

/** The pod's state in a word or two, for its box on the canvas (undefined: Running and Ready). */
export function podStateWord(p: PodSpec): string | undefined {
  if (p.phase === 'Pending' || hasFinished(p)) return p.phase;
  if (p.notReady) return 'not Ready';
  return undefined;
}
