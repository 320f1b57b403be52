// Lessons: a scenario and the steps a teacher walks a class through, as data.
import { checkLesson, type CheckedLesson } from './check.ts';
import { readLesson } from './read.ts';

export { readLesson, parseRef, refText } from './read.ts';
export { checkLesson, applyEdit, formatLessonIssue, type CheckedLesson } from './check.ts';
export { walkFacts, crosses, hopAt, hostOf, type WalkFacts } from './facts.ts';
export { scaleDeployment, deletePod } from './workload.ts';
export type * from './types.ts';

/**
 * Read and check a lesson file in one call. `scenarioFile` gives the text of a file in
 * public/scenarios/ by name (undefined when there is none).
 */
export function loadLesson(text: string, source: string, scenarioFile: (name: string) => string | undefined): CheckedLesson {
  const read = readLesson(text, source);
  if (!read.ok) return read;
  const sc = read.value.scenario;
  return checkLesson(read.value, sc.kind === 'file' ? scenarioFile(sc.file) : undefined);
}
export { scorePrediction, placesCrossed, placeText, type Prediction, type PartScore, type Place } from './predict.ts';
export { writeLesson, recordedLessonFile, expectRecorded, sourceText, destinationText, PLACEHOLDER_SAY, type LessonDraft, type RecordedLessonFile } from './write.ts';
export { changesBetween, type RecordedChange, type Unrecorded } from './record.ts';
export { summarize, type LessonSummary, type PartTally, type Missed } from './summary.ts';
