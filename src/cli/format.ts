// Plain-text tables for the terminal: kubectl-style columns.
import { servicesWithKubernetes, VERDICT_WORDS, type Scenario, type ServiceSpec, type Trace } from '../sim/index.ts';
import { refText, walkFacts, type Lesson } from '../sim/lesson/index.ts';

export function table(rows: string[][]): string {
  // A loop, not Math.max(...rows): 150,000 pods' rows as arguments overflow the call stack.
  const widths = rows[0].map(() => 0);
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i], c.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] + 3))).join('')).join('\n') + '\n';
}

/** Ports as `kubectl get svc` prints them: `80/TCP`, `80:31234/TCP`. */
export function kubectlPorts(v: ServiceSpec): string {
  return v.ports.map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol}`).join(',') || '<none>';
}

export function formatIpam(s: Scenario): string {
  // Calico's nodes hold IPAM blocks of the pool (its block affinities) instead of a podCIDR.
  const blocks = s.nodes.some((n) => n.calicoBlocks?.length);
  const nodes = [
    ['NODE', 'INTERNAL-IP', blocks ? 'IPAM-BLOCKS' : 'POD-CIDR'],
    ...s.nodes.map((n) => [n.name, n.internalIP ?? '<none>', (blocks ? n.calicoBlocks?.join(',') : n.podCIDR) || '<none>']),
  ];
  const pods = [['POD', 'NODE', 'IP'], ...s.pods.map((p) => [`${p.namespace}/${p.name}`, p.nodeName ?? '<none>', p.podIP ?? '<none>'])];
  const services = [['SERVICE', 'TYPE', 'CLUSTER-IP', 'PORT(S)'], ...servicesWithKubernetes(s).map((v) => [`${v.namespace}/${v.name}`, v.type, v.clusterIP ?? '<none>', kubectlPorts(v)])];
  return [table(nodes), table(pods), table(services)].join('\n');
}

function hopRows(hops: Trace['hops']): string[][] {
  return hops.map((h, i) => [
    String(i + 1),
    h.netns,
    h.device,
    h.action,
    `${h.packet.src} → ${h.packet.dst}${h.packet.outer ? ` [VXLAN ${h.packet.outer.src} → ${h.packet.outer.dst}:${h.packet.outer.dport} vni ${h.packet.outer.vni}]` : ''}`,
    String(h.packet.ttl),
    h.why,
  ]);
}

/** A trace's NetworkPolicy verdict, and whether anything carried it out. */
function policyLines(p: NonNullable<Trace['policy']>): string[] {
  const who = { felix: "Calico's felix enforces it", 'cilium-ebpf': "Cilium's eBPF programs enforce it", none: 'this CNI enforces none' }[p.enforcer];
  const verdict = p.allowed ? 'allowed' : p.wouldHaveDropped ? 'DENIED, but delivered: this CNI enforces no NetworkPolicy (Calico or Cilium would have dropped it)' : p.exempt ? `denied by the policies, but delivered: ${p.exempt}` : 'DENIED';
  return [`NetworkPolicy: ${verdict}${p.wouldHaveDropped ? '' : ` (${who})`}`, ...(p.egress ? [`  egress:  ${p.egress}`] : []), ...(p.ingress ? [`  ingress: ${p.ingress}`] : [])];
}

export function formatTrace(t: Trace): string {
  const header = ['#', 'NETNS', 'DEVICE', 'ACTION', 'PACKET (after this hop)', 'TTL', 'WHY'];
  const lines = [`${VERDICT_WORDS[t.verdict].toUpperCase()}: ${t.reason}`];
  if (t.endpoint) lines.push(`endpoint: ${t.endpoint}`);
  if (t.candidates.length) lines.push(`candidates: ${t.candidates.join(', ')}`);
  if (t.policy) lines.push(...policyLines(t.policy));
  lines.push('', 'request:', table([header, ...hopRows(t.hops)]));
  if (t.reply.length) lines.push('reply:', table([header, ...hopRows(t.reply)]));
  return lines.join('\n');
}

/** A checked lesson, step by step: what is said, what changes, and what the engine's trace of the packet shows. */
export function formatLesson(l: Lesson): string {
  const out = [`${l.title} (${l.steps.length} step${l.steps.length === 1 ? '' : 's'}): OK, every step checked against its cluster`];
  l.steps.forEach((step, i) => {
    out.push('', `step ${i + 1}${step.title ? `: ${step.title}` : ''}`, `  say: ${step.say}`);
    if (step.cni) out.push(`  cni: ${step.cni}`);
    for (const c of step.changes) out.push(`  changed: ${c}`);
    for (const w of step.warnings) out.push(`  warning (${w.code}): ${w.message}`);
    if (step.refusal) out.push(`  refused: ${step.refusal}`);
    if (step.highlight.length) out.push(`  highlight: ${step.highlight.map(refText).join(', ')}`);
    if (step.question) out.push(`  question: ${step.question.ask} (predict: ${step.question.parts.join(', ')})`);
    if (step.trace && step.packet) {
      const f = walkFacts(step.trace);
      out.push(`  packet: ${VERDICT_WORDS[step.trace.verdict].toUpperCase()}: ${step.trace.reason}`);
      out.push(`    answered by ${f.answeredBy ?? 'no pod'}; the receiver sees source ${f.sourceSeen ?? '(nothing receives it)'}; ${step.trace.hops.length} hops${step.packet.reply ? `, ${step.trace.reply.length} back` : ''}`);
      if (step.trace.candidates.length > 1) out.push(`    kube-proxy could pick ${step.trace.candidates.join(', ')}; this walk follows endpoint ${step.packet.endpoint}`);
    }
  });
  return out.join('\n') + '\n';
}
