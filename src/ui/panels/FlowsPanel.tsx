// The flows Hubble would show (Cilium's), for every packet sent in this visit: each
// traced packet and its reply become flow records (flows/hubble.ts, modelled from
// Cilium's source), filtered by namespace, pod and verdict. A NetworkPolicy drop is
// a DROPPED flow with drop_reason_desc POLICY_DENIED.
import { useEffect, useMemo, useState } from 'react';
import { usePlayground } from '../playground.ts';
import { selectTrace } from '../../store/derived.ts';
import { hasHubble, hubbleRecords, type HubbleRecord } from '../../sim/flows/hubble.ts';
import buttons from '../buttons.module.css';
import panel from './panel.module.css';
import styles from './FlowsPanel.module.css';

/** The flows of this visit, oldest first (kept across the panel's own remounts; a few hundred at most). */
const session: HubbleRecord[] = [];
const seen = new WeakSet<object>();
const KEEP = 300;

const endText = (e: HubbleRecord['flow']['source'], ip: string) => (e.pod_name ? `${e.namespace}/${e.pod_name}` : `${ip} (${e.labels[0] ?? 'world'})`);

export default function FlowsPanel() {
  const scenario = usePlayground((s) => s.scenario);
  const outcome = usePlayground(selectTrace);
  const [, bump] = useState(0);
  const [ns, setNs] = useState('');
  const [pod, setPod] = useState('');
  const [verdict, setVerdict] = useState('');
  useEffect(() => {
    if (outcome?.kind !== 'traced' || seen.has(outcome.trace) || !hasHubble(scenario)) return;
    seen.add(outcome.trace);
    session.push(...hubbleRecords(scenario, outcome.trace));
    session.splice(0, Math.max(0, session.length - KEEP));
    bump((n) => n + 1);
  }, [outcome, scenario]);
  const pods = useMemo(() => [...new Set(session.flatMap((r) => [r.flow.source, r.flow.destination].filter((e) => e.pod_name).map((e) => `${e.namespace}/${e.pod_name}`)))].sort(), [session.length]);
  const namespaces = [...new Set(pods.map((p) => p.split('/')[0]))];
  const touches = (r: HubbleRecord, test: (e: HubbleRecord['flow']['source']) => boolean) => test(r.flow.source) || test(r.flow.destination);
  // Another CNI has no Hubble: nothing to show (the flows of this visit stay for when Cilium is chosen again).
  if (!hasHubble(scenario)) return null;
  const shown = session.filter(
    (r) =>
      (!ns || touches(r, (e) => e.namespace === ns)) &&
      (!pod || touches(r, (e) => `${e.namespace}/${e.pod_name}` === pod)) &&
      (!verdict || r.flow.verdict === verdict),
  );
  return (
    <section className={`${panel.panel} ${styles.flows}`} aria-label="Flows">
      <details>
        <summary>
          <h2>Flows</h2> <span className={panel.muted}>as Hubble would show them · {session.length}</span>
        </summary>
        <div className={styles.filters}>
          <label>
            <span>Namespace</span>
            <select value={ns} onChange={(e) => setNs(e.target.value)}>
              <option value="">all</option>
              {namespaces.map((n) => (
                <option key={n}>{n}</option>
              ))}
            </select>
          </label>
          <label>
            <span>Pod</span>
            <select value={pod} onChange={(e) => setPod(e.target.value)}>
              <option value="">all</option>
              {pods.map((p) => (
                <option key={p}>{p}</option>
              ))}
            </select>
          </label>
          <label>
            <span>Verdict</span>
            <select value={verdict} onChange={(e) => setVerdict(e.target.value)}>
              <option value="">all</option>
              <option>FORWARDED</option>
              <option>DROPPED</option>
            </select>
          </label>
          <button
            type="button"
            className={buttons.icon}
            onClick={() => {
              session.length = 0;
              bump((n) => n + 1);
            }}
          >
            Clear
          </button>
        </div>
        <p className={panel.muted}>Modelled from Cilium's source (trace points under Helm's default monitor aggregation), not from a running Hubble.</p>
        <ol className={styles.list} aria-label="Flow records">
          {shown
            .slice()
            .reverse()
            .map((r, i) => (
              <li key={`${r.time}-${i}`} className={r.flow.verdict === 'DROPPED' ? styles.dropped : undefined}>
                <code>
                  {endText(r.flow.source, r.flow.IP.source)} → {endText(r.flow.destination, r.flow.IP.destination)}
                </code>{' '}
                <b>{r.flow.verdict}</b>
                {r.flow.drop_reason_desc ? ` ${r.flow.drop_reason_desc}` : ''} <span className={panel.muted}>
                  {r.node_name} · {r.flow.trace_observation_point ?? 'drop'} · {r.flow.traffic_direction}
                  {r.flow.is_reply ? ' · reply' : ''}
                  {r.flow.podpath_denied_by ? ` · by ${r.flow.podpath_denied_by.policies.join(', ')}` : ''}
                </span>
              </li>
            ))}
        </ol>
        {shown.length === 0 && <p className={panel.muted}>No flow {session.length ? 'matches these filters' : 'yet: send a packet'}.</p>}
      </details>
    </section>
  );
}
