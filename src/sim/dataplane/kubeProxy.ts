// kube-proxy in iptables mode: the nat and filter rules it writes on every node.
//
//   PREROUTING/OUTPUT → KUBE-SERVICES ─ ClusterIP:port → KUBE-SVC-<hash>
//                                    └ (last) dst-type LOCAL → KUBE-NODEPORTS → KUBE-EXT-<hash> → KUBE-SVC-<hash>
//   KUBE-SVC-<hash>: endpoint i of n with probability 1/(n-i), the last unconditional → KUBE-SEP-<hash>
//   KUBE-SEP-<hash>: DNAT --to-destination podIP:targetPort
//   KUBE-MARK-MASQ marks 0x4000; POSTROUTING → KUBE-POSTROUTING MASQUERADEs marked packets.
//   A Service port without endpoints: REJECT in the filter table's KUBE-SERVICES.
//   Traffic policy Local (pkg/proxy/iptables/proxier.go, syncProxyRules, and
//   pkg/proxy/topology.go CategorizeEndpoints, read for podpath in December 2026):
//     internalTrafficPolicy: Local  KUBE-SERVICES → KUBE-SVL-<hash>, this node's endpoints only;
//                                   none here: filter KUBE-SERVICES "… has no local endpoints" DROP
//     externalTrafficPolicy: Local  KUBE-EXT-<hash>: pods (-s clusterCIDR) → KUBE-SVC- (short-circuit);
//                                   the node itself (--src-type LOCAL) → KUBE-MARK-MASQ, KUBE-SVC-;
//                                   anyone else → KUBE-SVL-<hash> with no KUBE-MARK-MASQ: the client's
//                                   address reaches the pod; no endpoint here: filter
//                                   KUBE-EXTERNAL-SERVICES "… has no local endpoints" DROP
// The chain names are kube-proxy's: base32(sha256(servicePortName + protocol))[:16].
//
// Without a Local traffic policy the rules are the same on every node, so they are
// built once per cluster (compile.ts shares them); with one, once per node. And
// per Service port only when a packet (or `show`) needs them: a trace on a cluster
// with 10,000 Services walks the KUBE-SERVICES rules its destination can match
// (Table.rulesFor) and the chains of that one Service, so only that Service's
// endpoints and chain names are worked out; `show` and the lab get every rule.
import type { Scenario, ServicePort, ServiceSpec } from '../model.ts';
import { kubeProxyHash } from '../util/hash.ts';
import { cniOf } from '../cni/index.ts';
import { endpointKey, endpointsOf, endpointString, servicePortName, type Endpoint } from './endpoints.ts';
import { endpointsUnknown } from './endpointSlices.ts';
import { rule } from './iptables.ts';
import { ipNumber } from '../ipam/addresses.ts';
import type { Rule, Table } from './types.ts';
import type { KubeProxyRules } from '../proxy/types.ts';
import { sortEndpoints, type SortedEndpoints } from '../proxy/topology.ts';

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
  /** Its chain names and its rules in KUBE-SERVICES and KUBE-NODEPORTS. */
  entry: EntryRules;
  svcChain: string;
  extChain?: string;
  /** Its endpoints as this node's kube-proxy sorts them (traffic policy Local). */
  sorted: SortedEndpoints;
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
  sorted?: SortedEndpoints;
  /** Its filter-table rules: REJECTs when it has no endpoints, DROPs when a Local policy finds none on this node. */
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

  /**
   * `node`: the node these rules are for; only a Service with a Local traffic policy
   * makes them differ (undefined: no Service has one, so they are every node's).
   */
  constructor(
    private readonly s: Scenario,
    private readonly node?: string,
  ) {
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

  /** CategorizeEndpoints for this node. */
  private sortedOf(e: ServicePortEntry): SortedEndpoints {
    return (e.sorted ??= sortEndpoints(e.svc, e.sp, this.endpointsOf(e), this.node));
  }

  /**
   * Its filter rules: without endpoints anywhere kube-proxy REJECTs its ClusterIP (and
   * NodePort); with endpoints, but none on this node where a Local policy needs one,
   * it DROPs that traffic ("has no local endpoints").
   */
  private rejectsOf(e: ServicePortEntry): Rule[] {
    if (e.rejects) return e.rejects;
    const rejects: Rule[] = [];
    const name = servicePortName(e.svc, e.sp);
    const servicePort = { service: e.svc, port: e.sp };
    const sorted = this.sortedOf(e);
    if (sorted.all.length === 0) {
      rejects.push({ ...rule('KUBE-SERVICES', { dst: e.svc.clusterIP, proto: e.proto, comment: `${name} has no endpoints`, dport: e.sp.port }, { kind: 'reject' }, 'service-without-endpoints'), servicePort });
      if (e.nodePort !== undefined) {
        rejects.push({ ...rule('KUBE-EXTERNAL-SERVICES', { proto: e.proto, comment: `${name} has no endpoints`, dstTypeLocal: true, dport: e.nodePort }, { kind: 'reject' }, 'service-without-endpoints'), servicePort });
      }
      return (e.rejects = rejects);
    }
    if (!sorted.hasInternal) {
      rejects.push({ ...rule('KUBE-SERVICES', { dst: e.svc.clusterIP, proto: e.proto, comment: `${name} has no local endpoints`, dport: e.sp.port }, { kind: 'drop' }, 'service-without-local-endpoints'), servicePort });
    }
    if (!sorted.hasExternal && e.nodePort !== undefined) {
      rejects.push({ ...rule('KUBE-EXTERNAL-SERVICES', { proto: e.proto, comment: `${name} has no local endpoints`, dstTypeLocal: true, dport: e.nodePort }, { kind: 'drop' }, 'nodeport-without-local-endpoints'), servicePort });
    }
    return (e.rejects = rejects);
  }

  /** A port with endpoints: its chain names and entry rules, its chains known by name from now on. */
  private chainsOf(e: ServicePortEntry): ServicePortChains | undefined {
    if (e.chains) return e.chains;
    const sorted = this.sortedOf(e);
    if (sorted.all.length === 0) return undefined;
    const name = servicePortName(e.svc, e.sp);
    const entry = sorted.usesLocal ? localEntryRules(e.svc, e.sp, name, e.proto, sorted) : entryRulesOf(e.svc, e.sp, name, e.proto);
    const p: ServicePortChains = { svc: e.svc, sp: e.sp, name, proto: e.proto, entry, svcChain: entry.svcChain, sorted, sepChains: [] };
    this.owner.set(p.svcChain, p);
    if (entry.svlChain) this.owner.set(entry.svlChain, p);
    if (entry.extChain) {
      p.extChain = entry.extChain;
      this.owner.set(p.extChain, p);
    }
    return (e.chains = p);
  }

  /** Does this node's kube-proxy write this chain of the port (KUBE-SVC- only for Cluster traffic, KUBE-SVL- only with endpoints here)? */
  private writes(p: ServicePortChains, chain: string): boolean {
    if (chain === p.svcChain) return p.sorted.usesCluster;
    if (chain === p.entry.svlChain) return p.sorted.local.length > 0;
    return this.built.has(chain);
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
      if (p.entry.services) services.push(p.entry.services);
      if (p.entry.nodePorts) nodePorts.push(p.entry.nodePorts);
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
      if (chain === 'KUBE-SERVICES') {
        if (c.entry.services) rules.push(c.entry.services);
      } else if (c.entry.nodePorts) rules.push(c.entry.nodePorts);
    }
    if (chain === 'KUBE-SERVICES') rules.push(this.toNodePorts);
    return rules;
  }

  /** KUBE-EXT-, KUBE-SVC-, KUBE-SVL- and KUBE-SEP- chains of one Service port, as syncProxyRules writes them. */
  private buildServiceChains(p: ServicePortChains): void {
    if (this.built.has(p.svcChain)) return;
    const clusterCIDR = kubeProxyClusterCIDR(this.s);
    const { sorted, entry } = p;
    if (p.extChain) {
      const ext: Rule[] = [];
      if (!sorted.externalLocal) {
        // Any node's endpoint may answer: masquerade, or the reply would leave that node with the client's address.
        ext.push(rule(p.extChain, { comment: `masquerade traffic for ${p.name} external destinations` }, { kind: 'jump', chain: 'KUBE-MARK-MASQ' }));
      } else {
        // A pod's packet to a NodePort is treated as if it had gone out to a load balancer and come back: Cluster policy.
        ext.push(rule(p.extChain, { src: clusterCIDR, comment: `pod traffic for ${p.name} external destinations` }, { kind: 'jump', chain: p.svcChain }));
        // The node's own packet carries a source address of the node, which a reply from another node could not return to.
        ext.push(rule(p.extChain, { comment: `masquerade LOCAL traffic for ${p.name} external destinations`, srcTypeLocal: true }, { kind: 'jump', chain: 'KUBE-MARK-MASQ' }));
        ext.push(rule(p.extChain, { comment: `route LOCAL traffic for ${p.name} external destinations`, srcTypeLocal: true }, { kind: 'jump', chain: p.svcChain }));
      }
      if (sorted.hasExternal) ext.push(sorted.externalLocal ? rule(p.extChain, {}, { kind: 'jump', chain: entry.svlChain! }, 'external-traffic-local') : rule(p.extChain, {}, { kind: 'jump', chain: p.svcChain }));
      this.built.set(p.extChain, ext);
    }
    const internalChain = sorted.internalLocal ? entry.svlChain : p.svcChain;
    // Off-cluster traffic to the ClusterIP (a route to the Service range via a node) is masqueraded.
    const masq = (chain: string) => rule(chain, { notSrc: clusterCIDR, dst: p.svc.clusterIP, proto: p.proto, comment: `${p.name} cluster IP`, dport: p.sp.port }, { kind: 'jump', chain: 'KUBE-MARK-MASQ' });
    const toEndpoints = (chain: string, endpoints: Endpoint[]): Rule[] => {
      const rules = sorted.hasInternal && chain === internalChain ? [masq(chain)] : [];
      endpoints.forEach((ep, i) => {
        const remaining = endpoints.length - i;
        rules.push({ ...rule(chain, { comment: `${p.name} -> ${endpointString(ep)}`, ...(remaining > 1 ? { probability: 1 / remaining } : {}) }, { kind: 'jump', chain: sepChainOf(p, ep) }), endpointKey: endpointKey(ep) });
      });
      return rules;
    };
    // A chain this node does not write is empty to a walk (and not listed: see writes).
    this.built.set(p.svcChain, sorted.usesCluster ? toEndpoints(p.svcChain, sorted.all) : []);
    if (entry.svlChain) this.built.set(entry.svlChain, toEndpoints(entry.svlChain, sorted.local));
    p.sepChains = [];
    for (const ep of sorted.reachable) {
      const sepChain = sepChainOf(p, ep);
      p.sepChains.push(sepChain);
      this.owner.set(sepChain, p);
      this.built.set(sepChain, [
        rule(sepChain, { src: ep.ip, comment: p.name }, { kind: 'jump', chain: 'KUBE-MARK-MASQ' }),
        rule(sepChain, { proto: p.proto, comment: p.name, protoModule: true }, { kind: 'dnat', to: endpointString(ep) }),
      ]);
    }
  }

  /** The rules of one nat chain, built on first use. */
  natChain(chain: string): Rule[] {
    if (chain === 'KUBE-SERVICES' || chain === 'KUBE-NODEPORTS') {
      this.buildEntryChains();
      return chain === 'KUBE-SERVICES' ? this.servicesRules! : this.nodePortRules!;
    }
    // A Service port's chain is known by name once its port is: asked for one not met yet, name them all.
    if (/^KUBE-(SVC|SVL|EXT|SEP)-/.test(chain) && !this.owner.has(chain)) this.buildEntryChains();
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
      // The chains this node writes, each with its rules.
      for (const chain of [p.extChain, p.svcChain, p.entry.svlChain, ...p.sepChains]) {
        if (!chain || !this.writes(p, chain)) continue;
        chains.push(chain);
        for (const r of this.built.get(chain)!) perService.push(r);
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
  /** KUBE-SVL-: its endpoints on this node, for a Local traffic policy. */
  svlChain?: string;
  extChain?: string;
  /** Its ClusterIP's rule in KUBE-SERVICES (none when a Local policy finds no endpoint on this node). */
  services?: Rule;
  nodePorts?: Rule;
}

/**
 * Kept across compiles, per Service object and port: they are made from nothing
 * else, and the playground recompiles every Service's after each edit (a Service
 * that changes is a new object).
 */
const entryRules = new WeakMap<ServiceSpec, Map<ServicePort, EntryRules>>();

function entryRulesOf(svc: ServiceSpec, sp: ServicePort, name: string, proto: 'tcp' | 'udp'): EntryRules {
  let forService = entryRules.get(svc);
  if (!forService) entryRules.set(svc, (forService = new Map()));
  let e = forService.get(sp);
  if (!e) {
    const hash = kubeProxyHash(name + proto);
    const svcChain = `KUBE-SVC-${hash}`;
    e = { svcChain, services: rule('KUBE-SERVICES', { dst: svc.clusterIP, proto, comment: `${name} cluster IP`, dport: sp.port }, { kind: 'jump', chain: svcChain }) };
    if (svc.type === 'NodePort' && sp.nodePort) {
      e.extChain = `KUBE-EXT-${hash}`;
      e.nodePorts = rule('KUBE-NODEPORTS', { proto, comment: name, dport: sp.nodePort }, { kind: 'jump', chain: e.extChain });
    }
    forService.set(sp, e);
  }
  return e;
}

/** The entry rules of a port with a Local traffic policy: they depend on the node's endpoints, so they are not kept. */
function localEntryRules(svc: ServiceSpec, sp: ServicePort, name: string, proto: 'tcp' | 'udp', sorted: SortedEndpoints): EntryRules {
  const hash = kubeProxyHash(name + proto);
  const svcChain = `KUBE-SVC-${hash}`;
  const svlChain = `KUBE-SVL-${hash}`;
  const e: EntryRules = { svcChain, svlChain };
  if (sorted.hasInternal) e.services = rule('KUBE-SERVICES', { dst: svc.clusterIP, proto, comment: `${name} cluster IP`, dport: sp.port }, { kind: 'jump', chain: sorted.internalLocal ? svlChain : svcChain }, sorted.internalLocal ? 'internal-traffic-local' : undefined);
  if (svc.type === 'NodePort' && sp.nodePort) {
    e.extChain = `KUBE-EXT-${hash}`;
    e.nodePorts = rule('KUBE-NODEPORTS', { proto, comment: name, dport: sp.nodePort }, { kind: 'jump', chain: e.extChain });
  }
  return e;
}

/** KUBE-SEP-<hash>: kube-proxy's name for one endpoint's chain. */
function sepChainOf(p: ServicePortChains, ep: Endpoint): string {
  return `KUBE-SEP-${kubeProxyHash(p.name + p.proto + endpointString(ep))}`;
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

  /**
   * `registeredEarly`: the built-in nat chains iptables had before kube-proxy created its
   * nftables table (the CNI daemon's: felix's cali-POSTROUTING, Cilium's CILIUM_POST_nat).
   * It matters in nftables mode only: every nat chain at a hook, iptables' and nftables'
   * alike, hangs off one NAT hook, which asks them in priority order (dstnat, srcnat: the
   * same for both), the one registered last first among equals (nf_nat_register_fn adds
   * each to its list with nf_hook_entries_grow, which puts a new entry before those of
   * equal priority; the lab shows it). A chain is registered when it is created, not when
   * rules are written to it. The lookup goes on through a chain that does not NAT (an
   * ACCEPT or RETURN does not end it); once one has NATed the connection, no later one is asked.
   */
  constructor(
    private readonly kubeProxy: KubeProxyRules,
    private readonly portmap: { chains: string[]; rules: Rule[] },
    private readonly flannel: { chains: string[]; rules: Rule[] } = { chains: [], rules: [] },
    private readonly registeredEarly: ReadonlySet<string> = new Set(),
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
    // nftables mode: kube-proxy's base chains run before iptables' where they were registered
    // after them (the daemon's rules came first), else after (flanneld's and portmap's came later).
    if (this.kubeProxy.nftables) return this.registeredEarly.has(chain) ? theirs.concat(mine, flannel) : mine.concat(flannel, theirs);
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
