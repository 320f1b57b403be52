// What podpath refuses to read, and why: a file is input from anywhere (a dump, a
// share link, a mutated file from a fuzzer), and a limit reached must be one clear
// error, never a crash, a hang, or a browser tab out of memory. Each limit is far
// above what a real cluster needs.
import type { CST } from 'yaml';

/**
 * The most pods a scenario may hold, Pod documents and the pods its workloads make
 * together. Issue 10 asks for 150,000 pods on 5,000 nodes to work; this leaves room
 * above that, and stays far below the 27^5 names a ReplicaSet's 5-character suffix
 * can take (workloads.ts), so a Deployment's pod names are always unique.
 */
export const MAX_PODS = 250_000;

/**
 * How deep a document may nest maps and lists. A Kubernetes object is rarely 20
 * deep (a CRD's schema perhaps 60); every walk over a document (the YAML library's
 * own, the pod-template hash, List flattening) is recursive, and a call stack
 * overflows at a few thousand levels, so a deeper document is refused before any
 * of them runs.
 */
export const MAX_NESTING = 256;

/**
 * How many times YAML aliases may be expanded (the yaml library's maxAliasCount):
 * a "billion laughs" file expands a few lines into gigabytes.
 */
export const MAX_ALIAS_EXPANSIONS = 1000;

/** How many pods that did not fit are named one by one; beyond it, one sentence says how many. */
export const MAX_LISTED_PODS = 10;

type Obj = Record<string, unknown>;

/**
 * How deep a parsed value nests, stopping as soon as it passes `limit`. A scalar is
 * depth 0, `{}` or `[]` depth 1. It recurses, but never deeper than `limit` + 1
 * calls, however deep the value; and it allocates nothing per value (a 150,000-pod
 * file holds over a million maps and lists: a stack of [value, depth] pairs and an
 * Object.values array for each cost 0.2 s and the garbage collector's time).
 */
export function nestingDepth(value: unknown, limit = MAX_NESTING): number {
  if (typeof value !== 'object' || value === null) return 0;
  return deepestBelow(value, 1, limit);
}

/** The depth of the deepest map or list inside `v` (itself at `depth`), or the first depth past `limit`. */
function deepestBelow(v: object, depth: number, limit: number): number {
  if (depth > limit) return depth;
  let deepest = depth;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const child: unknown = v[i];
      if (typeof child !== 'object' || child === null) continue;
      const d = deepestBelow(child, depth + 1, limit);
      if (d > deepest && (deepest = d) > limit) return d;
    }
    return deepest;
  }
  // for…in, not Object.values: no array per map. A parsed map (JSON.parse, the YAML
  // reader's toJS) is a plain object: its enumerable keys are its own.
  for (const key in v) {
    const child: unknown = (v as Obj)[key];
    if (typeof child !== 'object' || child === null) continue;
    const d = deepestBelow(child, depth + 1, limit);
    if (d > deepest && (deepest = d) > limit) return d;
  }
  return deepest;
}

/** The issue code of a number YAML or JSON holds that is not finite (.inf, .nan, 1e400), or undefined. */
export function notFinite(v: unknown): 'not-finite-number' | undefined {
  return typeof v === 'number' && !Number.isFinite(v) ? 'not-finite-number' : undefined;
}

/**
 * A value as it reads in an error message: numbers YAML and JSON cannot spell in
 * JSON (.inf, .nan, 1e400, which reads as infinity) as what they are rather than
 * JSON's "null", and long values cut short.
 */
export function shownValue(v: unknown): string {
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return '.nan (not a number)';
    if (v === Infinity) return 'infinity (.inf, or a number too large to hold, such as 1e400)';
    if (v === -Infinity) return 'minus infinity (-.inf, or a number too large to hold, such as -1e400)';
  }
  let text: string;
  try {
    text = JSON.stringify(v) ?? String(v);
  } catch {
    // Nesting is capped before any message is written; a value JSON cannot write still gets a name.
    text = Array.isArray(v) ? 'a list' : 'a map';
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * How deep a YAML document nests, read off the YAML library's concrete syntax tree
 * (which its parser builds without recursion) before the library composes it (which
 * recurses), so a document too deep is refused before anything overflows.
 */
export function yamlNestingDepth(token: CST.Token, limit = MAX_NESTING): number {
  let deepest = 0;
  const stack: [CST.Token, number][] = [[token, 0]];
  while (stack.length) {
    const [t, depth] = stack.pop()!;
    if (t.type === 'document') {
      if (t.value) stack.push([t.value, depth]);
      continue;
    }
    if (t.type !== 'block-map' && t.type !== 'block-seq' && t.type !== 'flow-collection') continue;
    const here = depth + 1;
    if (here > deepest) deepest = here;
    if (deepest > limit) return deepest;
    for (const item of t.items as CST.CollectionItem[]) {
      if (item.key) stack.push([item.key, here]);
      if (item.value) stack.push([item.value, here]);
    }
  }
  return deepest;
}
