// @vitest-environment jsdom
// The breakpoints as a phone, a tablet and a desktop report them through matchMedia,
// and a window resized across one re-renders what depends on it.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, render, screen } from '@testing-library/react';
import { currentBreakpoint, useBreakpoint, useUpright } from './breakpoint.ts';

/** A window of this width (and height): matchMedia answers max-width and orientation queries from it and tells listeners when it changes. */
function fakeWindowWidth(initial: number, initialHeight = 900) {
  let width = initial;
  let height = initialHeight;
  const listeners = new Set<{ q: string; fn: () => void }>();
  const matches = (q: string) => {
    const m = /\(max-width: (\d+)px\)/.exec(q);
    const portrait = /\(orientation: portrait\)/.test(q);
    return (m ? width <= Number(m[1]) : true) && (!portrait || height >= width);
  };
  vi.stubGlobal('matchMedia', (q: string) => ({
    media: q,
    get matches() {
      return matches(q);
    },
    addEventListener: (_: string, fn: () => void) => listeners.add({ q, fn }),
    removeEventListener: (_: string, fn: () => void) => {
      for (const l of listeners) if (l.fn === fn && l.q === q) listeners.delete(l);
    },
  }));
  return {
    resize(to: number, toHeight = height) {
      const before = new Map([...listeners].map((l) => [l, matches(l.q)]));
      width = to;
      height = toHeight;
      for (const [l, was] of before) if (matches(l.q) !== was) l.fn();
    },
    listening: () => listeners.size,
  };
}

function Shows() {
  return <p>{useBreakpoint()}</p>;
}

describe('breakpoints', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('390 px is a phone, 480 the widest phone, 768 and 1024 tablets, 1025 and 1600 desktops', () => {
    const w = fakeWindowWidth(390);
    const at = (px: number) => (w.resize(px), currentBreakpoint());
    expect([390, 480, 481, 768, 1024, 1025, 1280, 1600].map(at)).toEqual(['phone', 'phone', 'tablet', 'tablet', 'tablet', 'desktop', 'desktop', 'desktop']);
  });

  it('re-renders when the window is resized across a breakpoint, and stops listening when unmounted', () => {
    const w = fakeWindowWidth(1600);
    const { unmount } = render(<Shows />);
    expect(screen.getByText('desktop')).toBeTruthy();
    act(() => w.resize(820));
    expect(screen.getByText('tablet')).toBeTruthy();
    act(() => w.resize(390));
    expect(screen.getByText('phone')).toBeTruthy();
    expect(w.listening()).toBeGreaterThan(0);
    unmount();
    expect(w.listening()).toBe(0);
  });

  it('upright: a phone or a tablet held upright, not one turned sideways, nor a desktop', () => {
    const w = fakeWindowWidth(390, 844);
    function Upright() {
      return <p>{useUpright() ? 'upright' : 'not upright'}</p>;
    }
    render(<Upright />);
    expect(screen.getByText('upright')).toBeTruthy();
    act(() => w.resize(1024, 768));
    expect(screen.getByText('not upright')).toBeTruthy();
    act(() => w.resize(768, 1024));
    expect(screen.getByText('upright')).toBeTruthy();
    act(() => w.resize(1200, 1600));
    expect(screen.getByText('not upright')).toBeTruthy();
  });

  it('is a desktop where there is no matchMedia (as the page was before)', () => {
    vi.stubGlobal('matchMedia', undefined);
    expect(currentBreakpoint()).toBe('desktop');
  });
});
