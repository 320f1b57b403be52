// vpc: the AWS VPC CNI's shape. Pods take addresses of the node network (secondary
// addresses of the node's ENI), wired by the ptp plugin: the pod's eth0 with the node
// network's prefix and every destination via the gateway (.1) on the host end of its
// veth; the node routes `<podIP> dev veth… scope host`. No bridge, no route per node:
// the VPC fabric knows which node's ENI holds each pod address.
import type { ClusterSpec, NodeSpec, PodSpec, Scenario } from '../model.ts';
import { objectKey } from '../model.ts';
import { block, cidr, ipText, prefixLength } from '../ipam/addresses.ts';
import { macFor } from '../util/hash.ts';
import { ETHERNET_MTU } from './mtu.ts';
import type { CniPlugin, HostSide, PodNetworking } from './types.ts';

/** The node network's router, .1: the pods' gateway, which ptp puts on every host-side veth. */
const routerOf = (nodeNetwork: string) => ipText(block(nodeNetwork).first + 1);

const NETWORK = 'vpc';

export const vpc: CniPlugin = {
  mode: 'vpc',
  title: 'pods on the node network, as the AWS VPC CNI does',
  addressing: 'node-network',
  noBridgeSaid: "each pod's veth is routed by the node (/32 routes)",
  podMtu: ETHERNET_MTU,
  networkName: NETWORK,
  podPlugin: 'ptp',
  // ptp puts the pods' gateway (the node network's .1) on every host veth; eth0 must
  // not answer ARP for it, or each node would pose as the VPC router.
  eth0ArpIgnore: true,
  vpcFabric: true,
  portmap: true,
  // The AWS VPC CNI enforces NetworkPolicy only with its separate network policy agent (eBPF), which podpath does not model.
  networkPolicy: 'none',
  racksProblem: () => "a VPC's subnets are joined by its own fabric, which podpath models as one segment: vpc takes one nodeNetwork",
  // The VPC CNI's SNAT of pod traffic leaving the VPC is not modelled: nobody masquerades.
  masquerades: () => false,
  clusterPodRange: (c: ClusterSpec) => c.nodeNetwork,
  nodePodRange: (c: ClusterSpec) => c.nodeNetwork,
  nodeDevices: () => [],
  hostSide(s: Scenario, _node: NodeSpec, pod: PodSpec, veth: string): HostSide {
    return { addresses: [{ ip: routerOf(s.cluster.nodeNetwork), prefixLength: 32 }], route: { dst: `${pod.podIP}/32`, dev: veth, scope: 'host' } };
  },
  podNetworking(s: Scenario, node: NodeSpec, pod: PodSpec, veth: string): PodNetworking {
    // ptp: the pod's address with the node network's prefix, but every destination,
    // even on that network, goes via the gateway on the host end of the veth.
    const gateway = routerOf(s.cluster.nodeNetwork);
    return {
      devices: [{ name: 'eth0', kind: 'veth', mac: macFor(`${objectKey(pod)}/eth0`), mtu: ETHERNET_MTU, addresses: [{ ip: pod.podIP!, prefixLength: prefixLength(cidr(s.cluster.nodeNetwork)) }], peer: { netns: node.name, device: veth } }],
      routes: [
        { dst: 'default', via: gateway, dev: 'eth0' },
        { dst: s.cluster.nodeNetwork, via: gateway, dev: 'eth0', src: pod.podIP },
        { dst: `${gateway}/32`, dev: 'eth0', scope: 'link', src: pod.podIP },
      ],
    };
  },
  towardRemotes: () => ({ routes: [], neighbours: [], fdb: [] }),
};
