import type { Scenario } from '../model.ts';
import type { KubeProxy } from '../dataplane/kubeProxy.ts';
import type { KubeProxyMode } from './modes.ts';

export interface ProxyPlugin {
  readonly mode: KubeProxyMode;
  /** What it models, in a few words for people. */
  readonly title: string;
  /** Its rules for the cluster: the same on every node, built once per compile. */
  rules(s: Scenario): KubeProxy;
}
