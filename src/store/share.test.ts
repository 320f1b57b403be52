// Opening a share link in the store, without a DOM: it wins over what the browser
// saved, is not saved over the person's own until they edit it, and then their own
// is set aside first; a bad link opens the demo with the reason.
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import type { StateStorage } from 'zustand/middleware';
import { createPlayground, loadIo } from './store.ts';
import { createLessons } from './lessons.ts';
import { BEFORE_LINK_KEY, openSaved, SAVE_KEY } from './persist.ts';
import { openShareLink, sharedOf } from './share.ts';
import { setAside, switchToSetAside } from './setAside.ts';
import { shareFragmentOf } from './shareLink.ts';
import { restoreSave } from '../sim/scenario/restore.ts';
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
const flush = () => new Promise((r) => setTimeout(r, 0));
const podNames = (text: string | undefined) => {
  const r = restoreSave(text ?? '');
  return r.ok ? r.value.scenario.pods.map((p) => p.name) : r.problem.code;
};
const noLesson = () => Promise.resolve(undefined);

/** A teacher's playground: a pod added, a Service packet on endpoint 1, at hop 4. */
async function teachersLink(): Promise<{ packed: string; pods: string[] }> {
  const pg = createPlayground();
  pg.getState().addPod('node-2', { name: 'cache' });
  pg.getState().send({ from: { kind: 'pod', namespace: 'default', name: 'client' }, to: { kind: 'service', namespace: 'default', name: 'web', port: 80 }, proto: 'tcp' }, 1);
  pg.getState().setStep(4);
  const fragment = await shareFragmentOf(sharedOf(pg.getState(), null));
  return { packed: fragment.slice(2), pods: pg.getState().scenario.pods.map((p) => p.name) };
}

describe('opening a share link', () => {
  beforeAll(() => loadIo());

  it('opens the linked playground exactly, does not save over the person\'s own, and sets theirs aside once they edit', async () => {
    const storage = memoryStorage();
    // The student's own cluster: the demo with one pod fewer.
    const own = createPlayground();
    own.getState().remove('pod', 'default/web-2');
    const ownText = (await loadIo()).saveText(sharedOf(own.getState(), null));
    storage.setItem(SAVE_KEY, ownText);

    const { packed, pods } = await teachersLink();
    const pg = createPlayground();
    const lessons = createLessons(pg);
    await (await openSaved(pg, storage)).saving;
    expect(await openShareLink(pg, lessons, packed, noLesson)).toBe('opened');
    expect(pg.getState().scenario.pods.map((p) => p.name)).toEqual(pods);
    expect(pg.getState()).toMatchObject({ endpoint: 1, step: 4, request: { to: { kind: 'service', name: 'web' } } });
    expect(pg.getState().notice?.text).toMatch(/^Opened a shared playground\./);
    // Opening is not an edit: nothing to undo, nothing saved.
    expect(pg.temporal.getState().pastStates).toHaveLength(0);
    pg.getState().setSpeed(3);
    await flush();
    expect(storage.data.get(SAVE_KEY)).toBe(ownText);

    // The first edit: theirs is set aside, then the edited link is saved.
    pg.getState().addNode();
    await flush();
    expect(storage.data.get(BEFORE_LINK_KEY)).toBe(ownText);
    expect(podNames(storage.data.get(SAVE_KEY))).toEqual(pods);
    expect(pg.getState().fromLink).toBeNull();
    const saved = restoreSave(storage.data.get(SAVE_KEY)!);
    expect(saved.ok && saved.value.scenario.nodes.map((n) => n.name)).toEqual(['node-1', 'node-2', 'node-3']);
    expect(setAside.getState().text).toBe(ownText);

    // Switching back: theirs opens and is saved, the edited link is set aside in its place.
    const edited = storage.data.get(SAVE_KEY)!;
    expect(await switchToSetAside(pg, storage)).toBe(true);
    expect(pg.getState().scenario.pods.map((p) => p.name)).toEqual(['client', 'web-1']);
    await flush();
    expect(podNames(storage.data.get(SAVE_KEY))).toEqual(['client', 'web-1']);
    expect(storage.data.get(BEFORE_LINK_KEY)).toBe(edited);
    expect(setAside.getState().text).toBe(edited);
    expect(pg.temporal.getState().pastStates).toHaveLength(0);
  });

  it('in a fresh browser, at load: nothing is saved until the linked cluster is edited, and nothing is set aside', async () => {
    const storage = memoryStorage();
    const { packed, pods } = await teachersLink();
    setAside.setState({ text: null });
    const pg = createPlayground();
    // What main.tsx does when the address holds a link (holdSavingForLink).
    pg.setState({ fromLink: { opened: 0 } });
    await (await openSaved(pg, storage)).saving;
    await openShareLink(pg, createLessons(pg), packed, noLesson);
    await flush();
    expect(storage.data.has(SAVE_KEY)).toBe(false);
    pg.getState().addNode();
    await flush();
    expect(podNames(storage.data.get(SAVE_KEY))).toEqual(pods);
    expect(storage.data.has(BEFORE_LINK_KEY)).toBe(false);
    expect(setAside.getState().text).toBeNull();
  });

  it('a tampered link opens the demo with the reason, and saves nothing over the person\'s own', async () => {
    const storage = memoryStorage();
    const own = createPlayground();
    own.getState().remove('pod', 'default/client');
    const ownText = (await loadIo()).saveText(sharedOf(own.getState(), null));
    storage.setItem(SAVE_KEY, ownText);
    const pg = createPlayground();
    await (await openSaved(pg, storage)).saving;
    expect(await openShareLink(pg, createLessons(pg), 'AAAA*tampered', noLesson)).toBe('refused');
    expect(pg.getState().scenario.pods.map((p) => p.name)).toEqual(['client', 'web-1', 'web-2']);
    expect(pg.getState().notice).toMatchObject({ kind: 'error' });
    expect(pg.getState().notice?.text).toContain('This share link is damaged');
    expect(pg.getState().notice?.text).toContain('The demo cluster is open instead; your own saved playground is untouched.');
    await flush();
    expect(storage.data.get(SAVE_KEY)).toBe(ownText);
  });

  it('a link made in a lesson opens that lesson at that step; one this podpath lacks opens the cluster with a word', async () => {
    const services = builtin('05-services.yaml');
    const teacher = createPlayground();
    const tl = createLessons(teacher);
    await tl.getState().start(services, 2);
    teacher.getState().setStep(3);
    const packed = (await shareFragmentOf(sharedOf(teacher.getState(), tl.getState().open))).slice(2);

    const pg = createPlayground();
    const lessons = createLessons(pg);
    expect(await openShareLink(pg, lessons, packed, (name) => Promise.resolve(name === services.name ? services : undefined))).toBe('opened');
    expect(lessons.getState().open).toMatchObject({ lesson: { name: services.name }, step: 2 });
    expect(pg.getState()).toMatchObject({ inLesson: true, endpoint: teacher.getState().endpoint, step: 3, request: teacher.getState().request });

    // At load (the page holds saving back while a link is in the address), over a saved playground of one's own:
    // leaving the lesson gives back exactly that, saved, with nothing set aside.
    const storage = memoryStorage();
    const own = createPlayground();
    own.getState().remove('pod', 'default/web-2');
    const ownText = (await loadIo()).saveText(sharedOf(own.getState(), null));
    storage.setItem(SAVE_KEY, ownText);
    setAside.setState({ text: null });
    const booted = createPlayground();
    const bootLessons = createLessons(booted);
    booted.setState({ fromLink: { opened: 0 } });
    await (await openSaved(booted, storage)).saving;
    await openShareLink(booted, bootLessons, packed, (name) => Promise.resolve(name === services.name ? services : undefined));
    expect(booted.getState()).toMatchObject({ inLesson: true, fromLink: null });
    bootLessons.getState().leave();
    await flush();
    expect(booted.getState().scenario.pods.map((p) => p.name)).toEqual(['client', 'web-1']);
    expect(storage.data.get(SAVE_KEY)).toBe(ownText);
    expect(storage.data.has(BEFORE_LINK_KEY)).toBe(false);
    expect(setAside.getState().text).toBeNull();

    const other = createPlayground();
    expect(await openShareLink(other, createLessons(other), packed, noLesson)).toBe('opened');
    expect(other.getState().inLesson).toBe(false);
    expect(other.getState().notice?.text).toContain(`It was made in lesson "${services.name}" (step 3), which this podpath does not have`);
    expect(other.getState().scenario.pods.map((p) => p.name)).toEqual(teacher.getState().scenario.pods.map((p) => p.name));
  });
});
