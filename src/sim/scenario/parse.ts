// Reading scenario files: multi-document YAML, JSON, or a `kind: List` (what
// `kubectl get -o yaml` prints), of standard Kubernetes kinds plus one
// podpath.dev/v1alpha1 Cluster. Real manifests import as they are: unknown fields
// are ignored, unknown kinds skipped with a warning.
import { Composer, isAlias, isCollection, isMap, isSeq, Parser, visit, type Alias, type Document as YamlDocument, type Node as YamlNode } from 'yaml';
import {
  CNI_MODES,
  DEFAULT_CLUSTER,
  KUBE_PROXY_MODES,
  UNOFFERED_KUBE_PROXY_MODES,
  type ClusterSpec,
  type ContainerPort,
  type HostProcess,
  type NodeSpec,
  type PodSpec,
  type Protocol,
  type Scenario,
  type ServicePort,
  type ServiceSpec,
} from '../model.ts';
import { fail, ok, type PodpathIssue, type PodpathWarning, type Result } from '../errors.ts';
import { labelsProblem, nameProblem, portNameProblem, servicePortNamesProblem, type NamedKind } from '../names.ts';
import { expandWorkload, type Workload } from './workloads.ts';
import { NODE_PORT_MAX, NODE_PORT_MIN } from '../ipam/index.ts';
import { MAX_ALIAS_EXPANSIONS, MAX_NESTING, MAX_PODS, nestingDepth, notFinite, shownValue, yamlNestingDepth } from './limits.ts';
import { addressInUseText, portsInPodNetns, type AddressInUse, type ContainerPorts } from '../addressInUse.ts';
import { documentFiles, dumpText, internalFormatInFiles, internalFormatIssue, nodesMissingIssue, nodesNamedByPods, itemKindOfList, type ScenarioFile } from './dumpLayout.ts';
import { cniMasqueradeUnseen, leftOutPods, nodeGatewayAssumed, type LeftOutPod } from './leftOut.ts';
import { INFERABLE_FIELDS, inferCluster, inferOmittedFields, type InferableField } from './inferCluster.ts';
import { KINDS_READ, nearest, serviceTypos, unknownFields } from './knownFields.ts';
import { containersDownOf, PROBE_PORTS_ANNOTATION, probePortsOf, readProbePortsAnnotation } from './probes.ts';
import { addHostProcesses, HOST_PROCESSES_ANNOTATION, hostNetworkPodProcesses, kubeletProcess, readHostProcessesAnnotation } from './hostProcesses.ts';
import { controllerOf, resolveOwners, type ControllerRef, type OwnedWorkload } from './owners.ts';
import { readPodStatus } from './status.ts';
import { attachGivenEndpoints, readEndpoints, readEndpointSlice, type GivenSlice } from './givenEndpoints.ts';
import { hasFinished, podStateWord } from '../podStatus.ts';
import { calicoPoolProblems } from '../cni/calicoPoolRead.ts';
import { ciliumConfigProblems } from '../cni/ciliumConfigRead.ts';
import { calicoAffinities, isCalicoObject } from './calicoObjects.ts';
import { cniOf } from '../cni/index.ts';
import { readNetworkPolicy } from '../policy/read.ts';
import type { NetworkPolicy } from '../policy/types.ts';

/** The label the API server puts on every namespace (since 1.21): its own name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export const PODPATH_API_VERSION = 'podpath.dev/v1alpha1';
export const LAST_RESERVED_ANNOTATION = 'podpath.dev/host-local-last-reserved-ip';
export const OWNER_ANNOTATION = 'podpath.dev/owner';
/** A node that keeps cni0 without pods (see NodeSpec.cni0Created). */
export const CNI0_ANNOTATION = 'podpath.dev/cni0-created';
/** Calico's block affinities of a node (NodeSpec.calicoBlocks), comma-separated CIDRs. */
export const CALICO_BLOCKS_ANNOTATION = 'podpath.dev/calico-block-affinities';
/** Nodes a file without any Node gets. */
export const DEFAULT_NODE_NAMES = ['node-1', 'node-2', 'node-3'];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** How many of a file's first documents are asked whether they are kubectl's old internal format. */
const INTERNAL_FORMAT_LOOK = 16;
const SKIPPED_KINDS_QUIETLY = new Set(['ControllerRevision', 'Event']);
/** An IPv6 address (podpath models IPv4 only: such an address is said, never read as something else). */
const isIPv6 = (v: unknown): boolean => typeof v === 'string' && v.includes(':');

interface Located {
  doc: Obj;
  /** The line the document (or List item) starts on. */
  line?: number;
  /** Where each field is: the line of a field path inside this document, when read from YAML. */
  lineOfField?: (path: (string | number)[]) => number | undefined;
}

/** Line numbers for offsets into the text (computed once). */
function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

/** The line of the deepest node on a field path that exists in this YAML node. */
function fieldLocator(node: YamlNode | null | undefined, lineOf: (offset: number) => number) {
  return (path: (string | number)[]): number | undefined => {
    let at: unknown = node;
    let line: number | undefined;
    for (const key of path) {
      if (!isCollection(at)) break;
      const next: unknown = isSeq(at) && typeof key === 'number' ? at.items[key] : isMap(at) ? at.get(key, true) : undefined;
      if (!next || typeof next !== 'object' || !('range' in next) || !(next as YamlNode).range) break;
      at = next;
      line = lineOf((next as YamlNode).range![0]);
    }
    return line;
  };
}

/** Split the text into documents, with YAML errors as issues carrying line and column. */
function readDocuments(text: string, source: string): Result<Located[]> {
  const trimmed = text.trimStart();
  /** Why JSON.parse refused text that looks like JSON: said instead of the YAML reader's complaints, should it refuse too. */
  let jsonError: SyntaxError | undefined;
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let value: unknown;
    let isJson = true;
    try {
      value = JSON.parse(text);
    } catch (e) {
      // Not JSON after all (YAML flow style is valid YAML): fall through to the YAML reader.
      if (!(e instanceof SyntaxError)) throw e;
      isJson = false;
      jsonError = e;
    }
    if (isJson) {
      // JSON.parse does not recurse, but every walk after it does.
      if (nestingDepth(value) > MAX_NESTING) return fail([tooDeep(source)]);
      const docs = Array.isArray(value) ? value : [value];
      return noDocuments(docs.filter(isObj).map((doc) => ({ doc })), source);
    }
  }
  const issues: PodpathIssue[] = [];
  const docs: Located[] = [];
  const lineOf = lineIndex(text);
  const at = (offset: number) => {
    const line = lineOf(offset);
    return { line, column: offset - text.lastIndexOf('\n', offset - 1) };
  };
  // The concrete syntax tree first (built without recursion), so that a document
  // nested too deep is refused before the library composes it (which recurses).
  const tokens = Array.from(new Parser().parse(text));
  for (const t of tokens) {
    if (t.type === 'document' && yamlNestingDepth(t) > MAX_NESTING) return fail([{ ...tooDeep(source), line: lineOf(t.offset) }]);
  }
  // merge: kubectl's YAML reader (sigs.k8s.io/yaml, over go-yaml) applies `<<: *x` merge keys; so does podpath.
  for (const d of new Composer({ uniqueKeys: false, merge: true }).compose(tokens)) {
    if (d.errors.length) {
      for (const e of d.errors) {
        // RESOURCE_EXHAUSTION: the library's own call stack ran out (a backstop: the depth is checked above).
        if (e.code === 'RESOURCE_EXHAUSTION') issues.push({ ...tooDeep(source), ...at(e.pos[0]) });
        else issues.push({ code: 'yaml-syntax', document: source, field: '', reason: `YAML does not parse: ${e.message.split('\n')[0]}`, ...at(e.pos[0]) });
      }
      continue;
    }
    const aliases = readAliases(d);
    const bad = aliases.bad;
    if (bad) {
      const name = bad.alias.source;
      const where = bad.alias.range ? at(bad.alias.range[0]) : {};
      if (bad.circular) {
        issues.push({ code: 'yaml-alias-circular', alias: name, document: source, field: '', reason: `YAML alias *${name} is inside the value anchored &${name} that it repeats, so that value would contain itself without end`, ...where });
      } else {
        issues.push({ code: 'yaml-alias-unresolved', alias: name, document: source, field: '', reason: `YAML alias *${name} refers to no anchor &${name} before it (an alias repeats an anchored value; to write a value starting with *, quote it)`, ...where });
      }
      continue;
    }
    let value: unknown;
    try {
      value = d.toJS({ maxAliasCount: MAX_ALIAS_EXPANSIONS });
    } catch (e) {
      // Aliases inside aliases nest what each repeats: the stack ran out expanding them.
      if (e instanceof RangeError) {
        issues.push({ ...tooDeep(source), line: d.range ? lineOf(d.range[0]) : undefined });
        continue;
      }
      if (!(e instanceof Error)) throw e;
      if (!(e instanceof ReferenceError)) {
        // A merge key (`<<`) whose value is no map: the YAML reader says why.
        issues.push({ code: 'yaml-syntax', document: source, field: '', reason: `YAML does not read: ${e.message.split('\n')[0]}`, line: d.range ? lineOf(d.range[0]) : undefined });
        continue;
      }
      // Every alias has its anchor (checked above): the library refuses the expansion.
      issues.push({ code: 'yaml-alias-limit', limit: MAX_ALIAS_EXPANSIONS, document: source, field: '', reason: `its YAML aliases expand to more than ${MAX_ALIAS_EXPANSIONS} copies, which podpath refuses (a file that grows this way is an attack on the reader, not a cluster)`, line: d.range ? lineOf(d.range[0]) : undefined });
      continue;
    }
    if (value === null || value === undefined) continue; // an empty document, e.g. a trailing ---
    // An alias repeats its value where it stands, so the value can nest deeper than the text.
    if (aliases.count > 0 && nestingDepth(value) > MAX_NESTING) {
      issues.push({ ...tooDeep(source), line: d.range ? lineOf(d.range[0]) : undefined });
      continue;
    }
    if (Array.isArray(value) && value.length && value.every(isObj)) {
      // A sequence of objects: a JSON array that JSON.parse refused (a control character in a
      // string, as a terminal's line wrapping leaves in a copied dump) but YAML reads. Read
      // as the JSON path reads an array: each object a document.
      const locate = fieldLocator(d.contents, lineOf);
      value.forEach((doc: Obj, i) => docs.push({ doc, line: locate([i]), lineOfField: (path) => locate([i, ...path]) }));
      continue;
    }
    if (!isObj(value)) {
      issues.push({ document: source, field: '', reason: 'each document must be a mapping with apiVersion and kind', line: d.range ? lineOf(d.range[0]) : undefined });
      continue;
    }
    docs.push({ doc: value, line: d.range ? lineOf(d.range[0]) : undefined, lineOfField: fieldLocator(d.contents, lineOf) });
  }
  if (issues.length && jsonError && issues.every((i) => i.code === 'yaml-syntax')) {
    // A .json file cut short or broken: one JSON error where it is, not the YAML reader's guesses at it.
    const at = /position (\d+)/.exec(jsonError.message);
    const offset = at ? Number(at[1]) : text.length;
    const line = lineOf(offset);
    const column = offset - text.lastIndexOf('\n', offset - 1);
    return fail([{ code: 'yaml-syntax', document: source, field: '', reason: `JSON does not parse: ${jsonError.message.replace(/ in JSON at position \d+.*$/, '').replace(/^Unexpected end of JSON input$/, 'the text ends before the JSON does (cut short?)')}`, line, column }]);
  }
  return issues.length ? fail(issues) : noDocuments(docs, source);
}

function tooDeep(source: string): PodpathIssue {
  return { code: 'nested-too-deep', limit: MAX_NESTING, document: source, field: '', reason: `maps and lists are nested deeper than ${MAX_NESTING} levels, which podpath does not read (a Kubernetes object is rarely 20 deep)` };
}

/** A file with nothing in it is refused: an empty cluster read from it silently would hide the mistake (the wrong file, a failed download). */
function noDocuments(docs: Located[], source: string): Result<Located[]> {
  if (docs.length) return ok(docs);
  return fail([{ code: 'no-documents', document: source, field: '', reason: 'the file holds no documents (it is empty, or only comments or ---)' }]);
}

/**
 * The first alias in a document that cannot be expanded: no anchor of its name before
 * it (in the order the library resolves them), or inside the very value it repeats
 * (`&a [*a]`, a value that contains itself, with no end to write or walk).
 */
function readAliases(doc: YamlDocument.Parsed): { bad?: { alias: Alias; circular: boolean }; count: number } {
  const anchors = new Map<string, unknown>();
  let found: { alias: Alias; circular: boolean } | undefined;
  let count = 0;
  visit(doc, {
    Node(_key, node, path) {
      if (isAlias(node)) {
        count++;
        const anchored = anchors.get(node.source);
        if (anchored === undefined || path.includes(anchored as never)) {
          found = { alias: node, circular: anchored !== undefined };
          return visit.BREAK;
        }
      } else if (node.anchor) anchors.set(node.anchor, node);
      return undefined;
    },
  });
  return { bad: found, count };
}

/** Flatten `kind: List` (and `kind: PodList` …) into their items. */
function flattenLists(docs: Located[]): Located[] {
  const out: Located[] = [];
  for (const d of docs) flattenInto(out, d);
  return out;
}

/** The document, or a List's items (and theirs), appended to `out` in order: no array per List. */
function flattenInto(out: Located[], d: Located): void {
  const kind = d.doc.kind;
  if (!(typeof kind === 'string' && kind.endsWith('List') && Array.isArray(d.doc.items))) {
    out.push(d);
    return;
  }
  // kubectl cluster-info dump: a PodList's items carry no kind (dumpLayout.ts); asked once per List, not per item.
  const itemKind = itemKindOfList(kind);
  const items: unknown[] = d.doc.items;
  // An item's fields are under items[i] in the List document (JSON has no lines: nothing to locate).
  const locate = d.lineOfField;
  // A loop, not push(...items): a 150,000-pod List would overflow the call stack.
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (!isObj(item)) continue;
    const doc = itemKind !== undefined && item.kind === undefined ? { ...item, kind: itemKind } : item;
    flattenInto(out, locate ? { doc, line: locate(['items', i]) ?? d.line, lineOfField: (path: (string | number)[]) => locate(['items', i, ...path]) } : { doc, line: d.line });
  }
}

const NO_ISSUES: readonly PodpathIssue[] = Object.freeze([]);

/** A document's missing map (no spec, no status), read as empty: one frozen object, not one per pod. */
const NO_FIELDS: Obj = Object.freeze({}) as Obj;

/** No labels (or annotations): one map shared by every object without any, frozen so that nothing can add to it. */
const NO_LABELS: Record<string, string> = Object.freeze({}) as Record<string, string>;

/** A reader for one document that records what is wrong with it instead of throwing. */
class DocReader {
  /** Made at the first problem: most documents of a large dump have none. */
  private found: PodpathIssue[] | undefined;
  /** Spelled out when first asked for (a problem, a note): not for each of 150,000 clean pods. */
  private spelled: string | undefined;
  constructor(
    private readonly doc: Obj,
    /** The document's number within its file, from 0. */
    private readonly index: number,
    private readonly line?: number,
    private readonly lineOfField?: Located['lineOfField'],
  ) {}

  /** The document as issues and notes name it: `Pod/NS/NAME`, or `document #N` without a kind. */
  get name(): string {
    return (this.spelled ??= documentName(this.doc, this.index));
  }

  get issues(): readonly PodpathIssue[] {
    return this.found ?? NO_ISSUES;
  }

  /** Record a problem, at the line of the field itself when the file says where it is. */
  problem(field: string, reason: string, code?: 'not-finite-number'): void {
    // `spec.containers[].ports[0].hostPort` → spec, containers (then the index is unknown).
    const path: (string | number)[] = [];
    for (const part of field.split('.')) {
      const m = /^([^[\]]*)((?:\[\d*\])*)$/.exec(part);
      if (!m) break;
      if (m[1]) path.push(m[1]);
      const idx = [...m[2].matchAll(/\[(\d*)\]/g)].map((x) => x[1]);
      if (idx.some((x) => x === '')) {
        path.push(...idx.slice(0, idx.indexOf('')).map(Number));
        break;
      }
      path.push(...idx.map(Number));
    }
    const line = (path.length ? this.lineOfField?.(path) : undefined) ?? this.line;
    (this.found ??= []).push({ document: this.name, field, reason, line, ...(code ? { code } : {}) });
  }

  string(v: unknown, field: string, required = false): string | undefined {
    if (v === undefined || v === null) {
      if (required) this.problem(field, 'is required');
      return undefined;
    }
    if (typeof v === 'number') return String(v);
    if (typeof v !== 'string') {
      this.problem(field, `must be a string, got ${shownValue(v)}`);
      return undefined;
    }
    return v;
  }

  port(v: unknown, field: string, required = false): number | undefined {
    if (v === undefined || v === null) {
      if (required) this.problem(field, 'is required');
      return undefined;
    }
    if (typeof v === 'string' && /^\d+$/.test(v)) {
      // The API server refuses it too: an int32 field, not a string.
      this.problem(field, `must be a number, got the string ${JSON.stringify(v)} (write it without quotes)`);
      return undefined;
    }
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 65535) {
      this.problem(field, `must be a port number 1-65535, got ${shownValue(v)}`, notFinite(v));
      return undefined;
    }
    return v;
  }

  protocol(v: unknown, field: string): Protocol | undefined {
    if (v === undefined || v === null) return 'TCP';
    if (v === 'TCP' || v === 'UDP') return v;
    if (v === 'SCTP') this.problem(field, 'SCTP is valid Kubernetes but podpath models TCP and UDP only');
    else this.problem(field, `must be TCP or UDP, got ${shownValue(v)}`);
    return undefined;
  }

  labels(v: unknown, field: string): Record<string, string> {
    if (v === undefined || v === null) return NO_LABELS;
    if (!isObj(v)) {
      this.problem(field, 'must be a map of key: value');
      return NO_LABELS;
    }
    // The file's own map when every value is a string already (a dump's 150,000 pods): no copy
    // to make and for the collector to carry. Nothing changes a scenario's labels in place.
    let allStrings = true;
    for (const k in v) {
      if (typeof v[k] !== 'string') {
        allStrings = false;
        break;
      }
    }
    if (allStrings) return v as Record<string, string>;
    const out: Record<string, string> = {};
    // for…in, not Object.entries: no pair array per label (150,000 pods' labels). A parsed map's keys are its own.
    for (const k in v) {
      const val = v[k];
      // A nested map or list is no label value; String() would make it "[object Object]".
      if (typeof val === 'object' && val !== null) {
        this.problem(`${field}.${k}`, `must be a string, got ${Array.isArray(val) ? 'a list' : 'a map'} (a label's value is one string)`);
        continue;
      }
      // A number or a boolean is no label value either: the API server refuses it (a label's
      // value is a JSON string), and String() would change some silently (1.0 → "1", 0x1F → "31").
      if (typeof val !== 'string') {
        this.problem(`${field}.${k}`, `must be a string, got ${shownValue(val)}: Kubernetes refuses a label value that is not a string (quote it in the file)`);
        continue;
      }
      out[k] = val;
    }
    return out;
  }

  list(v: unknown, field: string): Obj[] {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) {
      this.problem(field, 'must be a list');
      return [];
    }
    // The list itself when every item is a map (read only, never changed): no copy per pod's containers and ports.
    return v.every(isObj) ? (v as Obj[]) : v.filter(isObj);
  }
}

/** A map of labels (or a selector), checked by Kubernetes' rule for label keys and values. */
function readLabels(r: DocReader, v: unknown, field: string): Record<string, string> {
  const labels = r.labels(v, field);
  const problem = labelsProblem(labels);
  if (problem) r.problem(field, problem);
  return labels;
}

function metadataOf(r: DocReader, doc: Obj, kind: NamedKind): { name: string; namespace: string; labels: Record<string, string>; annotations: Record<string, string> } | undefined {
  const meta = isObj(doc.metadata) ? doc.metadata : NO_FIELDS;
  const name = r.string(meta.name, 'metadata.name', true);
  const nameBad = name === undefined ? undefined : nameProblem(kind, name);
  if (nameBad) r.problem('metadata.name', nameBad);
  const namespaced = kind !== 'Node' && kind !== 'Namespace';
  const namespace = namespaced ? (r.string(meta.namespace, 'metadata.namespace') ?? 'default') : '';
  const namespaceBad = namespaced ? nameProblem('Namespace', namespace) : undefined;
  if (namespaceBad) r.problem('metadata.namespace', namespaceBad);
  if (name === undefined) return undefined;
  return { name, namespace, labels: readLabels(r, meta.labels, 'metadata.labels'), annotations: r.labels(meta.annotations, 'metadata.annotations') };
}

/** The field paths of a container port, made once per place (150,000 pods would otherwise make six strings per port). */
interface PortFields {
  containers: string;
  ports: string;
  port: string;
  containerPort: string;
  protocol: string;
  hostPort: string;
  name: string;
}
const portFieldsMade = new Map<string, PortFields[][]>();
function portFields(prefix: string, ci: number, pi: number): PortFields {
  const make = (): PortFields => {
    const port = `${prefix}.containers[${ci}].ports[${pi}]`;
    return { containers: `${prefix}.containers`, ports: `${prefix}.containers[${ci}].ports`, port, containerPort: `${port}.containerPort`, protocol: `${port}.protocol`, hostPort: `${port}.hostPort`, name: `${port}.name` };
  };
  // Only the first places are kept: a hostile file's millionth port gets its names made, not remembered.
  if (ci >= 8 || pi >= 32) return make();
  let byContainer = portFieldsMade.get(prefix);
  if (!byContainer) portFieldsMade.set(prefix, (byContainer = []));
  const byPort = (byContainer[ci] ??= []);
  return (byPort[pi] ??= make());
}

/** Container ports of a pod spec, flattened over all containers (a pod listens on all of them). */
function readContainerPorts(r: DocReader, podSpec: Obj, prefix: string, notes?: Notes): ContainerPort[] {
  const containers = r.list(podSpec.containers, portFields(prefix, 0, 0).containers);
  // One container (most pods): its ports are the pod's, nothing can clash, no list of containers is made.
  if (containers.length === 1) return readPortsOf(r, containers[0], prefix, 0, notes);
  const declared: ContainerPorts[] = [];
  for (let ci = 0; ci < containers.length; ci++) {
    const c = containers[ci];
    declared.push({ name: typeof c.name === 'string' && c.name ? c.name : `containers[${ci}]`, ports: readPortsOf(r, c, prefix, ci, notes) });
  }
  // Two containers on one port: the pod is accepted, the second bind() fails (addressInUse.ts).
  const { ports, clashes } = portsInPodNetns(r.name, declared);
  notes?.addressInUse.push(...clashes);
  return ports;
}

/** The ports one container declares (containers[ci]). */
function readPortsOf(r: DocReader, c: Obj, prefix: string, ci: number, notes: Notes | undefined): ContainerPort[] {
  const ports: ContainerPort[] = [];
  const listed = r.list(c.ports, portFields(prefix, ci, 0).ports);
  for (let pi = 0; pi < listed.length; pi++) {
    const p = listed[pi];
    const field = portFields(prefix, ci, pi);
    const containerPort = r.port(p.containerPort, field.containerPort, true);
    const protocol = r.protocol(p.protocol, field.protocol);
    const hostPort = r.port(p.hostPort, field.hostPort);
    const name = r.string(p.name, field.name);
    const nameBad = name ? portNameProblem(name) : undefined;
    if (nameBad) r.problem(field.name, nameBad);
    if (containerPort === undefined || protocol === undefined) continue;
    if (hostPort && typeof p.hostIP === 'string' && p.hostIP !== '' && p.hostIP !== '0.0.0.0') {
      notes?.unmodelled.push(`${r.name}: hostIP ${p.hostIP} of hostPort ${hostPort} (traced as if the hostPort were open on every address of the node, which it is not)`);
    }
    // Built field by field, not spread from {} or { name }: two objects fewer per port of 150,000 pods.
    const port: ContainerPort = { containerPort, protocol };
    if (name) port.name = name;
    if (hostPort) port.hostPort = hostPort;
    ports.push(port);
  }
  return ports;
}

/**
 * One frozen list for all the pods that declare the same ports: a dump's 150,000 pods
 * declare a few hundred kinds, and two objects fewer per pod are two fewer for the
 * collector to carry. Nothing changes a pod's ports in place (an edit makes a new list);
 * frozen, anything that tried would throw.
 */
function sharedPorts(lists: Map<string, ContainerPort[]>, ports: ContainerPort[]): ContainerPort[] {
  let key = '';
  for (let i = 0; i < ports.length; i++) {
    const p = ports[i];
    // A name's length before it: no name can make two different lists read alike.
    key += `${p.containerPort}/${p.protocol}/${p.hostPort ?? ''}/${p.name === undefined ? '' : `${p.name.length}:${p.name}`},`;
  }
  let shared = lists.get(key);
  if (!shared) {
    for (const p of ports) Object.freeze(p);
    lists.set(key, (shared = Object.freeze(ports) as ContainerPort[]));
  }
  return shared;
}

/** The probes' ports and the annotation a saved pod carries them in, together. */
function readProbePorts(r: DocReader, podSpec: Obj, declared: readonly ContainerPort[], annotations: Record<string, string>): number[] {
  const ports = probePortsOf(podSpec, declared);
  const saved = annotations[PROBE_PORTS_ANNOTATION];
  if (saved === undefined) return ports;
  const read = readProbePortsAnnotation(saved);
  if ('problem' in read) {
    r.problem(`metadata.annotations["${PROBE_PORTS_ANNOTATION}"]`, read.problem);
    return ports;
  }
  for (const p of read.ports) if (!ports.includes(p) && !declared.some((d) => d.containerPort === p && d.protocol === 'TCP')) ports.push(p);
  return ports.sort((a, b) => a - b);
}

function readCluster(r: DocReader, doc: Obj, given: Set<InferableField>): ClusterSpec {
  const spec = isObj(doc.spec) ? doc.spec : {};
  // The fields the document sets; a dump beside it fills in the others (inferOmittedFields).
  for (const f of INFERABLE_FIELDS) if (spec[f] !== undefined) given.add(f);
  // Racks: nodeNetworks names the node networks, the first being nodeNetwork.
  if (Array.isArray(spec.nodeNetworks) && (INFERABLE_FIELDS as readonly string[]).includes('nodeNetwork')) given.add('nodeNetwork' as InferableField);
  const c: ClusterSpec = { ...DEFAULT_CLUSTER };
  for (const key of ['podCIDR', 'serviceCIDR', 'nodeNetwork'] as const) {
    const v = r.string(spec[key], `spec.${key}`);
    if (v !== undefined) c[key] = v;
  }
  if (spec.nodeNetworks !== undefined) {
    const list = spec.nodeNetworks;
    if (!Array.isArray(list) || list.length < 2 || list.some((x) => typeof x !== 'string')) {
      r.problem('spec.nodeNetworks', `must be a list of two or more CIDRs, one per rack (a router joins them), got ${shownValue(list)}`);
    } else {
      c.nodeNetworks = [...list] as string[];
      if (spec.nodeNetwork === undefined) c.nodeNetwork = c.nodeNetworks[0];
      else if (spec.nodeNetwork !== c.nodeNetworks[0]) r.problem('spec.nodeNetwork', `must be the first of nodeNetworks (${c.nodeNetworks[0]}), where the external client sits, or be left out; got ${shownValue(spec.nodeNetwork)}`);
    }
  }
  if (notFinite(spec.nodeCIDRMaskSize)) r.problem('spec.nodeCIDRMaskSize', `must be a whole number from 1 to 30, got ${shownValue(spec.nodeCIDRMaskSize)}`, 'not-finite-number');
  else if (spec.nodeCIDRMaskSize !== undefined) c.nodeCIDRMaskSize = Number(spec.nodeCIDRMaskSize);
  if (spec.cni !== undefined) {
    if (CNI_MODES.includes(spec.cni as never)) c.cni = spec.cni as ClusterSpec['cni'];
    else r.problem('spec.cni', `must be one of ${CNI_MODES.join(', ')}, got ${shownValue(spec.cni)}`);
  }
  if (spec.kubeProxy !== undefined) {
    if (KUBE_PROXY_MODES.includes(spec.kubeProxy as never)) c.kubeProxy = spec.kubeProxy as ClusterSpec['kubeProxy'];
    else if (typeof spec.kubeProxy === 'string' && Object.hasOwn(UNOFFERED_KUBE_PROXY_MODES, spec.kubeProxy)) r.problem('spec.kubeProxy', `${spec.kubeProxy} is not offered: ${UNOFFERED_KUBE_PROXY_MODES[spec.kubeProxy]}; use one of ${KUBE_PROXY_MODES.join(', ')}`);
    else r.problem('spec.kubeProxy', `must be one of ${KUBE_PROXY_MODES.join(', ')}, got ${shownValue(spec.kubeProxy)}`);
  }
  if (spec.ipMasq !== undefined) {
    if (typeof spec.ipMasq === 'boolean') c.ipMasq = spec.ipMasq;
    else r.problem('spec.ipMasq', `must be true or false, got ${shownValue(spec.ipMasq)}`);
  }
  // Calico's IPPool fields (cni/calicoPool.ts): checked whatever the cni, kept as written.
  const calico = calicoPoolProblems(spec.calico, r.name);
  for (const i of calico.issues) r.problem(i.field, i.reason);
  if (calico.pool && Object.keys(calico.pool).length) c.calico = calico.pool;
  // Cilium's Helm values (cni/ciliumConfig.ts): the same.
  const cilium = ciliumConfigProblems(spec.cilium, r.name);
  for (const i of cilium.issues) r.problem(i.field, i.reason);
  if (cilium.config && Object.keys(cilium.config).length) c.cilium = cilium.config;
  return c;
}

function readNode(r: DocReader, doc: Obj): NodeSpec | undefined {
  const meta = metadataOf(r, doc, 'Node');
  if (!meta) return undefined;
  const spec = isObj(doc.spec) ? doc.spec : {};
  const status = isObj(doc.status) ? doc.status : {};
  const internal = r.list(status.addresses, 'status.addresses').find((a) => a.type === 'InternalIP');
  const node: NodeSpec = { name: meta.name, labels: meta.labels };
  const podCIDR = r.string(spec.podCIDR, 'spec.podCIDR');
  if (podCIDR !== undefined) node.podCIDR = podCIDR;
  const ip = internal ? r.string(internal.address, 'status.addresses[InternalIP].address') : undefined;
  if (ip !== undefined) node.internalIP = ip;
  const last = meta.annotations[LAST_RESERVED_ANNOTATION];
  if (last !== undefined) node.lastReservedIP = last;
  const blocks = meta.annotations[CALICO_BLOCKS_ANNOTATION];
  if (blocks !== undefined) node.calicoBlocks = blocks.split(',').map((b) => b.trim()).filter(Boolean);
  const cni0 = meta.annotations[CNI0_ANNOTATION];
  if (cni0 === 'true') node.cni0Created = true;
  else if (cni0 !== undefined && cni0 !== 'false') r.problem(`metadata.annotations[${CNI0_ANNOTATION}]`, `must be "true" or "false", got ${JSON.stringify(cni0)}`);
  const processes: HostProcess[] = [];
  const kubelet = kubeletProcess(status);
  if (kubelet) processes.push(kubelet);
  const saved = meta.annotations[HOST_PROCESSES_ANNOTATION];
  if (saved !== undefined) {
    const read = readHostProcessesAnnotation(saved);
    if ('problem' in read) r.problem(`metadata.annotations[${HOST_PROCESSES_ANNOTATION}]`, read.problem);
    else addHostProcesses(processes, read.processes);
  }
  if (processes.length) node.hostProcesses = processes;
  return node;
}

/** What the reader leaves out or simplifies, said once per file as warnings. */
interface Notes {
  /** Pods (or workloads) with hostNetwork: true, skipped. */
  hostNetwork: string[];
  /** The ports of the skipped hostNetwork pods, by the node they run on. */
  hostProcesses: { node: string; processes: HostProcess[] }[];
  /** Pods to place that ask for nodeSelector, affinity or tolerations, which the placement rule ignores. */
  placementHints: string[];
  /** Nodes with taints (the placement rule ignores them). */
  tainted: string[];
  /** Fields that change packet paths and that podpath does not follow. */
  unmodelled: string[];
  /** A port two containers of one pod declare: only one can bind it. */
  addressInUse: AddressInUse[];
  /** Pods a dump shows Pending without a node: the scheduler has not placed them. */
  unscheduled: string[];
  /** The hostNetwork and unscheduled pods above, by NS/NAME (leftOut.ts). */
  leftOut: Map<string, LeftOutPod>;
  /** Each list of ports the pods declare, once (sharedPorts). */
  portLists: Map<string, ContainerPort[]>;
  /** IPv6 addresses and families, which podpath does not model. */
  ipv6: string[];
}

/** A pod template's scheduling constraints that podpath's placement rule does not follow. */
function placementConstraints(spec: Obj): string[] {
  return ['nodeSelector', 'affinity', 'tolerations', 'topologySpreadConstraints'].filter((k) => spec[k] !== undefined && spec[k] !== null);
}

function readPod(r: DocReader, doc: Obj, notes: Notes): PodSpec | undefined {
  const meta = metadataOf(r, doc, 'Pod');
  if (!meta) return undefined;
  const spec = isObj(doc.spec) ? doc.spec : NO_FIELDS;
  const status = isObj(doc.status) ? doc.status : NO_FIELDS;
  if (spec.hostNetwork === true) {
    notes.hostNetwork.push(`${meta.namespace}/${meta.name}`);
    notes.leftOut.set(`${meta.namespace}/${meta.name}`, { reason: 'host-network', ...(typeof spec.nodeName === 'string' ? { nodeName: spec.nodeName } : {}) });
    // Its ports are its node's: kept for the node (hostProcesses.ts).
    if (typeof spec.nodeName === 'string') notes.hostProcesses.push({ node: spec.nodeName, processes: hostNetworkPodProcesses(spec, `${meta.namespace}/${meta.name}`) });
    return undefined;
  }
  const state = readPodStatus(doc, r);
  if (state.unscheduled) {
    notes.unscheduled.push(`${meta.namespace}/${meta.name}`);
    // Its labels: a Service that selects only such pods has no endpoint, and says which pods it waits for.
    notes.leftOut.set(`${meta.namespace}/${meta.name}`, { reason: 'unscheduled', labels: meta.labels });
    return undefined;
  }
  if (isIPv6(status.podIP)) {
    notes.ipv6.push(`Pod ${meta.namespace}/${meta.name} (IPv6 address ${String(status.podIP)}): skipped`);
    return undefined;
  }
  const podIPs = Array.isArray(status.podIPs) ? status.podIPs.filter(isObj).map((x) => x.ip).filter(isIPv6) : undefined;
  if (podIPs?.length) notes.ipv6.push(`Pod ${meta.namespace}/${meta.name} is dual-stack: only its IPv4 address is modelled, not ${podIPs.join(', ')}`);
  if (spec.nodeName === undefined && placementConstraints(spec).length) notes.placementHints.push(`Pod ${meta.namespace}/${meta.name} (${placementConstraints(spec).join(', ')})`);
  const ports = sharedPorts(notes.portLists, readContainerPorts(r, spec, 'spec', notes));
  const probePorts = readProbePorts(r, spec, ports, meta.annotations);
  const { down, noneRunning } = containersDownOf(status, spec);
  const nodeName = r.string(spec.nodeName, 'spec.nodeName');
  // The usual pod of a dump (bound, no probe port, every container running) made whole at
  // once: a property added afterwards costs a new hidden class and a store for it (150,000 times).
  // Either way its fields are in the same order.
  const usual = !probePorts.length && !down.length && !noneRunning && nodeName !== undefined;
  const pod: PodSpec = usual ? { namespace: meta.namespace, name: meta.name, labels: meta.labels, ports, nodeName } : { namespace: meta.namespace, name: meta.name, labels: meta.labels, ports };
  if (!usual) {
    if (probePorts.length) pod.probePorts = probePorts;
    if (down.length) pod.containersDown = down;
    if (noneRunning) pod.noContainerRunning = true;
    if (nodeName !== undefined) pod.nodeName = nodeName;
  }
  if (state.phase) pod.phase = state.phase;
  if (state.notReady) pod.notReady = true;
  const podIP = r.string(status.podIP, 'status.podIP');
  // A finished pod's status still shows the address it had, which the node has released (and may have given another pod).
  if (podIP !== undefined && podIP !== '' && !hasFinished(pod)) pod.podIP = podIP;
  const owner = meta.annotations[OWNER_ANNOTATION]?.split('/');
  if (owner && owner.length === 2 && OWNER_KINDS.has(owner[0])) {
    pod.ownerKind = owner[0] as PodSpec['ownerKind'];
    pod.ownerName = owner[1];
  }
  return pod;
}

/** The workloads whose pods a saved pod can name as its owner (OWNER_ANNOTATION). */
const OWNER_KINDS: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);

function readWorkload(r: DocReader, doc: Obj, kind: Workload['kind'], notes: Notes): Workload | undefined {
  const meta = metadataOf(r, doc, kind);
  if (!meta) return undefined;
  const spec = isObj(doc.spec) ? doc.spec : {};
  const template = isObj(spec.template) ? spec.template : {};
  const tmeta = isObj(template.metadata) ? template.metadata : {};
  const tspec = isObj(template.spec) ? template.spec : {};
  if (tspec.hostNetwork === true) {
    notes.hostNetwork.push(`${kind} ${meta.namespace}/${meta.name}`);
    return undefined;
  }
  if (tspec.nodeName === undefined && placementConstraints(tspec).length) notes.placementHints.push(`${kind} ${meta.namespace}/${meta.name} (${placementConstraints(tspec).join(', ')})`);
  let replicas = 1;
  if (spec.replicas !== undefined && kind !== 'DaemonSet') {
    if (typeof spec.replicas !== 'number' || !Number.isInteger(spec.replicas) || spec.replicas < 0) r.problem('spec.replicas', `must be a whole number ≥ 0, got ${shownValue(spec.replicas)}`, notFinite(spec.replicas));
    else replicas = spec.replicas;
  }
  const nodeName = r.string(tspec.nodeName, 'spec.template.spec.nodeName');
  const ports = readContainerPorts(r, tspec, 'spec.template.spec', notes);
  return {
    kind,
    namespace: meta.namespace,
    name: meta.name,
    replicas,
    labels: readLabels(r, tmeta.labels, 'spec.template.metadata.labels'),
    ports,
    template,
    probePorts: probePortsOf(tspec, ports),
    ...(nodeName ? { nodeName } : {}),
  };
}

function readService(r: DocReader, doc: Obj, warnings: PodpathWarning[]): ServiceSpec | undefined {
  const meta = metadataOf(r, doc, 'Service');
  if (!meta) return undefined;
  const spec = isObj(doc.spec) ? doc.spec : {};
  let type: ServiceSpec['type'] = 'ClusterIP';
  if (spec.type === 'NodePort' || spec.type === 'ClusterIP' || spec.type === undefined) type = (spec.type as ServiceSpec['type']) ?? 'ClusterIP';
  else if (spec.type === 'LoadBalancer') {
    type = 'NodePort';
    warnings.push({ code: 'load-balancer-as-node-port', message: `${r.name}: type LoadBalancer imported as NodePort (no cloud load balancer is modelled; its NodePorts and ClusterIP work as in Kubernetes)` });
  } else if (spec.type === 'ExternalName') {
    warnings.push({ code: 'external-name-skipped', message: `${r.name}: type ExternalName skipped (it is a DNS CNAME, no packet path)` });
    return undefined;
  } else r.problem('spec.type', `must be ClusterIP or NodePort, got ${shownValue(spec.type)}`);
  const ports: ServicePort[] = [];
  /** Each listed port's name and, for the ports read, where they are in the list. */
  const names: { name?: string }[] = [];
  const at: number[] = [];
  r.list(spec.ports, 'spec.ports').forEach((p, i) => {
    const field = `spec.ports[${i}]`;
    const port = r.port(p.port, `${field}.port`, true);
    const protocol = r.protocol(p.protocol, `${field}.protocol`);
    let targetPort: number | string | undefined = port;
    if (typeof p.targetPort === 'string' && /^\d+$/.test(p.targetPort)) {
      // A string targetPort is a port *name*, and a name must contain a letter.
      r.problem(`${field}.targetPort`, `${JSON.stringify(p.targetPort)} is a string, so it would be a port name, and a port name needs a letter: write the number without quotes`);
      targetPort = undefined;
    } else if (typeof p.targetPort === 'string') {
      const bad = portNameProblem(p.targetPort);
      if (bad) r.problem(`${field}.targetPort`, bad);
      targetPort = p.targetPort;
    } else if (p.targetPort !== undefined) targetPort = r.port(p.targetPort, `${field}.targetPort`);
    if (typeof p.nodePort === 'string') r.problem(`${field}.nodePort`, `must be a number, got the string ${JSON.stringify(p.nodePort)} (write it without quotes)`);
    if (notFinite(p.nodePort)) r.problem(`${field}.nodePort`, `must be a NodePort number ${NODE_PORT_MIN}-${NODE_PORT_MAX}, got ${shownValue(p.nodePort)}`, 'not-finite-number');
    const nodePort = p.nodePort === undefined || p.nodePort === null || typeof p.nodePort === 'string' || notFinite(p.nodePort) ? undefined : Number(p.nodePort);
    const name = r.string(p.name, `${field}.name`);
    names.push(name ? { name } : {});
    if (port === undefined || protocol === undefined || targetPort === undefined) return;
    at.push(i);
    ports.push({ port, targetPort, protocol, ...(name ? { name } : {}), ...(nodePort !== undefined ? { nodePort } : {}) });
  });
  const seen = new Set<string>();
  ports.forEach((p, i) => {
    const key = `${p.port}/${p.protocol}`;
    if (seen.has(key)) r.problem(`spec.ports[${at[i]}]`, `duplicate port ${key}`);
    seen.add(key);
  });
  const named = servicePortNamesProblem(names);
  if (named) r.problem(named.index === undefined ? 'spec.ports' : `spec.ports[${named.index}].name`, named.reason);
  const svc: ServiceSpec = { namespace: meta.namespace, name: meta.name, type, selector: readLabels(r, spec.selector, 'spec.selector'), ports };
  const clusterIP = r.string(spec.clusterIP, 'spec.clusterIP');
  const families = Array.isArray(spec.ipFamilies) ? spec.ipFamilies.map(String) : [];
  if (isIPv6(clusterIP) || (families.length > 0 && !families.includes('IPv4'))) {
    warnings.push({ code: 'ipv6-not-modelled', message: `${r.name}: an IPv6 Service (${clusterIP ? `clusterIP ${clusterIP}` : `ipFamilies ${families.join(', ')}`}) is skipped: podpath models IPv4 only` });
    return undefined;
  }
  const v6 = (Array.isArray(spec.clusterIPs) ? spec.clusterIPs : []).filter(isIPv6);
  if (v6.length || families.includes('IPv6')) {
    warnings.push({ code: 'ipv6-not-modelled', message: `${r.name}: a dual-stack Service: podpath models its IPv4 family only${v6.length ? `; its IPv6 ClusterIP ${v6.join(', ')} is left out` : ''}` });
  }
  if (clusterIP !== undefined && clusterIP !== '') svc.clusterIP = clusterIP;
  if (spec.publishNotReadyAddresses === true) svc.publishNotReadyAddresses = true;
  const external = readTrafficPolicy(r, spec.externalTrafficPolicy, 'spec.externalTrafficPolicy');
  // The API server refuses it on a Service that takes no traffic from outside (validation.go).
  if (external === 'Local' && type !== 'NodePort') r.problem('spec.externalTrafficPolicy', `may only be set when type is NodePort or LoadBalancer, and this Service is type ${type}`);
  else if (external === 'Local') svc.externalTrafficPolicy = 'Local';
  if (readTrafficPolicy(r, spec.internalTrafficPolicy, 'spec.internalTrafficPolicy') === 'Local') svc.internalTrafficPolicy = 'Local';
  if (spec.healthCheckNodePort !== undefined) {
    warnings.push({ code: 'not-modelled', message: `${r.name}: healthCheckNodePort ${shownValue(spec.healthCheckNodePort)} is not modelled: kube-proxy answers a load balancer's health checks there, which podpath does not draw or trace` });
  }
  if (spec.sessionAffinity === 'ClientIP') {
    warnings.push({ code: 'not-modelled', message: `${r.name}: sessionAffinity: ClientIP is not modelled: each trace picks an endpoint as without it (kube-proxy's "recent" match is left out)` });
  }
  if (Array.isArray(spec.externalIPs) && spec.externalIPs.length) {
    warnings.push({ code: 'not-modelled', message: `${r.name}: externalIPs (${spec.externalIPs.join(', ')}) are not modelled: kube-proxy's rules for them are left out, so traces to those addresses do not reach the Service` });
  }
  if (svc.clusterIP === 'None') warnings.push({ code: 'headless-service', message: `${r.name}: headless Service (clusterIP: None) has no virtual IP; it is kept but no packet can be sent to it` });
  return svc;
}

/** spec.externalTrafficPolicy / internalTrafficPolicy: Cluster (the default) or Local, as the API spells them. */
function readTrafficPolicy(r: DocReader, value: unknown, field: string): 'Cluster' | 'Local' | undefined {
  if (value === undefined || value === null || value === 'Cluster' || value === 'Local') return value ?? undefined;
  r.problem(field, `must be Cluster or Local, got ${shownValue(value)}`);
  return undefined;
}

const UNNAMESPACED_KINDS = new Set(['Node', 'Namespace', 'Cluster']);

function documentName(doc: Obj, index: number): string {
  const meta = isObj(doc.metadata) ? doc.metadata : NO_FIELDS;
  // Without a kind there is no telling whether it is namespaced: it is the file's document number N.
  if (typeof doc.kind !== 'string') return `document #${index + 1}${typeof meta.name === 'string' ? ` (${meta.name})` : ''}`;
  const kind = doc.kind;
  const name = typeof meta.name === 'string' ? meta.name : `#${index + 1}`;
  const namespaced = !UNNAMESPACED_KINDS.has(kind);
  const ns = typeof meta.namespace === 'string' ? meta.namespace : 'default';
  return namespaced ? `${kind}/${ns}/${name}` : `${kind}/${name}`;
}

/**
 * More pods than podpath holds (MAX_PODS), counted before any workload is expanded,
 * so that ten million replicas are one sentence, not ten million pods in memory.
 */
function tooManyPods(podDocuments: number, workloads: Workload[], nodeCount: number): PodpathIssue | undefined {
  const podsOf = (w: Workload) => (w.kind === 'DaemonSet' ? nodeCount : w.replicas);
  let requested = podDocuments;
  for (const w of workloads) requested += podsOf(w);
  if (requested <= MAX_PODS) return undefined;
  const count = (n: number) => n.toLocaleString('en-US');
  let largest: Workload | undefined;
  for (const w of workloads) if (!largest || podsOf(w) > podsOf(largest)) largest = w;
  const alone = largest && podsOf(largest) > 0 && podsOf(largest) < requested ? ` (${largest.kind} ${largest.namespace}/${largest.name} alone ${count(podsOf(largest))})` : '';
  return {
    code: 'too-many-pods',
    limit: MAX_PODS,
    requested,
    document: largest ? `${largest.kind}/${largest.namespace}/${largest.name}` : 'file',
    field: largest && largest.kind !== 'DaemonSet' ? 'spec.replicas' : '',
    reason: `the file asks for ${count(requested)} pods${alone}; podpath holds at most ${count(MAX_PODS)} pods in one cluster`,
  };
}

export interface ParseOptions {
  /**
   * A file without Node documents gets three nodes (DEFAULT_NODE_NAMES), so a
   * manifest of workloads has somewhere to run. The playground's own save says
   * false: it lists every node it had, and it may have had none.
   */
  defaultNodes?: boolean;
}

/**
 * Read a scenario file. Returns the cluster without addresses filled in (see
 * `allocate`), with warnings (each with its code) for skipped kinds and defaults,
 * or the issues that stop it from being read.
 */
export function parseScenario(text: string, source = 'file', options: ParseOptions = {}): Result<Scenario, PodpathWarning> {
  return parseScenarioFiles([{ name: source, text }], options);
}

/**
 * Read several files as one scenario (a `kubectl cluster-info dump` directory,
 * several files imported at once), in the order given: the same reader as for one
 * file, with each issue naming its file.
 */
export function parseScenarioFiles(files: ScenarioFile[], options: ParseOptions = {}): Result<Scenario, PodpathWarning> {
  const several = files.length > 1;
  const named = (file: string, i: PodpathIssue): PodpathIssue => (several ? { ...i, file } : i);
  let docs: (Located & { file?: string })[] = [];
  // Where each file's documents start among `docs`: `document #N` counts within its own file.
  let fileStart = 0;
  const fileStarts = new Map<string, number>();
  const unread: PodpathIssue[] = [];
  const internalFormat: PodpathIssue[] = [];
  for (const { name, text } of files) {
    // A dump written to stdout (dumpLayout.ts): its pod logs blanked, its run of JSON values read as one array.
    const read = readDocuments(dumpText(text), name);
    if (!read.ok) {
      for (const i of read.issues) unread.push(named(name, i));
      continue;
    }
    const flat = flattenLists(read.value);
    let internal: PodpathIssue | undefined;
    // kubectl's internal format is a whole file's (its List and every object in it): its first
    // documents say so; not asked of each of a dump's 150,000 pods.
    for (let i = 0; i < Math.min(flat.length, INTERNAL_FORMAT_LOOK) && !internal; i++) internal = internalFormatIssue(flat[i].doc, name);
    if (internal) internalFormat.push(named(name, internal));
    else {
      fileStarts.set(name, docs.length);
      // One file (a 150,000-pod dump): its documents as they are, not copied (and indexed:
      // a for…of that runs once was not optimised in time, and left an iterator result per document).
      if (!several) docs = flat;
      else for (let i = 0; i < flat.length; i++) docs.push({ ...flat[i], file: name });
    }
  }
  // An old dump directory is in the internal format file by file: one sentence for all of them, not one each.
  if (internalFormat.length > 1) unread.push(internalFormatInFiles(internalFormat));
  else unread.push(...internalFormat);
  if (unread.length) return fail(unread);
  const warnings: PodpathWarning[] = [];
  const issues: PodpathIssue[] = [];
  let cluster: ClusterSpec | undefined;
  // The model's CNI carries flanneld's masquerade chain and the dump shows no flanneld (inferCluster.ts).
  let masqueradeUnseen = false;
  const clusterGiven = new Set<InferableField>();
  const namespaces = ['default'];
  const nodes: NodeSpec[] = [];
  const pods: PodSpec[] = [];
  const services: ServiceSpec[] = [];
  const networkPolicies: NetworkPolicy[] = [];
  const namespaceLabels: Record<string, Record<string, string>> = {};
  const skipped = new Map<string, number>();
  const unknown: string[] = [];
  const notes: Notes = { hostNetwork: [], hostProcesses: [], placementHints: [], tainted: [], unmodelled: [], addressInUse: [], unscheduled: [], ipv6: [], leftOut: new Map(), portLists: new Map() };
  /** The controller ownerReference of each pod in `pods` (and of the unscheduled ones, which count as a workload's pods too). */
  const podControllers: (ControllerRef | undefined)[] = [];
  const ownedWorkloads: OwnedWorkload[] = [];
  const unscheduledOwned: { pod: PodSpec; controller?: ControllerRef }[] = [];
  const slices: GivenSlice[] = [];

  const fileOf = new Map<string, string>();
  docs.forEach(({ doc, line, lineOfField, file }, index) => {
    if (file !== undefined && fileStarts.get(file) !== fileStart) fileStart = fileStarts.get(file) ?? 0;
    const r = new DocReader(doc, index - fileStart, line, lineOfField);
    if (file !== undefined) fileOf.set(r.name, file);
    const kind = doc.kind;
    const fields = typeof kind === 'string' ? unknownFields(kind, doc) : [];
    if (fields.length) unknown.push(`${r.name}: ${fields.map((f) => `${f.path}${f.didYouMean ? ` (did you mean ${f.didYouMean}?)` : ''}`).join(', ')}`);
    if (typeof kind !== 'string') {
      r.problem('kind', 'is required (every document needs apiVersion and kind)');
    } else if (kind === 'Cluster' && doc.apiVersion === PODPATH_API_VERSION) {
      if (cluster) r.problem('kind', 'a scenario has one Cluster document; this is a second one');
      else cluster = readCluster(r, doc, clusterGiven);
    } else if (kind === 'Namespace') {
      const meta = metadataOf(r, doc, 'Namespace');
      if (meta && !namespaces.includes(meta.name)) namespaces.push(meta.name);
      // The API server's own label (kubernetes.io/metadata.name) is implied, not stored: policy/evaluate.ts adds it.
      const { [NAMESPACE_NAME_LABEL]: _implied, ...labels } = meta?.labels ?? {};
      if (meta && Object.keys(labels).length) namespaceLabels[meta.name] = labels;
    } else if (kind === 'Node') {
      const n = readNode(r, doc);
      if (n) nodes.push(n);
      if (n && isObj(doc.spec) && Array.isArray(doc.spec.taints) && doc.spec.taints.length) notes.tainted.push(n.name);
    } else if (kind === 'Pod') {
      const unscheduledBefore = notes.unscheduled.length;
      const p = readPod(r, doc, notes);
      if (p) {
        pods.push(p);
        podControllers.push(controllerOf(doc));
      } else if (notes.unscheduled.length > unscheduledBefore) {
        const meta = isObj(doc.metadata) ? doc.metadata : {};
        unscheduledOwned.push({ pod: { namespace: typeof meta.namespace === 'string' ? meta.namespace : 'default', name: String(meta.name), labels: {}, ports: [] }, controller: controllerOf(doc) });
      }
    } else if (kind === 'Deployment' || kind === 'StatefulSet' || kind === 'DaemonSet' || kind === 'ReplicaSet') {
      const w = readWorkload(r, doc, kind, notes);
      if (w) {
        const controller = controllerOf(doc);
        ownedWorkloads.push({ workload: w, ...(controller ? { controller } : {}) });
      }
    } else if (kind === 'Service') {
      const v = readService(r, doc, warnings);
      if (v && fields.length) serviceTypos.set(v, fields);
      if (v) services.push(v);
    } else if (kind === 'NetworkPolicy') {
      if (doc.apiVersion !== 'networking.k8s.io/v1') r.problem('apiVersion', `a NetworkPolicy is networking.k8s.io/v1, got ${JSON.stringify(doc.apiVersion)}`);
      const meta = metadataOf(r, doc, 'NetworkPolicy');
      const np = meta ? readNetworkPolicy(doc.spec, meta, (field, reason) => r.problem(field, reason)) : undefined;
      if (np) {
        if (networkPolicies.some((q) => q.namespace === np.namespace && q.name === np.name)) r.problem('metadata.name', `a second NetworkPolicy ${np.namespace}/${np.name}`);
        else networkPolicies.push(np);
      }
    } else if (kind === 'EndpointSlice') {
      const g = readEndpointSlice(doc, (field, reason) => r.problem(field, reason), (why) => notes.ipv6.push(why));
      if (g) slices.push(g);
    } else if (kind === 'Endpoints') {
      const g = readEndpoints(doc, (field, reason) => r.problem(field, reason));
      if (g) slices.push(g);
    } else if (isCalicoObject(doc, kind)) {
      // Calico's IPPool and BlockAffinity objects: read below, with the Cluster (calicoObjects.ts).
    } else if (!SKIPPED_KINDS_QUIETLY.has(kind)) {
      skipped.set(kind, (skipped.get(kind) ?? 0) + 1);
    }
    if (r.issues.length) for (const i of r.issues) issues.push(file === undefined ? i : { ...i, file });
  });
  if (issues.length) return fail(issues, warnings);

  if (skipped.size) {
    const list = [...skipped].map(([k, n]) => {
      const guess = nearest(k, KINDS_READ);
      const hint = guess ? ` (did you mean ${guess}?${guess.toLowerCase() === k.toLowerCase() ? ' kinds are case-sensitive' : ''})` : '';
      return `${n > 1 ? `${k} (${n})` : k}${hint}`;
    }).join(', ');
    warnings.push({ code: 'kinds-skipped', message: `skipped kinds podpath does not model: ${list}` });
  }
  if (unknown.length) {
    const shown = unknown.length > 6 ? `${unknown.slice(0, 6).join('; ')}; and ${unknown.length - 6} more documents` : unknown.join('; ');
    warnings.push({ code: 'unknown-fields', message: `fields Kubernetes does not know, ignored (a typo kubectl would refuse, its field validation being strict, or a field newer than podpath's list, from Kubernetes 1.34): ${shown}` });
  }
  const few = (xs: string[]) => (xs.length > 6 ? `${xs.slice(0, 6).join(', ')} and ${xs.length - 6} more` : xs.join(', '));
  if (notes.hostNetwork.length) {
    warnings.push({ code: 'host-network-skipped', message: `skipped hostNetwork pods and workloads (they use their node's own netns and addresses; podpath draws only the node): ${few(notes.hostNetwork)}` });
  }
  // A dump's pods are its workloads' pods: a workload is expanded only where the file holds none of its pods.
  const owners = resolveOwners([...pods, ...unscheduledOwned.map((u) => u.pod)], [...podControllers, ...unscheduledOwned.map((u) => u.controller)], ownedWorkloads);
  // Only what podpath places itself can have its placement constraints ignored (a dump's pods are already placed).
  const expanded = new Set(owners.toExpand.map((w) => `${w.kind} ${w.namespace}/${w.name}`));
  const hints = notes.placementHints.filter((h) => h.startsWith('Pod ') || expanded.has(h.slice(0, h.indexOf(' ('))));
  let toPlace = owners.toExpand.some((w) => w.nodeName === undefined);
  // (Indexed: a callback per pod over 150,000 pods that runs once is not optimised in time.)
  for (let i = 0; i < pods.length && !toPlace; i++) toPlace = pods[i].nodeName === undefined;
  if (toPlace && hints.length) {
    warnings.push({ code: 'placement-ignored', message: `podpath places pods by its spreading rule only; it ignores nodeSelector, affinity, tolerations and topology spread of: ${few(hints)}` });
  }
  for (const u of notes.unmodelled) warnings.push({ code: 'not-modelled', message: `not modelled, ${u}` });
  for (const c of notes.addressInUse) warnings.push({ code: 'address-in-use', message: addressInUseText(c) });
  if (toPlace && notes.tainted.length) warnings.push({ code: 'placement-ignored', message: `podpath places pods by its spreading rule only; it ignores the taints of nodes ${few(notes.tainted)}` });
  if (!cluster) {
    // No Cluster document: what the dump holds says most of one (inferCluster.ts), else the defaults.
    const inferred = inferCluster({ docs: docs.map((d) => d.doc), nodes, pods, services });
    cluster = inferred.cluster;
    warnings.push(inferred.warning);
    masqueradeUnseen = 'masqueradeUnseen' in inferred && inferred.masqueradeUnseen === true;
  } else {
    const filled = inferOmittedFields({ docs: docs.map((d) => d.doc), nodes, pods, services }, cluster, clusterGiven);
    cluster = filled.cluster;
    if (filled.warning) warnings.push(filled.warning);
    masqueradeUnseen = 'masqueradeUnseen' in filled && filled.masqueradeUnseen === true;
  }
  // Calico: the blocks each node holds, as its BlockAffinity objects say, where the node's own annotation does not.
  if (cniOf(cluster).addressing === 'ipam-blocks') {
    const affinities = calicoAffinities(docs.map((d) => d.doc));
    for (const n of nodes) if (!n.calicoBlocks?.length && affinities.get(n.name)?.length) n.calicoBlocks = affinities.get(n.name);
  }
  if (nodes.length === 0 && options.defaultNodes !== false) {
    // Pods already bound to nodes (a dump without its nodes.json): three made-up nodes would
    // only turn into one error per pod. Say once what is missing.
    const missing = nodesNamedByPods(pods).filter((n) => !DEFAULT_NODE_NAMES.includes(n));
    if (missing.length) return fail([nodesMissingIssue(missing, pods)], warnings);
    nodes.push(...DEFAULT_NODE_NAMES.map((name) => ({ name, labels: {} })));
    warnings.push({ code: 'nodes-defaulted', message: `no Node documents: using three nodes (${DEFAULT_NODE_NAMES.join(', ')})` });
  }
  // By name, not nodes.find per pod: a 5,000-node dump has a kube-proxy (hostNetwork) pod on each node.
  const nodeNamed = notes.hostProcesses.length ? new Map(nodes.map((n) => [n.name, n])) : undefined;
  for (const { node, processes } of notes.hostProcesses) {
    const n = nodeNamed!.get(node);
    if (n && processes.length) addHostProcesses((n.hostProcesses ??= []), processes);
  }
  const tooMany = tooManyPods(pods.length, owners.toExpand, nodes.length);
  if (tooMany) return fail([tooMany], warnings);
  if (notes.unscheduled.length) {
    warnings.push({ code: 'unscheduled-pods-skipped', message: `left out Pending pods that no node runs yet (no spec.nodeName: the scheduler has not placed them, so they have no address and are no endpoint): ${few(notes.unscheduled)}` });
  }
  if (notes.ipv6.length) warnings.push({ code: 'ipv6-not-modelled', message: `podpath models IPv4 only: ${few(notes.ipv6)}` });
  for (const w of owners.toExpand) for (const p of expandWorkload(w, nodes)) pods.push(p);
  // Every namespace an object is in (indexed, each namespace looked for once per run of neighbours: 150,000 pods).
  for (const list of [pods, services, networkPolicies] as readonly { namespace: string }[][]) {
    let previous: string | undefined;
    for (let i = 0; i < list.length; i++) {
      const ns = list[i].namespace;
      if (ns !== previous && !namespaces.includes(ns)) namespaces.push(ns);
      previous = ns;
    }
  }
  const scenario: Scenario = { cluster, namespaces, nodes, pods, services, ...(Object.keys(namespaceLabels).length ? { namespaceLabels } : {}), ...(networkPolicies.length ? { networkPolicies } : {}) };
  if (several) documentFiles.set(scenario, fileOf);
  if (notes.leftOut.size) leftOutPods.set(scenario, notes.leftOut);
  if (masqueradeUnseen) cniMasqueradeUnseen.add(scenario);
  if (!clusterGiven.has('nodeNetwork') && nodes.some((n) => n.internalIP)) nodeGatewayAssumed.add(scenario);
  attachGivenEndpoints(scenario, slices, warnings);
  const notRunning = pods.filter((p) => podStateWord(p) !== undefined).map((p) => `${p.namespace}/${p.name} (${p.phase === 'Running' ? 'not Ready' : hasFinished(p) ? `${p.phase}: its address was released` : p.phase})`);
  if (notRunning.length) warnings.push({ code: 'pods-not-ready', message: `pods that are not ready endpoints (kube-proxy sends them no Service traffic): ${few(notRunning)}` });
  return ok(scenario, warnings);
}
