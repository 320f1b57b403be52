// The session's undo history, kept across a reload in the tab's sessionStorage (one
// tab, one session: another tab has its own). Each step is written as a playground
// save and read back by the one restore function (src/sim/scenario/restore.ts), as
// the save itself is: a step that no longer reads is left out, never half-read.
import type { StateStorage } from 'zustand/middleware';
import type { Doc, Io, PlaygroundStore } from './store.ts';

export const HISTORY_KEY = 'podpath-history';
/** Writes wait this long for the history to settle (a drag, a run of edits). */
const SETTLE_MS = 250;

function entryText(m: Io, d: Doc): string {
  return m.saveText({ scenario: d.scenario, positions: d.positions, request: d.request ?? null, showReply: false, speed: 1, step: d.step, endpoint: d.endpoint });
}

/**
 * How much of the history is kept across a reload, in characters: the steps nearest
 * the present first (a big cluster's hundred steps would fill the tab's storage,
 * and writing them after every edit would slow it).
 */
export const HISTORY_BUDGET = 2_000_000;

/** The steps nearest the present (the end of the list) that fit in `budget`, in their order. */
function nearest(m: Io, list: readonly Doc[], budget: { left: number }): string[] {
  const out: string[] = [];
  for (let i = list.length - 1; i >= 0; i--) {
    const t = entryText(m, list[i]);
    if (t.length > budget.left) break;
    budget.left -= t.length;
    out.unshift(t);
  }
  return out;
}

/**
 * The history as one JSON text: `{ past: [save…], future: [save…], present }`, in
 * zundo's order, at most `budget` characters of steps. `present` is the cluster the
 * history leads to, as Export writes it: a reload brings the history back only onto
 * that cluster (another tab may have saved another one since).
 */
export function historyText(m: Io, past: readonly Doc[], future: readonly Doc[], budget = HISTORY_BUDGET, present?: Doc): string {
  const left = { left: budget };
  const p = nearest(m, past, left);
  const f = nearest(m, future, left);
  const now = present ? `,"present":${JSON.stringify(m.writeScenario(present.scenario))}` : '';
  return `{"past":[${p.join(',')}],"future":[${f.join(',')}]${now}}`;
}

/** Read a kept history: each step through restoreSave. Unreadable steps are dropped with everything older (undo must not skip one). */
export function readHistory(m: Io, text: string): { past: Doc[]; future: Doc[]; dropped: number; present?: string } | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  const o = raw as { past?: unknown; future?: unknown; present?: unknown } | null;
  if (!o || !Array.isArray(o.past) || !Array.isArray(o.future)) return null;
  // The same cluster is often kept by several steps (moves, packets): read each once.
  const seen = new Map<string, Doc | null>();
  const read = (entry: unknown): Doc | null => {
    const t = JSON.stringify(entry);
    if (seen.has(t)) return seen.get(t)!;
    const r = m.restoreSave(t);
    const d = r.ok ? { scenario: r.value.scenario, positions: r.value.positions, request: r.value.request, endpoint: r.value.endpoint ?? 0, step: r.value.step ?? 0 } : null;
    seen.set(t, d);
    return d;
  };
  let dropped = 0;
  const past: Doc[] = [];
  // Undo walks the past from its newest step: keep the newest steps up to the first that does not read.
  for (let i = o.past.length - 1; i >= 0; i--) {
    const d = read(o.past[i]);
    if (!d) {
      dropped += i + 1;
      break;
    }
    past.unshift(d);
  }
  const future: Doc[] = [];
  // Redo walks the future from its last element (zundo's order).
  for (let i = o.future.length - 1; i >= 0; i--) {
    const d = read(o.future[i]);
    if (!d) {
      dropped += i + 1;
      break;
    }
    future.unshift(d);
  }
  return { past, future, dropped, ...(typeof o.present === 'string' ? { present: o.present } : {}) };
}

/** Bring back the history this tab kept (after the save was opened), then keep it as it changes. */
export async function reopenHistory(store: PlaygroundStore, session: StateStorage, m: Io): Promise<void> {
  let text: string | null = null;
  try {
    text = await session.getItem(HISTORY_KEY);
  } catch {
    text = null;
  }
  const h = text === null ? null : readHistory(m, text);
  // Only onto the cluster it leads to: not onto one another tab saved since, nor the demo after an unreadable save.
  if (h && h.present === m.writeScenario(store.getState().scenario)) {
    store.temporal.setState({ pastStates: h.past, futureStates: h.future });
    if (h.dropped) store.getState().notify({ kind: 'hint', text: `${h.dropped} older undo step${h.dropped === 1 ? '' : 's'} could not be read back after the reload: undo goes back as far as it can.` });
  }
  keepHistory(store, session, m);
}

/** Above this many pods the history is not kept across a reload (see keepHistory). */
export const HISTORY_KEPT_UP_TO_PODS = 2000;

/** Write the history after it changes (settled, see SETTLE_MS). A history too big for the tab's storage is not kept across a reload; undo still works. */
export function keepHistory(store: PlaygroundStore, session: StateStorage, m: Io): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let warned = false;
  const write = () => {
    timer = undefined;
    // A lesson's steps are not the person's history (it is given back when they leave).
    if (store.getState().inLesson) return;
    // A big cluster's history (every step written out as Export writes it: seconds of work, megabytes)
    // does not fit the tab's storage: it is not kept across a reload, and not written for nothing. Undo still works.
    if (store.getState().scenario.pods.length > HISTORY_KEPT_UP_TO_PODS) {
      void Promise.resolve(session.removeItem(HISTORY_KEY)).catch(() => undefined);
      return;
    }
    const t = store.temporal.getState();
    try {
      void Promise.resolve(session.setItem(HISTORY_KEY, historyText(m, t.pastStates as Doc[], t.futureStates as Doc[], HISTORY_BUDGET, store.getState()))).catch(failed);
    } catch (e) {
      failed(e);
    }
  };
  const failed = (_e: unknown) => {
    if (warned) return;
    warned = true;
    void Promise.resolve(session.removeItem(HISTORY_KEY)).catch(() => undefined);
  };
  // Any change: zundo's undo and redo change its lists in place as well as anew.
  store.temporal.subscribe(() => {
    if (timer === undefined) timer = setTimeout(write, SETTLE_MS);
  });
  // A reload right after an edit must not lose it: write what is pending as the page goes.
  globalThis.addEventListener?.('pagehide', () => {
    if (timer === undefined) return;
    clearTimeout(timer);
    write();
  });
  write();
}
