// trace: resolve what a person asked ("from pod/default/client to service/default/web:80")
// into a packet, walk it there and, when it arrives, walk the reply back.
import type { Dataplane } from '../dataplane/compile.ts';
import { EXTERNAL } from '../dataplane/compile.ts';
import { endpointsOf } from '../dataplane/endpoints.ts';
import { fail, ok, type PodpathIssue, type Result } from '../errors.ts';
import { addressProblem } from '../ipam/addresses.ts';
import { externalClientIP, kubernetesServiceIP } from '../ipam/index.ts';
import { objectKey, type PodSpec, type Scenario } from '../model.ts';
import { NODE_DEFAULTS, PacketWalk, type BridgeSettings } from './walk.ts';
import type { Trace, TraceDestination, TraceRequest, TraceSource } from './types.ts';

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

const requestIssue = (field: string, reason: string): PodpathIssue => ({ document: 'trace', field, reason });
/** The request names something the cluster does not hold (code acts on this one: a saved packet whose end is gone is let go). */
const missing = (field: string, reason: string): PodpathIssue => ({ document: 'trace', field, reason, code: 'no-such-object' });

const API_SERVER_NOT_MODELLED =
  "default/kubernetes leads to the API server, whose endpoints are kept by hand outside any selector; podpath does not model the API server, so it cannot say where this packet goes";

function findPod(s: Scenario, namespace: string, name: string): PodSpec | undefined {
  return s.pods.find((p) => p.namespace === namespace && p.name === name);
}

interface ResolvedSource {
  netns: string;
  ip: string;
  label: string;
}

function resolveSource(dp: Dataplane, from: TraceSource): Result<ResolvedSource> {
  const s = dp.scenario;
  switch (from.kind) {
    case 'pod': {
      const pod = findPod(s, from.namespace, from.name);
      if (!pod) return fail([missing('--from', `no pod ${from.namespace}/${from.name}`)]);
      return ok({ netns: objectKey(pod), ip: pod.podIP!, label: `pod ${objectKey(pod)}` });
    }
    case 'deployment': {
      const pod = s.pods.find((p) => p.namespace === from.namespace && p.ownerKind === 'Deployment' && p.ownerName === from.name);
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

function resolveDestination(dp: Dataplane, to: TraceDestination, proto: 'tcp' | 'udp', from?: TraceSource): Result<ResolvedDestination> {
  const s = dp.scenario;
  const protocol = proto === 'tcp' ? 'TCP' : 'UDP';
  const serviceCandidates = (ns: string, name: string, port: number) => {
    const svc = s.services.find((v) => v.namespace === ns && v.name === name);
    const sp = svc?.ports.find((p) => p.port === port && p.protocol === protocol);
    return svc && sp ? endpointsOf(s, svc, sp).map((e) => objectKey(e.pod)) : [];
  };
  const nodeCandidates = (nodeName: string | undefined, port: number) => {
    for (const svc of s.services) {
      const sp = svc.type === 'NodePort' ? svc.ports.find((p) => p.nodePort === port && p.protocol === protocol) : undefined;
      if (sp) return endpointsOf(s, svc, sp).map((e) => objectKey(e.pod));
    }
    const hostPortPod = nodeName ? dp.podsOn(nodeName).find((p) => p.ports.some((x) => x.hostPort === port && x.protocol === protocol)) : undefined;
    return hostPortPod ? [objectKey(hostPortPod)] : [];
  };
  switch (to.kind) {
    case 'pod': {
      const pod = findPod(s, to.namespace, to.name);
      if (!pod) return fail([missing('--to', `no pod ${to.namespace}/${to.name}`)]);
      return ok({ ip: pod.podIP!, port: to.port, candidates: [objectKey(pod)] });
    }
    case 'service': {
      const svc = s.services.find((v) => v.namespace === to.namespace && v.name === to.name);
      if (!svc && to.namespace === 'default' && to.name === 'kubernetes') return fail([requestIssue('--to', API_SERVER_NOT_MODELLED)]);
      if (!svc) return fail([missing('--to', `no Service ${to.namespace}/${to.name}`)]);
      if (!svc.clusterIP || svc.clusterIP === 'None') return fail([requestIssue('--to', `Service ${to.namespace}/${to.name} is headless (clusterIP: None): there is no virtual IP to send to`)]);
      if (Object.keys(svc.selector).length === 0) {
        const who = svc.namespace === 'default' && svc.name === 'kubernetes' ? ' (for default/kubernetes: the API server)' : '';
        return fail([requestIssue('--to', `Service ${to.namespace}/${to.name} has no selector: its endpoints are kept by hand${who}, and podpath does not model them, so it cannot say where this packet goes`)]);
      }
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

/** Walk one packet from a source to a destination, and its reply back when it arrives. */
export function trace(dp: Dataplane, req: TraceRequest, opts: TraceOptions = {}): Result<Trace> {
  const from = resolveSource(dp, req.from);
  const to = resolveDestination(dp, req.to, req.proto, req.from);
  if (!from.ok || !to.ok) return fail([...(from.ok ? [] : from.issues), ...(to.ok ? [] : to.issues)]);
  const pick = opts.endpointIndex ?? 0;
  const choices = Math.max(1, to.value.candidates.length);
  if (pick >= choices) {
    return fail([requestIssue('--endpoint', `${pick} is out of range: this path has ${choices === 1 ? 'one endpoint (0)' : `${choices} endpoints (0-${choices - 1})`}`)]);
  }
  const choose = (_chain: string, index: number) => index === pick;
  const settings = { ...NODE_DEFAULTS, ...opts.bridge };
  const walk = new PacketWalk(dp, { src: from.value.ip, sport: CLIENT_PORT, dst: to.value.ip, dport: to.value.port, proto: req.proto, mark: 0 }, choose, [], false, settings);
  const end = walk.send(from.value.netns);
  // What the client's socket is connected to: the first packet's destination, as it sent it.
  const sent = walk.hops[0]?.packet.dst ?? '';
  const answeredByPod = end.kind !== 'dropped' && dp.podOf(end.netns) !== undefined;
  const result: Trace = {
    verdict: end.kind,
    reason: end.reason,
    code: end.code,
    ...(answeredByPod ? { endpoint: end.netns } : {}),
    candidates: to.value.candidates,
    hops: walk.hops,
    reply: [],
    learned: walk.memory.learned,
  };
  // A TCP port with nothing listening answers with a RST, which goes back along the
  // path (not walked here): as the connection's only answer, it makes conntrack delete
  // every TCP entry of the connection at once.
  if (end.kind === 'refused' && end.code === 'port-closed' && req.proto === 'tcp') walk.memory.reset();
  if (end.kind === 'delivered') {
    // The reply: from the socket that accepted, to the address it saw as the source.
    const p = walk.packet;
    const colon = sent.lastIndexOf(':');
    const expect = { src: sent.slice(0, colon), sport: Number(sent.slice(colon + 1)) };
    const back = new PacketWalk(dp, { src: p.dst, sport: p.dport, dst: p.src, dport: p.sport, proto: req.proto, mark: 0 }, choose, walk.connections, true, settings, expect, walk.memory);
    const replyEnd = back.send(end.netns);
    result.reply = back.hops;
    result.replyCode = replyEnd.code;
    if (replyEnd.kind !== 'delivered') {
      // The request arrived, but the client hears nothing: to it, the connection times out.
      result.verdict = 'dropped';
      result.reason += `; but the reply is ${replyEnd.kind}: ${replyEnd.reason}`;
    }
  }
  return ok(result);
}

/** Parse `pod/NS/NAME`, `deployment/NS/NAME`, `node/NAME` or `external`. */
export function parseSource(text: string): Result<TraceSource> {
  const parts = text.split('/');
  if (text === 'external') return ok({ kind: 'external' });
  if ((parts[0] === 'pod' || parts[0] === 'deployment') && parts.length === 3 && parts[1] && parts[2]) return ok({ kind: parts[0], namespace: parts[1], name: parts[2] });
  if ((parts[0] === 'pod' || parts[0] === 'deployment') && parts.length === 2 && parts[1]) return ok({ kind: parts[0], namespace: 'default', name: parts[1] });
  if (parts[0] === 'node' && parts.length === 2 && parts[1]) return ok({ kind: 'node', name: parts[1] });
  return fail([requestIssue('--from', `"${text}" is not a source: use pod/NAMESPACE/NAME, deployment/NAMESPACE/NAME, node/NAME or external`)]);
}

/** Parse `pod/NS/NAME:PORT`, `service/NS/NAME:PORT`, `node/NAME:PORT` or `IP:PORT`. */
export function parseDestination(text: string): Result<TraceDestination> {
  const usage = `"${text}" is not a destination: use pod/NAMESPACE/NAME:PORT, service/NAMESPACE/NAME:PORT, node/NAME:PORT or IP:PORT`;
  const colon = text.lastIndexOf(':');
  if (colon < 0) return fail([requestIssue('--to', `${usage} (the port is missing)`)]);
  const port = Number(text.slice(colon + 1));
  if (!Number.isInteger(port) || port < 1 || port > 65535) return fail([requestIssue('--to', `port "${text.slice(colon + 1)}" must be a number 1-65535`)]);
  const target = text.slice(0, colon);
  const parts = target.split('/');
  if ((parts[0] === 'pod' || parts[0] === 'service' || parts[0] === 'svc') && parts.length === 3 && parts[1] && parts[2]) {
    return ok({ kind: parts[0] === 'svc' ? 'service' : parts[0], namespace: parts[1], name: parts[2], port });
  }
  if ((parts[0] === 'pod' || parts[0] === 'service' || parts[0] === 'svc') && parts.length === 2 && parts[1]) {
    return ok({ kind: parts[0] === 'svc' ? 'service' : parts[0], namespace: 'default', name: parts[1], port });
  }
  if (parts[0] === 'node' && parts.length === 2 && parts[1]) return ok({ kind: 'node', name: parts[1], port });
  if (parts.length === 1 && !addressProblem(target)) return ok({ kind: 'ip', ip: target, port });
  return fail([requestIssue('--to', usage)]);
}
