// kube-proxy's modes podpath models, by the names a Cluster document gives them. Each
// is a plugin in ./index.ts (a Record over this union).

/** kube-proxy's mode. */
export type KubeProxyMode = 'iptables' | 'nftables';
export const KUBE_PROXY_MODES: readonly KubeProxyMode[] = ['iptables', 'nftables'];

/** kube-proxy's default on Linux. */
export const DEFAULT_KUBE_PROXY: KubeProxyMode = 'iptables';

/**
 * kube-proxy modes podpath does not offer, and why (a Cluster document naming one is
 * refused with this reason; the playground's selector shows it disabled with it).
 */
export const UNOFFERED_KUBE_PROXY_MODES: Readonly<Record<string, string>> = {
  ipvs: 'IPVS mode is deprecated upstream (Kubernetes 1.35) and this machine\'s kernel has no IPVS, so podpath could not check it against the kernel',
};
