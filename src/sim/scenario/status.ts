// A pod's status as a dump of a running cluster gives it: status.phase and the Ready
// condition. A pod without status (a manifest) is one podpath places and starts.
import type { PodPhase } from '../model.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const PHASES: readonly PodPhase[] = ['Pending', 'Running', 'Succeeded', 'Failed'];

export interface PodStatusRead {
  phase?: PodPhase;
  notReady?: true;
  /**
   * The file says the pod exists in a cluster (it has status.phase) but names no node:
   * the scheduler has not placed it. podpath does not place it either.
   */
  unscheduled?: true;
}

const NO_STATUS: PodStatusRead = Object.freeze({});

/** Read status.phase and status.conditions[Ready]; the document's reader is told what cannot be read. */
export function readPodStatus(doc: Obj, reader: { problem(field: string, reason: string): void }): PodStatusRead {
  // A manifest's pod has no status: nothing to read (and no object made for each of a large file's pods).
  if (doc.status === undefined) return NO_STATUS;
  const problem = (field: string, reason: string) => reader.problem(field, reason);
  const status = isObj(doc.status) ? doc.status : {};
  const spec = isObj(doc.spec) ? doc.spec : {};
  const out: PodStatusRead = {};
  if (status.phase !== undefined && status.phase !== null) {
    if (PHASES.includes(status.phase as PodPhase)) out.phase = status.phase as PodPhase;
    else if (status.phase === 'Unknown') problem('status.phase', 'is Unknown (the node stopped reporting this pod): podpath cannot say whether it runs; remove the pod or give its phase');
    else problem('status.phase', `must be Pending, Running, Succeeded or Failed, got ${JSON.stringify(status.phase)}`);
    // Pending is what a pod the scheduler has not bound is: it has no node and no address.
    if (spec.nodeName === undefined || spec.nodeName === null || spec.nodeName === '') {
      out.unscheduled = true;
      out.phase = 'Pending';
    }
  }
  const conditions = Array.isArray(status.conditions) ? status.conditions.filter(isObj) : [];
  const ready = conditions.find((c) => c.type === 'Ready');
  if (ready && ready.status !== 'True') out.notReady = true;
  return out;
}
