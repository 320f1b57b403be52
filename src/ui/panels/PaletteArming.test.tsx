// @vitest-environment jsdom
// The palette with a finger and with the keyboard: a finger's tap arms an item (shown
// pressed) for the next tap on the canvas; Enter adds next to the selection at once.
import { afterEach, describe, expect, it } from 'vitest';
import { act, fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import Toolbar from './Toolbar.tsx';
import { freshPlaygroundEachTest, st } from '../testing/playground.ts';
import { armedPalette, disarm } from '../canvas/placing.ts';

const tap = (el: HTMLElement) => {
  fireEvent.pointerDown(el, { pointerType: 'touch' });
  fireEvent.click(el, { detail: 1 });
};

describe('the palette', () => {
  freshPlaygroundEachTest();
  afterEach(() => act(disarm));

  it("a finger's tap arms Pod (pressed, nothing added yet); a second tap disarms", () => {
    render(<Toolbar />);
    const pod = screen.getByRole('button', { name: 'Pod' });
    const pods = st().scenario.pods.length;
    tap(pod);
    expect(armedPalette.getState().armed).toBe('pod');
    expect(pod.getAttribute('aria-pressed')).toBe('true');
    expect(st().scenario.pods.length).toBe(pods);
    // Another item armed instead: only one is pressed.
    tap(screen.getByRole('button', { name: 'Node' }));
    expect(armedPalette.getState().armed).toBe('node');
    expect(pod.getAttribute('aria-pressed')).toBe('false');
    tap(screen.getByRole('button', { name: 'Node' }));
    expect(armedPalette.getState().armed).toBeNull();
  });

  it('Enter adds a pod to the selected node at once, and arms nothing', async () => {
    const user = userEvent.setup();
    render(<Toolbar />);
    act(() => st().select({ kind: 'node', key: 'node-2' }));
    const before = st().scenario.pods.filter((p) => p.nodeName === 'node-2').length;
    screen.getByRole('button', { name: 'Pod' }).focus();
    await user.keyboard('{Enter}');
    expect(st().scenario.pods.filter((p) => p.nodeName === 'node-2').length).toBe(before + 1);
    expect(armedPalette.getState().armed).toBeNull();
    // Not a toggle for a keyboard or a mouse: no pressed state to announce.
    expect(screen.getByRole('button', { name: 'Pod' }).hasAttribute('aria-pressed')).toBe(false);
  });

  it('a mouse click adds a node at once, as before', async () => {
    const user = userEvent.setup();
    render(<Toolbar />);
    const nodes = st().scenario.nodes.length;
    await user.click(screen.getByRole('button', { name: 'Node' }));
    expect(st().scenario.nodes.length).toBe(nodes + 1);
    expect(armedPalette.getState().armed).toBeNull();
  });
});
