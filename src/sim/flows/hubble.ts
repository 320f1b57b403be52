// The flows Hubble would show for a traced packet and its reply, in the JSON shape
// `hubble observe -o jsonpb` prints (cilium/cilium api/v1/flow/flow.proto, field names as
// the proto spells them: IP, l4, Type, node_name, is_reply, Summary…). Only Cilium runs
// Hubble: for another CNI there are none to show.
//
// What is modelled, read from Cilium's source (bpf/lib/trace.h, bpf_lxc.c, lib/encap.h;
// pkg/hubble/parser/threefour/parser.go):
//   - With Helm's default monitor aggregation (medium), emit_trace_notify drops every
//     FROM_* observation point and any point without conntrack information, so a
//     connection's first packets are reported where a program sends them on: TO_ENDPOINT
//     (delivered to a pod, by the destination's policy program), TO_OVERLAY (into the
//     tunnel, by the source pod's program, and by bpf_host's NodePort SNAT toward a remote
//     backend), TO_STACK (pass_to_stack, to the node's stack), TO_NETWORK (a NodePort reply
//     bpf_lxc turns back and sends out of the node's device).
//   - Identities are the datapath's: a node's addresses are host (1) on that node and
//     remote-node (6) on the others; a packet out of the tunnel carries its VNI as its
//     source's identity (world, 2, for a NodePort request from outside).
//   - Each is a trace event (MessageTypeTrace, 4, sub_type the trace point), verdict
//     FORWARDED; is_reply from the conntrack state; traffic_direction as Hubble decodes
//     it: EGRESS when the event's endpoint is the packet's source and it is no reply, or
//     is not the source and it is one; else INGRESS.
// Not modelled (said, not guessed): the trace points of the node's own packets (bpf_host),
// of ipv4_host_delivery and of socket-LB (sock trace events), policy verdict events, the
// flow's uuid, ethernet and endpoint workloads. A NetworkPolicy drop is a drop event
// (MessageTypeDrop, 1, sub_type 133), verdict DROPPED, drop_reason_desc POLICY_DENIED;
// podpath_denied_by is podpath's own addition (which policies), not Hubble's. Also not modelled: endpoint IDs are numbered by podpath per
// node (Cilium's allocator picks others); labels are the pod's own and its namespace's.
import type { PodSpec, Scenario } from '../model.ts';
import { objectKey } from '../model.ts';
import { ciliumIdentity, ciliumRouterIP, FROM_CONTAINER, HOST_IDENTITY, LOCAL_NODE_ID, WORLD_IDENTITY } from '../cni/cilium.ts';
import { cniOf } from '../cni/index.ts';
import type { Hop, Trace } from '../trace/types.ts';
import { splitHostPort } from '../trace/address.ts';

/** pkg/monitor/api: MessageTypeTrace, and the trace points' numbers (TraceToLxc…). */
const MESSAGE_TYPE_TRACE = 4;
/** MessageTypeDrop, and DROP_POLICY's reason (bpf/lib/common.h: -133, reported as 133). */
const MESSAGE_TYPE_DROP = 1;
const DROP_POLICY = 133;
const TRACE_POINT = { TO_ENDPOINT: 0, TO_STACK: 3, TO_OVERLAY: 4, TO_NETWORK: 11 } as const;
type ObservationPoint = keyof typeof TRACE_POINT;

export interface HubbleEndpoint {
  ID?: number;
  identity: number;
  namespace?: string;
  labels: string[];
  pod_name?: string;
}

export interface HubbleFlow {
  time: string;
  verdict: 'FORWARDED' | 'DROPPED';
  /** A drop's reason (bpf/lib/common.h DROP_POLICY = 133) and its name in flow.proto's DropReason. */
  drop_reason?: number;
  drop_reason_desc?: 'POLICY_DENIED';
  IP: { source: string; destination: string; ipVersion: 'IPv4' };
  l4: { TCP: { source_port: number; destination_port: number; flags: { SYN: true; ACK?: true } } } | { UDP: { source_port: number; destination_port: number } };
  source: HubbleEndpoint;
  destination: HubbleEndpoint;
  Type: 'L3_L4';
  node_name: string;
  event_type: { type: number; sub_type?: number };
  traffic_direction: 'INGRESS' | 'EGRESS';
  /** Absent on a drop event (protojson leaves out UNKNOWN_POINT, 0). */
  trace_observation_point?: ObservationPoint;
  /** Absent on a drop event (Hubble's decodeIsReply: unknown for drops). */
  is_reply?: boolean;
  Summary: string;
  /** Beyond Hubble (not a flow.proto field): the NetworkPolicies that isolate the dropping end, none of which allowed the packet. */
  podpath_denied_by?: { direction: 'Ingress' | 'Egress'; pod: string; policies: string[] };
}

/** One line of `hubble observe -o jsonpb`: the flow, with its node and time beside it. */
export interface HubbleRecord {
  flow: HubbleFlow;
  node_name: string;
  time: string;
}


/** Endpoint IDs: podpath numbers a node's pods from 1 in the order the file lists them. */
function endpointIds(s: Scenario): Map<string, number> {
  const ids = new Map<string, number>();
  const next = new Map<string, number>();
  for (const p of s.pods) {
    if (!p.nodeName) continue;
    const n = (next.get(p.nodeName) ?? 0) + 1;
    next.set(p.nodeName, n);
    ids.set(objectKey(p), n);
  }
  return ids;
}

function labelsOf(p: PodSpec): string[] {
  return [...Object.entries(p.labels).map(([k, v]) => `k8s:${k}=${v}`), `k8s:io.kubernetes.pod.namespace=${p.namespace}`].sort();
}

/** Whether a trace's cluster runs Hubble (its CNI's programs report what Hubble shows: Cilium's). */
export function hasHubble(s: Scenario): boolean {
  return cniOf(s.cluster).ebpf?.hubble === true;
}

/**
 * The Hubble records of a trace, request then reply. `startMs`: the request's time
 * (each event a microsecond after the one before it).
 */
export function hubbleRecords(s: Scenario, t: Pick<Trace, 'hops' | 'reply' | 'policy'>, startMs = Date.now()): HubbleRecord[] {
  const byIp = new Map<string, PodSpec>();
  for (const p of s.pods) if (p.podIP) byIp.set(p.podIP, p);
  // A node's addresses (its InternalIP and cilium_host's): the host on that node, remote-node on the others.
  const nodeOfIp = new Map<string, string>();
  for (const n of s.nodes) for (const ip of [n.internalIP, ciliumRouterIP(n)]) if (ip) nodeOfIp.set(ip, n.name);
  const ids = endpointIds(s);
  const WORLD: HubbleEndpoint = { identity: WORLD_IDENTITY, labels: ['reserved:world'] };
  const REMOTE_NODE: HubbleEndpoint = { identity: LOCAL_NODE_ID, labels: ['reserved:remote-node'] };
  /** The endpoint an address is where it is observed; `vni`: the identity a tunnelled packet's source carried (the datapath's, not the address's). */
  const endpoint = (ip: string, observedOn: string, vni?: number): HubbleEndpoint => {
    const pod = byIp.get(ip);
    if (pod) {
      // Hubble knows a pod's endpoint ID only on its own node.
      const id = pod.nodeName === observedOn ? ids.get(objectKey(pod)) : undefined;
      return { ...(id !== undefined ? { ID: id } : {}), identity: ciliumIdentity(s, pod), namespace: pod.namespace, labels: labelsOf(pod), pod_name: pod.name };
    }
    if (vni === WORLD_IDENTITY) return WORLD;
    if (vni === LOCAL_NODE_ID) return REMOTE_NODE;
    const node = nodeOfIp.get(ip);
    if (node === observedOn) return { identity: HOST_IDENTITY, labels: ['reserved:host'] };
    if (node) return REMOTE_NODE;
    return WORLD;
  };
  const out: HubbleRecord[] = [];
  let micros = 0;
  // RFC 3339 with microseconds, as protojson prints a Timestamp with no nanoseconds below them.
  const at = () => {
    const t = new Date(startMs + Math.floor(micros / 1000));
    return t.toISOString().replace(/Z$/, `${String(micros % 1000).padStart(3, '0')}Z`);
  };
  for (const [reply, hops] of [[false, t.hops], [true, t.reply]] as const) {
    // The identity the packet's source carried through the last tunnel it crossed (its VNI): what the remote node's datapath knows it as.
    let vni: number | undefined;
    hops.forEach((h: Hop, i: number) => {
      micros++;
      if (h.packet.outer?.vni !== undefined) vni = h.packet.outer.vni;
      if (h.ebpf?.decision === 'drop-policy' && h.node && t.policy?.denied) {
        const src = splitHostPort(h.packet.src);
        const dst = splitHostPort(h.packet.dst);
        const time = at();
        const denied = t.policy.denied;
        out.push({
          flow: {
            time,
            verdict: 'DROPPED',
            drop_reason: DROP_POLICY,
            drop_reason_desc: 'POLICY_DENIED',
            IP: { source: src.ip, destination: dst.ip, ipVersion: 'IPv4' },
            l4: h.packet.proto === 'tcp' ? { TCP: { source_port: src.port, destination_port: dst.port, flags: { SYN: true } } } : { UDP: { source_port: src.port, destination_port: dst.port } },
            source: endpoint(src.ip, h.node, vni),
            destination: endpoint(dst.ip, h.node),
            Type: 'L3_L4',
            node_name: h.node,
            event_type: { type: MESSAGE_TYPE_DROP, sub_type: DROP_POLICY },
            // The endpoint that dropped it: the source for an egress denial (EGRESS), the destination for an ingress one.
            traffic_direction: denied.direction === 'Egress' ? 'EGRESS' : 'INGRESS',
            // No is_reply: Hubble's parser leaves it out of drops ("we simply do not know if they were replies or not").
            Summary: h.packet.proto === 'tcp' ? 'TCP Flags: SYN' : 'UDP',
            podpath_denied_by: denied,
          },
          node_name: h.node,
          time,
        });
        return;
      }
      const point = observationPoint(h, hops[i + 1]);
      if (!point || !h.node) return;
      // bpf_lxc reports TO_NETWORK before the REVNAT tail call rewrites the source: the packet as it arrived (the hop before).
      const seen = h.ebpf?.decision === 'rev-nat' && i > 0 ? hops[i - 1].packet : h.packet;
      const src = splitHostPort(seen.src);
      const dst = splitHostPort(seen.dst);
      // The endpoint the event is reported by: the destination's for a delivery, the sender's otherwise.
      const reporter = point === 'TO_ENDPOINT' ? dst.ip : src.ip;
      const isSourceEp = reporter === src.ip;
      const direction = isSourceEp !== reply ? 'EGRESS' : 'INGRESS';
      const time = at();
      const l4: HubbleFlow['l4'] =
        h.packet.proto === 'tcp'
          ? { TCP: { source_port: src.port, destination_port: dst.port, flags: reply ? { SYN: true, ACK: true } : { SYN: true } } }
          : { UDP: { source_port: src.port, destination_port: dst.port } };
      const sub = TRACE_POINT[point];
      out.push({
        flow: {
          time,
          verdict: 'FORWARDED',
          IP: { source: src.ip, destination: dst.ip, ipVersion: 'IPv4' },
          l4,
          // A NodePort request SNATed into the tunnel goes as world ("the request came from outside"): its VNI, on the hop after.
          source: h.ebpf?.decision === 'nodeport-snat' ? endpoint(src.ip, h.node, hops[i + 1]?.packet.outer?.vni) : endpoint(src.ip, h.node, vni),
          destination: endpoint(dst.ip, h.node),
          Type: 'L3_L4',
          node_name: h.node,
          // protojson leaves out a field at its zero value: TraceToLxc's sub_type 0.
          event_type: { type: MESSAGE_TYPE_TRACE, ...(sub !== 0 ? { sub_type: sub } : {}) },
          traffic_direction: direction,
          trace_observation_point: point,
          is_reply: reply,
          Summary: h.packet.proto === 'tcp' ? `TCP Flags: ${reply ? 'SYN, ACK' : 'SYN'}` : 'UDP',
        },
        node_name: h.node,
        time,
      });
    });
  }
  return out;
}

/** The trace point a hop reports at under monitor aggregation, if any (`next`: the hop after it). */
function observationPoint(h: Hop, next: Hop | undefined): ObservationPoint | undefined {
  const e = h.ebpf;
  if (!e) return undefined;
  // tail_nodeport_nat_egress_ipv4 keeps TRACE_PAYLOAD_LEN (no conntrack lookup clears it), so
  // __encap_with_nodeid's TRACE_TO_OVERLAY survives aggregation; its fib_redirect natively reports nothing.
  if (e.decision === 'nodeport-snat') return next?.action === 'encapsulate' ? 'TO_OVERLAY' : undefined;
  // Only a pod's own program (bpf_lxc) reports the tunnel and the stack with conntrack information.
  const fromPod = e.program === FROM_CONTAINER.name;
  if (e.decision === 'to-endpoint') return 'TO_ENDPOINT';
  if (e.decision === 'to-tunnel' && fromPod) return 'TO_OVERLAY';
  if (e.decision === 'pass-routed' && fromPod) return 'TO_STACK';
  // A NodePort reply bpf_lxc turns back (ct_state->node_port): TRACE_TO_NETWORK before the REVNAT tail call.
  if (e.decision === 'rev-nat' && fromPod) return 'TO_NETWORK';
  return undefined;
}
