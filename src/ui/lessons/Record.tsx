// "Record lesson": the teacher does the steps once in the playground, and podpath
// writes the lesson file. While recording, the toolbar shows "● Recording — N steps"
// and Stop; Stop downloads the lesson (the starting cluster embedded, each step
// saying "Say what happens here." for the teacher to write), after reading it back as
// any lesson file is read. Should it not read back, it is still downloaded, with the
// problems said: the teacher's work is never lost.
import { useEffect, useRef } from 'react';
import { actions, loadRecorder, recorder, usePlayground, useRecorder } from '../playground.ts';
import { download } from '../io.ts';
import styles from './Record.module.css';

export const LESSON_FILE = 'podpath-lesson.yaml';

async function stopAndWrite() {
  const draft = recorder.getState().stop();
  if (!draft) {
    actions().notify({ kind: 'hint', near: 'file', text: 'Nothing was recorded: send a packet, switch the CNI or change the cluster while recording, and each becomes a step.' });
    return;
  }
  // The YAML writer and the lesson checker load only now (not in the first view).
  const m = await import('../../sim/lesson/index.ts');
  const file = m.recordedLessonFile(draft, LESSON_FILE);
  download(LESSON_FILE, file.text);
  const n = draft.steps.length;
  const steps = `${n} step${n === 1 ? '' : 's'}`;
  if (file.ok) {
    actions().notify({
      kind: 'hint',
      near: 'file',
      text: `Saved ${LESSON_FILE}: ${steps}, each saying "${m.PLACEHOLDER_SAY}" for you to write, and holding each packet to what it showed. Open it with Lessons → Open a lesson file…, or check it with:`,
      commands: [`npx podpath lesson ${LESSON_FILE}`],
    });
  } else {
    actions().notify({
      kind: 'error',
      near: 'file',
      text: `Saved ${LESSON_FILE} (${steps}), but it does not play back as recorded yet; mend these in the file:\n${file.issues.map(m.formatLessonIssue).join('\n')}`,
    });
  }
}

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
      // The recorder loads on the first press (it is not in the first view).
      onClick={() => void loadRecorder().then(() => recorder.getState().start())}
    >
      <span className={styles.dot} aria-hidden="true" />
      Record lesson
    </button>
  );
}

/** While recording: a band under the toolbar, "● Recording — N steps", and Stop. */
export function RecordingBar() {
  const recording = useRecorder((r) => r.recording);
  const stop = useRef<HTMLButtonElement>(null);
  const on = recording !== null;
  // Recording started: the keyboard goes to Stop.
  useEffect(() => {
    if (on) stop.current?.focus();
  }, [on]);
  if (!recording) return null;
  const n = recording.steps.length;
  return (
    <section className={styles.bar} aria-label="Recording a lesson">
      <span className={styles.indicator} role="status">
        <span className={styles.dot} aria-hidden="true" />
        Recording — {n} step{n === 1 ? '' : 's'}
      </span>
      <span className={styles.help}>Send packets, switch the CNI, add, move or delete pods: each becomes a step of the lesson.</span>
      <button ref={stop} type="button" className={styles.stop} title="Stop recording and download the lesson file" onClick={() => void stopAndWrite()}>
        Stop
      </button>
    </section>
  );
}
