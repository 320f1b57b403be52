// The wires: veth pairs, the node's uplink, the VXLAN tunnel, Service endpoints.
import { memo } from 'react';
import { BaseEdge, getBezierPath, type EdgeProps } from '@xyflow/react';
import styles from './edges.module.css';
import type { VxlanData } from '../layout.ts';

/**
 * A straight drop from the pod's bottom to cni0, at the pod's x; for a pod with pods
 * below it, a short drop, then aside into the gap between columns, then down.
 */
export const VethEdge = memo(function VethEdge({ id, sourceX, sourceY, targetY, data }: EdgeProps) {
  const d = (data as { detour?: number } | undefined)?.detour ?? 0;
  const path = d ? `M ${sourceX} ${sourceY} L ${sourceX} ${sourceY + 12} L ${sourceX + d} ${sourceY + 12} L ${sourceX + d} ${targetY}` : `M ${sourceX} ${sourceY} L ${sourceX} ${targetY}`;
  return <BaseEdge id={id} path={path} className={styles.veth} />;
});

export const WireEdge = memo(function WireEdge({ id, sourceX, sourceY, targetY }: EdgeProps) {
  return <BaseEdge id={id} path={`M ${sourceX} ${sourceY} L ${sourceX} ${targetY}`} className={styles.wire} />;
});

export const SideEdge = memo(function SideEdge({ id, sourceX, sourceY, targetX }: EdgeProps) {
  return <BaseEdge id={id} path={`M ${sourceX} ${sourceY} L ${targetX} ${sourceY}`} className={styles.wire} />;
});

/** The VXLAN tunnel: a pipe running under the nodes from one flannel.1 to the other. */
export const VxlanEdge = memo(function VxlanEdge({ id, sourceX, sourceY, targetX, targetY, data }: EdgeProps) {
  const pipe = data as VxlanData | undefined;
  const y = Math.max(sourceY, targetY) + 44;
  const path = `M ${sourceX} ${sourceY} L ${sourceX} ${y} L ${targetX} ${y} L ${targetX} ${targetY}`;
  return (
    <>
      <BaseEdge id={id} path={path} className={styles.vxlanPipe} />
      <BaseEdge path={path} className={styles.vxlan} />
      <text x={(sourceX + targetX) / 2} y={y + 5} className={styles.vxlanLabel} textAnchor="middle">
        {pipe?.label}
      </text>
    </>
  );
});

export const EndpointEdge = memo(function EndpointEdge({ id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition }: EdgeProps) {
  const [path] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  return <BaseEdge id={id} path={path} className={styles.endpoint} />;
});

/** The node network's bars (one per row of nodes) joined on the left: one L2 segment. */
export const TrunkEdge = memo(function TrunkEdge({ id, sourceX, sourceY, targetX, targetY }: EdgeProps) {
  const x = Math.min(sourceX, targetX) - 28;
  return <BaseEdge id={id} path={`M ${sourceX} ${sourceY} L ${x} ${sourceY} L ${x} ${targetY} L ${targetX} ${targetY}`} className={styles.trunk} />;
});

export const edgeTypes = { veth: VethEdge, wire: WireEdge, side: SideEdge, vxlan: VxlanEdge, endpoint: EndpointEdge, trunk: TrunkEdge };
