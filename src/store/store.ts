// The playground's state: the scenario being edited (with the positions a person
// chose), the packet being traced and where playback is, and what is selected.
// Thin glue: every change to the cluster is one of src/sim/edit's operations, and a
// refused change leaves the cluster as it was with the engine's message to show.
// Every cluster that comes in from outside an edit (a file, a save, an undo step, a
// generated cluster) comes through src/sim/scenario/restore.ts: the scenario parser
// and IPAM, as for an import. Keeping it in the browser is ./persist.ts.
import { createStore } from 'zustand/vanilla';
import { temporal } from 'zundo';
import { ok, type Result } from '../sim/errors.ts';
import type { ClusterSpec, ContainerPort, Scenario, ServicePort, ServiceType } from '../sim/model.ts';
import { objectKey } from '../sim/model.ts';
import type * as edit from '../sim/edit.ts';
import type { TraceDestination, TraceRequest, TraceSource } from '../sim/trace/types.ts';
import type { SavedPlayground } from '../sim/scenario/restore.ts';
import { describeRestoreProblem, type RestoreProblem } from '../sim/scenario/restoreProblem.ts';
import type { Prediction } from '../sim/lesson/predict.ts';
import type { PredictPart } from '../sim/lesson/types.ts';
import { allocate, endsExist, formatIssue, loadedTrace, loadWalk } from './engine.ts';
import { dataplaneOf } from './derived.ts';
import { loadedEdits, loadEdits } from './edits.ts';
import { followEndpoint } from './followEndpoint.ts';
import { DEMO } from './demo.ts';
import { elementId, elementOfEnd, elementOfId, endId, keyParts, nodeId, podId, serviceId, type ElementKind, type ElementRef, type PacketEnd } from './ids.ts';

/** The file reader, the writer and the restore function: loaded on demand (the YAML parser is not needed for the first view). */
export type Io = typeof import('./io.ts');
let io: Io | undefined;
let ioLoading: Promise<Io> | undefined;
export function loadIo(): Promise<Io> {
  return (ioLoading ??= import('./io.ts').then((m) => (io = m)));
}

/**
 * Clusters the parser has read (or written by restoreScenario): the parser's verdict
 * on a cluster object is the same every time (clusters are never changed in place),
 * so each is read once however often undo and redo come back to it.
 */
const admitted = new WeakSet<Scenario>();
function admitScenario(m: Io, s: Scenario): Result<Scenario> {
  if (admitted.has(s)) return ok(s);
  const r = m.restoreScenario(s);
  if (r.ok) admitted.add(r.value);
  return r;
}

/** A save that could not be read, kept word for word until the person downloads or discards it. */
export interface UnreadableSave {
  text: string;
  problem: RestoreProblem;
}

export type { ElementKind };
export interface XY {
  x: number;
  y: number;
}
/** What is selected: a node by name, a pod or Service by `namespace/name`. */
export type Selection = ElementRef | null;
/** A message for the person, and what it is about (an element id, `palette`, `import`, `packet`). */
export interface Notice {
  kind: 'error' | 'hint';
  text: string;
  /** Shell commands to show as such, one per line. */
  commands?: string[];
  near?: string;
  /** What an import warned of, one item a warning: shown folded under `headline` (a dump's list is long, and would cover the cluster); `text` says it all as one message. */
  fold?: { headline: string; warnings: string[] };
}

/** Predict mode: before the packet moves, the person predicts these parts (a lesson's question, or the Predict control: all of them). */
export interface PredictMode {
  /** The lesson's question, as the teacher asked it. */
  ask?: string;
  parts: PredictPart[];
}

/** What undo/redo and the browser's storage keep. */
export interface Doc {
  scenario: Scenario;
  /** Canvas positions the person chose, by element id (`node:NAME`, `svc:NS/NAME`: see ids.ts). */
  positions: Record<string, XY>;
  /**
   * The packet on screen, its endpoint and step when the step was taken (history
   * only; absent: leave the packet as it is). Undo brings back the walk an edit
   * cleared (its pod deleted, the cluster made New) with the cluster it walked in.
   */
  request?: TraceRequest | null;
  endpoint?: number;
  step?: number;
}

export interface PlaygroundState extends Doc {
  selection: Selection;
  /** Counts select() calls: a new selection (not a rename of the same one) starts the Inspector afresh. */
  selectionSerial: number;
  /** Counts send() calls: each is a packet sent (Send packet, a change of the packet's ends, a matrix cell), which the rule counters count. */
  sendSerial: number;
  notice: Notice | null;
  request: TraceRequest | null;
  showReply: boolean;
  step: number;
  playing: boolean;
  /** Hops per second. */
  speed: number;
  /** Picking a packet's ends on the canvas: which end the next click sets. */
  picking: 'from' | 'to' | null;
  /** Saves that could not be read (oldest first): shown one at a time, offered for download. */
  unreadable: UnreadableSave[];
  /** Which of kube-proxy's endpoints the walk follows (0-based, in the order of the trace's candidates; the kernel picks at random). */
  endpoint: number;
  /** Predict mode (null: off). While on, the walk waits for a prediction and shows no hop ahead of the one played. */
  predict: PredictMode | null;
  /** The prediction locked in for the packet on screen (null: none yet). A new packet or a changed cluster asks again. */
  guess: Prediction | null;
  /** A lesson is open: the cluster on screen is the lesson's, and is not saved over the person's own. */
  inLesson: boolean;
  /** A Service connected to a pod it does not select: the person chooses how it should (see connectServiceToPod). */
  linking: { service: string; pod: string } | null;
  /**
   * The cluster on screen came from a share link and is not edited yet: not saved over
   * the person's own (see persist.ts). A new object for every link opened, so an edit
   * (the cluster changes, this stays the same object) can be told from a link arriving.
   */
  fromLink: { opened: number } | null;

  addNode(at?: XY, name?: string): boolean;
  addPod(nodeName: string, opts?: edit.NewPod): boolean;
  addService(at?: XY, opts?: edit.NewService): boolean;
  movePod(podKey: string, nodeName: string): boolean;
  /** A Deployment: its ReplicaSet's pods, placed by the scheduler rule; the first is selected. */
  addDeployment(opts?: edit.NewDeployment): boolean;
  /** `kubectl scale deployment/NAME --replicas=N`: pods made or deleted as the ReplicaSet would, said in a hint. */
  scaleDeployment(namespace: string, name: string, replicas: number): boolean;
  rename(kind: ElementKind, key: string, name: string): boolean;
  remove(kind: ElementKind, key: string): boolean;
  setLabels(kind: 'node' | 'pod', key: string, labels: Record<string, string>): boolean;
  setPodPorts(key: string, ports: ContainerPort[]): boolean;
  setSelector(key: string, selector: Record<string, string>): boolean;
  /** The cluster's NetworkPolicies replaced by a YAML text's (the policy editor), refused with the parser's reasons. */
  setNetworkPolicies(text: string, near: string): boolean;
  /** A default-deny-ingress NetworkPolicy in a namespace. */
  addDenyIngress(namespace: string, near: string): boolean;
  /** A Service connected to a pod on the canvas: selects it at once when that is the only meaning, else asks (linking). */
  connectServiceToPod(svcKey: string, podKey: string): void;
  /** The answers to linking: give the pod the selector's labels, or select by what the pods share. */
  labelPodForService(svcKey: string, podKey: string): boolean;
  widenSelector(svcKey: string, podKey: string): boolean;
  cancelLink(): void;
  setServiceType(key: string, type: ServiceType): boolean;
  setTrafficPolicy(key: string, which: 'external' | 'internal', policy: 'Cluster' | 'Local'): boolean;
  setServicePorts(key: string, ports: ServicePort[]): boolean;
  setCluster(patch: Partial<ClusterSpec>): boolean;
  newCluster(): void;
  loadDemo(): void;
  /** Replace the cluster with a scenario file's (or a saved playground's); a bad file changes nothing. */
  importText(text: string, source?: string): Promise<boolean>;
  /** Several files imported at once (a cluster-info dump's files) as one scenario, through restore.ts; one file is importText. */
  importFiles(files: { name: string; text: string }[]): Promise<boolean>;
  /** Open a save that restore.ts has read: its cluster, positions and packet. */
  adopt(save: SavedPlayground, notice?: Notice | null, also?: Partial<PlaygroundState>): void;
  /** Open a cluster made in memory (a generated one): read by the parser first, like any other. */
  adoptScenario(s: Scenario): Promise<boolean>;
  /** Let go of the first unreadable save (after it was downloaded, or by choice). */
  discardUnreadable(): void;
  exportText(): Promise<string>;
  /** The `podpath lab` script for the cluster on screen (what the CLI prints for its export). */
  labScriptText(): Promise<string>;
  setPosition(id: string, at: XY): void;
  select(sel: Selection): void;
  notify(n: Notice | null): void;

  /** Send a packet (this one, or the one on screen, or a default one), following kube-proxy's endpoint `endpoint`. */
  send(req?: TraceRequest, endpoint?: number): void;
  /** Follow another of kube-proxy's endpoints (the CLI's --endpoint), at the same step: the walk changes from the DNAT on. */
  setEndpoint(endpoint: number): void;
  setPredict(mode: PredictMode | null): void;
  /** Lock in a prediction: the walk may then be played. */
  lockGuess(guess: Prediction): void;
  clearTrace(): void;
  setStep(i: number): void;
  setPlaying(p: boolean): void;
  setSpeed(s: number): void;
  setShowReply(r: boolean): void;
  setPicking(p: 'from' | 'to' | null): void;
}

/** From the first pod to the second, on the second's first port: one click shows a walk. */
export function defaultRequest(s: Scenario): TraceRequest | null {
  const [a, b] = s.pods;
  if (!a) return null;
  const target = b ?? a;
  return {
    from: { kind: 'pod', namespace: a.namespace, name: a.name },
    to: { kind: 'pod', namespace: target.namespace, name: target.name, port: target.ports[0]?.containerPort ?? 80 },
    proto: target.ports[0]?.protocol === 'UDP' ? 'udp' : 'tcp',
  };
}

/**
 * The port a new destination is most likely meant to be reached on: a pod's first
 * containerPort, a Service's first port, for a node the first NodePort of any Service.
 */
export function naturalPort(s: Scenario, end: PacketEnd): number | undefined {
  if (end.kind === 'pod') return s.pods.find((p) => p.namespace === end.namespace && p.name === end.name)?.ports[0]?.containerPort;
  if (end.kind === 'service') return s.services.find((v) => v.namespace === end.namespace && v.name === end.name)?.ports[0]?.port;
  if (end.kind === 'node') for (const v of s.services) for (const p of v.ports) if (p.nodePort) return p.nodePort;
  return undefined;
}

/** What a save keeps of the playground (the browser's save, a playground set aside): the cluster, where it is drawn, and the walk where it was. */
export function savedOf(st: PlaygroundState): SavedPlayground {
  return { scenario: st.scenario, positions: st.positions, request: st.request, showReply: st.showReply, speed: st.speed, step: st.step, endpoint: st.endpoint };
}

export function initialDoc(): Doc {
  const r = allocate(DEMO);
  return { scenario: r.ok ? r.value : DEMO, positions: {} };
}

/** Whether a selected element is still in the cluster. */
export function elementExists(s: Scenario, el: ElementRef): boolean {
  if (el.kind === 'node') return s.nodes.some((n) => n.name === el.key);
  const list = el.kind === 'pod' ? s.pods : s.services;
  return list.some((o) => objectKey(o) === el.key);
}

/** Whether every object a trace request names is still in the cluster: the engine says, by its typed `no-such-object` code. */
export function requestEndsExist(s: Scenario, req: TraceRequest): boolean {
  return endsExist(s, req);
}

export function createPlayground() {
  // The store itself, for the undo gate below (it runs after the store exists).
  let self: { setState(p: Partial<PlaygroundState>): void; getState(): PlaygroundState } | undefined;
  const store = createStore<PlaygroundState>()(
    temporal(
      (set, get) => {
        /** Run one edit; on refusal keep everything and say why, near what caused it. */
        const apply = (r: Result<Scenario>, near?: string, extra: Partial<PlaygroundState> = {}): boolean => {
          const out = r;
          if (!out.ok) {
            set({ notice: { kind: 'error', text: out.issues.map(formatIssue).join('\n'), near } });
            return false;
          }
          const warning = out.warnings[0];
          set({ scenario: out.value, notice: warning ? { kind: 'hint', text: warning, near } : null, ...extra });
          return true;
        };
        const s = () => get().scenario;
        /** An edit asked for before the edits have loaded (edits.ts): done when they arrive; false until then. */
        const afterEdits = (redo: () => unknown): false => {
          loadEdits().then(redo, () => set({ notice: { kind: 'error', text: 'podpath could not load its editor (the network?): nothing was changed. Try again.' } }));
          return false;
        };
        return {
          ...initialDoc(),
          selection: null,
          selectionSerial: 0,
          sendSerial: 0,
          notice: null,
          request: null,
          showReply: false,
          step: 0,
          playing: false,
          speed: 1.5,
          picking: null,
          unreadable: [],
          endpoint: 0,
          predict: null,
          guess: null,
          inLesson: false,
          linking: null,
          fromLink: null,

          addNode(at, name) {
            const edit = loadedEdits();
            if (!edit) return afterEdits(() => get().addNode(at, name));
            const r = edit.addNode(s(), name);
            if (!r.ok) return apply(r, 'palette');
            const added = r.value.nodes[r.value.nodes.length - 1].name;
            const positions = at ? { ...get().positions, [nodeId(added)]: at } : get().positions;
            return apply(r, 'palette', { positions, selection: { kind: 'node', key: added } });
          },
          addPod(nodeName, opts) {
            const edit = loadedEdits();
            if (!edit) return afterEdits(() => get().addPod(nodeName, opts));
            const r = edit.addPod(s(), nodeName, opts);
            if (!r.ok) return apply(r, nodeId(nodeName));
            const p = r.value.pods[r.value.pods.length - 1];
            return apply(r, nodeId(nodeName), { selection: { kind: 'pod', key: objectKey(p) } });
          },
          addService(at, opts) {
            const edit = loadedEdits();
            if (!edit) return afterEdits(() => get().addService(at, opts));
            const r = edit.addService(s(), opts);
            if (!r.ok) return apply(r, 'palette');
            const v = r.value.services[r.value.services.length - 1];
            const positions = at ? { ...get().positions, [serviceId(objectKey(v))]: at } : get().positions;
            return apply(r, 'palette', { positions, selection: { kind: 'service', key: objectKey(v) } });
          },
          addDeployment(opts) {
            const edit = loadedEdits();
            if (!edit) return afterEdits(() => get().addDeployment(opts));
            const before = s().pods.length;
            const r = edit.addDeployment(s(), opts);
            if (!r.ok) return apply(r, 'palette');
            const first = r.value.pods[before];
            return apply(r, 'palette', { selection: { kind: 'pod', key: objectKey(first) } });
          },
          scaleDeployment(namespace, name, replicas) {
            const edit = loadedEdits();
            if (!edit) return afterEdits(() => get().scaleDeployment(namespace, name, replicas));
            const r = edit.scaleDeployment(s(), { namespace, name }, replicas);
            if (!r.ok) return apply(r, 'inspector');
            if (!apply(ok(r.value.scenario, r.warnings), 'inspector')) return false;
            // The selected pod may be one the ReplicaSet deleted: stay on the Deployment through another of its pods.
            const own = s().pods.find((p) => p.namespace === namespace && p.ownerKind === 'Deployment' && p.ownerName === name);
            const selection = get().selection ?? (own ? { kind: 'pod' as const, key: objectKey(own) } : null);
            set({ selection, notice: { kind: 'hint', text: r.value.changes.join('\n'), near: 'inspector' } });
            return true;
          },
          movePod(podKey, nodeName) {
            const edit = loadedEdits();
            if (!edit) return afterEdits(() => get().movePod(podKey, nodeName));
            return apply(edit.movePod(s(), podKey, nodeName), podId(podKey));
          },
          rename(kind, key, name) {
            const edit = loadedEdits();
            if (!edit) return afterEdits(() => get().rename(kind, key, name));
            const r = edit.rename(s(), kind, key, name);
            if (!r.ok) return apply(r, elementId(kind, key));
            const newKey = kind === 'node' ? name : objectKey({ namespace: keyParts(key)!.namespace, name });
            const positions = { ...get().positions };
            const old = elementId(kind, key);
            if (positions[old]) {
              positions[elementId(kind, newKey)] = positions[old];
              delete positions[old];
            }
            const sel = get().selection;
            const selection = sel && sel.kind === kind && sel.key === key ? { kind, key: newKey } : sel;
            return apply(r, elementId(kind, newKey), { positions, selection, request: renameInRequest(get().request, kind, key, newKey) });
          },
          remove(kind, key) {
            const edit = loadedEdits();
            if (!edit) return afterEdits(() => get().remove(kind, key));
            const sel = get().selection;
            const selection = sel && sel.kind === kind && sel.key === key ? null : sel;
            const positions = { ...get().positions };
            delete positions[elementId(kind, key)];
            return apply(edit.remove(s(), kind, key), elementId(kind, key), { selection, positions });
          },
          setLabels(kind, key, labels) {
            const edit = loadedEdits();
            if (!edit) return afterEdits(() => get().setLabels(kind, key, labels));
            return apply(edit.setLabels(s(), kind, key, labels), elementId(kind, key));
          },
          setPodPorts(key, ports) {
            const edit = loadedEdits();
            if (!edit) return afterEdits(() => get().setPodPorts(key, ports));
            return apply(edit.setPodPorts(s(), key, ports), podId(key));
          },
          setNetworkPolicies(text, near) {
            const edit = loadedEdits();
            if (!edit) return afterEdits(() => get().setNetworkPolicies(text, near));
            return apply(edit.setNetworkPolicies(s(), text), near);
          },
          addDenyIngress(namespace, near) {
            const edit = loadedEdits();
            if (!edit) return afterEdits(() => get().addDenyIngress(namespace, near));
            return apply(edit.addDenyIngress(s(), namespace), near);
          },
          setSelector(key, selector) {
            const edit = loadedEdits();
            if (!edit) return afterEdits(() => get().setSelector(key, selector));
            return apply(edit.setSelector(s(), key, selector), serviceId(key));
          },
          connectServiceToPod(svcKey, podKey) {
            const edit = loadedEdits();
            if (!edit) return void afterEdits(() => get().connectServiceToPod(svcKey, podKey));
            const link = edit.serviceToPod(s(), svcKey, podKey);
            if (!link.ok) return void set({ notice: { kind: 'error', text: link.issues.map(formatIssue).join('\n'), near: serviceId(svcKey) } });
            const pod = keyParts(podKey)!.name;
            if (link.value.kind === 'already-selected') return void set({ notice: { kind: 'hint', text: `Service ${keyParts(svcKey)!.name} already selects pod ${pod}.`, near: serviceId(svcKey) } });
            if (link.value.kind === 'first-pod') return void apply(edit.widenSelector(s(), svcKey, podKey), serviceId(svcKey));
            set({ linking: { service: svcKey, pod: podKey } });
          },
          labelPodForService(svcKey, podKey) {
            const edit = loadedEdits();
            if (!edit) return afterEdits(() => get().labelPodForService(svcKey, podKey));
            return apply(edit.labelPodForService(s(), svcKey, podKey), podId(podKey), { linking: null });
          },
          widenSelector(svcKey, podKey) {
            const edit = loadedEdits();
            if (!edit) return afterEdits(() => get().widenSelector(svcKey, podKey));
            return apply(edit.widenSelector(s(), svcKey, podKey), serviceId(svcKey), { linking: null });
          },
          cancelLink() {
            set({ linking: null });
          },
          setServiceType(key, type) {
            const edit = loadedEdits();
            if (!edit) return afterEdits(() => get().setServiceType(key, type));
            return apply(edit.setServiceType(s(), key, type), serviceId(key));
          },
          setTrafficPolicy(key, which, policy) {
            const edit = loadedEdits();
            if (!edit) return afterEdits(() => get().setTrafficPolicy(key, which, policy));
            return apply(edit.setTrafficPolicy(s(), key, which, policy), serviceId(key));
          },
          setServicePorts(key, ports) {
            const edit = loadedEdits();
            if (!edit) return afterEdits(() => get().setServicePorts(key, ports));
            return apply(edit.setServicePorts(s(), key, ports), serviceId(key));
          },
          setCluster(patch) {
            const edit = loadedEdits();
            if (!edit) return afterEdits(() => get().setCluster(patch));
            return apply(edit.setCluster(s(), patch), 'cluster');
          },
          newCluster() {
            const edit = loadedEdits();
            if (!edit) return void afterEdits(() => get().newCluster());
            // One undo step, packet included (see Doc): nothing is lost by a click on New.
            const had = s().nodes.length > 0 || get().request !== null;
            set({ scenario: edit.clear(s()), positions: {}, selection: null, request: null, step: 0, playing: false, notice: had ? { kind: 'hint', text: 'New empty cluster. Undo (Ctrl+Z) brings back the one you had, with its packet.', near: 'file' } : null });
          },
          loadDemo() {
            set({ ...initialDoc(), selection: null, request: null, step: 0, playing: false, notice: null });
          },
          async importText(text, source) {
            const m = await loadIo();
            // A playground save (e.g. one downloaded because it could not be read, then
            // mended) opens whole; anything else is a scenario file.
            if (m.looksLikeSave(text)) {
              const r = m.restoreSave(text);
              if (!r.ok) {
                set({ notice: { kind: 'error', text: `${source ?? 'file'}: ${describeRestoreProblem(r.problem)}`, near: 'import' } });
                return false;
              }
              admitted.add(r.value.scenario);
              get().adopt(r.value, r.changes[0] ? { kind: 'hint', text: r.changes.join('\n'), near: 'import' } : null);
              return true;
            }
            const r = m.loadScenario(text, source);
            if (!r.ok) {
              // The engine names the file itself (as the issue's document) when the problem is the file's (it does not parse).
              const body = r.issues.map(formatIssue).join('\n');
              const named = r.issues[0]?.document === source;
              set({ notice: { kind: 'error', text: source && !named ? `${source}: ${body}` : body, near: 'import' } });
              return false;
            }
            admitted.add(r.value);
            set({ scenario: r.value, positions: {}, selection: null, request: null, step: 0, playing: false, notice: r.warnings[0] ? { kind: 'hint', text: r.warnings.join('\n'), near: 'import', fold: { headline: `Imported ${source ?? 'the file'}.`, warnings: r.warnings } } : null });
            return true;
          },
          async importFiles(files) {
            if (files.length === 1) return get().importText(files[0].text, files[0].name);
            const r = (await loadIo()).restoreFiles(files);
            if (!r.ok) {
              // Each issue names its file when the parser read several (dumpLayout.ts).
              set({ notice: { kind: 'error', text: r.issues.map((i) => `${i.file && i.file !== i.document ? `${i.file}: ` : ''}${formatIssue(i)}`).join('\n'), near: 'import' } });
              return false;
            }
            admitted.add(r.value);
            const names = files.slice(0, 4).map((f) => f.name).join(', ') + (files.length > 4 ? ` and ${files.length - 4} more` : '');
            const read = `Imported ${files.length} files as one cluster: ${names}.`;
            set({ scenario: r.value, positions: {}, selection: null, request: null, step: 0, playing: false, notice: { kind: 'hint', text: [read, ...r.warnings].join('\n'), near: 'import', ...(r.warnings[0] ? { fold: { headline: read, warnings: r.warnings } } : {}) } });
            return true;
          },
          adopt(save, notice = null, also = {}) {
            const request = save.request && requestEndsExist(save.scenario, save.request) ? save.request : null;
            // A save keeps the step and endpoint the walk was at (a reload goes on where it was).
            const at = request ? { step: save.step ?? 0, endpoint: save.endpoint ?? 0 } : { step: 0, endpoint: 0 };
            set({ scenario: save.scenario, positions: save.positions, request, showReply: save.showReply, speed: save.speed, selection: null, ...at, playing: false, picking: null, notice, ...also });
          },
          async adoptScenario(scenario) {
            const r = admitScenario(await loadIo(), scenario);
            if (!r.ok) {
              set({ notice: { kind: 'error', text: r.issues.map(formatIssue).join('\n') } });
              return false;
            }
            get().adopt({ scenario: r.value, positions: {}, request: null, showReply: false, speed: get().speed });
            return true;
          },
          discardUnreadable() {
            set({ unreadable: get().unreadable.slice(1) });
          },
          async exportText() {
            const { writeScenario } = await import('./io.ts');
            return writeScenario(s());
          },
          async labScriptText() {
            const { labScript } = await import('./lab.ts');
            return labScript(s(), { source: 'the podpath playground' });
          },
          setPosition(id, at) {
            set({ positions: { ...get().positions, [id]: { x: Math.round(at.x), y: Math.round(at.y) } } });
          },
          select(selection) {
            // A message about another element does not follow the selection.
            const n = get().notice;
            const stale = n?.near !== undefined && elementOfId(n.near) !== null && (!selection || n.near !== elementId(selection.kind, selection.key));
            const serial = get().selectionSerial + 1;
            set(stale ? { selection, selectionSerial: serial, notice: null } : { selection, selectionSerial: serial });
          },
          notify(notice) {
            set({ notice });
          },

          send(req, endpoint = 0) {
            const request = req ?? get().request ?? defaultRequest(s());
            if (!request) {
              set({ notice: { kind: 'hint', text: 'Add a pod first: a packet starts in a pod.', near: 'packet' } });
              return;
            }
            set({ request, endpoint, step: 0, playing: false, picking: null, guess: null, sendSerial: get().sendSerial + 1 });
          },
          setEndpoint(endpoint) {
            set({ endpoint: Math.max(0, endpoint), playing: false, guess: null });
          },
          setPredict(predict) {
            set({ predict, guess: null, step: 0, playing: false });
          },
          lockGuess(guess) {
            set({ guess, step: 0, playing: false });
          },
          clearTrace() {
            set({ request: null, step: 0, playing: false });
          },
          setStep(step) {
            set({ step: Math.max(0, step) });
          },
          setPlaying(playing) {
            set({ playing });
          },
          setSpeed(speed) {
            set({ speed });
          },
          setShowReply(showReply) {
            set({ showReply });
          },
          setPicking(picking) {
            set({ picking });
          },
        };
      },
      {
        // The packet rides along with each step (not a step of its own: see equality).
        partialize: (st): Doc => ({ scenario: st.scenario, positions: st.positions, request: st.request, endpoint: st.endpoint, step: st.step }),
        equality: (a, b) => a.scenario === b.scenario && a.positions === b.positions,
        limit: 100,
        // An undo or redo step brings a cluster back into the store: it comes through
        // the parser like any other (once per cluster, see admitScenario). Should one
        // not read, the step is refused with the reason and the history kept.
        wrapTemporal: (init) => (set, get, api) => {
          const history = init(set, get, api);
          const through = (which: 'undo' | 'redo') => (steps = 1) => {
            const go = (m: Io) => {
              const list = (which === 'undo' ? get().pastStates : get().futureStates) as Doc[];
              const i = list.length - steps;
              if (steps < 1 || i < 0) return;
              const r = admitScenario(m, list[i].scenario);
              if (!r.ok) {
                self?.setState({ notice: { kind: 'error', text: `podpath could not ${which} this step: the cluster it goes back to does not read as a scenario: ${r.issues.map(formatIssue).join('; ')}` } });
                return;
              }
              list[i] = { ...list[i], scenario: r.value };
              // The packet on screen stays while its ends are still there; one that an
              // edit cleared comes back with the cluster it walked in.
              const before = self?.getState();
              history[which](steps);
              const after = self?.getState();
              if (before?.request && after && !(after.request && samePacket(after.request, before.request)) && requestEndsExist(after.scenario, before.request)) {
                self?.setState({ request: before.request, endpoint: before.endpoint, step: before.step });
              }
            };
            if (io) go(io);
            else void loadIo().then(go);
          };
          return { ...history, undo: through('undo'), redo: through('redo') };
        },
      },
    ),
  );
  self = store;
  // A packet sent or restored before the walk has loaded (it is not in the first view):
  // load it, then show the trace (a state that changes nothing but is seen anew).
  store.subscribe((st) => {
    if (!st.request || loadedTrace()) return;
    loadWalk().then(
      () => store.setState({}),
      () => store.setState({ notice: { kind: 'error', text: 'podpath could not load its packet walk (the network may be down): reload, or send the packet again.', near: 'packet' } }),
    );
  });
  // Whatever changes the cluster (an edit, undo, redo) may leave the selection or the
  // packet naming something that is gone (a deleted node, a rename undone). Let go of
  // it rather than show a ghost; say so when it was the packet.
  store.subscribe((st, prev) => {
    if (st.scenario === prev.scenario) return;
    const patch: Partial<PlaygroundState> = {};
    if (st.selection && !elementExists(st.scenario, st.selection)) patch.selection = null;
    if (st.request && !requestEndsExist(st.scenario, st.request)) {
      Object.assign(patch, { request: null, step: 0, playing: false, notice: { kind: 'hint', text: "The packet's source or destination is gone: press Send packet to choose new ends." } });
    } else if (st.request && st.request === prev.request && st.endpoint === prev.endpoint) {
      // kube-proxy's endpoints changed under the walk (not an undo: that brings its own endpoint back).
      const f = followEndpoint(prev.scenario, st.scenario, st.request, st.endpoint);
      if (f) patch.endpoint = f.endpoint;
      if (f?.gone && f.now) patch.notice = { kind: 'hint', text: `Pod ${keyParts(f.gone)?.name ?? f.gone}, which the walk went to, is no longer an endpoint of the Service: the walk now follows ${keyParts(f.now)?.name ?? f.now}.`, near: 'packet' };
    }
    // A prediction was about the walk in the cluster it was made for.
    if (st.guess && st.scenario !== prev.scenario) Object.assign(patch, { guess: null, step: 0, playing: false });
    // The question how a Service should select a pod was about the cluster before this change.
    if (st.linking) patch.linking = null;
    if (Object.keys(patch).length) store.setState(patch);
  });
  return store;
}

/** The same packet (the same ends, port and protocol), whichever objects hold it (a reload makes new ones). */
function samePacket(a: TraceRequest, b: TraceRequest): boolean {
  return endId(a.from) === endId(b.from) && endId(a.to) === endId(b.to) && a.to.port === b.to.port && a.proto === b.proto;
}

/** The packet's ends after a rename: an end that names the renamed element names it by its new name. */
function renameInRequest(req: TraceRequest | null, kind: ElementKind, key: string, newKey: string): TraceRequest | null {
  if (!req) return req;
  const renamed = <E extends TraceSource | TraceDestination>(end: E): E => {
    const el = elementOfEnd(end);
    if (!el || el.kind !== kind || el.key !== key) return end;
    return { ...end, name: kind === 'node' ? newKey : keyParts(newKey)!.name };
  };
  return { ...req, from: renamed(req.from), to: renamed(req.to) };
}

export type PlaygroundStore = ReturnType<typeof createPlayground>;
