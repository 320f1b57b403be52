// @vitest-environment jsdom
// Connecting a Service to a pod it does not select asks how: label the pod, or widen
// the selector. By keyboard: the first choice has the focus, Escape cancels.
import { describe, expect, it } from 'vitest';
import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import SelectorChoice from './SelectorChoice.tsx';
import { freshPlaygroundEachTest, st } from '../testing/playground.ts';

const labels = (name: string) => st().scenario.pods.find((p) => p.name === name)?.labels;
const selector = () => st().scenario.services.find((v) => v.name === 'web')?.selector;

describe('SelectorChoice', () => {
  freshPlaygroundEachTest();

  it('asks when the selector does not select the pod; Enter on the focused first choice labels the pod', async () => {
    const user = userEvent.setup();
    render(<SelectorChoice />);
    act(() => st().connectServiceToPod('default/web', 'default/client'));
    const dialog = screen.getByRole('dialog', { name: 'Service web does not select pod client' });
    expect(dialog.textContent).toContain('instead of app=client');
    expect(document.activeElement?.textContent).toMatch(/^Label the pod/);
    // The demo's pods share no label with client: widening is offered, not possible.
    expect((screen.getByRole('button', { name: /Widen the selector/ }) as HTMLButtonElement).disabled).toBe(true);
    await user.keyboard('{Enter}');
    expect(labels('client')).toEqual({ app: 'web' });
    expect(selector()).toEqual({ app: 'web' });
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('widening selects by the shared label and lists the pods it selects; Escape cancels and changes nothing', async () => {
    const user = userEvent.setup();
    act(() => void st().setLabels('pod', 'default/client', { app: 'client', tier: 'front' }));
    act(() => void st().setLabels('pod', 'default/web-1', { app: 'web', tier: 'front' }));
    act(() => void st().setLabels('pod', 'default/web-2', { app: 'web', tier: 'front' }));
    const before = st().scenario;
    render(<SelectorChoice />);
    act(() => st().connectServiceToPod('default/web', 'default/client'));
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(st().scenario).toBe(before);
    act(() => st().connectServiceToPod('default/web', 'default/client'));
    const widen = screen.getByRole('button', { name: /Widen the selector/ });
    expect(widen.textContent).toContain('select by tier=front: client, web-1, web-2');
    await user.click(widen);
    expect(selector()).toEqual({ tier: 'front' });
    expect(labels('client')).toEqual({ app: 'client', tier: 'front' });
  });

  it('another edit while it asks closes the question (it was about the cluster before)', () => {
    render(<SelectorChoice />);
    act(() => st().connectServiceToPod('default/web', 'default/client'));
    expect(screen.getByRole('dialog')).toBeTruthy();
    act(() => void st().addNode());
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(st().linking).toBeNull();
  });

  it('a pod already selected: no question, a hint says so', () => {
    render(<SelectorChoice />);
    act(() => st().connectServiceToPod('default/web', 'default/web-2'));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(st().notice?.text).toBe('Service web already selects pod web-2.');
  });
});
