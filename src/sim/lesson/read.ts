// Reading a lesson file: one `podpath.dev/v1alpha1` `Lesson` document in YAML.
//
//   apiVersion: podpath.dev/v1alpha1
//   kind: Lesson
//   metadata: {name: same-host}
//   spec:
//     title: Same host — the bridge
//     scenario: demo.yaml            # a file in public/scenarios/, or the documents inline
//     steps:
//       - say: The packet leaves client's eth0 …
//         highlight: [pod/default/client, device/node-1/cni0]
//         cni: bridge-hostgw          # switch the CNI first
//         edit: {delete: pod/default/web-2}
//         packet: {from: pod/default/client, to: pod/default/web-1:8080, proto: tcp, endpoint: 0, reply: false}
//         question: {ask: Which pod answers?, predict: [answer, verdict]}
//         expect: {verdict: delivered, answeredBy: default/web-1}
//
// Only the shape is read here; check.ts holds every step to the cluster as it is then.
// Every problem names the file, the step and the field; nothing throws.
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import { CNI_MODES, type CniMode, type ContainerPort, type Protocol } from '../model.ts';
import { PODPATH_API_VERSION } from '../scenario/parse.ts';
import { parseDestination, parseSource } from '../trace/index.ts';
import type { TraceRequest, Verdict } from '../trace/types.ts';
import { VERDICTS } from '../trace/types.ts';
import type { WarningCode } from '../errors.ts';
import type { ContainerPorts } from '../addressInUse.ts';
import {
  PREDICT_PARTS,
  type LessonEdit,
  type LessonExpect,
  type LessonIssue,
  type LessonPacket,
  type LessonQuestion,
  type LessonRef,
  type LessonScenarioSource,
  type LessonSource,
  type LessonStepSource,
  type PredictPart,
} from './types.ts';

type Obj = Record<string, unknown>;
export type Path = (string | number)[];
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `pod/NS/NAME`, `pod/NAME` (namespace default), `service/…` (or `svc/…`), `deployment/…`, `node/NAME`, `device/NODE/DEV`, `external`, `node-network`. */
export function parseRef(text: string): LessonRef | string {
  const usage = `"${text}" is not something podpath can point at: use pod/NAMESPACE/NAME, service/NAMESPACE/NAME, deployment/NAMESPACE/NAME, node/NAME, device/NODE/DEVICE (cni0, eth0, flannel.1, a veth), external or node-network`;
  if (text === 'external') return { kind: 'external' };
  if (text === 'node-network') return { kind: 'node-network' };
  const parts = text.split('/');
  if (parts.some((p) => p === '')) return usage;
  const kind = parts[0] === 'svc' ? 'service' : parts[0];
  if ((kind === 'pod' || kind === 'service' || kind === 'deployment') && (parts.length === 2 || parts.length === 3)) {
    return parts.length === 3 ? { kind, namespace: parts[1], name: parts[2] } : { kind, namespace: 'default', name: parts[1] };
  }
  if (kind === 'node' && parts.length === 2) return { kind: 'node', name: parts[1] };
  if (kind === 'device' && parts.length === 3) return { kind: 'device', node: parts[1], device: parts[2] };
  return usage;
}

/** A ref as a lesson file spells it. */
export function refText(r: LessonRef): string {
  switch (r.kind) {
    case 'pod':
    case 'service':
    case 'deployment':
      return `${r.kind}/${r.namespace}/${r.name}`;
    case 'node':
      return `node/${r.name}`;
    case 'device':
      return `device/${r.node}/${r.device}`;
    default:
      return r.kind;
  }
}

/** Collects issues with the file, step and field they are about (and the line, when known). */
class Reader {
  readonly issues: LessonIssue[] = [];
  constructor(
    private readonly source: string,
    private readonly lineOf: (path: Path) => number | undefined,
  ) {}

  problem(path: Path, reason: string): void {
    this.issues.push(issueAt(this.source, path, reason, this.lineOf));
  }

  string(v: unknown, path: Path, required = false): string | undefined {
    if (v === undefined || v === null) {
      if (required) this.problem(path, 'is required');
      return undefined;
    }
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    if (typeof v !== 'string' || v.trim() === '') {
      this.problem(path, `must be text, got ${JSON.stringify(v)}`);
      return undefined;
    }
    return v.trim();
  }

  number(v: unknown, path: Path, min: number, max: number): number | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      this.problem(path, `must be a whole number from ${min} to ${max}, got ${JSON.stringify(v)}`);
      return undefined;
    }
    return v;
  }

  list(v: unknown, path: Path): unknown[] {
    if (v === undefined || v === null) return [];
    if (Array.isArray(v)) return v;
    this.problem(path, 'must be a list');
    return [];
  }

  map(v: unknown, path: Path): Obj | undefined {
    if (v === undefined || v === null) return undefined;
    if (isObj(v)) return v;
    this.problem(path, 'must be a mapping (key: value lines)');
    return undefined;
  }

  /** Fields this object may have; anything else is most likely a typo, and is said. */
  known(o: Obj, path: Path, fields: readonly string[]): void {
    for (const k of Object.keys(o)) if (!fields.includes(k)) this.problem([...path, k], `is not a field here (known: ${fields.join(', ')})`);
  }

  ref(v: unknown, path: Path, kinds?: readonly LessonRef['kind'][]): LessonRef | undefined {
    const text = this.string(v, path, true);
    if (text === undefined) return undefined;
    const r = parseRef(text);
    if (typeof r === 'string') {
      this.problem(path, r);
      return undefined;
    }
    if (kinds && !kinds.includes(r.kind)) {
      this.problem(path, `"${text}" must name a ${kinds.join(' or ')}`);
      return undefined;
    }
    return r;
  }

  labels(v: unknown, path: Path): Record<string, string> | undefined {
    const m = this.map(v, path);
    if (!m) return undefined;
    const out: Record<string, string> = {};
    for (const [k, val] of Object.entries(m)) {
      const s = this.string(val, [...path, k], true);
      if (s !== undefined) out[k] = s;
    }
    return out;
  }

  protocol(v: unknown, path: Path): Protocol | undefined {
    if (v === undefined || v === null) return 'TCP';
    const p = typeof v === 'string' ? v.toUpperCase() : v;
    if (p === 'TCP' || p === 'UDP') return p;
    this.problem(path, `must be TCP or UDP, got ${JSON.stringify(v)}`);
    return undefined;
  }
}

/** A problem at a field of a lesson file: the file, the step (counted from 1) and the field, and the line when known. */
export function issueAt(source: string, path: Path, reason: string, lineOf?: (path: Path) => number | undefined): LessonIssue {
  const step = path[0] === 'spec' && path[1] === 'steps' && typeof path[2] === 'number' ? path[2] + 1 : undefined;
  const line = lineOf?.(path);
  return {
    document: source,
    field: fieldText(path),
    reason: step !== undefined ? `step ${step}: ${reason}` : reason,
    ...(step !== undefined ? { step } : {}),
    ...(line !== undefined ? { line } : {}),
  };
}

export function fieldText(path: Path): string {
  return path.reduce<string>((s, k) => (typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${k}` : k), '');
}

const STEP_FIELDS = ['title', 'say', 'highlight', 'cni', 'edit', 'packet', 'question', 'expect'] as const;
const EDIT_KINDS = ['delete', 'addPod', 'hostPort', 'scale', 'move'] as const;
/** The warnings a lesson's edits can bring about (and so that a step can expect). */
const LESSON_WARNINGS: readonly WarningCode[] = ['address-in-use'];
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*\.(ya?ml|json)$/;

function readScenario(r: Reader, v: unknown, path: Path): LessonScenarioSource | undefined {
  if (typeof v === 'string' && v.includes('\n')) return { kind: 'inline', text: v };
  if (Array.isArray(v)) {
    if (v.length === 0 || !v.every(isObj)) {
      r.problem(path, 'an inline scenario must be a list of Kubernetes documents (apiVersion, kind, metadata …)');
      return undefined;
    }
    return { kind: 'inline', text: JSON.stringify(v) };
  }
  const file = r.string(v, path, true);
  if (file === undefined) return undefined;
  if (!FILE_NAME.test(file)) {
    r.problem(path, `"${file}" must be the name of a file in public/scenarios/ (such as demo.yaml), or the scenario's documents written out here`);
    return undefined;
  }
  return { kind: 'file', file };
}

function readPorts(r: Reader, v: unknown, path: Path): ContainerPort[] | undefined {
  if (v === undefined || v === null) return undefined;
  const out: ContainerPort[] = [];
  r.list(v, path).forEach((p, i) => {
    const at = [...path, i];
    const m = r.map(p, at);
    if (!m) return;
    r.known(m, at, ['containerPort', 'protocol', 'hostPort', 'name']);
    const containerPort = r.number(m.containerPort, [...at, 'containerPort'], 1, 65535);
    if (containerPort === undefined && m.containerPort === undefined) r.problem([...at, 'containerPort'], 'is required');
    const protocol = r.protocol(m.protocol, [...at, 'protocol']);
    const hostPort = r.number(m.hostPort, [...at, 'hostPort'], 1, 65535);
    const name = r.string(m.name, [...at, 'name']);
    if (containerPort !== undefined && protocol) out.push({ containerPort, protocol, ...(hostPort ? { hostPort } : {}), ...(name ? { name } : {}) });
  });
  return out;
}

/** `containers: [{name, ports: [...]}]`: a pod's containers in the order the kubelet starts them. */
function readContainers(r: Reader, v: unknown, path: Path): ContainerPorts[] | undefined {
  if (v === undefined || v === null) return undefined;
  const out: ContainerPorts[] = [];
  r.list(v, path).forEach((c, i) => {
    const at = [...path, i];
    const m = r.map(c, at);
    if (!m) return;
    r.known(m, at, ['name', 'ports']);
    const name = r.string(m.name, [...at, 'name'], true);
    const ports = readPorts(r, m.ports, [...at, 'ports']) ?? [];
    if (name !== undefined) out.push({ name, ports });
  });
  return out;
}

function namespaced(ref: LessonRef | undefined): { namespace: string; name: string } | undefined {
  return ref && 'namespace' in ref ? { namespace: ref.namespace, name: ref.name } : undefined;
}

function readEdit(r: Reader, v: unknown, path: Path): LessonEdit | undefined {
  const m = r.map(v, path);
  if (!m) return undefined;
  const keys = Object.keys(m);
  if (keys.length !== 1 || !EDIT_KINDS.includes(keys[0] as never)) {
    r.problem(path, `an edit is one of ${EDIT_KINDS.join(', ')} (one per entry; give a list for several), got ${keys.join(', ') || 'nothing'}`);
    return undefined;
  }
  const kind = keys[0] as (typeof EDIT_KINDS)[number];
  const at = [...path, kind];
  const body = m[kind];
  if (kind === 'delete') {
    const target = r.ref(body, at, ['pod', 'service', 'node']);
    if (!target) return undefined;
    if (target.kind === 'node') return { kind: 'delete', target };
    return target.kind === 'pod' || target.kind === 'service' ? { kind: 'delete', target: { kind: target.kind, namespace: target.namespace, name: target.name } } : undefined;
  }
  const o = r.map(body, at);
  if (!o) {
    if (body === undefined || body === null) r.problem(at, 'needs its fields');
    return undefined;
  }
  switch (kind) {
    case 'addPod': {
      r.known(o, at, ['name', 'namespace', 'node', 'labels', 'ports', 'containers']);
      const name = r.string(o.name, [...at, 'name'], true);
      const node = r.string(o.node, [...at, 'node'], true);
      const namespace = r.string(o.namespace, [...at, 'namespace']) ?? 'default';
      const labels = r.labels(o.labels, [...at, 'labels']);
      const ports = readPorts(r, o.ports, [...at, 'ports']);
      const containers = readContainers(r, o.containers, [...at, 'containers']);
      if (ports && containers) r.problem([...at, 'ports'], 'give the ports either here or under containers, not both');
      if (!name || !node) return undefined;
      return { kind: 'addPod', namespace, name, node, ...(labels ? { labels } : {}), ...(ports ? { ports } : {}), ...(containers ? { containers } : {}) };
    }
    case 'hostPort': {
      r.known(o, at, ['pod', 'containerPort', 'protocol', 'hostPort']);
      const pod = namespaced(r.ref(o.pod, [...at, 'pod'], ['pod']));
      const containerPort = r.number(o.containerPort, [...at, 'containerPort'], 1, 65535);
      const hostPort = r.number(o.hostPort, [...at, 'hostPort'], 1, 65535);
      const protocol = r.protocol(o.protocol, [...at, 'protocol']);
      if (o.containerPort === undefined) r.problem([...at, 'containerPort'], 'is required');
      if (o.hostPort === undefined) r.problem([...at, 'hostPort'], 'is required');
      if (!pod || containerPort === undefined || hostPort === undefined || !protocol) return undefined;
      return { kind: 'hostPort', pod, containerPort, hostPort, protocol };
    }
    case 'scale': {
      r.known(o, at, ['deployment', 'replicas']);
      const deployment = namespaced(r.ref(o.deployment, [...at, 'deployment'], ['deployment']));
      const replicas = r.number(o.replicas, [...at, 'replicas'], 0, 1000);
      if (o.replicas === undefined) r.problem([...at, 'replicas'], 'is required');
      if (!deployment || replicas === undefined) return undefined;
      return { kind: 'scale', deployment, replicas };
    }
    case 'move': {
      r.known(o, at, ['pod', 'node']);
      const pod = namespaced(r.ref(o.pod, [...at, 'pod'], ['pod']));
      const node = r.string(o.node, [...at, 'node'], true);
      if (!pod || !node) return undefined;
      return { kind: 'move', pod, node };
    }
  }
}

function readPacket(r: Reader, v: unknown, path: Path): LessonPacket | undefined {
  const m = r.map(v, path);
  if (!m) return undefined;
  r.known(m, path, ['from', 'to', 'proto', 'endpoint', 'reply']);
  const fromText = r.string(m.from, [...path, 'from'], true);
  const toText = r.string(m.to, [...path, 'to'], true);
  const from = fromText === undefined ? undefined : parseSource(fromText);
  const to = toText === undefined ? undefined : parseDestination(toText);
  // The engine's own request parser: its reason, at the lesson's field.
  if (from && !from.ok) r.problem([...path, 'from'], from.issues.map((i) => i.reason).join('; '));
  if (to && !to.ok) r.problem([...path, 'to'], to.issues.map((i) => i.reason).join('; '));
  let proto: 'tcp' | 'udp' | undefined = 'tcp';
  if (m.proto !== undefined) {
    const p = typeof m.proto === 'string' ? m.proto.toLowerCase() : m.proto;
    if (p === 'tcp' || p === 'udp') proto = p;
    else {
      r.problem([...path, 'proto'], `must be tcp or udp, got ${JSON.stringify(m.proto)}`);
      proto = undefined;
    }
  }
  const endpoint = r.number(m.endpoint, [...path, 'endpoint'], 0, 10_000) ?? 0;
  if (m.reply !== undefined && typeof m.reply !== 'boolean') r.problem([...path, 'reply'], `must be true or false, got ${JSON.stringify(m.reply)}`);
  if (!from?.ok || !to?.ok || !proto) return undefined;
  const request: TraceRequest = { from: from.value, to: to.value, proto };
  return { request, endpoint, reply: m.reply === true };
}

function readQuestion(r: Reader, v: unknown, path: Path): LessonQuestion | undefined {
  if (typeof v === 'string') return { ask: v.trim(), parts: ['answer', 'verdict', 'source'] };
  const m = r.map(v, path);
  if (!m) return undefined;
  r.known(m, path, ['ask', 'predict']);
  const ask = r.string(m.ask, [...path, 'ask'], true);
  let parts: PredictPart[] = ['answer', 'verdict', 'source'];
  if (m.predict !== undefined) {
    parts = [];
    r.list(m.predict, [...path, 'predict']).forEach((p, i) => {
      if (PREDICT_PARTS.includes(p as PredictPart)) parts.push(p as PredictPart);
      else r.problem([...path, 'predict', i], `must be one of ${PREDICT_PARTS.join(', ')}, got ${JSON.stringify(p)}`);
    });
    if (parts.length === 0 && Array.isArray(m.predict)) r.problem([...path, 'predict'], `name at least one of ${PREDICT_PARTS.join(', ')}`);
  }
  return ask && parts.length ? { ask, parts } : undefined;
}

function readExpect(r: Reader, v: unknown, path: Path): LessonExpect | undefined {
  const m = r.map(v, path);
  if (!m) return undefined;
  r.known(m, path, ['verdict', 'answeredBy', 'sourceSeen', 'candidates', 'mentions', 'crosses', 'avoids', 'refused', 'warns']);
  const e: LessonExpect = {};
  if (m.verdict !== undefined) {
    if (VERDICTS.includes(m.verdict as Verdict)) e.verdict = m.verdict as Verdict;
    else r.problem([...path, 'verdict'], `must be one of ${VERDICTS.join(', ')}, got ${JSON.stringify(m.verdict)}`);
  }
  for (const key of ['answeredBy', 'sourceSeen'] as const) {
    if (m[key] === undefined) continue;
    if (m[key] === null || m[key] === 'none') e[key] = null;
    else {
      const s = r.string(m[key], [...path, key]);
      if (s !== undefined) e[key] = key === 'answeredBy' ? s.replace(/^pod\//, '') : s;
    }
  }
  if (Array.isArray(m.candidates)) {
    e.candidates = m.candidates.map((x, i) => r.string(x, [...path, 'candidates', i], true)).filter((x): x is string => x !== undefined).map((x) => x.replace(/^pod\//, ''));
  } else {
    const candidates = r.number(m.candidates, [...path, 'candidates'], 0, 100_000);
    if (candidates !== undefined) e.candidates = candidates;
  }
  for (const key of ['mentions', 'crosses', 'avoids'] as const) {
    if (m[key] === undefined) continue;
    const texts = r.list(m[key], [...path, key]).map((x, i) => r.string(x, [...path, key, i], true)).filter((x): x is string => x !== undefined);
    e[key] = texts;
  }
  const refused = r.string(m.refused, [...path, 'refused']);
  if (refused !== undefined) e.refused = refused;
  if (m.warns !== undefined) {
    e.warns = [];
    r.list(m.warns, [...path, 'warns']).forEach((w, i) => {
      if (LESSON_WARNINGS.includes(w as WarningCode)) e.warns!.push(w as WarningCode);
      else r.problem([...path, 'warns', i], `must be one of ${LESSON_WARNINGS.join(', ')}, got ${JSON.stringify(w)}`);
    });
  }
  return e;
}

function readStep(r: Reader, v: unknown, path: Path): LessonStepSource | undefined {
  const m = r.map(v, path);
  if (!m) return undefined;
  r.known(m, path, STEP_FIELDS);
  const say = r.string(m.say, [...path, 'say'], true);
  const title = r.string(m.title, [...path, 'title']);
  const highlight = r
    .list(m.highlight, [...path, 'highlight'])
    .map((x, i) => r.ref(x, [...path, 'highlight', i]))
    .filter((x): x is LessonRef => x !== undefined);
  let cni: CniMode | undefined;
  if (m.cni !== undefined) {
    if (CNI_MODES.includes(m.cni as CniMode)) cni = m.cni as CniMode;
    else r.problem([...path, 'cni'], `must be one of ${CNI_MODES.join(', ')}, got ${JSON.stringify(m.cni)}`);
  }
  const edits: LessonEdit[] = [];
  if (Array.isArray(m.edit)) m.edit.forEach((e, i) => edits.push(...[readEdit(r, e, [...path, 'edit', i])].filter((x): x is LessonEdit => x !== undefined)));
  else if (m.edit !== undefined) {
    const e = readEdit(r, m.edit, [...path, 'edit']);
    if (e) edits.push(e);
  }
  const packet = m.packet === undefined ? undefined : readPacket(r, m.packet, [...path, 'packet']);
  const question = m.question === undefined ? undefined : readQuestion(r, m.question, [...path, 'question']);
  const expect = m.expect === undefined ? undefined : readExpect(r, m.expect, [...path, 'expect']);
  if (question && m.packet === undefined) r.problem([...path, 'question'], 'a question needs a packet to predict: add packet (from, to) to this step');
  if (expect && m.packet === undefined && expect.refused === undefined && expect.warns === undefined) r.problem([...path, 'expect'], 'there is no packet in this step for these expectations to hold of');
  if (say === undefined) return undefined;
  return {
    say,
    highlight,
    edits,
    ...(title ? { title } : {}),
    ...(cni ? { cni } : {}),
    ...(packet ? { packet } : {}),
    ...(question ? { question } : {}),
    ...(expect ? { expect } : {}),
  };
}

/** The line of the deepest node on a path that exists in the YAML (yaml's own lookup and line counter). */
function locator(doc: Document, lines: LineCounter): (path: Path) => number | undefined {
  return (path) => {
    for (let k = path.length; k > 0; k--) {
      const node: unknown = doc.getIn(path.slice(0, k), true);
      const range = isNode(node) ? node.range : undefined;
      if (range) return lines.linePos(range[0]).line;
    }
    return undefined;
  };
}

export type ReadLesson = { ok: true; value: LessonSource } | { ok: false; issues: LessonIssue[] };

/** Read a lesson file's shape. `source` names the file in every message. */
export function readLesson(text: string, source: string): ReadLesson {
  const lines = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: true, lineCounter: lines });
  if (doc.errors.length) {
    return {
      ok: false,
      issues: doc.errors.map((e) => ({ document: source, field: '', reason: `is not valid YAML: ${e.message.split('\n')[0]}`, ...(e.linePos?.[0] ? { line: e.linePos[0].line, column: e.linePos[0].col } : {}) })),
    };
  }
  const lineOf = locator(doc, lines);
  const r = new Reader(source, lineOf);
  const root: unknown = doc.toJS();
  if (!isObj(root)) {
    r.problem([], 'a lesson file is one Lesson document: apiVersion, kind, metadata, spec');
    return { ok: false, issues: r.issues };
  }
  if (root.apiVersion !== PODPATH_API_VERSION) r.problem(['apiVersion'], `must be ${PODPATH_API_VERSION}, got ${JSON.stringify(root.apiVersion)}`);
  if (root.kind !== 'Lesson') r.problem(['kind'], `must be Lesson, got ${JSON.stringify(root.kind)}`);
  const meta = r.map(root.metadata, ['metadata']);
  const name = r.string(meta?.name, ['metadata', 'name'], true);
  const spec = r.map(root.spec, ['spec']);
  if (!spec) {
    if (root.spec === undefined) r.problem(['spec'], 'is required: title, scenario and steps');
    return { ok: false, issues: r.issues };
  }
  r.known(spec, ['spec'], ['title', 'summary', 'scenario', 'steps']);
  const title = r.string(spec.title, ['spec', 'title'], true);
  const summary = r.string(spec.summary, ['spec', 'summary']);
  const scenario = readScenario(r, spec.scenario, ['spec', 'scenario']);
  const rawSteps = r.list(spec.steps, ['spec', 'steps']);
  if (rawSteps.length === 0 && (spec.steps === undefined || Array.isArray(spec.steps))) r.problem(['spec', 'steps'], 'a lesson needs at least one step');
  const steps = rawSteps.map((s, i) => readStep(r, s, ['spec', 'steps', i]));
  if (r.issues.length || !name || !title || !scenario) return { ok: false, issues: r.issues };
  return { ok: true, value: { source, name, title, ...(summary ? { summary } : {}), scenario, steps: steps as LessonStepSource[], lineOf } };
}
