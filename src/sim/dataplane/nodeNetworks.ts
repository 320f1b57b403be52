// Racks: nodes on more than one subnet (the Cluster document's `nodeNetworks`), each its
// own L2 segment (a switch), joined by a router that holds each subnet's first address
// (.1, the nodes' default gateway). With one node network there is no router: the .1 is
// outside the cluster, as before.
import type { ClusterSpec, NodeSpec } from '../model.ts';
import { block, blockContains, ipNumber, ipText } from '../ipam/addresses.ts';

/** The router that joins the node networks (a netns of its own, in the lab too). */
export const ROUTER = 'router';

/** Every node network: `nodeNetworks` when it names more than one, else the one `nodeNetwork`. */
export function nodeSubnets(c: Pick<ClusterSpec, 'nodeNetwork' | 'nodeNetworks'>): string[] {
  return c.nodeNetworks && c.nodeNetworks.length > 1 ? c.nodeNetworks : [c.nodeNetwork];
}

/** Whether a router joins several node networks. */
export function hasRouter(c: Pick<ClusterSpec, 'nodeNetwork' | 'nodeNetworks'>): boolean {
  return nodeSubnets(c).length > 1;
}

/** The node network holding an address (its index in nodeSubnets), or -1. */
export function subnetIndexOf(c: Pick<ClusterSpec, 'nodeNetwork' | 'nodeNetworks'>, ip: string | undefined): number {
  if (!ip) return -1;
  const n = ipNumber(ip);
  return nodeSubnets(c).findIndex((s) => blockContains(block(s), n));
}

/** The node network a node sits on (the first when its address is in none). */
export function subnetOfNode(c: Pick<ClusterSpec, 'nodeNetwork' | 'nodeNetworks'>, n: Pick<NodeSpec, 'internalIP'>): string {
  const subnets = nodeSubnets(c);
  return subnets[Math.max(0, subnetIndexOf(c, n.internalIP))];
}

/** Whether two nodes share an L2 segment (a route via the other's address is on-link). */
export function sameSegment(c: Pick<ClusterSpec, 'nodeNetwork' | 'nodeNetworks'>, a: Pick<NodeSpec, 'internalIP'>, b: Pick<NodeSpec, 'internalIP'>): boolean {
  return subnetIndexOf(c, a.internalIP) === subnetIndexOf(c, b.internalIP);
}

/** A subnet's router address, by convention its first: every node's default gateway there. */
export function gatewayOf(subnet: string): string {
  return ipText(block(subnet).first + 1);
}

/** The switch netns of node network i: `node-network` for the first, `node-network-2`… after it. */
export function switchNetnsOf(i: number): string {
  return i === 0 ? 'node-network' : `node-network-${i + 1}`;
}

/** Where a node's default route takes it toward a node on another segment: its own network's router (undefined on the same segment). */
export function gatewayToward(c: Pick<ClusterSpec, 'nodeNetwork' | 'nodeNetworks'>, n: Pick<NodeSpec, 'internalIP'>): (r: Pick<NodeSpec, 'internalIP'>) => string | undefined {
  return (r) => (sameSegment(c, n, r) ? undefined : gatewayOf(subnetOfNode(c, n)));
}
