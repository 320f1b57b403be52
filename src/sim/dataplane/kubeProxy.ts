// kube-proxy in iptables mode: the nat and filter rules it writes on every node.
//
//   PREROUTING/OUTPUT → KUBE-SERVICES ─ ClusterIP:port → KUBE-SVC-<hash>
//                                    └ (last) dst-type LOCAL → KUBE-NODEPORTS → KUBE-EXT-<hash> → KUBE-SVC-<hash>
//   KUBE-SVC-<hash>: endpoint i of n with probability 1/(n-i), the last unconditional → KUBE-SEP-<hash>
//   KUBE-SEP-<hash>: DNAT --to-destination podIP:targetPort
//   KUBE-MARK-MASQ marks 0x4000; POSTROUTING → KUBE-POSTROUTING MASQUERADEs marked packets.
//   A Service port without endpoints: REJECT in the filter table's KUBE-SERVICES.
// The chain names are kube-proxy's: base32(sha256(servicePortName + protocol))[:16].
//
// The rules are the same on every node, so they are built once per cluster, and
// per Service only when a packet (or `show`) needs them: a trace on a cluster
// with 10,000 Services reads KUBE-SERVICES and the chains of one Service.
import type { Scenario, ServicePort, ServiceSpec } from '../model.ts';
import { kubeProxyHash } from '../util/hash.ts';
import { cniOf } from '../cni/index.ts';
import { endpointsOf, endpointString, servicePortName, type Endpoint } from './endpoints.ts';
import { rule } from './iptables.ts';
import type { Rule, Table } from './types.ts';

export const MASQ_MARK = 0x4000;

/** The cluster CIDR kube-proxy treats as "local" (--cluster-cidr): traffic from outside it is masqueraded. */
export function kubeProxyClusterCIDR(s: Scenario): string {
  return cniOf(s.cluster).clusterPodRange(s.cluster);
}

interface ServicePortChains {
  svc: ServiceSpec;
  sp: ServicePort;
  name: string;
  proto: 'tcp' | 'udp';
  svcChain: string;
  extChain?: string;
  endpoints: Endpoint[];
  sepChains: string[];
}

export class KubeProxy {
  /** Jumps from the built-in chains, and kube-proxy's fixed chains. */
  readonly baseNat: Rule[];
  readonly filter: Table;
  private servicesRules?: Rule[];
  private nodePortRules?: Rule[];
  private readonly ports: ServicePortChains[] = [];
  /** KUBE-SVC-/KUBE-EXT-/KUBE-SEP- chain name → the Service port that owns it. */
  private readonly owner = new Map<string, ServicePortChains>();
  private readonly built = new Map<string, Rule[]>();
  private everything?: { chains: string[]; rules: Rule[] };

  constructor(private readonly s: Scenario) {
    this.baseNat = [
      rule('PREROUTING', { comment: 'kubernetes service portals' }, { kind: 'jump', chain: 'KUBE-SERVICES' }),
      rule('OUTPUT', { comment: 'kubernetes service portals' }, { kind: 'jump', chain: 'KUBE-SERVICES' }),
      rule('POSTROUTING', { comment: 'kubernetes postrouting rules' }, { kind: 'jump', chain: 'KUBE-POSTROUTING' }),
      rule('KUBE-MARK-MASQ', {}, { kind: 'mark', setXmark: '0x4000/0x4000' }),
      rule('KUBE-POSTROUTING', { mark: { value: MASQ_MARK, mask: MASQ_MARK, negate: true } }, { kind: 'return' }),
      rule('KUBE-POSTROUTING', {}, { kind: 'mark', setXmark: '0x4000/0x0' }),
      rule('KUBE-POSTROUTING', { comment: 'kubernetes service traffic requiring SNAT' }, { kind: 'masquerade', randomFully: true }),
    ];
    const filterRules: Rule[] = [
      rule('INPUT', { ctstateNew: true, comment: 'kubernetes externally-visible service portals' }, { kind: 'jump', chain: 'KUBE-EXTERNAL-SERVICES' }),
      rule('FORWARD', { ctstateNew: true, comment: 'kubernetes service portals' }, { kind: 'jump', chain: 'KUBE-SERVICES' }),
      rule('OUTPUT', { ctstateNew: true, comment: 'kubernetes service portals' }, { kind: 'jump', chain: 'KUBE-SERVICES' }),
    ];
    for (const svc of s.services) {
      if (!svc.clusterIP || svc.clusterIP === 'None') continue;
      for (const sp of svc.ports) {
        const name = servicePortName(svc, sp);
        const proto = sp.protocol === 'TCP' ? 'tcp' : 'udp';
        const endpoints = endpointsOf(s, svc, sp);
        if (endpoints.length === 0) {
          filterRules.push(rule('KUBE-SERVICES', { dst: svc.clusterIP, proto, comment: `${name} has no endpoints`, dport: sp.port }, { kind: 'reject' }, 'service-without-endpoints'));
          if (svc.type === 'NodePort' && sp.nodePort) {
            filterRules.push(rule('KUBE-EXTERNAL-SERVICES', { proto, comment: `${name} has no endpoints`, dstTypeLocal: true, dport: sp.nodePort }, { kind: 'reject' }, 'service-without-endpoints'));
          }
          continue;
        }
        this.ports.push({ svc, sp, name, proto, svcChain: '', endpoints, sepChains: [] });
      }
    }
    this.filter = { name: 'filter', chains: [...builtins('filter'), { name: 'KUBE-EXTERNAL-SERVICES' }, { name: 'KUBE-SERVICES' }], rules: filterRules };
  }

  /** KUBE-SERVICES and KUBE-NODEPORTS: one rule per Service port, naming its KUBE-SVC-/KUBE-EXT- chain. */
  private buildEntryChains(): void {
    if (this.servicesRules) return;
    const services: Rule[] = [];
    const nodePorts: Rule[] = [];
    for (const p of this.ports) {
      const entry = entryRulesOf(p);
      p.svcChain = entry.svcChain;
      this.owner.set(p.svcChain, p);
      services.push(entry.services);
      if (entry.extChain) {
        p.extChain = entry.extChain;
        this.owner.set(p.extChain, p);
        nodePorts.push(entry.nodePorts!);
      }
    }
    services.push(
      rule('KUBE-SERVICES', { comment: 'kubernetes service nodeports; NOTE: this must be the last rule in this chain', dstTypeLocal: true }, { kind: 'jump', chain: 'KUBE-NODEPORTS' }),
    );
    this.servicesRules = services;
    this.nodePortRules = nodePorts;
  }

  /** KUBE-EXT-, KUBE-SVC- and KUBE-SEP- chains of one Service port. */
  private buildServiceChains(p: ServicePortChains): void {
    if (this.built.has(p.svcChain)) return;
    const clusterCIDR = kubeProxyClusterCIDR(this.s);
    if (p.extChain) {
      this.built.set(p.extChain, [
        rule(p.extChain, { comment: `masquerade traffic for ${p.name} external destinations` }, { kind: 'jump', chain: 'KUBE-MARK-MASQ' }),
        rule(p.extChain, {}, { kind: 'jump', chain: p.svcChain }),
      ]);
    }
    const svcRules = [rule(p.svcChain, { notSrc: clusterCIDR, dst: p.svc.clusterIP, proto: p.proto, comment: `${p.name} cluster IP`, dport: p.sp.port }, { kind: 'jump', chain: 'KUBE-MARK-MASQ' })];
    p.sepChains = [];
    p.endpoints.forEach((ep, i) => {
      const sepChain = `KUBE-SEP-${kubeProxyHash(p.name + p.proto + endpointString(ep))}`;
      p.sepChains.push(sepChain);
      this.owner.set(sepChain, p);
      const remaining = p.endpoints.length - i;
      svcRules.push(rule(p.svcChain, { comment: `${p.name} -> ${endpointString(ep)}`, ...(remaining > 1 ? { probability: 1 / remaining } : {}) }, { kind: 'jump', chain: sepChain }));
      this.built.set(sepChain, [
        rule(sepChain, { src: ep.ip, comment: p.name }, { kind: 'jump', chain: 'KUBE-MARK-MASQ' }),
        rule(sepChain, { proto: p.proto, comment: p.name, protoModule: true }, { kind: 'dnat', to: endpointString(ep) }),
      ]);
    });
    this.built.set(p.svcChain, svcRules);
  }

  /** The rules of one nat chain, built on first use. */
  natChain(chain: string): Rule[] {
    this.buildEntryChains();
    if (chain === 'KUBE-SERVICES') return this.servicesRules!;
    if (chain === 'KUBE-NODEPORTS') return this.nodePortRules!;
    const owner = this.owner.get(chain);
    if (owner) {
      this.buildServiceChains(owner);
      return this.built.get(chain) ?? [];
    }
    return this.baseNat.filter((r) => r.chain === chain);
  }

  /** Every nat chain and rule, in the order kube-proxy writes them (for `show` and the lab). */
  natEverything(): { chains: string[]; rules: Rule[] } {
    if (this.everything) return this.everything;
    this.buildEntryChains();
    const chains = ['KUBE-MARK-MASQ', 'KUBE-NODEPORTS', 'KUBE-POSTROUTING', 'KUBE-SERVICES'];
    let rules = this.baseNat.concat(this.nodePortRules!, this.servicesRules!);
    const perService: Rule[] = [];
    for (const p of this.ports) {
      this.buildServiceChains(p);
      chains.push(p.svcChain);
      if (p.extChain) {
        chains.push(p.extChain);
        for (const r of this.built.get(p.extChain)!) perService.push(r);
      }
      for (const r of this.built.get(p.svcChain)!) perService.push(r);
      for (const sep of p.sepChains) {
        chains.push(sep);
        for (const r of this.built.get(sep)!) perService.push(r);
      }
    }
    // concat, not push(...): 10,000 Services make more rules than a call's argument list holds.
    rules = rules.concat(perService);
    return (this.everything = { chains, rules });
  }
}

/** A Service port's chain names and its rules in KUBE-SERVICES and KUBE-NODEPORTS. */
interface EntryRules {
  svcChain: string;
  extChain?: string;
  services: Rule;
  nodePorts?: Rule;
}

/**
 * Kept across compiles, per Service object and port: they are made from nothing
 * else, and the playground recompiles every Service's after each edit (a Service
 * that changes is a new object).
 */
const entryRules = new WeakMap<ServiceSpec, Map<ServicePort, EntryRules>>();

function entryRulesOf(p: ServicePortChains): EntryRules {
  let forService = entryRules.get(p.svc);
  if (!forService) entryRules.set(p.svc, (forService = new Map()));
  let e = forService.get(p.sp);
  if (!e) {
    const hash = kubeProxyHash(p.name + p.proto);
    const svcChain = `KUBE-SVC-${hash}`;
    e = { svcChain, services: rule('KUBE-SERVICES', { dst: p.svc.clusterIP, proto: p.proto, comment: `${p.name} cluster IP`, dport: p.sp.port }, { kind: 'jump', chain: svcChain }) };
    if (p.svc.type === 'NodePort' && p.sp.nodePort) {
      e.extChain = `KUBE-EXT-${hash}`;
      e.nodePorts = rule('KUBE-NODEPORTS', { proto: p.proto, comment: p.name, dport: p.sp.nodePort }, { kind: 'jump', chain: e.extChain });
    }
    forService.set(p.sp, e);
  }
  return e;
}

export function builtins(table: 'nat' | 'filter'): { name: string; policy: 'ACCEPT' }[] {
  return (table === 'nat' ? ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'] : ['INPUT', 'FORWARD', 'OUTPUT']).map((name) => ({ name, policy: 'ACCEPT' }));
}

/**
 * A node's nat table: kube-proxy's rules (shared by every node), portmap's (this
 * node's hostPorts) and flanneld's FLANNEL-POSTRTG (its masquerade, this node's lease).
 * kube-proxy inserts its jumps first (-I); portmap appends its PREROUTING/OUTPUT
 * jumps (-A) but prepends its POSTROUTING one; flanneld appends its POSTROUTING jump
 * (-A, again whenever it finds a rule missing). So on a node the kernel shows
 * KUBE-SERVICES before CNI-HOSTPORT-DNAT, and in POSTROUTING CNI-HOSTPORT-MASQ,
 * KUBE-POSTROUTING, FLANNEL-POSTRTG. A trace reads it chain by chain; `chains` and
 * `rules` materialise it all.
 */
export class NodeNatTable implements Table {
  readonly name = 'nat';
  private all?: { chains: { name: string; policy?: 'ACCEPT' }[]; rules: Rule[] };

  constructor(
    private readonly kubeProxy: KubeProxy,
    private readonly portmap: { chains: string[]; rules: Rule[] },
    private readonly flannel: { chains: string[]; rules: Rule[] } = { chains: [], rules: [] },
  ) {}

  rulesOf(chain: string): Rule[] {
    const mine = this.portmap.rules.filter((r) => r.chain === chain);
    const flannel = this.flannel.rules.filter((r) => r.chain === chain);
    if (chain.startsWith('CNI-')) return mine;
    if (chain.startsWith('FLANNEL-')) return flannel;
    const theirs = this.kubeProxy.natChain(chain);
    if (!mine.length && !flannel.length) return theirs;
    return chain === 'POSTROUTING' ? mine.concat(theirs, flannel) : theirs.concat(mine, flannel);
  }

  private materialise() {
    if (!this.all) {
      const kp = this.kubeProxy.natEverything();
      const userChains = [...new Set([...kp.chains, ...this.portmap.chains, ...this.flannel.chains])].sort();
      const postrouting = this.portmap.rules.filter((r) => r.chain === 'POSTROUTING');
      const others = this.portmap.rules.filter((r) => r.chain !== 'POSTROUTING');
      this.all = { chains: [...builtins('nat'), ...userChains.map((name) => ({ name }))], rules: postrouting.concat(kp.rules, this.flannel.rules, others) };
    }
    return this.all;
  }

  get chains() {
    return this.materialise().chains;
  }

  get rules() {
    return this.materialise().rules;
  }
}
