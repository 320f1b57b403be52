// At a lesson's last step: how many predictions were right, per part asked, and which
// steps missed what (each step's own score, kept as it was revealed). It follows the
// last step's own prediction too, as that is revealed.
import { useMemo } from 'react';
import { summarize } from '../../sim/lesson/summary.ts';
import type { Lesson } from '../../sim/lesson/types.ts';
import { useLessons } from '../playground.ts';
import { PART_NAME } from '../predict/PredictToggle.tsx';
import styles from './LessonSummary.module.css';

const stepList = (steps: number[]) => (steps.length === 1 ? `step ${steps[0]}` : `steps ${steps.slice(0, -1).join(', ')} and ${steps[steps.length - 1]}`);

export default function LessonSummary({ lesson }: { lesson: Lesson }) {
  const scores = useLessons((l) => l.scores);
  const sum = useMemo(() => summarize(lesson, scores), [lesson, scores]);
  if (!lesson.steps.some((s) => s.question) && sum.scored === 0) return null;
  return (
    <section className={styles.summary} aria-label="Prediction summary">
      <h3 className={styles.head}>
        {sum.scored ? `Your predictions in this lesson: ${sum.right} of ${sum.scored} right` : 'No prediction scored yet in this lesson'}
      </h3>
      {sum.tallies.length > 0 && (
        <ul className={styles.tallies} aria-label="Right per part">
          {sum.tallies.map((t) => (
            <li key={t.part} className={t.right === t.scored ? styles.allRight : undefined}>
              {PART_NAME[t.part]}: <strong>{t.right} of {t.scored}</strong>
            </li>
          ))}
        </ul>
      )}
      {sum.missed.length > 0 && (
        <ul className={styles.missed} aria-label="Missed predictions" tabIndex={0}>
          {sum.missed.map((m) => (
            <li key={`${m.step}-${m.score.part}`}>
              Step {m.step}
              {m.title ? ` (${m.title})` : ''} · {PART_NAME[m.score.part]}: you said {m.score.said}; the trace shows {m.score.truth}
            </li>
          ))}
        </ul>
      )}
      {sum.unanswered.length > 0 && (
        <p className={styles.unanswered}>
          Not answered yet: {stepList(sum.unanswered)} (predict, then play the walk to its end).
        </p>
      )}
    </section>
  );
}
