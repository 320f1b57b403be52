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
import type { Dataplane } from '../dataplane/compile.ts';
import { decide, policyEndOf, verdictSaid } from '../policy/evaluate.ts';
import { endpointsOf, onNode } from '../dataplane/endpoints.ts';
import { whyNoEndpoints } from '../dataplane/whyNoEndpoints.ts';

/** Said of Cilium's NetworkPolicy drops: modelled from its source, and checked in a kernel only through podpath's own programs (here, to load with the walk, not the first view). */
export const EBPF_POLICY_MODELLED =
  "modelled from Cilium's source (bpf_lxc.c); the lab checks where it is enforced with podpath's own programs, which carry these verdicts (and a conntrack map for the replies), not Cilium's";

/** What the programs read of a compiled dataplane: who holds an address, and a node's pods. */
export function ebpfViewOf(dp: Pick<Dataplane, 'scenario' | 'podsOn' | 'nodeOf' | 'podOf' | 'ownerOf'>): EbpfView {
  return {
    scenario: dp.scenario,
    podsOn: (n) => dp.podsOn(n),
    nodeOf: (n) => dp.nodeOf(n),
    podOf: (k) => dp.podOf(k),
    ownerOf: (ip) => dp.ownerOf(ip),
    podOfAddress: (ip) => {
      const o = dp.ownerOf(ip);
      return o ? dp.podOf(o.netns) : undefined;
    },
  };
}

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
      return `${by}: lets the packet out (TC_ACT_OK; its other work, NodePort's reverse translation of replies that come through the stack, SNAT on a port conflict and the host firewall, is not modelled)`;
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
  /**
   * Made by this node's own stack (a socket of the node): the host's identity to Cilium, which
   * knows it by CILIUM_OUTPUT's mark; a packet the node only forwards (kube-proxy's NodePort,
   * masqueraded to the node's own address) is world's (inherit_identity_from_host).
   */
  fromHost?: boolean;
  /**
   * A reply of a NodePort connection this node's nodeport_lb4 DNATed (its CT entry has
   * node_port set): the frontend it was sent to, and the client where it was SNATed too
   * (a backend on another node: cilium_snat_v4_external holds the client).
   */
  nodePortOf?: { ip: string; port: number; client?: { ip: string; port: number } };
}

/** Cilium's conntrack map for a protocol (bpf/lib/conntrack_map.h): TCP's own, and one for any other. */
const ctMap = (proto: 'tcp' | 'udp') => (proto === 'tcp' ? 'cilium_ct4_global' : 'cilium_ct_any4_global');

/**
 * nodeport_lb4 (bpf/lib/nodeport.h), in cil_from_netdev at the node's own device, for a
 * packet from outside to this node's address and a NodePort. lb4_lookup_service in the
 * external scope: with externalTrafficPolicy Local the agent puts only this node's
 * backends there (pkg/service filterBackends), so every pick is local and lb4_local's
 * DNAT is all (backend_local: no SNAT, the client's address kept); with Cluster, every
 * backend of the Service. With none, lb4_local returns DROP_NO_SERVICE and,
 * service-no-backend-response being reject by default, the program answers ICMP port
 * unreachable itself (__tail_no_service_ipv4). A backend on another node (Cluster only)
 * is reached by tail_nodeport_nat_egress_ipv4: SNAT to IPV4_GATEWAY (cilium_host's
 * address) when cilium_ipcache gives the backend a tunnel endpoint, else to
 * IPV4_DIRECT_ROUTING (the node's address), recorded in cilium_snat_v4_external; ipv4_l3;
 * then into the tunnel (VNI world: "the request came from outside") or fib_redirect.
 */
function ciliumNodePort(view: EbpfView, node: NodeSpec, packet: TcPacket, by: string): EbpfVerdict | undefined {
  if (packet.reply || packet.dst !== node.internalIP) return undefined;
  const protocol = packet.proto === 'tcp' ? 'TCP' : 'UDP';
  const s = view.scenario;
  const svc = s.services.find((v) => v.ports.some((x) => x.nodePort === packet.dport && x.protocol === protocol));
  const sp = svc?.ports.find((x) => x.nodePort === packet.dport && x.protocol === protocol);
  if (!svc || !sp) return undefined;
  const all = endpointsOf(s, svc, sp);
  const localOnly = svc.externalTrafficPolicy === 'Local';
  const local = onNode(all, node.name);
  const frontend = `${packet.dst}:${packet.dport}`;
  const lookup = `${by}: nodeport_lb4 finds ${frontend} in cilium_lb4_services_v2 (Service ${objectKey(svc)}, NodePort ${packet.dport}); ${localOnly ? `externalTrafficPolicy Local, so the agent gave this frontend only ${node.name}'s own backends` : 'externalTrafficPolicy Cluster, so the frontend has every backend of the Service'}`;
  const backends = localOnly ? local : all;
  if (!backends.length) {
    return {
      kind: 'no-service',
      service: objectKey(svc),
      said: localOnly
        ? `${lookup}, and ${node.name} has none (${all.length ? `the Service's ${all.length === 1 ? 'one backend runs' : `${all.length} backends run`} on ${[...new Set(all.map((e) => e.pod?.nodeName ?? `no node (${e.ip})`))].join(', ')}` : whyNoEndpoints(s, svc, sp)}): lb4_local returns DROP_NO_SERVICE, and with the agent's default service-no-backend-response: reject the program builds an ICMP port unreachable (__tail_no_service_ipv4) and sends it back out of the device it came in by: the client sees its connection refused${all.length ? ' (kube-proxy, with endpoints only on other nodes, would drop it: the client would time out)' : ' (as kube-proxy would REJECT it: the Service has no endpoint at all)'}`
        : `${lookup}, and it has none (${whyNoEndpoints(s, svc, sp)}): lb4_local returns DROP_NO_SERVICE, and with the agent's default service-no-backend-response: reject the program builds an ICMP port unreachable (__tail_no_service_ipv4) and sends it back out of the device it came in by: the client sees its connection refused (as kube-proxy would REJECT it)`,
    };
  }
  const n = backends.length;
  const picked = `${lookup} (${n === 1 ? 'its only one' : `${n} of them, each picked with chance 1/${n}`})`;
  const tunnel = ciliumConfigOf(s.cluster).routingMode !== 'native';
  const gateway = ciliumRouterIP(node);
  const snatTo = tunnel && gateway ? gateway : node.internalIP!;
  return {
    kind: 'nodeport',
    service: objectKey(svc),
    backends: backends.map((e) => {
      const here = e.pod?.nodeName === node.name;
      // cilium_ipcache: the backend's address in another node's podCIDR gives that node as the tunnel endpoint.
      const there = here ? undefined : s.nodes.find((x) => x.name !== node.name && x.internalIP && inPodCIDR(x, e.ip));
      return { pod: objectKey(e.pod!), ip: e.ip, port: e.port, ...(here ? {} : { remote: { node: there?.name ?? e.pod?.nodeName ?? '', nodeIP: there?.internalIP ?? '' } }) };
    }),
    snat: {
      addr: snatTo,
      ...(tunnel
        ? { tunnel: { device: CILIUM_VXLAN, identity: WORLD_IDENTITY, identitySaid: `world (${WORLD_IDENTITY}): "the request came from outside", so nodeport_add_tunnel_encap sends it as world, not as ${node.name}`, map: 'cilium_ipcache' } }
        : {}),
    },
    said: picked,
    localSaid: `lb4_local DNATs the packet to the backend and records it in ${ctMap(packet.proto)} with node_port set, for the reply; the backend is local, so no SNAT: the pod sees the client's own address. In legacy host routing (podpath's model: iptables masquerading) the program then hands the packet to ${node.name}'s IP stack (CTX_ACT_OK), which routes it to cilium_host`,
    remoteSaid: (b) =>
      `lb4_local DNATs the packet to the backend and records it in ${ctMap(packet.proto)} with node_port set; the backend is on ${b.remote.node}, so the program tail-calls tail_nodeport_nat_egress_ipv4: SNAT of the source to ${snatTo}, ${tunnel ? `${node.name}'s cilium_host address (IPV4_GATEWAY: cilium_ipcache gives ${b.ip} a tunnel endpoint, ${b.remote.nodeIP})` : `${node.name}'s own address (IPV4_DIRECT_ROUTING)`}, the client's port kept (__snat_try_keep_port: it is within 32768–65535 and free; else another is picked), recorded in cilium_snat_v4_external so the reply can be turned back; ipv4_l3 routes it (the TTL drops by one; Cilium 1.15 on: 1.14 routed only the fib_redirect path, so into the tunnel the TTL stayed)`,
  };
}

/**
 * Per-packet load balancing in bpf_lxc (ENABLE_PER_PACKET_LB: without socket-LB, that is
 * without kubeProxyReplacement): __per_packet_lb_svc_xlate_4 looks a pod's packet up in
 * cilium_lb4_services_v2 (the ClusterIP scope; NodePorts are kube-proxy's then), and
 * lb4_local picks a backend, DNATs the packet and records the connection in the
 * node's conntrack with the Service's rev_nat_index; then the packet goes on as any
 * (CILIUM_CALL_IPV4_CT_EGRESS). With no backend (for internalTrafficPolicy Local, none
 * on this node: the agent's filterBackends) lb4_local returns DROP_NO_SERVICE and, with
 * the default service-no-backend-response: reject, the program answers ICMP port
 * unreachable into the pod. The reply is turned back where it is delivered to the pod:
 * ipv4_policy finds CT_REPLY with rev_nat_index and calls lb4_rev_nat.
 */
function ciliumPerPacketLb(view: EbpfView, node: NodeSpec, packet: TcPacket, by: string): EbpfVerdict | undefined {
  if (packet.reply) return undefined;
  const protocol = packet.proto === 'tcp' ? 'TCP' : 'UDP';
  const s = view.scenario;
  const svc = s.services.find((v) => v.clusterIP === packet.dst && v.ports.some((x) => x.port === packet.dport && x.protocol === protocol));
  const sp = svc?.ports.find((x) => x.port === packet.dport && x.protocol === protocol);
  if (!svc || !sp) return undefined;
  const all = endpointsOf(s, svc, sp);
  const localOnly = svc.internalTrafficPolicy === 'Local';
  const backends = localOnly ? onNode(all, node.name) : all;
  const frontend = `${packet.dst}:${packet.dport}`;
  const lookup = `${by}: no socket-LB (kubeProxyReplacement false), so per-packet load balancing (__per_packet_lb_svc_xlate_4) finds ${frontend} in cilium_lb4_services_v2 (Service ${objectKey(svc)}, its ClusterIP)${localOnly ? `; internalTrafficPolicy Local, so the agent gave it only ${node.name}'s own backends` : ''}`;
  if (!backends.length) {
    return {
      kind: 'no-service',
      service: objectKey(svc),
      said: `${lookup}, and it has none (${localOnly && all.length ? `the Service's backends run on ${[...new Set(all.map((e) => e.pod?.nodeName ?? e.ip))].join(', ')}` : whyNoEndpoints(s, svc, sp)}): lb4_local returns DROP_NO_SERVICE, and with the agent's default service-no-backend-response: reject the program answers ICMP port unreachable (tail_no_service_ipv4) back into the pod: the connection is refused (Cilium 1.15 on; 1.14 dropped it, and the client's connect timed out)`,
    };
  }
  const n = backends.length;
  return {
    kind: 'service-lb',
    service: objectKey(svc),
    backends: backends.map((e) => ({ pod: objectKey(e.pod!), ip: e.ip, port: e.port })),
    said: `${lookup} (${n === 1 ? 'its only backend' : `${n} backends, each picked with chance 1/${n}`}): lb4_local DNATs the packet in the program (no kube-proxy Service rule matches it afterwards) and records the connection in ${ctMap(packet.proto)} with the Service's rev_nat_index, for the reply; the TTL is untouched`,
  };
}

/**
 * The reply of a connection nodeport_lb4 DNATed, in the backend's cil_from_container:
 * its CT entry (CT_REPLY, node_port set) sends it to nodeport_rev_dnat_ingress_ipv4, which
 * puts the frontend back as the source (lb4_rev_nat), routes it (ipv4_l3: the TTL drops)
 * and sends it out of the node's device with fib_redirect: the node's IP stack and
 * iptables never see it.
 */
function ciliumRevNat(node: NodeSpec, program: TcProgram, packet: TcPacket, by: string): EbpfVerdict | undefined {
  const f = packet.nodePortOf;
  if (!f) return undefined;
  if (f.client) {
    // A remote backend's reply, SNATed on the way in: back to this node through the tunnel (cil_from_overlay) or natively (cil_from_netdev).
    return {
      kind: 'rev-nat',
      src: f.ip,
      sport: f.port,
      dst: f.client.ip,
      dport: f.client.port,
      said: `${by}: nodeport_lb4 finds no Service for ${packet.dst}:${packet.dport} and, this being maybe a remote backend's reply, tail-calls tail_nodeport_nat_ingress_ipv4: snat_v4_rev_nat finds it in cilium_snat_v4_external and puts the destination back to the client, ${f.client.ip}:${f.client.port}; then nodeport_rev_dnat_ingress_ipv4 finds the connection in ${ctMap(packet.proto)} (CT_REPLY, node_port set): lb4_rev_nat puts the source back to ${f.ip}:${f.port}, the address and NodePort the client connected to; ipv4_l3 routes it (the TTL drops by one) and fib_redirect sends it out of the device the FIB gives for the client, ${node.name}'s eth0, with the neighbour's MAC: ${node.name}'s IP stack and iptables never see it${program === FROM_OVERLAY ? ` (nor ${CILIUM_HOST})` : ''}`,
    };
  }
  return {
    kind: 'rev-nat',
    src: f.ip,
    sport: f.port,
    said: `${by}: conntrack (${ctMap(packet.proto)}) has this as the reply of a NodePort connection (CT_REPLY, node_port set), so the program tail-calls nodeport_rev_dnat_ingress_ipv4: lb4_rev_nat puts the source back to ${f.ip}:${f.port}, the address and NodePort the client connected to; ipv4_l3 routes it (the TTL drops by one) and fib_redirect sends it straight out of the device the FIB gives for the client, ${node.name}'s eth0, with the neighbour's MAC: ${node.name}'s IP stack and iptables never see it (its conntrack holds the request alone)`,
  };
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
export function ciliumPolicy(view: EbpfView, node: NodeSpec, packet: TcPacket, direction: 'Ingress' | 'Egress', by: string): Extract<EbpfVerdict, { kind: 'policy-drop' }> | undefined {
  const s = view.scenario;
  if (!s.networkPolicies?.length || packet.reply) return undefined;
  // The node's own packets to its endpoints (--allow-localhost): the ones its stack made, not ones it forwarded and masqueraded.
  if (direction === 'Ingress' && packet.fromHost) return undefined;
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
  const by0 = `${program.name} (${program.source})`;
  const nodePort = program === FROM_NETDEV && ciliumConfigOf(s.cluster).kubeProxyReplacement ? ciliumNodePort(view, node, packet, by0) : undefined;
  if (nodePort) return nodePort;
  const revNat = program === FROM_CONTAINER || program === FROM_OVERLAY || program === FROM_NETDEV ? ciliumRevNat(node, program, packet, by0) : undefined;
  if (revNat) return revNat;
  const passes = passOnly(node, program);
  if (passes) return { kind: 'pass', said: passes };
  const dst = packet.dst;
  const local = podIsOn(view, node, dst);
  const by = `${program.name} (${program.source})`;
  // From a pod, bpf_lxc.c's pass_to_stack routes the packet before TC_ACT_OK (ipv4_l3: the TTL drops), ENABLE_ROUTING being the default.
  const fromPod = program === FROM_CONTAINER;
  // Without socket-LB, a pod's packet to a ClusterIP is translated here first (the walk then asks again, with the backend's address).
  const perPacket = fromPod && !ciliumConfigOf(s.cluster).kubeProxyReplacement ? ciliumPerPacketLb(view, node, packet, by) : undefined;
  if (perPacket) return perPacket;
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
    // encap.h: a node's own packets (identity host, 1) are sent as LOCAL_NODE_ID; one it only forwards
    // (no CILIUM_OUTPUT mark, whatever its source address) is world's (inherit_identity_from_host).
    const [identity, identitySaid] = srcPod
      ? [ciliumIdentity(s, srcPod), "the source's security identity"]
      : packet.fromHost
        ? [LOCAL_NODE_ID, `a packet of ${node.name}'s own (identity host, 1) is sent as LOCAL_NODE_ID, remote-node (${LOCAL_NODE_ID}), as encap.h does`]
        : [WORLD_IDENTITY, `a packet ${node.name} only forwards carries no CILIUM_OUTPUT mark, so inherit_identity_from_host gives it world (${WORLD_IDENTITY}), and its source, masqueraded to ${node.name}'s own address, is no other identity's in cilium_ipcache (resolve_srcid_ipv4 keeps world)`];
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
