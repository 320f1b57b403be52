// "Find" above a big cluster's canvas: a pod, node or Service by name or address. The
// one found is selected (the Inspector shows it), its node expanded, and the canvas
// centred on it. Beside it, why the nodes are drawn collapsed.
import { elementOfId } from '../../store/ids.ts';
import { actions, usePlayground } from '../playground.ts';
import { expandNode, frameOnCanvas } from '../canvas/bigCluster.ts';
import FindBox from './FindBox.tsx';
import { findIndex, type FindEntry, type FindKind } from './findIndex.ts';
import styles from './CanvasFind.module.css';

const KINDS: readonly FindKind[] = ['pod', 'node', 'service'];

export function showFound(e: FindEntry) {
  const el = elementOfId(e.id);
  if (!el) return;
  if (e.kind === 'pod' && e.node) expandNode(e.node);
  actions().select(el);
  frameOnCanvas(e.id);
}

const count = (n: number, one: string, many: string) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

export default function CanvasFind({ nodes, pods }: { nodes: number; pods: number }) {
  const scenario = usePlayground((s) => s.scenario);
  return (
    <div role="search" className={styles.bar}>
      <FindBox className={styles.box} label="Find a pod, node or Service" placeholder="Find a pod, node or Service: name or IP" index={findIndex(scenario)} kinds={KINDS} onChoose={showFound} />
      <p className={styles.why}>
        {count(nodes, 'node', 'nodes')}, {count(pods, 'pod', 'pods')}: nodes are drawn collapsed. Show a node's pods, find one, or send a packet: the nodes it crosses open.
      </p>
    </div>
  );
}
