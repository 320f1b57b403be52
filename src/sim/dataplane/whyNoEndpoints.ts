// Why a Service port has no ready endpoint, said by the walk where kube-proxy rejects
// a packet. Only the walk says it, so it is kept out of the modules the playground's
// first view loads (endpoints.ts is one of them).
import type { Scenario, ServicePort, ServiceSpec } from '../model.ts';
import { objectKey, selectorMatches } from '../model.ts';
import { isEndpointCandidate } from '../podStatus.ts';
import { servesPort } from './endpointSlices.ts';
import { leftOutPods } from '../scenario/leftOut.ts';
import { resolveTargetPort, selectedPods } from './endpoints.ts';

/**
 * Why a Service port has no ready endpoint, in words: kube-proxy's REJECT comment says
 * only "has no endpoints", which is false of a Service whose one pod is not Ready or
 * whose named targetPort no selected pod has (a typo), and says nothing of which.
 */
export function whyNoEndpoints(s: Scenario, svc: ServiceSpec, sp: ServicePort): string {
  const few = (xs: string[]) => (xs.length > 3 ? `${xs.slice(0, 3).join(', ')} and ${xs.length - 3} more` : xs.join(', '));
  if (Object.keys(svc.selector).length === 0) {
    const given = (svc.givenEndpoints ?? []).filter((e) => servesPort(e, sp));
    if (given.length === 0) return `it has no selector, and the file gives no Endpoints or EndpointSlice addresses for its port ${sp.name || sp.port}`;
    return `it has no selector, and every address the file's endpoints give for its port ${sp.name || sp.port} is not ready (${few(given.map((e) => `${e.ip}:${e.port}`))})`;
  }
  const selector = Object.entries(svc.selector).map(([k, v]) => `${k}=${v}`).join(',');
  const pods = selectedPods(s, svc);
  if (pods.length === 0) {
    // Pods the scheduler has not placed are not in the scenario (leftOut.ts), but the selector does match them.
    const waiting = [...(leftOutPods.get(s) ?? [])].filter(([key, p]) => p.reason === 'unscheduled' && key.startsWith(`${svc.namespace}/`) && selectorMatches(svc.selector, p.labels ?? {})).map(([key]) => key);
    if (waiting.length) return `the ${waiting.length === 1 ? 'pod' : `${waiting.length} pods`} its selector ${selector} matches ${waiting.length === 1 ? 'is' : 'are'} Pending, not yet placed on a node by the scheduler, so ${waiting.length === 1 ? 'it has' : 'they have'} no address (${few(waiting)})`;
    return `its selector ${selector} matches no pod in namespace ${svc.namespace}`;
  }
  if (typeof sp.targetPort === 'string') {
    const name = sp.targetPort;
    const named = pods.filter((p) => resolveTargetPort(p, sp) !== undefined);
    if (named.length === 0) {
      const names = [...new Set(pods.flatMap((p) => p.ports.filter((x) => x.name && x.protocol === sp.protocol).map((x) => x.name!)))];
      return `its targetPort "${name}" names no ${sp.protocol} port of the ${pods.length === 1 ? 'pod' : `${pods.length} pods`} its selector ${selector} matches (${names.length ? `they name ${names.map((n) => `"${n}"`).join(', ')}` : 'they name no ports'}), so none of them is an endpoint of this port`;
    }
  }
  const states = pods.map((p) => {
    if (!isEndpointCandidate(p)) return `${objectKey(p)} (${p.phase === 'Pending' ? 'Pending, no address' : `${p.phase}, its address released`})`;
    return `${objectKey(p)} (${p.phase && p.phase !== 'Running' ? p.phase : 'not Ready'})`;
  });
  return `the ${pods.length === 1 ? 'pod' : `${pods.length} pods`} its selector ${selector} matches ${pods.length === 1 ? 'is' : 'are'} not ready (${few(states)}): an endpoint that is not ready gets no traffic from kube-proxy`;
}

