// Opening a share link, and what a link of the playground on screen holds. The
// link's text is read by the one restore function (shareLink.ts → restore.ts); the
// cluster opens with `fromLink` set, so it is not saved over the person's own until
// they edit it (persist.ts). A link that cannot be read opens the demo, also not
// saved over theirs, with the reason in words.
import type { Lesson } from '../sim/lesson/types.ts';
import type { SharedPlayground } from '../sim/scenario/restore.ts';
import { describeShareLinkProblem } from '../sim/scenario/restoreProblem.ts';
import { initialDoc, type PlaygroundState, type PlaygroundStore } from './store.ts';
import type { LessonSession, LessonsStore } from './lessons.ts';
import { readShareFragment } from './shareLink.ts';

/** What a link made now holds: the cluster, the packet and its endpoint, the hop on screen, the lesson step. */
export function sharedOf(st: PlaygroundState, open: LessonSession['open']): SharedPlayground {
  return {
    scenario: st.scenario,
    positions: st.positions,
    request: st.request,
    showReply: st.showReply,
    speed: st.speed,
    endpoint: st.endpoint,
    step: st.step,
    lesson: open ? { name: open.lesson.name, step: open.step } : null,
  };
}

let opened = 0;

export type LinkOutcome = 'opened' | 'refused';

/**
 * Open a link's packed text (what follows `#s=`). `findLesson` looks a lesson up by
 * name among those this podpath has. Never throws: a bad link is a notice.
 */
export async function openShareLink(pg: PlaygroundStore, lessons: LessonsStore, packed: string, findLesson: (name: string) => Promise<Lesson | undefined>): Promise<LinkOutcome> {
  const r = await readShareFragment(packed);
  // A lesson on screen hands back the person's own playground first: the link opens over theirs, not over the lesson's.
  if (lessons.getState().open) lessons.getState().leave();
  const fromLink = { opened: ++opened };
  if (!r.ok) {
    pg.getState().adopt({ ...initialDoc(), request: null, showReply: false, speed: pg.getState().speed }, { kind: 'error', text: `${describeShareLinkProblem(r.problem)} The demo cluster is open instead; your own saved playground is untouched.` }, { fromLink, predict: null, guess: null });
    pg.temporal.getState().clear();
    return 'refused';
  }
  const shared = r.value;
  const said = r.changes.length ? ` Opened with changes: ${r.changes.join('; ')}.` : '';
  let lessonNote = '';
  if (shared.lesson) {
    const lesson = await findLesson(shared.lesson.name);
    if (lesson && shared.lesson.step < lesson.steps.length) {
      // The lesson's step (its text, its question), then the cluster and walk exactly as the link has them.
      await lessons.getState().start(lesson, shared.lesson.step);
    } else {
      lessonNote = ` It was made in lesson "${shared.lesson.name}" (step ${shared.lesson.step + 1}), which this podpath does not have: the cluster opens without the lesson.`;
    }
  }
  const inLesson = lessons.getState().open !== null;
  const notice = { kind: 'hint' as const, text: `Opened a shared playground.${inLesson ? '' : ' Your own saved playground is kept as it was: open podpath without the link to go back to it. If you edit this one, it is saved in place of yours, and yours is set aside in this browser, one click away.'}${lessonNote}${said}` };
  // In a lesson, the lesson keeps it from being saved; out of one, `fromLink` does.
  pg.getState().adopt(shared, notice, { endpoint: shared.endpoint, step: shared.step, ...(inLesson ? { fromLink: null } : { fromLink, predict: null, guess: null }) });
  pg.temporal.getState().clear();
  return 'opened';
}
