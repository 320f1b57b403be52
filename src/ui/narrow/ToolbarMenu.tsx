// On a phone or a tablet the top bar keeps the brand, Send packet and this button;
// every other control lives in the panel it opens (a disclosure: aria-expanded; Escape
// closes it and gives the keyboard back to the button, as does a tap outside). The panel
// stays mounted while closed, so a dialog opened from it (Lessons, Share) and the
// hidden file input of Import live on.
import { useEffect, useId, useRef, useState, type KeyboardEvent, type MouseEvent, type ReactNode } from 'react';
import styles from './ToolbarMenu.module.css';

/**
 * A button in the menu does its errand and the menu closes, so the canvas shows what it
 * did; a button opening a dialog (aria-haspopup) leaves it open, for the dialog to give
 * the keyboard back to. `closeOn`: the menu also closes when this changes (a lesson
 * chosen in that dialog has opened).
 */
export default function ToolbarMenu({ children, closeOn }: { children: ReactNode; closeOn?: string }) {
  const [open, setOpen] = useState(false);
  useEffect(() => setOpen(false), [closeOn]);
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const id = useId();

  // A tap or click elsewhere closes it (not one in a dialog the menu opened: that dialog is the menu's errand).
  useEffect(() => {
    if (!open) return;
    const away = (e: PointerEvent) => {
      const at = e.target as Element | null;
      if (!at || panel.current?.contains(at) || button.current?.contains(at) || at.closest?.('[role="dialog"]')) return;
      setOpen(false);
    };
    document.addEventListener('pointerdown', away);
    return () => document.removeEventListener('pointerdown', away);
  }, [open]);

  const onKeyDown = (e: KeyboardEvent) => {
    // Only an Escape pressed in the menu itself (a dialog opened from it handles its own, through React's tree).
    // A closed menu's Escape is the page's (disarming a palette item armed from here).
    if (!open || e.key !== 'Escape' || !panel.current?.contains(e.target as Node)) return;
    e.stopPropagation(); // not the page's Escape (leaving a lesson, clearing the selection)
    setOpen(false);
    button.current?.focus();
  };

  const onClick = (e: MouseEvent) => {
    const done = (e.target as Element).closest('button');
    if (done && panel.current?.contains(done) && !done.hasAttribute('aria-haspopup')) {
      setOpen(false);
      // The keyboard is not left on a button the closed panel hides.
      button.current?.focus();
    }
  };

  return (
    <>
      <button ref={button} type="button" className={styles.button} aria-expanded={open} aria-controls={id} onClick={() => setOpen((o) => !o)}>
        <span className={styles.bars} aria-hidden="true" />
        Menu
      </button>
      <div ref={panel} id={id} className={styles.panel} hidden={!open} role="group" aria-label="Menu" onKeyDown={onKeyDown} onClick={onClick}>
        {children}
      </div>
    </>
  );
}
