import { memo } from 'react';
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import type { PodData } from '../layout.ts';
import type { PodIsolation, PolicyDropMark } from '../policyMarks.ts';
import KindTag from '../KindTag.tsx';
import { podStateWord } from '../../../sim/podStatus.ts';
import WireHandle from '../WireHandle.tsx';
import parts from '../parts.module.css';
import styles from './PodNode.module.css';

const nameClass = (name: string) => (name.length > 20 ? `${styles.name} ${styles.longer}` : name.length > 12 ? `${styles.name} ${styles.long}` : styles.name);

/** The tag on an isolated pod: NetworkPolicy, and for which directions. */
const isolationTag = (i: PodIsolation) => `NP ${[i.ingress.length ? 'in' : '', i.egress.length ? 'out' : ''].filter(Boolean).join('/')}`;
const isolationSaid = (i: PodIsolation) =>
  `NetworkPolicy isolates this pod: ${[i.ingress.length ? `ingress (${i.ingress.join(', ')})` : '', i.egress.length ? `egress (${i.egress.join(', ')})` : ''].filter(Boolean).join('; ')}`;
/** The banner at the drop: the policies, the direction, and under a CNI enforcing none that the packet went through. */
const dropSaid = (d: PolicyDropMark) =>
  d.enforced
    ? `dropped by NetworkPolicy ${d.policies.join(', ')} (${d.direction.toLowerCase()})`
    : `${d.policies.join(', ')} ${d.policies.length > 1 ? 'deny' : 'denies'} this (${d.direction.toLowerCase()}), but this CNI enforces no NetworkPolicy: delivered`;

/** A pod: its own network namespace with eth0, joined to the node by a veth pair. */
function PodNode({ data, selected }: NodeProps<Node<PodData>>) {
  const { pod, veth, isolation, policyDrop } = data;
  // A dump's pod that is no ready endpoint: drawn dashed and faded, its state said first on its ports line (the box has no room for another).
  const state = podStateWord(pod);
  const box = `${styles.pod}${selected ? ` ${styles.selected}` : ''}${state ? ` ${styles.notReady}` : ''}${policyDrop?.enforced ? ` ${styles.denied}` : ''}`;
  return (
    <div className={box}>
      {policyDrop && (
        <div className={policyDrop.enforced ? styles.dropBanner : styles.wouldBanner} role="note">
          {policyDrop.enforced ? '✗ ' : ''}
          {dropSaid(policyDrop)}
        </div>
      )}
      <Handle type="target" position={Position.Top} className={styles.endpointHandle} />
      <div className={styles.title}>
        <KindTag kind="pod">pod</KindTag>
        {/* Generated names (web-5d8f7c9b4-x2x4z) are long: a smaller face keeps them whole. */}
        <span className={nameClass(pod.name)} title={pod.name}>
          {pod.name}
        </span>
        {isolation && (
          <span className={styles.policyTag} title={isolationSaid(isolation)} aria-label={isolationSaid(isolation)}>
            {isolationTag(isolation)}
          </span>
        )}
      </div>
      <div className={styles.line}>
        <span className={parts.dev}>eth0</span> <code>{pod.podIP ?? '—'}</code>
      </div>
      <div className={`${styles.line} ${styles.ports}`}>
        {state && <span className={styles.state}>{state}</span>}
        {pod.ports.length === 0 ? (
          <span className={styles.muted}>no ports</span>
        ) : (
          pod.ports.map((p) => (
            <span key={`${p.containerPort}/${p.protocol}`} className={parts.port}>
              {p.containerPort}/{p.protocol}
              {p.hostPort ? ` ⇠ host:${p.hostPort}` : ''}
            </span>
          ))
        )}
      </div>
      {veth && <div className={data.offPath ? `${styles.veth} ${styles.offPath}` : styles.veth}>{veth}</div>}
      <WireHandle type="source" position={Position.Bottom} />
    </div>
  );
}
export default memo(PodNode);
