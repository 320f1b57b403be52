// An upstream case's cluster as a podpath scenario: namespaces x, y, z, the case's
// pods (labelled pod: <name>) spread over three nodes, each pod serving the case's
// ports over its protocols on named container ports `serve-<port>-<proto>` (as
// upstream's model.go names them), and one step's NetworkPolicies, their
// placeholders filled with the pods' addresses.
import { stringify } from 'yaml';
import { loadScenario, type Scenario } from '../../index.ts';
import { block, ipText } from '../../ipam/addresses.ts';

export interface CaseDocument {
  name: string;
  group: string;
  pods: string[];
  protocols: string[];
  ports: number[];
  skipReason?: string;
  steps: {
    namespaceLabels?: Record<string, Record<string, string>>;
    podLabels?: Record<string, Record<string, string>>;
    policies: Record<string, unknown>[];
    probes: { port: number; protocol: 'TCP' | 'UDP' | 'SCTP'; matrix: string }[];
  }[];
}

const NODES = ['node-1', 'node-2', 'node-3'];

/** A Cluster document's spec (podCIDR, the CNI and its settings…): the caller's choice of datapath. */
export type ClusterSpecDocument = Record<string, unknown>;

function documents(c: CaseDocument, step: number, cluster: ClusterSpecDocument, policies: Record<string, unknown>[]): string {
  // Labels changed by an earlier step stay changed (upstream's cleanups run after the case).
  const nsLabels: Record<string, Record<string, string>> = {};
  const podLabels: Record<string, Record<string, string>> = {};
  for (const st of c.steps.slice(0, step + 1)) {
    Object.assign(nsLabels, st.namespaceLabels ?? {});
    Object.assign(podLabels, st.podLabels ?? {});
  }
  const docs: Record<string, unknown>[] = [{ apiVersion: 'podpath.dev/v1alpha1', kind: 'Cluster', metadata: { name: 'netpol' }, spec: cluster }, ...NODES.map((name) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name } }))];
  for (const ns of ['x', 'y', 'z']) docs.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, ...(nsLabels[ns] ? { labels: nsLabels[ns] } : {}) } });
  c.pods.forEach((key, i) => {
    const [namespace, name] = key.split('/');
    const containers = c.protocols.flatMap((proto) =>
      c.ports.map((port) => ({ name: `cont-${port}-${proto.toLowerCase()}`, image: 'registry.k8s.io/e2e-test-images/agnhost:2.53', ports: [{ name: `serve-${port}-${proto.toLowerCase()}`, containerPort: port, protocol: proto }] })),
    );
    docs.push({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels: podLabels[key] ?? { pod: name } }, spec: { nodeName: NODES[i % NODES.length], containers } });
  });
  docs.push(...policies);
  return docs.map((d) => stringify(d, { lineWidth: 0 })).join('---\n');
}

function load(text: string): Scenario {
  const r = loadScenario(text, 'upstream case');
  if (!r.ok) throw new Error(r.issues.map((i) => `${i.document} ${i.field}: ${i.reason}`).join('; '));
  return r.value;
}

/** One step of a case as a loaded scenario (SCTP containers are left out: podpath's pods serve TCP and UDP). */
export function caseScenario(c: CaseDocument, step: number, cluster: ClusterSpecDocument): Scenario {
  const carried = { ...c, protocols: c.protocols.filter((p) => p !== 'SCTP') };
  const bare = load(documents(carried, step, cluster, []));
  const ipOf = (key: string) => {
    const p = bare.pods.find((x) => `${x.namespace}/${x.name}` === key);
    if (!p?.podIP) throw new Error(`no address for ${key}`);
    return p.podIP;
  };
  const filled = JSON.parse(
    JSON.stringify(c.steps[step].policies)
      .replace(/\$\{ip:([a-z]\/[a-z])\}/g, (_, k: string) => ipOf(k))
      .replace(/\$\{cidr4:([a-z]\/[a-z])\}/g, (_, k: string) => `${ipText(block(`${ipOf(k)}/4`).first)}/4`),
  ) as Record<string, unknown>[];
  return load(documents(carried, step, cluster, filled));
}
