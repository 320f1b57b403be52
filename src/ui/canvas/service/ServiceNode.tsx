import { memo } from 'react';
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import type { ServiceData } from '../layout.ts';

/** A Service: a virtual IP that kube-proxy DNATs to one of the pods its selector picks. */
function ServiceNode({ data, selected }: NodeProps<Node<ServiceData>>) {
  const { service: v, endpoints } = data;
  const sel = Object.entries(v.selector).map(([k, val]) => `${k}=${val}`).join(', ');
  return (
    <div className={`service${selected ? ' is-selected' : ''}`}>
      <div className="service-title">
        <span className="kind-tag kind-service">service</span>
        <span className="service-name">{v.name}</span>
      </div>
      <div className="service-line">
        {v.type === 'NodePort' && <span className="svc-type">NodePort</span>}
        <code>{v.clusterIP}</code>
        {v.ports.map((p) => (
          <span key={`${p.port}/${p.protocol}`} className="port">
            :{p.port}→{p.targetPort}
            {p.nodePort ? ` (node:${p.nodePort})` : ''}
          </span>
        ))}
      </div>
      <div className="service-line muted">{sel ? `selector ${sel} · ${endpoints} endpoint${endpoints === 1 ? '' : 's'}` : 'no selector: connect it to a pod'}</div>
      <Handle type="source" position={Position.Bottom} className="handle-ep" />
    </div>
  );
}
export default memo(ServiceNode);
