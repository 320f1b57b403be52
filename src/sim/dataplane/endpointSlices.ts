// Endpoints a file gives rather than podpath computes: a dump's EndpointSlices (or
// v1 Endpoints) for a Service without a selector, whose endpoints are kept by hand
// (default/kubernetes → the API server's address), used as they are; and for a
// Service with a selector, the dump's own slices held against podpath's computation.
// kube-proxy matches an EndpointSlice port to a Service port by name (and protocol),
// and sends only to endpoints that are ready.
import type { GivenEndpoint, PodSpec, Scenario, ServicePort, ServiceSpec } from '../model.ts';
import type { Endpoint } from './endpoints.ts';

/** Does this given endpoint serve this Service port (same port name, same protocol)? */
export function servesPort(e: GivenEndpoint, sp: ServicePort): boolean {
  return e.portName === (sp.name ?? '') && e.protocol === sp.protocol;
}

const podsByIP = new WeakMap<Scenario, Map<string, PodSpec>>();

/** The pod holding an address, if podpath models one there. */
export function podAt(s: Scenario, ip: string): PodSpec | undefined {
  let index = podsByIP.get(s);
  if (!index) podsByIP.set(s, (index = new Map(s.pods.filter((p) => p.podIP).map((p) => [p.podIP!, p]))));
  return index.get(ip);
}

/** The ready endpoints the file gives for one port of a Service without a selector. */
export function givenEndpointsOf(s: Scenario, svc: ServiceSpec, sp: ServicePort): Endpoint[] {
  const out: Endpoint[] = [];
  for (const e of svc.givenEndpoints ?? []) {
    if (!e.ready || !servesPort(e, sp)) continue;
    const pod = podAt(s, e.ip);
    out.push({ ip: e.ip, port: e.port, ...(pod ? { pod } : {}) });
  }
  return out;
}

/**
 * A Service without a selector whose endpoints the input does not give (a
 * `cluster-info dump` never holds EndpointSlices, so default/kubernetes always is
 * one): kube-proxy's rules for it depend on endpoints podpath does not know, so it
 * writes none rather than a REJECT the cluster may not have, and a trace to it says so.
 */
export function endpointsUnknown(svc: ServiceSpec): boolean {
  return Object.keys(svc.selector).length === 0 && !hasGivenEndpoints(svc);
}

/** Does the file give endpoints for this Service (so a trace to it can follow them)? */
export function hasGivenEndpoints(svc: ServiceSpec): boolean {
  return (svc.givenEndpoints?.length ?? 0) > 0;
}
