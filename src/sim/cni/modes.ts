// The CNI modes podpath models, by the names a Cluster document gives them. Each is a
// plugin in ./index.ts (a Record over this union, so a mode without its plugin is a
// type error); code elsewhere asks the plugin, never tests the name.

/** How pods get addresses and how packets cross between nodes. */
export type CniMode = 'bridge-hostgw' | 'flannel-vxlan' | 'vpc' | 'calico' | 'cilium';
export const CNI_MODES: readonly CniMode[] = ['bridge-hostgw', 'flannel-vxlan', 'vpc', 'calico', 'cilium'];

/** kubeadm + flannel's defaults (kube-flannel.yml's backend is vxlan): a file without a Cluster document. */
export const DEFAULT_CNI: CniMode = 'flannel-vxlan';
