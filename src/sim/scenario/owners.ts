// Which workload a pod of a dump belongs to, by its ownerReferences (metav1.OwnerReference).
// A dump of a running cluster holds the workloads *and* the pods their controllers
// made: such a pod is that workload's pod, and the workload is expanded into pods of
// podpath's own only where the file holds none of its pods (a manifest). A
// Deployment's pods are owned by a ReplicaSet, which is owned by the Deployment: the
// chain is followed up to the workload podpath draws.
import type { PodSpec } from '../model.ts';
import type { Workload } from './workloads.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What an object's controller ownerReference names (kind, name, and uid when given). */
export interface ControllerRef {
  kind: string;
  name: string;
  uid?: string;
}

/** An object's own identity as ownerReferences name it. */
export interface OwnedIdentity {
  namespace: string;
  kind: string;
  name: string;
  uid?: string;
  /** Its own controller, when it has one (a Deployment's ReplicaSet has the Deployment). */
  controller?: ControllerRef;
}

/**
 * The controller among an object's ownerReferences: the one with `controller: true`
 * (at most one may say so), else the only reference there is.
 */
export function controllerOf(doc: Obj): ControllerRef | undefined {
  const meta = isObj(doc.metadata) ? doc.metadata : {};
  const refs = Array.isArray(meta.ownerReferences) ? meta.ownerReferences.filter(isObj) : [];
  const ref = refs.find((r) => r.controller === true) ?? (refs.length === 1 ? refs[0] : undefined);
  if (!ref || typeof ref.kind !== 'string' || typeof ref.name !== 'string') return undefined;
  return { kind: ref.kind, name: ref.name, ...(typeof ref.uid === 'string' && ref.uid ? { uid: ref.uid } : {}) };
}

export function uidOf(doc: Obj): string | undefined {
  const meta = isObj(doc.metadata) ? doc.metadata : {};
  return typeof meta.uid === 'string' && meta.uid ? meta.uid : undefined;
}

/** A workload read from the file, with what ownerReferences need to find it. */
export interface OwnedWorkload {
  workload: Workload;
  uid?: string;
  controller?: ControllerRef;
}

/** A reference names this object when kind and name agree (and uid, when both carry one). */
function names(ref: ControllerRef, namespace: string, o: { namespace: string; kind: string; name: string; uid?: string }): boolean {
  return o.namespace === namespace && o.kind === ref.kind && o.name === ref.name && (!ref.uid || !o.uid || ref.uid === o.uid);
}

export interface OwnersResolved {
  /** The workloads to expand into pods: those of which the file holds no pod. */
  toExpand: Workload[];
  /** ReplicaSets of a Deployment in the file: links in the chain, not workloads of their own. */
  links: number;
}

/**
 * Give each pod with a controller in the file its workload (ownerKind/ownerName, the
 * Deployment for a pod of a Deployment's ReplicaSet), and say which workloads still
 * need pods made. `podControllers[i]` is the controller of `pods[i]`.
 */
export function resolveOwners(pods: PodSpec[], podControllers: (ControllerRef | undefined)[], workloads: OwnedWorkload[]): OwnersResolved {
  const ident = (w: OwnedWorkload) => ({ namespace: w.workload.namespace, kind: w.workload.kind, name: w.workload.name, uid: w.uid });
  // By namespace/kind/name, so a dump of many pods finds each owner at once.
  const byKey = new Map<string, OwnedWorkload>();
  const key = (namespace: string, kind: string, name: string) => `${namespace}/${kind}/${name}`;
  for (const w of workloads) byKey.set(key(w.workload.namespace, w.workload.kind, w.workload.name), w);
  const find = (ref: ControllerRef, namespace: string) => {
    const w = byKey.get(key(namespace, ref.kind, ref.name));
    return w && names(ref, namespace, ident(w)) ? w : undefined;
  };
  // A ReplicaSet whose controller is a Deployment in the file is that Deployment's.
  const drawnAs = new Map<OwnedWorkload, OwnedWorkload>();
  for (const w of workloads) {
    const c = w.controller;
    if (w.workload.kind !== 'ReplicaSet' || !c || c.kind !== 'Deployment') continue;
    const deployment = find(c, w.workload.namespace);
    if (deployment) drawnAs.set(w, deployment);
  }
  const withPods = new Set<OwnedWorkload>();
  pods.forEach((pod, i) => {
    const ref = podControllers[i];
    if (!ref) return;
    const direct = find(ref, pod.namespace);
    if (!direct) return;
    const owner = drawnAs.get(direct) ?? direct;
    pod.ownerKind = owner.workload.kind;
    pod.ownerName = owner.workload.name;
    withPods.add(owner);
  });
  const toExpand = workloads.filter((w) => !drawnAs.has(w) && !withPods.has(w)).map((w) => w.workload);
  return { toExpand, links: drawnAs.size };
}
