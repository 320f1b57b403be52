import { memo } from 'react';
import { Position, type Node, type NodeProps } from '@xyflow/react';
import type { NicData } from '../layout.ts';
import WireHandle from '../WireHandle.tsx';
import parts from '../parts.module.css';
import styles from './NicNode.module.css';

/** The node's own eth0 on the node network. */
function NicNode({ data }: NodeProps<Node<NicData>>) {
  return (
    <div className={styles.nic}>
      <WireHandle type="target" position={Position.Top} />
      <span className={parts.dev}>eth0</span> <code>{data.address}</code>
      <WireHandle type="source" position={Position.Bottom} />
    </div>
  );
}
export default memo(NicNode);
