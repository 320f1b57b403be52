// The one store the page uses, and narrow hooks onto it.
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import { createPlayground, type PlaygroundState } from '../store/store.ts';
import { createLessons, type LessonSession } from '../store/lessons.ts';
import type { RecorderSession } from '../store/recorder.ts';
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

/**
 * "Record lesson": what the teacher does in the playground, as lesson steps. It records
 * nothing until Record lesson is first pressed, which loads the recorder (loadRecorder):
 * the first view does without it.
 */
export const recorder = createStore<RecorderSession>()(() => ({ recording: null, start: () => false, stop: () => null }));
let recorderLoading: Promise<void> | null = null;
export function loadRecorder(): Promise<void> {
  return (recorderLoading ??= import('../store/recorder.ts').then((m) => m.attachRecorder(recorder, playground)));
}

export function useRecorder<T>(selector: (s: RecorderSession) => T): T {
  return useStore(recorder, selector);
}
