// Endpoints kept across edits. The playground recompiles after every edit, and an
// edit changes one or two pods or one Service; recomputing every Service's
// endpoints (a label index over every pod, a sorted list per Service port) cost a
// 10,000-pod cluster more than the rest of the trace. So the answers for the last
// scenario asked about are kept, and a new scenario reuses the answer of each
// Service port that the edit cannot have changed:
//  - the same ServiceSpec object (an edited Service is a new object: edits and
//    allocate copy what they change and share the rest);
//  - a selector that matches none of the pods the edit added, removed or replaced
//    (old or new version: a pod moved, relabelled or readdressed is a new object);
//  - the same cluster settings, and every other part of the scenario but its nodes
//    and namespaces the same object (endpoints are a function of the Service and
//    the pods of its namespace; if that ever changes, this comparison must follow).
// Anything else, a large change (an import, a reset) or a Service without a
// selector, is computed afresh. Only the last scenario is kept: undo is one more edit.
import { editedSpan } from '../util/editedSpan.ts';
import type { PodSpec, Scenario, ServicePort, ServiceSpec } from '../model.ts';
import { selectorMatches } from '../model.ts';

/** Beyond this many pods added, removed or replaced, an edit is a new scenario: nothing is reused. */
const MAX_CHANGED_PODS = 64;

interface Kept<T> {
  s: Scenario;
  answers: Map<ServiceSpec, Map<ServicePort, T>>;
  /** The scenario before, what it answered, and the pods (old and new versions) that differ: undefined when nothing can be reused. */
  before?: { answers: Map<ServiceSpec, Map<ServicePort, T>>; changed: PodSpec[] };
}

/** The pods of `a` and `b` that are not in both (by object): the edit between them, or undefined when it is large. */
export function changedPods(a: readonly PodSpec[], b: readonly PodSpec[], limit = MAX_CHANGED_PODS): PodSpec[] | undefined {
  const { start, endBefore: endA, endAfter: endB } = editedSpan(a, b);
  if (endA - start + (endB - start) > limit) return undefined;
  // The middle parts: a pod in both (another one moved around it) is not a change.
  const inA = new Set(a.slice(start, endA));
  const inB = new Set(b.slice(start, endB));
  const changed: PodSpec[] = [];
  for (const p of inA) if (!inB.has(p)) changed.push(p);
  for (const p of inB) if (!inA.has(p)) changed.push(p);
  return changed;
}

function sameClusterSettings(a: Scenario, b: Scenario): boolean {
  const ka = Object.keys(a.cluster) as (keyof Scenario['cluster'])[];
  return ka.length === Object.keys(b.cluster).length && ka.every((k) => a.cluster[k] === b.cluster[k]);
}

/** Every part of the scenario endpoints could read, other than its pods and Services, unchanged. */
function sameSurroundings(a: Scenario, b: Scenario): boolean {
  if (!sameClusterSettings(a, b)) return false;
  const ignored = new Set(['pods', 'services', 'nodes', 'namespaces', 'cluster']);
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) if (!ignored.has(k) && (a as unknown as Record<string, unknown>)[k] !== (b as unknown as Record<string, unknown>)[k]) return false;
  return true;
}

/**
 * A keeper of per-Service-port answers computed from a scenario (one per kind of
 * answer). `get` answers for `s`, reusing the last scenario's answer when the edit
 * between them cannot have changed it.
 */
export class KeptAcrossEdits<T> {
  private kept?: Kept<T>;

  get(s: Scenario, svc: ServiceSpec, sp: ServicePort, compute: () => T): T {
    const kept = this.keptFor(s);
    let forService = kept.answers.get(svc);
    const known = forService?.get(sp);
    if (known !== undefined) return known;
    let answer: T | undefined;
    const before = kept.before;
    if (before && Object.keys(svc.selector).length > 0 && !before.changed.some((p) => p.namespace === svc.namespace && selectorMatches(svc.selector, p.labels))) {
      answer = before.answers.get(svc)?.get(sp);
    }
    answer ??= compute();
    if (!forService) kept.answers.set(svc, (forService = new Map()));
    forService.set(sp, answer);
    return answer;
  }

  private keptFor(s: Scenario): Kept<T> {
    const last = this.kept;
    if (last?.s === s) return last;
    let before: Kept<T>['before'];
    if (last && sameSurroundings(last.s, s)) {
      const changed = changedPods(last.s.pods, s.pods);
      if (changed) before = { answers: last.answers, changed };
    }
    return (this.kept = { s, answers: new Map(), before });
  }
}
