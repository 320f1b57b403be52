import { memo } from 'react';
import { Position, type Node, type NodeProps } from '@xyflow/react';
import WireHandle from '../WireHandle.tsx';
import { COLLAPSED_WIRE_X } from '../geometry.ts';
import type { HostData } from '../layout.ts';
import KindTag from '../KindTag.tsx';
import { collapseNode, expandNode } from '../bigCluster.ts';
import styles from './HostNode.module.css';

/** Expand a collapsed node of a big cluster (draw its pods and devices), or collapse it again. nodrag: a press is a click, not a drag of the node. */
function NodeToggle({ name, toggle }: { name: string; toggle: 'expand' | 'collapse' }) {
  const expand = toggle === 'expand';
  return (
    <button
      type="button"
      className={`nodrag ${expand ? styles.expand : styles.collapse}`}
      aria-label={`${expand ? 'Show' : 'Hide'} pods of node ${name}`}
      onClick={(e) => {
        // The node is not selected by this click: the button is the whole of what it does.
        e.stopPropagation();
        if (expand) expandNode(name);
        else collapseNode(name);
      }}
    >
      {expand ? 'Show pods' : 'Hide pods'}
    </button>
  );
}

/** A Kubernetes node: its own network namespace, drawn as a box holding its pods and devices. */
function HostNode({ data, selected }: NodeProps<Node<HostData>>) {
  const { node, cni, podCount, collapsed, toggle } = data;
  const pods = podCount === 1 ? '1 pod' : `${podCount} pods`;
  if (collapsed && toggle) {
    // A big cluster: every node collapsed until a person (or a walk through it) expands it.
    return (
      <div className={`${styles.host} ${styles.collapsed}${selected ? ` ${styles.selected}` : ''}`}>
        <WireHandle type="target" id="endpoints" position={Position.Top} />
        <div className={styles.header} data-drag-handle>
          <div className={styles.title}>
            <span className={styles.name}>{node.name}</span>
          </div>
          <div className={styles.factLines}>
            <span>
              <abbr title="status.addresses InternalIP">IP</abbr> <code>{node.internalIP}</code>
            </span>
            {node.podCIDR && (
              <span>
                podCIDR <code>{node.podCIDR}</code>
              </span>
            )}
            {node.calicoBlocks?.length ? (
              <span>
                blocks <code>{node.calicoBlocks.join(' ')}</code>
              </span>
            ) : null}
          </div>
        </div>
        <p className={styles.count}>{pods}</p>
        <NodeToggle name={node.name} toggle={toggle} />
        <WireHandle type="source" id="wire" position={Position.Bottom} style={{ left: COLLAPSED_WIRE_X }} />
      </div>
    );
  }
  if (collapsed) {
    // Presenter mode, a node the walk does not visit: still there, named, its pods and devices not drawn.
    return (
      <div className={`${styles.host} ${styles.collapsed}${selected ? ` ${styles.selected}` : ''}`}>
        <WireHandle type="target" id="endpoints" position={Position.Top} />
        <div className={styles.header} data-drag-handle>
          <div className={styles.title}>
            <span className={styles.name}>{node.name}</span>
          </div>
          <div className={styles.facts}>
            <code>{node.internalIP}</code>
          </div>
        </div>
        <p className={styles.note}>
          {pods}, not on this path
        </p>
        <WireHandle type="source" id="wire" position={Position.Bottom} style={{ left: COLLAPSED_WIRE_X }} />
      </div>
    );
  }
  return (
    <div className={selected ? `${styles.host} ${styles.selected}` : styles.host}>
      {/* data-drag-handle: the header is where the node is dragged by (layout.ts gives React Flow this selector). */}
      <div className={styles.header} data-drag-handle>
        <div className={styles.title}>
          <KindTag kind="node">node</KindTag>
          <span className={styles.name}>{node.name}</span>
          <span className={styles.cni}>{cni}</span>
          {toggle && <NodeToggle name={node.name} toggle={toggle} />}
        </div>
        <div className={styles.facts}>
          <span>
            <abbr title="status.addresses InternalIP">IP</abbr> <code>{node.internalIP}</code>
          </span>
          {node.podCIDR ? (
            <span>
              podCIDR <code>{node.podCIDR}</code>
            </span>
          ) : node.calicoBlocks?.length ? (
            // Calico: the pool's blocks this node holds (its block affinities), not a podCIDR.
            <span title="Calico IPAM blocks this node holds (block affinities)">
              blocks <code>{node.calicoBlocks.join(' ')}</code>
            </span>
          ) : (
            <span className={styles.muted} title="no podCIDR: pods take node-network addresses">pods use node-network IPs</span>
          )}
        </div>
      </div>
    </div>
  );
}
export default memo(HostNode);
