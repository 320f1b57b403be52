// The packets sent since the cluster last changed, traced (for the rule counters): a
// changed cluster is another lab (kube-proxy rewrites its chains when Services or
// endpoints change), so the count starts again at every change.
import type { Scenario } from '../../sim/model.ts';
import type { Trace } from '../../sim/trace/types.ts';
import { dataplaneOf } from '../../store/derived.ts';
import { loadedTrace } from '../../store/engine.ts';
import { sends, type Send } from './sends.ts';

const traced = new WeakMap<Send, Trace | null>();

/** The traces of the packets sent into `scenario` (the cluster as it is now), oldest first. */
export function sentTraces(scenario: Scenario): Trace[] {
  const walk = loadedTrace();
  const out: Trace[] = [];
  if (!walk) return out;
  for (const s of sends) {
    if (s.scenario !== scenario) continue;
    let t = traced.get(s);
    if (t === undefined) {
      const r = walk(dataplaneOf(s.scenario), s.request, { endpointIndex: s.endpoint });
      traced.set(s, (t = r.ok ? r.value : null));
    }
    if (t) out.push(t);
  }
  return out;
}
