// A pod's NetworkPolicies in the Inspector: which policies isolate it, who may connect
// to it and whom it may reach on a port, as Kubernetes decides (policy/evaluate.ts),
// and whether this cluster's CNI carries that out. Each peer is a button that traces
// that packet.
import { useState } from 'react';
import { cniOf } from '../../sim/cni/index.ts';
import { objectKey, type PodSpec, type Scenario } from '../../sim/model.ts';
import { decide, policiesSelecting } from '../../sim/policy/evaluate.ts';
import { actions } from '../playground.ts';
import { networkPoliciesYaml } from '../../sim/scenario/write.ts';
import buttons from '../buttons.module.css';
import styles from './PodPolicies.module.css';
import PolicyMatrix from './PolicyMatrix.tsx';
import PolicyEditor from './PolicyEditor.tsx';
import type { NetworkPolicy } from '../../sim/policy/types.ts';

const ENFORCER_SAID = {
  felix: "Calico's felix enforces these (its cali-tw-/cali-fw- chains).",
  'cilium-ebpf': "Cilium's eBPF programs enforce these (modelled from Cilium's source).",
  none: 'does not enforce NetworkPolicy: what these deny is delivered all the same.',
} as const;

export default function PodPolicies({ scenario, pod }: { scenario: Scenario; pod: PodSpec }) {
  const ports = [...new Map(pod.ports.map((p) => [`${p.containerPort}/${p.protocol}`, p])).values()];
  const [choice, setChoice] = useState(ports[0] ? `${ports[0].containerPort}/${ports[0].protocol}` : '');
  const [draft, setDraft] = useState<string | null>(null);
  const [matrixOpen, setMatrixOpen] = useState(false);
  // The policy open in the form beside its YAML (PolicyEditor), or a new one for this pod.
  const [editing, setEditing] = useState<{ policy: NetworkPolicy } | { fresh: { namespace: string; labels: Record<string, string> } } | null>(null);
  const policyEditor = editing && <PolicyEditor scenario={scenario} start={editing} onClose={() => setEditing(null)} />;
  const editor = (
    <div className={styles.editor}>
      {draft === null ? (
        <div className={styles.actions}>
          <button type="button" onClick={() => actions().addDenyIngress(pod.namespace, 'inspector')}>
            Deny all ingress in {pod.namespace}
          </button>
          <button type="button" onClick={() => setEditing({ fresh: { namespace: pod.namespace, labels: pod.labels } })}>
            New policy for this pod…
          </button>
          <button type="button" onClick={() => setDraft(networkPoliciesYaml(scenario))}>
            Edit as YAML
          </button>
        </div>
      ) : (
        <>
          <label className={styles.yaml}>
            <span>NetworkPolicies (YAML, every namespace)</span>
            <textarea value={draft} spellCheck={false} rows={12} onChange={(e) => setDraft(e.target.value)} />
          </label>
          <div className={styles.actions}>
            <button type="button" className={buttons.primary} onClick={() => actions().setNetworkPolicies(draft, 'inspector') && setDraft(null)}>
              Apply
            </button>
            <button type="button" onClick={() => setDraft(null)}>
              Cancel
            </button>
          </div>
        </>
      )}
    </div>
  );
  if (!pod.podIP) return null;
  if (!scenario.networkPolicies?.length) {
    return (
      <fieldset className={styles.policies} aria-label="NetworkPolicy">
        <legend>NetworkPolicy</legend>
        <p className={styles.line}>No NetworkPolicy in this cluster: every pod may reach every other.</p>
        {editor}
        {policyEditor}
      </fieldset>
    );
  }
  const enforcer = cniOf(scenario.cluster).networkPolicy;
  const [portText, protocol] = choice.split('/') as [string, 'TCP' | 'UDP'];
  const port = Number(portText);
  const others = scenario.pods.filter((p) => p !== pod && p.podIP);
  const key = objectKey(pod);
  const isolatedBy = (dir: 'Ingress' | 'Egress') => policiesSelecting(scenario, pod, dir).map((p) => p.name);
  const selecting = [...new Set([...policiesSelecting(scenario, pod, 'Ingress'), ...policiesSelecting(scenario, pod, 'Egress')])];
  const ingress = isolatedBy('Ingress');
  const egress = isolatedBy('Egress');
  const allowed = (from: PodSpec, to: PodSpec) => decide(scenario, { src: { pod: from, ip: from.podIP! }, dst: { pod: to, ip: to.podIP! }, protocol, port }).allowed;
  const traceIt = (from: PodSpec, to: PodSpec) =>
    actions().send({ from: { kind: 'pod', namespace: from.namespace, name: from.name }, to: { kind: 'pod', namespace: to.namespace, name: to.name, port }, proto: protocol === 'UDP' ? 'udp' : 'tcp' });
  const peers = (title: string, list: { peer: PodSpec; ok: boolean; from: PodSpec; to: PodSpec }[]) => (
    <div className={styles.peers}>
      <h3>{title}</h3>
      <ul>
        {list.map(({ peer, ok, from, to }) => (
          <li key={objectKey(peer)}>
            <button
              type="button"
              className={ok ? styles.allowed : styles.denied}
              aria-label={`${objectKey(from)} to ${objectKey(to)} port ${port}/${protocol}: ${ok ? 'allowed' : 'denied'}; trace it`}
              title={`Trace ${objectKey(from)} → ${objectKey(to)}:${port}/${protocol}`}
              onClick={() => traceIt(from, to)}
            >
              <span aria-hidden="true">{ok ? '✓' : '✗'}</span> {objectKey(peer)}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
  return (
    <fieldset className={styles.policies} aria-label="NetworkPolicy">
      <legend>NetworkPolicy</legend>
      <p className={styles.line}>
        <b>Ingress:</b> {ingress.length ? `isolated by ${ingress.join(', ')}` : 'not isolated (no policy selects it)'}
      </p>
      <p className={styles.line}>
        <b>Egress:</b> {egress.length ? `isolated by ${egress.join(', ')}` : 'not isolated (no policy selects it)'}
      </p>
      {selecting.length > 0 && (
        <div className={styles.actions}>
          {selecting.map((p) => (
            <button key={p.name} type="button" onClick={() => setEditing({ policy: p })} aria-label={`Edit NetworkPolicy ${p.namespace}/${p.name} as a form`}>
              Edit {p.name}…
            </button>
          ))}
        </div>
      )}
      <p className={enforcer === 'none' ? styles.warn : styles.line}>{enforcer === 'none' ? `${scenario.cluster.cni} ${ENFORCER_SAID.none}` : ENFORCER_SAID[enforcer]}</p>
      {ports.length > 0 && (
        <div className={styles.portRow}>
          <label className={styles.port}>
            <span>On port</span>
            <select value={choice} onChange={(e) => setChoice(e.target.value)}>
              {ports.map((p) => (
                <option key={`${p.containerPort}/${p.protocol}`}>{`${p.containerPort}/${p.protocol}`}</option>
              ))}
            </select>
          </label>
          <button type="button" onClick={() => setMatrixOpen(true)}>
            Whole matrix…
          </button>
        </div>
      )}
      {policyEditor}
      {matrixOpen && <PolicyMatrix scenario={scenario} pod={pod} port={port} protocol={protocol} onClose={() => setMatrixOpen(false)} />}
      {ports.length > 0 && peers(`Who may connect to ${key}`, others.map((o) => ({ peer: o, ok: allowed(o, pod), from: o, to: pod })))}
      {peers(`Whom ${key} may reach on ${port}/${protocol}`, others.filter((o) => o.ports.some((x) => x.containerPort === port && x.protocol === protocol)).map((o) => ({ peer: o, ok: allowed(pod, o), from: pod, to: o })))}
      {editor}
    </fieldset>
  );
}
