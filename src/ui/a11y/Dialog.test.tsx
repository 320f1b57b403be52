// @vitest-environment jsdom
// The one modal dialog, as a keyboard user meets it: it takes the keyboard when it
// opens, Tab and Shift+Tab go round its own controls only, the page's shortcuts stay
// out, Escape or a click on the backdrop closes it, and the keyboard goes back to the
// button that opened it.
import { describe, expect, it, vi } from 'vitest';
import { useRef, useState } from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import Dialog from './Dialog.tsx';
import { freshPlaygroundEachTest } from '../testing/playground.ts';

function Page({ onPageKey = () => {} }: { onPageKey?: (key: string) => void }) {
  const [open, setOpen] = useState(false);
  const first = useRef<HTMLButtonElement>(null);
  return (
    <div onKeyDown={(e) => onPageKey(e.key)}>
      <button type="button">Before</button>
      <button type="button" onClick={() => setOpen(true)}>
        Open
      </button>
      <button type="button">After</button>
      {open && (
        <Dialog labelledBy="t" onClose={() => setOpen(false)} initialFocus={first}>
          <h2 id="t">A question</h2>
          <button ref={first} type="button">
            Yes
          </button>
          <button type="button" disabled>
            Maybe
          </button>
          <input aria-label="Why" />
          <input type="file" hidden aria-label="A file" />
          <button type="button" onClick={() => setOpen(false)}>
            No
          </button>
        </Dialog>
      )}
    </div>
  );
}

const focused = () => (document.activeElement as HTMLElement | null)?.getAttribute('aria-label') ?? document.activeElement?.textContent;

describe('Dialog', () => {
  freshPlaygroundEachTest();

  it('is a modal named by its heading, with the keyboard on its first control', async () => {
    const user = userEvent.setup();
    render(<Page />);
    await user.click(screen.getByRole('button', { name: 'Open' }));
    const dialog = screen.getByRole('dialog', { name: 'A question' });
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(focused()).toBe('Yes');
  });

  it('Tab and Shift+Tab go round its own enabled controls, never to the page behind it', async () => {
    const user = userEvent.setup();
    render(<Page />);
    await user.click(screen.getByRole('button', { name: 'Open' }));
    const seen = [focused()];
    for (let i = 0; i < 4; i++) {
      await user.tab();
      seen.push(focused());
    }
    expect(seen).toEqual(['Yes', 'Why', 'No', 'Yes', 'Why']);
    await user.tab({ shift: true });
    await user.tab({ shift: true });
    expect(focused()).toBe('No');
  });

  it('Escape closes it and the keyboard goes back to the button that opened it; its keys do not reach the page', async () => {
    const user = userEvent.setup();
    const pageKeys = vi.fn();
    render(<Page onPageKey={pageKeys} />);
    await user.click(screen.getByRole('button', { name: 'Open' }));
    pageKeys.mockClear();
    await user.keyboard('{ArrowRight}{Escape}');
    expect(pageKeys).not.toHaveBeenCalled();
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(focused()).toBe('Open');
  });

  it('a click on the backdrop closes it; a click inside does not', async () => {
    const user = userEvent.setup();
    render(<Page />);
    await user.click(screen.getByRole('button', { name: 'Open' }));
    const dialog = screen.getByRole('dialog');
    await user.click(screen.getByRole('heading', { name: 'A question' }));
    expect(screen.queryByRole('dialog')).not.toBeNull();
    await user.click(dialog.parentElement!);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(focused()).toBe('Open');
  });

  it('closed by one of its own buttons, it also gives the keyboard back', async () => {
    const user = userEvent.setup();
    render(<Page />);
    await user.click(screen.getByRole('button', { name: 'Open' }));
    await user.click(screen.getByRole('button', { name: 'No' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(focused()).toBe('Open');
  });
});
