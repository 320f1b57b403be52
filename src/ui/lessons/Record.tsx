// "Record lesson": the teacher does the steps once in the playground, and podpath
// writes the lesson file. While recording, the toolbar shows "● Recording — N steps"
// and Stop; Stop downloads the lesson (the starting cluster embedded, each step
// saying "Say what happens here." for the teacher to write), after reading it back as
// any lesson file is read. Should it not read back, it is still downloaded, with the
// problems said: the teacher's work is never lost.
import { Suspense, useEffect, useRef } from 'react';
import { loadRecorder, recorder, usePlayground, useRecorder } from '../playground.ts';
import { onDemand } from '../later.ts';
import styles from './Record.module.css';

export { LESSON_FILE } from './lessonFile.ts';
const { Part: RecordingBarPart, preload: preloadRecordingBar } = onDemand(() => import('./RecordingBar.tsx'));
export { preloadRecordingBar };

/** The toolbar's Record lesson control (while recording, the bar below the toolbar has Stop). */
export default function RecordLesson() {
  const recording = useRecorder((r) => r.recording !== null);
  const inLesson = usePlayground((s) => s.inLesson);
  const button = useRef<HTMLButtonElement>(null);
  const was = useRef(recording);
  // Recording stopped: the keyboard comes back here.
  useEffect(() => {
    if (was.current && !recording) button.current?.focus();
    was.current = recording;
  }, [recording]);
  // A recording lives in this page only: the browser asks before a reload or close throws it away.
  useEffect(() => {
    if (!recording) return;
    const ask = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', ask);
    return () => window.removeEventListener('beforeunload', ask);
  }, [recording]);
  return (
    <button
      ref={button}
      type="button"
      className={styles.record}
      disabled={inLesson || recording}
      title={
        recording
          ? 'Recording: Stop is in the bar below'
          : inLesson
            ? 'Leave the lesson to record one of your own'
            : 'Do the steps once: each packet, CNI switch and change becomes a step of a lesson file'
      }
      // The recorder and its bar load on the first press (they are not in the first view).
      onClick={() => void Promise.all([loadRecorder(), preloadRecordingBar()]).then(() => recorder.getState().start())}
    >
      <span className={styles.dot} aria-hidden="true" />
      Record lesson
    </button>
  );
}

/** While recording: a band under the toolbar, "● Recording — N steps", and Stop (RecordingBar.tsx). */
export function RecordingBar() {
  const recording = useRecorder((r) => r.recording !== null);
  return recording ? (
    <Suspense fallback={null}>
      <RecordingBarPart />
    </Suspense>
  ) : null;
}
