import { memo } from 'react';
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import type { BridgeData } from '../layout.ts';

/** cni0, the Linux bridge the pods' veths are plugged into (its address is their gateway). */
function BridgeNode({ data }: NodeProps<Node<BridgeData>>) {
  return (
    <div className={`bridge${data.name ? '' : ' is-routing'}`}>
      <Handle type="target" position={Position.Top} className="handle-hidden" isConnectable={false} />
      {data.name ? (
        <>
          <span className="kind-tag kind-bridge">bridge</span>
          <span className="dev">{data.name}</span>
          <code>{data.address}</code>
          <span className="muted">{data.down ? 'no port left: DOWN (it stays after its last pod)' : "pods' gateway"}</span>
        </>
      ) : data.vpc ? (
        <>
          <span className="kind-tag kind-bridge">no bridge</span>
          <span className="muted">each pod's veth is routed by the node (/32 routes)</span>
        </>
      ) : (
        <>
          <span className="kind-tag kind-bridge">no cni0 yet</span>
          <span className="muted">the bridge plugin creates cni0 with the node's first pod</span>
        </>
      )}
      <Handle type="source" position={Position.Bottom} className="handle-hidden" isConnectable={false} />
    </div>
  );
}
export default memo(BridgeNode);
