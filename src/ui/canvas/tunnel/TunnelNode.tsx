import { memo } from 'react';
import { Position, type Node, type NodeProps } from '@xyflow/react';
import type { TunnelData } from '../layout.ts';
import WireHandle from '../WireHandle.tsx';
import parts from '../parts.module.css';
import styles from './TunnelNode.module.css';

/** A tunnel device: flannel.1 or vxlan.calico (a VXLAN VTEP: pod packets in UDP to the other node), or Calico's tunl0 (IP-in-IP, modelled). */
function TunnelNode({ data }: NodeProps<Node<TunnelData>>) {
  return (
    <div className={styles.tunnel}>
      <span className={`${parts.dev} ${styles.name}`}>{data.name}</span>
      <span className={styles.facts}>
        {data.encapsulation}{data.address ? <> · <code>{data.address}</code></> : null} · MTU {data.mtu}
      </span>
      <WireHandle type="source" position={Position.Bottom} id="out" />
      <WireHandle type="target" position={Position.Bottom} id="in" />
    </div>
  );
}
export default memo(TunnelNode);
