// A reload during a lesson opens the same lesson at the same step. The browser keeps
// where the lesson came from (a built-in lesson's file name, or the text of a lesson
// file the person opened) and the step, under its own key: the person's own cluster
// stays under `podpath`, never saved over while a lesson is open (persist.ts), and is
// what Leave gives back after a reload too. The lesson itself is read again by the
// lesson reader and checked against the engine, as when it was first opened.
import type { StateStorage } from 'zustand/middleware';
import type { Lesson } from '../sim/lesson/types.ts';
import type { LessonOrigin, LessonsStore } from './lessons.ts';
import type { PlaygroundStore } from './store.ts';

export const LESSON_PLACE_KEY = 'podpath-lesson';
const VERSION = 1;

export interface LessonPlace {
  origin: LessonOrigin;
  /** 0-based. */
  step: number;
}

/** What was kept, or null when nothing (or nothing this version can read) was. */
export function readLessonPlace(raw: string | null): LessonPlace | null {
  if (raw === null) return null;
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return null;
  }
  const o = v as { version?: unknown; step?: unknown; origin?: { kind?: unknown; file?: unknown; name?: unknown; text?: unknown } } | null;
  if (!o || o.version !== VERSION || typeof o.step !== 'number' || !Number.isInteger(o.step) || o.step < 0 || !o.origin) return null;
  const g = o.origin;
  if (g.kind === 'builtin' && typeof g.file === 'string') return { origin: { kind: 'builtin', file: g.file }, step: o.step };
  if (g.kind === 'file' && typeof g.name === 'string' && typeof g.text === 'string') return { origin: { kind: 'file', name: g.name, text: g.text }, step: o.step };
  return null;
}

export function lessonPlaceText(p: LessonPlace): string {
  return JSON.stringify({ version: VERSION, ...p });
}

/** Keep the open lesson's place in the browser, and forget it when the person leaves the lesson. */
export function keepLessonPlace(lessons: LessonsStore, storage: StateStorage): void {
  const write = () => {
    const { open, origin } = lessons.getState();
    try {
      if (open && origin) void Promise.resolve(storage.setItem(LESSON_PLACE_KEY, lessonPlaceText({ origin, step: open.step }))).catch(() => {});
      else void Promise.resolve(storage.removeItem(LESSON_PLACE_KEY)).catch(() => {});
    } catch {
      // Storage switched off: a reload returns to free play, as before; nothing else is lost.
    }
  };
  lessons.subscribe((st, prev) => {
    if (st.open?.step !== prev.open?.step || st.open?.lesson !== prev.open?.lesson || st.origin !== prev.origin) write();
  });
}

/**
 * Open the lesson the person was in before the reload, at the same step. `load` reads
 * and checks the lesson from where it came; it says why when it cannot (the file
 * changed, the list of lessons did not load), and the person is told and stays in free
 * play with their own cluster.
 */
export async function resumeLesson(lessons: LessonsStore, playground: PlaygroundStore, storage: StateStorage, load: (origin: LessonOrigin) => Promise<Lesson | string>): Promise<boolean> {
  let place: LessonPlace | null;
  try {
    place = readLessonPlace(await storage.getItem(LESSON_PLACE_KEY));
  } catch {
    return false;
  }
  if (!place) return false;
  const lesson = await load(place.origin);
  const name = place.origin.kind === 'builtin' ? place.origin.file : place.origin.name;
  if (typeof lesson === 'string') {
    await Promise.resolve(storage.removeItem(LESSON_PLACE_KEY));
    playground.getState().notify({ kind: 'error', text: `The lesson you were in (${name}) could not be opened again, so your own cluster is open: ${lesson}` });
    return false;
  }
  return lessons.getState().start(lesson, Math.min(place.step, lesson.steps.length - 1), place.origin);
}
