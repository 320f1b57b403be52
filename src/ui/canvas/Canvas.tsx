// The cluster on a React Flow canvas. Nodes come from the layout of the stored
// scenario; the canvas keeps a local copy only so a drag in progress is smooth,
// and tells the store when the drag ends (one undo step per move).
import { Suspense, useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import {
  Background,
  BackgroundVariant,
  Controls,
  ReactFlow,
  applyNodeChanges,
  useReactFlow,
  useStore,
  type Connection,
  type Node,
  type NodeChange,
  type NodeMouseHandler,
  type OnConnectEnd,
  type OnNodeDrag,
} from '@xyflow/react';
import { actions, useLessons, usePlayground } from '../playground.ts';
import { dataplaneOf } from '../../store/derived.ts';
import { elementId, elementOfId, endOfId, nodeId, podId, type ElementRef } from '../../store/ids.ts';
import { objectKey, type Scenario } from '../../sim/model.ts';
import { layout, type Layout } from './layout.ts';
import { podAt } from './geometry.ts';
import { ARMED_HINT, PALETTE_LABEL, applyPlacement, armedPalette, disarm, isPaletteKind, placeAt, useArmed } from './placing.ts';
import { podMoveAt } from './moving.ts';
import { useTouchMode } from './touchMode.ts';
import { useLongPressMove } from './useLongPress.ts';
import { nodeTypes } from './nodeTypes.ts';
import { edgeTypes } from './edges/edges.tsx';
import { pickEnd } from './pick.ts';
import { useLessonHighlights } from '../lessons/highlight.ts';
import { selectHops, selectPredictPending, selectTrace } from '../../store/derived.ts';
import { policyDropOf, type PolicyDropMark } from './policyMarks.ts';
import type { PlaygroundState } from '../../store/store.ts';
import { notVisited } from './packet/inPlay.ts';
import { useFitView } from './useFitView.ts';
import { useLegibleType } from './useLegibleType.ts';
import { usePresenting } from '../presenter/presenter.ts';
import { useFramesWalk } from './framesWalk.ts';
import { useBigClusterNodes, useFollowedNode, useFoundBox } from './useBigCluster.ts';
import { CanvasFind } from '../search/onDemand.ts';
import ImportProgress from '../panels/ImportProgress.tsx';
import { openNewPolicy, POLICY_DRAG_MIME } from '../panels/newPolicy.ts';
import { placeOfId, predictDraft, togglePlace, usePredictDraft } from '../predict/places.ts';
import highlight from '../lessons/LessonPlayer.module.css';
import { onDemand, useWantedOnce, whenIdle } from '../later.ts';
import styles from './Canvas.module.css';
import ring from './policyTarget.module.css';

// The packet on the canvas (its dot, label and trail) is not in the first view: it
// loads at idle after the first render, or as soon as a walk has hops to draw.
const { Part: PacketLayer, preload: preloadPacketLayer } = onDemand(() => import('./packet/PacketLayer.tsx'));
export { preloadPacketLayer };

function PacketLayerSlot({ lay, walking }: { lay: Layout; walking: boolean }) {
  const [idle, setIdle] = useState(false);
  useEffect(() => whenIdle(() => setIdle(true)), []);
  const wanted = useWantedOnce(walking || idle);
  return wanted ? (
    <Suspense fallback={null}>
      <PacketLayer lay={lay} />
    </Suspense>
  ) : null;
}

export const DRAG_MIME = 'application/x-podpath';
/** Below this zoom the small print (addresses, ports, veth names) is too small to read: it is not drawn. */
export const FAR_ZOOM = 0.45;
const isFar = (s: { transform: [number, number, number] }) => s.transform[2] < FAR_ZOOM;

/** The pod (its key) whose box is topmost under a point of the screen on this canvas; null when another box (a node, a Service) or none is. */
function podUnder(e: { clientX: number; clientY: number }, frame: HTMLElement | null): string | null {
  for (const el of document.elementsFromPoint(e.clientX, e.clientY)) {
    const box = frame?.contains(el) && el.closest<HTMLElement>('.react-flow__node');
    if (box) {
      const at = elementOfId(box.dataset.id ?? '');
      return at?.kind === 'pod' ? at.key : null;
    }
  }
  return null;
}


/** The NetworkPolicy drop the walk has reached (the step is on or past its hop), or null. */
function selectPolicyDrop(st: PlaygroundState): PolicyDropMark | null {
  const t = selectTrace(st);
  if (t?.kind !== 'traced' || selectPredictPending(st)) return null;
  const mark = policyDropOf(t.trace);
  return mark && st.step >= mark.hop ? mark : null;
}

export default function Canvas() {
  const scenario = usePlayground((s) => s.scenario);
  const positions = usePlayground((s) => s.positions);
  const selection = usePlayground((s) => s.selection);
  const picking = usePlayground((s) => s.picking);
  const flow = useReactFlow();
  const dp = useMemo(() => dataplaneOf(scenario), [scenario]);
  // With many endpoints, only the selected (or traced) Service's edges are drawn.
  const focusService = usePlayground((s) =>
    s.selection?.kind === 'service' ? s.selection.key : s.request?.to.kind === 'service' ? objectKey(s.request.to) : undefined,
  );
  // Presenting a walk, the nodes it does not visit are drawn collapsed (name, address, pod count).
  const presenting = usePresenting();
  const hops = usePlayground(selectHops);
  // A big cluster (./bigCluster.ts): nodes collapsed but those expanded by a person or visited by the walk.
  const bigNodes = useBigClusterNodes(scenario, hops, presenting);
  const collapsedKey = presenting ? [...notVisited(hops, scenario.nodes, scenario.pods)].join('|') : bigNodes ? [...bigNodes.collapsed].join('|') : '';
  const collapsed = useMemo(() => new Set(collapsedKey ? collapsedKey.split('|') : []), [collapsedKey]);
  const bigView = bigNodes?.view;
  const lay = useMemo(() => layout(scenario, positions, dp, focusService, collapsed, bigView), [scenario, positions, dp, focusService, collapsed, bigView]);
  const selectedId = selection ? elementId(selection.kind, selection.key) : null;
  // What a lesson step points at, and the places picked for a prediction, are ringed.
  const highlighted = useLessonHighlights();
  const picked = usePredictDraft((d) => d.devices);
  // Presenting, the veth names of pods the walk does not enter are not written: the big packet label would cover them, and they are not what the room reads.
  const onPathKey = presenting ? [...new Set(hops.map((h) => h.netns))].join('|') : '';
  // Once the packet reaches the hop where a NetworkPolicy stops it, the pod that policy protects says so.
  const policyDrop = usePlayground(selectPolicyDrop);
  const withSelection = useCallback(
    (ns: Node[]) => {
      const onPath = onPathKey ? new Set<string>(onPathKey.split('|').map((netns) => podId(netns))) : null;
      const dropAt = policyDrop ? podId(policyDrop.pod) : null;
      return ns.map((n) => {
        const ring = highlighted.has(n.id) || picked.some((p) => placeOfId(n.id) === p);
        const offPath = onPath !== null && n.type === 'pod' && !onPath.has(n.id);
        const dropped = n.id === dropAt;
        return n.id === selectedId || ring || offPath || dropped
          ? {
              ...n,
              ...(n.id === selectedId ? { selected: true } : {}),
              ...(ring ? { className: highlight.highlight } : {}),
              ...(offPath || dropped ? { data: { ...n.data, ...(offPath ? { offPath: true } : {}), ...(dropped ? { policyDrop } : {}) } } : {}),
            }
          : n;
      });
    },
    [selectedId, highlighted, picked, onPathKey, policyDrop],
  );
  const edges = useMemo(() => (highlighted.size ? lay.edges.map((e) => (highlighted.has(e.id) ? { ...e, className: highlight.highlightEdge } : e)) : lay.edges), [lay, highlighted]);
  const [nodes, setNodes] = useState<Node[]>(() => withSelection(lay.nodes));
  useEffect(() => setNodes(withSelection(lay.nodes)), [lay, withSelection]);

  // Frame the cluster when its set of nodes changes (New, Import, adding a node), when
  // its CNI is switched (the drawing inside each node changes), and when a lesson opens
  // a step or is left (the player above the canvas takes room); and whenever the canvas
  // takes another size (useFitView). Presenting, frame the part the walk goes through.
  const lessonStep = useLessons((l) => (l.open ? `${l.open.lesson.source}#${l.open.step}` : ''));
  const hostKey = scenario.nodes.map((n) => n.name).join('|') + `#${scenario.services.length}#${lessonStep}#${scenario.cluster.cni}`;
  // A big cluster frames the walk too: the whole cluster fitted is too small to follow a packet in.
  const framesWalk = useFramesWalk();
  const framePath = framesWalk || (bigNodes !== null && hops.length > 0);
  // What frames a walk is loaded when a walk is first to be framed (./packet/pathBounds.ts).
  const [framer, setFramer] = useState<typeof import('./packet/pathBounds.ts') | null>(null);
  const wantsFramer = framePath && hops.length > 0 && !framer;
  useEffect(() => {
    if (wantsFramer) void import('./packet/pathBounds.ts').then((m) => setFramer(m));
  }, [wantsFramer]);
  // A big cluster's walk may join nodes rows apart: framed whole, the packet would be a dot. The view follows it, node by node.
  const followed = useFollowedNode(bigNodes !== null && !framesWalk, hops, scenario);
  // Else, what the search found (../search/CanvasFind.tsx).
  const found = useFoundBox(lay);
  const inPlay = useMemo(
    () => (followed ? (lay.boxes.get(nodeId(followed)) ?? null) : framePath ? (framer?.pathBounds(hops, lay, collapsed) ?? null) : bigNodes ? found : null),
    [followed, framePath, framer, hops, lay, collapsed, bigNodes, found],
  );
  const frame = useRef<HTMLDivElement>(null);
  useFitView(frame, `${hostKey}#${framePath}`, inPlay);
  useLegibleType(frame, presenting);

  const onNodesChange = useCallback((all: NodeChange[]) => {
    // While places are picked for a prediction, a click picks; it does not select.
    const changes = predictDraft.getState().picking ? all.filter((c) => c.type !== 'select') : all;
    setNodes((ns) => applyNodeChanges(changes, ns));
    for (const c of changes) {
      if (c.type === 'select' && c.selected) {
        const sel = elementOfId(c.id);
        if (sel) actions().select(sel);
      }
    }
  }, []);

  // A palette item armed by a tap: the next tap on the canvas (on a box or not) places it there.
  const placeArmed = useCallback(
    (e: { clientX: number; clientY: number }) => {
      const kind = armedPalette.getState().armed;
      if (!kind) return false;
      const at = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      const placement = placeAt(kind, at, lay, actions().scenario.nodes);
      // Refused (a pod tapped outside every node), it stays armed for the next tap.
      if (applyPlacement(placement, 'tap')) disarm();
      return true;
    },
    [flow, lay],
  );

  const onNodeClick: NodeMouseHandler = useCallback((event, node) => {
    if (placeArmed(event)) return;
    // Predicting the path: a click picks (or unpicks) the place the box stands for.
    const place = predictDraft.getState().picking ? placeOfId(node.id) : null;
    if (place) {
      togglePlace(place);
      return;
    }
    const st = actions();
    const end = st.picking ? endOfId(node.id) : null;
    if (end) {
      pickEnd(end);
      return;
    }
    st.select(elementOfId(node.id));
  }, [placeArmed]);

  const onPaneClick = useCallback((event: { clientX: number; clientY: number }) => {
    if (!placeArmed(event)) actions().select(null);
  }, [placeArmed]);

  /** A pod let go at a point (a mouse drag or a finger's long-press drag): moved when over another node. */
  const movePodTo = useCallback(
    (podKey: string, client: { clientX: number; clientY: number }) => {
      const st = actions();
      const pod = st.scenario.pods.find((p) => objectKey(p) === podKey);
      if (!pod) return false;
      const at = flow.screenToFlowPosition({ x: client.clientX, y: client.clientY });
      const move = podMoveAt(lay, at, st.scenario.nodes, pod.nodeName);
      if (move.kind === 'move') return st.movePod(podKey, move.node);
      if (move.kind === 'outside') st.notify({ kind: 'hint', text: 'Drop a pod inside a node to move it there.', near: podId(podKey) });
      return false;
    },
    [flow, lay],
  );

  const onNodeDragStop: OnNodeDrag = useCallback(
    (event, node) => {
      const st = actions();
      const el = elementOfId(node.id);
      if (el?.kind === 'pod') {
        const pt = 'clientX' in event ? event : event.changedTouches[0];
        if (movePodTo(el.key, pt)) return;
        setNodes(withSelection(lay.nodes));
        return;
      }
      if (el) st.setPosition(node.id, node.position);
    },
    [movePodTo, lay, withSelection],
  );

  // The palette's NetworkPolicy, dragged over the canvas: the pod it would select, let go now (ringed).
  // Entering a box says so too: a pointer standing still on it may send no dragover after its dragenter.
  const [policyPod, setPolicyPod] = useState<string | null>(null);
  const onDragOver = useCallback((e: DragEvent) => {
    const policy = e.dataTransfer.types.includes(POLICY_DRAG_MIME);
    if (policy || e.dataTransfer.types.includes(DRAG_MIME)) {
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
    }
    if (policy) setPolicyPod(podUnder(e, frame.current));
  }, []);

  const onDrop = useCallback(
    (e: DragEvent) => {
      // Onto a pod: a new policy in its namespace, selecting it by its labels, as a click on
      // NetworkPolicy with that pod selected. Elsewhere, nothing but what to do instead.
      if (e.dataTransfer.types.includes(POLICY_DRAG_MIME)) {
        e.preventDefault();
        setPolicyPod(null);
        const pod = podUnder(e, frame.current);
        if (!pod) return actions().notify({ kind: 'hint', text: 'Drop NetworkPolicy onto a pod: a policy selects pods, by their labels.', near: 'palette' });
        actions().select({ kind: 'pod', key: pod });
        return openNewPolicy(pod);
      }
      const what = e.dataTransfer.getData(DRAG_MIME);
      if (!what) return;
      e.preventDefault();
      if (!isPaletteKind(what)) return;
      const at = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      applyPlacement(placeAt(what, at, lay, actions().scenario.nodes), 'drop');
    },
    [flow, lay],
  );

  // Connecting a Service to a pod makes the Service select it: at once when it selects
  // nothing yet, else the person chooses how (SelectorChoice); never by replacing the selector.
  const onConnect = useCallback((c: Connection) => {
    const from = elementOfId(c.source);
    const to = elementOfId(c.target);
    if (from?.kind !== 'service' || to?.kind !== 'pod') return;
    actions().connectServiceToPod(from.key, to.key);
  }, []);
  // The whole pod is the target: a connection dropped on its body (not on its handle) lands there too.
  const onConnectEnd: OnConnectEnd = useCallback(
    (event, state) => {
      if (state.isValid) return; // onConnect has it
      const from = state.fromNode ? elementOfId(state.fromNode.id) : null;
      if (from?.kind !== 'service') return;
      const pt = 'clientX' in event ? event : event.changedTouches[0];
      const at = flow.screenToFlowPosition({ x: pt.clientX, y: pt.clientY });
      const st = actions();
      const pod = podAt(lay, at, st.scenario.pods);
      if (pod) st.connectServiceToPod(from.key, pod);
    },
    [flow, lay],
  );

  // A finger: one finger pans (also from a box); a long press lifts a pod (to move it
  // to another node), a node or a Service (to put it elsewhere on the canvas).
  const touch = useTouchMode();
  const onRelease = useCallback(
    (what: ElementRef, from: { x: number; y: number }, to: { x: number; y: number }) => {
      if (what.kind === 'pod') return void movePodTo(what.key, { clientX: to.x, clientY: to.y });
      // As a mouse drag ends: the box's corner moved as far as the finger did.
      const id = elementId(what.kind, what.key);
      const box = lay.nodes.find((n) => n.id === id);
      if (!box) return;
      const [a, b] = [flow.screenToFlowPosition(from), flow.screenToFlowPosition(to)];
      actions().setPosition(id, { x: box.position.x + b.x - a.x, y: box.position.y + b.y - a.y });
    },
    [movePodTo, lay, flow],
  );
  const lift = useLongPressMove(frame, onRelease);
  const liftedPod = lift?.what.kind === 'pod' ? lift.what.key : undefined;
  const liftedOver = liftedPod && lift ? podMoveOver(liftedPod, lift, frame.current, flow.screenToFlowPosition, lay, scenario) : null;
  const liftedId = lift ? elementId(lift.what.kind, lift.what.key) : undefined;
  const overNode = liftedOver?.kind === 'move' ? liftedOver.node : null;
  const shown = useMemo(() => {
    if (!liftedId && !policyPod) return nodes;
    const over = overNode ? nodeId(overNode) : null;
    const policyAt = policyPod && podId(policyPod);
    return nodes.map((n) =>
      n.id === liftedId ? { ...n, className: styles.lifted } : n.id === over ? { ...n, className: styles.dropTarget } : n.id === policyAt ? { ...n, className: ring.policyTarget } : n,
    );
  }, [nodes, liftedId, overNode, policyPod]);
  const armed = useArmed();
  // Picking the packet's ends takes the next tap: an armed palette item is let go.
  useEffect(() => {
    if (picking) disarm();
  }, [picking]);
  useEffect(() => {
    if (!armed) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') disarm();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [armed]);

  const big = scenario.pods.length > 150;
  // Level of detail: one re-render when the zoom crosses FAR_ZOOM, none while it pans.
  const far = useStore(isFar);
  return (
    // tabIndex -1: the keyboard can be handed back here (after a Delete) without adding a tab stop.
    // data-big and data-far: how much detail the boxes draw (each box's module reads them);
    // data-canvas: where Keys hands the keyboard back after a Delete; data-presenter: large type (useLegibleType).
    <div
      ref={frame}
      data-presenter={presenting || undefined}
      className={`${styles.canvas}${picking ? ` ${styles.picking}` : ''}${bigNodes ? ` ${styles.withFind}` : ''}`}
      data-canvas
      data-big={big || undefined}
      data-far={far || undefined}
      tabIndex={-1}
      onDragEnter={onDragOver}
      onDragOver={onDragOver}
      onDrop={onDrop}
      // Out of the canvas (or the drag given up): no pod is ringed.
      onDragLeave={(e) => {
        if (!(e.relatedTarget instanceof Element && frame.current?.contains(e.relatedTarget))) setPolicyPod(null);
      }}
    >
      {/* A big cluster: a bar above the drawing to find a pod in it (not over the drawing: it would hide the top row). */}
      {bigNodes && (
        <Suspense fallback={null}>
          <CanvasFind nodes={scenario.nodes.length} pods={scenario.pods.length} />
        </Suspense>
      )}
      <ReactFlow
        nodes={shown}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onNodeClick={onNodeClick}
        onPaneClick={onPaneClick}
        onNodeDragStop={onNodeDragStop}
        nodesDraggable={!touch}
        onConnect={onConnect}
        onConnectEnd={onConnectEnd}
        deleteKeyCode={null}
        minZoom={0.05}
        maxZoom={2}
        onlyRenderVisibleElements={big}
        aria-label="Cluster canvas"
      >
        {/* The dot grid costs thousands of dots per frame when a big cluster is zoomed out. */}
        {!big && <Background variant={BackgroundVariant.Dots} gap={28} size={2} color="var(--canvas-dots)" />}
        {/* Top right: the bottom is where the node network and the netns terminal are. */}
        <Controls showInteractive={false} position="top-right" />
        <PacketLayerSlot lay={lay} walking={hops.length > 0} />
      </ReactFlow>
      <ImportProgress />
      {picking && (
        <div className={styles.pickHint} role="status">
          Click the packet's {picking === 'from' ? 'source (a pod or a node)' : 'destination (a pod, a Service or a node)'} · <kbd>Esc</kbd> to stop
        </div>
      )}
      {armed && !lift && (
        <div className={styles.pickHint} role="status">
          {ARMED_HINT[armed]}
          <span className={styles.hintAside}>
            {/* A phone has no Esc key, and its palette is inside the closed menu: a button here. */}
            <button type="button" className={styles.hintCancel} onClick={() => disarm()}>
              Cancel
            </button>{' '}
            or tap {PALETTE_LABEL[armed]} again, or <kbd>Esc</kbd>
          </span>
        </div>
      )}
      {lift && (
        <>
          <div className={styles.pickHint} role="status">
            {liftedPod
              ? overNode
                ? `Release to move ${nameOf(lift.what)} to ${overNode}`
                : `Moving ${nameOf(lift.what)}: release over another node`
              : `Moving ${nameOf(lift.what)}: release where it goes`}
          </div>
          {/* The lifted box, under the finger. */}
          <div className={GHOST_CLASS[lift.what.kind]} aria-hidden="true" style={{ left: keepInside(lift.x, frame.current?.clientWidth), top: lift.y }}>
            {nameOf(lift.what)}
          </div>
        </>
      )}
    </div>
  );
}

/** The ghost is centred on the finger: near the canvas' edge, it stays on the canvas (not over the panel beside it). */
const keepInside = (x: number, width = Infinity) => Math.min(Math.max(x, 90), width - 90);

/** A pod's or Service's name without its namespace (a node has none). */
const nameOf = (what: ElementRef) => what.key.slice(what.key.indexOf('/') + 1);

/** The lifted box under the finger, in its kind's colours. */
const GHOST_CLASS: Record<ElementRef['kind'], string> = {
  pod: `${styles.liftedGhost} ${styles.ghostPod}`,
  node: `${styles.liftedGhost} ${styles.ghostNode}`,
  service: `${styles.liftedGhost} ${styles.ghostService}`,
};

/** Where the lifted pod would go if the finger let go now. */
function podMoveOver(
  podKey: string,
  lift: { x: number; y: number },
  frame: HTMLDivElement | null,
  toFlow: (p: { x: number; y: number }) => { x: number; y: number },
  lay: Layout,
  scenario: Scenario,
) {
  const pod = scenario.pods.find((p) => objectKey(p) === podKey);
  if (!frame || !pod) return null;
  const r = frame.getBoundingClientRect();
  return podMoveAt(lay, toFlow({ x: r.left + lift.x, y: r.top + lift.y }), scenario.nodes, pod.nodeName);
}
