// The walk once a packet has been traced: the playback controls, the headers at the
// current hop, the list of hops, the endpoint kube-proxy chose and the verdict.
// Loaded on demand (Walkthrough.tsx): there is no walk to show before the packet walk
// itself has loaded, so the first view's JavaScript does without it.
import { memo, useEffect, useRef, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import type { Hop, HopAction, Trace, Verdict } from '../../sim/trace/types.ts';
import { VERDICT_WORDS } from '../../sim/trace/types.ts';
import { actions, usePlayground } from '../playground.ts';
import { hopWhere } from './hopWhere.ts';
import EndpointChoice from './EndpointChoice.tsx';
import EthernetHeader from './EthernetHeader.tsx';
import panel from './panel.module.css';
import styles from './Walkthrough.module.css';

/** The hops that rewrite an address are in the Service's colour; those that wrap or unwrap VXLAN, in the tunnel's. */
const ACTION_CLASS: Partial<Record<HopAction, string>> = {
  dnat: styles.nat,
  snat: styles.nat,
  'undo-nat': styles.nat,
  encapsulate: styles.tunnel,
  decapsulate: styles.tunnel,
};
const VERDICT_CLASS: Record<Verdict, string> = { delivered: styles.delivered, refused: styles.refused, dropped: styles.dropped, 'left-cluster': styles.leftCluster };
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

/** What Walkthrough shows under its form once the engine has walked the packet. */
/** The NetworkPolicy verdict under the walk's: what the policies say, and whether the CNI carried it out. */
function PolicyVerdict({ policy }: { policy: NonNullable<Trace['policy']> }) {
  const said = policy.allowed
    ? 'the policies allow it'
    : policy.wouldHaveDropped
      ? `the policies deny it (${policy.denied?.policies.join(', ')}), but this CNI enforces no NetworkPolicy: it was delivered, where Calico or Cilium would have dropped it`
      : policy.exempt
        ? `the policies deny it, but ${policy.exempt}`
        : `denied by ${policy.denied?.policies.join(', ')} (${policy.denied?.direction.toLowerCase()} of ${policy.denied?.pod})`;
  return (
    <div className={styles.policy} data-would-have-dropped={policy.wouldHaveDropped ? '' : undefined}>
      <strong>NetworkPolicy:</strong> {said}
    </div>
  );
}

export default function WalkSteps({ t, hops, at, prev, pending, predicting, inLesson, nodeNetwork }: {
  t: Trace;
  hops: Hop[];
  at: number;
  prev?: Hop;
  pending: boolean;
  predicting: boolean;
  inLesson: boolean;
  nodeNetwork: string;
}) {
  return (
    <>
      {/* Not while a prediction is awaited (it would tell the answer), nor in a lesson (its step chose the endpoint it explains). */}
      {!pending && !inLesson && <EndpointChoice trace={t} />}
      {hops.length > 0 && (
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
      {hops.length > 0 && at < t.hops.length - 1 && <p className={`${styles.pending} ${panel.muted}`}>The verdict comes at the end of the walk.</p>}
      {!pending && (hops.length === 0 || at >= t.hops.length - 1) && (
        <div className={`${styles.verdict} ${VERDICT_CLASS[t.verdict]}`} role="status">
          <strong>{VERDICT_WORDS[t.verdict]}</strong>
          {t.endpoint ? <> at <code>{t.endpoint}</code></> : null}: {t.reason}
          {t.candidates.length > 1 && <div className={panel.muted}>kube-proxy could pick any of: {t.candidates.join(', ')}</div>}
          {t.policy && <PolicyVerdict policy={t.policy} />}
        </div>
      )}
    </>
  );
}
