// The kube-proxy plugins, one per mode: a Record, so a mode without its plugin does not compile.
import type { ClusterSpec } from '../model.ts';
import { iptablesProxy } from './iptables.ts';
import { nftablesProxy } from './nftables.ts';
import type { KubeProxyMode } from './modes.ts';
import type { ProxyPlugin } from './types.ts';

export const PROXY_PLUGINS: Readonly<Record<KubeProxyMode, ProxyPlugin>> = {
  iptables: iptablesProxy,
  nftables: nftablesProxy,
};

/** The plugin of the cluster's kube-proxy mode. */
export function proxyOf(cluster: Pick<ClusterSpec, 'kubeProxy'>): ProxyPlugin {
  return PROXY_PLUGINS[cluster.kubeProxy];
}

export { DEFAULT_KUBE_PROXY, KUBE_PROXY_MODES, UNOFFERED_KUBE_PROXY_MODES, type KubeProxyMode } from './modes.ts';
export type { KubeProxyRules, ProxyPlugin } from './types.ts';
