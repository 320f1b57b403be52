// The person's own playground, set aside when they edited a cluster opened from a
// share link (persist.ts keeps it under BEFORE_LINK_KEY before saving the edited one).
// Nothing is lost: switching puts what is open now in its place, so the two trade
// places; discarding is the person's choice. What is set aside is read back by the one
// restore function, like every save.
import { createStore } from 'zustand/vanilla';
import type { StateStorage } from 'zustand/middleware';
import { describeRestoreProblem } from '../sim/scenario/restoreProblem.ts';
import { loadIo, savedOf, type PlaygroundStore } from './store.ts';

export const BEFORE_LINK_KEY = 'podpath-before-link';

/** The text set aside (null: none). */
export const setAside = createStore<{ text: string | null }>(() => ({ text: null }));

/** Open the playground set aside, and set aside the one open now in its place. */
export async function switchToSetAside(store: PlaygroundStore, storage: StateStorage): Promise<boolean> {
  const kept = setAside.getState().text;
  if (kept === null) return false;
  const m = await loadIo();
  const r = m.restoreSave(kept);
  if (!r.ok) {
    store.getState().notify({ kind: 'error', text: `The playground set aside could not be opened: ${describeRestoreProblem(r.problem)} It stays set aside: Download it to keep it as a file.` });
    return false;
  }
  const st = store.getState();
  const now = m.saveText(savedOf(st));
  try {
    await storage.setItem(BEFORE_LINK_KEY, now);
  } catch {
    store.getState().notify({ kind: 'error', text: 'This browser would not keep the playground open now, so nothing was switched.' });
    return false;
  }
  setAside.setState({ text: now });
  store.getState().adopt(r.value, { kind: 'hint', text: 'Switched: this is the playground that was set aside; the one you had open is set aside in its place.' });
  store.temporal.getState().clear();
  return true;
}

export async function discardSetAside(storage: StateStorage): Promise<void> {
  await storage.removeItem(BEFORE_LINK_KEY);
  setAside.setState({ text: null });
}
