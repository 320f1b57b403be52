// Where a CNI daemon's filter chains come from (felix's, ./calicoPolicy.ts). They are
// read only by what walks, shows or builds the tables (the trace, `show`, the lab),
// never by the first view, so their module loads with those: it provides its builder
// here when it loads. Asked for before that, it is podpath's bug, said as one, never
// a table quietly without the daemon's chains.
import type { PodSpec, Scenario } from '../model.ts';
import type { DaemonFilterRules } from '../dataplane/filterTable.ts';

export type FilterRulesBuilder = (s: Scenario, pods: readonly PodSpec[], vethOf: (p: PodSpec) => string) => DaemonFilterRules;
export type FilterDaemon = 'felix';

const builders: Partial<Record<FilterDaemon, FilterRulesBuilder>> = {};

export function provideFilterRules(daemon: FilterDaemon, build: FilterRulesBuilder): void {
  builders[daemon] = build;
}

export function filterRulesOf(daemon: FilterDaemon): FilterRulesBuilder {
  const build = builders[daemon];
  if (!build) throw new Error(`internal: ${daemon}'s filter chains were asked for before cni/calicoPolicy.ts loaded (import it where the tables are read)`);
  return build;
}

/** kube-proxy modes whose rules load with what reads the tables (nftables mode: ../proxy/nftables.ts). */
export type LateKubeProxy = 'nftables';
type KubeProxyBuilder = (s: Scenario, node: string | undefined) => import('../proxy/types.ts').KubeProxyRules;
const kubeProxies: Partial<Record<LateKubeProxy, KubeProxyBuilder>> = {};

export function provideKubeProxy(mode: LateKubeProxy, build: KubeProxyBuilder): void {
  kubeProxies[mode] = build;
}

export function kubeProxyOf(mode: LateKubeProxy): KubeProxyBuilder {
  const build = kubeProxies[mode];
  if (!build) throw new Error(`internal: kube-proxy's ${mode} rules were asked for before proxy/${mode}.ts loaded (import dataplane/tables.ts where the tables are read)`);
  return build;
}
