// The Ethernet header of the frame a hop puts on (or takes off) a wire: the MACs
// change at every IP hop, while a bridge carries a frame unchanged. Inside a netns'
// IP stack there is no frame at all, which is said too. (It sits in the Walkthrough's
// packet box, whose rows it shares.)
import type { EthernetHeader as Eth } from '../../sim/trace/types.ts';
import styles from './EthernetHeader.module.css';

export default function EthernetHeader({ eth, sayWhenNone = false }: { eth?: Eth; sayWhenNone?: boolean }) {
  if (!eth) return sayWhenNone ? <p className={styles.none}>No Ethernet frame here: the packet is inside an IP stack.</p> : null;
  return (
    <div className={styles.frame} aria-label="Ethernet header" role="group">
      <div className={styles.label}>Ethernet</div>
      <dl>
        <dt>src</dt>
        <dd>
          <code>{eth.src}</code>
        </dd>
        <dt>dst</dt>
        <dd>
          <code>{eth.dst}</code>
        </dd>
      </dl>
    </div>
  );
}
