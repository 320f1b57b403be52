// Long-press then drag, with a finger: a finger held still on a pod, a node or a
// Service for LONG_PRESS_MS lifts it (the canvas shows it lifted); it then follows
// the finger. Let go, a pod moves to the node under the finger; a node or a Service
// takes its new place. A finger that moves before then is panning, and nothing moves.
// Touch events (not pointer events): they are what React Flow's pan listens to, so a
// lifted box's moves can be kept from it.
import { useEffect, useRef, useState, type RefObject } from 'react';
import { elementOfId, type ElementRef } from '../../store/ids.ts';

export const LONG_PRESS_MS = 500;
/** A finger moving further than this before the long press is a pan. */
const SLOP_PX = 10;

export interface Lift {
  what: ElementRef;
  /** The finger, in the canvas frame's own pixels. */
  x: number;
  y: number;
}

type ClientXY = { x: number; y: number };
/** What was lifted, where the finger held it and where it let go (client coordinates). */
export type OnRelease = (what: ElementRef, from: ClientXY, to: ClientXY) => void;

/** The box lifted by a long press, and where the finger is; null when none is. */
export function useLongPressMove(frame: RefObject<HTMLDivElement | null>, onRelease: OnRelease): Lift | null {
  const [lift, setLift] = useState<Lift | null>(null);
  const release = useRef(onRelease);
  release.current = onRelease;

  useEffect(() => {
    const el = frame.current;
    if (!el) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let pending: { what: ElementRef; id: number; x: number; y: number } | null = null;
    let lifted: { what: ElementRef; id: number; from: ClientXY } | null = null;
    const local = (t: { clientX: number; clientY: number }) => {
      const r = el.getBoundingClientRect();
      return { x: t.clientX - r.left, y: t.clientY - r.top };
    };
    const cancel = () => {
      clearTimeout(timer);
      pending = null;
      if (lifted) {
        lifted = null;
        setLift(null);
      }
    };
    const ours = (e: TouchEvent, id: number) => [...e.changedTouches].find((t) => t.identifier === id);

    const onStart = (e: TouchEvent) => {
      // A second finger is a pinch: no pod is lifted.
      if (e.touches.length !== 1) return cancel();
      const t = e.changedTouches[0];
      const id = (e.target as Element | null)?.closest?.('.react-flow__node')?.getAttribute('data-id');
      const what = id ? elementOfId(id) : null;
      if (!what) return; // a device (cni0, eth0) or a wire: not something a person moves
      pending = { what, id: t.identifier, x: t.clientX, y: t.clientY };
      timer = setTimeout(() => {
        if (!pending) return;
        lifted = { what: pending.what, id: pending.id, from: { x: pending.x, y: pending.y } };
        const at = local({ clientX: pending.x, clientY: pending.y });
        pending = null;
        setLift({ what: lifted.what, ...at });
      }, LONG_PRESS_MS);
    };
    const onMove = (e: TouchEvent) => {
      if (pending) {
        const t = ours(e, pending.id);
        if (t && Math.hypot(t.clientX - pending.x, t.clientY - pending.y) > SLOP_PX) cancel();
        return;
      }
      if (!lifted) return;
      const t = ours(e, lifted.id);
      if (!t) return;
      // The finger carries the box: React Flow must not pan the view under it.
      e.preventDefault();
      e.stopPropagation();
      const at = local(t);
      setLift((l) => (l ? { ...l, ...at } : l));
    };
    const onEnd = (e: TouchEvent) => {
      if (pending) return cancel(); // a tap: React Flow selects
      if (!lifted) return;
      const t = ours(e, lifted.id);
      if (!t) return;
      // No click after the drop (it would select what is under the finger).
      e.preventDefault();
      const { what, from } = lifted;
      cancel();
      release.current(what, from, { x: t.clientX, y: t.clientY });
    };
    // A long press opens the context menu on a phone: not on the canvas' boxes.
    const onMenu = (e: Event) => {
      if (pending || lifted) e.preventDefault();
    };

    const capture = { capture: true, passive: false } as const;
    el.addEventListener('touchstart', onStart, capture);
    el.addEventListener('touchmove', onMove, capture);
    el.addEventListener('touchend', onEnd, capture);
    el.addEventListener('touchcancel', cancel, capture);
    el.addEventListener('contextmenu', onMenu, capture);
    return () => {
      clearTimeout(timer);
      el.removeEventListener('touchstart', onStart, capture);
      el.removeEventListener('touchmove', onMove, capture);
      el.removeEventListener('touchend', onEnd, capture);
      el.removeEventListener('touchcancel', cancel, capture);
      el.removeEventListener('contextmenu', onMenu, capture);
    };
  }, [frame]);
  return lift;
}
