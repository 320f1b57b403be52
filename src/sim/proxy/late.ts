// kube-proxy's rules for a mode whose module loads with what reads the tables
// (cni/daemonRules.ts): a stand-in that builds them on first use, so compiling a
// cluster for the canvas does not need the module.
import type { Scenario } from '../model.ts';
import type { PacketAddress } from '../dataplane/kubeProxy.ts';
import type { Netns, Rule, Table } from '../dataplane/types.ts';
import { kubeProxyOf, type LateKubeProxy } from '../cni/daemonRules.ts';
import type { KubeProxyRules } from './types.ts';

export class LateKubeProxyRules implements KubeProxyRules {
  private real?: KubeProxyRules;
  readonly filter: Table;
  readonly nftables: KubeProxyRules['nftables'];

  constructor(
    private readonly mode: LateKubeProxy,
    private readonly s: Scenario,
    private readonly node: string | undefined,
  ) {
    const rules = () => this.rules();
    this.filter = {
      name: 'filter',
      get chains() {
        return rules().filter.chains;
      },
      get rules() {
        return rules().filter.rules;
      },
      rulesOf: (chain: string) => {
        const f = rules().filter;
        return f.rulesOf ? f.rulesOf(chain) : f.rules.filter((r) => r.chain === chain);
      },
      rulesFor: (chain: string, p: PacketAddress) => {
        const f = rules().filter;
        return f.rulesFor ? f.rulesFor(chain, p) : f.rulesOf ? f.rulesOf(chain) : f.rules.filter((r) => r.chain === chain);
      },
    };
    this.nftables = { ruleset: (n: Netns) => rules().nftables!.ruleset(n) };
  }

  private rules(): KubeProxyRules {
    return (this.real ??= kubeProxyOf(this.mode)(this.s, this.node));
  }

  natChain(chain: string): Rule[] {
    return this.rules().natChain(chain);
  }

  natChainFor(chain: string, p: PacketAddress): Rule[] {
    return this.rules().natChainFor(chain, p);
  }

  natEverything(): { chains: string[]; rules: Rule[] } {
    return this.rules().natEverything();
  }
}
