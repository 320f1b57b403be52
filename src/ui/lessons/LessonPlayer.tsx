// The lesson player: step N of M, the narration, what the step changed, and
// Previous / Next / Reset this step / Leave. PageDown and PageUp (what a presenter's
// clicker sends) move between steps; the arrow keys still step the packet.
import { lazy, Suspense, useEffect } from 'react';
import { lessons, useLessons, usePlayground } from '../playground.ts';
import { typing } from '../Keys.tsx';
import { usePresenting } from '../presenter/presenter.ts';
import styles from './LessonPlayer.module.css';

// The score summary loads at a lesson's last step.
const LessonSummary = lazy(() => import('./LessonSummary.tsx'));

function leave() {
  lessons.getState().leave();
  // The player is gone: the keyboard goes back to where lessons are chosen.
  requestAnimationFrame(() => document.querySelector<HTMLButtonElement>('[data-lessons-button]')?.focus());
}

export default function LessonPlayer() {
  const open = useLessons((l) => l.open);
  // Presenting, the Packet panel is under the canvas (presenter/PresenterPanel.tsx).
  const presenting = usePresenting();
  // Once the prediction is locked in, the instruction to make one has done its work.
  const guessed = usePlayground((s) => s.guess !== null);
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (typing(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === 'PageDown') {
        e.preventDefault();
        void lessons.getState().next();
      } else if (e.key === 'PageUp') {
        e.preventDefault();
        void lessons.getState().previous();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open]);
  if (!open) return null;
  const { lesson, step: at } = open;
  const step = lesson.steps[at];
  const count = lesson.steps.length;
  const last = at === count - 1;
  return (
    <section className={styles.player} aria-label="Lesson">
      <div className={styles.bar}>
        <span className={styles.kicker}>Lesson</span>
        <h2 className={styles.lesson}>{lesson.title}</h2>
        <div className={styles.progress} role="progressbar" aria-label="Lesson progress" aria-valuemin={1} aria-valuemax={count} aria-valuenow={at + 1} aria-valuetext={`Step ${at + 1} of ${count}`}>
          {lesson.steps.map((_, i) => (
            <span key={i} className={i < at ? styles.done : i === at ? styles.here : undefined} />
          ))}
        </div>
        <span className={styles.stepOf}>
          Step <strong>{at + 1}</strong> of {count}
        </span>
        <div className={styles.buttons} role="group" aria-label="Lesson steps">
          <button type="button" onClick={() => void lessons.getState().previous()} disabled={at === 0} title="Previous step (Page Up)">
            Previous
          </button>
          <button type="button" className={styles.next} data-lesson-next onClick={() => void lessons.getState().next()} disabled={last} title="Next step (Page Down)">
            Next
          </button>
          <button type="button" onClick={() => void lessons.getState().reset()} title="Open this step again as the lesson has it">
            Reset this step
          </button>
          <button type="button" onClick={leave} title="Back to free play with your own cluster">
            Leave
          </button>
        </div>
      </div>
      {/* Focusable: a long step scrolls, and the keyboard can scroll it. */}
      <div className={styles.body} role="group" aria-label="This step" tabIndex={0}>
        {step.title && <h3 className={styles.title}>{step.title}</h3>}
        <p className={styles.say} aria-live="polite">
          {step.say}
        </p>
        {(step.changes.length > 0 || step.refusal || step.warnings.length > 0) && (
          <ul className={styles.changes} aria-label="What this step changed">
            {step.changes.map((c) => (
              <li key={c}>{c}</li>
            ))}
            {step.warnings.map((w) => (
              <li key={w.message} className={styles.warning} data-warning={w.code}>
                {w.message}
              </li>
            ))}
            {step.refusal && <li className={styles.refused}>refused: {step.refusal}</li>}
          </ul>
        )}
        {step.question && !guessed && <p className={styles.question}>Predict in the panel {presenting ? 'under the canvas' : 'on the right'}, then play the walk.</p>}
        {last && <p className={styles.end}>Last step. Leave to go back to your own cluster.</p>}
        {last && (
          <Suspense fallback={null}>
            <LessonSummary lesson={lesson} />
          </Suspense>
        )}
      </div>
    </section>
  );
}
