// What a compiled cluster found by scanning the pods (a node's pods, the pod of a
// name, whether a node has any), kept for the next compile. The playground compiles
// after every edit, and a trace asks about two or three pods and nodes: scanning
// 10,000 pods for each was a third of an edit's time. An edit changes a few pods in
// one place of the list (edits share every pod they do not change), so an answer
// about a node or a name that no pod in that place has is the same answer.
import { editedSpan } from '../util/editedSpan.ts';
import type { PodSpec } from '../model.ts';
import { objectKey } from '../model.ts';

/** Beyond this many pods in the edited place, nothing is kept. */
const MAX_EDITED = 64;

export interface PodLookups {
  /** A node's pods, in document order (the node must exist). */
  readonly onNode: Map<string, PodSpec[]>;
  /** Whether any pod is bound to the node. */
  readonly hasPods: Map<string, boolean>;
  /** The last pod of `namespace/name`, or undefined when none. */
  readonly named: Map<string, PodSpec | undefined>;
}

let kept: { pods: readonly PodSpec[]; lookups: PodLookups } | undefined;

/** Forget what was kept (tests compare with a compile from nothing). */
export function forgetPodLookups(): void {
  kept = undefined;
}

/**
 * The pods of `before` and `after` in the place where the two lists differ: after
 * their common start and before their common end (by object), both versions. Every
 * pod outside it is the same object at the same place relative to the others.
 * Undefined when that place holds more than `limit` pods.
 */
export function editedPlace(before: readonly PodSpec[], after: readonly PodSpec[], limit = MAX_EDITED): PodSpec[] | undefined {
  const { start, endBefore, endAfter } = editedSpan(before, after);
  if (endBefore - start + (endAfter - start) > limit) return undefined;
  return before.slice(start, endBefore).concat(after.slice(start, endAfter));
}

/** The lookups for a compile of `pods`: those of the last compile that the edit between them cannot have changed. */
export function podLookupsFor(pods: readonly PodSpec[]): PodLookups {
  if (kept?.pods === pods) return kept.lookups;
  const lookups: PodLookups = { onNode: new Map(), hasPods: new Map(), named: new Map() };
  const edited = kept ? editedPlace(kept.pods, pods) : undefined;
  if (kept && edited) {
    const nodes = new Set<string | undefined>();
    const names = new Set<string>();
    for (const p of edited) {
      nodes.add(p.nodeName);
      names.add(objectKey(p));
    }
    for (const [node, list] of kept.lookups.onNode) if (!nodes.has(node)) lookups.onNode.set(node, list);
    for (const [node, has] of kept.lookups.hasPods) if (!nodes.has(node)) lookups.hasPods.set(node, has);
    for (const [key, pod] of kept.lookups.named) if (!names.has(key)) lookups.named.set(key, pod);
  }
  kept = { pods, lookups };
  return lookups;
}
