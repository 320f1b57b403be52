// A lesson being played: which lesson, which step, and the person's own playground to
// come back to. Each step opens the cluster the lesson checked for it (src/sim/lesson)
// through the store's one way in for a cluster from outside an edit (adoptScenario:
// the scenario parser and IPAM), with the step's packet; its undo history starts
// afresh, so "Reset this step" and undo never reach into another step. Leaving puts
// back the person's cluster, packet, positions, prediction setting and undo history;
// while a lesson is open nothing is saved over them (see persist.ts).
import { createStore } from 'zustand/vanilla';
import type { Lesson, LessonStep } from '../sim/lesson/types.ts';
import type { PartScore } from '../sim/lesson/predict.ts';
import type { SavedPlayground } from '../sim/scenario/restore.ts';
import type { Doc, PlaygroundState, PlaygroundStore, PredictMode } from './store.ts';

/** What the person had before the lesson, to put back when they leave. */
interface FreePlay {
  save: SavedPlayground;
  state: Pick<PlaygroundState, 'endpoint' | 'predict' | 'guess'>;
  past: Doc[];
  future: Doc[];
}

/** Where an open lesson came from, so that a reload can open it again (lessonPlace.ts). */
export type LessonOrigin = { kind: 'builtin'; file: string } | { kind: 'file'; name: string; text: string };

export interface LessonSession {
  /** The lesson on screen and its step (0-based), or null: free play. */
  open: { lesson: Lesson; step: number } | null;
  /** Where the open lesson came from (null: not said, e.g. a test's own lesson). */
  origin: LessonOrigin | null;
  back: FreePlay | null;
  /** The score of the prediction revealed at each step (0-based), the latest one; summed up at the lesson's end. */
  scores: Record<number, PartScore[]>;
  /** A prediction at this step was revealed and scored. */
  scored(step: number, score: PartScore[]): void;
  /** Open a lesson at its first step (or at `step`). Resolves false when the step's cluster could not be opened (the store says why). */
  start(lesson: Lesson, step?: number, origin?: LessonOrigin): Promise<boolean>;
  go(step: number): Promise<boolean>;
  next(): Promise<boolean>;
  previous(): Promise<boolean>;
  /** Open the current step again as the lesson has it, whatever was changed since. */
  reset(): Promise<boolean>;
  /** Back to free play with the person's own playground. */
  leave(): void;
}

/** The prediction a step's question asks for. */
export function predictModeOf(step: LessonStep): PredictMode | null {
  return step.question ? { ask: step.question.ask, parts: [...step.question.parts] } : null;
}

export function createLessons(playground: PlaygroundStore) {
  // The last step asked for: a slower, earlier request must not land after it.
  let latest = 0;
  return createStore<LessonSession>()((set, get) => ({
    open: null,
    origin: null,
    back: null,
    scores: {},

    scored(step, score) {
      if (!get().open) return;
      set({ scores: { ...get().scores, [step]: score } });
    },

    async start(lesson, step = 0, origin) {
      if (!get().back) {
        const pg = playground.getState();
        const t = playground.temporal.getState();
        set({
          back: {
            save: { scenario: pg.scenario, positions: pg.positions, request: pg.request, showReply: pg.showReply, speed: pg.speed },
            state: { endpoint: pg.endpoint, predict: pg.predict, guess: pg.guess },
            past: [...(t.pastStates as Doc[])],
            future: [...(t.futureStates as Doc[])],
          },
        });
        // From here on the cluster on screen is the lesson's: not saved over the person's.
        playground.setState({ inLesson: true });
      }
      // Another lesson starts with no predictions scored.
      if (get().open?.lesson !== lesson) set({ scores: {}, origin: origin ?? null });
      set({ open: { lesson, step } });
      return get().go(step);
    },

    async go(i) {
      const open = get().open;
      if (!open) return false;
      const step = open.lesson.steps[Math.max(0, Math.min(i, open.lesson.steps.length - 1))];
      const index = open.lesson.steps.indexOf(step);
      const ticket = ++latest;
      const ok = await playground.getState().adoptScenario(step.scenario);
      if (ticket !== latest || get().open?.lesson !== open.lesson) return false;
      if (!ok) return false;
      const p = step.packet;
      playground.setState({
        request: p ? p.request : null,
        endpoint: p ? p.endpoint : 0,
        showReply: p ? p.reply : false,
        predict: predictModeOf(step),
        guess: null,
        step: 0,
        playing: false,
      });
      // Each step starts its own undo history: undo never reaches into another step.
      playground.temporal.getState().clear();
      set({ open: { lesson: open.lesson, step: index } });
      return true;
    },

    next() {
      const o = get().open;
      return o && o.step < o.lesson.steps.length - 1 ? get().go(o.step + 1) : Promise.resolve(false);
    },
    previous() {
      const o = get().open;
      return o && o.step > 0 ? get().go(o.step - 1) : Promise.resolve(false);
    },
    reset() {
      const o = get().open;
      return o ? get().go(o.step) : Promise.resolve(false);
    },

    leave() {
      const back = get().back;
      latest++;
      set({ open: null, origin: null, back: null, scores: {} });
      if (!back) return;
      const pg = playground.getState();
      // The person's own cluster was read when it came in: it goes back as it was.
      pg.adopt(back.save);
      playground.setState({ ...back.state, inLesson: false });
      playground.temporal.setState({ pastStates: back.past, futureStates: back.future });
    },
  }));
}

export type LessonsStore = ReturnType<typeof createLessons>;
