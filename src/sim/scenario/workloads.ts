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
  /** The template's probe ports no container declares (probes.ts): its pods listen there. */
  probePorts?: number[];
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

const SUFFIX_LENGTH = 5;
/** How many suffixes there are: 27^5 = 14,348,907 (MAX_PODS in limits.ts stays far below it). */
export const SUFFIX_SPACE = SAFE_ALPHABET.length ** SUFFIX_LENGTH;
/** Not a multiple of 3, so coprime to 27^5: stepping by it visits every suffix once before coming back. */
const SUFFIX_STRIDE = 5_021_119;
/** Salted first choices tried before the walk (kept from podpath's earlier rule). */
const SALTED_TRIES = 16;

/** Suffix number n (0 ≤ n < 27^5), written in the safe alphabet. */
function suffixNumber(n: number): string {
  let out = '';
  for (let i = 0; i < SUFFIX_LENGTH; i++) {
    out += SAFE_ALPHABET[n % SAFE_ALPHABET.length];
    n = Math.floor(n / SAFE_ALPHABET.length);
  }
  return out;
}

/**
 * PREFIX + a 5-character suffix derived from `seed` that is not in `taken`. The first
 * choices are the seed's own suffix, then a few salted ones (digits of a hash mapped
 * into the alphabet, which reach only ~90,000 of the 27^5 suffixes, so salting alone
 * looped forever past 89,684 replicas); when those are taken, the whole 27^5 are
 * walked from a point the seed picks, each suffix at most once, so a name is found
 * whenever fewer than 27^5 are taken and the walk always ends.
 */
function uniqueSuffixedName(prefix: string, seed: string, taken: ReadonlySet<string>): string {
  const first = `${prefix}${suffix(seed)}`;
  if (!taken.has(first)) return first;
  // Salted seeds next, a few times, as podpath always did (lessons name the pods this gives).
  for (let salt = 0; salt < SALTED_TRIES; salt++) {
    const name = `${prefix}${suffix(`${seed}/${salt}`)}`;
    if (!taken.has(name)) return name;
  }
  const start = fnv32a(`${seed}#`) % SUFFIX_SPACE;
  for (let k = 0; k < SUFFIX_SPACE; k++) {
    const name = `${prefix}${suffixNumber((start + k * SUFFIX_STRIDE) % SUFFIX_SPACE)}`;
    if (!taken.has(name)) return name;
  }
  // Unreachable: the parser refuses more than MAX_PODS pods, far fewer than 27^5.
  throw new RangeError(`every one of the ${SUFFIX_SPACE} names ${prefix}<5 characters> is taken`);
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
  if (w.probePorts?.length) p.probePorts = [...w.probePorts];
  const node = nodeName ?? w.nodeName;
  if (node) p.nodeName = node;
  return p;
}

export function expandWorkload(w: Workload, nodes: NodeSpec[]): PodSpec[] {
  const pods: PodSpec[] = [];
  if (w.kind === 'DaemonSet') {
    // Thousands of nodes would give two of them the same first-choice suffix.
    const used = new Set<string>();
    for (const n of nodes) {
      const name = uniqueSuffixedName(`${w.name}-`, `${w.namespace}/${w.name}/${n.name}`, used);
      used.add(name);
      pods.push(pod(w, name, {}, n.name));
    }
    return pods;
  }
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
 * NAME-<pod-template-hash>-<5 chars>, another suffix when that name is in `taken`
 * (the API server's generateName retries a name that exists).
 */
export function replicaSetPodName(namespace: string, name: string, hash: string, index: number, taken: ReadonlySet<string>): string {
  return uniqueSuffixedName(`${name}-${hash}-`, `${namespace}/${name}/${index}`, taken);
}
