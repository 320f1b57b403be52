// The kube-proxy plugins, one per mode: a Record, so a mode without its plugin does not compile.
import type { ClusterSpec } from '../model.ts';
import { iptablesProxy } from './iptables.ts';
import { LateKubeProxyRules } from './late.ts';
import { replacedProxy } from './replaced.ts';
import { cniOf } from '../cni/index.ts';
import type { KubeProxyMode } from './modes.ts';
import type { ProxyPlugin } from './types.ts';

export const PROXY_PLUGINS: Readonly<Record<KubeProxyMode, ProxyPlugin>> = {
  iptables: iptablesProxy,
  // Its rules load with what reads the tables (dataplane/tables.ts), not with the first view.
  nftables: {
    mode: 'nftables',
    title: "nftables: kube-proxy's table ip kube-proxy (verdict maps, numgen)",
    rules: (s, node) => new LateKubeProxyRules('nftables', s, node),
  },
};

/**
 * The plugin of the cluster's kube-proxy mode; none of kube-proxy's rules when the CNI
 * replaces it (Cilium's kubeProxyReplacement: its socket-LB does the Services).
 */
export function proxyOf(cluster: ClusterSpec): ProxyPlugin {
  if (cniOf(cluster).ebpf?.socketLb) return replacedProxy;
  return PROXY_PLUGINS[cluster.kubeProxy];
}

export { DEFAULT_KUBE_PROXY, KUBE_PROXY_MODES, UNOFFERED_KUBE_PROXY_MODES, type KubeProxyMode } from './modes.ts';
export type { KubeProxyRules, ProxyPlugin } from './types.ts';
