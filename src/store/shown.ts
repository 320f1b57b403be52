// `ip addr`, `ip route` and `iptables-save` of one netns, for the netns terminal. Its own
// module, importing the engine's show directly (not through ./engine.ts): only the
// terminal, loaded on demand, prints a netns, so the first view's JavaScript does without it.
import type { PodpathIssue } from '../sim/errors.ts';
import type { Scenario } from '../sim/model.ts';
import { show, type ShownNetns } from '../sim/dataplane/show.ts';
import type { Dataplane } from './engine.ts';
import { dataplaneOf } from './derived.ts';

/** What the page says when printing a netns threw (podpath's own bug, as for a trace). */
export const SHOW_FAILED = 'podpath could not print this network namespace: its simulator stopped on an error of its own (a bug in podpath, not in your cluster).';

const shows = new WeakMap<Dataplane, Map<string, ShowOutcome>>();
/** `ip addr`, `ip route` and `iptables-save` of one netns, or why not (by kind, as for a trace). */
export type ShowOutcome = { kind: 'shown'; netns: ShownNetns } | { kind: 'refused'; issues: PodpathIssue[] } | { kind: 'failed' };
export function showOf(s: Scenario, netns: string): ShowOutcome {
  let r: ShowOutcome | undefined;
  try {
    const dp = dataplaneOf(s);
    let m = shows.get(dp);
    if (!m) shows.set(dp, (m = new Map()));
    r = m.get(netns);
    if (!r) {
      const out = show(dp, netns);
      m.set(netns, (r = out.ok ? { kind: 'shown', netns: out.value } : { kind: 'refused', issues: out.issues }));
    }
  } catch (e) {
    console.error('podpath: show threw (a bug):', e);
    r = { kind: 'failed' };
  }
  return r;
}

/** The devices of a netns (name and kind), for the device counters; none where it cannot be compiled. */
export function devicesOf(s: Scenario, netns: string): readonly { name: string; kind: string }[] {
  try {
    return dataplaneOf(s).netns(netns)?.devices ?? [];
  } catch {
    return [];
  }
}
