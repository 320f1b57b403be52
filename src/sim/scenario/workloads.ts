// Workloads become pods, named the way their controllers name them:
//   Deployment  NAME-<pod-template-hash>-<5 chars>   (via its ReplicaSet)
//   StatefulSet NAME-0 … NAME-(n-1)
//   DaemonSet   NAME-<5 chars>, one per node
//   ReplicaSet  NAME-<5 chars> (a ReplicaSet of its own, no Deployment over it)
// The random parts are derived from the names (FNV-1a, encoded with the same
// vowel-free alphabet as Kubernetes' rand.SafeEncodeString), so a file always
// gives the same pods.
import type { ContainerPort, NodeSpec, PodSpec } from '../model.ts';

export interface Workload {
  kind: 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'ReplicaSet';
  namespace: string;
  name: string;
  replicas: number;
  labels: Record<string, string>;
  ports: ContainerPort[];
  template: unknown;
  nodeName?: string;
}

const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function fnv32a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Like rand.SafeEncodeString over the decimal hash: digits mapped into the safe alphabet. */
function safeEncode(n: number, length?: number): string {
  const s = [...String(n)].map((d, i) => SAFE_ALPHABET[(Number(d) * 7 + i) % SAFE_ALPHABET.length]).join('');
  return length ? s.padEnd(length, 'x').slice(0, length) : s;
}

/** The pod-template-hash label a Deployment's ReplicaSet carries. */
export function podTemplateHash(template: unknown): string {
  return safeEncode(fnv32a(JSON.stringify(template ?? {})));
}

function suffix(seed: string): string {
  return safeEncode(fnv32a(seed), 5);
}

function pod(w: Workload, name: string, labels: Record<string, string>, nodeName?: string): PodSpec {
  const p: PodSpec = {
    namespace: w.namespace,
    name,
    labels: { ...w.labels, ...labels },
    ports: w.ports.map((x) => ({ ...x })),
    ownerKind: w.kind,
    ownerName: w.name,
  };
  const node = nodeName ?? w.nodeName;
  if (node) p.nodeName = node;
  return p;
}

export function expandWorkload(w: Workload, nodes: NodeSpec[]): PodSpec[] {
  if (w.kind === 'DaemonSet') return nodes.map((n) => pod(w, `${w.name}-${suffix(`${w.namespace}/${w.name}/${n.name}`)}`, {}, n.name));
  const pods: PodSpec[] = [];
  if (w.kind === 'StatefulSet') {
    for (let i = 0; i < w.replicas; i++) {
      pods.push(pod(w, `${w.name}-${i}`, { 'statefulset.kubernetes.io/pod-name': `${w.name}-${i}`, 'apps.kubernetes.io/pod-index': String(i) }));
    }
    return pods;
  }
  if (w.kind === 'ReplicaSet') {
    const used = new Set<string>();
    for (let i = 0; i < w.replicas; i++) {
      let name = `${w.name}-${suffix(`${w.namespace}/${w.name}/${i}`)}`;
      for (let salt = 0; used.has(name); salt++) name = `${w.name}-${suffix(`${w.namespace}/${w.name}/${i}/${salt}`)}`;
      used.add(name);
      pods.push(pod(w, name, {}));
    }
    return pods;
  }
  const hash = podTemplateHash(w.template);
  const used = new Set<string>();
  for (let i = 0; i < w.replicas; i++) {
    const name = replicaSetPodName(w.namespace, w.name, hash, i, used);
    used.add(name);
    pods.push(pod(w, name, { 'pod-template-hash': hash }));
  }
  return pods;
}

/**
 * The name a Deployment's ReplicaSet gives its pod number `index`:
 * NAME-<pod-template-hash>-<5 chars>, salted until it is not in `taken` (the API
 * server's generateName retries a name that exists).
 */
export function replicaSetPodName(namespace: string, name: string, hash: string, index: number, taken: ReadonlySet<string>): string {
  let pod = `${name}-${hash}-${suffix(`${namespace}/${name}/${index}`)}`;
  for (let salt = 0; taken.has(pod); salt++) pod = `${name}-${hash}-${suffix(`${namespace}/${name}/${index}/${salt}`)}`;
  return pod;
}
