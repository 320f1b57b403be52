// The CNI plugins, one per mode: a Record, so a mode without its plugin does not compile.
import type { ClusterSpec } from '../model.ts';
import { bridgeHostgw } from './bridgeHostgw.ts';
import { flannelVxlan } from './flannelVxlan.ts';
import type { CniMode } from './modes.ts';
import type { CniPlugin } from './types.ts';
import { vpc } from './vpc.ts';

export const CNI_PLUGINS: Readonly<Record<CniMode, CniPlugin>> = {
  'bridge-hostgw': bridgeHostgw,
  'flannel-vxlan': flannelVxlan,
  vpc,
};

/** The plugin of the cluster's CNI. */
export function cniOf(cluster: Pick<ClusterSpec, 'cni'>): CniPlugin {
  return CNI_PLUGINS[cluster.cni];
}

export { CNI_MODES, DEFAULT_CNI, type CniMode } from './modes.ts';
export type { CniPlugin, HostSide, MacOf, PodAddressing, PodNetworking, TowardRemotes, Tunnel } from './types.ts';
export { ETHERNET_MTU, VXLAN_MTU } from './mtu.ts';
export { FLANNEL_DEVICE, FLANNEL_PORT, FLANNEL_VNI, flannelAddress } from './flannelVxlan.ts';
