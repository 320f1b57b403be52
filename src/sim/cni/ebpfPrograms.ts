// What a CNI's eBPF programs at tc do with a packet, by datapath: the walk asks here
// (trace/walk.ts), so the decisions and their words load with the walk, not the first view.
import type { NodeSpec, PodSpec } from '../model.ts';
import { objectKey } from '../model.ts';
import type { TcProgram } from '../dataplane/types.ts';
import { ciliumConfigOf } from './ciliumConfig.ts';
import {
  CILIUM_HOST,
  CILIUM_VXLAN,
  ciliumIdentity,
  ciliumRouterIP,
  ciliumVethName,
  FROM_CONTAINER,
  FROM_NETDEV,
  FROM_OVERLAY,
  inPodCIDR,
  LOCAL_NODE_ID,
  TO_HOST,
  TO_NETDEV,
  TO_OVERLAY,
  WORLD_IDENTITY,
} from './cilium.ts';
import type { EbpfDatapath, EbpfVerdict, EbpfView } from './types.ts';
import { decide, policyEndOf, verdictSaid } from '../policy/evaluate.ts';

function podIsOn(view: EbpfView, node: NodeSpec, ip: string): PodSpec | undefined {
  return view.podsOn(node.name).find((p) => p.podIP === ip);
}

/** What the programs that only let podpath's packets through say they do. */
function passOnly(node: NodeSpec, program: TcProgram): string | undefined {
  const by = `${program.name} (${program.source})`;
  switch (program) {
    case FROM_NETDEV:
      return `${by} at ${node.name}'s own device: in legacy host routing (which iptables masquerading forces) it hands what it receives to ${node.name}'s IP stack (handle_ipv4_cont: without ENABLE_HOST_ROUTING, CTX_ACT_OK), even a packet for a pod of this node, which the stack then routes to cilium_host`;
    case TO_HOST:
      return `${by}: lets the packet up ${node.name}'s IP stack (TC_ACT_OK; its other work, the host firewall and proxy redirects, is not modelled)`;
    case TO_NETDEV:
      return `${by}: lets the packet out (TC_ACT_OK; its other work, NodePort's reverse translation and the host firewall, is not modelled)`;
    case TO_OVERLAY:
      return `${by}: lets the packet into the tunnel (TC_ACT_OK)`;
    default:
      return undefined;
  }
}

/** Cilium's programs at tc: what cil_from_container, cil_from_host, cil_from_overlay (and the ones that only pass) do with a packet. */
/** The packet as a tc program reads it. */
export interface TcPacket {
  src: string;
  dst: string;
  proto: 'tcp' | 'udp';
  dport: number;
  /** A reply of a connection conntrack holds (CT_REPLY): no policy is checked. */
  reply?: boolean;
}

/**
 * Cilium's policy enforcement, as bpf_lxc.c does it for a connection's first packet
 * (a reply is conntrack's, CT_REPLY, and skips it): egress in the source pod's
 * cil_from_container (policy_can_egress4 against the destination's identity), ingress
 * in the destination's policy program (tail_ipv4_policy, by tail call from the
 * delivering program). The verdict is Kubernetes' (policy/evaluate.ts) but for ipBlock,
 * which Cilium matches only against addresses outside the cluster (no pod's, no node's:
 * cilium/cilium#19601); the node's own traffic to its pods is allowed (the agent's
 * --allow-localhost, default auto).
 */
function ciliumPolicy(view: EbpfView, node: NodeSpec, packet: TcPacket, direction: 'Ingress' | 'Egress', by: string): Extract<EbpfVerdict, { kind: 'policy-drop' }> | undefined {
  const s = view.scenario;
  if (!s.networkPolicies?.length || packet.reply) return undefined;
  if (direction === 'Ingress' && (packet.src === node.internalIP || packet.src === ciliumRouterIP(node))) return undefined;
  // Cilium's ipBlock: only addresses outside the cluster (ciliumPolicySemantics).
  const d = decide(s, { src: policyEndOf(view, packet.src), dst: policyEndOf(view, packet.dst), protocol: packet.proto === 'tcp' ? 'TCP' : 'UDP', port: packet.dport, ipBlockOutsideClusterOnly: true });
  const v = direction === 'Egress' ? d.egress : d.ingress;
  if (!v || v.allowed) return undefined;
  const where = direction === 'Egress' ? `${by}: the egress policy of ${objectKey(v.pod)} (policy_can_egress4, its cilium_policy map)` : `${objectKey(v.pod)}'s policy program (tail_ipv4_policy, tail-called from ${by}; its cilium_policy map)`;
  return {
    kind: 'policy-drop',
    direction,
    pod: objectKey(v.pod),
    policies: v.policies.map(objectKey),
    said: `${where}: ${verdictSaid(v)}, so the program drops the packet: DROP_POLICY, "Policy denied" as cilium monitor prints it (drop reason 133); no answer, the client's connection times out`,
  };
}

function ciliumTc(view: EbpfView, node: NodeSpec, program: TcProgram, packet: TcPacket): EbpfVerdict {
  const s = view.scenario;
  const passes = passOnly(node, program);
  if (passes) return { kind: 'pass', said: passes };
  const dst = packet.dst;
  const local = podIsOn(view, node, dst);
  const by = `${program.name} (${program.source})`;
  // From a pod, bpf_lxc.c's pass_to_stack routes the packet before TC_ACT_OK (ipv4_l3: the TTL drops), ENABLE_ROUTING being the default.
  const fromPod = program === FROM_CONTAINER;
  const egressDrop = fromPod ? ciliumPolicy(view, node, packet, 'Egress', by) : undefined;
  if (egressDrop) return egressDrop;
  const passed = fromPod ? ' (pass_to_stack: ipv4_l3 routes it first, so the TTL drops by one, then TC_ACT_OK)' : ' (TC_ACT_OK)';
  if (local) {
    const ingressDrop = ciliumPolicy(view, node, packet, 'Ingress', by);
    if (ingressDrop) return ingressDrop;
    const lxc = ciliumVethName(local);
    // Legacy host routing (podpath models iptables masquerading, which forces it): redirect_ep
    // uses bpf_redirect to the lxc, out of the veth into the pod; bpf_redirect_peer only with
    // BPF host routing (kubeProxyReplacement and BPF masquerading) — local_delivery.h should_redirect_peer.
    return { kind: 'to-endpoint', pod: objectKey(local), lxc, peer: false, map: 'cilium_lxc', said: `${by} looks ${dst} up in cilium_lxc, this node's endpoints: it is ${objectKey(local)}'s, behind ${lxc}` };
  }
  // bpf_overlay.c: "A packet entering the node from the tunnel and not going to a local
  // endpoint has to be going to the local host": ipv4_host_delivery.
  if (program === FROM_OVERLAY) {
    const own = dst === ciliumRouterIP(node) || dst === node.internalIP;
    const why = own
      ? `${dst} is ${node.name}'s own address, its host entry in cilium_lxc (ENDPOINT_F_HOST), so the packet is the host's`
      : `${dst} is no endpoint of this node in cilium_lxc, and what comes out of the tunnel for no local endpoint is for the host`;
    return {
      kind: 'to-host',
      device: CILIUM_HOST,
      said: `${by}: ${why}: ipv4_host_delivery routes it (ipv4_l3: the TTL drops by one; destination MAC ${CILIUM_HOST}'s, source ${CILIUM_VXLAN}'s) and redirects it into ${CILIUM_HOST}'s ingress (bpf_redirect with BPF_F_INGRESS, as in Cilium's main branch; older releases send it out of ${CILIUM_HOST}'s peer instead)`,
    };
  }
  // cilium_ipcache holds every other node's podCIDR (its pods and its cilium_host address)
  // with that node as the tunnel endpoint.
  const there = s.nodes.find((n) => n !== node && n.name !== node.name && inPodCIDR(n, dst));
  // Native routing: another node's pod is the host's to route (autoDirectNodeRoutes wrote `<podCIDR> via <node IP> dev eth0`).
  if (there && ciliumConfigOf(s.cluster).routingMode === 'native') {
    return { kind: 'pass', ttl: fromPod, said: `${by}: ${dst} is in ${there.podCIDR}, ${there.name}'s podCIDR (cilium_ipcache); in native routing the program hands it to ${node.name}'s IP stack${passed}, which routes it by its own table, unencapsulated` };
  }
  if (there?.internalIP) {
    const srcPod = view.podOfAddress(packet.src);
    const own = packet.src === ciliumRouterIP(node) || packet.src === node.internalIP;
    // encap.h: a node's own packets (identity host, 1) are sent as LOCAL_NODE_ID.
    const [identity, identitySaid] = srcPod
      ? [ciliumIdentity(s, srcPod), "the source's security identity"]
      : own
        ? [LOCAL_NODE_ID, `a packet of ${node.name}'s own (identity host, 1) is sent as LOCAL_NODE_ID, remote-node (${LOCAL_NODE_ID}), as encap.h does`]
        : [WORLD_IDENTITY, `the source is no endpoint or node: world (${WORLD_IDENTITY})`];
    return {
      kind: 'to-tunnel',
      node: there.name,
      nodeIP: there.internalIP,
      device: CILIUM_VXLAN,
      identity,
      identitySaid,
      map: 'cilium_ipcache',
      said: `${by}: ${dst} is no endpoint of this node (cilium_lxc); cilium_ipcache has it, in ${there.podCIDR} (${there.name}'s podCIDR), with tunnel endpoint ${there.internalIP}`,
    };
  }
  // The node's own addresses are its host endpoint in cilium_lxc: handed to its stack.
  if (dst === ciliumRouterIP(node) || dst === node.internalIP) {
    return { kind: 'pass', ttl: fromPod, said: `${by}: ${dst} is ${node.name}'s own address, its host endpoint in cilium_lxc: the program hands the packet to ${node.name}'s IP stack${passed}` };
  }
  return { kind: 'pass', ttl: fromPod, said: `${by}: ${dst} is neither an endpoint of this node (cilium_lxc) nor in another node's podCIDR (cilium_ipcache): the packet goes on into ${node.name}'s own IP stack${passed}` };
}

const TC: Record<EbpfDatapath['programs'], typeof ciliumTc> = { cilium: ciliumTc };

/** What the program at a device's tc hook on `node` does with the packet. */
export function tcVerdict(ebpf: EbpfDatapath, view: EbpfView, node: NodeSpec, program: TcProgram, packet: TcPacket): EbpfVerdict {
  return TC[ebpf.programs](view, node, program, packet);
}
