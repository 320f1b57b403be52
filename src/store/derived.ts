// What the engine says about the current state, computed once per scenario (and
// per trace request) and shared by every component that asks.
import type { PodpathIssue } from '../sim/errors.ts';
import type { Scenario } from '../sim/model.ts';
import type { Hop, Trace, TraceRequest } from '../sim/trace/types.ts';
import { compile, loadedTrace, NODE_NETWORK, type Dataplane } from './engine.ts';
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

/** What the node network is, as the engine compiled it: a VPC's fabric or a plain switch. */
export function nodeNetworkName(s: Scenario): string {
  return dataplaneOf(s).netns(NODE_NETWORK)?.vpcFabric ? 'VPC fabric' : 'node network';
}
export const selectNodeNetworkName = (st: PlaygroundState) => nodeNetworkName(st.scenario);

/**
 * What the page shows for the packet being traced, decided by kind, never by the
 * wording of a message:
 *  - `traced`: the engine's walk;
 *  - `refused`: the engine's Result refused the request (issues a person can act on,
 *    e.g. "no pod default/x");
 *  - `failed`: the engine threw. Its functions return Results and do not throw, so a
 *    throw is podpath's own bug (its message may be an `internal:` one meant for us):
 *    the page says so in words and the message goes to the console only.
 */
export type TraceOutcome = { kind: 'traced'; trace: Trace } | { kind: 'refused'; issues: PodpathIssue[] } | { kind: 'failed' };

/** What the page says when the engine failed (see TraceOutcome). */
export const TRACE_FAILED =
  'podpath could not trace this: its simulator stopped on an error of its own. That is a bug in podpath, not a problem with your cluster; Export the cluster to report it.';

let lastTrace: { s: Scenario; req: TraceRequest; endpoint: number; out: TraceOutcome } | null = null;
/** The engine's trace of the current request against the current cluster (re-run on any change), following kube-proxy's endpoint `endpoint`. */
export function traceOf(s: Scenario, req: TraceRequest | null, endpoint = 0): TraceOutcome | null {
  if (!req) return null;
  if (lastTrace && lastTrace.s === s && lastTrace.req === req && lastTrace.endpoint === endpoint) return lastTrace.out;
  // The walk has not loaded yet (engine.ts' loadWalk; the store loads it as a packet is sent): nothing to show yet.
  const trace = loadedTrace();
  if (!trace) return null;
  let out: TraceOutcome;
  try {
    const r = trace(dataplaneOf(s), req, { endpointIndex: endpoint });
    out = r.ok ? { kind: 'traced', trace: r.value } : { kind: 'refused', issues: r.issues };
  } catch (e) {
    console.error('podpath: the trace threw (a bug):', e);
    out = { kind: 'failed' };
  }
  lastTrace = { s, req, endpoint, out };
  return out;
}

export const selectTrace = (st: PlaygroundState) => traceOf(st.scenario, st.request, st.endpoint);

/** Predict mode is waiting for a prediction before this packet may move. */
export const selectPredictPending = (st: PlaygroundState) => st.predict !== null && st.guess === null && selectTrace(st)?.kind === 'traced';

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

/** The hops a person may play: none while a prediction is awaited (the packet does not move before it). */
export function selectHops(st: PlaygroundState): Hop[] {
  const t = selectTrace(st);
  if (t?.kind !== 'traced' || selectPredictPending(st)) return EMPTY;
  return playedHops(t.trace, st.showReply);
}
const EMPTY: Hop[] = [];

/**
 * The hop before this one on the same leg, to show what it changed. The reply's first
 * hop has none: the answer starts fresh from the socket, its addresses swapped, not NATed.
 */
export function previousOnLeg(st: PlaygroundState, index: number): Hop | undefined {
  const t = selectTrace(st);
  if (t?.kind !== 'traced' || index <= 0 || index === t.trace.hops.length) return undefined;
  return selectHops(st)[index - 1];
}

/** The hop playback is on (clamped: the cluster may have changed under it). */
export function selectCurrentHop(st: PlaygroundState): { hop: Hop; index: number; count: number } | null {
  const hops = selectHops(st);
  if (hops.length === 0) return null;
  const index = Math.min(st.step, hops.length - 1);
  return { hop: hops[index], index, count: hops.length };
}
