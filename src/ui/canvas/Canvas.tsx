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
import { elementId, elementOfId, endOfId, podId } from '../../store/ids.ts';
import { objectKey } from '../../sim/model.ts';
import { layout, type Layout } from './layout.ts';
import { SERVICE_H, SERVICE_W, hostAt, overlapsHost, podAt } from './geometry.ts';
import { nodeTypes } from './nodeTypes.ts';
import { edgeTypes } from './edges/edges.tsx';
import { pickEnd } from './pick.ts';
import { useLessonHighlights } from '../lessons/highlight.ts';
import { selectHops } from '../../store/derived.ts';
import { anchorsOf } from './packet/anchors.ts';
import { boundsInPlay, notVisited } from './packet/inPlay.ts';
import { useFitView } from './useFitView.ts';
import { useLegibleType } from './useLegibleType.ts';
import { usePresenting } from '../presenter/presenter.ts';
import { useBreakpoint } from '../narrow/breakpoint.ts';
import { placeOfId, predictDraft, togglePlace, usePredictDraft } from '../predict/places.ts';
import highlight from '../lessons/LessonPlayer.module.css';
import { onDemand, useWantedOnce, whenIdle } from '../later.ts';
import styles from './Canvas.module.css';

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
  const collapsedKey = presenting ? [...notVisited(hops, scenario.nodes, scenario.pods)].join('|') : '';
  const collapsed = useMemo(() => new Set(collapsedKey ? collapsedKey.split('|') : []), [collapsedKey]);
  const lay = useMemo(() => layout(scenario, positions, dp, focusService, collapsed), [scenario, positions, dp, focusService, collapsed]);
  const selectedId = selection ? elementId(selection.kind, selection.key) : null;
  // What a lesson step points at, and the places picked for a prediction, are ringed.
  const highlighted = useLessonHighlights();
  const picked = usePredictDraft((d) => d.devices);
  // Presenting, the veth names of pods the walk does not enter are not written: the big packet label would cover them, and they are not what the room reads.
  const onPathKey = presenting ? [...new Set(hops.map((h) => h.netns))].join('|') : '';
  const withSelection = useCallback(
    (ns: Node[]) => {
      const onPath = onPathKey ? new Set<string>(onPathKey.split('|').map((netns) => podId(netns))) : null;
      return ns.map((n) => {
        const ring = highlighted.has(n.id) || picked.some((p) => placeOfId(n.id) === p);
        const offPath = onPath !== null && n.type === 'pod' && !onPath.has(n.id);
        return n.id === selectedId || ring || offPath
          ? { ...n, ...(n.id === selectedId ? { selected: true } : {}), ...(ring ? { className: highlight.highlight } : {}), ...(offPath ? { data: { ...n.data, offPath: true } } : {}) }
          : n;
      });
    },
    [selectedId, highlighted, picked, onPathKey],
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
  // On a phone (a shared link opened in class), frame the walk's path too: the whole cluster would be too small to read.
  const phone = useBreakpoint() === 'phone';
  const framePath = presenting || phone;
  const inPlay = useMemo(() => (framePath ? boundsInPlay(anchorsOf(hops, lay), lay, collapsed) : null), [framePath, hops, lay, collapsed]);
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

  const onNodeClick: NodeMouseHandler = useCallback((_, node) => {
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
  }, []);

  const onPaneClick = useCallback(() => actions().select(null), []);

  const onNodeDragStop: OnNodeDrag = useCallback(
    (event, node) => {
      const st = actions();
      const el = elementOfId(node.id);
      if (el?.kind === 'pod') {
        const pt = 'clientX' in event ? event : event.changedTouches[0];
        const at = flow.screenToFlowPosition({ x: pt.clientX, y: pt.clientY });
        const target = hostAt(lay, at, st.scenario.nodes);
        const pod = st.scenario.pods.find((p) => objectKey(p) === el.key);
        if (target && pod && target !== pod.nodeName) {
          st.movePod(el.key, target);
          return;
        }
        if (!target) st.notify({ kind: 'hint', text: 'Drop a pod inside a node to move it there.', near: node.id });
        setNodes(withSelection(lay.nodes));
        return;
      }
      if (el) st.setPosition(node.id, node.position);
    },
    [flow, lay, withSelection],
  );

  const onDragOver = useCallback((e: DragEvent) => {
    if (e.dataTransfer.types.includes(DRAG_MIME)) {
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
    }
  }, []);

  const onDrop = useCallback(
    (e: DragEvent) => {
      const what = e.dataTransfer.getData(DRAG_MIME);
      if (!what) return;
      e.preventDefault();
      const at = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      const st = actions();
      // A node dropped onto (or against) another goes next to the others instead of on top.
      const corner = { x: at.x - 180, y: at.y - 50 };
      if (what === 'node') st.addNode(overlapsHost(lay, corner, st.scenario.nodes) ? undefined : corner);
      // A Service is not on a node: dropped onto one, it takes the next free place in the row above.
      else if (what === 'service') st.addService(overlapsHost(lay, at, st.scenario.nodes, { w: SERVICE_W, h: SERVICE_H }) ? undefined : at);
      // A Deployment's pods go where the scheduler puts them, wherever it is dropped.
      else if (what === 'deployment') st.addDeployment();
      else if (what === 'pod') {
        const host = hostAt(lay, at, st.scenario.nodes);
        if (host) st.addPod(host);
        else st.notify({ kind: 'hint', text: st.scenario.nodes.length ? 'Drop the pod onto a node: a pod runs on a node.' : 'Add a node first: drag Node onto the canvas, then drop pods onto it.', near: 'palette' });
      }
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
      className={picking ? `${styles.canvas} ${styles.picking}` : styles.canvas}
      data-canvas
      data-big={big || undefined}
      data-far={far || undefined}
      tabIndex={-1}
      onDragOver={onDragOver}
      onDrop={onDrop}
    >
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onNodeClick={onNodeClick}
        onPaneClick={onPaneClick}
        onNodeDragStop={onNodeDragStop}
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
      {picking && (
        <div className={styles.pickHint} role="status">
          Click the packet's {picking === 'from' ? 'source (a pod or a node)' : 'destination (a pod, a Service or a node)'} · <kbd>Esc</kbd> to stop
        </div>
      )}
    </div>
  );
}
