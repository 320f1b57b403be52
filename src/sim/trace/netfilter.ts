// Walking an iptables chain the way netfilter does: rules in order, the first
// terminal target wins, a jump descends and RETURN (or the end of a user chain)
// comes back.
import { block, blockContains, ipNumber } from '../ipam/addresses.ts';
import { rulesByChain, storedProbability } from '../dataplane/iptables.ts';
import type { IpSetMatch, Netns, Rule, RuleMatch, Table } from '../dataplane/types.ts';

export interface NfPacket {
  src: string;
  sport: number;
  dst: string;
  dport: number;
  proto: 'tcp' | 'udp';
  mark: number;
  /** The device the packet leaves by, where the hook knows it (FORWARD, POSTROUTING). */
  outDev?: string;
  /** The device the packet came in by, where the hook knows it (INPUT, FORWARD). */
  inDev?: string;
  /** This netns' conntrack rewrote the connection's destination (`--ctstate DNAT`). */
  dnatted?: boolean;
}

/** iptables' interface match: a trailing `+` matches every name that starts with what is before it. */
function interfaceMatches(name: string, pattern: string): boolean {
  return pattern.endsWith('+') ? name.startsWith(pattern.slice(0, -1)) : name === pattern;
}

export type Verdict =
  | { kind: 'continue' }
  | { kind: 'dnat'; ip: string; port: number; rule: Rule }
  | { kind: 'masquerade'; rule: Rule }
  | { kind: 'snat'; ip: string; rule: Rule }
  | { kind: 'reject'; rule: Rule }
  | { kind: 'drop'; rule: Rule }
  | { kind: 'accept'; rule: Rule };

export interface ChainWalk {
  verdict: Verdict;
  /** Every rule that matched, in order (jumps, marks and the final target). */
  path: Rule[];
}

/**
 * How `-m statistic --mode random` rules are decided on this walk. kube-proxy's
 * rule i of n matches with probability 1/(n-i); a trace follows one outcome, so
 * the caller says which statistic rule (counted from 0 within a chain) fires.
 */
export type StatisticChoice = (chain: string, indexInChain: number, probability: number) => boolean;

const tableIndex = new WeakMap<Table, Map<string, Rule[]>>();
function rulesOf(table: Table, chain: string, p: NfPacket): Rule[] {
  if (table.rulesFor) return table.rulesFor(chain, p);
  if (table.rulesOf) return table.rulesOf(chain);
  let idx = tableIndex.get(table);
  if (!idx) tableIndex.set(table, (idx = rulesByChain(table)));
  return idx.get(chain) ?? [];
}

function inCidr(ip: string, cidr: string): boolean {
  return blockContains(block(cidr), ipNumber(ip));
}

/**
 * The node's primary address, kube-proxy's `--nodeport-addresses primary`: the
 * Node's InternalIP, which the node netns holds on eth0 (compile.ts buildNode).
 */
function isNodePrimaryAddress(ns: Netns, ip: string): boolean {
  return ns.kind === 'node' && ns.devices.find((d) => d.name === 'eth0')?.addresses[0]?.ip === ip;
}

/** Is an address in an ipset (a hash:net set holds networks; a bare address is a /32). */
function setHas(set: IpSetMatch, ip: string): boolean {
  return set.members.some((m) => (m.includes('/') ? inCidr(ip, m) : m === ip));
}

function isLocal(ns: Netns, ip: string): boolean {
  return ip.startsWith('127.') || ns.devices.some((d) => d.addresses.some((a) => a.ip === ip));
}

function matches(m: RuleMatch, p: NfPacket, ns: Netns): boolean {
  if (m.src && !inCidr(p.src, m.src)) return false;
  if (m.notSrc && inCidr(p.src, m.notSrc)) return false;
  if (m.dst && !inCidr(p.dst, m.dst)) return false;
  if (m.notDst && inCidr(p.dst, m.notDst)) return false;
  if (m.notOutInterface && p.outDev !== undefined && interfaceMatches(p.outDev, m.notOutInterface)) return false;
  if (m.outInterface && (p.outDev === undefined || !interfaceMatches(p.outDev, m.outInterface))) return false;
  if (m.notSrcLocalToOut && ns.devices.find((d) => d.name === p.outDev)?.addresses.some((a) => a.ip === p.src)) return false;
  if (m.inInterface && (p.inDev === undefined || !interfaceMatches(p.inDev, m.inInterface))) return false;
  if (m.proto && m.proto !== p.proto) return false;
  // The filter hooks are walked for a connection's first packet only (a reply is conntrack's): it is NEW, never ESTABLISHED or INVALID.
  if (m.ctstateEstablished || m.ctstateInvalid) return false;
  if (m.dportSpans && !m.dportSpans.some((x) => p.dport >= x.from && p.dport <= x.to)) return false;
  if (m.srcSet && setHas(m.srcSet, p.src) === !!m.srcSet.negate) return false;
  if (m.dstIpPortSet && !m.dstIpPortSet.members.some((x) => x.ip === p.dst && x.proto === p.proto && x.port === p.dport)) return false;
  if (m.dport !== undefined && m.dport !== p.dport) return false;
  if (m.dports && !m.dports.includes(p.dport)) return false;
  if (m.dstTypeLocal && !isLocal(ns, p.dst)) return false;
  if (m.srcTypeLocal && !isLocal(ns, p.src)) return false;
  if (m.dstNodePortAddress && !isNodePrimaryAddress(ns, p.dst)) return false;
  if (m.dstSet && setHas(m.dstSet, p.dst) === !!m.dstSet.negate) return false;
  if (m.ctstateDnat && !p.dnatted) return false;
  if (m.mark) {
    const hit = (p.mark & m.mark.mask) === m.mark.value;
    if (hit === m.mark.negate) return false;
  }
  return true;
}

/** Apply `--set-xmark VALUE/MASK`: clear the MASK bits, then XOR VALUE. */
function setXmark(mark: number, spec: string): number {
  const [value, mask] = spec.split('/').map((x) => Number.parseInt(x, 16));
  return ((mark & ~mask) ^ value) >>> 0;
}

export function walkChain(ns: Netns, table: Table, chain: string, p: NfPacket, choose: StatisticChoice): ChainWalk {
  const path: Rule[] = [];
  const visit = (name: string, depth: number): Verdict | 'return' => {
    if (depth > 16) return { kind: 'continue' };
    let statisticIndex = 0;
    for (const r of rulesOf(table, name, p)) {
      if (!matches(r.match, p, ns)) continue;
      if (r.match.probability !== undefined) {
        const fires = choose(name, statisticIndex++, storedProbability(r.match.probability));
        if (!fires) continue;
      }
      // `numgen random mod N` draws once and its vmap takes element k with chance 1/N:
      // the same as asking, element by element, whether k fires with 1/(N-k) given the
      // ones before it missed; the last element takes whatever they missed.
      if (r.match.numgen && r.match.numgen.value < r.match.numgen.mod - 1) {
        const fires = choose(name, statisticIndex++, 1 / (r.match.numgen.mod - r.match.numgen.value));
        if (!fires) continue;
      }
      path.push(r);
      const t = r.target;
      switch (t.kind) {
        case 'jump': {
          const v = visit(t.chain, depth + 1);
          if (v !== 'return' && v.kind !== 'continue') return v;
          break;
        }
        case 'goto': {
          // The chain gone to takes this one's place: when it ends, this one has ended too.
          const v = visit(t.chain, depth + 1);
          return v === 'return' || v.kind === 'continue' ? 'return' : v;
        }
        case 'mark':
          p.mark = setXmark(p.mark, t.setXmark);
          break;
        case 'return':
          return 'return';
        case 'dnat': {
          const [ip, port] = t.to.split(':');
          return { kind: 'dnat', ip, port: Number(port), rule: r };
        }
        case 'masquerade':
          return { kind: 'masquerade', rule: r };
        case 'snat':
          return { kind: 'snat', ip: t.to, rule: r };
        case 'reject':
          return { kind: 'reject', rule: r };
        case 'drop':
          return { kind: 'drop', rule: r };
        case 'accept':
          return { kind: 'accept', rule: r };
      }
    }
    return 'return';
  };
  const v = visit(chain, 0);
  return { verdict: v === 'return' ? { kind: 'continue' } : v, path };
}

/**
 * A short account of a chain walk: the jumps that led to the verdict,
 * `PREROUTING → KUBE-SERVICES → KUBE-SVC-ABC → KUBE-SEP-DEF`, and, in brackets, the
 * chains that were entered on the way and returned (KUBE-MARK-MASQ sets the
 * masquerade mark and returns; for a hostPort, KUBE-SERVICES → KUBE-NODEPORTS
 * return before portmap's CNI-HOSTPORT-DNAT).
 */
export function describePath(path: Rule[]): string {
  if (!path.length) return '';
  // Two base chains at one hook (iptables' and kube-proxy's nftables one): each is said
  // in turn, the first having ended without a verdict.
  // The second begins at the first rule of the built-in chain itself (the way into
  // nftables' chain, or an iptables rule after it) that is not of the first one's kind.
  const hooked = (r: Rule) => r.meaning === 'nft-base-chain';
  const next = path.findIndex((r, i) => i > 0 && r.chain === path[0].chain && hooked(r) !== hooked(path[0]));
  if (next < 0) return describeOne(path);
  const ended = path[next - 1];
  const how = ended.target.kind === 'return' ? `, returned by ${ended.text}` : ' (no rule there matched)';
  // Every nat chain at a hook (iptables' and nftables' alike) hangs off one NAT hook, which asks
  // them in priority order, the one registered last first among equals (nf_nat_register_fn,
  // nf_hook_entries_grow), until one sets up the connection's NAT.
  const order = hooked(path[0])
    ? `kube-proxy's chain did no NAT, so the kernel asks the next nat chain at this hook, iptables' ${path[next].chain} (same priority; among equals the chain created last runs first: kube-proxy's here)`
    : `iptables' ${path[0].chain} did no NAT, so the kernel asks the next nat chain at this hook, kube-proxy's (same priority; among equals the chain created last runs first: iptables' here)`;
  return `${describeOne(path.slice(0, next))}${how}; ${order}: ${describePath(path.slice(next))}`;
}

function describeOne(path: Rule[]): string {
  // nftables: the walk enters a base chain by a stand-in rule in the built-in chain of its hook;
  // no iptables chain jumps there, so the account starts at the hook itself.
  const hooked = path[0].meaning === 'nft-base-chain';
  const stack: string[] = [hooked ? (path[0].lookup ?? path[0].chain) : path[0].chain];
  /** How each chain on the stack was reached through a lookup (an nft map, numgen), to say it on the way. */
  const through = new Map<number, string>();
  const marked = new Set<string>();
  const detours: string[] = [];
  for (const r of path) {
    // Chains never recurse, so the rule's chain is on the stack: what is above it returned.
    const popped: string[] = [];
    while (stack.length > 1 && stack[stack.length - 1] !== r.chain) {
      through.delete(stack.length - 1);
      popped.unshift(stack.pop()!);
    }
    if (popped.length) {
      const inner = popped[popped.length - 1];
      detours.push(popped.length === 1 && marked.has(inner) ? `${inner} set the masquerade mark and returned` : `${popped.join(' → ')} returned without a verdict`);
    }
    if (r.target.kind === 'mark') marked.add(r.chain);
    // A goto reads as the jump it is on the way down (services → service-…).
    if (r.target.kind === 'jump' || r.target.kind === 'goto') {
      if (r.lookup && r.meaning !== 'nft-base-chain') through.set(stack.length, r.lookup);
      stack.push(r.target.chain);
    }
  }
  return stack.map((c, i) => (through.has(i) ? `${through.get(i)} → ${c}` : c)).join(' → ') + (detours.length ? ` (${detours.join('; ')})` : '');
}

/**
 * Said after a NAT that kube-proxy's nftables chain made first at a hook where iptables'
 * nat chain has rules too (felix's cali-POSTROUTING): the kernel asks no later nat chain
 * once the connection is NATed, so those rules never see it (nf_nat_inet_fn).
 */
export function laterNatChainSkipped(table: Table, path: Rule[]): string {
  const first = path[0];
  if (!first || first.meaning !== 'nft-base-chain' || path.some((r, i) => i > 0 && r.chain === first.chain)) return '';
  const builtin = table.rulesOf ? table.rulesOf(first.chain) : table.rules.filter((r) => r.chain === first.chain);
  const iptables = builtin.filter((r) => r.meaning !== 'nft-base-chain');
  if (!iptables.length) return '';
  const jumps = [...new Set(iptables.map((r) => (r.target.kind === 'jump' || r.target.kind === 'goto' ? r.target.chain : r.text)))].join(', ');
  return `; iptables' nat ${first.chain} (${jumps}) is not asked: once one nat chain has NATed the connection, the kernel asks no later one at this hook, and kube-proxy's table, created after iptables' nat chain, comes first`;
}

/**
 * kube-proxy's endpoint choice in nftables mode, said truthfully: one `numgen random
 * mod N` draw picks the element of its vmap, so each endpoint has chance 1/N.
 */
export function numgenChance(path: Rule[]): string {
  const pick = path.find((r) => r.match.numgen);
  if (!pick?.match.numgen) return '';
  const { mod, value } = pick.match.numgen;
  if (mod < 2) return ` (the only endpoint of ${pick.chain})`;
  return ` (${pick.chain}: numgen random mod ${mod} drew ${value}, and its vmap sends ${value} to this endpoint; each of its ${mod} endpoints is picked with chance 1/${mod})`;
}

/**
 * What a Local traffic policy did on a DNAT's path, in words: kube-proxy's jump to
 * this node's endpoints carries it as its meaning (dataplane/kubeProxy.ts).
 */
export function localPolicySaid(ns: Netns, path: Rule[], masqueraded: boolean, src: string): string {
  const node = ns.node ?? ns.name;
  if (path.some((r) => r.meaning === 'external-traffic-local')) {
    const kept = masqueraded ? '' : `, and nothing marks the packet for masquerade, so the pod will see the client's own address ${src}: that is what Local is for (the price: a node without an endpoint drops such traffic rather than pass it to another node with its source rewritten)`;
    return `; externalTrafficPolicy Local: kube-proxy on ${node} uses only the endpoints on ${node}${kept}`;
  }
  if (path.some((r) => r.meaning === 'internal-traffic-local')) return `; internalTrafficPolicy Local: only the endpoints on ${node}, the sender's node, are used`;
  return '';
}
