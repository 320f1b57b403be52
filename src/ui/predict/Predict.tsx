// Predict, then reveal. The Predict control turns predict mode on for free play (a
// lesson's question turns it on for its step); before the packet moves the person
// predicts who answers, the verdict, the source address the receiver sees and the
// places it crosses; the walk then plays hop by hop with no hop shown ahead, and at
// the end each part is scored against the engine's trace, saying what was missed and
// why in the trace's words.
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { objectKey, type Scenario } from '../../sim/model.ts';
import type { Trace, Verdict } from '../../sim/trace/types.ts';
import { VERDICT_WORDS, VERDICTS } from '../../sim/trace/types.ts';
import type { PredictPart } from '../../sim/lesson/types.ts';
import { placeText, scorePrediction, type Place } from '../../sim/lesson/predict.ts';
import { actions, lessons, usePlayground } from '../playground.ts';
import { dataplaneOf } from '../../store/derived.ts';
import { pickablePlaces, predictDraft, togglePlace, usePredictDraft } from './places.ts';
import { ALL_PARTS, PART_NAME } from './PredictToggle.tsx';
import styles from './Predict.module.css';

// The toggle and the parts' names are in the first view; the form and the score load when predicting.
export { ALL_PARTS, PART_NAME, PredictToggle } from './PredictToggle.tsx';

/** Addresses a receiver might see as the source: the sender's own, every address a node holds, the external client, the ClusterIP the packet was sent to. */
function sourceChoices(s: Scenario, t: Trace): { ip: string; label: string }[] {
  const out = new Map<string, string>();
  const first = t.hops[0]?.packet.src;
  if (first) out.set(first.slice(0, first.lastIndexOf(':')), 'the sender’s own address');
  const sent = t.hops[0]?.packet.dst;
  const svc = sent ? s.services.find((v) => v.clusterIP === sent.slice(0, sent.lastIndexOf(':'))) : undefined;
  if (svc?.clusterIP) out.set(svc.clusterIP, `ClusterIP of ${svc.name}`);
  const dp = dataplaneOf(s);
  for (const n of s.nodes) {
    for (const d of dp.netns(n.name)?.devices ?? []) {
      if (d.kind === 'loopback') continue;
      for (const a of d.addresses) if (!out.has(a.ip)) out.set(a.ip, `${n.name} ${d.name}`);
    }
  }
  for (const a of dp.netns('external')?.devices.flatMap((d) => d.addresses) ?? []) if (!out.has(a.ip) && !a.ip.startsWith('127.')) out.set(a.ip, 'the external client');
  // Other pods' addresses too, in a cluster small enough for a list.
  if (s.pods.length <= 60) for (const p of s.pods) if (p.podIP && !out.has(p.podIP)) out.set(p.podIP, `pod ${p.name}`);
  return [...out].map(([ip, label]) => ({ ip, label }));
}

const NOTHING = 'none';

/** One of a list, or "none of them" (no pod answers, nothing receives it). */
function Choice({ label, value, onChange, options, none }: { label: string; value: string; onChange: (v: string) => void; options: { value: string; text: string }[]; none: string }) {
  return (
    <label className={styles.field}>
      <span>{label}</span>
      <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">choose…</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.text}
          </option>
        ))}
        <option value={NOTHING}>{none}</option>
      </select>
    </label>
  );
}

/** The prediction form, shown instead of the walk until a prediction is locked in. */
export function PredictForm({ trace }: { trace: Trace }) {
  const mode = usePlayground((s) => s.predict);
  const scenario = usePlayground((s) => s.scenario);
  const parts = mode?.parts ?? ALL_PARTS;
  const [answer, setAnswer] = useState('');
  const [verdict, setVerdict] = useState<Verdict | ''>('');
  const [source, setSource] = useState('');
  const [missing, setMissing] = useState<PredictPart[]>([]);
  const devices = usePredictDraft((d) => d.devices);
  const picking = usePredictDraft((d) => d.picking);
  const places = useMemo(() => (parts.includes('devices') ? pickablePlaces(scenario) : []), [parts, scenario]);
  const sources = useMemo(() => (parts.includes('source') ? sourceChoices(scenario, trace) : []), [parts, scenario, trace]);
  // A new question (another packet, another step) starts with nothing chosen.
  useEffect(() => {
    setAnswer('');
    setVerdict('');
    setSource('');
    setMissing([]);
    predictDraft.setState({ devices: [], picking: false });
    return () => predictDraft.setState({ devices: [], picking: false });
  }, [trace]);

  const lock = (e: FormEvent) => {
    e.preventDefault();
    const unanswered = parts.filter((p) => (p === 'answer' ? !answer : p === 'verdict' ? !verdict : p === 'source' ? !source : devices.length === 0));
    setMissing(unanswered);
    if (unanswered.length) return;
    actions().lockGuess({
      ...(parts.includes('answer') ? { answer: answer === NOTHING ? null : answer } : {}),
      ...(parts.includes('verdict') && verdict ? { verdict } : {}),
      ...(parts.includes('source') ? { source: source === NOTHING ? null : source } : {}),
      ...(parts.includes('devices') ? { devices: [...devices] } : {}),
    });
    predictDraft.setState({ picking: false });
    requestAnimationFrame(() => document.querySelector<HTMLButtonElement>('.controls .play')?.focus());
  };
  return (
    <form className={styles.form} aria-label="Prediction" onSubmit={lock}>
      <h3 className={styles.ask}>{mode?.ask ?? 'Before the packet moves: what will happen?'}</h3>
      {parts.includes('answer') && (
        <Choice label="Which pod answers?" value={answer} onChange={setAnswer} none="no pod answers" options={scenario.pods.map((p) => ({ value: objectKey(p), text: p.name }))} />
      )}
      {parts.includes('verdict') && (
        <fieldset className={styles.verdicts}>
          <legend>Delivered, refused, dropped, or out of the cluster?</legend>
          {VERDICTS.map((v) => (
            <label key={v}>
              <input type="radio" name="verdict" value={v} checked={verdict === v} onChange={() => setVerdict(v)} /> {VERDICT_WORDS[v]}
            </label>
          ))}
        </fieldset>
      )}
      {parts.includes('source') && (
        <Choice label="Which source address does the receiver see?" value={source} onChange={setSource} none="nothing receives it" options={sources.map((a) => ({ value: a.ip, text: `${a.ip} (${a.label})` }))} />
      )}
      {parts.includes('devices') && (
        <fieldset className={styles.devices}>
          <legend>Which places does the packet cross?</legend>
          <button type="button" aria-pressed={picking} onClick={() => predictDraft.setState({ picking: !picking })}>
            {picking ? 'Stop picking on the canvas' : 'Pick them on the canvas'}
          </button>
          <div className={styles.places}>
            {places.map((p: Place) => (
              <label key={p}>
                <input type="checkbox" checked={devices.includes(p)} onChange={() => togglePlace(p)} /> {placeText(p)}
              </label>
            ))}
          </div>
        </fieldset>
      )}
      {missing.length > 0 && (
        <p className={styles.missing} role="alert">
          Answer every part first: {missing.map((m) => PART_NAME[m].toLowerCase()).join(', ')}.
        </p>
      )}
      <button type="submit" className={styles.lock}>
        Lock in prediction
      </button>
    </form>
  );
}

/** The score, once the walk has reached the end of the request. */
export function PredictScore({ trace }: { trace: Trace }) {
  const guess = usePlayground((s) => s.guess);
  const mode = usePlayground((s) => s.predict);
  const scenario = usePlayground((s) => s.scenario);
  const score = useMemo(() => {
    if (!guess || !mode) return [];
    const pods = new Set(scenario.pods.map(objectKey));
    return scorePrediction(trace, guess, mode.parts, (netns) => pods.has(netns));
  }, [guess, mode, scenario, trace]);
  const box = useRef<HTMLElement>(null);
  // The reveal is what the room waits for: bring it into view in the side panel.
  useEffect(() => {
    box.current?.scrollIntoView?.({ block: 'start' });
  }, [score]);
  // In a lesson, the revealed score also counts towards the summary at its end.
  useEffect(() => {
    const open = lessons.getState().open;
    if (open && score.length) lessons.getState().scored(open.step, score);
  }, [score]);
  if (!score.length) return null;
  const right = score.filter((s) => s.right).length;
  return (
    <section ref={box} className={styles.score} aria-label="Prediction score" role="status">
      <h3>
        Your prediction: {right} of {score.length} right
      </h3>
      <ul>
        {score.map((s) => (
          <li key={s.part} className={s.right ? styles.right : styles.wrong}>
            <span className={styles.mark} aria-hidden="true">
              {s.right ? '✓' : '✗'}
            </span>
            <div>
              <strong>{PART_NAME[s.part]}</strong>: {s.right ? <>right — {s.truth}</> : <>you said {s.said}; the trace shows {s.truth}</>}
              {!s.right && <p className={styles.why}>{s.why}</p>}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
