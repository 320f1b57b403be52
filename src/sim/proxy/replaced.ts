// No kube-proxy: the CNI's eBPF programs do its work (Cilium's kubeProxyReplacement).
// The nodes hold none of kube-proxy's rules: no KUBE-* chains, no table ip kube-proxy.
// A pod's connect to a ClusterIP is rewritten at connect() by the CNI's socket-LB
// (trace/walk.ts), so no DNAT appears on the wire.
import type { Rule } from '../dataplane/types.ts';
import { builtins } from '../dataplane/kubeProxy.ts';
import type { KubeProxyRules, ProxyPlugin } from './types.ts';

const none: Rule[] = [];
const rules: KubeProxyRules = {
  filter: { name: 'filter', chains: builtins('filter'), rules: [] },
  natChain: () => none,
  natChainFor: () => none,
  natEverything: () => ({ chains: [], rules: [] }),
};

export const replacedProxy: ProxyPlugin = {
  mode: 'replaced',
  title: "no kube-proxy: the CNI's eBPF programs (socket-LB) do its work",
  rules: () => rules,
};
