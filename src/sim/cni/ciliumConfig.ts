// Cilium's datapath settings, as the Cluster document spells them (`spec.cilium`), with
// the names of Cilium's Helm values (install/kubernetes/cilium/values.yaml):
// routingMode, tunnelProtocol, kubeProxyReplacement.
import type { PodpathIssue } from '../errors.ts';

export type CiliumRoutingMode = 'tunnel' | 'native';
export type CiliumTunnelProtocol = 'vxlan' | 'geneve';

export interface CiliumConfig {
  /** How pod traffic crosses between nodes: encapsulated (tunnel) or routed by the network (native). */
  routingMode: CiliumRoutingMode;
  /** The encapsulation in tunnel mode. */
  tunnelProtocol: CiliumTunnelProtocol;
  /** Cilium's eBPF programs do kube-proxy's work (socket-LB at connect()); kube-proxy does not run. */
  kubeProxyReplacement: boolean;
}

/**
 * Helm's defaults: routingMode "" means tunnel, tunnelProtocol "" means vxlan,
 * kubeProxyReplacement "false".
 */
export const DEFAULT_CILIUM: CiliumConfig = { routingMode: 'tunnel', tunnelProtocol: 'vxlan', kubeProxyReplacement: false };

export function ciliumConfigOf(c: { cilium?: Partial<CiliumConfig> }): CiliumConfig {
  return { ...DEFAULT_CILIUM, ...(c.cilium ?? {}) };
}

/** Why `spec.cilium` cannot be read, field by field. */
export function ciliumConfigProblems(value: unknown, document: string): { config?: Partial<CiliumConfig>; issues: PodpathIssue[] } {
  const issues: PodpathIssue[] = [];
  const add = (field: string, reason: string) => issues.push({ document, field: `spec.cilium${field}`, reason });
  if (value === undefined || value === null) return { issues };
  if (typeof value !== 'object' || Array.isArray(value)) {
    add('', `must be a mapping such as {routingMode: tunnel, tunnelProtocol: vxlan, kubeProxyReplacement: true}, got ${JSON.stringify(value)}`);
    return { issues };
  }
  const v = value as Record<string, unknown>;
  const config: Partial<CiliumConfig> = {};
  for (const key of Object.keys(v)) {
    if (key !== 'routingMode' && key !== 'tunnelProtocol' && key !== 'kubeProxyReplacement') add(`.${key}`, 'is not a Cilium setting podpath reads (it reads routingMode, tunnelProtocol and kubeProxyReplacement, as Helm values)');
  }
  if (v.routingMode !== undefined) {
    if (v.routingMode === 'tunnel') config.routingMode = 'tunnel';
    else if (v.routingMode === 'native') add('.routingMode', "native is not modelled yet: podpath models Cilium's tunnel mode (routingMode: tunnel, Helm's default), where cilium_vxlan carries pod traffic between nodes");
    else add('.routingMode', `must be tunnel or native (Cilium's Helm value), got ${JSON.stringify(v.routingMode)}`);
  }
  if (v.tunnelProtocol !== undefined) {
    if (v.tunnelProtocol === 'vxlan') config.tunnelProtocol = 'vxlan';
    else if (v.tunnelProtocol === 'geneve') add('.tunnelProtocol', "geneve is not offered: this machine's kernel has no GENEVE, so podpath could not check it; use vxlan (Helm's default)");
    else add('.tunnelProtocol', `must be vxlan or geneve (Cilium's Helm value), got ${JSON.stringify(v.tunnelProtocol)}`);
  }
  if (v.kubeProxyReplacement !== undefined) {
    // Helm takes the strings "true"/"false" as well (values.yaml quotes its default).
    const k = v.kubeProxyReplacement;
    if (k === true || k === 'true') config.kubeProxyReplacement = true;
    else if (k === false || k === 'false') config.kubeProxyReplacement = false;
    else add('.kubeProxyReplacement', `must be true or false, got ${JSON.stringify(k)}`);
  }
  return { config, issues };
}
