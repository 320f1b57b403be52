// The ends of a trace request: what a person asked ("from pod/default/client to
// service/default/web:80") resolved against the cluster, without walking the packet
// (./index.ts walks it). The playground asks whether a packet's ends still exist on
// every change; the walk itself loads only once a packet is sent.
import type { Dataplane } from '../dataplane/compile.ts';
import { EXTERNAL } from '../dataplane/compile.ts';
import { endpointKey, endpointsOf } from '../dataplane/endpoints.ts';
import { hasGivenEndpoints } from '../dataplane/endpointSlices.ts';
import { noAddressText, wantsAddress } from '../podStatus.ts';
import { fail, ok, type PodpathIssue, type Result } from '../errors.ts';
import { addressProblem } from '../ipam/addresses.ts';
import { externalClientIP, kubernetesServiceIP } from '../ipam/index.ts';
import { objectKey, type PodSpec, type Scenario, type ServiceSpec } from '../model.ts';
import { leftOutPods } from '../scenario/leftOut.ts';
import { serviceTypos } from '../scenario/serviceTypos.ts';
import type { BridgeSettings } from './walk.ts';
import type { TraceDestination, TraceRequest, TraceSource } from './types.ts';

/** The ephemeral source port the client's socket uses (Linux picks one in 32768-60999). */
export const CLIENT_PORT = 43512;

export interface TraceOptions {
  /**
   * Which endpoint a Service's `-m statistic` rules pick on this walk (0-based, in
   * kube-proxy's order). The kernel picks at random; a trace follows one outcome.
   */
  endpointIndex?: number;
  /**
   * The nodes' bridge settings (default: hairpin mode on every cni0 port, as the
   * bridge plugin sets it for flannel, and bridge-nf-call-iptables=1, as kubeadm
   * requires). Switching one off shows what depends on it; the kernel differential
   * does the same in real namespaces.
   */
  bridge?: Partial<BridgeSettings>;
}

export { TRACE_SIZE_MAX, TRACE_SIZE_MIN } from './types.ts';

export const requestIssue = (field: string, reason: string): PodpathIssue => ({ document: 'trace', field, reason });
/** The request names something the cluster does not hold (code acts on this one: a saved packet whose end is gone is let go). */
const missing = (field: string, reason: string): PodpathIssue => ({ document: 'trace', field, reason, code: 'no-such-object' });

const API_SERVER_NOT_MODELLED =
  "default/kubernetes leads to the API server, whose endpoints are kept by hand outside any selector; podpath does not model the API server, so it cannot say where this packet goes";

/** No such pod: or one the file holds but podpath does not draw (leftOut.ts), and where to send instead. */
function missingPod(s: Scenario, field: '--from' | '--to', namespace: string, name: string, port?: number): PodpathIssue {
  const left = leftOutPods.get(s)?.get(`${namespace}/${name}`);
  if (left?.reason === 'host-network') {
    const instead = left.nodeName ? `${field} node/${left.nodeName}${port !== undefined ? `:${port}` : ''}` : `${field} node/NAME for the node it runs on`;
    return missing(field, `pod ${namespace}/${name} is a hostNetwork pod: it has no netns or address of its own but uses its node's, so podpath draws it as its node; use ${instead}`);
  }
  if (left?.reason === 'unscheduled') return missing(field, `pod ${namespace}/${name} is Pending and no node runs it yet (no spec.nodeName), so it has no address and no packet can ${field === '--from' ? 'leave' : 'reach'} it`);
  return missing(field, `no pod ${namespace}/${name}`);
}

function findPod(s: Scenario, namespace: string, name: string): PodSpec | undefined {
  return s.pods.find((p) => p.namespace === namespace && p.name === name);
}

/** A pod with no address (Pending without one, or finished: released) has no socket to send from or to. */
function addresslessPod(pod: PodSpec, field: '--from' | '--to'): PodpathIssue | undefined {
  // A pod IPAM gives an address always has one once allocated (one without is a bug, not a state to report).
  if (pod.podIP || wantsAddress(pod)) return undefined;
  return requestIssue(field, `pod ${objectKey(pod)} has no address: ${noAddressText(pod)}`);
}

/**
 * A Service without a selector: its endpoints are kept by hand. When the file gives
 * them (a dump's EndpointSlices), a trace follows them; when not, podpath cannot say
 * where the packet goes, and says so whether it is asked by name or by ClusterIP.
 */
function selectorlessProblem(svc: ServiceSpec, field: string): PodpathIssue | undefined {
  if (Object.keys(svc.selector).length > 0 || hasGivenEndpoints(svc)) return undefined;
  const who = svc.namespace === 'default' && svc.name === 'kubernetes' ? ' (for default/kubernetes: the API server)' : '';
  // No selector because of a typo (`selecter:`): that is the thing to fix, not the endpoints.
  const typo = serviceTypos.get(svc)?.find((f) => f.didYouMean === 'selector');
  if (typo) return requestIssue(field, `Service ${objectKey(svc)} has no selector: its document has ${typo.path}, which Kubernetes does not know (did you mean selector?), so podpath read it as a Service without one, whose endpoints are kept by hand, and the input gives none`);
  return requestIssue(
    field,
    `Service ${objectKey(svc)} has no selector: its endpoints are kept by hand${who}, and the input gives none (no EndpointSlice or Endpoints for it), so podpath cannot say where this packet goes; ` +
      `add them to the input (\`kubectl get endpointslices -n ${svc.namespace} -l kubernetes.io/service-name=${svc.name} -o yaml\`)`,
  );
}

/**
 * The external client reaches no ClusterIP (nothing outside routes the Service
 * range); a NodePort Service is reached through a node's address and its nodePort.
 */
function fromOutsideProblem(s: Scenario, svc: ServiceSpec, port: number, protocol: 'TCP' | 'UDP'): PodpathIssue | undefined {
  const sp = svc.ports.find((p) => p.port === port && p.protocol === protocol);
  const node = s.nodes[0];
  if (svc.type !== 'NodePort' || !sp?.nodePort || !node) return undefined;
  return requestIssue('--to', `the external client cannot reach Service ${objectKey(svc)}'s ClusterIP ${svc.clusterIP} (nothing outside the cluster routes the Service range); its port ${port} has nodePort ${sp.nodePort} on every node, so send there instead: --to node/${node.name}:${sp.nodePort} (any node works)`);
}

interface ResolvedSource {
  netns: string;
  ip: string;
  label: string;
}

export function resolveSource(dp: Dataplane, from: TraceSource): Result<ResolvedSource> {
  const s = dp.scenario;
  switch (from.kind) {
    case 'pod': {
      const pod = findPod(s, from.namespace, from.name);
      if (!pod) return fail([missingPod(s, '--from', from.namespace, from.name)]);
      const none = addresslessPod(pod, '--from');
      if (none) return fail([none]);
      return ok({ netns: objectKey(pod), ip: pod.podIP!, label: `pod ${objectKey(pod)}` });
    }
    case 'deployment': {
      // A Deployment's pod that has an address (a dump's may be Pending or finished).
      const pod = s.pods.find((p) => p.namespace === from.namespace && p.ownerKind === 'Deployment' && p.ownerName === from.name && p.podIP);
      if (!pod) return fail([missing('--from', `no Deployment ${from.namespace}/${from.name} with pods`)]);
      return ok({ netns: objectKey(pod), ip: pod.podIP!, label: `pod ${objectKey(pod)}` });
    }
    case 'node': {
      const node = dp.nodeOf(from.name);
      if (!node) return fail([missing('--from', `no node ${from.name}`)]);
      return ok({ netns: node.name, ip: '', label: `node ${node.name}` });
    }
    case 'external':
      return ok({ netns: EXTERNAL, ip: externalClientIP(s.cluster.nodeNetwork), label: 'the external client' });
  }
}

interface ResolvedDestination {
  ip: string;
  port: number;
  candidates: string[];
}

export function resolveDestination(dp: Dataplane, to: TraceDestination, proto: 'tcp' | 'udp', from?: TraceSource): Result<ResolvedDestination> {
  const s = dp.scenario;
  const protocol = proto === 'tcp' ? 'TCP' : 'UDP';
  const serviceCandidates = (ns: string, name: string, port: number) => {
    const svc = s.services.find((v) => v.namespace === ns && v.name === name);
    const sp = svc?.ports.find((p) => p.port === port && p.protocol === protocol);
    return svc && sp ? endpointsOf(s, svc, sp).map(endpointKey) : [];
  };
  const nodeCandidates = (nodeName: string | undefined, port: number) => {
    for (const svc of s.services) {
      const sp = svc.type === 'NodePort' ? svc.ports.find((p) => p.nodePort === port && p.protocol === protocol) : undefined;
      if (sp) return endpointsOf(s, svc, sp).map(endpointKey);
    }
    const hostPortPod = nodeName ? dp.podsOn(nodeName).find((p) => p.ports.some((x) => x.hostPort === port && x.protocol === protocol)) : undefined;
    return hostPortPod ? [objectKey(hostPortPod)] : [];
  };
  switch (to.kind) {
    case 'pod': {
      const pod = findPod(s, to.namespace, to.name);
      if (!pod) return fail([missingPod(s, '--to', to.namespace, to.name, to.port)]);
      const none = addresslessPod(pod, '--to');
      if (none) return fail([none]);
      return ok({ ip: pod.podIP!, port: to.port, candidates: [objectKey(pod)] });
    }
    case 'service': {
      const svc = s.services.find((v) => v.namespace === to.namespace && v.name === to.name);
      if (!svc && to.namespace === 'default' && to.name === 'kubernetes') return fail([requestIssue('--to', API_SERVER_NOT_MODELLED)]);
      if (!svc) return fail([missing('--to', `no Service ${to.namespace}/${to.name}`)]);
      if (!svc.clusterIP || svc.clusterIP === 'None') return fail([requestIssue('--to', `Service ${to.namespace}/${to.name} is headless (clusterIP: None): there is no virtual IP to send to`)]);
      const handKept = selectorlessProblem(svc, '--to');
      if (handKept) return fail([handKept]);
      const outside = from?.kind === 'external' ? fromOutsideProblem(s, svc, to.port, protocol) : undefined;
      if (outside) return fail([outside]);
      return ok({ ip: svc.clusterIP, port: to.port, candidates: serviceCandidates(svc.namespace, svc.name, to.port) });
    }
    case 'node': {
      const node = dp.nodeOf(to.name);
      if (!node) return fail([missing('--to', `no node ${to.name}`)]);
      return ok({ ip: node.internalIP!, port: to.port, candidates: nodeCandidates(node.name, to.port) });
    }
    case 'ip': {
      const problem = addressProblem(to.ip);
      if (problem) return fail([requestIssue('--to', problem)]);
      const pod = s.pods.find((p) => p.podIP === to.ip);
      const svc = s.services.find((v) => v.clusterIP === to.ip);
      if (!svc && to.ip === kubernetesServiceIP(s.cluster.serviceCIDR)) return fail([requestIssue('--to', `${to.ip} is the default/kubernetes Service's address: ${API_SERVER_NOT_MODELLED}`)]);
      // By ClusterIP, the same answer as by name.
      const handKept = svc ? selectorlessProblem(svc, '--to') : undefined;
      if (handKept) return fail([handKept]);
      // A node answers on every address it holds (eth0, cni0's gateway, flannel.1), and
      // a node's own 127.0.0.1 is itself: NodePorts and hostPorts work there too.
      const owner = to.ip.startsWith('127.') ? (from?.kind === 'node' ? from.name : undefined) : dp.ownerOf(to.ip)?.netns;
      const node = owner === undefined ? undefined : dp.nodeOf(owner);
      const candidates = pod ? [objectKey(pod)] : svc ? serviceCandidates(svc.namespace, svc.name, to.port) : node ? nodeCandidates(node.name, to.port) : [];
      return ok({ ip: to.ip, port: to.port, candidates });
    }
  }
}

/** The ends of a request that name something the cluster does not hold (empty: both exist). */
export function missingEnds(dp: Dataplane, req: TraceRequest): PodpathIssue[] {
  const from = resolveSource(dp, req.from);
  const to = resolveDestination(dp, req.to, req.proto, req.from);
  return [...(from.ok ? [] : from.issues), ...(to.ok ? [] : to.issues)].filter((i) => i.code === 'no-such-object');
}
