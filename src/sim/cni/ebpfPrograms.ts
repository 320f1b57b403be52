// What a CNI's eBPF programs at tc do with a packet, by datapath: the walk asks here
// (trace/walk.ts), so the decisions and their words load with the walk, not the first view.
import type { NodeSpec, PodSpec } from '../model.ts';
import { objectKey } from '../model.ts';
import type { TcProgram } from '../dataplane/types.ts';
import { CILIUM_VXLAN, ciliumIdentity, ciliumRouterIP, ciliumVethName, FROM_HOST, HOST_IDENTITY, inPodCIDR } from './cilium.ts';
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
  if (local) {
    const lxc = ciliumVethName(local);
    // From tc ingress (a pod's lxc, cilium_vxlan) the program hands the packet straight into
    // the pod's netns (bpf_redirect_peer); from cilium_host's egress it redirects to the lxc.
    const peer = program !== FROM_HOST;
    return { kind: 'to-endpoint', pod: objectKey(local), lxc, peer, map: 'cilium_lxc', said: `${by} looks ${dst} up in cilium_lxc, this node's endpoints: it is ${objectKey(local)}'s, behind ${lxc}` };
  }
  // cilium_ipcache holds every other node's podCIDR (its pods and its cilium_host address)
  // with that node as the tunnel endpoint.
  const there = view.scenario.nodes.find((n) => n !== node && n.name !== node.name && inPodCIDR(n, dst));
  // Native routing: another node's pod is the host's to route (autoDirectNodeRoutes wrote `<podCIDR> via <node IP> dev eth0`).
  if (there && view.scenario.cluster.cilium?.routingMode === 'native') {
    return { kind: 'pass', said: `${by}: ${dst} is in ${there.podCIDR}, ${there.name}'s podCIDR (cilium_ipcache); in native routing the program hands it to ${node.name}'s IP stack (TC_ACT_OK), whose route (autoDirectNodeRoutes) sends it to ${there.name} unencapsulated` };
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
    return { kind: 'pass', said: `${by}: ${dst} is ${node.name}'s own address, its host endpoint in cilium_lxc: the program hands the packet to ${node.name}'s IP stack (Cilium by a redirect through cilium_host; podpath shows it entering the stack where the program runs)` };
  }
  return { kind: 'pass', said: `${by}: ${dst} is neither an endpoint of this node (cilium_lxc) nor in another node's podCIDR (cilium_ipcache): TC_ACT_OK, the packet goes on into ${node.name}'s own IP stack` };
}



const TC: Record<EbpfDatapath['programs'], typeof ciliumTc> = { cilium: ciliumTc };

/** What the program at a device's tc hook on `node` does with the packet. */
export function tcVerdict(ebpf: EbpfDatapath, view: EbpfView, node: NodeSpec, program: TcProgram, packet: { src: string; dst: string }): EbpfVerdict {
  return TC[ebpf.programs](view, node, program, packet);
}
