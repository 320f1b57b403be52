// Is the person using a finger? Then one finger on the canvas pans (also when it
// starts on a box), and a pod is moved by long-press then drag: dragging a box
// with the finger that pans would move pods by accident. Decided by the last press
// (a laptop with a touch screen switches back on the next mouse press), and first
// by the device's main pointer.
import { useEffect, useState } from 'react';

/** Is the device's main pointer a finger? */
export const coarsePointer = () => typeof matchMedia === 'function' && matchMedia('(pointer: coarse)').matches;

export function useTouchMode(): boolean {
  const [touch, setTouch] = useState(coarsePointer);
  useEffect(() => {
    // Capture: before React Flow's own handlers see the touch (it re-renders the
    // boxes undraggable before the finger moves).
    const onDown = (e: PointerEvent) => {
      if (e.pointerType === 'touch') setTouch(true);
      else if (e.pointerType === 'mouse') setTouch(false);
    };
    window.addEventListener('pointerdown', onDown, true);
    return () => window.removeEventListener('pointerdown', onDown, true);
  }, []);
  return touch;
}
