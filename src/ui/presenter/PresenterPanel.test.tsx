// @vitest-environment jsdom
// Presenter mode as a teacher uses it: P opens it (not while typing), Esc leaves; the
// panel shows the engine's current hop whole and moves with the arrow keys; the page
// scales its type with the screen.
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import Keys from '../Keys.tsx';
import PresenterPanel, { PRESENTER_CLASS, presenterScale } from './PresenterPanel.tsx';
import { leavePresenter, presenter } from './presenter.ts';
import { freshPlaygroundEachTest, st } from '../testing/playground.ts';
import { compile, trace, type TraceRequest } from '../../sim/index.ts';

const toService: TraceRequest = { from: { kind: 'pod', namespace: 'default', name: 'client' }, to: { kind: 'service', namespace: 'default', name: 'web', port: 80 }, proto: 'tcp' };
const presenting = () => presenter.getState().presenting;

describe('presenter mode', () => {
  freshPlaygroundEachTest();
  afterEach(() => {
    cleanup();
    act(() => leavePresenter());
  });

  it('P presents and Esc leaves; P typed into a field is a letter, not a command', async () => {
    const user = userEvent.setup();
    render(
      <>
        <Keys />
        <input aria-label="Name" />
      </>,
    );
    await user.keyboard('p');
    expect(presenting()).toBe(true);
    await user.keyboard('{Escape}');
    expect(presenting()).toBe(false);
    await user.click(screen.getByLabelText('Name'));
    await user.keyboard('p');
    expect(presenting()).toBe(false);
    expect(screen.getByLabelText<HTMLInputElement>('Name').value).toBe('p');
  });

  it("shows the engine's current hop whole, and → ← move through the walk", async () => {
    const user = userEvent.setup();
    act(() => st().send(toService));
    const t = trace(compile(st().scenario), toService);
    if (!t.ok) throw new Error('trace');
    render(
      <>
        <Keys />
        <PresenterPanel />
      </>,
    );
    const panel = screen.getByRole('region', { name: 'Presenter' });
    const why = () => panel.querySelector('[data-part="why"]')!.textContent;
    expect(why()).toBe(t.value.hops[0].why);
    expect(within(panel).getByText(`hop 1 of ${t.value.hops.length}`)).toBeTruthy();
    const dnat = t.value.hops.findIndex((h) => h.action === 'dnat');
    for (let i = 0; i < dnat; i++) await user.keyboard('{ArrowRight}');
    // The DNAT's sentence, chain names and all: nothing shortened.
    expect(why()).toBe(t.value.hops[dnat].why);
    expect(why()).toMatch(/KUBE-SEP-\w+ rewrites the destination/);
    await user.keyboard('{ArrowLeft}');
    expect(why()).toBe(t.value.hops[dnat - 1].why);
    // The verdict comes at the end of the walk, as the engine gives it.
    expect(within(panel).queryByRole('status')).toBeNull();
    for (let i = 0; i < t.value.hops.length; i++) await user.keyboard('{ArrowRight}');
    expect(within(panel).getByRole('status').textContent).toContain(t.value.reason);
  });

  it('marks the page while it is shown (tokens.css scales the panels by it), and unmarks it after', () => {
    const { unmount } = render(<PresenterPanel />);
    expect(document.documentElement.classList.contains(PRESENTER_CLASS)).toBe(true);
    expect(document.documentElement.style.getPropertyValue('--scale')).not.toBe('');
    unmount();
    expect(document.documentElement.classList.contains(PRESENTER_CLASS)).toBe(false);
    expect(document.documentElement.style.getPropertyValue('--scale')).toBe('');
  });

  it('scales type with the screen: 1.3 at 1280×720, larger on a bigger screen, never smaller', () => {
    expect(presenterScale(1280, 720)).toBeCloseTo(1.3);
    expect(presenterScale(1024, 600)).toBeCloseTo(1.3);
    expect(presenterScale(1920, 1080)).toBeGreaterThan(1.6);
    expect(presenterScale(3840, 2160)).toBeLessThanOrEqual(1.75);
  });
});
