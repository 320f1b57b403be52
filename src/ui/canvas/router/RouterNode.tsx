import { memo } from 'react';
import { Position, type Node, type NodeProps } from '@xyflow/react';
import type { RouterData } from '../layout.ts';
import KindTag from '../KindTag.tsx';
import WireHandle from '../WireHandle.tsx';
import styles from '../network/NetworkNode.module.css';

/** Racks: the router joining the node networks, its address on each (the nodes' default gateway there). */
function RouterNode({ data }: NodeProps<Node<RouterData>>) {
  return (
    <div className={`${styles.network} ${styles.router}`}>
      <WireHandle type="target" position={Position.Left} />
      <KindTag kind="network">router</KindTag>
      {data.addresses.map((a) => (
        <code key={a}>{a}</code>
      ))}
      <span className={styles.note}>routes between the racks; knows no pod range</span>
    </div>
  );
}
export default memo(RouterNode);
