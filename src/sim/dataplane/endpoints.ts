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
import { givenEndpointsOf } from './endpointSlices.ts';
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

/** The endpoints whose pod runs on `node`: what a traffic policy Local keeps (kube-proxy's and Cilium's alike). */
export function onNode(endpoints: readonly Endpoint[], node: string): Endpoint[] {
  return endpoints.filter((e) => e.pod?.nodeName === node);
}

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

/** How a trace names an endpoint it could pick: its pod's `namespace/name`, or its address when it is no pod podpath models. */
export const endpointKey = (e: Endpoint) => (e.pod ? objectKey(e.pod) : endpointString(e));

/** kube-proxy's ServicePortName: `namespace/name:portName` (no `:` when the port has no name). */
export function servicePortName(svc: ServiceSpec, sp: ServicePort): string {
  return `${objectKey(svc)}${sp.name ? `:${sp.name}` : ''}`;
}
