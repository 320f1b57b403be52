import { memo } from 'react';
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import type { PodData } from '../layout.ts';

/** A pod: its own network namespace with eth0, joined to the node by a veth pair. */
function PodNode({ data, selected }: NodeProps<Node<PodData>>) {
  const { pod, veth } = data;
  return (
    <div className={`pod${selected ? ' is-selected' : ''}`}>
      <Handle type="target" position={Position.Top} className="handle-ep" />
      <div className="pod-title">
        <span className="kind-tag kind-pod">pod</span>
        {/* Generated names (web-5d8f7c9b4-x2x4z) are long: a smaller face keeps them whole. */}
        <span className={`pod-name${pod.name.length > 20 ? ' is-longer' : pod.name.length > 12 ? ' is-long' : ''}`} title={pod.name}>
          {pod.name}
        </span>
      </div>
      <div className="pod-line">
        <span className="dev">eth0</span> <code>{pod.podIP ?? '—'}</code>
      </div>
      <div className="pod-line pod-ports">
        {pod.ports.length === 0 ? (
          <span className="muted">no ports</span>
        ) : (
          pod.ports.map((p) => (
            <span key={`${p.containerPort}/${p.protocol}`} className="port">
              {p.containerPort}/{p.protocol}
              {p.hostPort ? ` ⇠ host:${p.hostPort}` : ''}
            </span>
          ))
        )}
      </div>
      {veth && <div className="pod-veth">{veth}</div>}
      <Handle type="source" position={Position.Bottom} className="handle-hidden" isConnectable={false} />
    </div>
  );
}
export default memo(PodNode);
