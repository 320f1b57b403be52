// Edit what is selected: name, labels, ports, hostPort, Service type, ports and
// selector. Fields commit on Enter or when they lose focus; a refused change shows
// the engine's reason here and leaves the cluster as it was.
import { useEffect, useState, type KeyboardEvent } from 'react';
import type { ContainerPort, Protocol, ServicePort } from '../../sim/model.ts';
import { objectKey } from '../../sim/model.ts';
import { nameUnnamedPorts } from '../../sim/scenario/portNames.ts';
import { podStateText } from '../../sim/podStatus.ts';
import { actions, usePlayground } from '../playground.ts';
import { elementId } from '../../store/ids.ts';
import type { Notice } from '../../store/store.ts';
import DeploymentScale from './DeploymentScale.tsx';
import PodPolicies from './PodPolicies.tsx';
import InspectorEmpty from './InspectorEmpty.tsx';
import buttons from '../buttons.module.css';
import panel from './panel.module.css';
import styles from './Inspector.module.css';

const NOTICE_CLASS: Record<Notice['kind'], string> = { error: panel.error, hint: panel.hint };

const fmtLabels = (l: Record<string, string>) => Object.entries(l).map(([k, v]) => `${k}=${v}`).join(', ');
function parseLabels(text: string): Record<string, string> | string {
  const out: Record<string, string> = {};
  for (const part of text.split(/[,\n]/).map((x) => x.trim()).filter(Boolean)) {
    const i = part.indexOf('=');
    if (i <= 0) return `"${part}" is not key=value`;
    out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}

/** A text field that commits on Enter or blur and resets when the stored value changes. */
function Field({ label, value, onCommit, mono }: { label: string; value: string; onCommit: (v: string) => void; mono?: boolean }) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  const commit = () => {
    if (text !== value) onCommit(text);
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Enter') commit();
    if (e.key === 'Escape') setText(value);
  };
  return (
    <label className={styles.field}>
      <span>{label}</span>
      <input className={mono ? styles.mono : undefined} value={text} onChange={(e) => setText(e.target.value)} onBlur={commit} onKeyDown={onKey} />
    </label>
  );
}

function NumberCell({ label, value, onCommit, placeholder }: { label: string; value?: number; onCommit: (v: number | undefined) => void; placeholder?: string }) {
  const [text, setText] = useState(value === undefined ? '' : String(value));
  useEffect(() => setText(value === undefined ? '' : String(value)), [value]);
  const commit = () => {
    const v = text.trim() === '' ? undefined : Number(text);
    if (v !== undefined && !Number.isInteger(v)) {
      actions().notify({ kind: 'error', text: `${label}: "${text.trim()}" is not a whole number`, near: 'inspector' });
      setText(value === undefined ? '' : String(value));
      return;
    }
    if (v !== value) onCommit(v);
  };
  return <input aria-label={label} className={`${styles.mono} ${styles.num}`} inputMode="numeric" placeholder={placeholder} value={text} onChange={(e) => setText(e.target.value)} onBlur={commit} onKeyDown={(e) => e.key === 'Enter' && commit()} />;
}

function ProtoCell({ label, value, onChange }: { label: string; value: Protocol; onChange: (p: Protocol) => void }) {
  return (
    <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value as Protocol)}>
      <option>TCP</option>
      <option>UDP</option>
    </select>
  );
}

function PodPorts({ podKey, ports }: { podKey: string; ports: ContainerPort[] }) {
  const set = (next: ContainerPort[]) => actions().setPodPorts(podKey, next);
  const patch = (i: number, p: Partial<ContainerPort>) => set(ports.map((x, j) => (j === i ? { ...x, ...p } : x)));
  return (
    <fieldset className={styles.ports}>
      <legend>Container ports</legend>
      {ports.length > 0 && (
        <div className={`${styles.row} ${styles.head}`} aria-hidden="true">
          <span>port</span>
          <span>proto</span>
          <span>hostPort</span>
          <span />
        </div>
      )}
      {ports.map((p, i) => (
        <div className={styles.row} key={i}>
          <NumberCell label={`containerPort ${i + 1}`} value={p.containerPort} onCommit={(v) => v !== undefined && patch(i, { containerPort: v })} />
          <ProtoCell label={`protocol ${i + 1}`} value={p.protocol} onChange={(protocol) => patch(i, { protocol })} />
          <NumberCell label={`hostPort ${i + 1}`} value={p.hostPort} placeholder="—" onCommit={(v) => patch(i, { hostPort: v })} />
          <button type="button" className={buttons.icon} aria-label={`Remove port ${p.containerPort}`} onClick={() => set(ports.filter((_, j) => j !== i))}>
            ×
          </button>
        </div>
      ))}
      <button type="button" onClick={() => set([...ports, { containerPort: nextPort(ports.map((p) => p.containerPort), 8080), protocol: 'TCP' }])}>
        Add port
      </button>
    </fieldset>
  );
}

function nextPort(taken: number[], from: number): number {
  let p = from;
  while (taken.includes(p)) p++;
  return p;
}

/** What each traffic policy does, in a line under its select. */
const TRAFFIC_POLICY_SAID = {
  external: {
    Local: "NodePort traffic goes only to this Service's pods on the node it reaches, keeping the client's address; a node without one drops it.",
    Cluster: 'NodePort traffic may go to a pod on any node, its source rewritten to the node (SNAT).',
  },
  internal: {
    Local: "The ClusterIP goes only to pods on the sender's node; a node without one drops it.",
    Cluster: 'The ClusterIP goes to a pod on any node.',
  },
} as const;

/** spec.externalTrafficPolicy or internalTrafficPolicy: a select, and a line saying what the chosen one does. */
function TrafficPolicyField({ svcKey, which, policy }: { svcKey: string; which: 'external' | 'internal'; policy: 'Local' | undefined }) {
  const hint = `${which}-traffic-policy-hint`;
  return (
    <>
      <label className={styles.field}>
        <span>{which === 'external' ? 'External' : 'Internal'} traffic policy</span>
        <select value={policy ?? 'Cluster'} aria-describedby={hint} onChange={(e) => actions().setTrafficPolicy(svcKey, which, e.target.value as 'Cluster' | 'Local')}>
          <option>Cluster</option>
          <option>Local</option>
        </select>
      </label>
      <p id={hint} className={styles.hint}>
        {TRAFFIC_POLICY_SAID[which][policy ?? 'Cluster']}
      </p>
    </>
  );
}

function ServicePorts({ svcKey, ports, nodePort }: { svcKey: string; ports: ServicePort[]; nodePort: boolean }) {
  const set = (next: ServicePort[]) => actions().setServicePorts(svcKey, next);
  const patch = (i: number, p: Partial<ServicePort>) => set(ports.map((x, j) => (j === i ? { ...x, ...p } : x)));
  return (
    <fieldset className={styles.ports}>
      <legend>Ports</legend>
      <div className={`${styles.row} ${styles.service} ${styles.head}`} aria-hidden="true">
        <span>port</span>
        <span>target</span>
        <span>proto</span>
        {nodePort ? <span>nodePort</span> : <span />}
        <span />
      </div>
      {ports.map((p, i) => (
        <div className={`${styles.row} ${styles.service}`} key={i}>
          <NumberCell label={`port ${i + 1}`} value={p.port} onCommit={(v) => v !== undefined && patch(i, { port: v })} />
          <TargetCell index={i} value={p.targetPort} onCommit={(targetPort) => patch(i, { targetPort })} />
          <ProtoCell label={`protocol ${i + 1}`} value={p.protocol} onChange={(protocol) => patch(i, { protocol })} />
          {nodePort ? <NumberCell label={`nodePort ${i + 1}`} value={p.nodePort} placeholder="auto" onCommit={(v) => patch(i, { nodePort: v })} /> : <span />}
          <button type="button" className={buttons.icon} aria-label={`Remove port ${p.port}`} onClick={() => set(ports.filter((_, j) => j !== i))}>
            ×
          </button>
        </div>
      ))}
      {/* A second port needs names on all of them (Kubernetes refuses a Service without; so would a reload). */}
      <button type="button" onClick={() => set(nameUnnamedPorts([...ports, { port: nextPort(ports.map((p) => p.port), 80), targetPort: 8080, protocol: 'TCP' }]))}>
        Add port
      </button>
    </fieldset>
  );
}

function TargetCell({ index, value, onCommit }: { index: number; value: number | string; onCommit: (v: number | string) => void }) {
  const [text, setText] = useState(String(value));
  useEffect(() => setText(String(value)), [value]);
  const commit = () => {
    const v = /^\d+$/.test(text.trim()) ? Number(text.trim()) : text.trim();
    if (v !== value) onCommit(v);
  };
  return <input aria-label={`targetPort ${index + 1}`} className={`${styles.mono} ${styles.num}`} value={text} onChange={(e) => setText(e.target.value)} onBlur={commit} onKeyDown={(e) => e.key === 'Enter' && commit()} />;
}

function LabelsField({ label, value, onCommit }: { label: string; value: Record<string, string>; onCommit: (l: Record<string, string>) => void }) {
  return (
    <Field
      label={label}
      value={fmtLabels(value)}
      mono
      onCommit={(t) => {
        const l = parseLabels(t);
        if (typeof l === 'string') actions().notify({ kind: 'error', text: l, near: 'inspector' });
        else onCommit(l);
      }}
    />
  );
}

export default function Inspector() {
  const sel = usePlayground((s) => s.selection);
  const scenario = usePlayground((s) => s.scenario);
  const notice = usePlayground((s) => s.notice);
  const serial = usePlayground((s) => s.selectionSerial);
  // While a packet is traced, the walkthrough needs the room; the hint bar says how to open this.
  const tracing = usePlayground((s) => s.request !== null);
  if (!sel && tracing) return null;
  if (!sel) return <InspectorEmpty />;
  const id = elementId(sel.kind, sel.key);
  const here = notice && (notice.near === id || notice.near === 'inspector') ? notice : null;
  let body = null;
  let title = '';
  if (sel.kind === 'node') {
    const n = scenario.nodes.find((x) => x.name === sel.key);
    if (!n) return null;
    title = `node ${n.name}`;
    body = (
      <>
        <Field label="Name" value={n.name} onCommit={(v) => actions().rename('node', n.name, v)} />
        <LabelsField label="Labels" value={n.labels} onCommit={(l) => actions().setLabels('node', n.name, l)} />
        <dl className={styles.facts}>
          <dt>InternalIP</dt>
          <dd><code>{n.internalIP}</code></dd>
          {n.calicoBlocks?.length ? (
            <>
              <dt>IPAM blocks</dt>
              <dd><code>{n.calicoBlocks.join(' ')}</code></dd>
            </>
          ) : (
            <>
              <dt>podCIDR</dt>
              <dd><code>{n.podCIDR}</code></dd>
            </>
          )}
          <dt>pods</dt>
          <dd>{scenario.pods.filter((p) => p.nodeName === n.name).length}</dd>
        </dl>
        <button type="button" onClick={() => actions().addPod(n.name)}>
          Add pod here
        </button>
      </>
    );
  } else if (sel.kind === 'pod') {
    const p = scenario.pods.find((x) => objectKey(x) === sel.key);
    if (!p) return null;
    title = `pod ${p.name}`;
    body = (
      <>
        {/* First: "pods come and go" is what a Deployment's pod is shown for. */}
        {p.ownerKind === 'Deployment' && p.ownerName && <DeploymentScale namespace={p.namespace} name={p.ownerName} />}
        <Field label="Name" value={p.name} onCommit={(v) => actions().rename('pod', sel.key, v)} />
        <LabelsField label="Labels" value={p.labels} onCommit={(l) => actions().setLabels('pod', sel.key, l)} />
        <dl className={styles.facts}>
          <dt>netns</dt>
          <dd><code>{sel.key}</code></dd>
          <dt>podIP</dt>
          <dd><code>{p.podIP ?? '—'}</code></dd>
          {podStateText(p) && (
            <>
              <dt>status</dt>
              <dd>{podStateText(p)}</dd>
            </>
          )}
          <dt>node</dt>
          <dd>
            <select aria-label="Node" value={p.nodeName} onChange={(e) => actions().movePod(sel.key, e.target.value)}>
              {scenario.nodes.map((n) => (
                <option key={n.name}>{n.name}</option>
              ))}
            </select>
          </dd>
        </dl>
        <PodPorts podKey={sel.key} ports={p.ports} />
        <PodPolicies scenario={scenario} pod={p} />
      </>
    );
  } else {
    const v = scenario.services.find((x) => objectKey(x) === sel.key);
    if (!v) return null;
    title = `service ${v.name}`;
    body = (
      <>
        <Field label="Name" value={v.name} onCommit={(x) => actions().rename('service', sel.key, x)} />
        <label className={styles.field}>
          <span>Type</span>
          <select value={v.type} onChange={(e) => actions().setServiceType(sel.key, e.target.value as 'ClusterIP' | 'NodePort')}>
            <option>ClusterIP</option>
            <option>NodePort</option>
          </select>
        </label>
        <LabelsField label="Selector" value={v.selector} onCommit={(l) => actions().setSelector(sel.key, l)} />
        {v.type === 'NodePort' && <TrafficPolicyField svcKey={sel.key} which="external" policy={v.externalTrafficPolicy} />}
        <TrafficPolicyField svcKey={sel.key} which="internal" policy={v.internalTrafficPolicy} />
        <dl className={styles.facts}>
          <dt>ClusterIP</dt>
          <dd><code>{v.clusterIP}</code></dd>
        </dl>
        <ServicePorts svcKey={sel.key} ports={v.ports} nodePort={v.type === 'NodePort'} />
      </>
    );
  }
  return (
    // Keyed by the selection: half-typed drafts never carry over to the next element
    // selected, and a rename (the same element) keeps the focus where it was.
    <section key={serial} className={`${panel.panel} ${styles.inspector}`} aria-label="Inspector">
      <h2>{title}</h2>
      {here && (
        <div className={`${panel.notice} ${NOTICE_CLASS[here.kind]}`} role="alert">
          {here.text}
        </div>
      )}
      {body}
      <button type="button" className={buttons.danger} onClick={() => actions().remove(sel.kind, sel.key)}>
        Delete {sel.kind === 'service' ? 'Service' : sel.kind}
      </button>
    </section>
  );
}
