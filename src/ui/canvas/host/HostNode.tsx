import { memo } from 'react';
import type { Node, NodeProps } from '@xyflow/react';
import type { HostData } from '../layout.ts';
import KindTag from '../KindTag.tsx';
import styles from './HostNode.module.css';

/** A Kubernetes node: its own network namespace, drawn as a box holding its pods and devices. */
function HostNode({ data, selected }: NodeProps<Node<HostData>>) {
  const { node, cni } = data;
  return (
    <div className={selected ? `${styles.host} ${styles.selected}` : styles.host}>
      {/* data-drag-handle: the header is where the node is dragged by (layout.ts gives React Flow this selector). */}
      <div className={styles.header} data-drag-handle>
        <div className={styles.title}>
          <KindTag kind="node">node</KindTag>
          <span className={styles.name}>{node.name}</span>
          <span className={styles.cni}>{cni}</span>
        </div>
        <div className={styles.facts}>
          <span>
            <abbr title="status.addresses InternalIP">IP</abbr> <code>{node.internalIP}</code>
          </span>
          {node.podCIDR ? (
            <span>
              podCIDR <code>{node.podCIDR}</code>
            </span>
          ) : (
            <span className={styles.muted} title="vpc: no podCIDR, pods take node-network addresses">pods use node-network IPs</span>
          )}
        </div>
      </div>
    </div>
  );
}
export default memo(HostNode);
