// @vitest-environment jsdom
// The live region a screen reader hears: each hop's sentence as the walk reaches it
// (the same place, action and sentence the hop list shows), the verdict at the end,
// and nothing on the first render.
import { describe, expect, it } from 'vitest';
import { act, render } from '@testing-library/react';
import HopAnnouncer from './HopAnnouncer.tsx';
import { freshPlaygroundEachTest, st } from '../testing/playground.ts';
import { compile, trace, type TraceRequest } from '../../sim/index.ts';

const toWeb2: TraceRequest = { from: { kind: 'pod', namespace: 'default', name: 'client' }, to: { kind: 'pod', namespace: 'default', name: 'web-2', port: 8080 }, proto: 'tcp' };
const live = () => document.querySelector<HTMLElement>('[data-announcer]')!;

function engine(req: TraceRequest) {
  const r = trace(compile(st().scenario), req);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}

describe('HopAnnouncer', () => {
  freshPlaygroundEachTest();

  it('is a polite live region, always there, silent until the walk moves', () => {
    render(<HopAnnouncer />);
    expect(live().getAttribute('aria-live')).toBe('polite');
    expect(live().textContent).toBe('');
  });

  it("says each hop's number, place, action and sentence as the packet reaches it, then the verdict", () => {
    render(<HopAnnouncer />);
    act(() => st().send(toWeb2));
    const t = engine(toWeb2);
    const where = (i: number) => `${t.hops[i].netns} · ${t.hops[i].device}`;
    expect(live().textContent).toBe(`Hop 1 of ${t.hops.length}: ${where(0)}, ${t.hops[0].action}. ${t.hops[0].why}`);
    act(() => st().setStep(2));
    expect(live().textContent).toBe(`Hop 3 of ${t.hops.length}: ${where(2)}, ${t.hops[2].action}. ${t.hops[2].why}`);
    expect(live().textContent).not.toContain('Verdict');
    const last = t.hops.length - 1;
    act(() => st().setStep(last));
    expect(t.verdict).toBe('delivered');
    expect(t.hops[last].why).not.toMatch(/[.!?]$/);
    expect(live().textContent).toBe(`Hop ${last + 1} of ${t.hops.length}: ${where(last)}, ${t.hops[last].action}. ${t.hops[last].why}. Verdict: delivered at ${t.endpoint}: ${t.reason}`);
  });

  it('does not speak a restored step on the first render', () => {
    act(() => st().send(toWeb2));
    act(() => st().setStep(1));
    render(<HopAnnouncer />);
    expect(live().textContent).toBe('');
    act(() => st().setStep(2));
    expect(live().textContent).toMatch(/^Hop 3 of /);
  });
});
