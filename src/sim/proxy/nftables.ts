// kube-proxy in nftables mode: its table `ip kube-proxy`, as kube-proxy writes it.
//
// From kubernetes/kubernetes pkg/proxy/nftables/proxier.go at commit b0f823e6ccd8 (the
// revision read for podpath in December 2026, with filter-output-post-dnat and
// cluster-ips-check; later revisions move the filter base chains) and the expected
// rulesets in its proxier_test.go. Facts, not code:
//
//   base chains  filter-prerouting/-input/-forward/-output  type filter, priority dstnat - 10
//                filter-output-post-dnat                    type filter hook output, priority dstnat + 10
//                nat-prerouting/-output                     type nat, priority dstnat
//                nat-postrouting                            type nat, priority srcnat
//   nat-prerouting, nat-output → services:
//     ip daddr . meta l4proto . th dport vmap @service-ips      ClusterIP:port → goto service-<hash>-ns/name/proto/port
//     ip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports   NodePort → goto external-…
//   service-…:  ip daddr CLUSTERIP PROTO dport PORT ip saddr != CLUSTER-CIDR jump mark-for-masquerade
//               numgen random mod N vmap { 0 : goto endpoint-…, 1 : goto endpoint-… }
//   external-…: jump mark-for-masquerade; goto service-…   (externalTrafficPolicy Cluster)
//   endpoint-…: ip saddr PODIP jump mark-for-masquerade; meta l4proto PROTO dnat to PODIP:PORT
//   nat-postrouting → masquerading: mark & 0x4000 == 0 return; mark ^= 0x4000; masquerade fully-random
//   A Service port without endpoints: its ClusterIP . proto . port in no-endpoint-services (and its
//   NodePort in no-endpoint-nodeports) : goto reject-chain, checked from filter-input/-forward/-output.
//   Traffic policy Local (the same decisions as iptables mode, proxy/topology.ts): local-<hash>-… holds
//   this node's endpoints; internalTrafficPolicy Local sends the ClusterIP there, and with none here
//   no-endpoint-services says `drop`; externalTrafficPolicy Local's external-… chain short-circuits
//   pods (`ip saddr CLUSTER-CIDR goto service-…`) and the node itself (`fib saddr type local`, marked
//   for masquerade) to service-…, and sends the rest to local-… unmarked, or, with no endpoint here,
//   no-endpoint-nodeports says `drop`.
//   cluster-ips-check (filter-forward, filter-output-post-dnat): a ClusterIP on a port no Service has
//   is rejected; any other address of the Service range is dropped.
//   nodeport-ips holds the node's primary address only: `--nodeport-addresses primary` is
//   the default in nftables mode (NodePorts do not answer on 127.0.0.1 or on cni0's address).
// Chain names: hashAndTruncate(name) = base32(sha256(name))[:8] + "-" + name, cut to 240 characters.
//
// The walk reads these rules with the same chain walker as iptables' (trace/netfilter.ts):
// each base chain is entered from the hook it is attached to (a rule in the built-in
// chain of that hook whose text says so), a verdict map is one rule per element (its
// key is what the element matches), numgen one rule per element. iptables' own tables
// keep only portmap's and flanneld's rules: `iptables-save` shows no kube-proxy rule.
// The walk runs a hook's filter chains after its nat chain; filter-output (priority
// dstnat - 10) really runs before nat-output's DNAT. It decides the same either way:
// its maps are keyed by ClusterIPs (and LoadBalancer IPs, none here), which a DNATed
// packet no longer carries, and a packet to a ClusterIP without endpoints is not DNATed.
import type { Scenario, ServicePort, ServiceSpec } from '../model.ts';
import { base32, sha256 } from '../util/hash.ts';
import { endpointKey, endpointsOf, servicePortName, type Endpoint } from '../dataplane/endpoints.ts';
import { endpointsUnknown } from '../dataplane/endpointSlices.ts';
import { builtins, kubeProxyClusterCIDR, MASQ_MARK, type PacketAddress } from '../dataplane/kubeProxy.ts';
import { ipNumber } from '../ipam/addresses.ts';
import type { Netns, Rule, RuleMatch, RuleMeaning, RuleTarget, Table } from '../dataplane/types.ts';
import type { KubeProxyRules } from './types.ts';
import { provideKubeProxy } from '../cni/daemonRules.ts';
import { sortEndpoints, type SortedEndpoints } from './topology.ts';

export const NFT_TABLE = 'kube-proxy';

const utf8 = new TextEncoder();
/** knftables.NameLengthMax (256) less the longest chain-name prefix (16). */
const CHAIN_NAME_BASE_MAX = 240;

/** kube-proxy's hashAndTruncate: the name prefixed with 8 base32 characters of its SHA-256. */
export function hashAndTruncate(name: string): string {
  let out = `${base32(sha256(utf8.encode(name))).slice(0, 8)}-${name}`;
  if (out.length > CHAIN_NAME_BASE_MAX) out = `${out.slice(0, CHAIN_NAME_BASE_MAX - 3)}...`;
  return out;
}

/** servicePortChainNameBase: `HASH-namespace/name/protocol/portName`. */
export function servicePortChainNameBase(svc: ServiceSpec, sp: ServicePort): string {
  return hashAndTruncate(`${svc.namespace}/${svc.name}/${sp.protocol.toLowerCase()}/${sp.name ?? ''}`);
}

/** servicePortEndpointChainNameBase: `HASH-namespace/name/protocol/portName__ip/port`. */
export function endpointChainNameBase(svc: ServiceSpec, sp: ServicePort, ep: Endpoint): string {
  return hashAndTruncate(`${svc.namespace}/${svc.name}/${sp.protocol.toLowerCase()}/${sp.name ?? ''}__${ep.ip}/${ep.port}`);
}

/** A base chain: attached to a netfilter hook. */
export interface BaseChain {
  name: string;
  type: 'filter' | 'nat';
  hook: 'prerouting' | 'input' | 'forward' | 'output' | 'postrouting';
  /** kube-proxy's priority (knftables' named one, e.g. `dstnat-10`), as a number. */
  priority: number;
  /**
   * As nft 1.0.6 lists it: by name only where it has a name for that hook (dstnat in
   * prerouting, srcnat in postrouting), else the number. It also accepts the names only
   * there, so the lab loads the numbers.
   */
  listed: string;
  /** The built-in chain of the walk's table that stands for this hook. */
  walkedFrom: string;
}

const DSTNAT = -100;
const SRCNAT = 100;
// In kube-proxy's order (nftablesBaseChains). filter-prerouting's only rule looks up
// firewall-ips (LoadBalancerSourceRanges), which podpath has none of: the walk does not visit it.
const BASE_CHAINS: BaseChain[] = [
  { name: 'filter-prerouting', type: 'filter', hook: 'prerouting', priority: DSTNAT - 10, listed: 'dstnat - 10', walkedFrom: '' },
  { name: 'filter-input', type: 'filter', hook: 'input', priority: DSTNAT - 10, listed: '-110', walkedFrom: 'INPUT' },
  { name: 'filter-forward', type: 'filter', hook: 'forward', priority: DSTNAT - 10, listed: '-110', walkedFrom: 'FORWARD' },
  { name: 'filter-output', type: 'filter', hook: 'output', priority: DSTNAT - 10, listed: '-110', walkedFrom: 'OUTPUT' },
  { name: 'filter-output-post-dnat', type: 'filter', hook: 'output', priority: DSTNAT + 10, listed: '-90', walkedFrom: 'OUTPUT' },
  { name: 'nat-prerouting', type: 'nat', hook: 'prerouting', priority: DSTNAT, listed: 'dstnat', walkedFrom: 'PREROUTING' },
  { name: 'nat-output', type: 'nat', hook: 'output', priority: DSTNAT, listed: '-100', walkedFrom: 'OUTPUT' },
  { name: 'nat-postrouting', type: 'nat', hook: 'postrouting', priority: SRCNAT, listed: 'srcnat', walkedFrom: 'POSTROUTING' },
];

/** A rule: what it matches and what it does, each as `nft list` prints it (a `counter` goes between them). */
export interface NftRule extends Rule {
  nft: { match: string; action: string };
}

function nftRule(chain: string, matchText: string, actionText: string, match: RuleMatch, target: RuleTarget, extra: { meaning?: RuleMeaning; lookup?: string; servicePort?: Rule['servicePort'] } = {}): NftRule {
  const text = matchText ? `${matchText} ${actionText}` : actionText;
  return { chain, match, target, text, nft: { match: matchText, action: actionText }, ...extra };
}

/** The rule in a built-in chain that stands for a hook entering a base chain (the walk's way in). */
function hookRule(b: BaseChain): Rule {
  return { chain: b.walkedFrom, match: {}, target: { kind: 'jump', chain: b.name }, text: `hook ${b.hook}: chain ${b.name} { type ${b.type} hook ${b.hook} priority ${b.listed}; } (table ip ${NFT_TABLE})`, meaning: 'nft-base-chain', lookup: `hook ${b.hook}` };
}

const hex8 = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;
const MARK = hex8(MASQ_MARK);

interface PortEntry {
  sorted?: SortedEndpoints;
  svc: ServiceSpec;
  sp: ServicePort;
  proto: 'tcp' | 'udp';
  clusterIP: string;
  nodePort?: number;
  endpoints?: Endpoint[];
  chains?: PortChains;
}

interface PortChains {
  service: string;
  /** local-…: this node's endpoints, for a Local traffic policy. */
  local?: string;
  external?: string;
  endpoints: { name: string; ep: Endpoint }[];
}

const jump = (chain: string): RuleTarget => ({ kind: 'jump', chain });
const goto = (chain: string): RuleTarget => ({ kind: 'goto', chain });

/** kube-proxy's table for one node: its sets and maps with their elements, its chains with their rules. */
export interface NftRuleset {
  sets: { kind: 'set' | 'map'; name: string; type: string; comment: string; elements: string[] }[];
  chains: { name: string; base?: BaseChain; comment?: string; rules: NftRule[] }[];
}

export class NftKubeProxy implements KubeProxyRules {
  readonly filter: Table;
  private readonly entries: PortEntry[] = [];
  private readonly byClusterIP = new Map<string, PortEntry[]>();
  private readonly byNodePort = new Map<number, PortEntry[]>();
  /** Per-Service chain name → its entry (known once the entry's chains are named). */
  private readonly owner = new Map<string, PortEntry>();
  private readonly built = new Map<string, NftRule[]>();
  private allNamed = false;
  private readonly clusterCIDR: string;
  private readonly fixed: Map<string, NftRule[]>;

  /** `node`: whose rules these are (only a Local traffic policy makes them differ; see ProxyPlugin.rules). */
  constructor(
    private readonly s: Scenario,
    private readonly node?: string,
  ) {
    this.clusterCIDR = kubeProxyClusterCIDR(s);
    for (const svc of s.services) {
      // A ClusterIP that is no single address (a range, a typo podpath let through) is left out, as kube-proxy's parser would.
      if (!svc.clusterIP || svc.clusterIP === 'None' || !singleAddress(svc.clusterIP) || endpointsUnknown(svc)) continue;
      for (const sp of svc.ports) {
        const e: PortEntry = { svc, sp, proto: sp.protocol === 'TCP' ? 'tcp' : 'udp', clusterIP: svc.clusterIP, ...(svc.type === 'NodePort' && sp.nodePort ? { nodePort: sp.nodePort } : {}) };
        this.entries.push(e);
        push(this.byClusterIP, e.clusterIP, e);
        if (e.nodePort !== undefined) push(this.byNodePort, e.nodePort, e);
      }
    }
    this.fixed = this.fixedChains();
    this.filter = new NftFilterHooks(this);
  }

  /** The chains whose rules do not depend on the Services (their maps' elements are asked for separately). */
  private fixedChains(): Map<string, NftRule[]> {
    const m = new Map<string, NftRule[]>();
    const add = (r: NftRule) => push(m, r.chain, r);
    const ctNew = { ctstateNew: true };
    add(nftRule('filter-prerouting', 'ct state new', 'jump firewall-check', ctNew, jump('firewall-check')));
    add(nftRule('filter-input', 'ct state new', 'jump nodeport-endpoints-check', ctNew, jump('nodeport-endpoints-check')));
    add(nftRule('filter-input', 'ct state new', 'jump service-endpoints-check', ctNew, jump('service-endpoints-check')));
    add(nftRule('filter-forward', 'ct state new', 'jump service-endpoints-check', ctNew, jump('service-endpoints-check')));
    add(nftRule('filter-forward', 'ct state new', 'jump cluster-ips-check', ctNew, jump('cluster-ips-check')));
    add(nftRule('filter-output', 'ct state new', 'jump service-endpoints-check', ctNew, jump('service-endpoints-check')));
    add(nftRule('filter-output', 'ct state new', 'jump firewall-check', ctNew, jump('firewall-check')));
    add(nftRule('filter-output-post-dnat', 'ct state new', 'jump cluster-ips-check', ctNew, jump('cluster-ips-check')));
    add(nftRule('nat-output', '', 'jump services', {}, jump('services')));
    add(nftRule('nat-prerouting', '', 'jump services', {}, jump('services')));
    add(nftRule('nat-postrouting', '', 'jump masquerading', {}, jump('masquerading')));
    add(nftRule('mark-for-masquerade', '', `meta mark set meta mark | ${MARK}`, {}, { kind: 'mark', setXmark: `0x${MASQ_MARK.toString(16)}/0x${MASQ_MARK.toString(16)}` }));
    add(nftRule('masquerading', `meta mark & ${MARK} == 0x00000000`, 'return', { mark: { value: 0, mask: MASQ_MARK, negate: false } }, { kind: 'return' }));
    add(nftRule('masquerading', '', `meta mark set meta mark ^ ${MARK}`, {}, { kind: 'mark', setXmark: `0x${MASQ_MARK.toString(16)}/0x0` }));
    add(nftRule('masquerading', '', 'masquerade fully-random', {}, { kind: 'masquerade', randomFully: true }));
    // reject-chain is only gone to from the no-endpoint maps ("helper for @no-endpoint-services / @no-endpoint-nodeports").
    add(nftRule('reject-chain', '', 'reject', {}, { kind: 'reject' }, { meaning: 'service-without-endpoints' }));
    return m;
  }

  private endpointsOf(e: PortEntry): Endpoint[] {
    return (e.endpoints ??= endpointsOf(this.s, e.svc, e.sp));
  }

  private sortedOf(e: PortEntry): SortedEndpoints {
    return (e.sorted ??= sortEndpoints(e.svc, e.sp, this.endpointsOf(e), this.node));
  }

  /** A port with endpoints: its chain names, known by name from now on. */
  private chainsOf(e: PortEntry): PortChains | undefined {
    if (e.chains) return e.chains;
    const endpoints = this.endpointsOf(e);
    if (endpoints.length === 0) return undefined;
    const base = servicePortChainNameBase(e.svc, e.sp);
    const sorted = this.sortedOf(e);
    const c: PortChains = { service: `service-${base}`, endpoints: sorted.reachable.map((ep) => ({ name: `endpoint-${endpointChainNameBase(e.svc, e.sp, ep)}`, ep })) };
    if (sorted.usesLocal) c.local = `local-${base}`;
    if (e.nodePort !== undefined) c.external = `external-${base}`;
    for (const name of [c.service, ...(c.local ? [c.local] : []), ...(c.external ? [c.external] : []), ...c.endpoints.map((x) => x.name)]) this.owner.set(name, e);
    return (e.chains = c);
  }

  private nameAll(): void {
    if (this.allNamed) return;
    for (const e of this.entries) this.chainsOf(e);
    this.allNamed = true;
  }

  /** The service-, local-, external- and endpoint- chains of one port, as syncProxyRules writes them. */
  private buildPortChains(e: PortEntry, c: PortChains): void {
    if (this.built.has(c.service)) return;
    const sorted = this.sortedOf(e);
    const internal = sorted.internalLocal ? c.local! : c.service;
    const chainOf = (ep: Endpoint) => c.endpoints.find((x) => x.ep === ep)!.name;
    const toEndpoints = (chain: string, endpoints: Endpoint[]): NftRule[] => {
      const n = endpoints.length;
      const vmap = `numgen random mod ${n} vmap { ${endpoints.map((ep, i) => `${i} : goto ${chainOf(ep)}`).join(', ')} }`;
      return [
        // Off-cluster traffic to the ClusterIP is masqueraded, in the chain the ClusterIP goes to.
        ...(sorted.hasInternal && chain === internal ? [nftRule(chain, `ip daddr ${e.clusterIP} ${e.proto} dport ${e.sp.port} ip saddr != ${this.clusterCIDR}`, 'jump mark-for-masquerade', { dst: e.clusterIP, proto: e.proto, dport: e.sp.port, notSrc: this.clusterCIDR }, jump('mark-for-masquerade'))] : []),
        // One rule per element of the numgen vmap: the text is the whole rule, as nft lists it.
        ...endpoints.map((ep, i) => ({ ...nftRule(chain, '', vmap, { numgen: { mod: n, value: i } }, goto(chainOf(ep)), { lookup: `numgen random mod ${n} vmap (element ${i})` }), endpointKey: endpointKey(ep) })),
      ];
    };
    // A chain this node does not write (service- with only internalTrafficPolicy Local and no NodePort; local- with no endpoint here) is empty to a walk and not listed.
    this.built.set(c.service, sorted.usesCluster ? toEndpoints(c.service, sorted.all) : []);
    if (c.local) this.built.set(c.local, sorted.local.length ? toEndpoints(c.local, sorted.local) : []);
    if (c.external) {
      const ext: NftRule[] = [];
      if (!sorted.externalLocal) ext.push(nftRule(c.external, '', 'jump mark-for-masquerade', {}, jump('mark-for-masquerade')));
      else {
        ext.push(nftRule(c.external, `ip saddr ${this.clusterCIDR}`, `goto ${c.service} comment "short-circuit pod traffic"`, { src: this.clusterCIDR }, goto(c.service)));
        ext.push(nftRule(c.external, 'fib saddr type local', 'jump mark-for-masquerade comment "masquerade local traffic"', { srcTypeLocal: true }, jump('mark-for-masquerade')));
        ext.push(nftRule(c.external, 'fib saddr type local', `goto ${c.service} comment "short-circuit local traffic"`, { srcTypeLocal: true }, goto(c.service)));
      }
      if (sorted.hasExternal) ext.push(sorted.externalLocal ? nftRule(c.external, '', `goto ${c.local}`, {}, goto(c.local!), { meaning: 'external-traffic-local' }) : nftRule(c.external, '', `goto ${c.service}`, {}, goto(c.service)));
      this.built.set(c.external, ext);
    }
    for (const x of c.endpoints) {
      this.built.set(x.name, [
        nftRule(x.name, `ip saddr ${x.ep.ip}`, 'jump mark-for-masquerade', { src: x.ep.ip }, jump('mark-for-masquerade')),
        nftRule(x.name, `meta l4proto ${e.proto}`, `dnat to ${x.ep.ip}:${x.ep.port}`, { proto: e.proto }, { kind: 'dnat', to: `${x.ep.ip}:${x.ep.port}` }),
      ]);
    }
  }

  /** Does this node's kube-proxy write this chain (see buildPortChains)? */
  private writes(c: PortChains, name: string, sorted: SortedEndpoints): boolean {
    if (name === c.service) return sorted.usesCluster;
    if (name === c.local) return sorted.local.length > 0;
    return true;
  }

  // ---- the map elements, as rules the walker matches one by one (only the ones a packet can match)

  private serviceIPsRule(e: PortEntry, c: PortChains): NftRule {
    const local = this.sortedOf(e).internalLocal;
    return nftRule('services', '', 'ip daddr . meta l4proto . th dport vmap @service-ips', { dst: e.clusterIP, proto: e.proto, dport: e.sp.port }, goto(local ? c.local! : c.service), { lookup: `service-ips map (${e.clusterIP} . ${e.proto} . ${e.sp.port})`, ...(local ? { meaning: 'internal-traffic-local' as const } : {}) });
  }

  private serviceNodePortsRule(e: PortEntry, c: PortChains): NftRule {
    return nftRule('services', 'ip daddr @nodeport-ips', 'meta l4proto . th dport vmap @service-nodeports', { dstNodePortAddress: true, proto: e.proto, dport: e.nodePort }, goto(c.external!), { lookup: `service-nodeports map (${e.proto} . ${e.nodePort})` });
  }

  /** Its no-endpoint-services element: reject (no endpoints at all), drop (a Local policy, none here), or none. */
  private noEndpointServiceRule(e: PortEntry): NftRule | undefined {
    const sorted = this.sortedOf(e);
    if (sorted.hasInternal) return undefined;
    const none = sorted.all.length === 0;
    return nftRule('service-endpoints-check', '', 'ip daddr . meta l4proto . th dport vmap @no-endpoint-services', { dst: e.clusterIP, proto: e.proto, dport: e.sp.port }, none ? goto('reject-chain') : { kind: 'drop' }, { lookup: `no-endpoint-services map (${e.clusterIP} . ${e.proto} . ${e.sp.port}${none ? '' : ' : drop'})`, servicePort: { service: e.svc, port: e.sp }, ...(none ? {} : { meaning: 'service-without-local-endpoints' as const }) });
  }

  private noEndpointNodePortRule(e: PortEntry): NftRule | undefined {
    const sorted = this.sortedOf(e);
    if (sorted.hasExternal) return undefined;
    const none = sorted.all.length === 0;
    return nftRule('nodeport-endpoints-check', 'ip daddr @nodeport-ips', 'meta l4proto . th dport vmap @no-endpoint-nodeports', { dstNodePortAddress: true, proto: e.proto, dport: e.nodePort }, none ? goto('reject-chain') : { kind: 'drop' }, { lookup: `no-endpoint-nodeports map (${e.proto} . ${e.nodePort}${none ? '' : ' : drop'})`, servicePort: { service: e.svc, port: e.sp }, ...(none ? {} : { meaning: 'nodeport-without-local-endpoints' as const }) });
  }

  private clusterIPsCheck(dst: string | undefined): NftRule[] {
    const rules: NftRule[] = [];
    // `ip daddr @cluster-ips`: one rule per address the set holds that a packet can match.
    const ips = dst === undefined ? [...this.byClusterIP.keys()] : this.byClusterIP.has(dst) ? [dst] : [];
    for (const ip of ips) rules.push(nftRule('cluster-ips-check', 'ip daddr @cluster-ips', 'reject comment "Reject traffic to invalid ports of ClusterIPs"', { dst: ip }, { kind: 'reject' }));
    rules.push(this.unallocatedDrop());
    return rules;
  }

  /** cluster-ips-check's last rule: the rest of the Service range (kube-proxy's --service-cluster-ip-range) is dropped. */
  private unallocatedDrop(): NftRule {
    return nftRule('cluster-ips-check', `ip daddr ${this.s.cluster.serviceCIDR}`, 'drop comment "Drop traffic to unallocated ClusterIPs"', { dst: this.s.cluster.serviceCIDR }, { kind: 'drop' }, { meaning: 'unallocated-cluster-ip' });
  }

  /**
   * The rules of a chain that a packet to `p` can match (all of them without `p`); a
   * built-in chain of the walk's nat or filter table holds the way into the base chains
   * of that type at that hook.
   */
  rulesFor(table: 'nat' | 'filter', chain: string, p?: PacketAddress): Rule[] {
    const hooks = BASE_CHAINS.filter((b) => b.type === table && b.walkedFrom === chain);
    if (hooks.length) return hooks.map(hookRule);
    const byDst = p ? this.byClusterIP.get(p.dst) ?? [] : this.entries;
    const byPort = p ? this.byNodePort.get(p.dport) ?? [] : this.entries.filter((e) => e.nodePort !== undefined);
    switch (chain) {
      case 'services': {
        const out: Rule[] = [];
        for (const e of byDst) {
          const c = this.chainsOf(e);
          if (c && this.sortedOf(e).hasInternal) out.push(this.serviceIPsRule(e, c));
        }
        for (const e of byPort) {
          const c = this.chainsOf(e);
          if (c) out.push(this.serviceNodePortsRule(e, c));
        }
        return out;
      }
      case 'service-endpoints-check':
        return byDst.map((e) => this.noEndpointServiceRule(e)).filter((r) => r !== undefined);
      case 'nodeport-endpoints-check':
        return byPort.map((e) => this.noEndpointNodePortRule(e)).filter((r) => r !== undefined);
      case 'cluster-ips-check':
        return this.clusterIPsCheck(p?.dst);
      case 'firewall-check':
        // firewall-ips holds LoadBalancer IPs with loadBalancerSourceRanges: podpath models none, so it is empty.
        return [];
    }
    const fixed = this.fixed.get(chain);
    if (fixed) return fixed;
    if (!this.owner.has(chain)) this.nameAll();
    const e = this.owner.get(chain);
    if (!e) return [];
    this.buildPortChains(e, e.chains!);
    return this.built.get(chain) ?? [];
  }

  natChain(chain: string): Rule[] {
    return this.rulesFor('nat', chain);
  }

  natChainFor(chain: string, p: PacketAddress): Rule[] {
    return this.rulesFor('nat', chain, p);
  }

  /** Nothing of kube-proxy's is in iptables' nat table in this mode. */
  natEverything(): { chains: string[]; rules: Rule[] } {
    return { chains: [], rules: [] };
  }

  /** Its table for a node, as data: printed by ./nftablesText.ts (`show`, the lab), which the first view does not load. */
  readonly nftables = {
    ruleset: (node: Netns): NftRuleset => this.ruleset(node),
  };

  /** Everything in the table for a node: sets and maps with their elements, chains with their rules. */
  private ruleset(node: Netns): NftRuleset {
    this.nameAll();
    const primary = node.devices.find((d) => d.name === 'eth0')?.addresses[0]?.ip;
    const clusterIPs = [...this.byClusterIP.keys()];
    const serviceIPs: string[] = [];
    const serviceNodePorts: string[] = [];
    const noEndpointServices: string[] = [];
    const noEndpointNodePorts: string[] = [];
    const perService: { name: string; rules: NftRule[] }[] = [];
    for (const e of this.entries) {
      const c = e.chains;
      const comment = `comment "${servicePortName(e.svc, e.sp)}"`;
      if (!c) {
        noEndpointServices.push(`${e.clusterIP} . ${e.proto} . ${e.sp.port} ${comment} : goto reject-chain`);
        if (e.nodePort !== undefined) noEndpointNodePorts.push(`${e.proto} . ${e.nodePort} ${comment} : goto reject-chain`);
        continue;
      }
      this.buildPortChains(e, c);
      const sorted = this.sortedOf(e);
      if (sorted.hasInternal) serviceIPs.push(`${e.clusterIP} . ${e.proto} . ${e.sp.port} : goto ${sorted.internalLocal ? c.local : c.service}`);
      else noEndpointServices.push(`${e.clusterIP} . ${e.proto} . ${e.sp.port} ${comment} : drop`);
      if (c.external) serviceNodePorts.push(`${e.proto} . ${e.nodePort} : goto ${c.external}`);
      if (c.external && !sorted.hasExternal) noEndpointNodePorts.push(`${e.proto} . ${e.nodePort} ${comment} : drop`);
      for (const name of [c.service, ...(c.local ? [c.local] : []), ...(c.external ? [c.external] : []), ...c.endpoints.map((x) => x.name)]) {
        if (perService.some((x) => x.name === name) || !this.writes(c, name, sorted)) continue;
        perService.push({ name, rules: dedupe(this.built.get(name)!) });
      }
    }
    const sets: NftRuleset['sets'] = [
      { kind: 'set', name: 'cluster-ips', type: 'ipv4_addr', comment: 'Active ClusterIPs', elements: clusterIPs },
      { kind: 'set', name: 'nodeport-ips', type: 'ipv4_addr', comment: 'IPs that accept NodePort traffic', elements: primary ? [primary] : [] },
      { kind: 'map', name: 'no-endpoint-services', type: 'ipv4_addr . inet_proto . inet_service : verdict', comment: 'vmap to drop or reject packets to services with no endpoints', elements: noEndpointServices },
      { kind: 'map', name: 'no-endpoint-nodeports', type: 'inet_proto . inet_service : verdict', comment: 'vmap to drop or reject packets to service nodeports with no endpoints', elements: noEndpointNodePorts },
      { kind: 'map', name: 'firewall-ips', type: 'ipv4_addr . inet_proto . inet_service : verdict', comment: 'destinations that are subject to LoadBalancerSourceRanges', elements: [] },
      { kind: 'map', name: 'service-ips', type: 'ipv4_addr . inet_proto . inet_service : verdict', comment: 'ClusterIP, ExternalIP and LoadBalancer IP traffic', elements: serviceIPs },
      { kind: 'map', name: 'service-nodeports', type: 'inet_proto . inet_service : verdict', comment: 'NodePort traffic', elements: serviceNodePorts },
    ];
    const fixed = (name: string) => this.fixed.get(name) ?? [];
    // A lookup rule as listed: the walk reads it element by element (rulesFor), so its target here is only a placeholder.
    const lookupRule = (chain: string, match: string, action: string) => nftRule(chain, match, action, {}, { kind: 'return' });
    const chains: NftRuleset['chains'] = [
      ...BASE_CHAINS.map((b) => ({ name: b.name, base: b, rules: fixed(b.name) })),
      { name: 'services', rules: [lookupRule('services', '', 'ip daddr . meta l4proto . th dport vmap @service-ips'), lookupRule('services', 'ip daddr @nodeport-ips', 'meta l4proto . th dport vmap @service-nodeports')] },
      { name: 'masquerading', rules: fixed('masquerading') },
      { name: 'mark-for-masquerade', rules: fixed('mark-for-masquerade') },
      { name: 'cluster-ips-check', rules: [nftRule('cluster-ips-check', 'ip daddr @cluster-ips', 'reject comment "Reject traffic to invalid ports of ClusterIPs"', {}, { kind: 'reject' }), this.unallocatedDrop()] },
      { name: 'service-endpoints-check', rules: [lookupRule('service-endpoints-check', '', 'ip daddr . meta l4proto . th dport vmap @no-endpoint-services')] },
      { name: 'nodeport-endpoints-check', rules: [lookupRule('nodeport-endpoints-check', 'ip daddr @nodeport-ips', 'meta l4proto . th dport vmap @no-endpoint-nodeports')] },
      { name: 'reject-chain', comment: 'helper for @no-endpoint-services / @no-endpoint-nodeports', rules: fixed('reject-chain') },
      { name: 'firewall-check', rules: [lookupRule('firewall-check', '', 'ip daddr . meta l4proto . th dport vmap @firewall-ips')] },
      ...perService,
    ];
    return { sets, chains };
  }

}

/** The numgen rule stands once in its chain however many elements the walk reads it as. */
function dedupe(rules: NftRule[]): NftRule[] {
  return rules.filter((r, i) => i === 0 || r.text !== rules[i - 1].text);
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

function singleAddress(ip: string): boolean {
  try {
    ipNumber(ip);
    return !ip.includes('/');
  } catch {
    return false;
  }
}

/** The filter hooks the walk asks (INPUT, FORWARD, OUTPUT); iptables' own filter table holds nothing of kube-proxy's. */
class NftFilterHooks implements Table {
  readonly name = 'filter';
  readonly chains = builtins('filter');
  readonly rules: Rule[] = [];

  constructor(private readonly kp: NftKubeProxy) {}

  rulesOf(chain: string): Rule[] {
    return this.kp.rulesFor('filter', chain);
  }

  rulesFor(chain: string, p: PacketAddress): Rule[] {
    return this.kp.rulesFor('filter', chain, p);
  }
}

// proxy/index.ts names the mode; its rules are built here when the tables are read (cni/daemonRules.ts).
provideKubeProxy('nftables', (s: Scenario, node: string | undefined) => new NftKubeProxy(s, node));
