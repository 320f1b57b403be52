// The one way in for what the playground saved (after excalidraw's data/restore.ts:
// everything loaded is restored through one function). A save is a versioned JSON
// envelope; its cluster is the Kubernetes documents Export writes, read back by the
// same parser and IPAM as an imported file (`loadScenario`), so a saved cluster can
// never hold what an import would refuse (an unknown CNI, a pod without an address).
// Older envelopes are migrated step by step to the current version first; what
// cannot be read comes back as a typed problem with the text untouched, never as a
// half-read cluster. The playground restores its browser storage, its undo history
// and imported saves through here; the CLI can read a save the same way.
import { loadScenario, loadScenarioFiles } from '../index.ts';
import { fail, type PodpathIssue, type Result } from '../errors.ts';
import type { Scenario } from '../model.ts';
import { TRACE_SIZE_MAX, TRACE_SIZE_MIN, type TraceDestination, type TraceRequest, type TraceSource } from '../trace/types.ts';
import { LAST_RESERVED_ANNOTATION, OWNER_ANNOTATION, PODPATH_API_VERSION } from './parse.ts';
import { SAVE_VERSION, type RestoreProblem } from './restoreProblem.ts';
import { scenarioDocuments } from './write.ts';
import { nameUnnamedPorts } from './portNames.ts';
import type { ScenarioFile } from './dumpLayout.ts';

export { SAVE_VERSION, describeRestoreProblem, type RestoreProblem } from './restoreProblem.ts';

/** What marks a JSON object as a playground save (version 2 on). */
export const SAVE_FORMAT = 'podpath-playground';
/** How the parser names the save when the problem is the save as a whole. */
const SOURCE = 'saved state';
const DEFAULT_SPEED = 1.5;

export interface XY {
  x: number;
  y: number;
}

/** Everything the playground keeps between visits. */
export interface SavedPlayground {
  scenario: Scenario;
  /** Canvas positions a person chose, by element id. */
  positions: Record<string, XY>;
  /** The packet being traced. */
  request: TraceRequest | null;
  showReply: boolean;
  /** Hops per second. */
  speed: number;
  /** Where the walk was: its step, and which of kube-proxy's endpoints it follows (absent: the first of each). */
  step?: number;
  endpoint?: number;
}

export type Restored =
  | {
      ok: true;
      value: SavedPlayground;
      /** The parser's warnings about the cluster (said before, when it was imported or edited). */
      warnings: string[];
      /** What restoring changed, for the person to hear once: a migration's changes, a packet or positions that could not be kept. */
      changes: string[];
      /** The version it was written in, when older than SAVE_VERSION. */
      migratedFrom?: number;
    }
  | { ok: false; problem: RestoreProblem };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A cluster's documents as JSON, written once per cluster (a moved packet or a new speed saves again, the cluster is the same). */
const documentsJson = new WeakMap<Scenario, string>();

/** The save as it is written: the current version of the envelope. */
export function saveText(save: SavedPlayground): string {
  let documents = documentsJson.get(save.scenario);
  if (documents === undefined) documentsJson.set(save.scenario, (documents = JSON.stringify(scenarioDocuments(save.scenario))));
  const rest = JSON.stringify({ positions: save.positions, request: save.request, showReply: save.showReply, speed: save.speed, step: save.step, endpoint: save.endpoint });
  return `{"format":${JSON.stringify(SAVE_FORMAT)},"version":${SAVE_VERSION},"scenario":${documents},${rest.slice(1)}`;
}

/** Read a saved cluster's documents with the scenario parser and IPAM, as an import is read. */
function readCluster(documents: unknown): Result<Scenario> {
  if (!Array.isArray(documents)) return fail([{ document: SOURCE, field: 'scenario', reason: 'must be a list of Kubernetes documents' }]);
  // A save lists every node it had (maybe none): no default nodes.
  return loadScenario(JSON.stringify(documents), SOURCE, { defaultNodes: false });
}

/**
 * A cluster already in memory (an undo step, a generated cluster) read the same way
 * as a saved one: written out as documents, then parsed and allocated.
 */
export function restoreScenario(s: Scenario): Result<Scenario> {
  return readCluster(scenarioDocuments(s));
}

// ---- migrations: one step per version, each to the next -----------------------------

type Step = (envelope: Obj) => { ok: true; envelope: Obj; warnings: string[] } | { ok: false; problem: RestoreProblem };

/**
 * Version 1 was zustand's persist envelope, `{ state, version: 1 }`, holding the
 * engine's Scenario object as it was in memory. Version 2 holds the documents
 * instead, so the parser reads every field: the old object is turned into those
 * documents field by field (without trusting any of it), and whatever is wrong with
 * a field is then said by the parser, as for a file.
 */
function fromVersion1(envelope: Obj): ReturnType<Step> {
  const state = envelope.state;
  if (!isObj(state) || !isObj(state.scenario)) return { ok: false, problem: { code: 'not-a-save' } };
  const documents = documentsOfVersion1(state.scenario);
  if (!documents.ok) return { ok: false, problem: { code: 'cluster-refused', issues: documents.issues } };
  return {
    ok: true,
    envelope: { format: SAVE_FORMAT, version: 2, scenario: documents.value, positions: state.positions, request: state.request, showReply: state.showReply, speed: state.speed },
    warnings: documents.warnings,
  };
}

const STEPS: Record<number, Step> = { 1: fromVersion1 };

function documentsOfVersion1(s: Obj): { ok: true; value: Obj[]; warnings: string[] } | { ok: false; issues: PodpathIssue[] } {
  const issues: PodpathIssue[] = [];
  const warnings: string[] = [];
  const list = (field: string): unknown[] => {
    const v = s[field];
    if (v === undefined) return [];
    if (Array.isArray(v)) return v;
    issues.push({ document: SOURCE, field: `scenario.${field}`, reason: 'must be a list' });
    return [];
  };
  const objects = (field: string): Obj[] =>
    list(field).filter((v, i): v is Obj => {
      if (isObj(v)) return true;
      issues.push({ document: SOURCE, field: `scenario.${field}[${i}]`, reason: 'must be a mapping' });
      return false;
    });
  const docs: Obj[] = [];
  if (s.cluster !== undefined && !isObj(s.cluster)) issues.push({ document: SOURCE, field: 'scenario.cluster', reason: 'must be a mapping' });
  if (isObj(s.cluster)) docs.push({ apiVersion: PODPATH_API_VERSION, kind: 'Cluster', metadata: { name: 'cluster' }, spec: s.cluster });
  for (const name of list('namespaces')) if (name !== 'default') docs.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  for (const n of objects('nodes')) {
    docs.push({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: n.name, labels: n.labels, ...(n.lastReservedIP !== undefined ? { annotations: { [LAST_RESERVED_ANNOTATION]: n.lastReservedIP } } : {}) },
      spec: { podCIDR: n.podCIDR },
      ...(n.internalIP !== undefined ? { status: { addresses: [{ type: 'InternalIP', address: n.internalIP }] } } : {}),
    });
  }
  for (const p of objects('pods')) {
    const owner = p.ownerKind !== undefined && p.ownerName !== undefined ? { annotations: { [OWNER_ANNOTATION]: `${String(p.ownerKind)}/${String(p.ownerName)}` } } : {};
    docs.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: p.name, namespace: p.namespace, labels: p.labels, ...owner },
      // The model's container port has Kubernetes' own field names.
      spec: { nodeName: p.nodeName, containers: [{ name: 'app', ports: p.ports }] },
      status: { podIP: p.podIP },
    });
  }
  for (const v of objects('services')) {
    // So has a Service port. Version 1's playground let a Service have several
    // ports without names, which Kubernetes (and the parser) refuse: name them.
    let ports = v.ports;
    if (Array.isArray(ports) && ports.every(isObj)) {
      const named = nameUnnamedPorts(ports as { name?: string }[]);
      if (named !== ports) warnings.push(`Service ${String(v.namespace)}/${String(v.name)}: its ports had no names, which Kubernetes requires when a Service has more than one; they are now ${named.map((p) => p.name).join(', ')}`);
      ports = named;
    }
    docs.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: v.name, namespace: v.namespace }, spec: { type: v.type, selector: v.selector, clusterIP: v.clusterIP, ports } });
  }
  return issues.length ? { ok: false, issues } : { ok: true, value: docs, warnings };
}

// ---- the rest of the envelope: kept when well-formed, let go (with a word) when not ----

function readPositions(v: unknown, warnings: string[]): Record<string, XY> {
  const out: Record<string, XY> = {};
  if (v === undefined || v === null) return out;
  if (!isObj(v)) {
    warnings.push('the saved positions could not be read: every element is placed afresh');
    return out;
  }
  let bad = 0;
  for (const [id, at] of Object.entries(v)) {
    if (isObj(at) && Number.isFinite(at.x) && Number.isFinite(at.y)) out[id] = { x: at.x as number, y: at.y as number };
    else bad++;
  }
  if (bad) warnings.push(`${bad} saved position${bad === 1 ? '' : 's'} could not be read: ${bad === 1 ? 'that element is' : 'those elements are'} placed afresh`);
  return out;
}

const str = (v: unknown): v is string => typeof v === 'string' && v !== '';
const port = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535;

function readSource(v: unknown): TraceSource | undefined {
  if (!isObj(v)) return undefined;
  if ((v.kind === 'pod' || v.kind === 'deployment') && str(v.namespace) && str(v.name)) return { kind: v.kind, namespace: v.namespace, name: v.name };
  if (v.kind === 'node' && str(v.name)) return { kind: 'node', name: v.name };
  if (v.kind === 'external') return { kind: 'external' };
  return undefined;
}

function readDestination(v: unknown): TraceDestination | undefined {
  if (!isObj(v) || !port(v.port)) return undefined;
  if ((v.kind === 'pod' || v.kind === 'service') && str(v.namespace) && str(v.name)) return { kind: v.kind, namespace: v.namespace, name: v.name, port: v.port };
  if (v.kind === 'node' && str(v.name)) return { kind: 'node', name: v.name, port: v.port };
  if (v.kind === 'ip' && str(v.ip)) return { kind: 'ip', ip: v.ip, port: v.port };
  return undefined;
}

function readRequest(v: unknown, warnings: string[]): TraceRequest | null {
  if (v === undefined || v === null) return null;
  const from = isObj(v) ? readSource(v.from) : undefined;
  const to = isObj(v) ? readDestination(v.to) : undefined;
  if (from && to && isObj(v) && (v.proto === 'tcp' || v.proto === 'udp')) {
    if (v.size === undefined) return { from, to, proto: v.proto };
    // A size is the trace's to check (UDP only, 28-65535): one it would refuse is dropped here, said.
    if (v.proto === 'udp' && typeof v.size === 'number' && Number.isInteger(v.size) && v.size >= TRACE_SIZE_MIN && v.size <= TRACE_SIZE_MAX) return { from, to, proto: v.proto, size: v.size };
    warnings.push(`the saved packet's size ${JSON.stringify(v.size)} could not be used (a UDP packet of ${TRACE_SIZE_MIN}-${TRACE_SIZE_MAX} bytes): it is sent at its usual size`);
    return { from, to, proto: v.proto };
  }
  warnings.push('the saved packet could not be read: press Send packet to choose its ends again');
  return null;
}

// ---- the one function --------------------------------------------------------------

/**
 * Files a person opens at once (a cluster-info dump directory's files, a Cluster
 * document beside them): read together by the parser and IPAM as one scenario, as
 * one file is, each issue naming its file. A save is a whole playground: it opens alone.
 */
export function restoreFiles(files: ScenarioFile[]): Result<Scenario> {
  const save = files.length > 1 ? files.find((f) => looksLikeSave(f.text)) : undefined;
  if (save) return fail([{ document: save.name, field: '', reason: 'is a saved playground, which opens on its own: import it alone, or import the other files without it' }]);
  return loadScenarioFiles(files);
}

/** Is this text a playground save rather than a scenario file? (A save is one JSON object with a version and no kind.) */
export function looksLikeSave(text: string): boolean {
  if (!text.trimStart().startsWith('{')) return false;
  try {
    const v: unknown = JSON.parse(text);
    return isObj(v) && v.kind === undefined && 'version' in v;
  } catch {
    return false;
  }
}

/** Read a saved playground: migrate it to the current version, then parse and allocate its cluster. */
export function restoreSave(text: string): Restored {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, problem: { code: 'not-json' } };
  }
  if (!isObj(value) || !('version' in value)) return { ok: false, problem: { code: 'not-a-save' } };
  const written = value.version;
  if (typeof written !== 'number' || !Number.isInteger(written) || written < 1) return { ok: false, problem: { code: 'unknown-version', version: written } };
  if (written > SAVE_VERSION) return { ok: false, problem: { code: 'newer-version', version: written } };
  let envelope = value;
  const migrated: string[] = [];
  for (let v = written; v < SAVE_VERSION; v++) {
    const step = STEPS[v];
    if (!step) return { ok: false, problem: { code: 'unknown-version', version: written } };
    const next = step(envelope);
    if (!next.ok) return next;
    envelope = next.envelope;
    migrated.push(...next.warnings);
  }
  if (envelope.format !== SAVE_FORMAT) return { ok: false, problem: { code: 'not-a-save' } };
  const cluster = readCluster(envelope.scenario);
  if (!cluster.ok) return { ok: false, problem: { code: 'cluster-refused', issues: cluster.issues } };
  // An older save hears the parser's warnings once more: the parser reads fields it never did.
  const changes = written < SAVE_VERSION ? [...migrated, ...cluster.warnings] : [];
  const save: SavedPlayground = {
    scenario: cluster.value,
    positions: readPositions(envelope.positions, changes),
    request: readRequest(envelope.request, changes),
    showReply: envelope.showReply === true,
    speed: typeof envelope.speed === 'number' && Number.isFinite(envelope.speed) && envelope.speed > 0 ? envelope.speed : DEFAULT_SPEED,
  };
  // Where the walk was: kept when it is a count, else the walk starts over (nothing to say: the packet is there).
  const count = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
  if (save.request && count(envelope.step)) save.step = envelope.step;
  if (save.request && count(envelope.endpoint)) save.endpoint = envelope.endpoint;
  return { ok: true, value: save, warnings: cluster.warnings, changes, ...(written < SAVE_VERSION ? { migratedFrom: written } : {}) };
}

// ---- a share link: a save, plus where the person was in it -----------------------

/** A lesson open when the link was made: its name (metadata.name) and step (0-based). */
export interface SharedLesson {
  name: string;
  step: number;
}

/**
 * What a share link holds: everything a save holds, plus the walk as the person saw
 * it (kube-proxy's endpoint, the hop on screen) and the lesson step, if any. Written
 * as a save envelope (same format, same version, same migrations) with one more
 * field, `share`; a save without it reads as a link to hop 0 with no lesson.
 */
export interface SharedPlayground extends SavedPlayground {
  endpoint: number;
  step: number;
  lesson: SharedLesson | null;
}

export type RestoredShare = (Extract<Restored, { ok: true }> & { value: SharedPlayground }) | Extract<Restored, { ok: false }>;

/** The link's envelope as text (before compression). */
export function shareText(s: SharedPlayground): string {
  const share = JSON.stringify({ endpoint: s.endpoint, step: s.step, lesson: s.lesson });
  return `${saveText(s).slice(0, -1)},"share":${share}}`;
}

const index = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** Read a share link's envelope: the one restore function for the save, then the walk and lesson (each let go of, with a word, when malformed). */
export function restoreShared(text: string): RestoredShare {
  const r = restoreSave(text);
  if (!r.ok) return r;
  // restoreSave has parsed this text already: it is a JSON object.
  const envelope = JSON.parse(text) as Obj;
  const share = envelope.share;
  const changes = [...r.changes];
  let endpoint = 0;
  let step = 0;
  let lesson: SharedLesson | null = null;
  if (share !== undefined) {
    if (!isObj(share)) changes.push('the link\'s walk position could not be read: the walk starts at its first hop');
    else {
      if (index(share.endpoint)) endpoint = share.endpoint;
      else if (share.endpoint !== undefined) changes.push('the link\'s choice of endpoint could not be read: kube-proxy\'s first endpoint is followed');
      if (index(share.step)) step = share.step;
      else if (share.step !== undefined) changes.push('the link\'s hop could not be read: the walk starts at its first hop');
      const l = share.lesson;
      if (isObj(l) && str(l.name) && index(l.step)) lesson = { name: l.name, step: l.step };
      else if (l !== undefined && l !== null) changes.push('the link\'s lesson could not be read: the cluster opens without it');
    }
  }
  // A link to no packet has no walk to be in.
  if (!r.value.request) [endpoint, step] = [0, 0];
  return { ...r, changes, value: { ...r.value, endpoint, step, lesson } };
}
