// What flannel's two backends share: flannel's CNI plugin delegates to the bridge
// plugin (kube-flannel.yml's conflist, network cbr0) with host-local over the node's
// lease, so on every node the pods are ports of cni0 and its .1 is their gateway; and
// flanneld runs with --ip-masq (FLANNEL-POSTRTG). The backends differ only in how a
// packet crosses to another node (./bridgeHostgw.ts routes, ./flannelVxlan.ts VXLAN).
import type { ClusterSpec, NodeSpec, PodSpec, Scenario } from '../model.ts';
import { objectKey } from '../model.ts';
import { block, cidr, ipText, prefixLength } from '../ipam/addresses.ts';
import { macFor } from '../util/hash.ts';
import type { CniPlugin, HostSide, PodNetworking } from './types.ts';

export const BRIDGE = 'cni0';
/** flannel's conflist names its network cbr0 (portmap's chains hash it). */
const NETWORK = 'cbr0';

/** cni0's address, the pods' gateway: the first address of the node's podCIDR. */
const gatewayOf = (podCIDR: string) => ipText(block(podCIDR).first + 1);


/** The parts of a flannel backend's plugin that the delegate decides. */
export function flannelDelegate(podMtu: number): Pick<
  CniPlugin,
  'addressing' | 'bridge' | 'podMtu' | 'networkName' | 'podPlugin' | 'eth0ArpIgnore' | 'vpcFabric' | 'portmap' | 'networkPolicy' | 'masquerades' | 'clusterPodRange' | 'nodePodRange' | 'hostSide' | 'podNetworking'
> {
  return {
    addressing: 'node-podcidr',
    bridge: BRIDGE,
    podMtu,
    networkName: NETWORK,
    podPlugin: 'bridge',
    eth0ArpIgnore: false,
    vpcFabric: false,
    portmap: true,
    // flannel moves packets only: NetworkPolicy needs another engine beside it (Canal = flannel + Calico's felix).
    networkPolicy: 'none',
    masquerades: (c: ClusterSpec) => c.ipMasq !== false,
    clusterPodRange: (c: ClusterSpec) => c.podCIDR,
    nodePodRange: (c: ClusterSpec, n: NodeSpec) => n.podCIDR ?? c.podCIDR,
    hostSide(_s: Scenario, _node: NodeSpec, pod: PodSpec, veth: string): HostSide {
      return { addresses: [], master: BRIDGE, fdb: { mac: macFor(`${objectKey(pod)}/eth0`), dev: veth, master: BRIDGE } };
    },
    podNetworking(s: Scenario, node: NodeSpec, pod: PodSpec, veth: string): PodNetworking {
      const key = objectKey(pod);
      const gateway = gatewayOf(node.podCIDR!);
      return {
        devices: [{ name: 'eth0', kind: 'veth', mac: macFor(`${key}/eth0`), mtu: podMtu, addresses: [{ ip: pod.podIP!, prefixLength: prefixLength(cidr(node.podCIDR!)) }], peer: { netns: node.name, device: veth } }],
        routes: [
          { dst: 'default', via: gateway, dev: 'eth0' },
          // flannel's CNI plugin hands the bridge plugin the cluster network as an ipam
          // route. (Before the on-link route: were the two the same prefix, the kernel
          // would list, and use, this one first.)
          { dst: s.cluster.podCIDR, via: gateway, dev: 'eth0' },
          { dst: node.podCIDR!, dev: 'eth0', proto: 'kernel', scope: 'link', src: pod.podIP },
        ],
      };
    },
  };
}
