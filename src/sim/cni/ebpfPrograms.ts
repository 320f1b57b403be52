// What a CNI's eBPF programs at tc do with a packet, by datapath: the walk asks here
// (trace/walk.ts), so the decisions and their words load with the walk, not the first view.
import type { NodeSpec, PodSpec } from '../model.ts';
import { objectKey } from '../model.ts';
import type { TcProgram } from '../dataplane/types.ts';
import { CILIUM_VXLAN, ciliumIdentity, ciliumRouterIP, ciliumVethName, FROM_CONTAINER, HOST_IDENTITY, inPodCIDR } from './cilium.ts';
import type { EbpfDatapath, EbpfVerdict, EbpfView } from './types.ts';

function podIsOn(view: EbpfView, node: NodeSpec, ip: string): PodSpec | undefined {
  return view.podsOn(node.name).find((p) => p.podIP === ip);
}

/** Cilium's programs at tc: what cil_from_container, cil_from_host and cil_from_overlay do with a packet. */
function ciliumTc(view: EbpfView, node: NodeSpec, program: TcProgram, packet: { src: string; dst: string }): EbpfVerdict {
  const s = view.scenario;
  const dst = packet.dst;
  const local = podIsOn(view, node, dst);
  const by = `${program.name} (${program.source})`;
  // From a pod, bpf_lxc.c's pass_to_stack routes the packet before TC_ACT_OK (ipv4_l3: the TTL drops), ENABLE_ROUTING being the default.
  const fromPod = program === FROM_CONTAINER;
  const passed = fromPod ? ' (pass_to_stack: ipv4_l3 routes it first, so the TTL drops by one, then TC_ACT_OK)' : ' (TC_ACT_OK)';
  if (local) {
    const lxc = ciliumVethName(local);
    // Legacy host routing (podpath models iptables masquerading, which forces it): redirect_ep
    // uses bpf_redirect to the lxc, out of the veth into the pod; bpf_redirect_peer only with
    // BPF host routing (kubeProxyReplacement and BPF masquerading) — local_delivery.h should_redirect_peer.
    const peer = false;
    return { kind: 'to-endpoint', pod: objectKey(local), lxc, peer, map: 'cilium_lxc', said: `${by} looks ${dst} up in cilium_lxc, this node's endpoints: it is ${objectKey(local)}'s, behind ${lxc}` };
  }
  // cilium_ipcache holds every other node's podCIDR (its pods and its cilium_host address)
  // with that node as the tunnel endpoint.
  const there = view.scenario.nodes.find((n) => n !== node && n.name !== node.name && inPodCIDR(n, dst));
  // Native routing: another node's pod is the host's to route (autoDirectNodeRoutes wrote `<podCIDR> via <node IP> dev eth0`).
  if (there && view.scenario.cluster.cilium?.routingMode === 'native') {
    return { kind: 'pass', ttl: fromPod, said: `${by}: ${dst} is in ${there.podCIDR}, ${there.name}'s podCIDR (cilium_ipcache); in native routing the program hands it to ${node.name}'s IP stack${passed}, whose route (autoDirectNodeRoutes) sends it to ${there.name} unencapsulated` };
  }
  {
    if (there?.internalIP) {
      const srcPod = view.podOfAddress(packet.src);
      const identity = srcPod && srcPod.nodeName === node.name ? ciliumIdentity(s, srcPod) : HOST_IDENTITY;
      return {
        kind: 'to-tunnel',
        node: there.name,
        nodeIP: there.internalIP,
        device: CILIUM_VXLAN,
        identity,
        map: 'cilium_ipcache',
        said: `${by}: ${dst} is no endpoint of this node (cilium_lxc); cilium_ipcache has it, in ${there.podCIDR} (${there.name}'s podCIDR), with tunnel endpoint ${there.internalIP}`,
      };
    }
  }
  // The node's own addresses are its host endpoint in cilium_lxc: handed to its stack.
  if (dst === ciliumRouterIP(node) || dst === node.internalIP) {
    return { kind: 'pass', ttl: fromPod, said: `${by}: ${dst} is ${node.name}'s own address, its host endpoint in cilium_lxc: the program hands the packet to ${node.name}'s IP stack${passed}` };
  }
  return { kind: 'pass', ttl: fromPod, said: `${by}: ${dst} is neither an endpoint of this node (cilium_lxc) nor in another node's podCIDR (cilium_ipcache): the packet goes on into ${node.name}'s own IP stack${passed}` };
}



const TC: Record<EbpfDatapath['programs'], typeof ciliumTc> = { cilium: ciliumTc };

/** What the program at a device's tc hook on `node` does with the packet. */
export function tcVerdict(ebpf: EbpfDatapath, view: EbpfView, node: NodeSpec, program: TcProgram, packet: { src: string; dst: string }): EbpfVerdict {
  return TC[ebpf.programs](view, node, program, packet);
}
