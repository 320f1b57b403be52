// The benchmark's baseline: bare React Flow (default nodes and edges, no store, no
// custom components) drawing the same elements at the same places as the
// playground does for the same cluster.
import { createRoot } from 'react-dom/client';
import { ReactFlow, ReactFlowProvider, useNodesState, type Node, type Edge } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { benchScenario, benchSize } from '../src/ui/bench.ts';
import { layout, type HostData } from '../src/ui/canvas/layout.ts';
import { collapsedNodes, isBigCluster } from '../src/ui/canvas/bigCluster.ts';
import { compile } from '../src/sim/dataplane/compile.ts';
import FlowHandle from '../src/ui/FlowHandle.tsx';

const [n, p] = benchSize(location.search) ?? [20, 50];
const s = benchScenario(n, p);
// A big cluster is drawn with its nodes collapsed in the playground: here too, the same boxes at the same places.
const big = isBigCluster(s.nodes.length, s.pods.length);
const lay = big ? layout(s, {}, compile(s), undefined, collapsedNodes(s.nodes, s.pods.length, new Set(), new Set()), { visited: new Set() }) : layout(s, {}, compile(s));
const nodes: Node[] = lay.nodes.map((x) => ({
  id: x.id,
  position: x.position,
  parentId: x.parentId,
  width: x.width,
  height: x.height,
  style: { width: x.width, height: x.height },
  data: { label: x.ariaLabel ?? x.id },
  // A node holding pods is a group; a collapsed one a default node, whose handles take its wire to the node network.
  type: x.type === 'host' && !(x.data as HostData).collapsed ? 'group' : 'default',
}));
const edges: Edge[] = lay.edges.map((e) => ({ id: e.id, source: e.source, target: e.target }));

function Bare() {
  const [ns, , onNodesChange] = useNodesState(nodes);
  return (
    <ReactFlow nodes={ns} edges={edges} onNodesChange={onNodesChange} minZoom={0.05} onlyRenderVisibleElements fitView>
      <FlowHandle />
    </ReactFlow>
  );
}

createRoot(document.getElementById('root')!).render(
  <ReactFlowProvider>
    <Bare />
  </ReactFlowProvider>,
);
