// Presenter mode's large type on the canvas: the labels a student reads (names,
// addresses, the devices on the packet's path, the packet) are drawn at least
// LEGIBLE_PX on screen whatever the zoom, by a custom property each box's module
// reads (--canvas-legible, in flow units: LEGIBLE_PX / zoom). Set on the element, not
// through React: a zoom gesture re-renders nothing.
import { useEffect, type RefObject } from 'react';
import { useStoreApi } from '@xyflow/react';

/** On-screen size of a label a student must read from the back of a classroom. */
export const LEGIBLE_PX = 16.5;
/**
 * No label grows past this (flow pixels): a pod's "eth0 10.244.1.2" still fits its
 * box at this size. Below zoom LEGIBLE_PX / MOST (about 0.6) labels are smaller than
 * LEGIBLE_PX rather than cut.
 */
export const MOST = 27;

export function useLegibleType(container: RefObject<HTMLElement | null>, on: boolean) {
  const store = useStoreApi();
  useEffect(() => {
    const el = container.current;
    if (!el) return;
    if (!on) {
      el.style.removeProperty('--canvas-legible');
      return;
    }
    let zoom = 0;
    const apply = (z: number) => {
      if (z === zoom) return;
      zoom = z;
      el.style.setProperty('--canvas-legible', `${Math.min(LEGIBLE_PX / z, MOST).toFixed(2)}px`);
    };
    apply(store.getState().transform[2]);
    const off = store.subscribe((s) => apply(s.transform[2]));
    return () => {
      off();
      el.style.removeProperty('--canvas-legible');
    };
  }, [container, on, store]);
}
