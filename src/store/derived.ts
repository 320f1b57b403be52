// What the engine says about the current state, computed once per scenario (and
// per trace request) and shared by every component that asks.
import type { Result } from '../sim/errors.ts';
import type { Scenario } from '../sim/model.ts';
import type { Hop, Trace, TraceRequest } from '../sim/trace/types.ts';
import { compile, show, trace, type Dataplane } from './engine.ts';
import type { PlaygroundState } from './store.ts';

const dataplanes = new WeakMap<Scenario, Dataplane>();
export function dataplaneOf(s: Scenario): Dataplane {
  let dp = dataplanes.get(s);
  if (!dp) {
    dp = compile(s);
    dataplanes.set(s, dp);
  }
  return dp;
}

let lastTrace: { s: Scenario; req: TraceRequest; out: Result<Trace> } | null = null;
/** The engine's trace of the current request against the current cluster (re-run on any change). */
export function traceOf(s: Scenario, req: TraceRequest | null): Result<Trace> | null {
  if (!req) return null;
  if (lastTrace && lastTrace.s === s && lastTrace.req === req) return lastTrace.out;
  let out: Result<Trace>;
  try {
    out = trace(dataplaneOf(s), req);
  } catch (e) {
    out = { ok: false, issues: [{ document: 'trace', field: '', reason: String((e as Error).message ?? e) }], warnings: [] };
  }
  lastTrace = { s, req, out };
  return out;
}

export const selectTrace = (st: PlaygroundState) => traceOf(st.scenario, st.request);

const withReplies = new WeakMap<Trace, Hop[]>();
/**
 * The hops being played: the request, then the reply when asked for. The joined
 * list is made once per trace: a selector must return the same array for the same
 * state, or every render would look like a change.
 */
export function playedHops(t: Trace, withReply: boolean): Hop[] {
  if (!withReply || !t.reply.length) return t.hops;
  let all = withReplies.get(t);
  if (!all) withReplies.set(t, (all = [...t.hops, ...t.reply]));
  return all;
}

export function selectHops(st: PlaygroundState): Hop[] {
  const t = selectTrace(st);
  return t && t.ok ? playedHops(t.value, st.showReply) : EMPTY;
}
const EMPTY: Hop[] = [];

/**
 * The hop before this one on the same leg, to show what it changed. The reply's first
 * hop has none: the answer starts fresh from the socket, its addresses swapped, not NATed.
 */
export function previousOnLeg(st: PlaygroundState, index: number): Hop | undefined {
  const t = selectTrace(st);
  if (!t || !t.ok || index <= 0 || index === t.value.hops.length) return undefined;
  return selectHops(st)[index - 1];
}

/** The hop playback is on (clamped: the cluster may have changed under it). */
export function selectCurrentHop(st: PlaygroundState): { hop: Hop; index: number; count: number } | null {
  const hops = selectHops(st);
  if (hops.length === 0) return null;
  const index = Math.min(st.step, hops.length - 1);
  return { hop: hops[index], index, count: hops.length };
}

const shows = new WeakMap<Dataplane, Map<string, ReturnType<typeof show>>>();
export function showOf(s: Scenario, netns: string) {
  const dp = dataplaneOf(s);
  let m = shows.get(dp);
  if (!m) shows.set(dp, (m = new Map()));
  let r = m.get(netns);
  if (!r) m.set(netns, (r = show(dp, netns)));
  return r;
}
