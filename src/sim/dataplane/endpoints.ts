// Which pods back a Service port: the EndpointSlice controller's answer.
// A pod is an endpoint when the selector matches its labels and the targetPort
// resolves on it: a number always resolves (even if no container declares it:
// the packet is DNATed and then refused at the pod), a name resolves per pod to
// that pod's container port of that name and protocol (pods without it are not
// endpoints).
import type { PodSpec, Scenario, ServicePort, ServiceSpec } from '../model.ts';
import { objectKey, selectorMatches } from '../model.ts';

export interface Endpoint {
  pod: PodSpec;
  ip: string;
  port: number;
}

export function resolveTargetPort(pod: PodSpec, sp: ServicePort): number | undefined {
  if (typeof sp.targetPort === 'number') return sp.targetPort;
  return pod.ports.find((p) => p.name === sp.targetPort && p.protocol === sp.protocol)?.containerPort;
}

/** The ready endpoints of one Service port, in the order kube-proxy writes them (by IP:port). */
export function endpointsOf(s: Scenario, svc: ServiceSpec, sp: ServicePort): Endpoint[] {
  const out: Endpoint[] = [];
  for (const pod of s.pods) {
    if (pod.namespace !== svc.namespace || !pod.podIP || !selectorMatches(svc.selector, pod.labels)) continue;
    const port = resolveTargetPort(pod, sp);
    if (port !== undefined) out.push({ pod, ip: pod.podIP, port });
  }
  return out.sort((a, b) => (endpointString(a) < endpointString(b) ? -1 : endpointString(a) > endpointString(b) ? 1 : 0));
}

export const endpointString = (e: Endpoint) => `${e.ip}:${e.port}`;

/** kube-proxy's ServicePortName: `namespace/name:portName` (no `:` when the port has no name). */
export function servicePortName(svc: ServiceSpec, sp: ServicePort): string {
  return `${objectKey(svc)}${sp.name ? `:${sp.name}` : ''}`;
}
