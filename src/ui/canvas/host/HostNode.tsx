import { memo } from 'react';
import type { Node, NodeProps } from '@xyflow/react';
import type { HostData } from '../layout.ts';

/** A Kubernetes node: its own network namespace, drawn as a box holding its pods and devices. */
function HostNode({ data, selected }: NodeProps<Node<HostData>>) {
  const { node, cni } = data;
  return (
    <div className={`host${selected ? ' is-selected' : ''}`}>
      <div className="host-drag host-header">
        <div className="host-title">
          <span className="kind-tag kind-node">node</span>
          <span className="host-name">{node.name}</span>
          <span className="host-cni">{cni}</span>
        </div>
        <div className="host-facts">
          <span>
            <abbr title="status.addresses InternalIP">IP</abbr> <code>{node.internalIP}</code>
          </span>
          {node.podCIDR ? (
            <span>
              podCIDR <code>{node.podCIDR}</code>
            </span>
          ) : (
            <span className="muted" title="vpc: no podCIDR, pods take node-network addresses">pods use node-network IPs</span>
          )}
        </div>
      </div>
    </div>
  );
}
export default memo(HostNode);
