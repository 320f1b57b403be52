// Cilium's datapath settings, as the Cluster document spells them (`spec.cilium`), with
// the names of Cilium's Helm values (install/kubernetes/cilium/values.yaml):
// routingMode, tunnelProtocol, kubeProxyReplacement.

export type CiliumRoutingMode = 'tunnel' | 'native';
export type CiliumTunnelProtocol = 'vxlan' | 'geneve';

export interface CiliumConfig {
  /** How pod traffic crosses between nodes: encapsulated (tunnel) or routed by the network (native). */
  routingMode: CiliumRoutingMode;
  /** The encapsulation in tunnel mode. */
  tunnelProtocol: CiliumTunnelProtocol;
  /** Cilium's eBPF programs do kube-proxy's work (socket-LB at connect()); kube-proxy does not run. */
  kubeProxyReplacement: boolean;
  /** Native routing: each node routes the others' podCIDRs via their addresses (nodes on one L2 segment). */
  autoDirectNodeRoutes: boolean;
}

/**
 * Helm's defaults: routingMode "" means tunnel, tunnelProtocol "" means vxlan,
 * kubeProxyReplacement "false", autoDirectNodeRoutes false.
 */
export const DEFAULT_CILIUM: CiliumConfig = { routingMode: 'tunnel', tunnelProtocol: 'vxlan', kubeProxyReplacement: false, autoDirectNodeRoutes: false };

export function ciliumConfigOf(c: { cilium?: Partial<CiliumConfig> }): CiliumConfig {
  return { ...DEFAULT_CILIUM, ...(c.cilium ?? {}) };
}
