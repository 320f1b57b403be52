// iptables rules as data, printed the way `iptables-save` prints them.
import type { Rule, RuleMatch, RuleMeaning, RuleTarget, Table } from './types.ts';

/**
 * The probability iptables really stores and prints: xt_statistic keeps it as a
 * 31-bit fraction, so 1/3 is saved as 0.33333333349, not 0.33333333333.
 */
export function storedProbability(p: number): number {
  return Math.round(0x80000000 * p) / 0x80000000;
}

const hexMark = (n: number) => `0x${n.toString(16)}`;
/** iptables-save always double-quotes a comment, escaping the quotes inside it. */
const quote = (s: string) => `"${s.replace(/"/g, '\\"')}"`;
const host = (cidr: string) => (cidr.includes('/') ? cidr : `${cidr}/32`);

/** The text after `-A CHAIN`, in the order iptables-save prints matches. */
function matchText(m: RuleMatch): string[] {
  const parts: string[] = [];
  if (m.src) parts.push(`-s ${host(m.src)}`);
  if (m.notSrc) parts.push(`! -s ${host(m.notSrc)}`);
  if (m.dst) parts.push(`-d ${host(m.dst)}`);
  if (m.notDst) parts.push(`! -d ${host(m.notDst)}`);
  if (m.inInterface) parts.push(`-i ${m.inInterface}`);
  if (m.outInterface) parts.push(`-o ${m.outInterface}`);
  if (m.notOutInterface) parts.push(`! -o ${m.notOutInterface}`);
  if (m.proto) parts.push(`-p ${m.proto}`);
  if (m.comment && m.commentFirst) parts.push(`-m comment --comment ${quote(m.comment)}`);
  if (m.ctstateNew) parts.push('-m conntrack --ctstate NEW');
  if (m.ctstateEstablished) parts.push('-m conntrack --ctstate RELATED,ESTABLISHED');
  if (m.ctstateInvalid) parts.push('-m conntrack --ctstate INVALID');
  // iptables-save prints matches in the order the rule gave them. The one rule here
  // with both a mark and a comment is flanneld's, which gives the mark first.
  if (m.mark) parts.push(`-m mark ${m.mark.negate ? '! ' : ''}--mark ${hexMark(m.mark.value)}/${hexMark(m.mark.mask)}`);
  if (m.ctstateDnat) parts.push('-m conntrack --ctstate DNAT');
  if (m.dstSet) parts.push(`-m set ${m.dstSet.negate ? '! ' : ''}--match-set ${m.dstSet.name} dst`);
  // felix's policy rules: the comment first, then the address sets, then the ports.
  if (m.comment && !m.commentFirst) parts.push(`-m comment --comment ${quote(m.comment)}`);
  if (m.srcSet) parts.push(`-m set ${m.srcSet.negate ? '! ' : ''}--match-set ${m.srcSet.name} src`);
  if (m.dstIpPortSet) parts.push(`-m set --match-set ${m.dstIpPortSet.name} dst,dst`);
  if (m.dportSpans) parts.push(`-m multiport --dports ${m.dportSpans.map((x) => (x.from === x.to ? `${x.from}` : `${x.from}:${x.to}`)).join(',')}`);
  if (m.notSrcLocalToOut) parts.push('-m addrtype ! --src-type LOCAL --limit-iface-out');
  if (m.dstTypeLocal) parts.push('-m addrtype --dst-type LOCAL');
  if (m.srcTypeLocal) parts.push('-m addrtype --src-type LOCAL');
  if (m.dports) parts.push(`-m multiport --dports ${m.dports.join(',')}`);
  if (m.proto && m.dport !== undefined) parts.push(`-m ${m.proto} --dport ${m.dport}`);
  else if (m.proto && m.protoModule) parts.push(`-m ${m.proto}`);
  if (m.probability !== undefined) parts.push(`-m statistic --mode random --probability ${storedProbability(m.probability).toFixed(11)}`);
  return parts;
}

function targetText(t: RuleTarget): string {
  switch (t.kind) {
    case 'jump':
      return `-j ${t.chain}`;
    case 'goto':
      return `-g ${t.chain}`;
    case 'dnat':
      return `-j DNAT --to-destination ${t.to}`;
    case 'masquerade':
      return `-j MASQUERADE${t.randomFully ? ' --random-fully' : ''}`;
    case 'snat':
      return `-j SNAT --to-source ${t.to}`;
    case 'mark':
      return `-j MARK --set-xmark ${t.setXmark}`;
    case 'return':
      return '-j RETURN';
    case 'accept':
      return '-j ACCEPT';
    case 'reject':
      return '-j REJECT --reject-with icmp-port-unreachable';
    case 'drop':
      return '-j DROP';
  }
}

export function rule(chain: string, match: RuleMatch, target: RuleTarget, meaning?: RuleMeaning): Rule {
  const r: Rule = { chain, match, target, text: ['-A', chain, ...matchText(match), targetText(target)].join(' ') };
  if (meaning) r.meaning = meaning;
  return r;
}

/** Group a table's rules by chain, keeping their order: how the kernel walks them. */
export function rulesByChain(table: Table): Map<string, Rule[]> {
  const byChain = new Map<string, Rule[]>();
  for (const r of table.rules) {
    let list = byChain.get(r.chain);
    if (!list) byChain.set(r.chain, (list = []));
    list.push(r);
  }
  return byChain;
}

/** Print a table as `iptables-save -t NAME` does: chain declarations, then rules chain by chain. */
export function iptablesSave(table: Table): string {
  const lines = [`*${table.name}`];
  for (const c of table.chains) lines.push(`:${c.name} ${c.policy ?? '-'} [0:0]`);
  const byChain = rulesByChain(table);
  for (const c of table.chains) for (const r of byChain.get(c.name) ?? []) lines.push(r.text);
  lines.push('COMMIT');
  return lines.join('\n') + '\n';
}
