// What a Deployment's ReplicaSet does when a lesson scales it or deletes one of its
// pods. podpath's model holds pods, not their templates: a Deployment is the pods that
// carry its owner reference, and a new pod is made from one of them (same labels, with
// the pod-template-hash, and ports), named the way the ReplicaSet names pods, and left
// without a node so that the engine's scheduler rule places it and IPAM gives it an
// address, as for a pod read from a file.
import { fail, ok, type PodpathWarning, type Result } from '../errors.ts';
import { objectKey, type PodSpec, type Scenario } from '../model.ts';
import { allocate } from '../ipam/index.ts';
import { remove } from '../edit.ts';
import { podTemplateHash, replicaSetPodName } from '../scenario/workloads.ts';

export interface Changed {
  scenario: Scenario;
  /** What happened, in words, from the engine's result. */
  changes: string[];
  /** What the engine warns of, typed (e.g. two containers on one port). */
  warnings?: PodpathWarning[];
}

function podsOf(s: Scenario, d: { namespace: string; name: string }): PodSpec[] {
  return s.pods.filter((p) => p.ownerKind === 'Deployment' && p.ownerName === d.name && p.namespace === d.namespace);
}

const where = (p: PodSpec) => `on ${p.nodeName} (${p.podIP})`;

/** Add `count` pods to a Deployment, made like `model` (one of its pods), as its ReplicaSet would. */
function addReplicas(s: Scenario, d: { namespace: string; name: string }, count: number, model: PodSpec, avoid: ReadonlySet<string>): Result<Changed> {
  const own = podsOf(s, d);
  const hash = model.labels['pod-template-hash'] ?? podTemplateHash({});
  const taken = new Set([...s.pods.filter((p) => p.namespace === d.namespace).map((p) => p.name), ...avoid]);
  const added: PodSpec[] = [];
  for (let index = own.length; added.length < count; index++) {
    const name = replicaSetPodName(d.namespace, d.name, hash, index, taken);
    taken.add(name);
    added.push({ namespace: d.namespace, name, labels: { ...model.labels }, ports: model.ports.map((p) => ({ ...p })), ownerKind: 'Deployment', ownerName: d.name });
  }
  const r = allocate({ ...s, pods: [...s.pods, ...added] });
  if (!r.ok) return r;
  const made = r.value.pods.slice(-added.length);
  return ok({ scenario: r.value, changes: made.map((p) => `the ReplicaSet of Deployment ${d.namespace}/${d.name} made pod ${p.name} ${where(p)}`) }, r.warnings);
}

/**
 * Which pods a ReplicaSet removes first when it scales down, when all its pods are
 * running and ready: a pod on the node holding the most of its pods, then the newest
 * (Kubernetes' ActivePodsWithRanks; it also weighs readiness, restarts and a
 * deletion-cost annotation, which podpath does not model, and it breaks ties among
 * pods of similar age at random, where podpath takes the one added last).
 */
function scaleDownOrder(pods: PodSpec[]): PodSpec[] {
  const onNode = new Map<string, number>();
  for (const p of pods) onNode.set(p.nodeName ?? '', (onNode.get(p.nodeName ?? '') ?? 0) + 1);
  return pods
    .map((p, i) => ({ p, i }))
    .sort((a, b) => onNode.get(b.p.nodeName ?? '')! - onNode.get(a.p.nodeName ?? '')! || b.i - a.i)
    .map((x) => x.p);
}

/** `kubectl scale deployment/NAME --replicas=N`. */
export function scaleDeployment(s: Scenario, d: { namespace: string; name: string }, replicas: number): Result<Changed> {
  const own = podsOf(s, d);
  if (own.length === 0) {
    return fail([{ document: `Deployment/${d.namespace}/${d.name}`, field: 'metadata.name', reason: `there is no Deployment ${d.namespace}/${d.name} with pods in this cluster` }]);
  }
  if (replicas === own.length) return ok({ scenario: s, changes: [`Deployment ${d.namespace}/${d.name} already has ${replicas} pod${replicas === 1 ? '' : 's'}`] });
  if (replicas > own.length) return addReplicas(s, d, replicas - own.length, own[0], new Set());
  if (replicas === 0) {
    return fail([{ document: `Deployment/${d.namespace}/${d.name}`, field: 'spec.replicas', reason: 'podpath cannot scale a Deployment to 0 pods: it knows a Deployment only by its pods and keeps no pod template, so it could not scale it up again' }]);
  }
  const going = scaleDownOrder(own).slice(0, own.length - replicas);
  let now = s;
  const changes: string[] = [];
  for (const p of going) {
    const r = remove(now, 'pod', objectKey(p));
    if (!r.ok) return r;
    now = r.value;
    changes.push(`the ReplicaSet of Deployment ${d.namespace}/${d.name} deleted pod ${p.name} ${where(p)}`);
  }
  return ok({ scenario: now, changes });
}

/**
 * `kubectl delete pod`: the pod goes; a Deployment's pod is replaced at once by its
 * ReplicaSet with a new pod (a new name, a new address, wherever the scheduler puts it).
 */
export function deletePod(s: Scenario, key: string): Result<Changed> {
  const pod = s.pods.find((p) => objectKey(p) === key);
  const r = remove(s, 'pod', key);
  if (!r.ok || !pod) return r.ok ? ok({ scenario: r.value, changes: [] }) : r;
  const gone = `deleted pod ${key} ${where(pod)}`;
  if (pod.ownerKind !== 'Deployment' || !pod.ownerName) return ok({ scenario: r.value, changes: [gone] }, r.warnings);
  // The ReplicaSet makes the new pod from the same template as the one deleted.
  const back = addReplicas(r.value, { namespace: pod.namespace, name: pod.ownerName }, 1, pod, new Set([pod.name]));
  if (!back.ok) return back;
  return ok({ scenario: back.value.scenario, changes: [gone, ...back.value.changes.map((c) => `${c}, to replace it`)] }, back.warnings);
}
