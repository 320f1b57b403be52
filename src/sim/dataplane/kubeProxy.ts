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
// per Service port only when a packet (or `show`) needs them: a trace on a cluster
// with 10,000 Services walks the KUBE-SERVICES rules its destination can match
// (Table.rulesFor) and the chains of that one Service, so only that Service's
// endpoints and chain names are worked out; `show` and the lab get every rule.
import type { Scenario, ServicePort, ServiceSpec } from '../model.ts';
import { kubeProxyHash } from '../util/hash.ts';
import { cniOf } from '../cni/index.ts';
import { endpointsOf, endpointString, servicePortName, type Endpoint } from './endpoints.ts';
import { endpointsUnknown } from './endpointSlices.ts';
import { rule } from './iptables.ts';
import { ipNumber } from '../ipam/addresses.ts';
import type { Rule, Table } from './types.ts';
import type { KubeProxyRules } from '../proxy/types.ts';

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

/**
 * One port of a Service that has a ClusterIP, in the order kube-proxy writes them.
 * What depends on its endpoints (a REJECT in the filter table, or its KUBE-SVC- chain
 * in nat) is worked out on first use: a trace meets the Services of its destination,
 * `show` and the lab all of them, and both see the same rules.
 */
interface ServicePortEntry {
  svc: ServiceSpec;
  sp: ServicePort;
  proto: 'tcp' | 'udp';
  /** Its NodePort, when kube-proxy opens one (a NodePort Service's port with a nodePort). */
  nodePort?: number;
  /** Its ClusterIP as a number (the `-d` of its rules), NaN when that is no single address. */
  clusterIP: number;
  endpoints?: Endpoint[];
  /** Its filter-table REJECT rules, when it has no endpoints. */
  rejects?: Rule[];
  /** Its nat chains, when it has endpoints. */
  chains?: ServicePortChains;
}

/** The part of a packet that says which Service ports' rules could match it. */
export interface PacketAddress {
  dst: string;
  dport: number;
}

export class KubeProxy implements KubeProxyRules {
  /** Jumps from the built-in chains, and kube-proxy's fixed chains. */
  readonly baseNat: Rule[];
  readonly filter: Table;
  private readonly baseFilter: Rule[];
  private readonly entries: ServicePortEntry[] = [];
  private servicesRules?: Rule[];
  private nodePortRules?: Rule[];
  private allFilterRules?: Rule[];
  /** The last rule of nat KUBE-SERVICES: whatever is for a local address goes on to KUBE-NODEPORTS. */
  private readonly toNodePorts = rule('KUBE-SERVICES', { comment: 'kubernetes service nodeports; NOTE: this must be the last rule in this chain', dstTypeLocal: true }, { kind: 'jump', chain: 'KUBE-NODEPORTS' });
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
    this.baseFilter = [
      rule('INPUT', { ctstateNew: true, comment: 'kubernetes externally-visible service portals' }, { kind: 'jump', chain: 'KUBE-EXTERNAL-SERVICES' }),
      rule('FORWARD', { ctstateNew: true, comment: 'kubernetes service portals' }, { kind: 'jump', chain: 'KUBE-SERVICES' }),
      rule('OUTPUT', { ctstateNew: true, comment: 'kubernetes service portals' }, { kind: 'jump', chain: 'KUBE-SERVICES' }),
    ];
    for (const svc of s.services) {
      if (!svc.clusterIP || svc.clusterIP === 'None' || endpointsUnknown(svc)) continue;
      const clusterIP = singleAddress(svc.clusterIP);
      for (const sp of svc.ports) {
        this.entries.push({ svc, sp, proto: sp.protocol === 'TCP' ? 'tcp' : 'udp', clusterIP, ...(svc.type === 'NodePort' && sp.nodePort ? { nodePort: sp.nodePort } : {}) });
      }
    }
    this.filter = new KubeProxyFilterTable(this);
  }

  private endpointsOf(e: ServicePortEntry): Endpoint[] {
    return (e.endpoints ??= endpointsOf(this.s, e.svc, e.sp));
  }

  /** A port without endpoints: kube-proxy REJECTs its ClusterIP (and NodePort) in the filter table. */
  private rejectsOf(e: ServicePortEntry): Rule[] {
    if (e.rejects) return e.rejects;
    const rejects: Rule[] = [];
    if (this.endpointsOf(e).length === 0) {
      const name = servicePortName(e.svc, e.sp);
      const servicePort = { service: e.svc, port: e.sp };
      rejects.push({ ...rule('KUBE-SERVICES', { dst: e.svc.clusterIP, proto: e.proto, comment: `${name} has no endpoints`, dport: e.sp.port }, { kind: 'reject' }, 'service-without-endpoints'), servicePort });
      if (e.nodePort !== undefined) {
        rejects.push({ ...rule('KUBE-EXTERNAL-SERVICES', { proto: e.proto, comment: `${name} has no endpoints`, dstTypeLocal: true, dport: e.nodePort }, { kind: 'reject' }, 'service-without-endpoints'), servicePort });
      }
    }
    return (e.rejects = rejects);
  }

  /** A port with endpoints: its chain names and entry rules, its chains known by name from now on. */
  private chainsOf(e: ServicePortEntry): ServicePortChains | undefined {
    if (e.chains) return e.chains;
    const endpoints = this.endpointsOf(e);
    if (endpoints.length === 0) return undefined;
    const p: ServicePortChains = { svc: e.svc, sp: e.sp, name: servicePortName(e.svc, e.sp), proto: e.proto, svcChain: '', endpoints, sepChains: [] };
    const entry = entryRulesOf(p);
    p.svcChain = entry.svcChain;
    this.owner.set(p.svcChain, p);
    if (entry.extChain) {
      p.extChain = entry.extChain;
      this.owner.set(p.extChain, p);
    }
    return (e.chains = p);
  }

  /** Every filter rule, in the order kube-proxy writes them (the Service ports' endpoints all worked out). */
  filterRules(): Rule[] {
    if (this.allFilterRules) return this.allFilterRules;
    const rules = this.baseFilter.slice();
    for (const e of this.entries) for (const r of this.rejectsOf(e)) rules.push(r);
    return (this.allFilterRules = rules);
  }

  /** KUBE-SERVICES and KUBE-NODEPORTS: one rule per Service port, naming its KUBE-SVC-/KUBE-EXT- chain. */
  private buildEntryChains(): void {
    if (this.servicesRules) return;
    const services: Rule[] = [];
    const nodePorts: Rule[] = [];
    for (const e of this.entries) {
      const p = this.chainsOf(e);
      if (!p) continue;
      const entry = entryRulesOf(p);
      services.push(entry.services);
      if (entry.nodePorts) nodePorts.push(entry.nodePorts);
    }
    services.push(this.toNodePorts);
    this.servicesRules = services;
    this.nodePortRules = nodePorts;
  }

  /**
   * The Service ports whose kube-proxy rules can match a packet to `dst:dport`, in
   * kube-proxy's order: by ClusterIP (KUBE-SERVICES, in nat and in filter) or by
   * NodePort (KUBE-NODEPORTS, KUBE-EXTERNAL-SERVICES). Every other port's rule has
   * another `-d` or `--dport`, so no packet to dst:dport matches it.
   */
  private candidates(by: 'clusterIP' | 'nodePort', p: PacketAddress): ServicePortEntry[] {
    const out: ServicePortEntry[] = [];
    if (by === 'nodePort') {
      for (const e of this.entries) if (e.nodePort === p.dport) out.push(e);
      return out;
    }
    let dst: number;
    try {
      dst = ipNumber(p.dst);
    } catch {
      dst = NaN;
    }
    // A ClusterIP that is no single address (NaN) is matched as iptables would, by the walk.
    for (const e of this.entries) if (e.clusterIP === dst || Number.isNaN(e.clusterIP) || Number.isNaN(dst)) out.push(e);
    return out;
  }

  /** The rules of a filter chain that can match a packet to `p` (every other rule of the chain cannot). */
  filterChainFor(chain: string, p: PacketAddress): Rule[] {
    if (this.allFilterRules) return this.allFilterRules.filter((r) => r.chain === chain);
    // Its REJECTs are in these two chains only; the built-in ones hold the jumps to them.
    if (chain !== 'KUBE-SERVICES' && chain !== 'KUBE-EXTERNAL-SERVICES') return this.baseFilter.filter((r) => r.chain === chain);
    const rules: Rule[] = [];
    for (const e of this.candidates(chain === 'KUBE-SERVICES' ? 'clusterIP' : 'nodePort', p)) for (const r of this.rejectsOf(e)) if (r.chain === chain) rules.push(r);
    return rules;
  }

  /** The rules of a nat chain that can match a packet to `p` (every other rule of the chain cannot). */
  natChainFor(chain: string, p: PacketAddress): Rule[] {
    if (this.servicesRules || (chain !== 'KUBE-SERVICES' && chain !== 'KUBE-NODEPORTS')) return this.natChain(chain);
    const rules: Rule[] = [];
    for (const e of this.candidates(chain === 'KUBE-SERVICES' ? 'clusterIP' : 'nodePort', p)) {
      const c = this.chainsOf(e);
      if (!c) continue;
      const entry = entryRulesOf(c);
      if (chain === 'KUBE-SERVICES') rules.push(entry.services);
      else if (entry.nodePorts) rules.push(entry.nodePorts);
    }
    if (chain === 'KUBE-SERVICES') rules.push(this.toNodePorts);
    return rules;
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
    if (chain === 'KUBE-SERVICES' || chain === 'KUBE-NODEPORTS') {
      this.buildEntryChains();
      return chain === 'KUBE-SERVICES' ? this.servicesRules! : this.nodePortRules!;
    }
    // A Service port's chain is known by name once its port is: asked for one not met yet, name them all.
    if (/^KUBE-(SVC|EXT|SEP)-/.test(chain) && !this.owner.has(chain)) this.buildEntryChains();
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
    for (const e of this.entries) {
      const p = e.chains;
      if (!p) continue;
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

/** A ClusterIP as a number when it is one address (as kube-proxy's `-d` takes it), else NaN. */
function singleAddress(ip: string): number {
  if (ip.includes('/')) return NaN;
  try {
    return ipNumber(ip);
  } catch {
    return NaN;
  }
}

/** kube-proxy's filter table, its REJECTs worked out per Service port on first use (see KubeProxy). */
class KubeProxyFilterTable implements Table {
  readonly name = 'filter';
  readonly chains = [...builtins('filter'), { name: 'KUBE-EXTERNAL-SERVICES' }, { name: 'KUBE-SERVICES' }];

  constructor(private readonly kubeProxy: KubeProxy) {}

  get rules(): Rule[] {
    return this.kubeProxy.filterRules();
  }

  rulesOf(chain: string): Rule[] {
    return this.kubeProxy.filterRules().filter((r) => r.chain === chain);
  }

  rulesFor(chain: string, p: PacketAddress): Rule[] {
    return this.kubeProxy.filterChainFor(chain, p);
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
    private readonly kubeProxy: KubeProxyRules,
    private readonly portmap: { chains: string[]; rules: Rule[] },
    private readonly flannel: { chains: string[]; rules: Rule[] } = { chains: [], rules: [] },
  ) {}

  rulesOf(chain: string): Rule[] {
    return this.withKubeProxy(chain, () => this.kubeProxy.natChain(chain));
  }

  rulesFor(chain: string, p: PacketAddress): Rule[] {
    return this.withKubeProxy(chain, () => this.kubeProxy.natChainFor(chain, p));
  }

  /** A chain's rules: portmap's and flanneld's, and kube-proxy's (all of them, or those a packet can match) where the kernel lists them. */
  private withKubeProxy(chain: string, kubeProxyRules: () => Rule[]): Rule[] {
    const mine = this.portmap.rules.filter((r) => r.chain === chain);
    const flannel = this.flannel.rules.filter((r) => r.chain === chain);
    if (chain.startsWith('CNI-')) return mine;
    if (chain.startsWith('FLANNEL-')) return flannel;
    const theirs = kubeProxyRules();
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
