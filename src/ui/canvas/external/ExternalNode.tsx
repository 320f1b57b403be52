import { memo } from 'react';
import { Position, type Node, type NodeProps } from '@xyflow/react';
import type { ExternalData } from '../layout.ts';
import KindTag from '../KindTag.tsx';
import WireHandle from '../WireHandle.tsx';
import styles from './ExternalNode.module.css';

/** A client outside the cluster, on the node network (for NodePort and hostPort traffic). */
function ExternalNode({ data }: NodeProps<Node<ExternalData>>) {
  return (
    <div className={styles.external}>
      <KindTag kind="external">external</KindTag>
      <span className={styles.name}>client</span>
      <code>{data.address}</code>
      <WireHandle type="source" position={Position.Right} />
    </div>
  );
}
export default memo(ExternalNode);
