// Kubernetes' own NetworkPolicy e2e cases (./cases, transcribed from upstream; see
// LICENSE-NOTICE.md), run in the engine: for every step and probe, podpath's matrix
// is upstream's expected one (the diagonal ignored, as upstream ignores loopback),
// and under Calico every traced packet between two of the case's pods is delivered
// or dropped by felix's chains exactly as that matrix says.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { compile, objectKey, trace } from '../../index.ts';
import { cellAllowed, policyMatrix } from '../matrix.ts';
import { caseFiles, casesDir } from './files.ts';
import { caseScenario, type CaseDocument } from './scenario.ts';

const dir = fileURLToPath(casesDir);
/** Calico with VXLAN, as the kernel differential runs them (this kernel has no IPIP). */
const CALICO = { podCIDR: '10.244.0.0/16', serviceCIDR: '10.96.0.0/12', nodeNetwork: '192.168.56.0/24', cni: 'calico', kubeProxy: 'iptables', calico: { ipipMode: 'Never', vxlanMode: 'Always' } };
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
const cases = files.map((f) => ({ file: f, doc: parse(readFileSync(`${dir}/${f}`, 'utf8')) as CaseDocument }));

/** A matrix text as cells, the diagonal left out. */
function cells(matrix: string): Map<string, string> {
  const [header, ...rows] = matrix.trim().split('\n').map((l) => l.split('\t'));
  const out = new Map<string, string>();
  for (const r of rows) r.slice(1).forEach((v, j) => r[0] !== header[j + 1] && out.set(`${r[0]} -> ${header[j + 1]}`, v));
  return out;
}

describe('the upstream NetworkPolicy e2e cases', () => {
  it('are all here: the 48 of network_policy.go, the committed files as the transcription writes them', () => {
    expect(files).toHaveLength(48);
    expect(caseFiles().map((f) => f.file)).toEqual(files);
    for (const f of caseFiles()) expect(readFileSync(`${dir}/${f.file}`, 'utf8'), f.file).toBe(f.text);
  });

  it('skip only the SCTP ones, each saying why', () => {
    const skipped = cases.filter((c) => c.doc.skipReason);
    expect(skipped.map((c) => c.doc.group)).toEqual(['SCTP', 'SCTP', 'SCTP']);
    for (const c of skipped) expect(c.doc.skipReason).toMatch(/TCP and UDP only/);
  });

  for (const { file, doc } of cases.filter((c) => !c.doc.skipReason)) {
    it(`${file}: ${doc.name}`, () => {
      doc.steps.forEach((step, i) => {
        const s = caseScenario(doc, i, CALICO);
        const dp = compile(s);
        for (const probe of step.probes) {
          const protocol = probe.protocol as 'TCP' | 'UDP';
          const m = policyMatrix(s, { port: probe.port, protocol });
          const got = new Map<string, string>();
          m.pods.forEach((a, x) => m.pods.forEach((b, y) => x !== y && got.set(`${objectKey(a)} -> ${objectKey(b)}`, cellAllowed(m.cells[x][y]) ? '.' : 'X')));
          const want = cells(probe.matrix);
          expect(Object.fromEntries(got), `step ${i + 1}, ${probe.port}/${protocol}: the policies`).toEqual(Object.fromEntries(want));
          // The same packets walked through Calico's datapath (felix's chains).
          const walked = new Map<string, string>();
          for (const [pair] of want) {
            const [from, to] = pair.split(' -> ').map((k) => k.split('/'));
            const r = trace(dp, { from: { kind: 'pod', namespace: from[0], name: from[1] }, to: { kind: 'pod', namespace: to[0], name: to[1], port: probe.port }, proto: protocol === 'TCP' ? 'tcp' : 'udp' });
            if (!r.ok) throw new Error(JSON.stringify(r.issues));
            walked.set(pair, r.value.verdict === 'delivered' ? '.' : r.value.code === 'network-policy-denied' ? 'X' : `? ${r.value.code}`);
          }
          expect(Object.fromEntries(walked), `step ${i + 1}, ${probe.port}/${protocol}: traced under Calico`).toEqual(Object.fromEntries(want));
        }
      });
    });
  }
});
