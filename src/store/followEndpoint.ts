// The walk follows one of kube-proxy's endpoints by its place in the list of
// candidates. When the cluster changes (a pod deleted, a Deployment scaled, a label
// edited), that list changes: the walk keeps following the same pod where it still
// is an endpoint (at its new place), and otherwise follows the first one, saying so.
// Never an index past the end: the engine would refuse it, and a stale index would
// quietly follow another pod than the one shown before.
import type { Scenario } from '../sim/model.ts';
import type { TraceRequest } from '../sim/trace/types.ts';
import { traceOf } from './derived.ts';

export interface Followed {
  endpoint: number;
  /** The pod the walk followed, now no endpoint any more (absent: it still is one). */
  gone?: string;
  /** The pod the walk follows instead. */
  now?: string;
}

const candidatesOf = (s: Scenario, req: TraceRequest, endpoint: number): string[] | null => {
  const t = traceOf(s, req, endpoint);
  return t?.kind === 'traced' ? t.trace.candidates : null;
};

/** Where the walk's endpoint goes when the cluster changes from `before` to `after`; null: it stays as it is. */
export function followEndpoint(before: Scenario, after: Scenario, req: TraceRequest, endpoint: number): Followed | null {
  const was = candidatesOf(before, req, endpoint);
  const now = candidatesOf(after, req, 0);
  if (!was || !now || (was.length < 2 && now.length < 2)) return null;
  const followed = was[endpoint];
  if (followed === undefined) return null;
  const at = now.indexOf(followed);
  if (at === endpoint) return null;
  if (at >= 0) return { endpoint: at };
  if (now.length === 0) return null;
  return { endpoint: 0, gone: followed, now: now[0] };
}
