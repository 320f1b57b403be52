// @vitest-environment jsdom
// The sheet on a phone or a tablet: two tabs, Packet and Inspector; it follows what the
// person just did (a packet sent shows the walk, a pod selected shows the inspector),
// and its tabs are a tablist (arrows, Home and End move between them).
import { describe, expect, it } from 'vitest';
import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import Sheet from './Sheet.tsx';
import { freshPlaygroundEachTest, st } from '../testing/playground.ts';

const tab = (name: 'Packet' | 'Inspector') => screen.getByRole('tab', { name });
const shown = () => screen.getAllByRole('tab').find((t) => t.getAttribute('aria-selected') === 'true')?.textContent;

function renderSheet() {
  return render(<Sheet packet={<p>the walk</p>} inspector={<p>the selected pod</p>} />);
}

describe('the sheet', () => {
  freshPlaygroundEachTest();

  it('opens on the walk; the inspector says what to select until something is', async () => {
    const user = userEvent.setup();
    renderSheet();
    expect(shown()).toBe('Packet');
    expect(screen.getByRole('tabpanel', { name: 'Packet' }).textContent).toBe('the walk');
    await user.click(tab('Inspector'));
    expect(screen.getByRole('tabpanel', { name: 'Inspector' }).textContent).toContain('Select a node, pod or Service');
    // The walk stays mounted (its form's fields, a terminal's chosen command), hidden.
    expect(screen.getByText('the walk').closest<HTMLElement>('[role="tabpanel"]')!.hidden).toBe(true);
    expect(screen.queryByRole('tabpanel', { name: 'Packet' })).toBeNull();
  });

  it('selecting a pod shows the Inspector tab; sending a packet, the Packet tab', () => {
    renderSheet();
    act(() => st().select({ kind: 'pod', key: 'default/web-1' }));
    expect(shown()).toBe('Inspector');
    expect(screen.getByRole('tabpanel', { name: 'Inspector' }).textContent).toBe('the selected pod');
    act(() => st().send());
    expect(shown()).toBe('Packet');
    // Selecting again (another pod) brings the inspector back.
    act(() => st().select({ kind: 'pod', key: 'default/client' }));
    expect(shown()).toBe('Inspector');
  });

  it('its tabs move with the arrow keys, Home and End, and only the chosen one is a tab stop', async () => {
    const user = userEvent.setup();
    renderSheet();
    tab('Packet').focus();
    await user.keyboard('{ArrowRight}');
    expect(shown()).toBe('Inspector');
    expect(document.activeElement).toBe(tab('Inspector'));
    expect(tab('Packet').tabIndex).toBe(-1);
    await user.keyboard('{ArrowRight}');
    expect(shown()).toBe('Packet');
    await user.keyboard('{End}');
    expect(shown()).toBe('Inspector');
    await user.keyboard('{Home}');
    expect(shown()).toBe('Packet');
    expect(document.activeElement).toBe(tab('Packet'));
  });
});
