// A NetworkPolicy as the playground's form holds it, and back (no React). The form
// shows what most policies are made of: which pods it selects (by labels), the
// directions it isolates, and per direction a list of rules, each one peer (anyone,
// pods of this namespace, pods of the namespaces with some labels, or a CIDR) and
// its ports. A policy with more than that (two peers in one rule, matchExpressions,
// an ipBlock's except) is said to be beyond the form, and is edited as YAML. What
// the form writes is read by the same parser as an import before it is kept.
import { stringify } from 'yaml';
import type { LabelSelector, NetworkPolicy, PolicyPeer, PolicyPort, PolicyRule } from '../../sim/policy/types.ts';
import { networkPolicyDocument } from '../../sim/scenario/write.ts';

/** Who a rule lets in (ingress) or out to (egress). */
export type PeerKind = 'anyone' | 'namespace' | 'namespaces' | 'cidr';

export interface RuleForm {
  peer: PeerKind;
  /** Pod labels, `key=value, key=value`: empty selects every pod (of this namespace, or of the namespaces chosen). */
  podLabels: string;
  /** Namespace labels (peer `namespaces`): empty selects every namespace. */
  namespaceLabels: string;
  /** peer `cidr`: an IPv4 CIDR. */
  cidr: string;
  /** `80, 81/UDP, 8000-8080, http`: empty is every port. */
  ports: string;
}

export interface PolicyForm {
  name: string;
  namespace: string;
  /** The pods the policy selects (isolates), `key=value, …`: empty selects every pod of the namespace. */
  podSelector: string;
  ingress: boolean;
  egress: boolean;
  ingressRules: RuleForm[];
  egressRules: RuleForm[];
}

export const emptyRule = (): RuleForm => ({ peer: 'namespace', podLabels: '', namespaceLabels: '', cidr: '', ports: '' });

/** A new policy: every pod of the namespace isolated for ingress, nothing allowed yet (a deny-all to build on). */
export function newPolicyForm(namespace: string, name: string, podLabels = ''): PolicyForm {
  return { name, namespace, podSelector: podLabels, ingress: true, egress: false, ingressRules: [], egressRules: [] };
}

const labelsText = (l: Record<string, string>) =>
  Object.entries(l)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');

/** `key=value, …` as a selector's matchLabels; a part without `=` is refused with its text. */
export function readLabelsText(text: string): { labels: Record<string, string> } | { problem: string } {
  const labels: Record<string, string> = {};
  for (const part of text.split(',').map((x) => x.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) return { problem: `"${part}" is not key=value` };
    labels[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return { labels };
}

/** `80, 81/UDP, 8000-8080/TCP, http` as NetworkPolicy ports; empty is none (every port). */
export function readPortsText(text: string): { ports: PolicyPort[] } | { problem: string } {
  const ports: PolicyPort[] = [];
  for (const part of text.split(',').map((x) => x.trim()).filter(Boolean)) {
    const m = /^([^/\s]+)(?:\/(TCP|UDP|SCTP))?$/i.exec(part);
    if (!m) return { problem: `"${part}" is not a port (80, 81/UDP, 8000-8080, http)` };
    const protocol = (m[2]?.toUpperCase() ?? 'TCP') as PolicyPort['protocol'];
    const range = /^(\d+)-(\d+)$/.exec(m[1]);
    if (range) ports.push({ protocol, port: Number(range[1]), endPort: Number(range[2]) });
    else if (/^\d+$/.test(m[1])) ports.push({ protocol, port: Number(m[1]) });
    else ports.push({ protocol, port: m[1] });
  }
  return { ports };
}

const portsText = (ports: PolicyPort[] | undefined) =>
  (ports ?? [])
    .map((p) => `${p.port === undefined ? '' : p.endPort !== undefined ? `${p.port}-${p.endPort}` : String(p.port)}${p.protocol === 'TCP' ? '' : `/${p.protocol}`}`)
    .join(', ');

const plain = (sel: LabelSelector | undefined) => !sel || sel.matchExpressions.length === 0;

/** The form of a policy, or why the form cannot show it (it is then edited as YAML). */
export function policyToForm(p: NetworkPolicy): { form: PolicyForm } | { beyond: string } {
  if (!plain(p.podSelector)) return { beyond: 'its podSelector uses matchExpressions' };
  const rules: { ingressRules: RuleForm[]; egressRules: RuleForm[] } = { ingressRules: [], egressRules: [] };
  for (const [dir, list] of [['ingress', p.ingress], ['egress', p.egress]] as const) {
    for (const [i, r] of list.entries()) {
      const at = `its ${dir} rule ${i + 1}`;
      if (r.ports?.some((x) => x.port === undefined)) return { beyond: `${at} names a protocol without a port` };
      const ports = portsText(r.ports);
      const peers = r.peers ?? [];
      if (peers.length > 1) return { beyond: `${at} has ${peers.length} peers (the form writes one per rule)` };
      const peer = peers[0];
      let form: RuleForm;
      if (!peer) form = { ...emptyRule(), peer: 'anyone', ports };
      else if (peer.ipBlock) {
        if (peer.ipBlock.except.length) return { beyond: `${at}'s ipBlock has except` };
        form = { ...emptyRule(), peer: 'cidr', cidr: peer.ipBlock.cidr, ports };
      } else {
        if (!plain(peer.podSelector) || !plain(peer.namespaceSelector)) return { beyond: `${at} uses matchExpressions` };
        form = peer.namespaceSelector
          ? { ...emptyRule(), peer: 'namespaces', namespaceLabels: labelsText(peer.namespaceSelector.matchLabels), podLabels: labelsText(peer.podSelector?.matchLabels ?? {}), ports }
          : { ...emptyRule(), peer: 'namespace', podLabels: labelsText(peer.podSelector?.matchLabels ?? {}), ports };
      }
      (dir === 'ingress' ? rules.ingressRules : rules.egressRules).push(form);
    }
  }
  return {
    form: { name: p.name, namespace: p.namespace, podSelector: labelsText(p.podSelector.matchLabels), ingress: p.policyTypes.includes('Ingress'), egress: p.policyTypes.includes('Egress'), ...rules },
  };
}

const selector = (labels: Record<string, string>): LabelSelector => ({ matchLabels: labels, matchExpressions: [] });

/** The policy a form says, or the first thing wrong with it (by the form's own field names). The parser checks the rest. */
export function formToPolicy(f: PolicyForm): { policy: NetworkPolicy } | { problem: string } {
  const sel = readLabelsText(f.podSelector);
  if ('problem' in sel) return { problem: `Pods it selects: ${sel.problem}` };
  const rulesOf = (list: RuleForm[], word: string): PolicyRule[] | string => {
    const out: PolicyRule[] = [];
    for (const [i, r] of list.entries()) {
      const at = `${word} rule ${i + 1}`;
      const ports = readPortsText(r.ports);
      if ('problem' in ports) return `${at}, ports: ${ports.problem}`;
      let peer: PolicyPeer | undefined;
      if (r.peer === 'cidr') {
        if (!r.cidr.trim()) return `${at}: a CIDR is needed (such as 10.0.0.0/8)`;
        peer = { ipBlock: { cidr: r.cidr.trim(), except: [] } };
      } else if (r.peer !== 'anyone') {
        const pods = readLabelsText(r.podLabels);
        if ('problem' in pods) return `${at}, pod labels: ${pods.problem}`;
        if (r.peer === 'namespaces') {
          const ns = readLabelsText(r.namespaceLabels);
          if ('problem' in ns) return `${at}, namespace labels: ${ns.problem}`;
          peer = { namespaceSelector: selector(ns.labels), ...(Object.keys(pods.labels).length ? { podSelector: selector(pods.labels) } : {}) };
        } else peer = { podSelector: selector(pods.labels) };
      }
      out.push({ ...(peer ? { peers: [peer] } : {}), ...(ports.ports.length ? { ports: ports.ports } : {}) });
    }
    return out;
  };
  if (!f.ingress && !f.egress) return { problem: 'Isolates: choose ingress, egress or both' };
  const ingress = f.ingress ? rulesOf(f.ingressRules, 'Ingress') : [];
  if (typeof ingress === 'string') return { problem: ingress };
  const egress = f.egress ? rulesOf(f.egressRules, 'Egress') : [];
  if (typeof egress === 'string') return { problem: egress };
  return {
    policy: {
      namespace: f.namespace,
      name: f.name.trim(),
      podSelector: selector(sel.labels),
      policyTypes: [...(f.ingress ? (['Ingress'] as const) : []), ...(f.egress ? (['Egress'] as const) : [])],
      // Written out: a policy that isolates egress with no rule (deny all egress) must say so.
      policyTypesGiven: true,
      ingress,
      egress,
    },
  };
}

/** The YAML document the form stands for (what Apply reads), or undefined while the form has a problem. */
export const policyYaml = (p: NetworkPolicy) => stringify(networkPolicyDocument(p), { lineWidth: 0 });
