// @vitest-environment jsdom
// The palette's NetworkPolicy: pressed, a new policy from the selected pod (with none, every
// pod of default); dragged, it carries its own type, which the canvas takes on a pod.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, fireEvent, render, screen } from '@testing-library/react';
import Toolbar from './Toolbar.tsx';
import { freshPlaygroundEachTest, st } from '../testing/playground.ts';
import { closeNewPolicy, newPolicy, openNewPolicy, POLICY_DRAG_MIME } from './newPolicy.ts';

describe("the palette's NetworkPolicy", () => {
  freshPlaygroundEachTest();
  afterEach(() => act(closeNewPolicy));

  it('opened for a pod: in its namespace, selecting it by its labels; for no pod or one gone, every pod of default', () => {
    const pod = st().scenario.pods[1];
    openNewPolicy(`${pod.namespace}/${pod.name}`);
    expect(newPolicy.getState().fresh).toEqual({ namespace: pod.namespace, labels: pod.labels });
    openNewPolicy();
    expect(newPolicy.getState().fresh).toEqual({ namespace: 'default', labels: {} });
    openNewPolicy('default/no-such-pod');
    expect(newPolicy.getState().fresh).toEqual({ namespace: 'default', labels: {} });
  });

  it('a click (or Enter) starts from the selected pod, as before; a node selected is no pod', () => {
    render(<Toolbar />);
    const button = screen.getByRole('button', { name: 'NetworkPolicy' });
    const pod = st().scenario.pods[0];
    act(() => st().select({ kind: 'pod', key: `${pod.namespace}/${pod.name}` }));
    fireEvent.click(button);
    expect(newPolicy.getState().fresh).toEqual({ namespace: pod.namespace, labels: pod.labels });
    act(closeNewPolicy);
    act(() => st().select({ kind: 'node', key: st().scenario.nodes[0].name }));
    fireEvent.click(button);
    expect(newPolicy.getState().fresh).toEqual({ namespace: 'default', labels: {} });
  });

  it('is draggable, and its drag carries the NetworkPolicy type (not a palette kind the canvas would place)', () => {
    render(<Toolbar />);
    const button = screen.getByRole('button', { name: 'NetworkPolicy' });
    expect(button.getAttribute('draggable')).toBe('true');
    const setData = vi.fn();
    fireEvent.dragStart(button, { dataTransfer: { setData, effectAllowed: 'all' } });
    expect(setData).toHaveBeenCalledWith(POLICY_DRAG_MIME, 'NetworkPolicy');
    expect(setData).toHaveBeenCalledTimes(1);
    expect(newPolicy.getState().fresh).toBeNull();
  });
});
