// @vitest-environment jsdom
// Long-press then drag, as the canvas hears it (touch events on its frame): held
// still for LONG_PRESS_MS a box lifts; a finger that moves first is panning; a second
// finger is a pinch; let go, the lifted box is handed over with where it went.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, render } from '@testing-library/react';
import { useRef } from 'react';
import { LONG_PRESS_MS, useLongPressMove, type Lift, type OnRelease } from './useLongPress.ts';

let seen: Lift | null = null;
function Frame({ onRelease }: { onRelease: OnRelease }) {
  const ref = useRef<HTMLDivElement>(null);
  seen = useLongPressMove(ref, onRelease);
  return (
    <div ref={ref} data-testid="frame">
      <div className="react-flow__node" data-id="pod:default/web-1">
        <span data-testid="pod">web-1</span>
      </div>
      <div className="react-flow__node" data-id="bridge:node-1">
        <span data-testid="cni0">cni0</span>
      </div>
      <div data-testid="pane" />
    </div>
  );
}

type Pt = { x: number; y: number; id?: number };
/** A touch event as the browser sends it: who is down (touches) and who changed. */
function send(target: Element, type: string, changed: Pt[], down: Pt[] = type === 'touchend' ? [] : changed) {
  const list = (ps: Pt[]) => ps.map((p) => ({ identifier: p.id ?? 1, clientX: p.x, clientY: p.y, target }));
  const e = new Event(type, { bubbles: true, cancelable: true });
  Object.defineProperties(e, { touches: { value: list(down) }, changedTouches: { value: list(changed) } });
  act(() => void target.dispatchEvent(e));
  return e;
}

describe('useLongPressMove', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    vi.useRealTimers();
    cleanup();
    seen = null;
  });

  it('a pod held still lifts, follows the finger, and is handed over where the finger lets go', () => {
    const onRelease = vi.fn();
    const { getByTestId } = render(<Frame onRelease={onRelease} />);
    const pod = getByTestId('pod');
    send(pod, 'touchstart', [{ x: 10, y: 10 }]);
    act(() => void vi.advanceTimersByTime(LONG_PRESS_MS - 50));
    expect(seen).toBeNull(); // not yet
    act(() => void vi.advanceTimersByTime(60));
    expect(seen?.what).toEqual({ kind: 'pod', key: 'default/web-1' });
    const move = send(pod, 'touchmove', [{ x: 200, y: 90 }]);
    expect(move.defaultPrevented).toBe(true); // the view does not pan under a lifted pod
    expect(seen).toMatchObject({ x: 200, y: 90 });
    send(pod, 'touchend', [{ x: 210, y: 95 }]);
    expect(onRelease).toHaveBeenCalledWith({ kind: 'pod', key: 'default/web-1' }, { x: 10, y: 10 }, { x: 210, y: 95 });
    expect(seen).toBeNull();
  });

  it('a finger that moves before the long press is panning: nothing lifts', () => {
    const onRelease = vi.fn();
    const { getByTestId } = render(<Frame onRelease={onRelease} />);
    const pod = getByTestId('pod');
    send(pod, 'touchstart', [{ x: 10, y: 10 }]);
    const pan = send(pod, 'touchmove', [{ x: 40, y: 10 }]);
    expect(pan.defaultPrevented).toBe(false);
    act(() => void vi.advanceTimersByTime(LONG_PRESS_MS * 2));
    expect(seen).toBeNull();
    send(pod, 'touchend', [{ x: 40, y: 10 }]);
    expect(onRelease).not.toHaveBeenCalled();
  });

  it('a second finger (a pinch) lets go of a lifted pod without moving it; a device box never lifts', () => {
    const onRelease = vi.fn();
    const { getByTestId } = render(<Frame onRelease={onRelease} />);
    const pod = getByTestId('pod');
    send(pod, 'touchstart', [{ x: 10, y: 10 }]);
    act(() => void vi.advanceTimersByTime(LONG_PRESS_MS));
    expect(seen).not.toBeNull();
    send(getByTestId('pane'), 'touchstart', [{ x: 300, y: 300, id: 2 }], [{ x: 10, y: 10 }, { x: 300, y: 300, id: 2 }]);
    expect(seen).toBeNull();
    send(pod, 'touchend', [{ x: 10, y: 10 }]);
    expect(onRelease).not.toHaveBeenCalled();

    send(getByTestId('cni0'), 'touchstart', [{ x: 10, y: 10 }]);
    act(() => void vi.advanceTimersByTime(LONG_PRESS_MS * 2));
    expect(seen).toBeNull();
  });
});
