// Framing the canvas: the whole cluster when its set of nodes changes, its CNI is
// switched, or the canvas takes another size (a window resized, the netns terminal
// opened, closed or dragged); in presenter mode, the part of the cluster the walk
// goes through instead (./packet/inPlay.ts), so its labels are as large as can be.
import { useEffect, useRef, type RefObject } from 'react';
import { useReactFlow } from '@xyflow/react';
import type { Box } from './geometry.ts';
import { motionMs } from '../a11y/motion.ts';
import { usePlayground } from '../playground.ts';

/** Wait this long after the last change of size before framing again (a drag of the terminal's edge, a window being resized). */
const SETTLE_MS = 120;

/** Around the part in play (presenting): a thin margin, every flow pixel counts toward larger type. */
const IN_PLAY_PADDING = 0.02;

const rect = (b: Box) => ({ x: b.x, y: b.y, width: b.w, height: b.h });

/** Around the whole cluster: 8% of the canvas. */
const FIT_PADDING = 0.08;
/** The strip kept clear at the canvas's foot for the one-line notice (an import's warnings, Notice.tsx): its height and margin, in screen pixels. */
const NOTICE_FOOT_PX = 72;

/** The whole cluster's margins; while the one-line notice is shown (an import's, framed with its cluster), at least its strip at the foot, so it covers no node. */
function fitPadding(el: HTMLElement | null, foot: boolean) {
  if (!foot) return FIT_PADDING;
  const h = el?.clientHeight ?? 0;
  // As a number, FIT_PADDING is React Flow's ratio: (h - h / (1 + p)) / 2 on each side.
  return { top: FIT_PADDING, left: FIT_PADDING, right: FIT_PADDING, bottom: `${Math.max((h - h / (1 + FIT_PADDING)) / 2, NOTICE_FOOT_PX)}px` as const };
}

export function useFitView(container: RefObject<HTMLElement | null>, frameKey: string, inPlay: Box | null) {
  const flow = useReactFlow();
  const first = useRef(true);
  const target = useRef(inPlay);
  target.current = inPlay;
  // Read when framing, not a reason to frame: closing the notice leaves the view as the person left it.
  const foot = useRef(false);
  foot.current = usePlayground((s) => !!s.notice?.fold);
  const inPlayKey = inPlay ? `${inPlay.x},${inPlay.y},${inPlay.w},${inPlay.h}` : '';

  useEffect(() => {
    const fit = (duration: number) => {
      // A canvas of no size (hidden: the printout replaces it) has nothing to frame into: React Flow's zoom would be NaN.
      const el = container.current;
      if (el && (!el.clientWidth || !el.clientHeight)) return;
      const b = target.current;
      if (b) void flow.fitBounds(rect(b), { padding: IN_PLAY_PADDING, duration });
      else void flow.fitView({ padding: fitPadding(container.current, foot.current), duration, maxZoom: 1.1 });
    };
    const t = setTimeout(() => fit(first.current ? 0 : motionMs(250)), 30);
    first.current = false;
    return () => clearTimeout(t);
  }, [frameKey, inPlayKey, flow, container]);

  useEffect(() => {
    const el = container.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    let size = { w: el.clientWidth, h: el.clientHeight };
    let t: ReturnType<typeof setTimeout> | undefined;
    const ro = new ResizeObserver(() => {
      const now = { w: el.clientWidth, h: el.clientHeight };
      if (now.w === size.w && now.h === size.h) return;
      size = now;
      clearTimeout(t);
      t = setTimeout(() => {
        // Hidden (printing): framed again when it shows.
        if (!el.clientWidth || !el.clientHeight) return;
        const b = target.current;
        if (b) void flow.fitBounds(rect(b), { padding: IN_PLAY_PADDING, duration: 0 });
        else void flow.fitView({ padding: fitPadding(el, foot.current), duration: 0, maxZoom: 1.1 });
      }, SETTLE_MS);
    });
    ro.observe(el);
    return () => {
      ro.disconnect();
      clearTimeout(t);
    };
  }, [container, flow]);
}
