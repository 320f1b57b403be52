import type { ReactNode } from 'react';
import styles from './KindTag.module.css';

export type Kind = 'node' | 'pod' | 'bridge' | 'service' | 'network' | 'external';
const KIND_CLASS: Record<Kind, string> = {
  node: `${styles.tag} ${styles.node}`,
  pod: `${styles.tag} ${styles.pod}`,
  bridge: `${styles.tag} ${styles.bridge}`,
  service: `${styles.tag} ${styles.service}`,
  network: `${styles.tag} ${styles.network}`,
  external: `${styles.tag} ${styles.external}`,
};

/** What a box on the canvas is (NODE, POD, BRIDGE …), in its concept's colour. */
export default function KindTag({ kind, children }: { kind: Kind; children: ReactNode }) {
  return <span className={KIND_CLASS[kind]}>{children}</span>;
}
