// kube-proxy's modes podpath models, by the names a Cluster document gives them. Each
// is a plugin in ./index.ts (a Record over this union).

/** kube-proxy's mode. Only iptables is modelled so far. */
export type KubeProxyMode = 'iptables';
export const KUBE_PROXY_MODES: readonly KubeProxyMode[] = ['iptables'];

/** kube-proxy's default on Linux. */
export const DEFAULT_KUBE_PROXY: KubeProxyMode = 'iptables';
