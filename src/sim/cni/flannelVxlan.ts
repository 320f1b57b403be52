// flannel-vxlan: flannel's vxlan backend. Pods on cni0 (./flannelDelegate.ts) with
// MTU 1450; each node has flannel.1 (VNI 1, UDP 8472, the network address of its
// lease as /32), and per remote node a route via that node's flannel.1 address
// `onlink`, a permanent neighbour with its VTEP MAC, and an FDB entry from that MAC to
// the node's IP: what flanneld writes from the leases (no learning, no multicast).
import type { NodeSpec } from '../model.ts';
import { block, ipText } from '../ipam/addresses.ts';
import { macFor } from '../util/hash.ts';
import type { Device } from '../dataplane/types.ts';
import { VXLAN_MTU } from './mtu.ts';
import { flannelDelegate } from './flannelDelegate.ts';
import type { CniPlugin, MacOf, TowardRemotes, Tunnel } from './types.ts';

export const FLANNEL_DEVICE = 'flannel.1';
export const FLANNEL_VNI = 1;
export const FLANNEL_PORT = 8472;

/** flannel.1's address: the network address of the node's podCIDR, as /32. */
export function flannelAddress(podCIDR: string): string {
  return ipText(block(podCIDR).first);
}

const tunnel: Tunnel = {
  device: FLANNEL_DEVICE,
  vni: FLANNEL_VNI,
  port: FLANNEL_PORT,
  mtu: VXLAN_MTU,
  address: (n: NodeSpec) => (n.podCIDR ? flannelAddress(n.podCIDR) : undefined),
};

export const flannelVxlan: CniPlugin = {
  mode: 'flannel-vxlan',
  title: "flannel's vxlan backend: a VXLAN tunnel between nodes",
  ...flannelDelegate(VXLAN_MTU),
  tunnel,
  nodeDevices(n: NodeSpec): Device[] {
    const address = tunnel.address(n);
    if (address === undefined) return [];
    return [
      {
        name: FLANNEL_DEVICE,
        kind: 'vxlan',
        mac: macFor(`${n.name}/${FLANNEL_DEVICE}`),
        mtu: VXLAN_MTU,
        addresses: [{ ip: address, prefixLength: 32 }],
        vxlan: { vni: FLANNEL_VNI, dstport: FLANNEL_PORT, local: n.internalIP!, dev: 'eth0' },
      },
    ];
  },
  towardRemotes(node: NodeSpec, remotes: readonly NodeSpec[], macOf: MacOf): TowardRemotes {
    const out: TowardRemotes = { routes: [], neighbours: [], fdb: [] };
    if (!node.podCIDR) return out;
    for (const r of remotes) {
      if (!r.podCIDR) continue;
      const vtep = flannelAddress(r.podCIDR);
      const vtepMac = macOf(r.name, FLANNEL_DEVICE)!;
      out.routes.push({ dst: r.podCIDR, via: vtep, dev: FLANNEL_DEVICE, onlink: true });
      out.neighbours.push({ ip: vtep, dev: FLANNEL_DEVICE, mac: vtepMac });
      out.fdb.push({ mac: vtepMac, dev: FLANNEL_DEVICE, dst: r.internalIP });
    }
    return out;
  },
};
