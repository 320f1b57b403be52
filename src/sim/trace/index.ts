// trace: resolve what a person asked ("from pod/default/client to service/default/web:80")
// into a packet, walk it there and, when it arrives, walk the reply back.
import { tracePolicy } from './policy.ts';
import type { Dataplane } from '../dataplane/compile.ts';
import { fail, ok, type Result } from '../errors.ts';
import { addressProblem } from '../ipam/addresses.ts';
import { NODE_DEFAULTS, PacketWalk } from './walk.ts';
import type { Trace, TraceDestination, TraceRequest, TraceSource } from './types.ts';
import { markModelled } from './modelled.ts';
import { cniOf } from '../cni/index.ts';
import { endpointsOf } from '../dataplane/endpoints.ts';
import { policiesSelecting } from '../policy/selector.ts';
import { CLIENT_PORT, requestIssue, resolveDestination, resolveSource, type TraceOptions } from './ends.ts';
import { TRACE_SIZE_MAX, TRACE_SIZE_MIN } from './types.ts';

export { CLIENT_PORT, missingEnds, TRACE_SIZE_MAX, TRACE_SIZE_MIN, type TraceOptions } from './ends.ts';

/** Walk one packet from a source to a destination, and its reply back when it arrives. */
export function trace(dp: Dataplane, req: TraceRequest, opts: TraceOptions = {}): Result<Trace> {
  const from = resolveSource(dp, req.from);
  const to = resolveDestination(dp, req.to, req.proto, req.from);
  if (!from.ok || !to.ok) return fail([...(from.ok ? [] : from.issues), ...(to.ok ? [] : to.issues)]);
  if (req.size !== undefined) {
    if (req.proto !== 'udp') return fail([requestIssue('--size', 'a size is for UDP (--proto udp): TCP fits its segments to the path itself (its MSS comes from the MTU at each end), so a TCP segment is never bigger than the path')]);
    if (!Number.isInteger(req.size) || req.size < TRACE_SIZE_MIN || req.size > TRACE_SIZE_MAX) return fail([requestIssue('--size', `must be a whole number of bytes ${TRACE_SIZE_MIN}-${TRACE_SIZE_MAX} (the IP packet's total length: 20 of IP header, 8 of UDP, the rest payload), got ${req.size}`)]);
  }
  const unmodelled = unmodelledPath(dp, to.value.ip, to.value.port, req.proto, dp.netns(from.value.netns)?.kind, from.value.ip);
  if (unmodelled) return fail([requestIssue('--to', unmodelled)]);
  const pick = opts.endpointIndex ?? 0;
  const choices = Math.max(1, to.value.candidates.length);
  if (pick >= choices) {
    return fail([requestIssue('--endpoint', `${pick} is out of range: this path has ${choices === 1 ? 'one endpoint (0)' : `${choices} endpoints (0-${choices - 1})`}`)]);
  }
  const choose = (_chain: string, index: number) => index === pick;
  const settings = { ...NODE_DEFAULTS, ...opts.bridge };
  const walk = new PacketWalk(dp, { src: from.value.ip, sport: CLIENT_PORT, dst: to.value.ip, dport: to.value.port, proto: req.proto, mark: 0, ...(req.size !== undefined ? { size: req.size } : {}) }, choose, [], false, settings);
  const end = walk.send(from.value.netns);
  // Where kube-proxy picked, the endpoints its chain holds on that node: all of the Service's,
  // or, under a Local traffic policy, that node's alone.
  const candidates = walk.pickedFrom ?? to.value.candidates;
  if (pick >= Math.max(1, candidates.length)) {
    return fail([requestIssue('--endpoint', `${pick} is out of range: on this path kube-proxy picks from ${candidates.length === 1 ? 'one endpoint (0)' : `${candidates.length} endpoints (0-${candidates.length - 1})`}`)]);
  }
  // What the client's socket is connected to: the first packet's destination, as it sent it
  // (or, where socket-LB rewrote the connect, the backend it connected the socket to).
  const sent = walk.connectedTo ? `${walk.connectedTo.src}:${walk.connectedTo.sport}` : (walk.hops[0]?.packet.dst ?? '');
  const answeredByPod = (end.kind === 'delivered' || end.kind === 'refused') && dp.podOf(end.netns) !== undefined;
  const result: Trace = {
    verdict: end.kind,
    reason: end.reason,
    code: end.code,
    ...(answeredByPod ? { endpoint: end.netns } : {}),
    candidates,
    ...(candidates.length > 1 ? { pickedBy: walk.hops.find((h) => h.ebpf?.decision === 'service-dnat' || h.ebpf?.decision === 'nodeport-dnat' || h.ebpf?.decision === 'nodeport-snat')?.ebpf?.program ?? (walk.connectedTo ? 'socket-LB' : 'kube-proxy') } : {}),
    ...(req.size !== undefined ? { size: req.size } : {}),
    ...(end.kind === 'dropped' && 'mtu' in end && end.mtu !== undefined ? { mtu: end.mtu } : {}),
    hops: walk.hops,
    reply: [],
    learned: walk.memory.learned,
    chainWalks: walk.chainWalks,
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
    // The reply's own nat walks: only its tunnel's outer packets (new flows to conntrack).
    if (back.chainWalks.length) result.chainWalks = [...walk.chainWalks, ...back.chainWalks];
    if (replyEnd.kind !== 'delivered') {
      // The request arrived, but the client hears nothing: to it, the connection times out.
      result.verdict = 'dropped';
      result.reason += `; but the reply is ${replyEnd.kind}: ${replyEnd.reason}`;
    }
  }
  const policy = tracePolicy(dp, result);
  if (policy) result.policy = policy;
  markModelled(dp, result);
  return ok(result);
}

/**
 * A path podpath does not model, said instead of a wrong trace: with an eBPF datapath
 * (Cilium), a node's NodePort and hostPort are served by its programs (bpf_host.c's
 * NodePort with kubeProxyReplacement; hostPort needs a chained portmap or the
 * replacement), which podpath does not model yet.
 */
function unmodelledPath(dp: Dataplane, ip: string, port: number, proto: 'tcp' | 'udp', fromKind: string | undefined, fromIp: string | undefined): string | undefined {
  const cni = cniOf(dp.scenario.cluster);
  if (!cni.ebpf) return undefined;
  const protocol = proto.toUpperCase();
  // Per-packet load balancing (no socket-LB) to a Service the sending pod backs itself: where lb4_local picks the
  // sender, it SNATs the packet to IPV4_LOOPBACK (169.254.42.1) so the pod can answer itself, which podpath does not model yet.
  if (!cni.ebpf.socketLb && fromKind === 'pod') {
    const svc = dp.scenario.services.find((v) => v.clusterIP === ip && v.ports.some((x) => x.port === port && x.protocol === protocol));
    const sp = svc?.ports.find((x) => x.port === port && x.protocol === protocol);
    if (svc && sp && endpointsOf(dp.scenario, svc, sp).some((e) => e.ip === fromIp)) {
      return `${ip}:${port} is Service ${svc.namespace}/${svc.name}'s ClusterIP, and the sending pod is one of its backends: with Cilium and kubeProxyReplacement false, the pod's program may pick the pod itself, and then SNATs the packet to 169.254.42.1 (IPV4_LOOPBACK, lb4_local's loopback) so that the pod can answer itself, which podpath does not model yet; trace from another pod, or with \`cilium: {kubeProxyReplacement: true}\` (socket-LB)`;
    }
  }

  const owner = dp.ownerOf(ip);
  const node = owner && dp.nodeOf(owner.netns) ? owner.netns : ip.startsWith('127.') ? 'the node' : undefined;
  if (!node) return undefined;
  const nodePort = dp.scenario.services.find((v) => v.ports.some((x) => x.nodePort === port && x.protocol === protocol));
  // A socket in a pod or a node connecting to a node's address: socket-LB translates the NodePort inside connect() (walk.ts socketLbPick).
  const toNode = dp.scenario.nodes.some((n) => n.internalIP === ip);
  const bySocketLb = cni.ebpf.socketLb !== undefined && (fromKind === 'pod' || fromKind === 'node') && toNode;
  // From outside, to a node's address: nodeport_lb4 in cil_from_netdev (DNAT to a local backend; with
  // externalTrafficPolicy Cluster, DNAT and SNAT to one on another node; or ICMP reject).
  const byNodePort = cni.ebpf.socketLb !== undefined && fromKind === 'external' && toNode;
  // Without the replacement a NodePort is kube-proxy's (its rules in the node's stack; Cilium's programs pass or carry what they route).
  if (nodePort && cni.ebpf.socketLb && !bySocketLb && !byNodePort) {
    return `${ip}:${port} is the NodePort of Service ${nodePort.namespace}/${nodePort.name}: with Cilium its eBPF NodePort (bpf_host.c, kubeProxyReplacement) serves it from here, which podpath does not model yet; trace the Service's ClusterIP or a pod instead`;
  }
  // Through the tunnel, a SNATed NodePort request reaches a backend on another node as world
  // (VNI 2: nodeport_add_tunnel_encap), which Cilium's policy matches as the world entity
  // (an ipBlock of 0.0.0.0/0, or a rule with no peers), not as any address: podpath's policy evaluation has no such end.
  // Without the replacement, kube-proxy masquerades such a request (externalTrafficPolicy Cluster, or any
  // from a pod or a node) and the node only forwards it: world to Cilium where its source is that node's own
  // address (resolve_srcid_ipv4), remote-node where it reaches another node natively. Neither is a peer
  // podpath's policy evaluation has, for a backend on any node, from any source.
  const kubeProxyNodePort = !cni.ebpf.socketLb && toNode;
  if (nodePort && (byNodePort || kubeProxyNodePort) && (nodePort.externalTrafficPolicy !== 'Local' || fromKind !== 'external') && (cni.tunnel || kubeProxyNodePort) && dp.scenario.networkPolicies?.length) {
    const sp = nodePort.ports.find((x) => x.nodePort === port && x.protocol === protocol)!;
    const isolated = endpointsOf(dp.scenario, nodePort, sp).find((e) => e.pod && (kubeProxyNodePort || e.pod.nodeName !== node) && policiesSelecting(dp.scenario, e.pod, 'Ingress').length > 0);
    if (isolated?.pod) {
      const how = kubeProxyNodePort ? "kube-proxy masquerades the request and the node only forwards it, so Cilium's programs give it world's identity (2), or remote-node's where it reaches another node natively" : 'a backend on another node gets the request SNATed and tunnelled as world (identity 2)';
      return `${ip}:${port} is the NodePort of Service ${nodePort.namespace}/${nodePort.name}: with Cilium ${how}, and a NetworkPolicy isolates ${isolated.pod.namespace}/${isolated.pod.name} for ingress: how Cilium matches those identities against its rules (world only by an ipBlock of 0.0.0.0/0, or a rule with no peers) is not modelled; trace without the policy${kubeProxyNodePort ? ", or a pod's packet to the Service's ClusterIP" : ', in native routing, or from a pod'}`;
    }
  }
  const hostPort = dp.podsOn(owner?.netns ?? '').find((p) => p.ports.some((x) => x.hostPort === port && x.protocol === protocol));
  if (hostPort) return `${ip}:${port} is a hostPort of pod ${hostPort.namespace}/${hostPort.name}: Cilium's conflist chains no portmap, and its own hostPort support is not modelled yet; trace the pod directly`;
  return undefined;
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
