// Recording a lesson: what a teacher did to the cluster, read back as the changes a
// lesson step can make (src/sim/lesson/types.ts: a CNI switch, delete, addPod,
// hostPort, scale, move). The playground's edits are found by comparing the cluster before
// and after, so it does not matter which control made them (the Inspector, the canvas,
// undo). What a lesson step cannot make yet (a rename, new labels, a new node or
// Service, another kube-proxy mode) is said, typed, so the teacher knows it was left out.
import { objectKey, type CniMode, type PodSpec, type Scenario } from '../model.ts';
import type { LessonEdit } from './types.ts';

/** A change the lesson format has no step for: what it was, for the teacher. */
export interface Unrecorded {
  code: 'not-a-lesson-step';
  what: string;
}

export interface RecordedChange {
  cni?: CniMode;
  edits: LessonEdit[];
  unrecorded: Unrecorded[];
}

const skip = (what: string): Unrecorded => ({ code: 'not-a-lesson-step', what });
const portsText = (p: PodSpec) => p.ports.map((x) => `${x.containerPort}/${x.protocol}${x.hostPort ? `:${x.hostPort}` : ''}`).join(',');
const sameLabels = (a: Record<string, string>, b: Record<string, string>) => JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

/** The lesson edits that take `before` to `after`, and what no lesson step can do. */
export function changesBetween(before: Scenario, after: Scenario): RecordedChange {
  const out: RecordedChange = { edits: [], unrecorded: [] };
  if (before === after) return out;
  const bc = before.cluster;
  const ac = after.cluster;
  // A CNI switch makes every pod anew (new addresses): the pods are compared after it by name only.
  if (ac.cni !== bc.cni) out.cni = ac.cni;
  if (ac.kubeProxy !== bc.kubeProxy) out.unrecorded.push(skip(`kube-proxy mode ${ac.kubeProxy}`));
  if (ac.podCIDR !== bc.podCIDR || ac.serviceCIDR !== bc.serviceCIDR || ac.nodeNetwork !== bc.nodeNetwork || ac.nodeCIDRMaskSize !== bc.nodeCIDRMaskSize) {
    out.unrecorded.push(skip('the cluster address ranges'));
  }

  const nodesAfter = new Set(after.nodes.map((n) => n.name));
  const goneNodes = before.nodes.filter((n) => !nodesAfter.has(n.name)).map((n) => n.name);
  for (const name of goneNodes) out.edits.push({ kind: 'delete', target: { kind: 'node', name } });
  const nodesBefore = new Set(before.nodes.map((n) => n.name));
  for (const n of after.nodes) if (!nodesBefore.has(n.name)) out.unrecorded.push(skip(`adding node ${n.name}`));

  const podsAfter = new Map(after.pods.map((p) => [objectKey(p), p]));
  const podsBefore = new Map(before.pods.map((p) => [objectKey(p), p]));
  // A Deployment's pods come and go through its ReplicaSet: fewer or more of them is a
  // scale; as many new as gone is a pod deleted and replaced (a lesson's delete does both).
  const handled = new Set<string>();
  const deployments = new Set([...before.pods, ...after.pods].filter((p) => p.ownerKind === 'Deployment').map((p) => `${p.namespace}/${p.ownerName}`));
  for (const d of deployments) {
    const own = (p: PodSpec) => p.ownerKind === 'Deployment' && `${p.namespace}/${p.ownerName}` === d;
    const gone = before.pods.filter((p) => own(p) && !podsAfter.has(objectKey(p)) && !goneNodes.includes(p.nodeName ?? ''));
    const added = after.pods.filter((p) => own(p) && !podsBefore.has(objectKey(p)));
    if (!gone.length && !added.length) continue;
    const [namespace, name] = [d.slice(0, d.indexOf('/')), d.slice(d.indexOf('/') + 1)];
    const replicas = after.pods.filter(own).length;
    if (gone.length === added.length) for (const p of gone) out.edits.push({ kind: 'delete', target: { kind: 'pod', namespace: p.namespace, name: p.name } });
    else if ((gone.length === 0 || added.length === 0) && replicas >= 1) out.edits.push({ kind: 'scale', deployment: { namespace, name }, replicas });
    else continue;
    for (const p of [...gone, ...added]) handled.add(objectKey(p));
  }
  for (const [key, p] of podsBefore) {
    if (handled.has(key)) continue;
    const now = podsAfter.get(key);
    if (!now) {
      // Deleting a node deletes its pods with it: one edit says both.
      if (!goneNodes.includes(p.nodeName ?? '')) out.edits.push({ kind: 'delete', target: { kind: 'pod', namespace: p.namespace, name: p.name } });
      continue;
    }
    if (now.nodeName && now.nodeName !== p.nodeName) out.edits.push({ kind: 'move', pod: { namespace: p.namespace, name: p.name }, node: now.nodeName });
    if (!sameLabels(p.labels, now.labels)) out.unrecorded.push(skip(`new labels on pod ${key}`));
    if (portsText(p) !== portsText(now)) {
      // A hostPort set on a port the pod already had is a lesson's hostPort edit; other port changes are not.
      const same = p.ports.length === now.ports.length && p.ports.every((x, i) => x.containerPort === now.ports[i].containerPort && x.protocol === now.ports[i].protocol);
      const published = same ? now.ports.filter((x, i) => x.hostPort && x.hostPort !== p.ports[i].hostPort) : [];
      const unpublished = same && now.ports.some((x, i) => !x.hostPort && p.ports[i].hostPort);
      if (same && published.length && !unpublished) {
        for (const x of published) out.edits.push({ kind: 'hostPort', pod: { namespace: p.namespace, name: p.name }, containerPort: x.containerPort, protocol: x.protocol, hostPort: x.hostPort! });
      } else out.unrecorded.push(skip(`new ports on pod ${key}`));
    }
  }
  for (const [key, p] of podsAfter) {
    if (podsBefore.has(key) || handled.has(key)) continue;
    if (!p.nodeName) {
      out.unrecorded.push(skip(`adding pod ${key} without a node`));
      continue;
    }
    out.edits.push({ kind: 'addPod', namespace: p.namespace, name: p.name, node: p.nodeName, labels: { ...p.labels }, ports: p.ports.map((x) => ({ ...x })) });
  }

  const svcAfter = new Map(after.services.map((v) => [objectKey(v), v]));
  const svcBefore = new Map(before.services.map((v) => [objectKey(v), v]));
  for (const [key, v] of svcBefore) {
    const now = svcAfter.get(key);
    if (!now) out.edits.push({ kind: 'delete', target: { kind: 'service', namespace: v.namespace, name: v.name } });
    else if (JSON.stringify({ ...v, clusterIP: undefined }) !== JSON.stringify({ ...now, clusterIP: undefined })) out.unrecorded.push(skip(`changes to Service ${key}`));
  }
  for (const key of svcAfter.keys()) if (!svcBefore.has(key)) out.unrecorded.push(skip(`adding Service ${key}`));
  return out;
}
