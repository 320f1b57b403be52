// The CNI plugins, one per mode: a Record, so a mode without its plugin does not compile.
import type { ClusterSpec } from '../model.ts';
import { bridgeHostgw } from './bridgeHostgw.ts';
import { flannelVxlan } from './flannelVxlan.ts';
import type { CniMode } from './modes.ts';
import type { CniPlugin } from './types.ts';
import { vpc } from './vpc.ts';
import { calico } from './calico.ts';
import { cilium } from './cilium.ts';

export const CNI_PLUGINS: Readonly<Record<CniMode, CniPlugin>> = {
  'bridge-hostgw': bridgeHostgw,
  'flannel-vxlan': flannelVxlan,
  vpc,
  calico,
  cilium,
};

/** The plugin of the cluster's CNI. */
export function cniOf(cluster: Pick<ClusterSpec, 'cni'> & Partial<ClusterSpec>): CniPlugin {
  const plugin = CNI_PLUGINS[cluster.cni];
  // A plugin whose devices depend on the cluster's settings (Calico's IPPool) is bound to them.
  return plugin.bind ? plugin.bind(cluster as ClusterSpec) : plugin;
}

export { CNI_MODES, DEFAULT_CNI, type CniMode } from './modes.ts';
export type { CniPlugin, GatewayToward, HostSide, MacOf, OnThisSegment, PodAddressing, PodNetworking, TowardRemotes, Tunnel } from './types.ts';
export { ETHERNET_MTU, VXLAN_MTU } from './mtu.ts';
export { FLANNEL_DEVICE, FLANNEL_PORT, FLANNEL_VNI, flannelAddress } from './flannelVxlan.ts';
export { calicoVethName, CALICO_GATEWAY, CALICO_VETH_MAC, CALICO_VXLAN_DEVICE, CALICO_IPIP_DEVICE, IPIP_MODELLED } from './calico.ts';
export { calicoPoolOf, DEFAULT_CALICO_POOL, CALICO_ENCAP_MODES, type CalicoPool, type CalicoEncapMode } from './calicoPool.ts';
export { ciliumVethName, CILIUM_HOST, CILIUM_NET, CILIUM_VXLAN, EBPF_MODELLED } from './cilium.ts';
export { ciliumConfigOf, DEFAULT_CILIUM, type CiliumConfig } from './ciliumConfig.ts';
export type { EbpfDatapath, EbpfVerdict, EbpfView } from './types.ts';
