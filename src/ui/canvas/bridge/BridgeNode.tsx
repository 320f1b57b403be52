import { memo } from 'react';
import { Position, type Node, type NodeProps } from '@xyflow/react';
import type { BridgeData } from '../layout.ts';
import KindTag from '../KindTag.tsx';
import WireHandle from '../WireHandle.tsx';
import parts from '../parts.module.css';
import styles from './BridgeNode.module.css';

/** cni0, the Linux bridge the pods' veths are plugged into (its address is their gateway). */
function BridgeNode({ data }: NodeProps<Node<BridgeData>>) {
  return (
    <div className={data.name ? styles.bridge : `${styles.bridge} ${styles.routing}`}>
      <WireHandle type="target" position={Position.Top} />
      {data.name ? (
        <>
          <KindTag kind="bridge">bridge</KindTag>
          <span className={parts.dev}>{data.name}</span>
          <code>{data.address}</code>
          <span className={styles.muted}>{data.down ? 'no port left: DOWN (it stays after its last pod)' : "pods' gateway"}</span>
        </>
      ) : data.noBridge ? (
        <>
          <KindTag kind="bridge">no bridge</KindTag>
          {data.gateway && <code title="the pods' gateway (NOARP: no ARP; each pod's lxc program answers for it)">{data.gateway}</code>}
          <span className={styles.muted}>{data.noBridge}</span>
        </>
      ) : (
        <>
          <KindTag kind="bridge">no cni0 yet</KindTag>
          <span className={styles.muted}>the bridge plugin creates cni0 with the node's first pod</span>
        </>
      )}
      <WireHandle type="source" position={Position.Bottom} />
    </div>
  );
}
export default memo(BridgeNode);
