// A reload during a lesson, in the store without a DOM: the place kept, the same
// lesson and step opened again over the person's own (still saved) cluster, which
// Leave gives back; a lesson that no longer loads leaves the person in free play, told why.
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import type { StateStorage } from 'zustand/middleware';
import { createPlayground, loadIo } from './store.ts';
import { createLessons, type LessonOrigin } from './lessons.ts';
import { keepLessonPlace, LESSON_PLACE_KEY, readLessonPlace, resumeLesson } from './lessonPlace.ts';
import { openSaved, SAVE_KEY } from './persist.ts';
import { loadLesson, type Lesson } from '../sim/lesson/index.ts';

const pub = (p: string) => new URL(`../../public/${p}`, import.meta.url);
function builtin(file: string): Lesson {
  const r = loadLesson(readFileSync(pub(`lessons/${file}`), 'utf8'), file, (name) => (existsSync(pub(`scenarios/${name}`)) ? readFileSync(pub(`scenarios/${name}`), 'utf8') : undefined));
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}
function memoryStorage(): StateStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) };
}
const FILE = '05-services.yaml';
const load = async (o: LessonOrigin) => (o.kind === 'builtin' && o.file === FILE ? builtin(FILE) : `${o.kind === 'builtin' ? o.file : o.name} was not found`);

/** A page visit: a new store over the same storage, as after a reload. */
async function visit(storage: ReturnType<typeof memoryStorage>) {
  const pg = createPlayground();
  const lessons = createLessons(pg);
  const { saving } = await openSaved(pg, storage);
  await saving;
  const resumed = await resumeLesson(lessons, pg, storage, load);
  keepLessonPlace(lessons, storage);
  return { pg, lessons, resumed };
}

describe('a reload during a lesson', () => {
  beforeAll(() => loadIo());

  it('opens the same lesson at the same step; the person’s cluster stays saved, and Leave gives it back', async () => {
    const storage = memoryStorage();
    const first = await visit(storage);
    expect(first.resumed).toBe(false);
    first.pg.getState().addNode();
    const own = first.pg.getState().scenario.nodes.map((n) => n.name);
    const lesson = builtin(FILE);
    await first.lessons.getState().start(lesson, 0, { kind: 'builtin', file: FILE });
    await first.lessons.getState().go(2);
    expect(readLessonPlace(storage.data.get(LESSON_PLACE_KEY) ?? null)).toEqual({ origin: { kind: 'builtin', file: FILE }, step: 2 });
    expect(storage.data.get(SAVE_KEY)).toContain('node-3');

    const second = await visit(storage);
    expect(second.resumed).toBe(true);
    expect(second.lessons.getState().open?.step).toBe(2);
    expect(second.pg.getState()).toMatchObject({ inLesson: true, request: lesson.steps[2].packet!.request });
    expect(second.pg.getState().scenario.pods.map((p) => p.podIP)).toEqual(lesson.steps[2].scenario.pods.map((p) => p.podIP));
    await second.lessons.getState().next();
    expect(readLessonPlace(storage.data.get(LESSON_PLACE_KEY) ?? null)?.step).toBe(3);
    second.lessons.getState().leave();
    expect(second.pg.getState().scenario.nodes.map((n) => n.name)).toEqual(own);
    expect(storage.data.has(LESSON_PLACE_KEY)).toBe(false);

    const third = await visit(storage);
    expect(third.resumed).toBe(false);
    expect(third.pg.getState().inLesson).toBe(false);
  });

  it('a lesson that cannot be opened again: free play with the person’s cluster, told why; what was kept is forgotten', async () => {
    const storage = memoryStorage();
    storage.data.set(LESSON_PLACE_KEY, JSON.stringify({ version: 1, origin: { kind: 'builtin', file: '99-gone.yaml' }, step: 1 }));
    const v = await visit(storage);
    expect(v.resumed).toBe(false);
    expect(v.pg.getState().inLesson).toBe(false);
    expect(v.pg.getState().notice).toMatchObject({ kind: 'error', text: expect.stringContaining('The lesson you were in (99-gone.yaml) could not be opened again') });
    expect(storage.data.has(LESSON_PLACE_KEY)).toBe(false);
  });

  it('reads only what it wrote', () => {
    for (const raw of [null, '', '{', '[]', '{"version":2,"step":0,"origin":{"kind":"builtin","file":"a"}}', '{"version":1,"step":-1,"origin":{"kind":"builtin","file":"a"}}', '{"version":1,"step":0,"origin":{"kind":"file","name":"a"}}']) {
      expect(readLessonPlace(raw)).toBeNull();
    }
    expect(readLessonPlace('{"version":1,"step":0,"origin":{"kind":"file","name":"a.yaml","text":"x"}}')).toEqual({ origin: { kind: 'file', name: 'a.yaml', text: 'x' }, step: 0 });
  });
});

describe("a lesson's scores", () => {
  beforeAll(() => loadIo());
  it('are kept per step (the latest at each), for this lesson only: another lesson or Leave starts afresh', async () => {
    const pg = createPlayground();
    const lessons = createLessons(pg);
    const services = builtin(FILE);
    lessons.getState().scored(0, []);
    expect(lessons.getState().scores).toEqual({});
    await lessons.getState().start(services);
    const right = [{ part: 'verdict' as const, right: true, said: 'delivered', truth: 'delivered', why: '' }];
    const wrong = [{ ...right[0], right: false, said: 'dropped' }];
    lessons.getState().scored(1, wrong);
    lessons.getState().scored(1, right);
    await lessons.getState().go(2);
    expect(lessons.getState().scores).toEqual({ 1: right });
    await lessons.getState().start(builtin('03-same-host.yaml'));
    expect(lessons.getState().scores).toEqual({});
    lessons.getState().scored(0, right);
    lessons.getState().leave();
    expect(lessons.getState().scores).toEqual({});
  });
});
