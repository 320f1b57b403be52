// Keeping the playground between visits in the browser's storage. What was saved
// is read by the one restore function (src/sim/scenario/restore.ts: version, migrate,
// then the scenario parser and IPAM, as for an import); what it cannot read opens
// the demo and is kept word for word for the person to download.
//
// Two keys:
//   podpath             the save: written after every change once restoring is done.
//   podpath-unreadable  saves that could not be read, as a JSON list of
//                       { text, problem }. A save that does not read is copied here
//                       *before* the demo's save replaces it under `podpath` (should
//                       the copy fail, nothing is saved this visit, so the text stays
//                       where it was), and it stays here across reloads until the
//                       person downloads it and closes the notice, or discards it. A
//                       list, so that a second unreadable save (another tab, another
//                       podpath version) never pushes out a first one not yet kept.
//   podpath-before-link the person's own save, as it was when they first edited a
//                       cluster opened from a share link (see below).
//
// A share link opens over the person's own playground without saving over it: a
// student opening the teacher's link keeps their own cluster in this browser, and
// gets it back by opening podpath without the link. Only when they edit the linked
// cluster does it become theirs and get saved (their edits are work too); their
// earlier save is first copied to podpath-before-link, and nothing is saved should
// that copy fail.
import type { StateStorage } from 'zustand/middleware';
import type { RestoreProblem } from '../sim/scenario/restoreProblem.ts';
import { keepHistory, reopenHistory } from './history.ts';
import { loadIo, savedOf, type Io, type PlaygroundState, type PlaygroundStore, type UnreadableSave } from './store.ts';
import { BEFORE_LINK_KEY, setAside } from './setAside.ts';

export const SAVE_KEY = 'podpath';
export const UNREADABLE_KEY = 'podpath-unreadable';
export { BEFORE_LINK_KEY };

const PROBLEM_CODES: ReadonlySet<RestoreProblem['code']> = new Set(['not-json', 'not-a-save', 'unknown-version', 'newer-version', 'cluster-refused']);

/** The kept list as stored; never drops a text, even from a damaged list. */
function readKept(raw: string | null, m: Io): UnreadableSave[] {
  if (raw === null) return [];
  const diagnose = (text: string): RestoreProblem => {
    const r = m.restoreSave(text);
    return r.ok ? { code: 'not-a-save' } : r.problem;
  };
  let list: unknown;
  try {
    list = JSON.parse(raw);
  } catch {
    return [{ text: raw, problem: diagnose(raw) }];
  }
  if (!Array.isArray(list)) return [{ text: raw, problem: diagnose(raw) }];
  const out: UnreadableSave[] = [];
  for (const item of list) {
    const it = item as { text?: unknown; problem?: { code?: unknown } } | null;
    if (!it || typeof it.text !== 'string') continue;
    const code = it.problem?.code;
    const known = typeof code === 'string' && PROBLEM_CODES.has(code as RestoreProblem['code']);
    out.push({ text: it.text, problem: known ? (it.problem as RestoreProblem) : diagnose(it.text) });
  }
  return out;
}


/**
 * Open what the browser kept, then keep saving. Resolves once the page can be drawn:
 * at once when nothing was saved (the reader loads meanwhile), after reading the save
 * when there is one (so the demo never flashes before a person's own cluster).
 * `saving` settles once saving has started (or was held back, see above).
 */
export async function openSaved(store: PlaygroundStore, storage: StateStorage, session?: StateStorage): Promise<{ saving: Promise<void> }> {
  setAside.setState({ text: await storage.getItem(BEFORE_LINK_KEY) });
  const saved = await storage.getItem(SAVE_KEY);
  const keptRaw = await storage.getItem(UNREADABLE_KEY);
  // The session's undo history (see history.ts): kept in the tab's own storage, brought back with the save it belongs to.
  if (saved === null && keptRaw === null) return { saving: loadIo().then((m) => (keepSaving(store, storage, m), session && keepHistory(store, session, m))) };
  await restoreThenSave(store, storage, saved, keptRaw);
  if (session) await reopenHistory(store, session, await loadIo());
  return { saving: Promise.resolve() };
}

async function restoreThenSave(store: PlaygroundStore, storage: StateStorage, saved: string | null, keptRaw: string | null): Promise<void> {
  const m = await loadIo();
  const kept = readKept(keptRaw, m);
  if (saved !== null) {
    const r = m.restoreSave(saved);
    if (r.ok) {
      store.getState().adopt(r.value, r.changes.length ? { kind: 'hint', text: `Your saved playground was opened, with changes: ${r.changes.join('; ')}.` } : null);
    } else if (!kept.some((k) => k.text === saved)) {
      kept.push({ text: saved, problem: r.problem });
    }
  }
  store.setState({ unreadable: kept });
  // Opening what was saved is not an edit to undo.
  store.temporal.getState().clear();
  if (kept.length) {
    try {
      await storage.setItem(UNREADABLE_KEY, JSON.stringify(kept));
    } catch {
      // Not kept elsewhere: do not save over it (it is still under SAVE_KEY, and in the notice).
      store.getState().notify({ kind: 'error', text: 'This browser would not keep a copy of the unreadable save, so changes are not saved this visit: download it first, then reload.' });
      return;
    }
  }
  keepSaving(store, storage, m);
}

/** Above this many pods a save waits for the page to be idle (see keepSaving). */
export const SAVE_LATER_ABOVE_PODS = 2000;

/** Save after every change to what is kept, and mirror the list of unreadable saves. */
function keepSaving(store: PlaygroundStore, storage: StateStorage, m: Io): void {
  let warned = false;
  const write = (key: string, text: string) => {
    try {
      void Promise.resolve(storage.setItem(key, text)).catch(failed);
    } catch (e) {
      failed(e);
    }
  };
  const failed = (_e: unknown) => {
    if (warned) return;
    warned = true;
    store.getState().notify({ kind: 'error', text: 'This browser would not save the playground (its storage may be full or switched off): Export keeps a copy as a file.' });
  };
  const save = () => write(SAVE_KEY, m.saveText(savedOf(store.getState())));
  // A big cluster's save is megabytes of JSON written on the page's thread: it waits until the
  // page is idle (the canvas draws the cluster first), one write for a burst of changes, and
  // is written at once if the page goes first.
  let pending = false;
  const saveWhenIdle = () => {
    if (pending) return;
    pending = true;
    const run = () => {
      if (!pending) return;
      pending = false;
      save();
    };
    if (typeof requestIdleCallback === 'function') requestIdleCallback(run, { timeout: 2000 });
    else setTimeout(run, 0);
  };
  globalThis.addEventListener?.('pagehide', () => {
    if (!pending) return;
    pending = false;
    save();
  });
  const saveNow = (st: PlaygroundState) => (st.scenario.pods.length > SAVE_LATER_ABOVE_PODS ? saveWhenIdle() : save());
  /** Not the person's own (yet): a lesson's cluster, or a linked one not edited. */
  const notOwn = (st: PlaygroundState) => st.inLesson || st.fromLink !== null;
  if (!notOwn(store.getState())) save();
  let keepingAside = false;
  const editedLinked = () => {
    if (keepingAside) return;
    keepingAside = true;
    void Promise.resolve()
      .then(() => storage.getItem(SAVE_KEY))
      .then(async (own) => {
        if (own === null) return;
        await storage.setItem(BEFORE_LINK_KEY, own);
        setAside.setState({ text: own });
      })
      // The linked cluster is the person's now: saved from here on (see the top).
      .then(
        () => store.setState({ fromLink: null }),
        () => store.getState().notify({ kind: 'error', text: 'This browser would not keep a copy of your own saved playground, so your edits to the shared one are not saved this visit (Export keeps them as a file).' }),
      )
      .finally(() => (keepingAside = false));
  };
  store.subscribe((st, prev) => {
    // An edit: the same link on screen, its cluster changed, and not by a lesson opening or closing over it.
    if (st.fromLink && st.fromLink === prev.fromLink && !st.inLesson && !prev.inLesson && (st.scenario !== prev.scenario || st.positions !== prev.positions)) editedLinked();
    // A lesson's clusters are not the person's own: theirs stays saved, and is saved again once they leave the lesson.
    if (!notOwn(st) && (notOwn(prev) || st.scenario !== prev.scenario || st.positions !== prev.positions || st.request !== prev.request || st.showReply !== prev.showReply || st.speed !== prev.speed || st.step !== prev.step || st.endpoint !== prev.endpoint)) saveNow(st);
    if (st.unreadable !== prev.unreadable) {
      if (st.unreadable.length) write(UNREADABLE_KEY, JSON.stringify(st.unreadable));
      else void Promise.resolve(storage.removeItem(UNREADABLE_KEY));
    }
  });
}
