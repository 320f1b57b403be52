// The packet on the canvas: it sits where the engine's current hop is, glides to
// the next one, and shows its headers (inside a bigger outer packet while VXLAN
// wraps it; the destination changing when a DNAT rewrites it).
import { memo, useLayoutEffect, useMemo, useRef } from 'react';
import { ViewportPortal, useStore } from '@xyflow/react';
import { usePlayground } from '../../playground.ts';
import { previousOnLeg, selectHops } from '../../../store/derived.ts';
import type { Layout } from '../layout.ts';
import { anchorsOf } from './anchors.ts';
import { pathOf, trailOf } from './trail.ts';
import { useFollowPacket } from './useFollowPacket.ts';
import { usePresenting } from '../../presenter/presenter.ts';
import { useFramesWalk } from '../framesWalk.ts';
import styles from './PacketLayer.module.css';

const NO_VIEW = [0, 0, 1] as const;
/** Room kept between the packet's label and the canvas' edge (screen pixels). */
const EDGE = 8;

function PacketLayer({ lay }: { lay: Layout }) {
  const hops = usePlayground(selectHops);
  const step = usePlayground((s) => s.step);
  const speed = usePlayground((s) => s.speed);
  const anchors = useMemo(() => anchorsOf(hops, lay), [hops, lay]);
  const i = Math.min(step, hops.length - 1);
  // The netns terminal takes the bottom of the canvas when a node or pod is selected.
  const panelOpen = usePlayground((s) => !!s.selection && s.selection.kind !== 'service');
  // Presenting, the view is framed on the whole walk (Canvas): it does not chase the packet.
  const presenting = usePresenting();
  useFollowPacket(hops.length && !presenting ? anchors[i] : null, panelOpen);
  const prev = usePlayground((st) => previousOnLeg(st, i))?.packet;
  // Where the view is framed tight on the walk's path (presenting, a phone): slide the label sideways to keep it whole on screen.
  const framed = useFramesWalk();
  const [tx, , zoom] = useStore((s) => (framed ? s.transform : NO_VIEW));
  const viewWidth = useStore((s) => (framed ? s.width : 0));
  const label = useRef<HTMLDivElement>(null);
  const a0 = hops.length ? anchors[i] : null;
  useLayoutEffect(() => {
    const el = label.current;
    if (!el) return;
    if (!framed || !a0) {
      el.style.marginLeft = '';
      return;
    }
    const w = el.offsetWidth;
    const left = (a0.right ? a0.x : a0.left ? a0.x - w : a0.x - w / 2) * zoom + tx;
    const right = left + w * zoom;
    const dx = left < EDGE ? (EDGE - left) / zoom : right > viewWidth - EDGE ? (viewWidth - EDGE - right) / zoom : 0;
    el.style.marginLeft = dx ? `${dx}px` : '';
  });
  if (hops.length === 0) return null;
  const hop = hops[i];
  const a = anchors[i];
  if (!a) return null;
  const dstChanged = prev && prev.dst !== hop.packet.dst;
  const srcChanged = prev && prev.src !== hop.packet.src;
  // The way it came, along the wires (not a straight line across other boxes).
  const d = pathOf(trailOf(anchors, i, lay));
  const ms = Math.round(Math.min(700, 900 / speed));
  const outer = hop.packet.outer;
  const end = hop.action === 'deliver' ? styles.delivered : hop.action === 'drop' || hop.action === 'refuse' ? styles.dropped : hop.action === 'leave' ? styles.leftCluster : undefined;
  // Presenting, the large label would hide the bridge's own name and address: it sits on top of the bridge instead.
  const above = presenting && a.place.kind === 'bridge';
  const packetClass = [styles.packet, outer && styles.wrapped, a.below && styles.below, a.right && styles.right, a.left && styles.left, above && styles.above, end].filter(Boolean).join(' ');
  return (
    <ViewportPortal>
      <svg className={styles.trail} style={{ position: 'absolute', left: 0, top: 0, overflow: 'visible', pointerEvents: 'none' }} width={1} height={1}>
        <path d={d} />
      </svg>
      <div
        className={styles.ring}
        style={{ transform: `translate(${a.box.x - 6}px, ${a.box.y - 6}px)`, width: a.box.w + 12, height: a.box.h + 12, transitionDuration: `${ms}ms` }}
      />
      <div className={styles.position} style={{ transform: `translate(${a.x}px, ${a.y}px)`, transitionDuration: `${ms}ms` }} data-testid="packet">
        <div className={packetClass} ref={label}>
          {outer && (
            <div className={styles.outer}>
              VXLAN <code>{outer.src}</code> → <code>{outer.dst}</code> udp/{outer.dport} VNI {outer.vni}
            </div>
          )}
          <div className={styles.inner}>
            <code className={srcChanged ? styles.changed : undefined}>{hop.packet.src}</code>
            {' → '}
            <code className={dstChanged ? styles.changed : undefined}>{hop.packet.dst}</code>
          </div>
        </div>
      </div>
    </ViewportPortal>
  );
}
export default memo(PacketLayer);
