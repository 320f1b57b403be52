// Calico's felix: the filter chains it writes for workload endpoints, with the
// Kubernetes NetworkPolicies that select them (read from projectcalico/calico
// felix/rules: static.go, endpoints.go, policy.go; libcalico-go's conversion of a
// k8s NetworkPolicy into a Calico policy of kind KubernetesNetworkPolicy, ID `knp/<ns>/<name>`).
//
//   FORWARD → cali-FORWARD: -i cali+ → cali-from-wl-dispatch → (goto) cali-fw-<veth>  egress policy
//                           -o cali+ → cali-to-wl-dispatch   → (goto) cali-tw-<veth>  ingress policy
//   INPUT   → cali-INPUT:   -i cali+ → (goto) cali-wl-to-host → cali-from-wl-dispatch, then ACCEPT
//                           (DefaultEndpointToHostAction, ACCEPT in Calico's Kubernetes manifests)
//   OUTPUT  → cali-OUTPUT:  -o cali+ RETURN: the host's own traffic to its pods is not policed
//   (static.go: "we don't currently police host -> endpoint according to the endpoint's
//   ingress policy").
//
// In a cali-tw-/cali-fw- chain: conntrack lets replies and later packets through;
// then, where policies select the pod for that direction, tier `default`: each
// policy's chain (cali-pi-/cali-po-) sets the accept mark 0x10000 on a match and the
// endpoint chain returns; a packet no policy accepted meets "End of tier default.
// Drop if no policies passed packet". A pod no policy selects falls through to its
// namespace's profile (kns.<ns>), which accepts. Each policy rule becomes, per peer,
// a match on an ipset of the selected pods' addresses (cali40s:), an address block
// (-s/-d, `except` as a negated ipset or address), and the ports (multiport; a named
// port as a hash:ip,port set cali40n: of the pods that have it).
//
// Left out, and said so: the `cali:<hash>` comment felix puts on every rule, host
// endpoint chains, cali-cidr-block, the NFLOG rule newer felix puts before the end-of-tier
// drop, the IPIP/VXLAN allow rules of cali-INPUT, the
// service-account profile (podpath models no service accounts), the dispatch trees
// felix builds for many endpoints (podpath writes one flat dispatch chain).
// The mark bits are felix's (v3.30 on) under IptablesMarkMask 0xffff0000: accept
// 0x10000, pass 0x20000, drop 0x40000, scratch0 0x80000, scratch1 0x100000, allocated in
// that order at start-up (felix/dataplane/driver.go). An ipBlock's `except` is a negated
// ipset here, where felix writes a block of rules on the scratch bits
// (AppendNegatedCIDRMatchBlock): the same verdict, another listing.
import { sha256 } from '@noble/hashes/sha2.js';
import { objectKey, type PodSpec, type Scenario } from '../model.ts';
import type { Rule, RuleMatch } from '../dataplane/types.ts';
import { rule as iptablesRule } from '../dataplane/iptables.ts';

/** A felix rule: felix writes its comment before the other matches (as iptables-save then prints it). */
const rule: typeof iptablesRule = (chain, match, target, meaning) => iptablesRule(chain, match.comment ? { ...match, commentFirst: true } : match, target, meaning);
import { namespaceLabelsOf, policiesSelecting } from '../policy/evaluate.ts';
import { labelSelectorMatches, policySelectsPod, selectorText } from '../policy/selector.ts';
import type { NetworkPolicy, PolicyPeer, PolicyPort, PolicyRule, PolicyType } from '../policy/types.ts';
import { provideFilterRules } from './daemonRules.ts';

export const ACCEPT_MARK = 0x10000;
export const PASS_MARK = 0x20000;
/** felix ≥ 3.30 allocates accept, pass, drop, scratch0, scratch1 in that order under IptablesMarkMask 0xffff0000 (dataplane/driver.go). */
export const DROP_MARK = 0x40000;
export const SCRATCH0_MARK = 0x80000;
export const SCRATCH1_MARK = 0x100000;
const MAX_CHAIN_NAME = 28;
const MAX_IPSET_NAME = 31;

/** What a felix rule stands for, for the walk to say (set on the rules that decide). */
export interface FelixMeaning {
  policy?: string;
  direction?: PolicyType;
  /** Index of the k8s rule in the policy's ingress/egress list. */
  rule?: number;
}

const enc = new TextEncoder();
/** base64url without padding (Go's base64.RawURLEncoding). */
function base64url(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * felix's GetLengthLimitedID (libcalico-go hashutils, felix's hash package): the name as
 * it is when it fits, else `_` and the base64url of its SHA-256, cut to the length left
 * (also when it fits exactly but starts with `_`, which would look like a hash).
 */
export function lengthLimitedId(prefix: string, suffix: string, max: number): string {
  const s = suffix === '' ? '_' : suffix;
  const total = prefix.length + s.length;
  if (total < max || (total === max && !s.startsWith('_'))) return prefix + s;
  return prefix + '_' + base64url(sha256(enc.encode(s))).slice(0, max - 1 - prefix.length);
}

/**
 * An ipset's name, in felix's form (`cali40` and the set's kind, then an ID) but with
 * podpath's own ID: a hash of what it holds (a selector, a named port), cut to ipset's
 * 31 characters. felix derives its IDs otherwise; the names are not a claim.
 */
export function ipsetName(prefix: string, what: string): string {
  return prefix + base64url(sha256(enc.encode(what))).slice(0, MAX_IPSET_NAME - prefix.length);
}

/**
 * A k8s NetworkPolicy's ID as felix's PolicyID.ID() gives it (Kind KubernetesNetworkPolicy,
 * short name `knp`, with its namespace): `knp/<namespace>/<name>`. Older felix versions
 * hashed `default/knp.default.<name>` (tier/name) instead; podpath follows the newer.
 */
export const calicoPolicyId = (p: NetworkPolicy) => `knp/${p.namespace}/${p.name}`;
/** Its chain: cali-pi- (ingress) or cali-po- (egress) and the ID, hashed when too long (felix's PolicyChainName, iptables' 28 characters). */
export function policyChain(p: NetworkPolicy, dir: PolicyType): string {
  return lengthLimitedId(dir === 'Ingress' ? 'cali-pi-' : 'cali-po-', calicoPolicyId(p), MAX_CHAIN_NAME);
}
/** An endpoint chain: cali-tw- (to the workload: its ingress) / cali-fw- (from it: its egress) and the host veth's name. */
export const endpointChain = (veth: string, dir: PolicyType) => `${dir === 'Ingress' ? 'cali-tw-' : 'cali-fw-'}${veth}`;

/** The ipsets felix would hold for the selectors and named ports the policies use (members: pods' addresses). */
class Sets {
  constructor(private readonly s: Scenario) {}
  /** cali40s: the addresses of the pods a peer selects (its namespace the policy's, unless it selects namespaces). */
  peerSet(policy: NetworkPolicy, peer: PolicyPeer): RuleMatch['srcSet'] {
    const nsSel = peer.namespaceSelector;
    const members = this.s.pods
      .filter((p) => p.podIP && (nsSel ? labelSelectorMatches(nsSel, namespaceLabelsOf(this.s, p.namespace)) : p.namespace === policy.namespace) && (!peer.podSelector || labelSelectorMatches(peer.podSelector, p.labels)))
      .map((p) => p.podIP!);
    const what = `${nsSel ? `namespaces ${selectorText(nsSel)}` : `namespace ${policy.namespace}`} pods ${peer.podSelector ? selectorText(peer.podSelector) : '<all>'}`;
    return { name: ipsetName('cali40s:', what), members, type: 'hash:net' };
  }
  /** cali40n: (address, protocol:port) of each pod `dst` picks that has a container port of this name. */
  namedPortSet(policy: NetworkPolicy, port: PolicyPort, dst: (p: PodSpec) => boolean): NonNullable<RuleMatch['dstIpPortSet']> {
    const proto = port.protocol.toLowerCase() as 'tcp' | 'udp' | 'sctp';
    const members = this.s.pods.filter((p) => p.podIP && dst(p)).flatMap((p) => p.ports.filter((c) => c.name === port.port && c.protocol === port.protocol).map((c) => ({ ip: p.podIP!, proto, port: c.containerPort })));
    return { name: ipsetName('cali40n:', `${policy.namespace}/${policy.name} ${port.protocol}:${port.port}`), members };
  }
}

/** The iptables matches of one Calico rule made from a k8s rule: one peer (or none) and ports of one protocol (or none). */
function ruleMatches(sets: Sets, s: Scenario, policy: NetworkPolicy, dir: PolicyType, peer: PolicyPeer | undefined, ports: PolicyPort[] | undefined): RuleMatch[] {
  const m: RuleMatch = {};
  if (peer?.ipBlock) {
    if (dir === 'Ingress') m.src = peer.ipBlock.cidr;
    else m.dst = peer.ipBlock.cidr;
    // iptables takes one -s per rule, so `except` is a negated set (hash:net) beside the block's -s.
    const except = peer.ipBlock.except;
    if (except.length) {
      const set = { name: ipsetName('cali40s:', `except ${except.join(',')}`), members: except, type: 'hash:net' as const, negate: true };
      if (dir === 'Ingress') m.srcSet = set;
      else m.dstSet = set;
    }
  } else if (peer) {
    const set = sets.peerSet(policy, peer)!;
    if (dir === 'Ingress') m.srcSet = set;
    else m.dstSet = set;
  }
  if (!ports) return [m];
  const proto = ports[0].protocol.toLowerCase() as 'tcp' | 'udp' | 'sctp';
  const numbered = ports.filter((p) => typeof p.port !== 'string');
  const named = ports.filter((p) => typeof p.port === 'string');
  const out: RuleMatch[] = [];
  if (numbered.some((p) => p.port === undefined)) out.push({ ...m, proto });
  else if (numbered.length) out.push({ ...m, proto, dportSpans: numbered.map((p) => ({ from: p.port as number, to: p.endPort ?? (p.port as number) })) });
  for (const p of named) {
    // Ingress: the named port of the pods this policy selects; egress: of any pod (the peer narrows it by address).
    const dst = dir === 'Ingress' ? (x: PodSpec) => policySelectsPod(policy, x) : () => true;
    out.push({ ...m, proto, dstIpPortSet: sets.namedPortSet(policy, p, dst) });
  }
  return out;
}

/** A policy's chain for one direction: per k8s rule, per peer and per protocol, an accept (mark, then return). */
function policyChainRules(sets: Sets, s: Scenario, policy: NetworkPolicy, dir: PolicyType): Rule[] {
  const chain = policyChain(policy, dir);
  const rules: Rule[] = [];
  const list: PolicyRule[] = dir === 'Ingress' ? policy.ingress : policy.egress;
  list.forEach((r, i) => {
    const peers: (PolicyPeer | undefined)[] = r.peers ?? [undefined];
    const byProto = r.ports ? [...new Set(r.ports.map((p) => p.protocol))].map((proto) => r.ports!.filter((p) => p.protocol === proto)) : [undefined];
    for (const peer of peers) {
      for (const ports of byProto) {
        for (const match of ruleMatches(sets, s, policy, dir, peer, ports)) {
          const accept = rule(chain, match, { kind: 'mark', setXmark: `0x${ACCEPT_MARK.toString(16)}/0x${ACCEPT_MARK.toString(16)}` });
          rules.push(withPolicy(accept, policy, dir, i));
          rules.push(withPolicy(rule(chain, { mark: { value: ACCEPT_MARK, mask: ACCEPT_MARK, negate: false } }, { kind: 'return' }), policy, dir, i));
        }
      }
    }
  });
  return rules;
}

const policyOfRule = new WeakMap<Rule, FelixMeaning>();
function withPolicy(r: Rule, policy: NetworkPolicy, direction: PolicyType, ruleIndex?: number): Rule {
  policyOfRule.set(r, { policy: objectKey(policy), direction, ...(ruleIndex !== undefined ? { rule: ruleIndex } : {}) });
  return r;
}
/** The policy a felix rule was made for (its chain, or its end-of-tier drop), when it was made for one. */
export const felixMeaning = (r: Rule): FelixMeaning | undefined => policyOfRule.get(r);

/** One endpoint chain (cali-tw-/cali-fw-) for a pod's host veth. */
function endpointRules(s: Scenario, pod: PodSpec, veth: string, dir: PolicyType): Rule[] {
  const chain = endpointChain(veth, dir);
  const out: Rule[] = [];
  const add = (match: RuleMatch, target: Rule['target'], meaning?: Rule['meaning']) => {
    const r = rule(chain, match, target, meaning);
    out.push(r);
    return r;
  };
  const hex = (n: number) => `0x${n.toString(16)}`;
  add({ ctstateEstablished: true }, { kind: 'accept' });
  add({ ctstateInvalid: true }, { kind: 'drop' });
  // Clears the accept and pass bits (a real node lists it as `MARK and 0xfffcffff`).
  add({}, { kind: 'mark', setXmark: `0x0/${hex(ACCEPT_MARK | PASS_MARK)}` });
  if (dir === 'Egress') {
    add({ proto: 'udp', comment: 'Drop VXLAN encapped packets originating in workloads', dportSpans: [{ from: 4789, to: 4789 }] }, { kind: 'drop' });
  }
  const policies = policiesSelecting(s, pod, dir);
  if (policies.length) {
    add({ comment: 'Start of tier default' }, { kind: 'mark', setXmark: `0x0/${hex(PASS_MARK)}` });
    for (const p of policies) {
      add({ mark: { value: 0, mask: PASS_MARK, negate: false } }, { kind: 'jump', chain: policyChain(p, dir) });
      add({ mark: { value: ACCEPT_MARK, mask: ACCEPT_MARK, negate: false }, comment: 'Return if policy accepted' }, { kind: 'return' });
    }
    const drop = add({ mark: { value: 0, mask: PASS_MARK, negate: false }, comment: 'End of tier default. Drop if no policies passed packet' }, { kind: 'drop' }, 'network-policy-denied');
    policyOfRule.set(drop, { direction: dir });
  }
  const profile = `${dir === 'Ingress' ? 'cali-pri-' : 'cali-pro-'}kns.${pod.namespace}`;
  add({}, { kind: 'jump', chain: profile });
  add({ mark: { value: ACCEPT_MARK, mask: ACCEPT_MARK, negate: false }, comment: 'Return if profile accepted' }, { kind: 'return' });
  add({ comment: 'Drop if no profiles matched' }, { kind: 'drop' });
  return out;
}

/**
 * felix's filter chains on a node: the jumps from INPUT, FORWARD and OUTPUT, the
 * dispatch chains, an endpoint chain per direction for each of the node's pods, the
 * namespace profiles, and every policy chain a local pod uses.
 */
export function felixFilterRules(s: Scenario, pods: readonly PodSpec[], vethOf: (p: PodSpec) => string): { chains: string[]; top: Rule[]; bottom: Rule[]; rules: Rule[] } {
  const sets = new Sets(s);
  const hex = (n: number) => `0x${n.toString(16)}`;
  const top = [
    rule('INPUT', {}, { kind: 'jump', chain: 'cali-INPUT' }),
    rule('FORWARD', {}, { kind: 'jump', chain: 'cali-FORWARD' }),
    rule('OUTPUT', {}, { kind: 'jump', chain: 'cali-OUTPUT' }),
  ];
  // Appended to FORWARD: what a policy accepted is accepted (the tier's RETURN only leaves the endpoint chain).
  const bottom = [rule('FORWARD', { mark: { value: ACCEPT_MARK, mask: ACCEPT_MARK, negate: false }, comment: 'Policy explicitly accepted packet.' }, { kind: 'accept' })];
  const rules: Rule[] = [
    // Every Calico mark bit but accept (static.go: allCalicoMarkBits &^ MarkAccept): pass, scratch0, scratch1.
    rule('cali-FORWARD', {}, { kind: 'mark', setXmark: `0x0/${hex(PASS_MARK | SCRATCH0_MARK | SCRATCH1_MARK)}` }),
    rule('cali-FORWARD', { inInterface: 'cali+' }, { kind: 'jump', chain: 'cali-from-wl-dispatch' }),
    rule('cali-FORWARD', { outInterface: 'cali+' }, { kind: 'jump', chain: 'cali-to-wl-dispatch' }),
    rule('cali-INPUT', { inInterface: 'cali+' }, { kind: 'goto', chain: 'cali-wl-to-host' }),
    rule('cali-OUTPUT', { outInterface: 'cali+' }, { kind: 'return' }),
    rule('cali-wl-to-host', {}, { kind: 'jump', chain: 'cali-from-wl-dispatch' }),
    rule('cali-wl-to-host', { comment: 'Configured DefaultEndpointToHostAction' }, { kind: 'accept' }),
  ];
  const local = pods.filter((p) => p.podIP);
  for (const p of local) rules.push(rule('cali-from-wl-dispatch', { inInterface: vethOf(p) }, { kind: 'goto', chain: endpointChain(vethOf(p), 'Egress') }));
  rules.push(rule('cali-from-wl-dispatch', { comment: 'Unknown interface' }, { kind: 'drop' }));
  for (const p of local) rules.push(rule('cali-to-wl-dispatch', { outInterface: vethOf(p) }, { kind: 'goto', chain: endpointChain(vethOf(p), 'Ingress') }));
  rules.push(rule('cali-to-wl-dispatch', { comment: 'Unknown interface' }, { kind: 'drop' }));
  const chains = ['cali-FORWARD', 'cali-INPUT', 'cali-OUTPUT', 'cali-wl-to-host', 'cali-from-wl-dispatch', 'cali-to-wl-dispatch'];
  for (const p of local) {
    for (const dir of ['Ingress', 'Egress'] as const) {
      chains.push(endpointChain(vethOf(p), dir));
      rules.push(...endpointRules(s, p, vethOf(p), dir));
    }
  }
  const namespaces = [...new Set(local.map((p) => p.namespace))].sort();
  for (const ns of namespaces) {
    for (const prefix of ['cali-pri-', 'cali-pro-']) {
      const chain = `${prefix}kns.${ns}`;
      chains.push(chain);
      rules.push(rule(chain, {}, { kind: 'mark', setXmark: `${hex(ACCEPT_MARK)}/${hex(ACCEPT_MARK)}` }));
      rules.push(rule(chain, { mark: { value: ACCEPT_MARK, mask: ACCEPT_MARK, negate: false } }, { kind: 'return' }));
    }
  }
  const used = new Map<string, { policy: NetworkPolicy; dir: PolicyType }>();
  for (const p of local) for (const dir of ['Ingress', 'Egress'] as const) for (const np of policiesSelecting(s, p, dir)) used.set(policyChain(np, dir), { policy: np, dir });
  for (const [chain, { policy, dir }] of [...used].sort(([a], [b]) => (a < b ? -1 : 1))) {
    chains.push(chain);
    rules.push(...policyChainRules(sets, s, policy, dir));
  }
  return { chains, top, bottom, rules };
}

provideFilterRules('felix', felixFilterRules);
