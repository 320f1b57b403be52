// bridge-hostgw: flannel's host-gw backend. Pods on cni0 (./flannelDelegate.ts);
// between nodes a plain route per node, `<podCIDR> via <node IP> dev eth0`, which
// needs every node on one L2 segment.
import type { NodeSpec } from '../model.ts';
import { ETHERNET_MTU } from './mtu.ts';
import { flannelDelegate } from './flannelDelegate.ts';
import type { CniPlugin, MacOf, OnThisSegment, TowardRemotes } from './types.ts';

export const bridgeHostgw: CniPlugin = {
  mode: 'bridge-hostgw',
  title: "flannel's host-gw backend: a route to each node",
  // host-gw: subnet.env's MTU is the node interface's.
  ...flannelDelegate(ETHERNET_MTU),
  nodeDevices: () => [],
  towardRemotes(_node: NodeSpec, remotes: readonly NodeSpec[], _macOf: MacOf, onSegment: OnThisSegment): TowardRemotes {
    const out: TowardRemotes = { routes: [], neighbours: [], fdb: [] };
    for (const r of remotes) {
      if (!r.podCIDR || !r.internalIP) continue;
      // host-gw routes a podCIDR via its node's own address, which must be on-link: toward a
      // node on another rack the kernel refuses the route (flanneld logs the error), so none is written.
      if (onSegment(r)) out.routes.push({ dst: r.podCIDR, via: r.internalIP, dev: 'eth0' });
      else (out.notOnLink ??= []).push({ dst: r.podCIDR, via: r.internalIP, remote: r.name, by: "flannel's host-gw backend", refusedBy: 'kernel' });
    }
    return out;
  },
};
