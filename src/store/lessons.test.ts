// Playing a lesson in the store, without a DOM: each step opens its own cluster and
// packet, a prediction holds the packet back, and leaving gives the person back
// exactly what they had — never saved over while the lesson ran.
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import type { StateStorage } from 'zustand/middleware';
import { createPlayground, loadIo } from './store.ts';
import { createLessons } from './lessons.ts';
import { selectHops, selectTrace } from './derived.ts';
import { openSaved, SAVE_KEY } from './persist.ts';
import { loadLesson, type Lesson } from '../sim/lesson/index.ts';
import { restoreSave } from '../sim/scenario/restore.ts';

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
const names = (pg: ReturnType<typeof createPlayground>) => pg.getState().scenario.pods.map((p) => p.name);

describe('a lesson in the store', () => {
  beforeAll(() => loadIo());
  const services = builtin('05-services.yaml');

  it('each step opens the cluster and packet the lesson checked for it, and Previous goes back to exactly that', async () => {
    const pg = createPlayground();
    const lessons = createLessons(pg);
    expect(await lessons.getState().start(services)).toBe(true);
    expect(lessons.getState().open?.step).toBe(0);
    expect(pg.getState().scenario.pods).toEqual(services.steps[0].scenario.pods);
    expect(pg.getState()).toMatchObject({ request: services.steps[0].packet!.request, endpoint: 0, inLesson: true });
    const t = selectTrace(pg.getState());
    expect(t?.kind === 'traced' && t.trace.endpoint).toBe(services.steps[0].trace!.endpoint);
    await lessons.getState().go(2);
    // Endpoint 1 of the step is followed by the page's trace too.
    const t2 = selectTrace(pg.getState());
    expect(t2?.kind === 'traced' && t2.trace.endpoint).toBe('default/web-45g782kmm6-c5mgg');
    await lessons.getState().next();
    expect(names(pg)).toHaveLength(4);
    await lessons.getState().next();
    expect(names(pg)).not.toContain('web-45g782kmm6-c5mgg');
    await lessons.getState().previous();
    expect(pg.getState().scenario.pods).toEqual(services.steps[3].scenario.pods);
    expect(await lessons.getState().go(99)).toBe(true);
    expect(lessons.getState().open?.step).toBe(services.steps.length - 1);
    expect(await lessons.getState().next()).toBe(false);
  });

  it('Reset this step undoes what the person changed; undo stays inside the step', async () => {
    const pg = createPlayground();
    const lessons = createLessons(pg);
    await lessons.getState().start(services, 3);
    const before = pg.getState().scenario;
    expect(pg.temporal.getState().pastStates).toEqual([]);
    pg.getState().remove('pod', 'default/client');
    expect(names(pg)).not.toContain('client');
    await lessons.getState().reset();
    expect(pg.getState().scenario.pods).toEqual(before.pods);
    expect(pg.getState().request).toEqual(services.steps[3].packet!.request);
    expect(pg.temporal.getState().pastStates).toEqual([]);
  });

  it('a question holds the packet back until a prediction is locked in', async () => {
    const pg = createPlayground();
    const lessons = createLessons(pg);
    await lessons.getState().start(services, 1);
    expect(pg.getState().predict).toEqual({ ask: services.steps[1].question!.ask, parts: ['answer', 'source'] });
    expect(selectHops(pg.getState())).toEqual([]);
    pg.getState().lockGuess({ answer: 'default/web-45g782kmm6-cdgn9', source: '10.244.0.2' });
    expect(selectHops(pg.getState()).length).toBe(services.steps[1].trace!.hops.length);
    // A step without a question: no prediction asked.
    await lessons.getState().next();
    expect(pg.getState().predict).toBeNull();
  });

  it('Leave gives back the cluster, packet, endpoint, prediction setting and undo history the person had', async () => {
    const pg = createPlayground();
    const lessons = createLessons(pg);
    pg.getState().addPod('node-2', { name: 'mine' });
    pg.getState().send({ from: { kind: 'pod', namespace: 'default', name: 'mine' }, to: { kind: 'service', namespace: 'default', name: 'web', port: 80 }, proto: 'tcp' }, 1);
    pg.getState().setPredict({ parts: ['answer'] });
    const mine = pg.getState().scenario;
    const request = pg.getState().request;
    const past = pg.temporal.getState().pastStates.length;
    await lessons.getState().start(services);
    await lessons.getState().go(4);
    lessons.getState().leave();
    expect(pg.getState().scenario).toBe(mine);
    expect(pg.getState()).toMatchObject({ request, endpoint: 1, predict: { parts: ['answer'] }, inLesson: false });
    expect(pg.temporal.getState().pastStates.length).toBe(past);
    expect(lessons.getState().open).toBeNull();
    pg.temporal.getState().undo();
    await loadIo();
    expect(pg.getState().scenario.pods.map((p) => p.name)).not.toContain('mine');
  });

  it('while a lesson runs the browser keeps the person\'s own save; leaving saves it again', async () => {
    const storage = memoryStorage();
    const pg = createPlayground();
    await (await openSaved(pg, storage)).saving;
    pg.getState().addPod('node-1', { name: 'mine' });
    const mine = storage.data.get(SAVE_KEY)!;
    const lessons = createLessons(pg);
    await lessons.getState().start(services);
    await lessons.getState().next();
    pg.getState().addPod('node-1', { name: 'in-lesson' });
    expect(storage.data.get(SAVE_KEY)).toBe(mine);
    lessons.getState().leave();
    const r = restoreSave(storage.data.get(SAVE_KEY)!);
    expect(r.ok && r.value.scenario.pods.map((p) => p.name)).toEqual(['client', 'web-1', 'web-2', 'mine']);
  });
});
