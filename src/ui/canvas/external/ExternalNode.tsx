import { memo } from 'react';
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import type { ExternalData } from '../layout.ts';

/** A client outside the cluster, on the node network (for NodePort and hostPort traffic). */
function ExternalNode({ data }: NodeProps<Node<ExternalData>>) {
  return (
    <div className="external">
      <span className="kind-tag kind-external">external</span>
      <span className="external-name">client</span>
      <code>{data.address}</code>
      <Handle type="source" position={Position.Right} className="handle-hidden" isConnectable={false} />
    </div>
  );
}
export default memo(ExternalNode);
