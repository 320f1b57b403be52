// @vitest-environment jsdom
// The toolbar's menu on a phone or a tablet, as a person uses it: the button says whether
// it is open, Escape closes it and hands the keyboard back, a tap outside closes it, a
// button in it does its errand and closes it, and what it holds stays mounted while closed.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import ToolbarMenu from './ToolbarMenu.tsx';

function Page({ closeOn }: { closeOn?: string }) {
  const [count, setCount] = useState(0);
  return (
    <>
      <ToolbarMenu closeOn={closeOn}>
        <button type="button" onClick={() => setCount((c) => c + 1)}>
          Node
        </button>
        <button type="button" aria-haspopup="dialog">
          Lessons
        </button>
        <label>
          CNI
          <select aria-label="CNI">
            <option>bridge-hostgw</option>
            <option>flannel-vxlan</option>
          </select>
        </label>
      </ToolbarMenu>
      <p>added {count}</p>
      <button type="button">Elsewhere</button>
    </>
  );
}

const menuButton = () => screen.getByRole('button', { name: 'Menu' });
/** The panel the button controls (aria-controls). */
const panel = () => document.getElementById(menuButton().getAttribute('aria-controls')!)!;

describe('the toolbar menu', () => {
  afterEach(cleanup);

  it('opens and closes from its button, saying so with aria-expanded', async () => {
    const user = userEvent.setup();
    render(<Page />);
    expect(menuButton().getAttribute('aria-expanded')).toBe('false');
    expect(panel().hidden).toBe(true);
    expect(screen.queryByRole('button', { name: 'Node' })).toBeNull();
    await user.click(menuButton());
    expect(menuButton().getAttribute('aria-expanded')).toBe('true');
    expect(screen.getByRole('group', { name: 'Menu' })).toBe(panel());
    expect(screen.getByRole('button', { name: 'Node' })).toBeTruthy();
    await user.click(menuButton());
    expect(panel().hidden).toBe(true);
  });

  it('is used from the keyboard: Enter opens, Tab reaches its controls, Escape closes and gives the focus back', async () => {
    const user = userEvent.setup();
    render(<Page />);
    menuButton().focus();
    await user.keyboard('{Enter}');
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Node' }));
    await user.tab();
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole('combobox', { name: 'CNI' }));
    await user.keyboard('{Escape}');
    expect(panel().hidden).toBe(true);
    expect(document.activeElement).toBe(menuButton());
  });

  it('a button in it does its errand and closes it; one opening a dialog, or a choice in a select, leaves it open', async () => {
    const user = userEvent.setup();
    render(<Page />);
    await user.click(menuButton());
    await user.selectOptions(screen.getByRole('combobox', { name: 'CNI' }), 'flannel-vxlan');
    expect(panel().hidden).toBe(false);
    await user.click(screen.getByRole('button', { name: 'Lessons' }));
    expect(panel().hidden).toBe(false);
    await user.click(screen.getByRole('button', { name: 'Node' }));
    expect(screen.getByText('added 1')).toBeTruthy();
    expect(panel().hidden).toBe(true);
    // Closed, its controls stay mounted (a dialog opened from it, a file input, keep living).
    expect(screen.getByRole('combobox', { name: 'CNI', hidden: true })).toHaveProperty('value', 'flannel-vxlan');
  });

  it('a tap outside closes it; a tap in a dialog it opened does not', async () => {
    render(
      <>
        <Page />
        <div role="dialog" aria-label="Lessons">
          <button type="button">Close</button>
        </div>
      </>,
    );
    fireEvent.click(menuButton());
    fireEvent.pointerDown(screen.getByRole('button', { name: 'Close' }));
    expect(panel().hidden).toBe(false);
    fireEvent.pointerDown(screen.getByRole('button', { name: 'Elsewhere' }));
    expect(panel().hidden).toBe(true);
  });

  it('closes when what it waits for changes (a lesson chosen in its dialog has opened)', () => {
    const { rerender } = render(<Page closeOn="" />);
    fireEvent.click(menuButton());
    expect(panel().hidden).toBe(false);
    rerender(<Page closeOn="Every pod its own network namespace" />);
    expect(panel().hidden).toBe(true);
  });
});
