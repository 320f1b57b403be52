// The band under the toolbar while a lesson is recorded (Record.tsx), and Stop, which
// writes the lesson file: loaded with the recorder, on the first press of Record lesson.
import { useEffect, useRef } from 'react';
import { actions, recorder, useRecorder } from '../playground.ts';
import { download } from '../io.ts';
import { LESSON_FILE } from './lessonFile.ts';
import styles from './Record.module.css';

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

/** While recording: a band under the toolbar, "● Recording — N steps", and Stop. */
export default function RecordingBar() {
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
