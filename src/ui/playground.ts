// The one store the page uses, and narrow hooks onto it.
import { useStore } from 'zustand';
import { createPlayground, type PlaygroundState } from '../store/store.ts';
import { createLessons, type LessonSession } from '../store/lessons.ts';
import { createRecorder, type RecorderSession } from '../store/recorder.ts';
import type { TemporalState } from 'zundo';
import type { Doc } from '../store/store.ts';

export const playground = createPlayground();
/** The lesson being played (if any), on top of the playground. */
export const lessons = createLessons(playground);

export function usePlayground<T>(selector: (s: PlaygroundState) => T): T {
  return useStore(playground, selector);
}

export function useHistory<T>(selector: (s: TemporalState<Doc>) => T): T {
  return useStore(playground.temporal, selector);
}

export function useLessons<T>(selector: (s: LessonSession) => T): T {
  return useStore(lessons, selector);
}

export const actions = () => playground.getState();

/** "Record lesson": what the teacher does in the playground, as lesson steps. */
export const recorder = createRecorder(playground);

export function useRecorder<T>(selector: (s: RecorderSession) => T): T {
  return useStore(recorder, selector);
}
