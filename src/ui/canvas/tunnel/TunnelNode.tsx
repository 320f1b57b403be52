import { memo } from 'react';
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import type { TunnelData } from '../layout.ts';

/** flannel.1, the VXLAN device (VTEP) that wraps pod packets in UDP to the other node. */
function TunnelNode({ data }: NodeProps<Node<TunnelData>>) {
  return (
    <div className="tunnel">
      <span className="dev">{data.name}</span>
      <span className="tunnel-facts">
        VXLAN{data.address ? <> · <code>{data.address}</code></> : null} · MTU {data.mtu}
      </span>
      <Handle type="source" position={Position.Bottom} id="out" className="handle-hidden" isConnectable={false} />
      <Handle type="target" position={Position.Bottom} id="in" className="handle-hidden" isConnectable={false} />
    </div>
  );
}
export default memo(TunnelNode);
