// A lesson's predictions, summed up at its end: for each part asked (who answers, the
// verdict, the source seen, the places crossed) how many were right, and which steps
// missed what, in the words of each step's own score.
import type { PartScore } from './predict.ts';
import type { Lesson, PredictPart } from './types.ts';
import { PREDICT_PARTS } from './types.ts';

export interface PartTally {
  part: PredictPart;
  right: number;
  /** Predictions of this part that were scored. */
  scored: number;
}

export interface Missed {
  /** The step, counted from 1. */
  step: number;
  title?: string;
  score: PartScore;
}

export interface LessonSummary {
  tallies: PartTally[];
  missed: Missed[];
  /** Steps (from 1) that ask a question the person has not answered (or not played to its end). */
  unanswered: number[];
  right: number;
  scored: number;
}

/** Sum up the scores given per step (0-based step index → that step's score). */
export function summarize(lesson: Lesson, scores: Readonly<Record<number, readonly PartScore[]>>): LessonSummary {
  const tallies = new Map<PredictPart, PartTally>();
  const missed: Missed[] = [];
  const unanswered: number[] = [];
  lesson.steps.forEach((step, i) => {
    const score = scores[i];
    if (!score) {
      if (step.question) unanswered.push(i + 1);
      return;
    }
    for (const s of score) {
      const t = tallies.get(s.part) ?? { part: s.part, right: 0, scored: 0 };
      t.scored++;
      if (s.right) t.right++;
      else missed.push({ step: i + 1, ...(step.title ? { title: step.title } : {}), score: s });
      tallies.set(s.part, t);
    }
  });
  const list = PREDICT_PARTS.map((p) => tallies.get(p)).filter((t): t is PartTally => t !== undefined);
  return { tallies: list, missed, unanswered, right: list.reduce((n, t) => n + t.right, 0), scored: list.reduce((n, t) => n + t.scored, 0) };
}
