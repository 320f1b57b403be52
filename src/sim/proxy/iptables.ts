// kube-proxy in iptables mode: KUBE-SERVICES, KUBE-SVC-…, KUBE-SEP-… (../dataplane/kubeProxy.ts).
import type { Scenario } from '../model.ts';
import { KubeProxy } from '../dataplane/kubeProxy.ts';
import type { ProxyPlugin } from './types.ts';

export const iptablesProxy: ProxyPlugin = {
  mode: 'iptables',
  title: "iptables: kube-proxy's NAT chains",
  rules: (s: Scenario, node: string | undefined) => new KubeProxy(s, node),
};
