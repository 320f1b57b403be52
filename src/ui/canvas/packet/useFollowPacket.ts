// Keep the packet on screen: when the current hop's device is outside the visible
// canvas (a big cluster, or the netns terminal covering the bottom), pan to it at
// the same zoom. Never while the person is moving the view themselves: a view that
// moved in the last moments is theirs.
import { useEffect, useRef } from 'react';
import { useReactFlow, useStoreApi } from '@xyflow/react';
import type { Anchor } from './anchors.ts';
import { motionMs } from '../../a11y/motion.ts';

const HANDS_OFF_MS = 1500;
/** Room around the packet's point for its label (about 200 px wide, centred or to one side). */
const MARGIN_X = 220;
const MARGIN_Y = 70;

export function useFollowPacket(anchor: Anchor | null | undefined, panelOpen: boolean) {
  const flow = useReactFlow();
  const store = useStoreApi();
  const lastMovedByPerson = useRef(0);
  const ownMoveUntil = useRef(0);

  useEffect(() => {
    let last = store.getState().transform;
    return store.subscribe((s) => {
      if (s.transform === last) return;
      last = s.transform;
      if (performance.now() > ownMoveUntil.current) lastMovedByPerson.current = performance.now();
    });
  }, [store]);

  useEffect(() => {
    if (!anchor) return;
    const t = setTimeout(() => {
      if (performance.now() - lastMovedByPerson.current < HANDS_OFF_MS) return;
      const { width, height, transform } = store.getState();
      const [tx, ty, zoom] = transform;
      const x = anchor.x * zoom + tx;
      const y = anchor.y * zoom + ty;
      if (x >= MARGIN_X && x <= width - MARGIN_X && y >= MARGIN_Y && y <= height - MARGIN_Y) return;
      ownMoveUntil.current = performance.now() + 450;
      void flow.setCenter(anchor.x, anchor.y, { zoom, duration: motionMs(350) });
    }, 60); // after the canvas has taken its new size (the terminal opening)
    return () => clearTimeout(t);
  }, [anchor, panelOpen, flow, store]);
}
