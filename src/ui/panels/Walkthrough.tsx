// The packet's walk, hop by hop, exactly as the engine traced it: what to send,
// the playback controls, the headers at the current hop, the list of hops and the
// verdict.
import { podStateWord } from '../../sim/podStatus.ts';
import { lazy, memo, Suspense, useEffect, useRef, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { objectKey, type Scenario } from '../../sim/model.ts';
import type { Hop, HopAction, TraceRequest, Verdict } from '../../sim/trace/types.ts';
import { VERDICT_WORDS } from '../../sim/trace/types.ts';
import { actions, usePlayground } from '../playground.ts';
import { previousOnLeg, selectHops, selectNodeNetworkName, selectPredictPending, selectTrace, TRACE_FAILED } from '../../store/derived.ts';
import { PredictToggle } from '../predict/PredictToggle.tsx';
import { defaultRequest, naturalPort } from '../../store/store.ts';
import { asDestination, asSource, endId, endOfId, EXTERNAL_ID, nodeId, podId, serviceId } from '../../store/ids.ts';
import { formatIssue } from '../../store/engine.ts';
import EndpointChoice from './EndpointChoice.tsx';
import EndPickers from '../search/EndPickers.tsx';
import { isBigCluster } from '../canvas/bigCluster.ts';
import panel from './panel.module.css';
import EthernetHeader from './EthernetHeader.tsx';
import styles from './Walkthrough.module.css';

// The prediction form and its score load when predict mode first asks for them.
const PredictForm = lazy(() => import('../predict/Predict.tsx').then((m) => ({ default: m.PredictForm })));
const PredictScore = lazy(() => import('../predict/Predict.tsx').then((m) => ({ default: m.PredictScore })));

/** The hops that rewrite an address are in the Service's colour; those that wrap or unwrap VXLAN, in the tunnel's. */
const ACTION_CLASS: Partial<Record<HopAction, string>> = {
  dnat: styles.nat,
  snat: styles.nat,
  'undo-nat': styles.nat,
  encapsulate: styles.tunnel,
  decapsulate: styles.tunnel,
};
const VERDICT_CLASS: Record<Verdict, string> = { delivered: styles.delivered, refused: styles.refused, dropped: styles.dropped, 'left-cluster': styles.leftCluster };

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
      {big ? <EndPickers scenario={scenario} req={req} setFrom={setFrom} setTo={setTo} /> : <>
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
        <select aria-label="Protocol" value={req.proto} onChange={(e) => change({ ...req, proto: e.target.value as 'tcp' | 'udp' })}>
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
    </form>
  );
}

/** Where a hop happens, for a person: the node network is named as what it is (a switch, or a VPC's fabric). */
export function hopWhere(h: Hop, nodeNetwork = 'node network'): string {
  if (h.netns === 'node-network') return nodeNetwork;
  return `${h.netns} · ${h.device}`;
}

function Controls({ count }: { count: number }) {
  const step = usePlayground((s) => s.step);
  const playing = usePlayground((s) => s.playing);
  const speed = usePlayground((s) => s.speed);
  const showReply = usePlayground((s) => s.showReply);
  const at = Math.min(step, count - 1);
  return (
    <div className={styles.controls} role="group" aria-label="Playback">
      <button type="button" onClick={() => actions().setStep(0)} disabled={at === 0} title="Restart (Home)">
        Restart
      </button>
      <button type="button" onClick={() => actions().setStep(at - 1)} disabled={at === 0} title="Back (←)">
        Back
      </button>
      <button
        type="button"
        className={styles.play}
        data-play // Send packet hands the keyboard to it
        onClick={() => {
          if (!playing && at >= count - 1) actions().setStep(0);
          actions().setPlaying(!playing);
        }}
        title="Play / Pause (Space)"
      >
        {playing ? 'Pause' : 'Play'}
      </button>
      <button type="button" onClick={() => actions().setStep(at + 1)} disabled={at >= count - 1} title="Step (→)">
        Step
      </button>
      <label>
        Speed
        <select aria-label="Speed" value={speed} onChange={(e) => actions().setSpeed(Number(e.target.value))}>
          <option value={0.75}>slow</option>
          <option value={1.5}>normal</option>
          <option value={3}>fast</option>
        </select>
      </label>
      <label>
        <input type="checkbox" checked={showReply} onChange={(e) => actions().setShowReply(e.target.checked)} /> reply
      </label>
    </div>
  );
}

/** The packet's headers after the current hop. */
function Headers({ hop, prev }: { hop: Hop; prev?: Hop }) {
  const p = hop.packet;
  return (
    <div className={styles.headers} aria-label="Packet headers">
      {p.outer && (
        <div className={styles.outer}>
          <div className={styles.title}>
            Outer (VXLAN) header <span className={styles.proto}>UDP {p.outer.dport} · VNI {p.outer.vni}</span>
          </div>
          <dl>
            <dt>src</dt>
            <dd><code>{p.outer.src}</code></dd>
            <dt>dst</dt>
            <dd><code>{p.outer.dst}</code></dd>
          </dl>
          <EthernetHeader eth={p.eth} />
        </div>
      )}
      <div className={styles.inner}>
        <div className={styles.title}>
          {p.outer ? 'Inner packet' : 'Packet'} <span className={styles.proto}>{p.proto.toUpperCase()}</span>
        </div>
        <dl>
          <dt>src</dt>
          <AddressAfterHop now={p.src} before={prev?.packet.src} />
          <dt>dst</dt>
          <AddressAfterHop now={p.dst} before={prev?.packet.dst} />
          <dt>ttl</dt>
          <dd>
            <code>{p.ttl}</code>
            {prev && prev.packet.ttl !== p.ttl && <span className={styles.was}> was {prev.packet.ttl}: routed</span>}
          </dd>
        </dl>
        <EthernetHeader eth={p.outer ? p.outer.innerEth : p.eth} sayWhenNone={!p.outer} />
      </div>
    </div>
  );
}

/** One address of the packet after a hop, highlighted with what it was when the hop rewrote it. */
function AddressAfterHop({ now, before }: { now: string; before?: string }) {
  const [ip, port] = splitHostPort(now);
  const rewritten = before !== undefined && before !== now;
  return (
    // data-rewritten: what a person sees highlighted, for the tests.
    <dd className={rewritten ? styles.changed : undefined} data-rewritten={rewritten || undefined}>
      <code>{ip}</code> port <code>{port}</code>
      {rewritten && (
        <span className={styles.was}>
          {' '}
          (was <code>{before}</code>)
        </span>
      )}
    </dd>
  );
}

function splitHostPort(a: string): [string, string] {
  const i = a.lastIndexOf(':');
  return i < 0 ? [a, ''] : [a.slice(0, i), a.slice(i + 1)];
}

/**
 * The hop list by keyboard (it scrolls, so it must be reachable): ↑ ↓ go to the hop
 * before or after, End to the last (Home, ← and → are the page's own keys, Keys.tsx).
 */
function onHopListKey(e: ReactKeyboardEvent, at: number, count: number) {
  const to = e.key === 'ArrowDown' ? at + 1 : e.key === 'ArrowUp' ? at - 1 : e.key === 'End' ? count - 1 : null;
  if (to === null) return;
  e.preventDefault();
  actions().setStep(Math.max(0, Math.min(to, count - 1)));
}

const HopItem = memo(function HopItem({ hop, index, current, reply, nodeNetwork }: { hop: Hop; index: number; current: boolean; reply: boolean; nodeNetwork: string }) {
  const ref = useRef<HTMLLIElement>(null);
  useEffect(() => {
    // Keep the current hop in view inside the list, without scrolling the page.
    const el = ref.current;
    const list = el?.parentElement;
    if (!current || !el || !list) return;
    if (el.offsetTop < list.scrollTop || el.offsetTop + el.offsetHeight > list.scrollTop + list.clientHeight) {
      list.scrollTop = el.offsetTop - list.clientHeight / 3;
    }
    // The keyboard follows the packet inside the list: a person stepping with the arrows there stays on the current hop.
    if (list.contains(document.activeElement) && document.activeElement !== el) el.focus({ preventScroll: true });
    // Also when the hop itself changes at the same index (a CNI switch re-traces the walk at the same step).
  }, [current, hop]);
  return (
    // data-leg and data-part: the hop as a person reads it (which way, where, what, why), for the tests.
    <li
      ref={ref}
      className={[styles.hop, ACTION_CLASS[hop.action], current && styles.current, reply && styles.reply].filter(Boolean).join(' ')}
      aria-current={current ? 'step' : undefined}
      data-leg={reply ? 'reply' : 'request'}
      onClick={() => actions().setStep(index)}
      // One stop for Tab (the current hop); the arrows move between hops (onHopListKey).
      tabIndex={current ? 0 : -1}
      onKeyDown={(e) => {
        if (e.key === 'Enter') actions().setStep(index);
      }}
    >
      <span className={styles.n}>{index + 1}</span>
      <span className={styles.body}>
        <span className={styles.where} data-part="where">
          {hopWhere(hop, nodeNetwork)}
        </span>
        <span className={styles.action} data-part="action">
          {hop.action}
        </span>
        <span className={styles.why} data-part="why">
          {hop.why}
        </span>
      </span>
    </li>
  );
});

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
      {/* Not while a prediction is awaited (it would tell the answer), nor in a lesson (its step chose the endpoint it explains). */}
      {t && !pending && !inLesson && <EndpointChoice trace={t} />}
      {result && result.kind !== 'traced' && (
        <div className={`${panel.notice} ${panel.error}`} role="alert">
          {result.kind === 'refused' ? result.issues.map(formatIssue).join('\n') : TRACE_FAILED}
        </div>
      )}
      {!result && <p className={panel.muted}>Press <strong>Send packet</strong> to watch one walk through the cluster.</p>}
      {t && hops.length > 0 && (
        <>
          <Controls count={hops.length} />
          <div className={styles.stepOf}>
            hop <strong>{at + 1}</strong> of {hops.length}
            {at >= t.hops.length && <span className={styles.replyTag}> · reply</span>}
          </div>
          <Headers hop={hops[at]} prev={prev} />
          <ol className={styles.hops} aria-label="Hops" onKeyDown={(e) => onHopListKey(e, at, hops.length)}>
            {(predicting ? hops.slice(0, at + 1) : hops).map((h, i) => (
              <HopItem key={i} hop={h} index={i} current={i === at} reply={i >= t.hops.length} nodeNetwork={nodeNetwork} />
            ))}
          </ol>
        </>
      )}
      {t && hops.length > 0 && at < t.hops.length - 1 && <p className={`${styles.pending} ${panel.muted}`}>The verdict comes at the end of the walk.</p>}
      {t && !pending && (hops.length === 0 || at >= t.hops.length - 1) && (
        <div className={`${styles.verdict} ${VERDICT_CLASS[t.verdict]}`} role="status">
          <strong>{VERDICT_WORDS[t.verdict]}</strong>
          {t.endpoint ? <> at <code>{t.endpoint}</code></> : null}: {t.reason}
          {t.candidates.length > 1 && <div className={panel.muted}>kube-proxy could pick any of: {t.candidates.join(', ')}</div>}
        </div>
      )}
      {t && predicting && !pending && at >= t.hops.length - 1 && (
        <Suspense fallback={null}>
          <PredictScore trace={t} />
        </Suspense>
      )}
    </section>
  );
}
