import { memo } from 'react';
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import type { NicData } from '../layout.ts';

/** The node's own eth0 on the node network. */
function NicNode({ data }: NodeProps<Node<NicData>>) {
  return (
    <div className="nic">
      <Handle type="target" position={Position.Top} className="handle-hidden" isConnectable={false} />
      <span className="dev">eth0</span> <code>{data.address}</code>
      <Handle type="source" position={Position.Bottom} className="handle-hidden" isConnectable={false} />
    </div>
  );
}
export default memo(NicNode);
