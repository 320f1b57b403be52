import { memo } from 'react';
import { Position, type Node, type NodeProps } from '@xyflow/react';
import type { ExternalData } from '../layout.ts';
import KindTag from '../KindTag.tsx';
import WireHandle from '../WireHandle.tsx';
import styles from './ExternalNode.module.css';

/**
 * A client outside the cluster, on the node network (for NodePort and hostPort traffic).
 * Named as every walk sentence names it, "the external client": never plain "client",
 * which is also a common pod name (the demo has one).
 */
function ExternalNode({ data }: NodeProps<Node<ExternalData>>) {
  return (
    <div className={styles.external}>
      <KindTag kind="external">outside</KindTag>
      <span className={styles.name}>external client</span>
      <code>{data.address}</code>
      <WireHandle type="source" position={Position.Right} />
      {/* Presenting with the first node collapsed, the client stands above the bar: its wire drops into it. */}
      <WireHandle type="source" id="down" position={Position.Bottom} />
    </div>
  );
}
export default memo(ExternalNode);
