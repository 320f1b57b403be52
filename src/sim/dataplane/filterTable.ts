// A node's filter table when a CNI daemon writes filter chains of its own beside
// kube-proxy's (felix): the daemon's jumps at the top of the built-in chains (it
// inserts them first), kube-proxy's rules, the daemon's appended rules at the
// bottom, and the daemon's own chains. kube-proxy's part stays lazy (its table works
// out per-Service rules only when a packet meets them).
import type { Rule, Table } from './types.ts';
import type { PacketAddress } from './kubeProxy.ts';

export interface DaemonFilterRules {
  chains: string[];
  /** Jumps it inserts at the top of INPUT/FORWARD/OUTPUT. */
  top: Rule[];
  /** Rules it appends to the built-in chains. */
  bottom: Rule[];
  /** Its own chains' rules. */
  rules: Rule[];
}

const BUILTIN = new Set(['INPUT', 'FORWARD', 'OUTPUT']);

export class NodeFilterTable implements Table {
  readonly name = 'filter';
  private made?: { daemon: DaemonFilterRules; own: Map<string, Rule[]> };

  constructor(
    private readonly kubeProxy: Table,
    private readonly make: () => DaemonFilterRules,
  ) {}

  /** The daemon's rules, made on first use. */
  private get daemon(): DaemonFilterRules {
    return this.built().daemon;
  }

  private get own(): Map<string, Rule[]> {
    return this.built().own;
  }

  private built() {
    if (!this.made) {
      const daemon = this.make();
      const own = new Map<string, Rule[]>();
      for (const r of daemon.rules) {
        let list = own.get(r.chain);
        if (!list) own.set(r.chain, (list = []));
        list.push(r);
      }
      this.made = { daemon, own };
    }
    return this.made;
  }

  get chains() {
    const kp = this.kubeProxy.chains;
    const builtins = kp.filter((c) => BUILTIN.has(c.name));
    const theirs = kp.filter((c) => !BUILTIN.has(c.name));
    // iptables-save lists user chains by name.
    const users = [...theirs.map((c) => c.name), ...this.daemon.chains].sort().map((name) => ({ name }));
    return [...builtins, ...users];
  }

  /**
   * Every rule as iptables-save lists them: kube-proxy's part as its table lists it
   * (in nftables mode none: what its rulesOf gives for a built-in chain are stand-ins
   * for the nft base chains a walk enters, not iptables rules).
   */
  get rules(): Rule[] {
    const listed = this.kubeProxy.rules;
    const out: Rule[] = [];
    for (const c of this.chains) out.push(...this.compose(c.name, () => listed.filter((r) => r.chain === c.name)));
    return out;
  }

  private compose(chain: string, kubeProxyRules: () => Rule[]): Rule[] {
    const own = this.own.get(chain);
    if (own) return own;
    if (!BUILTIN.has(chain)) return kubeProxyRules();
    return [...this.daemon.top.filter((r) => r.chain === chain), ...kubeProxyRules(), ...this.daemon.bottom.filter((r) => r.chain === chain)];
  }

  rulesOf(chain: string): Rule[] {
    return this.compose(chain, () => this.kubeProxy.rulesOf?.(chain) ?? this.kubeProxy.rules.filter((r) => r.chain === chain));
  }

  rulesFor(chain: string, p: PacketAddress): Rule[] {
    return this.compose(chain, () => this.kubeProxy.rulesFor?.(chain, p) ?? this.rulesOfKubeProxy(chain));
  }

  private rulesOfKubeProxy(chain: string): Rule[] {
    return this.kubeProxy.rulesOf?.(chain) ?? this.kubeProxy.rules.filter((r) => r.chain === chain);
  }
}
