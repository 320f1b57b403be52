// The netns terminal's top edge: drag it (or focus it and press ↑ ↓, Home, End) to
// give the terminal more or less of the canvas' height. The canvas re-frames itself
// when its size settles (canvas/useFitView.ts).
import { useRef, type KeyboardEvent, type PointerEvent } from 'react';
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { matchesNow, NARROW_QUERY } from '../narrow/breakpoint.ts';
import styles from './TerminalResizer.module.css';

/** The terminal's height, in percent of the stage under the top bar; kept while the page is open. */
export const MIN_PERCENT = 15;
export const MAX_PERCENT = 80;
const STEP = 5;
// A tablet turned sideways starts lower, so that the canvas keeps 60 % of its height (the hint and the bar take the rest).
const terminalHeight = createStore<{ percent: number }>(() => ({ percent: matchesNow(NARROW_QUERY) ? 28 : 36 }));

export const useTerminalPercent = () => useStore(terminalHeight, (s) => s.percent);
const setPercent = (p: number) => terminalHeight.setState({ percent: Math.round(Math.min(MAX_PERCENT, Math.max(MIN_PERCENT, p))) });

export default function TerminalResizer() {
  const percent = useTerminalPercent();
  const drag = useRef<{ stageTop: number; stageHeight: number } | null>(null);
  const onKeyDown = (e: KeyboardEvent) => {
    const to = e.key === 'ArrowUp' ? percent + STEP : e.key === 'ArrowDown' ? percent - STEP : e.key === 'Home' ? MAX_PERCENT : e.key === 'End' ? MIN_PERCENT : null;
    if (to === null) return;
    e.preventDefault();
    e.stopPropagation(); // not the packet's stepping keys
    setPercent(to);
  };
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    // The stage the percent is of: the terminal's parent.
    const stage = e.currentTarget.parentElement?.parentElement?.getBoundingClientRect();
    if (!stage) return;
    drag.current = { stageTop: stage.top, stageHeight: stage.height };
    e.currentTarget.setPointerCapture(e.pointerId);
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (d) setPercent(((d.stageTop + d.stageHeight - e.clientY) / d.stageHeight) * 100);
  };
  const onPointerUp = () => {
    drag.current = null;
  };
  return (
    <div
      className={styles.resizer}
      role="separator"
      aria-orientation="horizontal"
      aria-label="Terminal height"
      aria-valuemin={MIN_PERCENT}
      aria-valuemax={MAX_PERCENT}
      aria-valuenow={percent}
      aria-valuetext={`${percent}% of the height`}
      tabIndex={0}
      title="Drag, or ↑ ↓, to resize the terminal"
      onKeyDown={onKeyDown}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
    />
  );
}
