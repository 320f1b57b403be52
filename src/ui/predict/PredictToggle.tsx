// The Predict toggle of free play, in the first view; the prediction form and its
// score (./Predict.tsx) load when a packet waits for a prediction.
import type { PredictPart } from '../../sim/lesson/types.ts';
import { actions, usePlayground } from '../playground.ts';
import styles from './Predict.module.css';

export const ALL_PARTS: PredictPart[] = ['answer', 'verdict', 'source', 'devices'];
export const PART_NAME: Record<PredictPart, string> = { answer: 'Who answers', verdict: 'Verdict', source: 'Source address the receiver sees', devices: 'Places the packet crosses' };

/** The toggle in free play. */
export function PredictToggle() {
  const on = usePlayground((s) => s.predict !== null);
  return (
    <button
      type="button"
      className={styles.toggle}
      aria-pressed={on}
      title="Predict the walk before the packet moves, then see what you got right"
      onClick={() => actions().setPredict(on ? null : { parts: ALL_PARTS })}
    >
      Predict
    </button>
  );
}
