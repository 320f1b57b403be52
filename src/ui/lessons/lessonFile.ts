// The name a recorded lesson is downloaded as (the Record button and its bar both say it).
export const LESSON_FILE = 'podpath-lesson.yaml';
