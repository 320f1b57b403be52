// For component tests: the page's one store, put back to how a visit starts (the
// demo cluster, nothing selected, no packet, no history) before each test.
import { cleanup } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach } from 'vitest';
import { initialDoc } from '../../store/store.ts';
import { lessons, playground, recorder } from '../playground.ts';
import { predictDraft } from '../predict/places.ts';

// React runs updates inside act() synchronously only where it is told this is a test
// (Testing Library tells it through Vitest's globals, which podpath does not turn on).
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

export function resetPlayground() {
  playground.setState({ ...initialDoc(), selection: null, selectionSerial: 0, notice: null, request: null, showReply: false, step: 0, playing: false, speed: 1.5, picking: null, unreadable: [], endpoint: 0, predict: null, guess: null, inLesson: false, linking: null });
  playground.temporal.getState().clear();
  lessons.setState({ open: null, back: null, origin: null, scores: {} });
  recorder.setState({ recording: null });
  predictDraft.setState({ devices: [], picking: false });
}

/** Each test starts on a fresh demo and leaves no rendered tree behind. */
export function freshPlaygroundEachTest() {
  // The parts the page loads on demand have loaded, as they have by the time a person uses them.
  beforeAll(preloadOnDemandParts);
  beforeEach(resetPlayground);
  afterEach(cleanup);
}

export const st = () => playground.getState();

/** Loads the parts of the page that are not in the first view's JavaScript (../later.ts' onDemand). */
export async function preloadOnDemandParts() {
  const [walkthrough, search, lessonsButton, record] = await Promise.all([import('../panels/Walkthrough.tsx'), import('../search/onDemand.ts'), import('../lessons/Lessons.tsx'), import('../lessons/Record.tsx')]);
  await Promise.all([walkthrough.preloadWalkSteps(), search.preloadSearch(), lessonsButton.preloadLessonList(), record.preloadRecordingBar()]);
}
