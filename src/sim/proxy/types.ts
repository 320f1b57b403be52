import type { Scenario } from '../model.ts';
import type { PacketAddress } from '../dataplane/kubeProxy.ts';
import type { Netns, Rule, Table } from '../dataplane/types.ts';
import type { KubeProxyMode } from './modes.ts';
import type { NftRuleset } from './nftables.ts';

/**
 * kube-proxy's rules for a cluster, as the walk, `show` and the lab read them. The nat
 * and filter hooks are asked chain by chain (the built-in chains PREROUTING, OUTPUT,
 * POSTROUTING, INPUT, FORWARD are where a mode's rules are entered from); what lives
 * in iptables' own tables is `natEverything` and `filter.rules` (iptables-save).
 */
export interface KubeProxyRules {
  /** The filter hooks: INPUT, FORWARD, OUTPUT and the chains they lead to. */
  readonly filter: Table;
  /** The rules of one nat chain, built on first use. */
  natChain(chain: string): Rule[];
  /** The rules of a nat chain that a packet to `p` can match. */
  natChainFor(chain: string, p: PacketAddress): Rule[];
  /** Every chain and rule this mode writes into iptables' nat table (none in nftables mode). */
  natEverything(): { chains: string[]; rules: Rule[] };
  /**
   * Its own nftables table for a node, as data (./nftablesText.ts prints it as `nft list
   * table …` shows it and as the `nft -f` input that loads it). Absent for a mode that
   * writes no nftables table.
   */
  nftables?: {
    ruleset(node: Netns): NftRuleset;
  };
}

export interface ProxyPlugin {
  /** The mode, or `replaced`: kube-proxy does not run, the CNI does its work (Cilium's kubeProxyReplacement). */
  readonly mode: KubeProxyMode | 'replaced';
  /** What it models, in a few words for people. */
  readonly title: string;
  /**
   * Its rules for the cluster, on `node`: only a Service with a Local traffic policy
   * makes them differ from node to node (hasLocalTrafficPolicy), so without one the
   * caller may share one set (undefined: every node's).
   */
  rules(s: Scenario, node: string | undefined): KubeProxyRules;
}
