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

/** What an object's controller ownerReference names. */
export interface ControllerRef {
  kind: string;
  name: string;
}

/**
 * The controller among an object's ownerReferences: the one with `controller: true`
 * (at most one may say so), else the only reference there is.
 */
export function controllerOf(doc: Obj): ControllerRef | undefined {
  const meta = isObj(doc.metadata) ? doc.metadata : undefined;
  // A manifest's pod has no owner: nothing made for it.
  if (!meta || !Array.isArray(meta.ownerReferences)) return undefined;
  const refs = meta.ownerReferences.filter(isObj);
  const ref = refs.find((r) => r.controller === true) ?? (refs.length === 1 ? refs[0] : undefined);
  if (!ref || typeof ref.kind !== 'string' || typeof ref.name !== 'string') return undefined;
  return { kind: ref.kind, name: ref.name };
}

/** A workload read from the file, with its own controller (a Deployment's ReplicaSet has the Deployment). */
export interface OwnedWorkload {
  workload: Workload;
  controller?: ControllerRef;
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
  // A reference names the workload of that namespace, kind and name: a dump holds one
  // of each. Its uid is not compared: one that differs (a reference the controller has
  // not re-adopted yet, or a hand-edited dump) still means this workload, and counting
  // the pod as no one's would have the workload expanded into phantoms beside it.
  // By key, so a dump of many pods finds each owner at once.
  const byKey = new Map<string, OwnedWorkload>();
  const key = (namespace: string, kind: string, name: string) => `${namespace}/${kind}/${name}`;
  for (const w of workloads) byKey.set(key(w.workload.namespace, w.workload.kind, w.workload.name), w);
  const find = (ref: ControllerRef, namespace: string) => byKey.get(key(namespace, ref.kind, ref.name));
  // A ReplicaSet whose controller is a Deployment in the file is that Deployment's.
  const drawnAs = new Map<OwnedWorkload, OwnedWorkload>();
  for (const w of workloads) {
    const c = w.controller;
    if (w.workload.kind !== 'ReplicaSet' || !c || c.kind !== 'Deployment') continue;
    const deployment = find(c, w.workload.namespace);
    if (deployment) drawnAs.set(w, deployment);
  }
  // A dump without its ReplicaSets (`kubectl get deploy,pods`): the Deployment controller
  // names each ReplicaSet NAME-<pod-template-hash>, and its pods carry that hash as a label.
  const deploymentOfMissingReplicaSet = (ref: ControllerRef, pod: PodSpec) => {
    const hash = pod.labels['pod-template-hash'];
    if (ref.kind !== 'ReplicaSet' || !hash || !ref.name.endsWith(`-${hash}`)) return undefined;
    return find({ kind: 'Deployment', name: ref.name.slice(0, -hash.length - 1) }, pod.namespace);
  };
  const withPods = new Set<OwnedWorkload>();
  pods.forEach((pod, i) => {
    const ref = podControllers[i];
    if (!ref) return;
    const direct = find(ref, pod.namespace) ?? deploymentOfMissingReplicaSet(ref, pod);
    if (!direct) return;
    const owner = drawnAs.get(direct) ?? direct;
    pod.ownerKind = owner.workload.kind;
    pod.ownerName = owner.workload.name;
    withPods.add(owner);
  });
  const toExpand = workloads.filter((w) => !drawnAs.has(w) && !withPods.has(w)).map((w) => w.workload);
  return { toExpand, links: drawnAs.size };
}
