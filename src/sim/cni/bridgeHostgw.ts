// bridge-hostgw: flannel's host-gw backend. Pods on cni0 (./flannelDelegate.ts);
// between nodes a plain route per node, `<podCIDR> via <node IP> dev eth0`, which
// needs every node on one L2 segment.
import type { NodeSpec } from '../model.ts';
import { ETHERNET_MTU } from './mtu.ts';
import { flannelDelegate } from './flannelDelegate.ts';
import type { CniPlugin, TowardRemotes } from './types.ts';

export const bridgeHostgw: CniPlugin = {
  mode: 'bridge-hostgw',
  title: "flannel's host-gw backend: a route to each node",
  // host-gw: subnet.env's MTU is the node interface's.
  ...flannelDelegate(ETHERNET_MTU),
  nodeDevices: () => [],
  towardRemotes(_node: NodeSpec, remotes: readonly NodeSpec[]): TowardRemotes {
    const out: TowardRemotes = { routes: [], neighbours: [], fdb: [] };
    for (const r of remotes) if (r.podCIDR) out.routes.push({ dst: r.podCIDR, via: r.internalIP, dev: 'eth0' });
    return out;
  },
};
