// The packet's walk, hop by hop, exactly as the engine traced it: what to send,
// the playback controls, the headers at the current hop, the list of hops and the
// verdict.
import { podStateWord } from '../../sim/podStatus.ts';
import { lazy, Suspense } from 'react';
import { objectKey, type Scenario } from '../../sim/model.ts';
import { TRACE_SIZE_MAX, TRACE_SIZE_MIN, type TraceRequest } from '../../sim/trace/types.ts';
import { cniOf } from '../../sim/cni/index.ts';
import { actions, usePlayground } from '../playground.ts';
import { previousOnLeg, selectHops, selectNodeNetworkName, selectPredictPending, selectTrace, TRACE_FAILED } from '../../store/derived.ts';
import { PredictToggle } from '../predict/PredictToggle.tsx';
import { defaultRequest, naturalPort } from '../../store/store.ts';
import { asDestination, asSource, endId, endOfId, EXTERNAL_ID, nodeId, podId, serviceId } from '../../store/ids.ts';
import { formatIssue, loadWithWalk } from '../../store/engine.ts';
import { EndPickers } from '../search/onDemand.ts';
import { isBigCluster } from '../canvas/bigCluster.ts';
import panel from './panel.module.css';
import { onDemand } from '../later.ts';
import styles from './Walkthrough.module.css';

// The prediction form and its score load when predict mode first asks for them.
const PredictForm = lazy(() => import('../predict/Predict.tsx').then((m) => ({ default: m.PredictForm })));
const PredictScore = lazy(() => import('../predict/Predict.tsx').then((m) => ({ default: m.PredictScore })));
// The hops, their controls and the verdict (WalkSteps.tsx) load with the packet walk
// (store/engine.ts' loadWalk: at idle, on the first Send, or before the first render of a
// reload with a packet), so a trace never arrives before the list that shows it.
const { Part: WalkSteps, preload: preloadWalkSteps } = onDemand(() => import('./WalkSteps.tsx'));
export { preloadWalkSteps };
loadWithWalk(preloadWalkSteps);

function PodOptions({ scenario }: { scenario: Scenario }) {
  return (
    <optgroup label="Pods">
      {scenario.pods.map((p) => (
        // A dump's pod without an address (Pending, or finished) has no socket to send from or to.
        <option key={objectKey(p)} value={podId(objectKey(p))} disabled={!p.podIP}>
          {p.name} ({p.podIP ?? podStateWord(p)})
        </option>
      ))}
    </optgroup>
  );
}

function NodeOptions({ scenario, label }: { scenario: Scenario; label: string }) {
  return (
    <optgroup label={label}>
      {scenario.nodes.map((n) => (
        <option key={n.name} value={nodeId(n.name)}>
          {n.name} ({n.internalIP})
        </option>
      ))}
    </optgroup>
  );
}

/** What to send: From, To, protocol and port (presenter mode shows it too). */
export function PacketForm() {
  const scenario = usePlayground((s) => s.scenario);
  const stored = usePlayground((s) => s.request);
  const picking = usePlayground((s) => s.picking);
  const req = stored ?? defaultRequest(scenario);
  if (!req) return <p className={panel.muted}>Add two pods, then send a packet from one to the other.</p>;
  const change = (r: TraceRequest) => actions().send(r);
  const setFrom = (id: string) => {
    const end = endOfId(id);
    const from = end && asSource(end);
    if (from) change({ ...req, from });
  };
  const setTo = (id: string) => {
    const end = endOfId(id);
    const to = end && asDestination(end, naturalPort(scenario, end) ?? req.to.port);
    if (to) change({ ...req, to });
  };
  // A big cluster: 15,000 options are no list to scroll; its pickers are searched (../search).
  const big = isBigCluster(scenario.nodes.length, scenario.pods.length);
  return (
    <form className={styles.form} onSubmit={(e) => (e.preventDefault(), change(req))} aria-label="Packet">
      {big ? <Suspense fallback={null}><EndPickers scenario={scenario} req={req} setFrom={setFrom} setTo={setTo} /></Suspense> : <>
      <label className={styles.end}>
        <span className={styles.endLabel}>From</span>
        <select aria-label="From" value={endId(req.from)} onChange={(e) => setFrom(e.target.value)}>
          {/* A packet from a Deployment (read from a save) starts in one of its pods: shown as what it is. */}
          {req.from.kind === 'deployment' && <option value={endId(req.from)}>deployment/{req.from.name}</option>}
          <PodOptions scenario={scenario} />
          <NodeOptions scenario={scenario} label="Nodes" />
          <option value={EXTERNAL_ID}>external client</option>
        </select>
      </label>
      <label className={styles.end}>
        <span className={styles.endLabel}>To</span>
        <select
          aria-label="To"
          value={endId(req.to)}
          onChange={(e) => setTo(e.target.value)}
        >
          {/* A packet to an address (read from a save) is shown as that address. */}
          {req.to.kind === 'ip' && <option value={endId(req.to)}>{req.to.ip}</option>}
          <PodOptions scenario={scenario} />
          <optgroup label="Services">
            {scenario.services.map((v) => (
              <option key={objectKey(v)} value={serviceId(objectKey(v))}>
                svc/{v.name} ({v.clusterIP})
              </option>
            ))}
          </optgroup>
          <NodeOptions scenario={scenario} label="Nodes (NodePort, hostPort)" />
        </select>
      </label>
      </>}
      <label className={styles.narrow}>
        Protocol
        <select aria-label="Protocol" value={req.proto} onChange={(e) => change(withProto(req, e.target.value as 'tcp' | 'udp'))}>
          <option value="tcp">TCP</option>
          <option value="udp">UDP</option>
        </select>
      </label>
      {/* Wider than Protocol: a NodePort (30000–32767) is read whole. */}
      <label className={`${styles.narrow} ${styles.port}`}>
        Port
        <input
          aria-label="Port"
          type="number"
          min={1}
          max={65535}
          value={req.to.port}
          onChange={(e) => {
            const port = Number(e.target.value);
            if (Number.isInteger(port) && port > 0 && port < 65536) change({ ...req, to: { ...req.to, port } });
          }}
        />
      </label>
      <div className={styles.pick}>
        <button type="button" aria-pressed={picking !== null} onClick={() => actions().setPicking(picking ? null : 'from')}>
          {picking ? 'Stop picking' : 'Pick on canvas'}
        </button>
      </div>
      {/* A UDP packet's size, Don't Fragment set: where the path's MTU is smaller, the walk stops there (TCP fits its segments itself). */}
      {req.proto === 'udp' && (
        <label className={styles.size}>
          <span className={styles.endLabel}>Size</span>
          <input
            aria-label="Size"
            aria-describedby="packet-size-hint"
            type="number"
            min={TRACE_SIZE_MIN}
            max={TRACE_SIZE_MAX}
            placeholder="small"
            value={req.size ?? ''}
            onChange={(e) => {
              if (e.target.value === '') return change(withoutSize(req));
              const size = Number(e.target.value);
              if (Number.isInteger(size) && size >= TRACE_SIZE_MIN && size <= TRACE_SIZE_MAX) change({ ...req, size });
            }}
          />
          <span id="packet-size-hint" className={styles.sizeHint}>
            bytes of IP packet, Don't Fragment set; {mtuHint(scenario)}
          </span>
        </label>
      )}
    </form>
  );
}

/** Another protocol: a size is for UDP only, so TCP drops it. */
function withProto(req: TraceRequest, proto: 'tcp' | 'udp'): TraceRequest {
  return proto === 'udp' ? { ...req, proto } : { ...withoutSize(req), proto };
}

function withoutSize(req: TraceRequest): TraceRequest {
  const { size: _size, ...rest } = req;
  return rest;
}

/** What fits, from the CNI's pod MTU (the smallest on a pod's path), for the hint under the size. */
function mtuHint(s: Scenario): string {
  const mtu = cniOf(s.cluster).podMtu;
  return `pods' MTU here: ${mtu}`;
}

export { hopWhere } from './hopWhere.ts';

export default function Walkthrough() {
  const result = usePlayground(selectTrace);
  const nodeNetwork = usePlayground(selectNodeNetworkName);
  const hops = usePlayground(selectHops);
  const step = usePlayground((s) => s.step);
  const at = Math.min(step, hops.length - 1);
  const t = result?.kind === 'traced' ? result.trace : null;
  const prev = usePlayground((st) => previousOnLeg(st, at));
  // Predict mode: the walk waits for a prediction, and no hop ahead of the one played is shown.
  const pending = usePlayground(selectPredictPending);
  const predicting = usePlayground((s) => s.predict !== null);
  const inLesson = usePlayground((s) => s.inLesson);
  return (
    // data-tracing: the Inspector below gives up height while a packet walks (Inspector.module.css).
    <section
      className={t && hops.length > 0 ? `${panel.panel} ${styles.walkthrough} ${styles.tracing}` : `${panel.panel} ${styles.walkthrough}`}
      aria-label="Walkthrough"
      data-tracing={(t && hops.length > 0) || undefined}
    >
      <div className={styles.head}>
        <h2>Packet</h2>
        <PredictToggle />
      </div>
      <PacketForm />
      {pending && t && (
        <Suspense fallback={null}>
          <PredictForm trace={t} />
        </Suspense>
      )}
      {result && result.kind !== 'traced' && (
        <div className={`${panel.notice} ${panel.error}`} role="alert">
          {result.kind === 'refused' ? result.issues.map(formatIssue).join('\n') : TRACE_FAILED}
        </div>
      )}
      {!result && <p className={panel.muted}>Press <strong>Send packet</strong> to watch one walk through the cluster.</p>}
      {t && (
        <Suspense fallback={null}>
          <WalkSteps t={t} hops={hops} at={at} prev={prev} pending={pending} predicting={predicting} inLesson={inLesson} nodeNetwork={nodeNetwork} />
        </Suspense>
      )}
      {t && predicting && !pending && at >= t.hops.length - 1 && (
        <Suspense fallback={null}>
          <PredictScore trace={t} />
        </Suspense>
      )}
    </section>
  );
}
