// The layouts `kubectl cluster-info dump` (and support bundles built on it) write,
// turned into what the scenario parser reads:
//
//   stdout      NodeList, then per namespace EventList, ReplicationControllerList,
//               ServiceList, DaemonSetList, DeploymentList, ReplicaSetList, PodList,
//               each a pretty-printed JSON value written straight after the last (not
//               a JSON array), with every pod's logs between them in
//               `==== START logs for container C of pod NS/NAME ====` … `==== END … ====`
//               blocks. With `-o yaml` the values are YAML documents split by `---`.
//   directory   DIR/nodes.json, DIR/NS/{events,replication-controllers,services,
//               daemonsets,deployments,replicasets,pods}.json, DIR/NS/POD/logs.txt.
//
// kubectl prints the typed clientset's lists: the List has its kind (NodeList), its
// items have none (the client drops TypeMeta), so an item's kind is the List's
// without "List". Older kubectl printed its internal types: `Items` with a capital I
// and each object's metadata flattened into it; that is refused, saying what it is.
import type { PodpathIssue } from '../errors.ts';
import type { Scenario } from '../model.ts';

type Obj = Record<string, unknown>;

/** One file given to the parser: what it is called (as the person named it) and its text. */
export interface ScenarioFile {
  name: string;
  text: string;
}

/**
 * For a scenario read from several files: the file each document (`Pod/NS/NAME`) is
 * in, so that what IPAM later finds wrong with one can name its file too.
 */
export const documentFiles = new WeakMap<Scenario, ReadonlyMap<string, string>>();

/** The issue with its file named, when the document is one of those files' (a workload's pod counts as its workload's). */
export function inItsFile(issue: PodpathIssue, files: ReadonlyMap<string, string> | undefined): PodpathIssue {
  const file = issue.file ?? files?.get(issue.document.split(' (its pod ')[0]);
  return file === undefined ? issue : { ...issue, file };
}

// kubectl's clusterinfo_dump.go writes these two lines around each container's logs.
const LOG_START = /^==== START logs for container .* of pod .*====\s*$/;
const LOG_END = /^==== END logs for container .* of pod .*====\s*$/;

/**
 * The text with every pod-log block blanked: each of its lines becomes empty, so a
 * YAML error's line number still points into the file as the person has it.
 */
export function blankPodLogs(text: string): string {
  if (!text.includes('==== START logs for container ')) return text;
  const lines = text.split('\n');
  let inLogs = false;
  for (let i = 0; i < lines.length; i++) {
    if (!inLogs && LOG_START.test(lines[i])) inLogs = true;
    if (inLogs) {
      // A log line can look like anything, even like the end marker of another pod: only the END line closes.
      const closes = LOG_END.test(lines[i]);
      lines[i] = '';
      if (closes) inLogs = false;
    }
  }
  return lines.join('\n');
}

/**
 * Several JSON values written one after another (`{…}\n{…}`), as kubectl's JSON
 * printer writes a dump to stdout, rewritten as one JSON array with the same line
 * breaks. Undefined when the text is not such a run of two or more objects (one
 * value, YAML, or not JSON at all), so the caller reads it as it did.
 */
export function concatenatedJsonAsArray(text: string): string | undefined {
  // A second value starts a line (kubectl prints each from column 0, and a JSON string
  // holds no raw newline); one value, pretty or minified, never does: no scan for it.
  if (!text.trimStart().startsWith('{') || !text.includes('\n{')) return undefined;
  const starts: number[] = [];
  const ends: number[] = [];
  let i = 0;
  const n = text.length;
  const space = (c: number) => c === 32 || c === 10 || c === 13 || c === 9;
  while (i < n) {
    while (i < n && space(text.charCodeAt(i))) i++;
    if (i >= n) break;
    if (text.charCodeAt(i) !== 123 /* { */) return undefined;
    starts.push(i);
    // Scan to the brace that closes this object; braces inside strings do not count.
    let depth = 0;
    let inString = false;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (inString) {
        if (c === 92 /* \ */) i++;
        else if (c === 34 /* " */) inString = false;
      } else if (c === 34) inString = true;
      else if (c === 123 || c === 91) depth++;
      else if (c === 125 || c === 93) {
        depth--;
        if (depth === 0) break;
      }
    }
    if (i >= n) return undefined; // unterminated: let the JSON reader say where
    ends.push(++i);
  }
  if (starts.length < 2) return undefined;
  // `[` before the first, `,` after each but the last, `]` after the last: lines unchanged.
  let out = '[';
  let at = 0;
  for (let k = 0; k < ends.length; k++) {
    out += text.slice(at, ends[k]) + (k < ends.length - 1 ? ',' : ']');
    at = ends[k];
  }
  return out + text.slice(at);
}

/** A dump's text as the parser reads it: pod logs blanked, a run of JSON values as one array. */
export function dumpText(text: string): string {
  const blanked = blankPodLogs(text);
  return concatenatedJsonAsArray(blanked) ?? blanked;
}

/**
 * The kind of an item of this List, when the item says none: kubectl's typed lists
 * (NodeList, PodList…) print their items without kind. A plain `kind: List` (what
 * `kubectl get -o yaml` prints) names each item's kind itself, so has none to give.
 */
export function itemKindOfList(listKind: string): string | undefined {
  return listKind !== 'List' && listKind.endsWith('List') ? listKind.slice(0, -'List'.length) : undefined;
}


// Go's field names, as encoding/json prints a struct without json tags: kubectl's internal types.
const INTERNAL_FIELDS = ['Items', 'ObjectMeta', 'TypeMeta', 'ListMeta', 'Spec', 'Status'];

/**
 * Why this document is kubectl's old internal format and cannot be read, or
 * undefined when it is not. Such a dump has `Items` rather than `items`, and each
 * object's metadata (name, namespace…) at its top level beside `Spec` and `Status`.
 */
export function internalFormatIssue(doc: Obj, document: string): PodpathIssue | undefined {
  const field = INTERNAL_FIELDS.find((f) => f in doc && !(f.toLowerCase() in doc));
  if (!field) return undefined;
  return {
    code: 'internal-format',
    document,
    field,
    reason:
      `this is kubectl's old internal format (Go field names such as "${field}", metadata flattened into each object), which no current kubectl or API server writes; ` +
      'podpath reads the API format: dump the cluster again with `kubectl cluster-info dump` or `kubectl get nodes,pods,services -A -o yaml`',
  };
}

const listed = (xs: string[], most = 4) => (xs.length > most ? `${xs.slice(0, most).join(', ')} and ${xs.length - most} more` : xs.join(', '));

/** Several files in kubectl's old internal format (an old dump directory), as one issue naming them. */
export function internalFormatInFiles(issues: PodpathIssue[]): PodpathIssue {
  const files = issues.map((i) => i.file ?? i.document);
  return {
    code: 'internal-format',
    document: '',
    field: '',
    reason:
      `${files.length} files are kubectl's old internal format (Go field names such as "Items", metadata flattened into each object), which no current kubectl or API server writes: ${listed(files)}; ` +
      'podpath reads the API format: dump the cluster again with `kubectl cluster-info dump` or `kubectl get nodes,pods,services -A -o yaml`',
  };
}

/** The nodes the pods are bound to (spec.nodeName), sorted. */
export function nodesNamedByPods(pods: readonly { nodeName?: string }[]): string[] {
  const names = new Set<string>();
  for (const p of pods) if (p.nodeName !== undefined) names.add(p.nodeName);
  return [...names].sort();
}

/**
 * Pods bound to nodes that the input does not hold, and no Node documents at all: a
 * dump read without its nodes (nodes.json left out, or `kubectl get pods` alone).
 * One issue saying so, instead of one "node does not exist" per pod.
 */
export function nodesMissingIssue(nodes: string[], pods: readonly { nodeName?: string }[]): PodpathIssue {
  const bound = pods.filter((p) => p.nodeName !== undefined).length;
  return {
    code: 'nodes-missing',
    nodes,
    document: '',
    field: '',
    reason:
      `${bound} ${bound === 1 ? 'pod runs' : 'pods run'} on ${nodes.length === 1 ? 'node' : 'nodes'} ${listed(nodes)}, but the input holds no Node documents, so their addresses and pod ranges are not known: ` +
      'add the nodes (`kubectl get nodes -o yaml`, or the nodes.json of a `kubectl cluster-info dump --output-directory`)',
  };
}
