// A dump's EndpointSlices (discovery.k8s.io/v1) and v1 Endpoints: for a Service
// without a selector they are its endpoints (kept by hand, or by the API server for
// default/kubernetes), used as they are; for a Service with one they are what the
// EndpointSlice controller computed, held against podpath's own computation, and a
// difference is said, naming both.
import type { GivenEndpoint, Protocol, Scenario, ServiceSpec } from '../model.ts';
import type { PodpathWarning } from '../errors.ts';
import { addressProblem } from '../ipam/addresses.ts';
import { resolveTargetPort, selectedPods } from '../dataplane/endpoints.ts';
import { isEndpointCandidate, isReadyEndpoint } from '../podStatus.ts';
import { servesPort } from '../dataplane/endpointSlices.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);

/** The endpoints one document gives for one Service. */
export interface GivenSlice {
  namespace: string;
  service: string;
  kind: 'EndpointSlice' | 'Endpoints';
  endpoints: GivenEndpoint[];
}

type Problem = (field: string, reason: string) => void;

interface Port {
  name: string;
  port: number;
  protocol: Protocol;
}

function readPorts(ports: Obj[], field: string, problem: Problem): Port[] {
  const out: Port[] = [];
  ports.forEach((p, i) => {
    if (typeof p.port !== 'number' || !Number.isInteger(p.port) || p.port < 1 || p.port > 65535) {
      problem(`${field}[${i}].port`, `must be a port number 1-65535, got ${JSON.stringify(p.port)}`);
      return;
    }
    const protocol = p.protocol ?? 'TCP';
    if (protocol !== 'TCP' && protocol !== 'UDP') {
      problem(`${field}[${i}].protocol`, `must be TCP or UDP (podpath models no other), got ${JSON.stringify(p.protocol)}`);
      return;
    }
    out.push({ name: typeof p.name === 'string' ? p.name : '', port: p.port, protocol });
  });
  return out;
}

function address(ip: unknown, field: string, problem: Problem): string | undefined {
  if (typeof ip !== 'string') {
    problem(field, `must be an IPv4 address, got ${JSON.stringify(ip)}`);
    return undefined;
  }
  const bad = addressProblem(ip);
  if (bad) problem(field, bad);
  return bad ? undefined : ip;
}

/**
 * An EndpointSlice: its Service is the label kubernetes.io/service-name. IPv6 and
 * FQDN slices are left out (`skipped` is told): podpath models IPv4 only.
 */
export function readEndpointSlice(doc: Obj, problem: Problem, skipped: (why: string) => void): GivenSlice | undefined {
  const meta = isObj(doc.metadata) ? doc.metadata : {};
  const labels = isObj(meta.labels) ? meta.labels : {};
  const service = labels['kubernetes.io/service-name'];
  if (typeof service !== 'string' || !service) return undefined;
  const namespace = typeof meta.namespace === 'string' && meta.namespace ? meta.namespace : 'default';
  if (doc.addressType !== 'IPv4') {
    skipped(`EndpointSlice ${namespace}/${String(meta.name)} (addressType ${String(doc.addressType)}; podpath models IPv4 only)`);
    return undefined;
  }
  const ports = readPorts(list(doc.ports), 'ports', problem);
  const endpoints: GivenEndpoint[] = [];
  list(doc.endpoints).forEach((e, i) => {
    // Consumers use the first address (the API allows one for IPv4 slices).
    const addresses = Array.isArray(e.addresses) ? e.addresses : [];
    const ip = address(addresses[0], `endpoints[${i}].addresses[0]`, problem);
    if (!ip) return;
    const conditions = isObj(e.conditions) ? e.conditions : {};
    // "A nil value should be interpreted as true" (discovery/v1 EndpointConditions.ready).
    const ready = conditions.ready !== false;
    for (const p of ports) endpoints.push({ ip, port: p.port, protocol: p.protocol, portName: p.name, ready });
  });
  return { namespace, service, kind: 'EndpointSlice', endpoints };
}

/** v1 Endpoints: named after its Service; addresses are ready, notReadyAddresses are not. */
export function readEndpoints(doc: Obj, problem: Problem): GivenSlice | undefined {
  const meta = isObj(doc.metadata) ? doc.metadata : {};
  if (typeof meta.name !== 'string' || !meta.name) return undefined;
  const namespace = typeof meta.namespace === 'string' && meta.namespace ? meta.namespace : 'default';
  const endpoints: GivenEndpoint[] = [];
  list(doc.subsets).forEach((subset, si) => {
    const ports = readPorts(list(subset.ports), `subsets[${si}].ports`, problem);
    for (const [key, ready] of [['addresses', true], ['notReadyAddresses', false]] as const) {
      list(subset[key]).forEach((a, ai) => {
        const ip = address(a.ip, `subsets[${si}].${key}[${ai}].ip`, problem);
        if (ip) for (const p of ports) endpoints.push({ ip, port: p.port, protocol: p.protocol, portName: p.name, ready });
      });
    }
  });
  return { namespace, service: meta.name, kind: 'Endpoints', endpoints };
}

const text = (e: { ip: string; port: number; ready: boolean }) => `${e.ip}:${e.port}${e.ready ? '' : ' (not ready)'}`;

/**
 * Give each Service without a selector the endpoints the file lists for it, and say
 * where a Service with one has other endpoints in the file than podpath computes.
 * EndpointSlices are what kube-proxy reads; v1 Endpoints are used where a Service has none.
 */
export function attachGivenEndpoints(s: Scenario, slices: GivenSlice[], warnings: PodpathWarning[]): void {
  const byService = new Map<string, GivenSlice[]>();
  for (const g of slices) {
    const key = `${g.namespace}/${g.service}`;
    const had = byService.get(key);
    if (had) had.push(g);
    else byService.set(key, [g]);
  }
  for (const svc of s.services) {
    const mine = byService.get(`${svc.namespace}/${svc.name}`);
    if (!mine) continue;
    const fromSlices = mine.filter((g) => g.kind === 'EndpointSlice');
    const used = fromSlices.length ? fromSlices : mine;
    const given = used.flatMap((g) => g.endpoints);
    if (Object.keys(svc.selector).length === 0) {
      if (given.length) svc.givenEndpoints = given;
      continue;
    }
    const difference = differs(s, svc, given);
    if (difference) {
      warnings.push({
        code: 'endpoints-differ',
        message: `Service ${svc.namespace}/${svc.name}: the file's ${used[0].kind === 'EndpointSlice' ? 'EndpointSlices list' : 'Endpoints list'} ${difference.given || 'no endpoints'}, but podpath computes ${difference.computed || 'none'} from its selector and the pods in the file; traces follow podpath's computation`,
      });
    }
  }
}

/** The two lists, when the file's endpoints for a Service with a selector are not podpath's. */
function differs(s: Scenario, svc: ServiceSpec, given: GivenEndpoint[]): { given: string; computed: string } | undefined {
  const pods = selectedPods(s, svc);
  // A pod the file gives no address cannot be compared (podpath will make one up).
  if (pods.some((p) => p.podIP === undefined && p.phase === undefined)) return undefined;
  const computed: string[] = [];
  const theirs: string[] = [];
  for (const sp of svc.ports) {
    for (const pod of pods) {
      if (!isEndpointCandidate(pod)) continue;
      const port = resolveTargetPort(pod, sp);
      if (port !== undefined) computed.push(text({ ip: pod.podIP!, port, ready: isReadyEndpoint(svc, pod) }));
    }
    for (const e of given) if (servesPort(e, sp)) theirs.push(text(e));
  }
  const a = [...new Set(theirs)].sort();
  const b = [...new Set(computed)].sort();
  if (a.length === b.length && a.every((x, i) => x === b[i])) return undefined;
  return { given: a.join(', '), computed: b.join(', ') };
}
