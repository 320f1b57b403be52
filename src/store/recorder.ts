// "Record lesson": while recording, each thing the teacher does in the playground
// becomes a lesson step: a change to the cluster (as the lesson edits that make it,
// src/sim/lesson/record.ts) or a packet sent, with its question when Predict is on.
// Choosing a packet's ends one after the other (From, then To) is one step: a packet
// replaces the step before it while that step is a packet nobody has played yet.
// Thin glue: the lesson file itself is written by src/sim/lesson/write.ts.
import { createStore } from 'zustand/vanilla';
import type { Scenario } from '../sim/model.ts';
import type { LessonQuestion, LessonRef, LessonStepSource } from '../sim/lesson/types.ts';
import { changesBetween, type Unrecorded } from '../sim/lesson/record.ts';
import type { LessonDraft } from '../sim/lesson/write.ts';
import type { TraceRequest } from '../sim/trace/types.ts';
import type { PlaygroundState, PlaygroundStore } from './store.ts';

/** The narration a recorded step starts with (write.ts' PLACEHOLDER_SAY; not imported, to keep the YAML writer out of the first view). */
const SAY = 'Say what happens here.';
const DEFAULT_ASK = 'Before the packet moves: what will happen?';

export interface Recording {
  /** The cluster when recording started: the lesson opens it. */
  start: Scenario;
  steps: LessonStepSource[];
  /** The last step is a packet nobody has played yet: a new packet replaces it. */
  lastUnplayed: boolean;
  /** What the teacher did that no lesson step can do yet (left out, and said). */
  skipped: Unrecorded[];
}

export interface RecorderSession {
  recording: Recording | null;
  /** Start recording from the cluster on screen (not during a lesson). */
  start(): boolean;
  /** Stop: the lesson so far, or null when nothing was recorded. */
  stop(): LessonDraft | null;
}

/** The ends of a packet that a lesson can point at, to ring them on the canvas. */
function endsOf(r: TraceRequest): LessonRef[] {
  const out: LessonRef[] = [];
  const f = r.from;
  if (f.kind === 'external') out.push({ kind: 'external' });
  else if (f.kind === 'node') out.push({ kind: 'node', name: f.name });
  else out.push({ kind: f.kind, namespace: f.namespace, name: f.name });
  const t = r.to;
  if (t.kind === 'node') out.push({ kind: 'node', name: t.name });
  else if (t.kind === 'pod' || t.kind === 'service') out.push({ kind: t.kind, namespace: t.namespace, name: t.name });
  return out;
}

function packetStep(st: PlaygroundState): LessonStepSource | null {
  if (!st.request) return null;
  const question: LessonQuestion | undefined = st.predict ? { ask: st.predict.ask ?? DEFAULT_ASK, parts: [...st.predict.parts] } : undefined;
  return {
    say: SAY,
    highlight: endsOf(st.request),
    edits: [],
    packet: { request: st.request, endpoint: st.endpoint, reply: st.showReply },
    ...(question ? { question } : {}),
  };
}

/** A recorder that records nothing yet: the page's own until Record lesson is first pressed (see attachRecorder). */
export function idleRecorder() {
  return createStore<RecorderSession>()(() => ({ recording: null, start: () => false, stop: () => null }));
}

export function createRecorder(playground: PlaygroundStore) {
  const recorder = idleRecorder();
  attachRecorder(recorder, playground);
  return recorder;
}

/**
 * Makes `recorder` record what is done in `playground`. The page loads this module
 * (and the lesson edits it records with) when Record lesson is first pressed.
 */
export function attachRecorder(recorder: RecorderStore, playground: PlaygroundStore): void {
  recorder.setState({
    start() {
      const pg = playground.getState();
      if (recorder.getState().recording || pg.inLesson) return false;
      recorder.setState({ recording: { start: pg.scenario, steps: [], lastUnplayed: false, skipped: [] } });
      return true;
    },
    stop() {
      const r = recorder.getState().recording;
      recorder.setState({ recording: null });
      if (!r || r.steps.length === 0) return null;
      return { name: 'recorded-lesson', title: 'A recorded lesson', scenario: r.start, steps: r.steps };
    },
  });

  playground.subscribe((st, prev) => {
    const r = recorder.getState().recording;
    // A lesson's own steps are not the teacher's doing.
    if (!r || st.inLesson || prev.inLesson) return;
    let { steps, lastUnplayed, skipped } = r;
    if (st.scenario !== prev.scenario) {
      const c = changesBetween(prev.scenario, st.scenario);
      if (c.cni || c.edits.length) {
        steps = [...steps, { say: SAY, highlight: [], edits: c.edits, ...(c.cni ? { cni: c.cni } : {}) }];
        lastUnplayed = false;
      }
      if (c.unrecorded.length) {
        skipped = [...skipped, ...c.unrecorded];
        playground.getState().notify({ kind: 'hint', text: `Recording: ${c.unrecorded.map((u) => u.what).join(', ')} is not something a lesson step can do yet, so it is left out of the lesson.` });
      }
    }
    const packetChanged = st.request !== prev.request || st.endpoint !== prev.endpoint || st.showReply !== prev.showReply || st.predict !== prev.predict;
    const step = packetChanged ? packetStep(st) : null;
    if (step) {
      steps = lastUnplayed ? [...steps.slice(0, -1), step] : [...steps, step];
      lastUnplayed = true;
    }
    // Played (stepped or playing): the packet is kept as its own step.
    if (lastUnplayed && !packetChanged && (st.step > 0 || st.playing || st.guess !== null)) lastUnplayed = false;
    if (steps !== r.steps || lastUnplayed !== r.lastUnplayed || skipped !== r.skipped) recorder.setState({ recording: { ...r, steps, lastUnplayed, skipped } });
  });
}

export type RecorderStore = ReturnType<typeof idleRecorder>;
