import { memo } from 'react';
import { Position, type Node, type NodeProps } from '@xyflow/react';
import type { NetworkData } from '../layout.ts';
import KindTag from '../KindTag.tsx';
import WireHandle from '../WireHandle.tsx';
import styles from './NetworkNode.module.css';

/** The L2 segment every node's eth0 is plugged into: a switch, or a VPC's fabric. */
function NetworkNode({ data }: NodeProps<Node<NetworkData>>) {
  return (
    <div className={styles.network}>
      <WireHandle type="target" position={Position.Top} />
      <WireHandle type="target" position={Position.Left} id="side" />
      {/* The bars of the rows below and above join here (one segment). */}
      <WireHandle type="source" position={Position.Left} id="trunk-out" />
      <WireHandle type="target" position={Position.Left} id="trunk-in" />
      {/* Racks: the wire to the router, from the bar's right end. */}
      <WireHandle type="source" position={Position.Right} id="router" />
      {data.vpcFabric ? (
        <>
          <KindTag kind="network">VPC fabric</KindTag>
          <code>{data.cidr}</code>
          <span className={styles.note}>knows which node holds each pod address, and answers ARP with that node's MAC</span>
        </>
      ) : (
        <>
          <KindTag kind="network">node network</KindTag>
          <code>{data.cidr}</code>
          {data.rack && <span className={styles.note}>{data.rack}</span>}
          {data.bgpMesh && <span className={styles.note}>{data.bgpMesh}</span>}
        </>
      )}
    </div>
  );
}
export default memo(NetworkNode);
