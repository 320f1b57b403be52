import { memo } from 'react';
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import type { NetworkData } from '../layout.ts';

/** The L2 segment every node's eth0 is plugged into: a switch, or in vpc the VPC's fabric. */
function NetworkNode({ data }: NodeProps<Node<NetworkData>>) {
  return (
    <div className="network">
      <Handle type="target" position={Position.Top} className="handle-hidden" isConnectable={false} />
      <Handle type="target" position={Position.Left} id="side" className="handle-hidden" isConnectable={false} />
      {/* The bars of the rows below and above join here (one segment). */}
      <Handle type="source" position={Position.Left} id="trunk-out" className="handle-hidden" isConnectable={false} />
      <Handle type="target" position={Position.Left} id="trunk-in" className="handle-hidden" isConnectable={false} />
      {data.vpcFabric ? (
        <>
          <span className="kind-tag kind-network">VPC fabric</span>
          <code>{data.cidr}</code>
          <span className="muted">knows which node holds each pod address, and answers ARP with that node's MAC</span>
        </>
      ) : (
        <>
          <span className="kind-tag kind-network">node network</span>
          <code>{data.cidr}</code>
        </>
      )}
    </div>
  );
}
export default memo(NetworkNode);
