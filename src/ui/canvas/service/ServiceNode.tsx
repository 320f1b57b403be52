import { memo } from 'react';
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import type { ServiceData } from '../layout.ts';
import KindTag from '../KindTag.tsx';
import parts from '../parts.module.css';
import styles from './ServiceNode.module.css';

/** A Service: a virtual IP that kube-proxy DNATs to one of the pods its selector picks. */
function ServiceNode({ data, selected }: NodeProps<Node<ServiceData>>) {
  const { service: v, endpoints } = data;
  const sel = Object.entries(v.selector).map(([k, val]) => `${k}=${val}`).join(', ');
  // A dump's Service without a selector (default/kubernetes): the endpoints its EndpointSlices list.
  const given = [...new Set((v.givenEndpoints ?? []).map((e) => `${e.ip}:${e.port}`))];
  return (
    <div className={selected ? `${styles.service} ${styles.selected}` : styles.service}>
      <div className={styles.title}>
        <KindTag kind="service">service</KindTag>
        <span className={styles.name}>{v.name}</span>
        {/* Traffic policy Local, as kubectl users abbreviate it; the whole field name on hover and for screen readers. */}
        {v.externalTrafficPolicy === 'Local' && <span className={styles.type} title="externalTrafficPolicy: Local" aria-label="externalTrafficPolicy: Local">eTP Local</span>}
        {v.internalTrafficPolicy === 'Local' && <span className={styles.type} title="internalTrafficPolicy: Local" aria-label="internalTrafficPolicy: Local">iTP Local</span>}
      </div>
      <div className={styles.line}>
        {v.type === 'NodePort' && <span className={styles.type}>NodePort</span>}
        <code>{v.clusterIP}</code>
        {v.ports.map((p) => (
          <span key={`${p.port}/${p.protocol}`} className={parts.port}>
            :{p.port}→{p.targetPort}
            {p.nodePort ? ` (node:${p.nodePort})` : ''}
          </span>
        ))}
      </div>
      <div className={`${styles.line} ${styles.muted}`}>{sel ? `selector ${sel} · ${endpoints} endpoint${endpoints === 1 ? '' : 's'}` : given.length ? `no selector · the file's endpoints ${given.join(', ')}` : 'no selector: connect it to a pod'}</div>
      <Handle type="source" position={Position.Bottom} className={styles.endpointHandle} />
    </div>
  );
}
export default memo(ServiceNode);
