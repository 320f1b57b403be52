// Reading Cilium's Helm values from a Cluster document, with the reasons a value is refused:
// loaded with the parser, not the first view.
import type { PodpathIssue } from '../errors.ts';
import type { CiliumConfig } from './ciliumConfig.ts';

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
    if (key !== 'routingMode' && key !== 'tunnelProtocol' && key !== 'kubeProxyReplacement' && key !== 'autoDirectNodeRoutes') add(`.${key}`, 'is not a Cilium setting podpath reads (it reads routingMode, tunnelProtocol, kubeProxyReplacement and autoDirectNodeRoutes, as Helm values)');
  }
  if (v.routingMode !== undefined) {
    if (v.routingMode === 'tunnel') config.routingMode = 'tunnel';
    else if (v.routingMode === 'native') {
      // The routes between nodes must come from somewhere: podpath models Cilium writing them itself.
      if (v.autoDirectNodeRoutes === true || v.autoDirectNodeRoutes === 'true') config.routingMode = 'native';
      else add('.routingMode', "native needs the routes between nodes from somewhere: podpath models Cilium writing them itself (autoDirectNodeRoutes: true: each node routes the others' podCIDRs via their addresses); without it they come from the network (BGP, a cloud's routes), which podpath does not model");
    }
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
  if (v.autoDirectNodeRoutes !== undefined) {
    const a = v.autoDirectNodeRoutes;
    if (a === true || a === 'true') config.autoDirectNodeRoutes = true;
    else if (a === false || a === 'false') config.autoDirectNodeRoutes = false;
    else add('.autoDirectNodeRoutes', `must be true or false, got ${JSON.stringify(a)}`);
  }
  return { config, issues };
}
