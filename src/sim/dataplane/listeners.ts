// What listens in a netns. containerPort is informational in Kubernetes: a process
// may listen on a port no container declares (a live metrics-server serves on one),
// and a Service that targets a number sends there all the same. So a pod is taken to
// listen on its declared ports *and* on the numeric target ports of the Services that
// select it, and on the ports its probes connect to, each such port saying why; a
// port neither declared, targeted nor probed is taken to be closed (and the trace
// says that is an assumption). A node listens where a file's Endpoints put a Service without a selector on
// its address (the API server on a control-plane node, a hostNetwork process).
import type { NodeSpec, PodSpec, Scenario, ServiceSpec } from '../model.ts';
import { objectKey, selectorMatches } from '../model.ts';
import type { Listener } from './types.ts';
import { servedByDownContainer } from '../scenario/probes.ts';

/** Services by namespace, so a pod's netns looks at its own namespace's only. */
const servicesByNamespace = new WeakMap<Scenario, Map<string, ServiceSpec[]>>();

function servicesIn(s: Scenario, namespace: string): ServiceSpec[] {
  let index = servicesByNamespace.get(s);
  if (!index) {
    index = new Map();
    for (const v of s.services) {
      const had = index.get(v.namespace);
      if (had) had.push(v);
      else index.set(v.namespace, [v]);
    }
    servicesByNamespace.set(s, index);
  }
  return index.get(namespace) ?? [];
}

export function podListeners(s: Scenario, pod: PodSpec): Listener[] {
  const out: Listener[] = [];
  const has = (port: number, protocol: Listener['protocol']) => out.some((l) => l.port === port && l.protocol === protocol);
  // A container a dump shows down (CrashLoopBackOff) runs no process: its ports are closed.
  const down = (port: number, protocol: Listener['protocol']) => servedByDownContainer(pod.containersDown, port, protocol) !== undefined;
  for (const x of pod.ports) if (!has(x.containerPort, x.protocol) && !down(x.containerPort, x.protocol)) out.push({ port: x.containerPort, protocol: x.protocol });
  for (const port of pod.probePorts ?? []) if (!has(port, 'TCP') && !down(port, 'TCP')) out.push({ port, protocol: 'TCP', assumed: { because: 'probe' } });
  // With no container running, no process listens anywhere in the pod.
  if (pod.noContainerRunning) return out;
  for (const svc of servicesIn(s, pod.namespace)) {
    if (!selectorMatches(svc.selector, pod.labels)) continue;
    for (const sp of svc.ports) {
      // A named targetPort resolves only to a declared port of that name: nothing to assume.
      if (typeof sp.targetPort !== 'number' || has(sp.targetPort, sp.protocol) || down(sp.targetPort, sp.protocol)) continue;
      out.push({ port: sp.targetPort, protocol: sp.protocol, assumed: { because: 'service-target-port', service: objectKey(svc) } });
    }
  }
  return out;
}

export function nodeListeners(s: Scenario, node: NodeSpec): Listener[] {
  const out: Listener[] = [];
  if (!node.internalIP) return out;
  for (const p of node.hostProcesses ?? []) out.push({ port: p.port, protocol: p.protocol, assumed: { because: 'host-process', what: p.what, ...(p.byDefault ? { byDefault: true } : {}) }, ...(p.loopbackOnly ? { loopbackOnly: true } : {}) });
  for (const svc of s.services) {
    // Only a Service without a selector has its endpoints from the file (endpoints.ts).
    if (Object.keys(svc.selector).length > 0) continue;
    for (const e of svc.givenEndpoints ?? []) {
      if (e.ip !== node.internalIP || out.some((l) => l.port === e.port && l.protocol === e.protocol)) continue;
      out.push({ port: e.port, protocol: e.protocol, assumed: { because: 'given-endpoint', service: objectKey(svc) } });
    }
  }
  return out;
}
