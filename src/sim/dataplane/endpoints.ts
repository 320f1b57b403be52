// Which pods back a Service port: the EndpointSlice controller's answer.
// A pod is an endpoint when the selector matches its labels and the targetPort
// resolves on it: a number always resolves (even if no container declares it:
// the packet is DNATed and then refused at the pod), a name resolves per pod to
// that pod's container port of that name and protocol (pods without it are not
// endpoints). A pod without an address or that has finished is no endpoint; one
// that is not Ready is not a ready one, and kube-proxy sends only to ready ones
// (podStatus.ts). A Service without a selector has the endpoints the file gives
// (endpointSlices.ts).
import type { PodSpec, Scenario, ServicePort, ServiceSpec } from '../model.ts';
import { objectKey, selectorMatches } from '../model.ts';
import { isEndpointCandidate, isReadyEndpoint } from '../podStatus.ts';
import { givenEndpointsOf, servesPort } from './endpointSlices.ts';
import { leftOutPods } from '../scenario/leftOut.ts';
import { KeptAcrossEdits } from './keptAcrossEdits.ts';

export interface Endpoint {
  /** The pod at this address; absent for an address a file's Endpoints give that is no pod podpath models (the API server). */
  pod?: PodSpec;
  ip: string;
  port: number;
}

export function resolveTargetPort(pod: PodSpec, sp: ServicePort): number | undefined {
  if (typeof sp.targetPort === 'number') return sp.targetPort;
  return pod.ports.find((p) => p.name === sp.targetPort && p.protocol === sp.protocol)?.containerPort;
}

/** namespace → `key=value` → pods carrying that label: what a selector lookup starts from. */
const labelIndexes = new WeakMap<Scenario, Map<string, Map<string, PodSpec[]>>>();

function labelIndex(s: Scenario): Map<string, Map<string, PodSpec[]>> {
  let index = labelIndexes.get(s);
  if (index) return index;
  index = new Map();
  for (const pod of s.pods) {
    let byLabel = index.get(pod.namespace);
    if (!byLabel) index.set(pod.namespace, (byLabel = new Map()));
    for (const [k, v] of Object.entries(pod.labels)) {
      const key = `${k}=${v}`;
      const list = byLabel.get(key);
      if (list) list.push(pod);
      else byLabel.set(key, [pod]);
    }
  }
  labelIndexes.set(s, index);
  return index;
}

const scansOf = new WeakMap<Scenario, number>();
const SCANS_BEFORE_INDEX = 8;

/** Pods in the Service's namespace whose labels match its selector, in document order. */
export function selectedPods(s: Scenario, svc: ServiceSpec): PodSpec[] {
  // After an edit only the Services it touched are asked again (keptAcrossEdits.ts):
  // for a few questions a scan of the pods is cheaper than indexing all of them.
  if (!labelIndexes.has(s)) {
    const scans = scansOf.get(s) ?? 0;
    if (scans < SCANS_BEFORE_INDEX) {
      scansOf.set(s, scans + 1);
      // selectorMatches, with the selector read once rather than once per pod, and
      // plain loops: a callback per pod was most of the garbage an edit left.
      const keys = Object.keys(svc.selector);
      if (keys.length === 0) return [];
      const values = keys.map((k) => svc.selector[k]);
      const selected: PodSpec[] = [];
      for (let p = 0; p < s.pods.length; p++) {
        const pod = s.pods[p];
        if (pod.namespace !== svc.namespace) continue;
        let all = true;
        for (let i = 0; i < keys.length && all; i++) all = pod.labels[keys[i]] === values[i];
        if (all) selected.push(pod);
      }
      return selected;
    }
  }
  const byLabel = labelIndex(s).get(svc.namespace);
  const keys = Object.entries(svc.selector).map(([k, v]) => `${k}=${v}`);
  if (!byLabel || keys.length === 0) return [];
  // Start from the rarest label of the selector, then check the others.
  let smallest: PodSpec[] | undefined;
  for (const key of keys) {
    const list = byLabel.get(key) ?? [];
    if (!smallest || list.length < smallest.length) smallest = list;
  }
  // A one-label selector (most Services): every pod under that label matches it.
  if (keys.length === 1) return (smallest ?? []).slice();
  return (smallest ?? []).filter((pod) => selectorMatches(svc.selector, pod.labels));
}

/**
 * The ready endpoints of one Service port, in the order kube-proxy writes them (by IP:port).
 * Kept across edits (see keptAcrossEdits.ts): the list is shared, never change it.
 */
export function endpointsOf(s: Scenario, svc: ServiceSpec, sp: ServicePort): Endpoint[] {
  return keptEndpoints.get(s, svc, sp, () => computeEndpoints(s, svc, sp));
}
const keptEndpoints = new KeptAcrossEdits<Endpoint[]>();

function computeEndpoints(s: Scenario, svc: ServiceSpec, sp: ServicePort): Endpoint[] {
  const out: Endpoint[] = Object.keys(svc.selector).length === 0 ? givenEndpointsOf(s, svc, sp) : [];
  for (const pod of selectedPods(s, svc)) {
    if (!isEndpointCandidate(pod) || !isReadyEndpoint(svc, pod)) continue;
    const port = resolveTargetPort(pod, sp);
    if (port !== undefined) out.push({ pod, ip: pod.podIP!, port });
  }
  if (out.length < 2) return out;
  const keyed = out.map((e) => ({ e, k: endpointString(e) }));
  keyed.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
  return keyed.map((x) => x.e);
}

export const endpointString = (e: Endpoint) => `${e.ip}:${e.port}`;

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

/** How a trace names an endpoint it could pick: its pod's `namespace/name`, or its address when it is no pod podpath models. */
export const endpointKey = (e: Endpoint) => (e.pod ? objectKey(e.pod) : endpointString(e));

/** kube-proxy's ServicePortName: `namespace/name:portName` (no `:` when the port has no name). */
export function servicePortName(svc: ServiceSpec, sp: ServicePort): string {
  return `${objectKey(svc)}${sp.name ? `:${sp.name}` : ''}`;
}
